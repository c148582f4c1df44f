"""The rating log: who may rate, the latest row is current, corrections need a reason, history kept."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from academy.assessment.models import Rating
from academy.assessment.policies import can_rate
from academy.assessment.services.ratings import correct_rating, current_ratings, rating_history, record_rating
from academy.audit.models import AuditEvent
from academy.core.append_only import AppendOnlyViolation
from academy.core.dates import today
from academy.core.errors import DomainError, NotAllowed
from academy.participants.lifecycle import advance_year
from tests import factories
from tests.conftest import sign_in
from tests.factories import elements, make_team


@pytest.fixture
def team(db):
    return make_team()


def test_the_current_rating_is_the_latest_row(team):
    element = elements(team.participant, 1)[0]
    record_rating(team.participant, element, 1, by=team.assessor, comment="Early days")
    latest = record_rating(team.participant, element, 2, by=team.assessor)
    assert current_ratings(team.participant)[element.id].id == latest.id
    assert [r.value for r in rating_history(team.participant, element)] == [2, 1]


def test_a_correction_is_a_new_row_that_needs_a_reason(team, db):
    element = elements(team.participant, 1)[0]
    wrong = record_rating(team.participant, element, 3, by=team.assessor)
    with pytest.raises(DomainError, match="reason"):
        correct_rating(wrong, 1, by=team.assessor, reason="  ")
    fixed = correct_rating(wrong, 1, by=team.assessor, reason="Rated the wrong element")
    assert (fixed.corrects_id, fixed.correction_reason, fixed.value) == (wrong.id, "Rated the wrong element", 1)
    assert [r.value for r in rating_history(team.participant, element)] == [1, 3]
    audit = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.subject_type == "Rating")).all()
    assert audit == ["rating.recorded", "rating.corrected"]


def test_only_the_current_rating_can_be_corrected(team):
    element = elements(team.participant, 1)[0]
    old = record_rating(team.participant, element, 1, by=team.assessor)
    record_rating(team.participant, element, 2, by=team.assessor)
    with pytest.raises(DomainError, match="current rating"):
        correct_rating(old, 3, by=team.assessor, reason="Typo")


def test_ratings_are_append_only(team, db):
    rating = record_rating(team.participant, elements(team.participant, 1)[0], 2, by=team.assessor)
    db.session.flush()
    rating.value = 3
    with pytest.raises(AppendOnlyViolation):
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize("value", [-1, 4, "meeting", None])
def test_a_value_off_the_scale_is_refused(team, value):
    with pytest.raises(DomainError, match="Choose a rating"):
        record_rating(team.participant, elements(team.participant, 1)[0], value, by=team.assessor)


def test_an_element_outside_the_cohorts_frameworks_is_refused(team, db):
    other = factories.make_cohort(with_frameworks=False)
    participant = factories.make_participant(other, start=today() - timedelta(days=30))
    factories.assign(participant, team.assessor, "assessor")
    outside = next(el for el in elements(team.participant, 1000) if el.framework not in other.frameworks)
    with pytest.raises(DomainError, match="not in"):
        record_rating(participant, outside, 2, by=team.assessor)


# Who may rate: docs/product.md section 1.
@pytest.mark.parametrize(
    ("who", "year", "allowed"),
    [
        ("assessor", 1, True),
        ("mentor", 1, False),
        ("line_manager", 1, False),
        ("nqsw", 1, False),
        ("coordinator", 1, False),
        ("assessor", 2, True),
        ("mentor", 2, True),
        ("line_manager", 2, False),
        ("nqsw", 2, False),
        ("mentor", 3, True),
    ],
)
def test_who_may_rate(team, who, year, allowed):
    for _ in range(year - 1):
        advance_year(team.participant, actor=None, on=today())
    user = factories.make_user({"coordinator"}) if who == "coordinator" else getattr(team, who)
    assert can_rate(user, team.participant) is allowed
    element = elements(team.participant, 1)[0]
    if allowed:
        assert record_rating(team.participant, element, 2, by=user).programme_year == year
    else:
        with pytest.raises(NotAllowed):
            record_rating(team.participant, element, 2, by=user)


def test_nqsw_cannot_rate_themself_even_as_a_mentor(team, db):
    from academy.accounts.models import Role
    from academy.accounts.services import add_roles

    add_roles(team.nqsw, {Role.MENTOR}, actor=None)
    with pytest.raises(NotAllowed, match="own record"):
        record_rating(team.participant, elements(team.participant, 1)[0], 2, by=team.nqsw)


def test_a_former_assessor_cannot_rate(team):
    successor = factories.make_user({"mentor"})
    factories.assign(team.participant, successor, "assessor", starts_on=today(), handover_note="Moved team")
    assert not can_rate(team.assessor, team.participant)
    with pytest.raises(NotAllowed):
        record_rating(team.participant, elements(team.participant, 1)[0], 2, by=team.assessor)
    assert record_rating(team.participant, elements(team.participant, 1)[0], 2, by=successor)


def test_rating_page_records_and_shows_history(client, team, db):
    element = elements(team.participant, 1)[0]
    sign_in(client, team.assessor)
    url = f"/participants/{team.participant.id}/ratings/{element.id}"
    page = client.get(url).get_data(as_text=True)
    assert 'value="2" checked' in page  # "meeting expected level" preselected when unrated
    response = client.post_form(url, {"value": "1", "comment": "Needs more evidence"})
    assert response.status_code == 302
    rating = current_ratings(team.participant)[element.id]
    assert (rating.value, rating.comment, rating.rated_by_id) == (1, "Needs more evidence", team.assessor.id)
    fix = client.post_form(f"/ratings/{rating.id}/correct", {"value": "2", "reason": ""})
    assert fix.status_code == 400
    assert "Give the reason for the correction" in fix.get_data(as_text=True)
    client.post_form(f"/ratings/{rating.id}/correct", {"value": "2", "reason": "Misread the observation"})
    page = client.get(url).get_data(as_text=True)
    assert "Corrects an earlier rating: Misread the observation" in page
    assert db.session.scalar(sa.select(sa.func.count(Rating.id))) == 2


@pytest.mark.parametrize(("who", "status"), [("mentor", 403), ("nqsw", 404), ("line_manager", 403)])
def test_rating_by_post_is_refused_to_others(client, team, who, status):
    element = elements(team.participant, 1)[0]
    sign_in(client, getattr(team, who))
    url = f"/participants/{team.participant.id}/ratings/{element.id}"
    assert client.post_form(url, {"value": "2"}).status_code == status
    assert current_ratings(team.participant) == {}
