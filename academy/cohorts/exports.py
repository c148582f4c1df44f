"""The cohort as CSV: its people in the import's columns (to edit and import again), the table's figures,
and an empty import template; each export is audited."""

from datetime import date

from academy.accounts.models import User
from academy.audit.services import record_audit
from academy.cohorts.importer import COLUMNS
from academy.cohorts.models import Cohort
from academy.cohorts.overview import Row
from academy.participants.models import AssignmentKind, Participant

HEADER = [
    "name",
    "email",
    "team",
    "assessor",
    "status",
    "programme_year",
    "next_milestone",
    "next_due",
    "overdue_milestones",
    "evidence_submitted",
    "evidence_accepted",
    "elements_meeting",
    "elements_rateable",
    "share_meeting",
]


def export_rows(cohort: Cohort, rows: list[Row], *, actor: User | None) -> list[list]:
    """The table's rows as CSV rows (header first), with the export recorded in the audit log; the caller commits."""
    record_audit(actor, "cohort.exported", cohort, summary=f"Exported {len(rows)} rows of {cohort.name}")
    return [HEADER, *(_csv_row(row) for row in rows)]


def export_filename(cohort: Cohort, on: date) -> str:
    """The export's file name: the cohort and the day it was taken."""
    return f"cohort-{cohort.id}-{on.isoformat()}.csv"


def _csv_row(r: Row) -> list:
    """One participant's line of the export."""
    share = "" if r.meeting_share is None else f"{r.meeting_share:.2f}"
    due = "on hold" if r.next_on_hold else (r.next_due.isoformat() if r.next_due else "")
    return [
        r.name,
        r.email,
        r.team,
        r.assessor or "",
        r.status.value,
        r.programme_year,
        r.next_milestone or "",
        due,
        r.overdue,
        r.evidence_total,
        r.evidence_accepted,
        r.meeting,
        r.rateable,
        share,
    ]


def roster_rows(cohort: Cohort, rows: list[Row], *, actor: User | None) -> list[list]:
    """The people of `rows` in the import's own columns (header first), so the file can be edited in a
    spreadsheet and imported again; the export is audited, and the caller commits."""
    record_audit(actor, "cohort.exported", cohort, summary=f"Exported {len(rows)} people of {cohort.name}")
    wanted = {row.participant_id for row in rows}
    people = {p.id: p for p in cohort.participants if p.id in wanted}
    return [list(COLUMNS), *(_roster_row(people[row.participant_id]) for row in rows)]


def import_template() -> list[list]:
    """An empty import file: the columns and one example line, to copy and fill in."""
    example = ["Alex", "Example", "alex.example@example.org", "2026-09-07", "Children in care", "1.0", "SW123456"]
    return [list(COLUMNS), [*example, "permanent", "", "", ""]]


def _roster_row(participant: Participant) -> list:
    given, _, family = participant.name.partition(" ")
    staff = {}
    for kind in AssignmentKind:
        assignment = next((a for a in reversed(participant.assignments) if a.kind == kind and a.ends_on is None), None)
        staff[kind] = assignment.user.email if assignment else ""
    return [
        given,
        family,
        participant.user.email,
        participant.start_date.isoformat(),
        participant.team,
        f"{participant.fte:.1f}" if participant.fte * 10 == int(participant.fte * 10) else str(participant.fte),
        participant.swe_number,
        participant.employment_type.value,
        staff[AssignmentKind.ASSESSOR],
        staff[AssignmentKind.MENTOR],
        staff[AssignmentKind.LINE_MANAGER],
    ]
