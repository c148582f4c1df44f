"""Enrolling a whole cohort from a CSV file: read, check every row, then enrol all rows or none.

The README section "Cohort CSV import" documents each column. Line numbers are as a spreadsheet shows
them: the header is line 1, the first person line 2.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask import current_app
from werkzeug.datastructures import MultiDict

from academy.accounts.models import Role, User
from academy.accounts.services import normalise_email
from academy.cohorts.enrolment import NewEnrolment
from academy.cohorts.forms import EnrolmentDetails
from academy.cohorts.models import Cohort
from academy.core.csvsafe import CsvLimits, CsvTooLarge, read_rows
from academy.extensions import db
from academy.participants.lifecycle import parse_fte
from academy.participants.models import AssignmentKind, EmploymentType, Participant

COLUMNS = (
    "given_name",
    "family_name",
    "email",
    "start_date",
    "team",
    "fte",
    "swe_number",
    "employment_type",
    "assessor_email",
    "mentor_email",
    "line_manager_email",
)
REQUIRED = ("given_name", "family_name", "email")
# Columns whose bad value is quoted back in the message, so the person can find it in the spreadsheet.
QUOTED = ("email", "fte", "swe_number", "employment_type")
STAFF_COLUMNS = {
    "assessor_email": AssignmentKind.ASSESSOR,
    "mentor_email": AssignmentKind.MENTOR,
    "line_manager_email": AssignmentKind.LINE_MANAGER,
}


@dataclass(frozen=True)
class RowError:
    line: int
    column: str  # "" when the problem is the whole line or file
    message: str


@dataclass
class ImportRow:
    line: int
    enrolment: NewEnrolment
    staff_emails: dict[AssignmentKind, str] = field(default_factory=dict)
    user: User | None = None  # the existing account, when there is one


@dataclass
class ImportCheck:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    @property
    def new_accounts(self) -> int:
        return sum(1 for row in self.rows if row.user is None)


def parse_date(value: str) -> date:
    """A date written as 2026-09-07 or 07/09/2026 (day first, as in the UK)."""
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(value.strip(), fmt).date()  # noqa: DTZ007 (a date, not a time)
        except ValueError:
            continue
    raise ValueError(value)


def decode(data: bytes) -> tuple[str | None, RowError | None]:
    """The file as text, or an error naming the first line that is not UTF-8."""
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return None, RowError(
            line,
            "",
            "This line is not UTF-8 text (wrong encoding). Save the file as “CSV UTF-8 (comma delimited)” "
            "and upload it again.",
        )


def count_people(data: bytes) -> int:
    """Roughly how many people a waiting (already checked) upload enrols: its non-blank lines after the
    header. Cheap, for choosing between writing in the request and in the background."""
    text = data.decode("utf-8-sig", errors="replace")
    return max(0, sum(1 for line in text.splitlines() if line.strip(" ,\t")) - 1)


def _read(text: str) -> tuple[list[tuple[int, dict[str, str]]], list[RowError]]:
    """The header checked, then each non-blank record as (spreadsheet line, {column: value}). A file past
    the caps on lines and cell length (IMPORT_MAX_ROWS, IMPORT_MAX_FIELD_CHARS) is refused whole."""
    try:
        reader = iter(read_rows(text, CsvLimits.from_config(current_app.config)))
    except CsvTooLarge as too_large:
        return [], [RowError(too_large.line, "", too_large.message)]
    header = next(reader, None)
    if header is None or not any(h.strip() for h in header):
        return [], [RowError(1, "", "The file is empty. The first line must name the columns.")]
    names = [h.strip().lower().replace(" ", "_") for h in header]
    errors = [
        RowError(1, name or f"column {i + 1}", f"Unknown column “{header[i].strip()}”. Use only: {', '.join(COLUMNS)}.")
        for i, name in enumerate(names)
        if name not in COLUMNS
    ]
    errors += [
        RowError(1, name, f"The column {name} is missing from the header.") for name in REQUIRED if name not in names
    ]
    seen: set[str] = set()
    for name in names:
        if name in seen and name in COLUMNS:
            errors.append(RowError(1, name, f"The column {name} appears twice."))
        seen.add(name)
    records = []
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) > len(names):
            errors.append(RowError(number, "", f"This line has {len(values)} values but the header has {len(names)}."))
            continue
        records.append((number, {name: (values[i].strip() if i < len(values) else "") for i, name in enumerate(names)}))
    return records, errors


def _check_values(number: int, values: dict[str, str], default_start: date | None) -> tuple[ImportRow, list[RowError]]:
    """One CSV row checked with the enrolment page's own rules (EnrolmentDetails), plus the two columns the
    page asks for differently: the start date as text and the staff as email addresses."""
    errors: list[RowError] = []

    def bad(column: str, message: str) -> None:
        errors.append(RowError(number, column, message))

    missing = {column for column in REQUIRED if not values.get(column)}
    for column in REQUIRED:
        if column in missing:
            bad(column, f"Enter the {column.replace('_', ' ')} (it is required).")
    details = EnrolmentDetails(
        MultiDict(
            values
            | {"fte": values.get("fte") or "1.0", "employment_type": values.get("employment_type") or "permanent"}
        )
    )
    details.validate()
    for column, messages in details.errors.items():
        if column not in missing:
            quoted = f"“{values.get(column, '')}”: " if column in QUOTED and values.get(column) else ""
            bad(column, quoted + messages[0])
    email = details.email.data or ""
    start = default_start
    if values.get("start_date"):
        try:
            start = parse_date(values["start_date"])
        except ValueError:
            bad("start_date", f"“{values['start_date']}” is not a date. Write it as 2026-09-07 or 07/09/2026.")
    staff: dict[AssignmentKind, str] = {}
    for column, kind in STAFF_COLUMNS.items():
        value = normalise_email(values.get(column, ""))
        if not value:
            continue
        if not _valid_email(value):
            bad(column, f"“{values[column]}” is not a valid email address.")
        elif value == email:
            bad(column, "Nobody can be assigned to their own record.")
        else:
            staff[kind] = value
    row = ImportRow(
        number,
        NewEnrolment(
            email=email,
            given_name=details.given_name.data or "",
            family_name=details.family_name.data or "",
            start_date=start,
            fte=parse_fte(details.fte.data) if "fte" not in details.errors else Decimal("1.00"),
            team=details.team.data or "",
            swe_number=details.swe_number.data or "",
            employment_type=EmploymentType(details.employment_type.data)
            if "employment_type" not in details.errors
            else EmploymentType.PERMANENT,
        ),
        staff,
    )
    return row, errors


def _valid_email(value: str) -> bool:
    """The same check as the enrolment page's email field (staff columns hold email addresses too)."""
    form = EnrolmentDetails(MultiDict({"email": value}))
    return form.email.validate(form)


def _chunks(items: list, size: int = 500) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _users_by_email(emails: set[str]) -> dict[str, User]:
    found: dict[str, User] = {}
    for chunk in _chunks(sorted(emails)):
        for user in db.session.scalars(sa.select(User).where(User.email.in_(chunk))):
            found[user.email] = user
    return found


def check_file(data: bytes, cohort: Cohort | None, *, default_start: date | None = None) -> ImportCheck:
    """Read and check every row against the file itself and the database. Writes nothing."""
    text, encoding_error = decode(data)
    if encoding_error is not None:
        return ImportCheck(errors=[encoding_error])
    records, errors = _read(text or "")
    check = ImportCheck(errors=errors)
    if errors and (any(e.line == 1 for e in errors) or not records):
        return check
    if not records:
        check.errors.append(RowError(2, "", "The file has a header but no people in it."))
        return check
    default_start = cohort.start_date if cohort is not None else default_start
    first_line: dict[str, int] = {}
    for number, values in records:
        row, row_errors = _check_values(number, values, default_start)
        email = row.enrolment.email
        if email and email in first_line:
            row_errors.append(
                RowError(number, "email", f"{email} is a duplicate: it is already on line {first_line[email]}.")
            )
        elif email:
            first_line[email] = number
        check.errors += row_errors
        check.rows.append(row)
    _check_against_database(check, cohort)
    check.errors.sort(key=lambda e: (e.line, COLUMNS.index(e.column) if e.column in COLUMNS else -1))
    return check


def _check_against_database(check: ImportCheck, cohort: Cohort | None) -> None:
    people = _users_by_email({row.enrolment.email for row in check.rows if row.enrolment.email})
    staff = _users_by_email({e for row in check.rows for e in row.staff_emails.values()})
    enrolled: set[int] = set()
    if cohort is not None and cohort.id is not None and people:
        ids = [u.id for u in people.values()]
        for chunk in _chunks(ids):
            enrolled.update(
                db.session.scalars(
                    sa.select(Participant.user_id).where(
                        Participant.cohort_id == cohort.id, Participant.user_id.in_(chunk)
                    )
                )
            )
    for row in check.rows:
        row.user = people.get(row.enrolment.email)
        if cohort is not None and row.user is not None and row.user.id in enrolled:
            check.errors.append(
                RowError(row.line, "email", f"{row.enrolment.email} is already enrolled in {cohort.name}.")
            )
        for kind, email in row.staff_emails.items():
            column = next(c for c, k in STAFF_COLUMNS.items() if k == kind)
            user = staff.get(email)
            if user is None:
                check.errors.append(
                    RowError(row.line, column, f"No account has the email {email}: unknown {kind.label.lower()}.")
                )
            elif not user.has_role(Role.MENTOR) or not user.is_active:
                check.errors.append(
                    RowError(
                        row.line, column, f"{email} cannot be a {kind.label.lower()}: the account has no mentor role."
                    )
                )
            else:
                row.enrolment.staff[kind] = user
