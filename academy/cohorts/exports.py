"""The cohort table as a CSV export: its rows, and the audit event that records who took them."""

from datetime import date

from academy.accounts.models import User
from academy.audit.services import record_audit
from academy.cohorts.models import Cohort
from academy.cohorts.overview import Row

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
