"""Cohorts and participants that can be fixed: frameworks added and removed, details corrected, and the
cohort table's future assessors and pauses (issue 13, part 5)."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from academy.assessment.services.ratings import record_rating
from academy.audit.models import AuditEvent
from academy.cohorts.framework_links import add_cohort_framework, remove_cohort_framework
from academy.cohorts.services import create_cohort
from academy.core.dates import today
from academy.core.errors import DomainError
from academy.extensions import db
from academy.participants.lifecycle import pause
from academy.participants.models import PauseReason
from academy.programmes.services import default_programme, ensure_default_programmes
from tests import factories
from tests.factories import elements, make_team


def test_a_cohort_without_a_framework_is_refused(db, coordinator):
    ensure_default_programmes()
    with pytest.raises(DomainError, match="at least one framework"):
        create_cohort("Empty", date(2026, 9, 7), default_programme(), [], actor=coordinator)


def test_the_create_page_refuses_a_cohort_without_frameworks(client, login, coordinator):
    factories.frameworks()
    ensure_default_programmes()
    login(coordinator)
    data = {"name": "No frameworks", "start_date": ["7", "9", "2026"], "programme": str(default_programme().id)}
    # The second step: the proposals were shown for this start date, and every framework was unticked.
    response = client.post_form("/cohorts/new", data | {"proposed_for": "2026-09-07"})
    assert response.status_code == 400
    assert "Choose at least one framework" in response.get_data(as_text=True)


def test_a_framework_is_added_and_removed_while_nothing_is_recorded(client, login, coordinator):
    first, *others = factories.frameworks()
    cohort = factories.make_cohort("Fixable", with_frameworks=False)
    other = next(f for f in others if f.code != first.code)
    login(coordinator)
    page = client.get(f"/cohorts/{cohort.id}/frameworks").get_data(as_text=True)
    assert "The only framework" in page
    response = client.post_form(f"/cohorts/{cohort.id}/frameworks", {"framework": other.id})
    assert response.status_code == 302
    assert other in cohort.frameworks
    response = client.post_form(
        f"/cohorts/{cohort.id}/frameworks/{first.id}/remove", page=f"/cohorts/{cohort.id}/frameworks"
    )
    assert response.status_code == 302
    assert cohort.frameworks == [other]
    actions = db_actions(cohort.id)
    assert actions == ["cohort.framework_added", "cohort.framework_removed"]


def db_actions(cohort_id: int) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(AuditEvent.action)
            .where(
                AuditEvent.subject_type == "Cohort",
                AuditEvent.subject_id == cohort_id,
                AuditEvent.action.like("cohort.framework_%"),
            )
            .order_by(AuditEvent.id)
        )
    )


def test_frameworks_are_fixed_once_ratings_exist(db):
    team = make_team()
    cohort = team.participant.cohort
    element = elements(team.participant, 1)[0]
    record_rating(team.participant, element, 2, by=team.assessor)
    used = element.framework
    with pytest.raises(DomainError, match="cannot be removed"):
        remove_cohort_framework(cohort, used, actor=None)
    spare = next(f for f in cohort.frameworks if f.id != used.id)
    remove_cohort_framework(cohort, spare, actor=None)  # nothing recorded on it
    with pytest.raises(DomainError, match="Ratings have been recorded"):
        add_cohort_framework(cohort, spare, actor=None)


def test_another_version_of_a_framework_in_use_is_refused(db):
    cohort = factories.make_cohort("Versions", with_frameworks=False)
    (current,) = cohort.frameworks
    with pytest.raises(DomainError, match="already uses"):
        add_cohort_framework(cohort, current, actor=None)


def test_participant_details_are_corrected_and_the_audit_keeps_the_old_values(client, login, coordinator):
    participant = factories.make_participant(team="Old team", swe_number="SW1")
    login(coordinator)
    url = f"/participants/{participant.id}/details"
    page = client.get(url).get_data(as_text=True)
    assert "Old team" in page
    data = {
        "name": "Corrected Name",
        "email": "Corrected@Example.org",
        "team": "New team",
        "swe_number": "sw 99",
        "employment_type": "agency",
    }
    assert client.post_form(url, data).status_code == 302
    assert (participant.name, participant.user.email, participant.team, participant.swe_number) == (
        "Corrected Name",
        "corrected@example.org",
        "New team",
        "SW99",
    )
    event = _last_audit(participant.id)
    assert event.before["team"] == "Old team"
    assert event.after["team"] == "New team"
    assert event.before["employment_type"] == "Permanent"
    assert event.after["employment_type"] == "Agency"
    audit = client.get("/audit/").get_data(as_text=True)
    assert "Old team" in audit
    assert "New team" in audit


def _last_audit(participant_id: int) -> AuditEvent:
    return db.session.scalar(
        sa.select(AuditEvent)
        .where(AuditEvent.participant_id == participant_id, AuditEvent.action == "participant.details_changed")
        .order_by(AuditEvent.id.desc())
    )


def test_an_email_already_used_is_refused(client, login, coordinator):
    participant = factories.make_participant()
    login(coordinator)
    data = {"name": "X", "email": coordinator.email, "team": "", "swe_number": "", "employment_type": "permanent"}
    response = client.post_form(f"/participants/{participant.id}/details", data)
    assert response.status_code == 400
    assert "Another account already uses" in response.get_data(as_text=True)


def test_the_cohort_table_shows_a_future_assessor_and_a_pauses_expected_return(client, login, coordinator):
    cohort = factories.make_cohort("Table", today() - timedelta(days=30))
    later = factories.make_participant(cohort, start=today() - timedelta(days=30))
    assessor = factories.make_user({"mentor"}, name="Future Assessor")
    starts = today() + timedelta(days=20)
    factories.assign(later, assessor, "assessor", starts_on=starts)
    paused = factories.make_participant(cohort, start=today() - timedelta(days=30))
    back = today() + timedelta(days=60)
    pause(paused, actor=coordinator, reason=PauseReason.SICKNESS, starts_on=today(), expected_end=back)
    login(coordinator)
    page = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert f"from {starts.day} {starts:%B %Y}: Future Assessor" in page
    assert f"expected back {back.day} {back:%B %Y}" in page
    person = client.get(f"/participants/{paused.id}").get_data(as_text=True)
    assert f"expected back {back.day} {back:%B %Y}" in person
