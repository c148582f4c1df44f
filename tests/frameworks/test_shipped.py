"""The shipped framework files: counts and exact titles checked by hand against their sources."""

import json

import sqlalchemy as sa

from academy.frameworks.loader import find_framework, load_shipped_frameworks, shipped_framework_files
from academy.frameworks.models import ElementMapping, Framework
from academy.frameworks.transfer import parse_json


def titles(framework: Framework, top_level_only: bool = True) -> dict[str, str]:
    return {e.number: e.title for e in framework.elements if not top_level_only or e.parent is None}


def test_kss_statements_confirmed_from_sources(db):
    load_shipped_frameworks()
    kss = find_framework("CF_KSS_2018", "2018")
    # Five of the ten statements were confirmed (Warrington mapping, RiP KSS-3 and KSS-9, CC Inform KSS 6, 7).
    assert titles(kss) == {
        "1": "Relationships and effective direct work",
        "3": "Child development",
        "6": "Child and family assessment",
        "7": "Analysis, decision-making, planning and review",
        "9": "The role of supervision",
    }
    assert kss.publisher == "Department for Education"
    assert str(kss.valid_to) == "2027-03-31"
    assert "LEFT OUT: statements 2, 4, 5, 8 and 10" in kss.notes


def test_pcf_domains_and_social_worker_statements(db):
    load_shipped_frameworks()
    pcf = find_framework("PCF_2018", "2018")
    assert titles(pcf) == {
        "1": "Professionalism",
        "2": "Values and Ethics",
        "3": "Diversity and Equality",
        "4": "Rights, Justice and Economic Wellbeing",
        "5": "Knowledge",
        "6": "Critical Reflection and Analysis",
        "9": "Professional Leadership",
    }
    statements = [e for e in pcf.elements if e.parent is not None]
    assert len(statements) == 12  # six each under domains 2 and 9 (BASW social worker level pages)
    assert {e.level for e in statements} == {"social_worker"}
    by_number = titles(pcf, top_level_only=False)
    assert by_number["9.sw.3"] == "Contribute to the learning of others, including social work students and ASYE"
    assert by_number["9.sw.4"] == "May undertake Practice Educator training"
    assert "LEFT OUT: domains 7 and 8" in pcf.notes


def test_swe_standards_groups_and_numbered_standards(db):
    load_shipped_frameworks()
    swe = find_framework("SWE_PS_2019", "2019")
    assert titles(swe) == {
        "1": "Promote the rights, strengths and wellbeing of people, families and communities",
        "2": "Establish and maintain the trust and confidence of people",
        "4": "Maintain my continuing professional development",
    }
    children = {e.parent.number: [] for e in swe.elements if e.parent is not None}
    for e in swe.elements:
        if e.parent is not None:
            children[e.parent.number].append(e.number)
    assert children == {
        "1": ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7"],
        "2": ["2.1", "2.2", "2.3"],
        "4": ["4.1", "4.2", "4.3", "4.4", "4.5", "4.6", "4.7", "4.8"],
    }
    by_number = titles(swe, top_level_only=False)
    assert by_number["1.1"] == "Value each person as an individual, recognising their strengths and abilities."
    assert by_number["2.1"] == "Be open, honest, reliable and fair."
    assert "LEFT OUT: groups 3, 5 and 6" in swe.notes


def test_shipped_files_follow_the_documented_format(db):
    for path in shipped_framework_files():
        parsed = parse_json(path.read_bytes())  # raises FrameworkFileError listing any problem
        assert parsed.metadata["source"].strip()
        assert json.loads(path.read_text(encoding="utf-8"))["code"] == parsed.metadata["code"]


def test_no_default_cross_mapping_is_shipped(db):
    load_shipped_frameworks()
    assert db.session.scalar(sa.select(sa.func.count(ElementMapping.id))) == 0


def test_load_frameworks_command_twice_changes_nothing(runner, db):
    first = runner.invoke(args=["academy", "load-frameworks"])
    assert first.exit_code == 0, first.output
    assert "Loaded CF_KSS_2018 2018: 5 elements" in first.output
    assert "Loaded PCF_2018 2018: 19 elements" in first.output
    assert "Loaded SWE_PS_2019 2019: 21 elements" in first.output
    count = db.session.scalar(sa.select(sa.func.count(Framework.id)))
    second = runner.invoke(args=["academy", "load-frameworks"])
    assert second.exit_code == 0
    assert "All shipped frameworks are already loaded." in second.output
    assert db.session.scalar(sa.select(sa.func.count(Framework.id))) == count == 3
