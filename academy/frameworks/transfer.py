"""Importing and exporting a framework as CSV or JSON, in the format of docs/framework-format.md.

A file is checked whole before anything is written: every problem is collected with where it is (CSV
line as a spreadsheet shows it, header = line 1; or a JSON path) and the column or key, and the import
is refused if there is any.
"""

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import current_app

from academy.accounts.models import User
from academy.audit.services import record_audit
from academy.core.csvsafe import CsvLimits, CsvTooLarge, read_rows
from academy.core.forms import CONTROL
from academy.extensions import db
from academy.frameworks.loader import find_framework
from academy.frameworks.models import Framework, FrameworkElement
from academy.frameworks.services import LEVEL_PATTERN
from academy.programmes.models import ServiceArea

CSV_COLUMNS = ("number", "parent_number", "title", "description", "level")
ELEMENT_KEYS = ("number", "title", "description", "level", "children")
METADATA_KEYS = ("code", "name", "publisher", "version", "valid_from", "valid_to", "service_area", "source", "notes")
CODE_PATTERN = re.compile(r"^[A-Z0-9_]{1,40}$")
# Elements nest as deep as a framework ever does (domain, standard, statement, ...) and no deeper.
MAX_DEPTH = 20
TOO_DEEP = f"Elements are nested more than {MAX_DEPTH} levels deep; a framework has a few levels at most."


@dataclass(frozen=True)
class FileProblem:
    where: str  # "Line 4", "$.elements[2].title", "File"
    column: str  # CSV column or JSON key; "" when the whole line or file is at fault
    message: str

    def __str__(self) -> str:
        return f"{self.where}, {self.column}: {self.message}" if self.column else f"{self.where}: {self.message}"


class FrameworkFileError(Exception):
    """The file was refused; `problems` lists every problem found."""

    def __init__(self, problems: list[FileProblem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class ElementRow:
    number: str
    parent_number: str | None
    title: str
    description: str = ""
    level: str | None = None


@dataclass
class ParsedFramework:
    metadata: dict[str, Any]
    elements: list[ElementRow] = field(default_factory=list)


CONTROL_CHARACTERS = (
    "The file holds hidden control characters (they can come from copying text from another program). "
    "Remove them and try again."
)


def _holds_control_characters(document: Any) -> bool:
    """Whether any text in a parsed JSON document (keys too) holds a control character the database
    would refuse or a person could not see. Walked without recursion: nesting is checked afterwards."""
    stack = [document]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if CONTROL.search(value):
                return True
        elif isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return False


def _decode(data: bytes) -> tuple[str | None, list[FileProblem]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return None, [
            FileProblem(
                f"Line {line}",
                "",
                f"The file is not UTF-8 (byte {error.start + 1} is not valid UTF-8). "
                "Save it as 'CSV UTF-8' or UTF-8 text and try again.",
            )
        ]
    if (found := CONTROL.search(text)) is not None:
        return None, [FileProblem(f"Line {text[: found.start()].count(chr(10)) + 1}", "", CONTROL_CHARACTERS)]
    return text, []


def _check_element(
    where: str,
    columns: dict[str, str],
    row: ElementRow,
    seen: dict[str, str],
    problems: list[FileProblem],
) -> None:
    """The rules shared by CSV rows and JSON elements. `seen` maps number -> where it was first used."""
    if not row.number:
        problems.append(FileProblem(where, columns["number"], "The number is missing."))
    elif len(row.number) > 20:
        problems.append(FileProblem(where, columns["number"], "The number must be 20 characters or fewer."))
    elif row.number in seen:
        problems.append(
            FileProblem(
                where, columns["number"], f"Number {row.number} is a duplicate: it is also on {seen[row.number]}."
            )
        )
    if row.parent_number is not None and row.parent_number not in seen:
        problems.append(
            FileProblem(
                where,
                columns["parent_number"],
                f"Unknown parent {row.parent_number}: no earlier element has that number.",
            )
        )
    if not row.title:
        problems.append(FileProblem(where, columns["title"], "The title is empty."))
    elif len(row.title) > 300:
        problems.append(FileProblem(where, columns["title"], "The title must be 300 characters or fewer."))
    if row.level is not None and not LEVEL_PATTERN.match(row.level):
        problems.append(
            FileProblem(where, columns["level"], "The level must be empty or a code like asye or social_worker.")
        )
    if row.number and row.number not in seen:
        seen[row.number] = where.lower() if where.startswith("Line") else where


def parse_csv(data: bytes) -> list[ElementRow]:
    """The element rows of a CSV file; FrameworkFileError listing every problem if it is not valid."""
    text, problems = _decode(data)
    if text is None:
        raise FrameworkFileError(problems)
    try:
        records = read_rows(text, CsvLimits.from_config(current_app.config, "FRAMEWORK_IMPORT_MAX_FIELD_CHARS"))
    except CsvTooLarge as too_large:
        raise FrameworkFileError([FileProblem(f"Line {too_large.line}", "", too_large.message)]) from None
    if not records or not any(cell.strip() for cell in records[0]):
        raise FrameworkFileError([FileProblem("Line 1", "", "The header row is missing: " + ",".join(CSV_COLUMNS))])
    header = [cell.strip() for cell in records[0]]
    for name in header:
        if name not in CSV_COLUMNS:
            problems.append(FileProblem("Line 1", name or "(blank)", "Unknown column."))
    for name in CSV_COLUMNS:
        if name not in header:
            problems.append(FileProblem("Line 1", name, "The column is missing."))
    for name in {n for n in header if header.count(n) > 1}:
        problems.append(FileProblem("Line 1", name, "The column appears more than once."))
    if problems:
        raise FrameworkFileError(problems)
    index = {name: header.index(name) for name in CSV_COLUMNS}
    rows: list[ElementRow] = []
    seen: dict[str, str] = {}
    for line, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue  # a blank line
        where = f"Line {line}"
        if len(record) != len(header):
            problems.append(FileProblem(where, "", f"The line has {len(record)} values; the header has {len(header)}."))
            continue
        values = {name: record[i].strip() for name, i in index.items()}
        row = ElementRow(
            number=values["number"],
            parent_number=values["parent_number"] or None,
            title=values["title"],
            description=values["description"],
            level=values["level"] or None,
        )
        _check_element(where, {c: c for c in CSV_COLUMNS}, row, seen, problems)
        rows.append(row)
    if not rows and not problems:
        problems.append(FileProblem("Line 2", "", "The file has no elements."))
    if problems:
        raise FrameworkFileError(problems)
    return rows


def check_metadata(metadata: dict[str, Any], path: str = "$") -> list[FileProblem]:
    """Problems with a framework's code, name, version, dates, service area and source."""
    problems: list[FileProblem] = []

    def where(key: str) -> str:
        return f"{path}.{key}" if path else key

    def text(key: str) -> str | None:
        value = metadata.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            problems.append(FileProblem(where(key), key, "Must be text."))
            return None
        return value.strip()

    code = text("code")
    if not code:
        problems.append(FileProblem(where("code"), "code", "The code is missing."))
    elif not CODE_PATTERN.match(code):
        problems.append(
            FileProblem(
                where("code"), "code", "Use upper-case letters, digits and _ only (40 at most), like CF_KSS_2018."
            )
        )
    for key, label in (("name", "name"), ("publisher", "publisher"), ("version", "version"), ("source", "source")):
        value = text(key)
        if not value:
            problems.append(FileProblem(where(key), key, f"The {label} is missing."))
    limits = {"name": 300, "publisher": 200, "version": 40}
    for key, limit in limits.items():
        value = metadata.get(key)
        if isinstance(value, str) and len(value.strip()) > limit:
            problems.append(FileProblem(where(key), key, f"The {key} must be {limit} characters or fewer."))
    dates: dict[str, date] = {}
    for key, required in (("valid_from", True), ("valid_to", False)):
        value = metadata.get(key)
        if value in (None, ""):
            if required:
                problems.append(FileProblem(where(key), key, "The date is missing (YYYY-MM-DD)."))
            continue
        try:
            dates[key] = date.fromisoformat(value if isinstance(value, str) else "")
        except ValueError:
            problems.append(FileProblem(where(key), key, f"{value!r} is not a date in the form YYYY-MM-DD."))
    if "valid_from" in dates and "valid_to" in dates and dates["valid_to"] < dates["valid_from"]:
        problems.append(FileProblem(where("valid_to"), "valid_to", "The end date is before the start date."))
    area = metadata.get("service_area")
    if area not in {a.value for a in ServiceArea}:
        problems.append(
            FileProblem(where("service_area"), "service_area", "Must be one of child_family, adults or all.")
        )
    if metadata.get("notes") is not None and not isinstance(metadata.get("notes"), str):
        problems.append(FileProblem(where("notes"), "notes", "Must be text."))
    version = metadata.get("version")
    if code and isinstance(version, str) and version.strip() and find_framework(code, version.strip()) is not None:
        problems.append(
            FileProblem(
                where("version"),
                "version",
                f"{code} version {version.strip()} is already loaded; give the import a new version.",
            )
        )
    return problems


def parse_json(data: bytes) -> ParsedFramework:
    """Metadata and element rows (flattened, parents first) of a JSON file, or FrameworkFileError."""
    text, problems = _decode(data)
    if text is None:
        raise FrameworkFileError(problems)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise FrameworkFileError(
            [FileProblem(f"Line {error.lineno}", f"character {error.colno}", f"This is not valid JSON: {error.msg}.")]
        ) from None
    except RecursionError:  # the parser's own limit on nesting: thousands of levels, far past MAX_DEPTH
        raise FrameworkFileError([FileProblem("$", "", TOO_DEEP)]) from None
    limits = CsvLimits.from_config(current_app.config, "FRAMEWORK_IMPORT_MAX_FIELD_CHARS")
    if not isinstance(document, dict):
        raise FrameworkFileError([FileProblem("$", "", "The file must hold one JSON object.")])
    if _holds_control_characters(document):
        raise FrameworkFileError([FileProblem("$", "", CONTROL_CHARACTERS)])
    for key in document:
        if key not in (*METADATA_KEYS, "elements"):
            problems.append(FileProblem(f"$.{key}", key, "Unknown key."))
    for key in ("code", "name", "publisher", "version", "valid_from", "service_area", "source", "elements"):
        if key not in document:
            problems.append(FileProblem(f"$.{key}", key, "The key is missing."))
    problems += [p for p in check_metadata(document) if not any(q.where == p.where for q in problems)]
    rows: list[ElementRow] = []
    seen: dict[str, str] = {}

    def walk(items: Any, path: str, parent: str | None, depth: int = 1) -> None:
        if depth > MAX_DEPTH:
            problems.append(FileProblem(path, "children", TOO_DEEP))
            return
        if len(rows) + (len(items) if isinstance(items, list) else 0) > limits.max_rows:
            problems.append(FileProblem(path, "", f"The framework has more than {limits.max_rows:,} elements."))
            return
        if not isinstance(items, list):
            problems.append(FileProblem(path, path.rsplit(".", 1)[-1], "Must be a list of elements."))
            return
        for i, item in enumerate(items):
            where = f"{path}[{i}]"
            if not isinstance(item, dict):
                problems.append(FileProblem(where, "", "Each element must be an object."))
                continue
            for key in item:
                if key not in ELEMENT_KEYS:
                    problems.append(FileProblem(f"{where}.{key}", key, "Unknown key."))
            for key in ELEMENT_KEYS:
                if key not in item:
                    problems.append(FileProblem(f"{where}.{key}", key, "The key is missing."))
            number, title = item.get("number"), item.get("title")
            description, level = item.get("description"), item.get("level")
            for key, value in (("number", number), ("title", title), ("description", description)):
                if value is not None and not isinstance(value, str):
                    problems.append(FileProblem(f"{where}.{key}", key, "Must be text."))
                elif isinstance(value, str) and len(value) > limits.max_field:
                    problems.append(
                        FileProblem(f"{where}.{key}", key, f"Must be {limits.max_field:,} characters or fewer.")
                    )
            if level is not None and not isinstance(level, str):
                problems.append(FileProblem(f"{where}.level", "level", "Must be text or null."))
            row = ElementRow(
                number=number.strip() if isinstance(number, str) else "",
                parent_number=parent,
                title=title.strip() if isinstance(title, str) else "",
                description=description.strip() if isinstance(description, str) else "",
                level=(level.strip() or None) if isinstance(level, str) else None,
            )
            element_problems: list[FileProblem] = []
            _check_element(where, {c: c for c in CSV_COLUMNS}, row, seen, element_problems)
            problems.extend(
                FileProblem(f"{where}.{p.column}" if p.column else where, p.column, p.message)
                for p in element_problems
                if not (p.column == "number" and "number" not in item)
                and not (p.column == "title" and "title" not in item)
            )
            rows.append(row)
            if "children" in item:
                walk(item["children"], f"{where}.children", row.number or None, depth + 1)

    if "elements" in document:
        walk(document["elements"], "$.elements", None)
        if isinstance(document["elements"], list) and not document["elements"]:
            problems.append(FileProblem("$.elements", "elements", "The framework has no elements."))
    if problems:
        raise FrameworkFileError(problems)
    metadata = {key: document.get(key) for key in METADATA_KEYS}
    return ParsedFramework(metadata=metadata, elements=rows)


def build_framework(metadata: dict[str, Any], rows: list[ElementRow]) -> Framework:
    """A Framework with its elements from checked metadata and rows (parents before children)."""

    def clean(key: str) -> str:
        value = metadata.get(key)
        return value.strip() if isinstance(value, str) else ""

    framework = Framework(
        code=clean("code"),
        name=clean("name"),
        publisher=clean("publisher"),
        version=clean("version"),
        valid_from=date.fromisoformat(clean("valid_from")),
        valid_to=date.fromisoformat(clean("valid_to")) if clean("valid_to") else None,
        service_area=ServiceArea(metadata["service_area"]),
        source=clean("source"),
        notes=clean("notes"),
    )
    by_number: dict[str, FrameworkElement] = {}
    # Display order is depth-first: children follow their parent, siblings keep file order.
    children: dict[str | None, list[ElementRow]] = {}
    for row in rows:
        children.setdefault(row.parent_number, []).append(row)
    order = 0

    def add(parent_number: str | None) -> None:
        nonlocal order
        for row in children.get(parent_number, []):
            order += 1
            element = FrameworkElement(
                number=row.number,
                title=row.title,
                description=row.description,
                level=row.level,
                sort_order=order,
                parent=by_number.get(parent_number) if parent_number else None,
            )
            framework.elements.append(element)
            by_number[row.number] = element
            add(row.number)

    add(None)
    return framework


def check_framework_file(
    data: bytes, file_format: str, metadata: dict[str, Any] | None
) -> tuple[dict[str, Any], list[ElementRow]]:
    """Check a framework file without writing anything: its metadata and element rows, parents first.

    CSV takes its metadata from `metadata`; JSON carries its own. Raises FrameworkFileError listing every
    problem.
    """
    if file_format == "csv":
        metadata = dict(metadata or {})
        metadata.setdefault("source", "")
        problems = [p for p in check_metadata(metadata, path="") if p.column != "source"]
        problems = [FileProblem("Details", p.column, p.message) for p in problems]
        try:
            rows = parse_csv(data)
        except FrameworkFileError as error:
            problems += error.problems
            rows = []
        if problems:
            raise FrameworkFileError(problems)
    elif file_format == "json":
        parsed = parse_json(data)
        metadata, rows = parsed.metadata, parsed.elements
    else:
        raise FrameworkFileError([FileProblem("File", "", "Choose a .csv or .json file.")])
    return metadata, rows


def import_framework(data: bytes, file_format: str, metadata: dict[str, Any] | None, actor: User | None) -> Framework:
    """Check and load a framework file. CSV takes its metadata from `metadata`; JSON carries its own.

    Raises FrameworkFileError (nothing written) listing every problem.
    """
    metadata, rows = check_framework_file(data, file_format, metadata)
    framework = build_framework(metadata, rows)
    db.session.add(framework)
    db.session.flush()
    record_audit(
        actor,
        "framework.imported",
        framework,
        summary=f"Imported {framework.code} version {framework.version} ({len(framework.elements)} elements)",
        after={"code": framework.code, "version": framework.version, "format": file_format},
    )
    return framework


def csv_rows(framework: Framework) -> list[list[str]]:
    """The elements of one version as CSV rows, depth-first, header first."""
    return [
        list(CSV_COLUMNS),
        *(
            [
                element.number,
                element.parent.number if element.parent else "",
                element.title,
                element.description,
                element.level or "",
            ]
            for element in framework.elements
        ),
    ]


def export_csv(framework: Framework) -> str:
    """The elements of one version as CSV text, depth-first, header first."""
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(csv_rows(framework))
    return out.getvalue()


def framework_to_dict(framework: Framework) -> dict[str, Any]:
    """The JSON structure of a framework, as shipped in academy/frameworks/data."""

    def element_dict(element: FrameworkElement) -> dict[str, Any]:
        return {
            "number": element.number,
            "title": element.title,
            "description": element.description,
            "level": element.level,
            "children": [element_dict(child) for child in element.children],
        }

    return {
        "code": framework.code,
        "name": framework.name,
        "publisher": framework.publisher,
        "version": framework.version,
        "valid_from": framework.valid_from.isoformat() if framework.valid_from else None,
        "valid_to": framework.valid_to.isoformat() if framework.valid_to else None,
        "service_area": str(framework.service_area),
        "source": framework.source,
        "notes": framework.notes,
        "elements": [element_dict(e) for e in framework.elements if e.parent is None],
    }


def export_json(framework: Framework) -> str:
    return json.dumps(framework_to_dict(framework), indent=2, ensure_ascii=False) + "\n"
