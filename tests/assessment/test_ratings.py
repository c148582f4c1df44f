"""The rating log: who may rate, the latest row is current, corrections need a reason, history kept."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from academy.assessment.models import Rating
from academy.assessment.policies import can_rate
from academy.assessment.services.ratings import (
    assessed_elements,
    correct_rating,
    current_ratings,
    element_name,
    linked_evidence,
    rating_history,
    record_rating,
)
from academy.audit.models import AuditEvent
from academy.core.append_only import AppendOnlyViolation
from academy.core.dates import today
from academy.core.errors import DomainError, NotAllowed
from academy.frameworks.services import mapped_elements
from academy.participants.lifecycle import advance_year
from tests import factories
from tests.conftest import sign_in
from tests.factories import elements, make_entry, make_team


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


@pytest.mark.parametrize("value", [-1, 4, "meeting", None, "", "  ", True])
def test_no_rating_is_stored_without_an_explicit_value_on_the_scale(team, db, value):
    with pytest.raises(DomainError, match="Choose a rating"):
        record_rating(team.participant, elements(team.participant, 1)[0], value, by=team.assessor)
    assert db.session.scalar(sa.select(sa.func.count(Rating.id))) == 0


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
    assert "checked" not in page  # nothing is chosen for the assessor
    assert element.description in page
    no_choice = client.post_form(url, {"comment": "Typed before choosing"})
    assert no_choice.status_code == 400
    assert "Choose a rating" in no_choice.get_data(as_text=True)
    assert "Typed before choosing" in no_choice.get_data(as_text=True)
    assert current_ratings(team.participant) == {}
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
    assert "checked" not in client.get(f"/ratings/{current_ratings(team.participant)[element.id].id}/correct").get_data(
        as_text=True
    )
    assert db.session.scalar(sa.select(sa.func.count(Rating.id))) == 2


@pytest.mark.parametrize(("who", "status"), [("mentor", 403), ("nqsw", 404), ("line_manager", 403)])
def test_rating_by_post_is_refused_to_others(client, team, who, status):
    element = elements(team.participant, 1)[0]
    sign_in(client, getattr(team, who))
    url = f"/participants/{team.participant.id}/ratings/{element.id}"
    assert client.post_form(url, {"value": "2"}).status_code == status
    assert current_ratings(team.participant) == {}


def test_the_grid_rates_only_the_elements_chosen(client, team, db):
    first, second, third = elements(team.participant, 3)
    entry = make_entry(team.participant, links=[first], title="Home visit")
    sign_in(client, team.assessor)
    overview = client.get(f"/participants/{team.participant.id}/assessment").get_data(as_text=True)
    url = f"/participants/{team.participant.id}/ratings"
    assert url in overview
    page = client.get(url).get_data(as_text=True)
    assert "checked" not in page
    assert "Home visit" in page
    assert entry.activity_date.strftime("%-d %B %Y") in page
    assert first.description in page
    nothing = client.post_form(url, {})
    assert nothing.status_code == 400
    assert "Choose a rating for at least one element" in nothing.get_data(as_text=True)
    off_scale = client.post_form(url, {f"rating_{first.id}": "2", f"rating_{second.id}": "9"})
    assert off_scale.status_code == 400
    kept = off_scale.get_data(as_text=True)
    assert f'name="rating_{first.id}" type="radio" value="2" checked' in kept
    assert current_ratings(team.participant) == {}
    response = client.post_form(url, {f"rating_{first.id}": "2", f"rating_{third.id}": "3"})
    assert response.status_code == 302
    assert {k: r.value for k, r in current_ratings(team.participant).items()} == {first.id: 2, third.id: 3}


@pytest.mark.parametrize(("who", "status"), [("mentor", 403), ("nqsw", 404), ("line_manager", 403)])
def test_the_grid_is_posted_only_by_a_rater(client, team, who, status):
    first = elements(team.participant, 1)[0]
    sign_in(client, getattr(team, who))
    url = f"/participants/{team.participant.id}/ratings"
    if who != "nqsw":
        assert client.get(url).status_code == 200
    assert (
        client.post_form(
            url,
            {f"rating_{first.id}": "2"},
            page=f"/participants/{team.participant.id}/assessment" if who != "nqsw" else None,
        ).status_code
        == status
    )
    assert current_ratings(team.participant) == {}


def test_the_rating_page_lists_evidence_for_the_element_and_mapped_elements(client, team, db):
    element = elements(team.participant, 1)[0]
    mapped = mapped_elements([element.id])
    direct = make_entry(team.participant, links=[element], title="Direct link")
    draft = make_entry(team.participant, links=[element], title="Still a draft", submit=False)
    others = [e for e in assessed_elements(team.participant) if e.id in mapped]
    via = make_entry(team.participant, links=others[:1], title="Through a mapping") if others else None
    found = linked_evidence(team.participant, [element])[element.id]
    titles = {item.entry.title for item in found}
    assert direct.title in titles
    assert draft.title not in titles
    if via is not None:
        assert via.title in titles
    sign_in(client, team.assessor)
    page = client.get(f"/participants/{team.participant.id}/ratings/{element.id}").get_data(as_text=True)
    assert "Direct link" in page
    assert "Submitted" in page


def test_element_names_use_words_not_codes(team):
    for element in assessed_elements(team.participant):
        name = element_name(element)
        assert "_" not in name
        assert name.endswith(element.label)
    kss = next(e for e in assessed_elements(team.participant) if e.framework.code.startswith("CF_KSS"))
    assert element_name(kss).startswith("KSS ")
