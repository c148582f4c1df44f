"""The claims list as DfE's claims spreadsheet asks for it, as XLSX (openpyxl) or CSV. No equality data."""

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Font

from academy.core.csvsafe import text_not_formulas
from academy.funding.queries import FundingRow

HEADER = [
    "Name",
    "Social Work England number",
    "Qualification date",
    "ASYE start date",
    "Employment type",
    "Eligible",
    "Why not eligible",
    "Registration claim status",
    "Registration claim date",
    "Registration amount (GBP)",
    "Completion claim status",
    "Completion claim date",
    "Completion due date",
    "Completion amount (GBP)",
]


def _row(r: FundingRow) -> list:
    reg, comp = r.registration, r.completion
    return [
        r.participant.name,
        r.participant.swe_number,
        r.details.qualified_on if r.details is not None else None,
        r.participant.start_date,
        r.participant.employment_type.label,
        "Yes" if r.eligibility.eligible else "No",
        "; ".join(r.eligibility.reasons),
        reg.claim.status.label if reg.claim else reg.text,
        reg.claim.claimed_on if reg.claim else None,
        reg.claim.amount_gbp if reg.claim else None,
        comp.claim.status.label if comp.claim else comp.text,
        comp.claim.claimed_on if comp.claim else None,
        comp.due_on,
        comp.claim.amount_gbp if comp.claim else None,
    ]


def csv_rows(rows: list[FundingRow]) -> list[list]:
    """Header and one line per participant; dates as YYYY-MM-DD."""
    return [HEADER] + [
        [v.isoformat() if isinstance(v, date) else ("" if v is None else v) for v in _row(r)] for r in rows
    ]


def xlsx_bytes(rows: list[FundingRow], title: str) -> bytes:
    """One sheet, a bold header row, real dates (shown as DD/MM/YYYY) and whole-pound amounts."""
    book = Workbook()
    sheet = book.active
    sheet.title = "ASYE claims"
    sheet.append(HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for r in rows:
        sheet.append(_row(r))
    for column in sheet.iter_cols(min_row=2):
        for cell in column:
            if isinstance(cell.value, date):
                cell.number_format = "DD/MM/YYYY"
    for letter, width in zip("ABCDEFGHIJKLMN", (28, 16, 14, 14, 14, 9, 50, 30, 14, 12, 30, 14, 14, 12), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    book.properties.title = title
    out = io.BytesIO()
    text_not_formulas(book).save(out)
    return out.getvalue()
