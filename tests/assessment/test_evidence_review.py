"""Accept-and-rate in one step, bulk accept, return with feedback, and the assessor's queue."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from academy.assessment.models import Rating
from academy.assessment.services.evidence_review import SKIP, accept_and_rate, bulk_accept, evidence_queue
from academy.assessment.services.ratings import current_ratings, record_rating
from academy.audit.models import AuditEvent
from academy.core.dates import today
from academy.core.errors import DomainError, InvalidTransition, NotAllowed
from academy.evidence.models import EvidenceStatus
from academy.evidence.services import accept_evidence, return_evidence, submit_evidence
from academy.extensions import db as _db
from tests.conftest import sign_in
from tests.factories import elements, leave, make_entry, make_team

S = EvidenceStatus


@pytest.fixture
def team(db):
    return make_team()


def _ratings(participant) -> list[tuple[int, int, int | None]]:
    rows = _db.session.scalars(sa.select(Rating).where(Rating.participant_id == participant.id).order_by(Rating.id))
    return [(r.element_id, r.value, r.evidence_entry_id) for r in rows]


def _skip_all(entry) -> dict:
    return dict.fromkeys((link.element_id for link in entry.links), SKIP)


@pytest.mark.parametrize("ratings", [None, "none", "first only", "blank"])
def test_accepting_never_invents_a_rating(team, ratings):
    first, second = elements(team.participant, 2)
    record_rating(team.participant, first, 1, by=team.assessor)
    entry = make_entry(team.participant, links=[first, second])
    answers = {
        None: None,
        "none": {},
        "first only": {first.id: 2},
        "blank": {first.id: "", second.id: None},
    }[ratings]
    with pytest.raises(DomainError, match="Choose a rating for") as error:
        accept_and_rate(entry, by=team.assessor, ratings=answers)
    assert error.value.field in {f"rating_{first.id}", f"rating_{second.id}"}
    assert entry.status == S.SUBMITTED
    assert len(_ratings(team.participant)) == 1  # only the rating chosen before


def test_accepting_records_exactly_the_ratings_chosen(team):
    first, second = elements(team.participant, 2)
    entry = make_entry(team.participant, links=[first, second])
    accept_and_rate(entry, by=team.assessor, ratings={first.id: 1, second.id: 2})
    assert entry.status == S.ACCEPTED
    assert _ratings(team.participant) == [(first.id, 1, entry.id), (second.id, 2, entry.id)]


def test_accepting_with_chosen_values_and_one_left_unrated(team):
    first, second = elements(team.participant, 2)
    entry = make_entry(team.participant, links=[first, second])
    accept_and_rate(entry, by=team.assessor, ratings={first.id: 3, second.id: SKIP}, comment="Good work")
    assert _ratings(team.participant) == [(first.id, 3, entry.id)]


def test_ratings_for_elements_the_entry_does_not_evidence_are_refused(team):
    first, _second, third = elements(team.participant, 3)
    entry = make_entry(team.participant, links=[first])
    with pytest.raises(DomainError, match="linked"):
        accept_and_rate(entry, by=team.assessor, ratings={third.id: 2})


def test_bulk_accept_accepts_without_rating(team, db):
    els = elements(team.participant, 3)
    made = [
        make_entry(team.participant, links=[els[0], els[1]], title="Visit"),
        make_entry(team.participant, links=[els[1], els[2]], title="Report"),
    ]
    bulk_accept(made, by=team.assessor)
    assert all(entry.status == S.ACCEPTED for entry in made)
    assert _ratings(team.participant) == []
    actions = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.action.like("rating.%"))).all()
    assert actions == []


def test_bulk_accept_needs_at_least_one_entry(team):
    with pytest.raises(DomainError, match="at least one"):
        bulk_accept([], by=team.assessor)


# The evidence state machine, as far as accepting and returning touch it.
@pytest.mark.parametrize(
    ("start", "action", "ok"),
    [
        (S.DRAFT, "accept", False),
        (S.DRAFT, "return", False),
        (S.SUBMITTED, "accept", True),
        (S.SUBMITTED, "return", True),
        (S.RETURNED, "accept", False),
        (S.RETURNED, "return", False),
        (S.RESUBMITTED, "accept", True),
        (S.RESUBMITTED, "return", True),
        (S.ACCEPTED, "accept", False),
        (S.ACCEPTED, "return", False),
    ],
)
def test_accept_and_return_from_each_state(team, start, action, ok):
    entry = make_entry(team.participant, submit=start != S.DRAFT)
    if start in (S.RETURNED, S.RESUBMITTED):
        return_evidence(entry, by=team.assessor, feedback="Say more about the impact")
    if start == S.RESUBMITTED:
        submit_evidence(entry, by=team.nqsw)
    if start == S.ACCEPTED:
        accept_evidence(entry, by=team.assessor)
    assert entry.status == start

    def act():
        if action == "accept":
            accept_and_rate(
                entry, by=team.assessor, ratings=dict.fromkeys((link.element_id for link in entry.links), SKIP)
            )
        else:
            return_evidence(entry, by=team.assessor, feedback="Please add the outcome")

    if ok:
        act()
        assert entry.status == (S.ACCEPTED if action == "accept" else S.RETURNED)
    else:
        with pytest.raises(InvalidTransition):
            act()
        assert entry.status == start


def test_returning_needs_feedback(team):
    entry = make_entry(team.participant)
    with pytest.raises(DomainError, match="change"):
        return_evidence(entry, by=team.assessor, feedback="   ")


@pytest.mark.parametrize("who", ["mentor", "line_manager", "nqsw"])
def test_only_the_assessor_accepts_in_year_one(team, who):
    entry = make_entry(team.participant)
    with pytest.raises(NotAllowed):
        accept_and_rate(
            entry, by=getattr(team, who), ratings=dict.fromkeys((link.element_id for link in entry.links), SKIP)
        )
    assert entry.status == S.SUBMITTED
    assert _ratings(team.participant) == []


def test_queue_is_oldest_first_with_its_age(team, db):
    older = make_entry(team.participant, title="Older")
    newer = make_entry(team.participant, title="Newer")
    older.submitted_at = newer.submitted_at - timedelta(days=5)
    draft = make_entry(team.participant, title="Draft", submit=False)
    queue = evidence_queue(team.assessor)
    assert [item.entry.title for item in queue] == ["Older", "Newer"]
    assert queue[0].age_days - queue[1].age_days in (5, 6)
    assert draft.id not in {item.entry.id for item in queue}
    assert [item.entry.title for item in evidence_queue(team.mentor)] == ["Older", "Newer"]


def test_accept_page_chooses_nothing_and_accepts_what_was_chosen(client, team):
    first, second = elements(team.participant, 2)
    entry = make_entry(team.participant, links=[first, second])
    sign_in(client, team.assessor)
    url = f"/assessment/evidence/{entry.id}"
    page = client.get(url).get_data(as_text=True)
    assert "checked" not in page
    token = client.csrf_token(url)
    # One element left unanswered: refused, nothing stored, the chosen rating and the comment kept.
    partial = {f"accept-rating_{first.id}": "3", "accept-comment": "Well argued", "accept-csrf_token": token}
    refused = client.post(f"{url}/accept", data=partial)
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "Choose a rating for KSS" in page
    assert f'name="accept-rating_{first.id}" type="radio" value="3" checked' in page
    assert "Well argued" in page
    assert entry.status == S.SUBMITTED
    assert _ratings(team.participant) == []
    data = {**partial, f"accept-rating_{second.id}": SKIP}
    assert client.post(f"{url}/accept", data=data).status_code == 302
    assert entry.status == S.ACCEPTED
    assert {k: r.value for k, r in current_ratings(team.participant).items()} == {first.id: 3}


def test_a_refused_return_keeps_the_ratings_and_a_refused_accept_keeps_the_feedback(client, team):
    first, second = elements(team.participant, 2)
    entry = make_entry(team.participant, links=[first, second])
    sign_in(client, team.assessor)
    url = f"/assessment/evidence/{entry.id}"
    token = client.csrf_token(url)
    typed = {
        f"accept-rating_{first.id}": "1",
        "accept-comment": "Nearly there",
        "return-feedback": "",
        "accept-csrf_token": token,
        "return-csrf_token": token,
    }
    page = client.post(f"{url}/return", data=typed).get_data(as_text=True)
    assert f'name="accept-rating_{first.id}" type="radio" value="1" checked' in page
    assert "Nearly there" in page
    typed["return-feedback"] = "Add what happened next"
    page = client.post(f"{url}/accept", data=typed).get_data(as_text=True)
    assert "Add what happened next" in page
    assert f'name="accept-rating_{first.id}" type="radio" value="1" checked' in page
    assert entry.status == S.SUBMITTED


def test_return_page_wants_feedback(client, team):
    entry = make_entry(team.participant)
    sign_in(client, team.assessor)
    url = f"/assessment/evidence/{entry.id}"
    token = client.csrf_token(url)
    response = client.post(f"{url}/return", data={"return-feedback": "", "return-csrf_token": token})
    assert response.status_code == 400
    assert "Say what the NQSW needs to change" in response.get_data(as_text=True)
    response = client.post(f"{url}/return", data={"return-feedback": "Add the outcome", "return-csrf_token": token})
    assert response.status_code == 302
    assert (entry.status, entry.feedback) == (S.RETURNED, "Add the outcome")


@pytest.mark.parametrize(("who", "status"), [("nqsw", 404), ("mentor", 403), ("line_manager", 403)])
def test_evidence_review_page_is_for_the_assessor(client, team, who, status):
    entry = make_entry(team.participant)
    sign_in(client, getattr(team, who))
    assert client.get(f"/assessment/evidence/{entry.id}").status_code == status


def test_bulk_accept_from_the_home_page(client, team):
    entries = [make_entry(team.participant, title=f"Entry {n}") for n in range(2)]
    sign_in(client, team.assessor)
    home = client.get("/home/mentor").get_data(as_text=True)
    assert "Entry 0" in home
    assert "Entry 1" in home
    none_chosen = client.post_form("/assessment/evidence/accept", {}, page="/home/mentor")
    assert none_chosen.status_code == 400
    assert "Choose at least one entry" in none_chosen.get_data(as_text=True)
    response = client.post_form(
        "/assessment/evidence/accept", {"entries": [str(e.id) for e in entries]}, page="/home/mentor"
    )
    assert response.status_code == 302
    assert all(e.status == S.ACCEPTED for e in entries)
    assert _ratings(team.participant) == []  # nothing rated: the grid asks for each rating


def test_bulk_accept_of_someone_elses_entry_is_forbidden(client, team, db):
    other = make_team()
    entry = make_entry(other.participant)
    sign_in(client, team.assessor)
    assert (
        client.post_form("/assessment/evidence/accept", {"entries": [str(entry.id)]}, page="/home/mentor").status_code
        == 403
    )
    assert entry.status == S.SUBMITTED


def test_evidence_waiting_from_someone_who_has_left_opens_with_only_skip(client, team, db):
    """Found by the load test: the page of an entry its reviewer may not rate (the NQSW has left) was a 500."""
    entry = make_entry(team.participant, links=elements(team.participant, 1))
    leave(team.participant, today())
    _db.session.commit()
    sign_in(client, team.assessor)
    response = client.get(f"/assessment/evidence/{entry.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Do not rate now" in html
    assert "Meeting expected level" not in html
