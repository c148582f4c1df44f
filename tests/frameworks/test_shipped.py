"""The shipped framework files: complete heading lists, our own descriptions, the default KSS-to-PCF mapping."""

import json
import re
from pathlib import Path

import sqlalchemy as sa

from academy.frameworks.loader import (
    find_framework,
    load_shipped_frameworks,
    mapping_problems,
    shipped_framework_files,
    shipped_mapping_files,
)
from academy.frameworks.models import ElementMapping, Framework, MappingKind
from academy.frameworks.transfer import parse_json

PREVIOUS_DATA = Path(__file__).parent / "previous_data"
RUN = 6  # this many words in a row from a published text would be copying


def titles(framework: Framework, top_level_only: bool = True) -> dict[str, str]:
    return {e.number: e.title for e in framework.elements if not top_level_only or e.parent is None}


def test_kss_has_all_ten_statements(db):
    load_shipped_frameworks()
    kss = find_framework("CF_KSS_2018", "2018")
    assert titles(kss) == {
        "1": "Relationships and effective direct work",
        "2": "Communication",
        "3": "Child development",
        "4": "Adult mental ill health, substance misuse, domestic violence, physical ill health and disability",
        "5": "Abuse and neglect of children",
        "6": "Child and family assessment",
        "7": "Analysis, decision-making, planning and review",
        "8": "The law and the family and youth justice systems",
        "9": "The role of supervision and research",
        "10": "Organisational context",
    }
    assert len(kss.elements) == 10
    assert kss.publisher == "Department for Education"
    assert str(kss.valid_to) == "2027-03-31"


def test_pcf_has_all_nine_domains_and_social_worker_statements_in_our_words(db):
    load_shipped_frameworks()
    pcf = find_framework("PCF_2018", "2018")
    assert titles(pcf) == {
        "1": "Professionalism",
        "2": "Values and Ethics",
        "3": "Diversity and Equality",
        "4": "Rights, Justice and Economic Wellbeing",
        "5": "Knowledge",
        "6": "Critical Reflection and Analysis",
        "7": "Skills and Interventions",
        "8": "Contexts and Organisations",
        "9": "Professional Leadership",
    }
    statements = [e for e in pcf.elements if e.parent is not None]
    assert [e.number for e in statements] == [f"{d}.sw.{n}" for d in (2, 9) for n in range(1, 7)]
    assert {e.level for e in statements} == {"social_worker"}
    assert all(len(e.title.split()) <= 6 for e in statements)  # short titles, not the published statements
    assert len(pcf.elements) == 21


def test_swe_has_all_six_groups(db):
    load_shipped_frameworks()
    swe = find_framework("SWE_PS_2019", "2019")
    assert titles(swe) == {
        "1": "Promote the rights, strengths and wellbeing of people, families and communities",
        "2": "Establish and maintain the trust and confidence of people",
        "3": "Be accountable for the quality of my practice and the decisions I make",
        "4": "Maintain my continuing professional development",
        "5": "Act safely, respectfully and with professional integrity",
        "6": "Promote ethical practice and report concerns",
    }
    children: dict[str, list[str]] = {}
    for e in swe.elements:
        if e.parent is not None:
            children.setdefault(e.parent.number, []).append(e.number)
    assert children == {"1": [f"1.{n}" for n in range(1, 8)], "4": [f"4.{n}" for n in range(1, 9)]}
    assert all(len(e.title.split()) <= 6 for e in swe.elements if e.parent is not None)
    assert len(swe.elements) == 21


def test_every_element_has_a_short_description_of_its_own(db):
    for path in shipped_framework_files():
        framework = parse_json(path.read_bytes())
        for row in framework.elements:
            assert row.description, f"{path.name} {row.number} has no description"
            sentences = [s for s in re.split(r"(?<=[.!?])\s+", row.description) if s]
            assert len(sentences) <= 2, f"{path.name} {row.number}: {row.description}"
            assert row.description.endswith(".")


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower().replace("\u2019", "'"))


def runs(text: str) -> set[tuple[str, ...]]:
    w = words(text)
    return {tuple(w[i : i + RUN]) for i in range(len(w) - RUN + 1)}


def published_texts() -> list[str]:
    """The published wording the previous release shipped: statements and headlines, not heading names."""
    texts = []

    def walk(items, top):
        for item in items:
            if item["description"]:
                texts.append(item["description"])
            if not top:
                texts.append(item["title"])
            walk(item["children"], False)

    for path in sorted(PREVIOUS_DATA.glob("*.json")):
        walk(json.loads(path.read_text(encoding="utf-8"))["elements"], True)
    return texts


def test_no_published_wording_is_shipped(db):
    published = published_texts()
    assert len(published) > 30  # the PCF headlines and statements, the SWE numbered standards
    copied = set().union(*(runs(text) for text in published))
    for path in shipped_framework_files():
        parsed = parse_json(path.read_bytes())
        for row in parsed.elements:
            ours = [row.description] + ([row.title] if row.parent_number else [])
            for text in ours:
                assert text not in published, f"{path.name} {row.number} is the published text"
                assert not runs(text) & copied, f"{path.name} {row.number} copies {runs(text) & copied}"


def test_notes_keep_sources_and_leave_out_no_gaps_or_local_paths(db):
    for path in shipped_framework_files():
        data = json.loads(path.read_text(encoding="utf-8"))
        assert "https://" in data["source"]
        assert "LEFT OUT" not in data["notes"]
        assert "/work/" not in data["notes"]
        assert "/home/" not in data["notes"]


def test_shipped_files_follow_the_documented_format(db):
    for path in shipped_framework_files():
        parsed = parse_json(path.read_bytes())  # raises FrameworkFileError listing any problem
        assert parsed.metadata["source"].strip()
        assert json.loads(path.read_text(encoding="utf-8"))["code"] == parsed.metadata["code"]


def mapping_file() -> dict:
    [path] = shipped_mapping_files()
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_default_mapping_file_maps_every_kss_statement_to_a_pcf_domain(db):
    data = mapping_file()
    assert (data["from_code"], data["to_code"]) == ("CF_KSS_2018", "PCF_2018")
    assert "not a Department for Education" in data["notes"]
    load_shipped_frameworks()
    kss, pcf = find_framework("CF_KSS_2018", "2018"), find_framework("PCF_2018", "2018")
    assert mapping_problems(data, kss, pcf) == []
    domains = {e.number for e in pcf.elements if e.parent is None}
    by_statement = {row["from"]: row["to"] for row in data["mappings"]}
    assert set(by_statement) == {e.number for e in kss.elements}
    for statement, targets in by_statement.items():
        assert targets, statement
        assert set(targets) <= domains, statement
    assert {row["from"]: row["from_title"] for row in data["mappings"]} == titles(kss)


def test_the_default_mapping_is_loaded(db):
    load_shipped_frameworks()
    kss, pcf = find_framework("CF_KSS_2018", "2018"), find_framework("PCF_2018", "2018")
    rows = db.session.scalars(sa.select(ElementMapping)).all()
    assert {m.kind for m in rows} == {MappingKind.CROSS}
    loaded = {(m.from_element.number, m.to_element.number) for m in rows}
    assert {m.from_element.framework_id for m in rows} == {kss.id}
    assert {m.to_element.framework_id for m in rows} == {pcf.id}
    assert loaded == {(row["from"], to) for row in mapping_file()["mappings"] for to in row["to"]}


def test_a_mapping_file_naming_unknown_elements_is_reported(db):
    load_shipped_frameworks()
    kss, pcf = find_framework("CF_KSS_2018", "2018"), find_framework("PCF_2018", "2018")
    bad = {"mappings": [{"from": "11", "to": ["2"]}, {"from": "1", "to": ["12"]}, {"from": 1}]}
    assert mapping_problems(bad, kss, pcf) == [
        "mappings[0]: CF_KSS_2018 has no element 11.",
        "mappings[1]: PCF_2018 has no element 12.",
        "mappings[2]: needs 'from' (a number) and 'to' (a list of numbers).",
    ]


def test_load_frameworks_command_twice_changes_nothing(runner, db):
    first = runner.invoke(args=["academy", "load-frameworks"])
    assert first.exit_code == 0, first.output
    assert "Loaded CF_KSS_2018 2018: 10 elements" in first.output
    assert "Loaded PCF_2018 2018: 21 elements" in first.output
    assert "Loaded SWE_PS_2019 2019: 21 elements" in first.output
    links = sum(len(row["to"]) for row in mapping_file()["mappings"])
    assert f"Added {links} default cross-mapping links." in first.output
    count = db.session.scalar(sa.select(sa.func.count(Framework.id)))
    second = runner.invoke(args=["academy", "load-frameworks"])
    assert second.exit_code == 0
    assert second.output == "All shipped frameworks are already loaded.\n"
    assert db.session.scalar(sa.select(sa.func.count(Framework.id))) == count == 3
    assert db.session.scalar(sa.select(sa.func.count(ElementMapping.id))) == links
