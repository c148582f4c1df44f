"""Import and export: round trips, and every kind of bad file refused whole with its line and column."""

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from academy.audit.models import AuditEvent
from academy.frameworks.loader import find_framework, load_shipped_frameworks
from academy.frameworks.models import Framework, FrameworkElement
from academy.frameworks.transfer import FrameworkFileError, export_csv, export_json, import_framework

META = {
    "code": "ECS_TEST",
    "name": "Early career standards (test copy)",
    "version": "2027",
    "publisher": "Synthetic publisher",
    "valid_from": "2027-04-01",
    "valid_to": "",
    "service_area": "child_family",
    "source": "",
}
GOOD_CSV = (
    "number,parent_number,title,description,level\r\n"
    "1,,Relationships and communication,,\r\n"
    '1.1,1,"Build relationships, with care","Two\nlines",\r\n'
    "2,,Assessment and planning,,\r\n"
    "2.1,2,Plan with families,,asye\r\n"
)


def framework_count(db) -> int:
    return db.session.scalar(sa.select(sa.func.count(Framework.id)))


def element_tuples(framework: Framework) -> list[tuple]:
    return [
        (e.number, e.parent.number if e.parent else None, e.title, e.description, e.level, e.sort_order)
        for e in framework.elements
    ]


def refused(db, data: bytes, file_format: str = "csv", metadata: dict | None = None) -> list[str]:
    before = framework_count(db)
    with pytest.raises(FrameworkFileError) as caught:
        import_framework(data, file_format, META if metadata is None else metadata, actor=None)
    assert framework_count(db) == before  # nothing written
    return [str(p) for p in caught.value.problems]


def test_csv_import_builds_the_tree(db):
    framework = import_framework(GOOD_CSV.encode(), "csv", META, actor=None)
    assert element_tuples(framework) == [
        ("1", None, "Relationships and communication", "", None, 1),
        ("1.1", "1", "Build relationships, with care", "Two\nlines", None, 2),
        ("2", None, "Assessment and planning", "", None, 3),
        ("2.1", "2", "Plan with families", "", "asye", 4),
    ]
    assert framework.valid_to is None
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "framework.imported")).one()
    assert event.subject_id == framework.id


def test_a_utf8_bom_is_tolerated(db):
    framework = import_framework(b"\xef\xbb\xbf" + GOOD_CSV.encode(), "csv", META, actor=None)
    assert len(framework.elements) == 4


@pytest.mark.parametrize("code", ["PCF_2018", "SWE_PS_2019", "CF_KSS_2018"])
def test_json_export_then_import_gives_an_identical_framework(db, code):
    load_shipped_frameworks()
    original = db.session.scalar(sa.select(Framework).where(Framework.code == code))
    exported = export_json(original)
    before = element_tuples(original)
    db.session.delete(original)
    db.session.flush()
    again = import_framework(exported.encode(), "json", None, actor=None)
    assert element_tuples(again) == before
    assert export_json(again) == exported


def test_csv_export_then_import_gives_the_same_elements(db):
    load_shipped_frameworks()
    pcf = find_framework("PCF_2018", "2018")
    exported = export_csv(pcf)
    assert exported.splitlines()[0] == "number,parent_number,title,description,level"
    copy = import_framework(exported.encode(), "csv", {**META, "code": "PCF_2018", "version": "copy"}, actor=None)
    assert element_tuples(copy) == element_tuples(pcf)
    assert export_csv(copy) == exported


def test_missing_number(db):
    data = b"number,parent_number,title,description,level\n1,,One,,\n,1,No number,,\n"
    assert refused(db, data) == ["Line 3, number: The number is missing."]


def test_duplicate_number(db):
    data = b"number,parent_number,title,description,level\n1,,One,,\n2,,Two,,\n1,,Again,,\n"
    assert refused(db, data) == ["Line 4, number: Number 1 is a duplicate: it is also on line 2."]


def test_unknown_parent_including_a_parent_that_comes_later(db):
    data = b"number,parent_number,title,description,level\n1.1,1,Child first,,\n1,,One,,\n2.1,9,Orphan,,\n"
    assert refused(db, data) == [
        "Line 2, parent_number: Unknown parent 1: no earlier element has that number.",
        "Line 4, parent_number: Unknown parent 9: no earlier element has that number.",
    ]


def test_empty_title(db):
    data = b"number,parent_number,title,description,level\n1,,   ,,\n"
    assert refused(db, data) == ["Line 2, title: The title is empty."]


def test_wrong_encoding(db):
    data = "number,parent_number,title,description,level\n1,,Caf\u00e9 practice,,\n".encode("cp1252")
    assert refused(db, data) == [
        "Line 2: The file is not UTF-8 (byte 52 is not valid UTF-8). "
        "Save it as 'CSV UTF-8' or UTF-8 text and try again."
    ]


def test_unknown_and_missing_columns(db):
    data = b"number,parent,title,description,level,colour\n1,,One,,,red\n"
    assert refused(db, data) == [
        "Line 1, parent: Unknown column.",
        "Line 1, colour: Unknown column.",
        "Line 1, parent_number: The column is missing.",
    ]


def test_every_problem_is_listed_with_spreadsheet_lines(db):
    # The quoted description spans two physical lines but is one spreadsheet row (line 3).
    data = (
        b"number,parent_number,title,description,level\n"
        b"1,,One,,\n"
        b'2,,,"first\nsecond",\n'
        b",1,Nameless,,\n"
        b"1,,Dup,,\n"
        b"3,7,Lost,,\n"
    )
    assert refused(db, data) == [
        "Line 3, title: The title is empty.",
        "Line 4, number: The number is missing.",
        "Line 5, number: Number 1 is a duplicate: it is also on line 2.",
        "Line 6, parent_number: Unknown parent 7: no earlier element has that number.",
    ]


def test_csv_details_are_checked_too(db):
    problems = refused(db, GOOD_CSV.encode(), metadata={**META, "code": "bad code", "valid_from": "1/4/2027"})
    assert problems == [
        "Details, code: Use upper-case letters, digits and _ only (40 at most), like CF_KSS_2018.",
        "Details, valid_from: '1/4/2027' is not a date in the form YYYY-MM-DD.",
    ]


def test_an_existing_code_and_version_is_refused(db):
    import_framework(GOOD_CSV.encode(), "csv", META, actor=None)
    assert refused(db, GOOD_CSV.encode()) == [
        "Details, version: ECS_TEST version 2027 is already loaded; give the import a new version."
    ]


def good_json() -> dict:
    return {
        "code": "ECS_JSON",
        "name": "Test standards",
        "publisher": "Synthetic publisher",
        "version": "1",
        "valid_from": "2027-04-01",
        "valid_to": None,
        "service_area": "all",
        "source": "Synthetic test data",
        "notes": "",
        "elements": [
            {
                "number": "1",
                "title": "One",
                "description": "",
                "level": None,
                "children": [{"number": "1.1", "title": "One one", "description": "", "level": None, "children": []}],
            },
            {"number": "2", "title": "Two", "description": "", "level": None, "children": []},
        ],
    }


def test_json_problems_are_listed_by_path(db):
    document = good_json()
    document["elements"][0]["children"].append(
        {"number": "1", "title": "", "description": "", "level": None, "children": []}
    )
    document["elements"][1]["number"] = ""
    del document["elements"][1]["level"]
    document["colour"] = "red"
    assert refused(db, json.dumps(document).encode(), "json") == [
        "$.colour, colour: Unknown key.",
        "$.elements[0].children[1].number, number: Number 1 is a duplicate: it is also on $.elements[0].",
        "$.elements[0].children[1].title, title: The title is empty.",
        "$.elements[1].level, level: The key is missing.",
        "$.elements[1].number, number: The number is missing.",
    ]


def test_json_that_does_not_parse(db):
    assert refused(db, b'{"code": "X",\n  "name": }', "json") == [
        "Line 2, character 11: This is not valid JSON: Expecting value."
    ]


def test_json_import_writes_a_tree(db):
    framework = import_framework(json.dumps(good_json()).encode(), "json", None, actor=None)
    assert [(e.number, e.parent.number if e.parent else None) for e in framework.elements] == [
        ("1", None),
        ("1.1", "1"),
        ("2", None),
    ]
    assert (
        db.session.scalar(
            sa.select(sa.func.count(FrameworkElement.id)).where(FrameworkElement.framework_id == framework.id)
        )
        == 3
    )


def test_cli_import_refuses_a_bad_file_with_exit_1(runner, db, tmp_path):
    path = tmp_path / "broken.csv"
    path.write_bytes(b"number,parent_number,title,description,level\n1,,,,\n1,,Dup,,\n")
    args = ["academy", "import-framework", str(path), "--code", "ECS_CLI", "--name", "CLI test", "--version", "1"]
    args += ["--publisher", "Synthetic", "--valid-from", "2027-04-01"]
    result = runner.invoke(args=args)
    assert result.exit_code == 1
    assert "Line 2, title: The title is empty." in result.output
    assert "Line 3, number: Number 1 is a duplicate: it is also on line 2." in result.output
    assert find_framework("ECS_CLI", "1") is None


def test_cli_import_and_export(runner, db, tmp_path):
    path = tmp_path / "ecs.csv"
    path.write_text(GOOD_CSV, encoding="utf-8", newline="")
    args = ["academy", "import-framework", str(path), "--code", "ECS_CLI", "--name", "CLI test", "--version", "1"]
    args += ["--publisher", "Synthetic", "--valid-from", "2027-04-01", "--service-area", "child_family"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "Imported ECS_CLI 1: 4 elements" in result.output
    out = tmp_path / "out.csv"
    exported = runner.invoke(args=["academy", "export-framework", "ECS_CLI", "1", "-o", str(out)])
    assert exported.exit_code == 0, exported.output
    assert out.read_bytes().decode("utf-8") == GOOD_CSV
    as_json = runner.invoke(args=["academy", "export-framework", "ECS_CLI", "1", "--format", "json"])
    assert json.loads(as_json.output)["elements"][0]["children"][0]["title"] == "Build relationships, with care"
    missing = runner.invoke(args=["academy", "export-framework", "NOPE", "1"])
    assert missing.exit_code == 1


DOCS = Path(__file__).resolve().parents[2] / "docs"
ECS_OPTIONS = [
    "--code", "CF_ECS_2026", "--name", "Child and family social worker early career standards",
    "--version", "2026", "--publisher", "Department for Education", "--valid-from", "2027-04-01",
    "--service-area", "child_family",
]  # fmt: skip


def audit_count(db) -> int:
    return db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))


def test_dry_run_of_a_good_file_writes_nothing(runner, db, tmp_path):
    path = tmp_path / "ecs.csv"
    path.write_text(GOOD_CSV, encoding="utf-8")
    before = (framework_count(db), audit_count(db))
    result = runner.invoke(args=["academy", "import-framework", str(path), *ECS_OPTIONS, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert result.output == "ecs.csv is valid: CF_ECS_2026 2026, 4 elements. Nothing was written (dry run).\n"
    assert (framework_count(db), audit_count(db)) == before


def test_dry_run_reports_every_problem_and_exits_1(runner, db, tmp_path):
    path = tmp_path / "broken.csv"
    path.write_text("number,parent_number,title,description,level\n1,,,,\n1,,Twice,,\n2.1,9,Orphan,,\n", "utf-8")
    before = (framework_count(db), audit_count(db))
    args = ["academy", "import-framework", str(path), *ECS_OPTIONS[:-4], "--valid-from", "1/4/2027", "--dry-run"]
    result = runner.invoke(args=args)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "broken.csv has 4 problem(s).",
        "  Details, valid_from: '1/4/2027' is not a date in the form YYYY-MM-DD.",
        "  Line 2, title: The title is empty.",
        "  Line 3, number: Number 1 is a duplicate: it is also on line 2.",
        "  Line 4, parent_number: Unknown parent 9: no earlier element has that number.",
    ]
    assert (framework_count(db), audit_count(db)) == before


@pytest.mark.parametrize("name", ["early-career-standards-example.csv", "early-career-standards-example.json"])
def test_the_documented_example_files_pass_a_dry_run(runner, db, name):
    path = DOCS / "examples" / name
    options = ECS_OPTIONS if name.endswith(".csv") else []
    result = runner.invoke(args=["academy", "import-framework", str(path), *options, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Nothing was written (dry run)." in result.output
    assert "EXAMPLE ONLY" in path.read_text(encoding="utf-8")
    assert framework_count(db) == 0


def test_dry_run_of_a_version_already_loaded_is_refused(runner, db, tmp_path):
    load_shipped_frameworks()
    data = json.loads((DOCS / "examples" / "early-career-standards-example.json").read_text(encoding="utf-8"))
    data.update(code="CF_KSS_2018", version="2018")
    path = tmp_path / "kss.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = runner.invoke(args=["academy", "import-framework", str(path), "--dry-run"])
    assert result.exit_code == 1
    assert "$.version, version: CF_KSS_2018 version 2018 is already loaded" in result.output
