"""The academy's NQSWs in the shape of the DfE children's social work workforce census (worker records).

For a census year (1 October to 30 September) one row per enrolment that was in post on 30 September
or left during the year: the Social Work England number, the agency flag, FTE (on 30 September, or on
the leaving day for a leaver), the start date, the leaving date, reason and destination, and the cases
held on 30 September. The census collects more than the academy holds; NOT_HELD names what is missing.
"""

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy.orm import joinedload, selectinload

from academy.core.csvsafe import text_not_formulas
from academy.extensions import db
from academy.logs.models import CaseloadSnapshot
from academy.participants.models import EmploymentType, Participant, StatusEvent, StatusEventKind
from academy.retention.scope import LEAVING_KINDS, RETURNING_KINDS, Scope, census_year_end, census_year_start

COLUMNS = [
    "Social Work England registration number",
    "Agency worker",
    "FTE",
    "Start date",
    "Leaving date",
    "Reason for leaving",
    "Destination",
    "Cases at 30 September",
    "Name (not sent to DfE)",
    "Cohort (not sent to DfE)",
]

NOT_HELD = [
    ("Date of birth", "not recorded by the academy"),
    ("Gender", "not recorded by the academy"),
    ("Ethnicity", "not recorded by the academy"),
    ("Role (the census's organisational role)", "every row here is a newly qualified social worker"),
    ("Days absent through sickness in the year", "not recorded by the academy"),
    (
        "Date the worker started with the local authority",
        "the academy holds the programme start date, given here as the start date; a worker employed before "
        "joining the programme started earlier",
    ),
    ("Whether an agency worker covers a vacancy", "not recorded by the academy"),
]


@dataclass
class CensusRecord:
    swe_number: str
    agency: bool
    fte: Decimal
    start: date
    left_on: date | None
    reason: str
    destination: str
    cases: int | None
    name: str
    cohort: str

    def cells(self) -> list:
        return [
            self.swe_number,
            "Y" if self.agency else "N",
            self.fte,
            self.start,
            self.left_on,
            self.reason,
            self.destination,
            self.cases,
            self.name,
            self.cohort,
        ]


def fte_on(participant: Participant, day: date) -> Decimal:
    """The contracted FTE on `day`: the enrolment's FTE, then each change that took effect by then."""
    events = sorted(participant.status_events, key=lambda e: (e.effective_on, e.id))
    enrolled = next((e.fte for e in events if e.kind == StatusEventKind.ENROLLED and e.fte is not None), None)
    fte = enrolled if enrolled is not None else participant.fte
    for e in events:
        if e.kind == StatusEventKind.FTE_CHANGED and e.fte is not None and e.effective_on <= day:
            fte = e.fte
    return Decimal(fte).quantize(Decimal("0.01"))


def _leaving_in_year(participant: Participant, first: date, last: date) -> StatusEvent | None:
    """The leaving that ends the year for this enrolment: the last one in the year not followed by a return."""
    events = sorted(
        (e for e in participant.status_events if e.effective_on <= last), key=lambda e: (e.effective_on, e.id)
    )
    status = [e for e in events if e.kind in (*LEAVING_KINDS, *RETURNING_KINDS)]
    if not status or status[-1].kind not in LEAVING_KINDS:
        return None
    return status[-1] if status[-1].effective_on >= first else None


def _reason(event: StatusEvent) -> str:
    if event.reason.strip():
        return event.reason.strip()
    return "ASYE not passed" if event.kind == StatusEventKind.FAILED else "Not recorded"


def census_records(scope: Scope) -> list[CensusRecord]:
    """The worker records for the census year to 30 September `scope.census_year`, by name."""
    first, last = census_year_start(scope.census_year), census_year_end(scope.census_year)
    participants = db.session.scalars(
        sa.select(Participant)
        .where(Participant.start_date <= last, *scope.conditions())
        .options(joinedload(Participant.user), joinedload(Participant.cohort), selectinload(Participant.status_events))
    ).all()
    latest = (
        sa.select(CaseloadSnapshot.participant_id, sa.func.max(CaseloadSnapshot.taken_on).label("taken_on"))
        .where(CaseloadSnapshot.taken_on <= last)
        .group_by(CaseloadSnapshot.participant_id)
        .subquery()
    )
    cases = dict(
        db.session.execute(
            sa.select(CaseloadSnapshot.participant_id, sa.func.max(CaseloadSnapshot.cases))
            .join(
                latest,
                sa.and_(
                    latest.c.participant_id == CaseloadSnapshot.participant_id,
                    latest.c.taken_on == CaseloadSnapshot.taken_on,
                ),
            )
            .group_by(CaseloadSnapshot.participant_id)
        ).all()
    )
    records = []
    for p in participants:
        left = _leaving_in_year(p, first, last)
        ever_left = [
            e for e in p.status_events if e.kind in (*LEAVING_KINDS, *RETURNING_KINDS) and e.effective_on <= last
        ]
        gone_before = (
            left is None and ever_left and max(ever_left, key=lambda e: (e.effective_on, e.id)).kind in LEAVING_KINDS
        )
        if gone_before:
            continue  # left before this census year
        on = left.effective_on if left else last
        records.append(
            CensusRecord(
                swe_number=p.swe_number,
                agency=p.employment_type == EmploymentType.AGENCY,
                fte=fte_on(p, on),
                start=p.start_date,
                left_on=left.effective_on if left else None,
                reason=_reason(left) if left else "",
                destination=left.destination.label if left and left.destination else ("Unknown" if left else ""),
                cases=None if left else cases.get(p.id),
                name=p.user.name,
                cohort=p.cohort.name,
            )
        )
    return sorted(records, key=lambda r: (r.name, r.start))


def _plain(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return value


def csv_rows(records: list[CensusRecord]) -> list[list]:
    """The header and one row per record, dates as YYYY-MM-DD and FTE to two decimal places."""
    return [COLUMNS, *[[_plain(cell) for cell in r.cells()] for r in records]]


def xlsx_bytes(records: list[CensusRecord], year: int) -> bytes:
    """A workbook: the records (real dates and numbers) on one sheet, the census fields not held on another."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has its first sheet; narrows the type only  # nosec B101
    sheet.title = f"Workers {year}"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for record in records:
        sheet.append([None if c is None else float(c) if isinstance(c, Decimal) else c for c in record.cells()])
    for row in sheet.iter_rows(min_row=2):
        row[2].number_format = "0.00"
        row[3].number_format = row[4].number_format = "yyyy-mm-dd"
    for column, width in zip("ABCDEFGHIJ", (22, 10, 8, 12, 12, 30, 26, 12, 28, 24), strict=True):
        sheet.column_dimensions[column].width = width
    notes = book.create_sheet("Not held")
    notes.append([f"Census year 1 October {year - 1} to 30 September {year}: census fields the academy does not hold"])
    notes["A1"].font = Font(bold=True)
    notes.append(["Field", "Why"])
    for field, why in NOT_HELD:
        notes.append([field, why])
    notes.column_dimensions["A"].width = 45
    notes.column_dimensions["B"].width = 90
    out = io.BytesIO()
    text_not_formulas(book).save(out)
    return out.getvalue()
