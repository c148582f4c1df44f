"""Hand-overs announced: who is told what, in the app and by email after the commit, and the settings."""

import logging
from datetime import timedelta

import pytest
import sqlalchemy as sa

from academy.assessment.services.outcomes import recommend_outcome, refer_back_outcome
from academy.assessment.services.reviews import record_review, sign_review
from academy.core.dates import today
from academy.evidence.services import accept_evidence, return_evidence
from academy.extensions import db as _db
from academy.notifications.models import Notification, NotificationKind
from academy.notifications.services import notify, set_email_kinds
from academy.templating import format_date
from tests import factories
from tests.factories import (
    concern_before_a_review,
    make_entry,
    make_team,
    review_record,
    sign_final_review,
    team_milestone,
)

K = NotificationKind


@pytest.fixture
def team(db):
    return make_team()


def of(user) -> list[tuple[NotificationKind, str]]:
    rows = _db.session.scalars(
        sa.select(Notification).where(Notification.recipient_id == user.id).order_by(Notification.id)
    )
    return [(n.kind, n.text) for n in rows]


def emails(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith("Email to")]


def test_staff_are_told_when_an_nqsw_is_assigned_to_them(team):
    assert of(team.assessor) == [
        (
            K.ASSIGNED,
            f"{team.nqsw.name} is assigned to you as assessor from {format_date(team.participant.start_date)}.",
        )
    ]
    assert of(team.mentor)[0][0] == K.ASSIGNED


def test_evidence_goes_to_the_assessor_and_comes_back_to_the_nqsw(team):
    entry = make_entry(team.participant, title="Home visit")
    assert (K.EVIDENCE_SUBMITTED, f"{team.nqsw.name} submitted “Home visit” for you to review.") in of(team.assessor)
    assert not [k for k, _ in of(team.mentor) if k == K.EVIDENCE_SUBMITTED]  # year 1: the assessor decides
    return_evidence(entry, by=team.assessor, feedback="Say more about the plan.")
    accepted = make_entry(team.participant, title="Report")
    accept_evidence(accepted, by=team.assessor)
    assert of(team.nqsw) == [
        (K.EVIDENCE_DECIDED, f"{team.assessor.name} returned your evidence “Home visit” for you to change."),
        (K.EVIDENCE_DECIDED, f"{team.assessor.name} accepted your evidence “Report”."),
    ]


def test_a_review_is_announced_to_whoever_has_not_signed(team):
    m = team_milestone(team)
    review = record_review(m, review_record(), by=team.assessor)
    assert of(team.nqsw)[-1] == (K.REVIEW_TO_SIGN, f"Your {m.title} is waiting for your signature.")
    sign_review(review, by=team.nqsw)  # without a comment
    assert of(team.assessor)[-1] == (K.REVIEW_TO_SIGN, f"{team.nqsw.name}'s {m.title} is waiting for your signature.")
    before = len(of(team.nqsw))
    sign_review(review, by=team.assessor)
    assert len(of(team.nqsw)) == before  # signed by both: nobody is waiting


def test_a_recommendation_and_the_panels_decision_reach_the_nqsw_and_the_assessor(team):
    coordinator = factories.make_user({"coordinator"}, name="Cal Chair")
    panel = factories.make_user({"coordinator"}, name="Pat Panel")
    concern_before_a_review(team)
    sign_final_review(team)
    outcome = recommend_outcome(
        team.participant, "fail", by=team.assessor, narrative="Not yet safe to practise.", confirmed=True
    )
    assert of(team.nqsw)[-1][0] == K.OUTCOME
    assert [k for k, _ in of(team.assessor)].count(K.OUTCOME) == 0  # they made it
    refer_back_outcome(
        outcome,
        by=coordinator,
        panel_date=today(),
        chair=panel,
        members="Cal Chair, Pat Panel",
        reason="More evidence, please.",
    )
    text = f"The moderation panel referred back the FAIL recommendation for {team.nqsw.name}'s ASYE."
    assert of(team.nqsw)[-1] == (K.OUTCOME, text)
    assert of(team.assessor)[-1] == (K.OUTCOME, text)


def test_email_goes_out_after_the_commit_and_never_after_a_rollback(team, caplog):
    _db.session.commit()  # the team's own notifications go out first
    caplog.clear()
    with caplog.at_level(logging.INFO):
        notify([team.nqsw], K.OUTCOME, "Rolled back", "home.index")
        assert not emails(caplog)
        _db.session.rollback()
        assert not emails(caplog)
        notify([team.nqsw], K.OUTCOME, "Kept", "home.index")
        _db.session.commit()
    (sent,) = emails(caplog)
    assert sent.startswith(f"Email to {team.nqsw.email}: Kept")
    assert "Open it here: http://localhost/\n" in sent  # the public address (ACADEMY_BASE_URL), never the Host


def test_a_person_who_turned_a_kind_off_gets_it_in_the_app_only(team, caplog):
    set_email_kinds(team.nqsw, [K.OUTCOME], by=team.nqsw)
    _db.session.commit()
    caplog.clear()
    with caplog.at_level(logging.INFO):
        make_entry(team.participant, title="Home visit")  # the assessor still wants this one
        notify([team.nqsw], K.EVIDENCE_DECIDED, "In the app only", "home.index")
        _db.session.commit()
    assert [m.split(":")[0] for m in emails(caplog)] == [f"Email to {team.assessor.email}"]
    assert (K.EVIDENCE_DECIDED, "In the app only") in of(team.nqsw)


def test_the_person_who_acted_is_not_told(team):
    assert notify([team.assessor, team.assessor, None], K.OUTCOME, "Hello", "home.index", by=team.assessor) == []


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(client, team, login):
    entry = make_entry(team.participant, title="Home visit")
    note = _db.session.scalar(sa.select(Notification).where(Notification.kind == K.EVIDENCE_SUBMITTED))
    login(team.assessor)
    home = client.get("/home/mentor").get_data(as_text=True)
    assert home.index("Waiting for you") < home.index("Evidence waiting for review")
    assert "submitted “Home visit” for you to review" in home
    assert 'Notifications <span class="app-count">(2 new)</span>' in home  # the assignment and the entry
    response = client.post_form(f"/notifications/{note.id}/open", page="/notifications")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/assessment/evidence/{entry.id}"
    assert note.read_at is not None
    login(team.nqsw)
    assert client.post_form(f"/notifications/{note.id}/open", page="/notifications").status_code == 404


def test_the_settings_page_turns_email_off_and_on(client, team, login):
    login(team.nqsw)
    page = client.get("/notifications/settings").get_data(as_text=True)
    assert "Email me about these" in page
    assert "checked" in page
    response = client.post_form("/notifications/settings", {"kinds": [K.OUTCOME.value]})
    assert response.status_code == 302
    page = client.get("/notifications/settings").get_data(as_text=True)
    assert page.count("checked") == 1
    response = client.post_form("/notifications/read", page="/notifications", follow_redirects=True)
    assert "marked as read" in response.get_data(as_text=True)


def test_a_skipped_optional_milestone_is_not_overdue(team):
    optional = team.participant.milestones[1]
    optional.is_optional = True
    optional.due_date = today() - timedelta(days=10)
    assert not optional.is_overdue(today())
