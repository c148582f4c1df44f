"""`load-frameworks` on a database loaded from the previous release's files (tests/frameworks/previous_data)."""

import json
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from academy.assessment.models import Rating
from academy.audit.models import AuditEvent
from academy.cohorts import services as cohort_services
from academy.frameworks import loader, services
from academy.frameworks.loader import find_framework, shipped_framework_files
from academy.frameworks.models import ElementMapping, Framework, MappingKind
from tests import factories
from tests.frameworks.test_shipped import PREVIOUS_DATA

CODES = {"CF_KSS_2018": "2018", "PCF_2018": "2018", "SWE_PS_2019": "2019"}


def snapshot(framework: Framework) -> list[tuple]:
    return [
        (e.id, e.number, e.parent.number if e.parent else None, e.title, e.description, e.level, e.sort_order)
        for e in framework.elements
    ]


def shipped(code: str) -> dict:
    return next(
        data
        for data in (json.loads(p.read_text(encoding="utf-8")) for p in shipped_framework_files())
        if data["code"] == code
    )


def flat(items: list[dict], parent: str | None = None) -> list[tuple]:
    result = []
    for item in items:
        result.append((item["number"], parent, item["title"], item["description"], item["level"]))
        result += flat(item["children"], item["number"])
    return result


@pytest.fixture
def previous_release(db, monkeypatch, tmp_path, coordinator):
    """A database loaded by the previous release, with a cohort on its versions and a rating recorded."""
    monkeypatch.setattr(loader, "DATA_DIR", PREVIOUS_DATA)
    monkeypatch.setattr(loader, "MAPPINGS_DIR", tmp_path / "no-mappings")
    cohort = factories.make_cohort("September 2026 intake")
    monkeypatch.undo()
    old = {code: find_framework(code, version) for code, version in CODES.items()}
    assert [len(f.elements) for f in old.values()] == [5, 19, 21]
    participant = factories.make_participant(cohort)
    db.session.add(
        Rating(
            participant_id=participant.id,
            element_id=next(e for e in old["CF_KSS_2018"].elements if e.number == "1").id,
            programme_year=1,
            value=2,
            rated_by_id=coordinator.id,
            rated_at=datetime(2026, 10, 1, tzinfo=UTC),
        )
    )
    db.session.flush()
    return cohort, old


def test_load_frameworks_adds_a_new_version_of_each_changed_framework(runner, db, previous_release):
    cohort, old = previous_release
    before = {code: snapshot(f) for code, f in old.items()}
    result = runner.invoke(args=["academy", "load-frameworks"])
    assert result.exit_code == 0, result.output
    assert "Loaded CF_KSS_2018 2018.1: 10 elements (a new version of 2018, which stays as it is)" in result.output
    assert "Loaded PCF_2018 2018.1: 21 elements (a new version of 2018, which stays as it is)" in result.output
    assert "Loaded SWE_PS_2019 2019.1: 21 elements (a new version of 2019, which stays as it is)" in result.output
    db.session.expire_all()
    for code, version in CODES.items():
        previous = find_framework(code, version)
        assert snapshot(previous) == before[code]  # never edited
        new = find_framework(code, f"{version}.1")
        assert new.previous_version_id == previous.id
        data = shipped(code)
        assert [
            (e.number, e.parent.number if e.parent else None, e.title, e.description, e.level) for e in new.elements
        ] == flat(data["elements"])
        assert new.notes == data["notes"]
    # The cohort stays on the versions it was created with, and its rating keeps its element.
    assert {link.framework_id for link in cohort.framework_links} == {f.id for f in old.values()}
    assert cohort_services.cohort_records_on(cohort, old["CF_KSS_2018"]) == 1
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "framework.version_created")).all()
    assert len(events) == 3


def test_ratings_on_the_old_version_carry_over_by_number(runner, db, previous_release):
    _, old = previous_release
    runner.invoke(args=["academy", "load-frameworks"])
    for code, version in CODES.items():
        new = find_framework(code, f"{version}.1")
        carry = {o.number: [t.number for t in targets] for o, targets in services.rating_carry_over(old[code], new)}
        expected = {e.number: [e.number] for e in old[code].elements}
        if code == "SWE_PS_2019":  # 2.1-2.3 are now rated as group 2
            expected.update({"2.1": ["2"], "2.2": ["2"], "2.3": ["2"]})
        assert carry == expected, code


def test_the_default_mapping_joins_the_new_versions_only(runner, db, previous_release):
    _, old = previous_release
    runner.invoke(args=["academy", "load-frameworks"])
    kss, pcf = find_framework("CF_KSS_2018", "2018.1"), find_framework("PCF_2018", "2018.1")
    assert services.mappings_between(old["CF_KSS_2018"], old["PCF_2018"]) == []
    cross = services.mappings_between(kss, pcf)
    assert {m.kind for m in cross} == {MappingKind.CROSS}
    assert {m.from_element.number for m in cross} == {str(n) for n in range(1, 11)}


def test_running_it_again_changes_nothing(runner, db, previous_release):
    runner.invoke(args=["academy", "load-frameworks"])
    counts = (
        db.session.scalar(sa.select(sa.func.count(Framework.id))),
        db.session.scalar(sa.select(sa.func.count(ElementMapping.id))),
        db.session.scalar(sa.select(sa.func.count(AuditEvent.id))),
    )
    again = runner.invoke(args=["academy", "load-frameworks"])
    assert again.exit_code == 0
    assert again.output == "All shipped frameworks are already loaded.\n"
    assert counts == (
        db.session.scalar(sa.select(sa.func.count(Framework.id))),
        db.session.scalar(sa.select(sa.func.count(ElementMapping.id))),
        db.session.scalar(sa.select(sa.func.count(AuditEvent.id))),
    )
    assert counts[0] == 6


def test_a_version_number_taken_by_a_coordinator_edit_is_skipped(runner, db, previous_release):
    _, old = previous_release
    kss = old["CF_KSS_2018"]
    edited, _ = services.edit_element(kss.elements[0], "Relationships (our wording)", "", None)
    assert edited.version == "2018.1"
    result = runner.invoke(args=["academy", "load-frameworks"])
    assert "Loaded CF_KSS_2018 2018.2: 10 elements (a new version of 2018" in result.output
    assert next(e.title for e in edited.elements) == "Relationships (our wording)"
    assert find_framework("CF_KSS_2018", "2018.2").previous_version_id == kss.id


def test_a_coordinators_edit_of_an_unused_shipped_version_does_not_bring_the_file_back(runner, db):
    runner.invoke(args=["academy", "load-frameworks"])
    swe = find_framework("SWE_PS_2019", "2019")
    assert not services.is_frozen(swe)
    framework, _ = services.edit_element(swe.elements[0], swe.elements[0].title, "Our local wording.", None)
    assert framework.id == swe.id  # changed in place
    again = runner.invoke(args=["academy", "load-frameworks"])
    assert again.output == "All shipped frameworks are already loaded.\n"
    assert [f.version for f in services.versions_of("SWE_PS_2019")] == ["2019"]
