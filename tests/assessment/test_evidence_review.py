"""Accept-and-rate in one step, bulk accept, return with feedback, and the assessor's queue."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from academy.assessment.models import Rating
from academy.assessment.services.evidence_review import SKIP, accept_and_rate, bulk_accept, evidence_queue
from academy.assessment.services.ratings import current_ratings, record_rating
from academy.audit.models import AuditEvent
from academy.core.errors import DomainError, InvalidTransition, NotAllowed
from academy.evidence.models import EvidenceEvent, EvidenceStatus
from academy.evidence.services import accept_evidence, return_evidence, submit_evidence
from academy.extensions import db as _db
from tests.conftest import sign_in
from tests.factories import elements, make_entry, make_team

S = EvidenceStatus


@pytest.fixture
def team(db):
    return make_team()


def _ratings(participant) -> list[tuple[int, int, int | None]]:
    rows = _db.session.scalars(sa.select(Rating).where(Rating.participant_id == participant.id).order_by(Rating.id))
    return [(r.element_id, r.value, r.evidence_entry_id) for r in rows]


def test_accepting_rates_each_linked_element_with_its_default(team):
    first, second = elements(team.participant, 2)
    record_rating(team.participant, first, 1, by=team.assessor)
    entry = make_entry(team.participant, links=[first, second])
    accept_and_rate(entry, by=team.assessor)
    assert entry.status == S.ACCEPTED
    # The current rating (developing) is kept for the first; "meeting" (2) for the unrated second.
    assert _ratings(team.participant)[1:] == [(first.id, 1, entry.id), (second.id, 2, entry.id)]


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


def test_bulk_accept_writes_the_same_rows_as_one_by_one(db):
    one_by_one, in_bulk = make_team(), make_team()

    def entries(team):
        els = elements(team.participant, 3)
        return [
            make_entry(team.participant, links=[els[0], els[1]], title="Visit"),
            make_entry(team.participant, links=[els[1], els[2]], title="Report"),
        ]

    singles = entries(one_by_one)
    for entry in singles:
        accept_and_rate(entry, by=one_by_one.assessor)
    bulk = entries(in_bulk)
    bulk_accept(bulk, by=in_bulk.assessor)

    def shape(team, made):
        index = {el.id: n for n, el in enumerate(elements(team.participant, 3))}
        entry_index = {e.id: n for n, e in enumerate(made)}
        ratings = [(index[el], v, entry_index[e]) for el, v, e in _ratings(team.participant)]
        events = db.session.execute(
            sa.select(EvidenceEvent.entry_id, EvidenceEvent.action).where(EvidenceEvent.entry_id.in_(entry_index))
        )
        audits = db.session.scalars(
            sa.select(AuditEvent.action).where(AuditEvent.participant_id == team.participant.id).order_by(AuditEvent.id)
        ).all()
        return ratings, sorted((entry_index[e], a) for e, a in events), [a for a in audits if a != "assignment.created"]

    assert shape(in_bulk, bulk) == shape(one_by_one, singles)
    assert shape(in_bulk, bulk)[0] == [(0, 2, 0), (1, 2, 0), (1, 2, 1), (2, 2, 1)]


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
            accept_and_rate(entry, by=team.assessor)
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
        accept_and_rate(entry, by=getattr(team, who))
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


def test_accept_page_accepts_with_the_preselected_ratings(client, team):
    first, second = elements(team.participant, 2)
    entry = make_entry(team.participant, links=[first, second])
    sign_in(client, team.assessor)
    page = client.get(f"/assessment/evidence/{entry.id}").get_data(as_text=True)
    assert page.count('value="2" checked') == 2
    data = {f"accept-rating_{first.id}": "2", f"accept-rating_{second.id}": "3", "accept-comment": ""}
    url = f"/assessment/evidence/{entry.id}/accept"
    response = client.post(
        url, data={**data, "accept-csrf_token": client.csrf_token(f"/assessment/evidence/{entry.id}")}
    )
    assert response.status_code == 302
    assert entry.status == S.ACCEPTED
    assert {k: r.value for k, r in current_ratings(team.participant).items()} == {first.id: 2, second.id: 3}


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
    assert len(_ratings(team.participant)) == 4


def test_bulk_accept_of_someone_elses_entry_is_forbidden(client, team, db):
    other = make_team()
    entry = make_entry(other.participant)
    sign_in(client, team.assessor)
    assert (
        client.post_form("/assessment/evidence/accept", {"entries": [str(entry.id)]}, page="/home/mentor").status_code
        == 403
    )
    assert entry.status == S.SUBMITTED
