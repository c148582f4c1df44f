"""Framework files are capped like cohort files: lines, cell length, elements, nesting; each refusal says
which cap, and writes nothing. A CSV the app exported (formulas quoted) reads back as it was."""

import json

import pytest

from academy.frameworks.transfer import CONTROL_CHARACTERS, MAX_DEPTH, import_framework
from tests.frameworks.test_transfer import GOOD_CSV, META, refused

HEADER = "number,parent_number,title,description,level\r\n"


def element(number: int, children: list | None = None) -> dict:
    return {
        "number": str(number),
        "title": f"Element {number}",
        "description": "",
        "level": None,
        "children": children or [],
    }


def document(elements: list) -> bytes:
    return json.dumps({**META, "source": "A source", "notes": None, "elements": elements}).encode()


def test_100000_deep_json_is_refused_with_a_message(db):
    deep = b'{"elements": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    assert refused(db, deep, "json") == [
        f"$: Elements are nested more than {MAX_DEPTH} levels deep; a framework has a few levels at most."
    ]


def test_elements_nested_past_the_cap_are_refused(db):
    tree: list = []
    for number in range(MAX_DEPTH + 5, 0, -1):
        tree = [element(number, tree)]
    problems = refused(db, document(tree), "json")
    assert any("nested more than 20 levels deep" in problem for problem in problems)


def test_too_many_json_elements_are_refused(db, app, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_ROWS", 10)
    problems = refused(db, document([element(n) for n in range(1, 12)]), "json")
    assert problems == ["$.elements: The framework has more than 10 elements."]


@pytest.mark.parametrize("length", [5001, 131_073])
def test_a_csv_cell_past_the_cap_is_refused(db, length):
    text = HEADER + f"1,,Title,{'x' * length},\r\n"
    assert refused(db, text.encode()) == [
        "Line 2: A value on line 2 is longer than 5,000 characters, the most one cell may hold."
    ]


def test_a_csv_past_the_line_cap_is_refused(db, app, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_ROWS", 3)
    text = HEADER + "".join(f"{n},,Element {n},,\r\n" for n in range(1, 5))
    assert refused(db, text.encode()) == [
        "Line 5: The file has more than 3 lines of data. Split it into files of 3 lines or fewer and upload each."
    ]


def test_a_quoted_formula_in_an_exported_csv_reads_back_as_typed(db):
    text = GOOD_CSV + "3,,'=SUM(A1),'- a bullet point,\r\n"
    framework = import_framework(text.encode(), "csv", META, actor=None)
    last = framework.elements[-1]
    assert (last.title, last.description) == ("=SUM(A1)", "- a bullet point")


def test_a_json_file_with_control_characters_is_refused_with_a_message(db):
    # PostgreSQL refuses a NUL in text outright; the file is refused before anything reaches the database.
    problems = refused(
        db, json.dumps({**META, "code": "\u0000", "source": "A source", "elements": []}).encode(), "json"
    )
    assert problems == ["$: " + CONTROL_CHARACTERS]


def test_a_csv_file_with_control_characters_is_refused_with_its_line(db):
    text = HEADER + "1,,Title,,\r\n2,,Ti\x00tle,,\r\n"
    assert refused(db, text.encode()) == ["Line 3: " + CONTROL_CHARACTERS]
