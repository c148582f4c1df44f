"""Outside feedback (issue 20): the request's states, the single-use link, consent, the forms that fit the
person, expiry, withdrawal, rate limits, and the answer arriving as read-only evidence."""

import io
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from academy.audit.models import AuditEvent
from academy.core.dates import today
from academy.core.db import now_utc
from academy.core.errors import DomainError
from academy.evidence.models import EvidenceEntry, EvidenceStatus, EvidenceType
from academy.evidence.progress import evidence_progress
from academy.evidence.services import accept_evidence
from academy.extensions import db
from academy.feedback import links, services
from academy.feedback.models import FeedbackRequest, RequestState
from tests import factories

LINK = re.compile(r"https?://\S+/feedback/[\w-]+")
YOUNG_ANSWER = {"listened": "yes", "explained": "a_bit", "helped": "yes", "anything_else": "She was kind."}


@pytest.fixture
def team(db):
    return factories.make_team()


def ask(team, relationship="professional", *, email="pat.partner@example.org", by=None, elements=2):
    """A request made through the service; returns (request, token)."""
    new = services.NewRequest(
        relationship=relationship,
        name="Pat Partner",
        email=email,
        about="Joint visit in March",
        activity_date=today() - timedelta(days=2),
        message="Thank you for working with me.",
        element_ids=[el.id for el in factories.elements(team.participant, elements)],
    )
    return services.request_feedback(team.participant, new, by=by or team.nqsw)


def audit_actions(request: FeedbackRequest) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(AuditEvent.action)
            .where(AuditEvent.subject_type == "FeedbackRequest", AuditEvent.subject_id == request.id)
            .order_by(AuditEvent.id)
        )
    )


def consent(client, token):
    return client.post_form(f"/feedback/{token}", {"consent": "y"}, page="/sign-in")


def answer(client, token, data):
    return client.post_form(f"/feedback/{token}/answer", data, page="/sign-in")


def test_a_young_person_answers_once_and_it_arrives_as_feedback_from_a_person_using_services(client, team):
    request, token = ask(team, "young_person")
    db.session.commit()
    assert request.state == RequestState.SENT

    opened = client.get(f"/feedback/{token}")
    page = opened.get_data(as_text=True)
    assert opened.status_code == 200
    assert opened.headers["Cache-Control"] == "no-store"
    assert opened.headers["Referrer-Policy"] == "no-referrer"
    assert team.participant.name in page
    assert "Joint visit in March" in page
    assert "What happens to your answer" in page
    assert request.state == RequestState.OPENED

    # The questions wait for consent.
    assert client.get(f"/feedback/{token}/answer").status_code == 302
    refused = client.post_form(f"/feedback/{token}", {}, page="/sign-in")
    assert refused.status_code == 400
    assert "Tick the box to agree" in refused.get_data(as_text=True)
    assert consent(client, token).status_code == 302

    form = client.get(f"/feedback/{token}/answer").get_data(as_text=True)
    first = team.participant.name.split()[0]
    assert f"Did {first} listen to you?" in form  # the simpler form, with the picture scale
    assert form.count('class="app-face"') == 9
    assert "What could" not in form
    assert "element_" not in form

    done = answer(client, token, YOUNG_ANSWER)
    assert done.status_code == 302
    assert done.location.endswith("/feedback/thanks")
    entry = db.session.get(EvidenceEntry, request.entry_id)
    assert entry.type == EvidenceType.FEEDBACK_PERSON
    assert entry.feedback_source == "child_young_person"
    assert entry.given_by == "a young person"
    assert not entry.given_on_paper
    assert entry.status == EvidenceStatus.SUBMITTED
    assert {link.element_id for link in entry.links} == {el.id for el in request.elements}
    assert "She was kind." in entry.narrative
    assert "A bit" in entry.narrative
    assert "Pat Partner" not in entry.narrative  # the person's name stays with the request
    assert request.state == RequestState.ANSWERED
    assert audit_actions(request) == [
        "feedback.requested",
        "feedback.opened",
        "feedback.consented",
        "feedback.answered",
    ]

    # A second use of the link is refused in plain words.
    again = client.get(f"/feedback/{token}")
    assert again.status_code == 410
    assert "already been used" in again.get_data(as_text=True)
    assert answer(client, token, YOUNG_ANSWER).status_code == 410


def test_a_professional_comments_on_elements_and_nothing_typed_is_lost_on_an_error(client, team):
    request, token = ask(team, "professional")
    db.session.commit()
    consent(client, token)
    first = request.elements[0]
    bad = answer(client, token, {"went_well": "Clear plans.", f"element_{first.id}": "Listened well."})
    page = bad.get_data(as_text=True)
    assert bad.status_code == 400
    assert "Choose which best describes your work" in page
    assert "Clear plans." in page
    assert "Listened well." in page
    assert request.state == RequestState.OPENED

    ok = answer(client, token, {"work": "health", "went_well": "Clear plans.", f"element_{first.id}": "Listened well."})
    assert ok.status_code == 302
    entry = request.entry
    assert entry.type == EvidenceType.FEEDBACK_PROFESSIONAL
    assert entry.feedback_source == "health"
    assert [(link.element_id, link.reason) for link in entry.links] == [(first.id, "Listened well.")]
    assert f"{first.label}:\nListened well." in entry.narrative


def test_a_practice_observer_gives_a_direct_observation(client, team):
    request, token = ask(team, "observer")
    db.session.commit()
    consent(client, token)
    done = answer(client, token, {"setting": "Home visit", "registered": "yes", "went_well": "Calm and clear."})
    assert done.status_code == 302
    entry = request.entry
    assert entry.type == EvidenceType.DIRECT_OBSERVATION
    assert (entry.observer_name, entry.observer_is_registered, entry.setting) == ("Pat Partner", True, "Home visit")


def test_identifiers_typed_by_an_outside_person_are_flagged_before_they_are_kept(client, team):
    request, token = ask(team, "parent_carer")
    db.session.commit()
    consent(client, token)
    data = {"listened": "always", "explained": "mostly", "went_well": "She visited us at SW1A 1AA every week."}
    warned = answer(client, token, data)
    page = warned.get_data(as_text=True)
    assert warned.status_code == 200
    assert "may identify someone" in page
    assert "SW1A 1AA" in page
    assert request.entry_id is None
    assert answer(client, token, {**data, "went_well": "She visited us every week."}).status_code == 302
    assert request.entry.feedback_source == "parent_carer"


def test_the_answer_counts_towards_the_minimums_once_the_assessor_accepts_it(client, team):
    request, token = ask(team, "professional")
    db.session.commit()
    consent(client, token)
    answer(client, token, {"work": "education", "went_well": "Good liaison."})
    row = next(i for i in evidence_progress(team.participant) if i.key == "feedback_professional")
    assert (row.met, row.waiting) == (0, 1)
    accept_evidence(request.entry, by=team.assessor)
    row = next(i for i in evidence_progress(team.participant) if i.key == "feedback_professional")
    assert (row.met, row.waiting) == (1, 0)


def test_the_nqsw_cannot_edit_an_answer_but_reflects_beside_it(client, login, team):
    request, token = ask(team, "professional")
    db.session.commit()
    consent(client, token)
    answer(client, token, {"work": "police", "went_well": "Good liaison."})
    entry = request.entry
    login(team.nqsw)
    page = client.get(f"/evidence/{entry.id}").get_data(as_text=True)
    assert "Given directly by a professional in another agency" in page
    assert "Change this entry" not in page
    assert client.get(f"/evidence/{entry.id}/edit").status_code == 404
    edit = client.post_form(f"/evidence/{entry.id}/edit", {"title": "Mine now"}, page=f"/evidence/{entry.id}")
    assert edit.status_code == 404
    reflect = client.post_form(
        f"/evidence/{entry.id}/reflection", {"reflection": "I will keep liaising."}, page=f"/evidence/{entry.id}"
    )
    assert reflect.status_code == 302
    assert entry.nqsw_reflection == "I will keep liaising."
    assert "Good liaison." in entry.narrative
    # The assessor cannot change it either; it waits for their review.
    login(team.assessor)
    assert client.get(f"/evidence/{entry.id}/edit").status_code == 403


def test_an_expired_link_is_refused_then_sent_again_with_a_new_link(client, login, team, mail_server):
    request, token = ask(team)
    request.expires_at = now_utc() - timedelta(minutes=1)
    db.session.commit()
    assert links.state_now(request) == RequestState.EXPIRED
    expired = client.get(f"/feedback/{token}")
    assert expired.status_code == 410
    assert "expired" in expired.get_data(as_text=True)
    assert links.expire_overdue() == 1
    assert request.state == RequestState.EXPIRED
    assert "feedback.expired" in audit_actions(request)

    login(team.nqsw)
    again = client.post_form(f"/feedback/requests/{request.id}/send-again", {}, page=f"/feedback/requests/{request.id}")
    assert again.status_code == 302
    new_link = LINK.search(mail_server.to("pat.partner@example.org")[-1].get_content()).group(0)
    assert request.state == RequestState.SENT
    assert request.emailed_at is not None
    with client.session_transaction() as session:
        session.clear()  # the person asked, who has no account
    assert client.get(new_link).status_code == 200
    assert client.get(f"/feedback/{token}").status_code == 404  # the old link is gone


def test_a_withdrawn_link_is_refused(client, login, team):
    request, token = ask(team)
    db.session.commit()
    login(team.assessor)
    done = client.post_form(f"/feedback/requests/{request.id}/withdraw", {}, page=f"/feedback/requests/{request.id}")
    assert done.status_code == 302
    assert request.state == RequestState.WITHDRAWN
    assert request.withdrawn_by_id == team.assessor.id
    client.post("/sign-out", data={"csrf_token": client.csrf_token(f"/feedback/requests/{request.id}")})
    refused = client.get(f"/feedback/{token}")
    assert refused.status_code == 410
    assert "withdrawn" in refused.get_data(as_text=True)
    with pytest.raises(DomainError):
        services.withdraw(request, by=team.nqsw)
    assert "feedback.withdrawn" in audit_actions(request)


def test_visits_are_limited_per_link_and_per_address(client, app, team):
    _, token = ask(team)
    db.session.commit()
    saved = app.config["FEEDBACK_VISITS_PER_LINK_PER_HOUR"], app.config["FEEDBACK_VISITS_PER_ADDRESS_PER_HOUR"]
    app.config.update(FEEDBACK_VISITS_PER_LINK_PER_HOUR=3, FEEDBACK_VISITS_PER_ADDRESS_PER_HOUR=5)
    try:
        assert [client.get(f"/feedback/{token}").status_code for _ in range(4)] == [200, 200, 200, 429]
        # Guessing other tokens from the same address runs into the address's limit.
        assert [client.get(f"/feedback/not-a-token-{n}").status_code for n in range(3)] == [404, 404, 429]
    finally:
        app.config.update(FEEDBACK_VISITS_PER_LINK_PER_HOUR=saved[0], FEEDBACK_VISITS_PER_ADDRESS_PER_HOUR=saved[1])


def test_one_address_gets_at_most_three_requests_a_day(team):
    for _ in range(3):
        ask(team, email="busy.person@example.org")
    with pytest.raises(DomainError, match="3 feedback requests in the last day"):
        ask(team, email="Busy.Person@example.org")


def test_the_public_form_takes_no_files_and_no_huge_posts(client, team):
    request, token = ask(team)
    db.session.commit()
    consent(client, token)
    huge = answer(client, token, {"work": "health", "went_well": "x" * 70_000})
    assert huge.status_code == 413
    assert "too long" in huge.get_data(as_text=True)
    with_file = client.post(
        f"/feedback/{token}/answer",
        data={
            "csrf_token": client.csrf_token(),
            "work": "health",
            "went_well": "ok",
            "f": (io.BytesIO(b"%PDF-1.4"), "a.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert with_file.status_code == 400
    assert request.entry_id is None


def test_the_nqsw_cannot_answer_their_own_request(client, login, team):
    with pytest.raises(DomainError, match="own email address"):
        ask(team, email=team.nqsw.email.upper())
    _, token = ask(team)
    db.session.commit()
    login(team.nqsw)
    own = client.get(f"/feedback/{token}")
    assert own.status_code == 403
    assert "nobody gives feedback on their own work" in own.get_data(as_text=True)


# What each state allows: (state, the link works, withdraw allowed, send again allowed).
STATE_TABLE = [
    (RequestState.SENT, True, True, True),
    (RequestState.OPENED, True, True, True),
    (RequestState.EXPIRED, False, True, True),
    (RequestState.ANSWERED, False, False, False),
    (RequestState.WITHDRAWN, False, False, False),
]


@pytest.mark.parametrize(("state", "link_works", "can_withdraw", "can_send_again"), STATE_TABLE)
def test_what_each_request_state_allows(team, state, link_works, can_withdraw, can_send_again):
    request, _ = ask(team)
    # No service puts a request straight into each state, so the builder sets it (answering and withdrawing
    # are tested through their services above).
    request.state = state
    assert (links.link_refusal(request) is None) == link_works
    for action, allowed in ((services.send_again, can_send_again), (services.withdraw, can_withdraw)):
        with db.session.begin_nested() as savepoint:
            if allowed:
                action(request, by=team.nqsw)
            else:
                with pytest.raises(DomainError, match=f"{state.label.lower()} cannot be"):
                    action(request, by=team.nqsw)
            savepoint.rollback()
        request.state = state


def test_a_printed_form_has_no_link_and_cannot_be_sent_by_email(team):
    request, token = ask(team, email=None)
    assert (request.state, token, request.token_hash) == (RequestState.ON_PAPER, None, None)
    with pytest.raises(DomainError, match="printed form has no email address"):
        services.send_again(request, by=team.nqsw)
