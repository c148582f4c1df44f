"""CSV in and out, safely.

Out: a spreadsheet treats a cell that starts with = + - @ (or a tab or carriage return before one) as
a formula, so a participant named `=HYPERLINK(...)` would run in the coordinator's Excel. Every CSV
download goes through `csv_download` (core/web.py), which passes each cell through `neutralise`: such
a cell gets a leading single quote, which spreadsheets show as text (OWASP's advice for CSV injection).
Plain numbers, negative ones included, are left alone: they cannot be formulas. XLSX downloads store
such text as text (`text_not_formulas`), which a spreadsheet never runs, so they need no quote.

In: an uploaded CSV is read row by row with caps on the number of rows and the length of a field,
so that a 100,000-row or a 131,072-character-field file is refused with a message rather than
filling the memory, a page, or the csv module's own limit (which raises an error mid-way).
"""

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)*%?$")


def neutralise(value: Any) -> Any:
    """The cell as a spreadsheet should show it: text that would start a formula gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def restore(value: str) -> str:
    """A cell read back from a file the app exported: the protective quote taken off again."""
    if value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


def safe_rows(rows: Iterable[Sequence[Any]]) -> Iterable[list[Any]]:
    for row in rows:
        yield [neutralise(cell) for cell in row]


def text_not_formulas(book: Workbook) -> Workbook:
    """Every cell openpyxl took for a formula (text starting with =) stored as the text it is: an XLSX text
    cell is never run, so names and teams show exactly as typed. Call it just before saving."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    return book


@dataclass(frozen=True)
class CsvLimits:
    max_rows: int = 5000  # lines after the header
    max_field: int = 1000  # characters in one cell

    @classmethod
    def from_config(cls, config: Mapping[str, Any], field_key: str = "IMPORT_MAX_FIELD_CHARS") -> "CsvLimits":
        """The caps configured as IMPORT_MAX_ROWS and `field_key` (config.py), else the defaults."""
        return cls(
            max_rows=int(config.get("IMPORT_MAX_ROWS", cls.max_rows)),
            max_field=int(config.get(field_key, cls.max_field)),
        )


class CsvTooLarge(ValueError):
    """The file passed a cap, or is not CSV; `line` is the spreadsheet line (header = 1)."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def read_rows(text: str, limits: CsvLimits) -> list[list[str]]:
    """Every record of `text` (the header first), each cell with a protective quote taken off; raises
    CsvTooLarge as soon as a cap is passed, naming the cap, so the person knows what to change."""
    records: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    line = 1
    try:
        for record in reader:
            line = reader.line_num
            if len(records) > limits.max_rows:
                raise CsvTooLarge(
                    f"The file has more than {limits.max_rows:,} lines of data. "
                    f"Split it into files of {limits.max_rows:,} lines or fewer and upload each.",
                    line,
                )
            if any(len(cell) > limits.max_field for cell in record):
                raise CsvTooLarge(
                    f"A value on line {line} is longer than {limits.max_field:,} characters, "
                    "the most one cell may hold.",
                    line,
                )
            records.append([restore(cell) for cell in record])
    except csv.Error as error:
        line = reader.line_num or line
        if "field larger than field limit" in str(error):  # the csv module's own cap, far above ours
            raise CsvTooLarge(
                f"A value on line {line} is longer than {limits.max_field:,} characters, the most one cell may hold.",
                line,
            ) from None
        raise CsvTooLarge(
            f"Line {line} could not be read as CSV ({error}). Save the file as “CSV UTF-8” and try again.", line
        ) from None
    return records
