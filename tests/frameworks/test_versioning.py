"""Frozen frameworks, editing into new versions, version and cross mappings, moving cohorts."""

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from academy.assessment.models import Rating
from academy.assessment.services.ratings import current_ratings
from academy.audit.models import AuditEvent
from academy.cohorts import moves
from academy.cohorts import queries as cohort_queries
from academy.core.errors import DomainError
from academy.frameworks import services
from academy.frameworks.loader import find_framework
from academy.frameworks.models import ElementMapping, MappingKind
from tests import factories

KSS_NUMBERS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]


def element(framework, number):
    return next(e for e in framework.elements if e.number == number)


@pytest.fixture
def kss_in_use(db):
    cohort = factories.make_cohort("September 2026 intake")
    return cohort, find_framework("CF_KSS_2018", "2018")


def test_framework_used_by_a_cohort_is_frozen(db, kss_in_use):
    cohort, kss = kss_in_use
    assert services.is_frozen(kss)
    assert cohort_queries.cohorts_using(kss) == [cohort]


def test_editing_a_frozen_framework_makes_a_new_version_and_the_cohort_stays(db, kss_in_use, coordinator):
    cohort, kss = kss_in_use
    old = element(kss, "3")
    new_framework, edited = services.edit_element(old, "Child development (edited)", "Local note", coordinator)
    assert new_framework.id != kss.id
    assert (new_framework.code, new_framework.version, new_framework.previous_version_id) == (
        "CF_KSS_2018",
        "2018.1",
        kss.id,
    )
    assert old.title == "Child development"  # the old version is untouched
    assert (edited.number, edited.title, edited.description) == ("3", "Child development (edited)", "Local note")
    assert [e.number for e in new_framework.elements] == KSS_NUMBERS
    assert [link.framework_id for link in cohort.framework_links if link.framework.code == "CF_KSS_2018"] == [kss.id]
    assert not services.is_frozen(new_framework)
    # One version mapping per copied element, old -> new.
    carry = services.rating_carry_over(kss, new_framework)
    assert [(o.number, [t.number for t in targets]) for o, targets in carry] == [(n, [n]) for n in KSS_NUMBERS]
    actions = db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-2:] == ["framework.version_created", "framework.element_edited"]


def test_a_second_edit_of_the_old_version_makes_the_next_version(db, kss_in_use):
    _, kss = kss_in_use
    first, _ = services.edit_element(element(kss, "1"), "First edit", "", None)
    second, _ = services.edit_element(element(kss, "1"), "Second edit", "", None)
    assert (first.version, second.version) == ("2018.1", "2018.2")


def test_editing_an_unused_framework_changes_it_in_place(db):
    factories.frameworks()
    swe = find_framework("SWE_PS_2019", "2019")
    assert not services.is_frozen(swe)
    framework, edited = services.edit_element(element(swe, "4.1"), "Feedback from many sources", "", None)
    assert framework.id == swe.id
    assert edited.title == "Feedback from many sources"


def test_empty_title_is_refused(db, kss_in_use):
    _, kss = kss_in_use
    with pytest.raises(DomainError, match="Enter a title"):
        services.edit_element(element(kss, "1"), "  ", "", None)


def test_removing_an_element_of_a_frozen_framework_leaves_it_out_of_the_new_version(db, kss_in_use):
    _, kss = kss_in_use
    new_framework = services.remove_element(element(kss, "9"), None)
    assert [e.number for e in new_framework.elements] == [n for n in KSS_NUMBERS if n != "9"]
    assert [e.number for e in kss.elements] == KSS_NUMBERS
    carry = {o.number: [t.number for t in targets] for o, targets in services.rating_carry_over(kss, new_framework)}
    assert carry["9"] == []  # not carried over


def test_adding_an_element_to_a_frozen_framework(db, kss_in_use):
    _, kss = kss_in_use
    new_framework, _added = services.add_element(kss, element(kss, "1"), "1.1", "Direct work", "", None, None)
    assert new_framework.id != kss.id
    assert [(e.number, e.parent.number if e.parent else None) for e in new_framework.elements] == [
        ("1", None),
        ("1.1", "1"),
        *[(n, None) for n in KSS_NUMBERS[1:]],
    ]
    with pytest.raises(DomainError, match="already used"):
        services.add_element(new_framework, None, "1.1", "Again", "", None, None)


def test_removing_from_an_unused_framework_removes_the_subtree(db):
    factories.frameworks()
    swe = find_framework("SWE_PS_2019", "2019")
    framework = services.remove_element(element(swe, "4"), None)
    assert framework.id == swe.id
    assert [e.number for e in swe.elements if e.number.startswith("4")] == []


def test_cross_mappings_show_evidence_against_mapped_elements(db):
    factories.frameworks()
    kss, pcf = find_framework("CF_KSS_2018", "2018"), find_framework("PCF_2018", "2018")
    statement1, diversity, leadership = element(kss, "1"), element(pcf, "3"), element(pcf, "9")
    default = services.mapped_elements([statement1.id])  # the shipped default: domains 2, 5 and 7
    assert default == {element(pcf, n).id for n in ("2", "5", "7")}
    services.add_mapping(MappingKind.CROSS, statement1, diversity, None)
    services.add_mapping(MappingKind.CROSS, statement1, leadership, None)
    assert services.mapped_elements([statement1.id]) == default | {diversity.id, leadership.id}
    assert element(kss, "1").id in services.mapped_elements([leadership.id])  # either direction
    assert services.mapped_elements([]) == set()
    with pytest.raises(DomainError, match="already mapped"):
        services.add_mapping(MappingKind.CROSS, statement1, diversity, None)
    mapping = db.session.scalars(
        sa.select(ElementMapping).filter_by(from_element_id=statement1.id, to_element_id=diversity.id)
    ).one()
    services.remove_mapping(mapping, None)
    assert services.mapped_elements([statement1.id]) == default | {leadership.id}


def test_cross_mappings_are_copied_into_a_new_version(db, kss_in_use):
    _, kss = kss_in_use
    pcf = find_framework("PCF_2018", "2018")
    services.add_mapping(MappingKind.CROSS, element(kss, "1"), element(pcf, "9"), None)
    new_framework, _copies = services.copy_as_new_version(kss, None)
    new_statement = element(new_framework, "1")
    assert services.mapped_elements([new_statement.id]) == {element(pcf, n).id for n in ("2", "5", "7", "9")}
    assert services.mapped_elements([element(kss, "1").id], kinds=(MappingKind.VERSION,)) == {new_statement.id}


def test_moving_a_cohort_without_records_to_the_new_version(db, kss_in_use, coordinator):
    cohort, kss = kss_in_use
    new_framework, _ = services.edit_element(element(kss, "1"), "Edited", "", None)
    moves.move_cohort(cohort, kss, new_framework, coordinator)
    assert new_framework.id in {link.framework_id for link in cohort.framework_links}
    assert kss.id not in {link.framework_id for link in cohort.framework_links}
    assert not services.is_frozen(kss)
    assert services.is_frozen(new_framework)


def test_a_cohort_with_ratings_moves_with_them(db, kss_in_use, coordinator):
    cohort, kss = kss_in_use
    participant = factories.make_participant(cohort)
    db.session.add(
        Rating(
            participant_id=participant.id,
            element_id=element(kss, "1").id,
            programme_year=1,
            value=1,
            rated_by_id=coordinator.id,
            rated_at=datetime(2026, 10, 1, tzinfo=UTC),
        )
    )
    db.session.flush()
    new_framework, _ = services.edit_element(element(kss, "1"), "Edited", "", None)
    with pytest.raises(DomainError, match="does not use"):
        moves.move_cohort(cohort, new_framework, kss, coordinator)
    moves.move_cohort(cohort, kss, new_framework, coordinator)
    assert kss.id not in {link.framework_id for link in cohort.framework_links}
    assert current_ratings(participant, 1)[element(new_framework, "1").id].value == 1
