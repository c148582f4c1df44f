"""Loading portfolio records for views (the permission check is the view's rule) and reading them for lists."""

import sqlalchemy as sa
from flask import abort

from academy.accounts.models import User
from academy.core.web import get_or_404
from academy.evidence.models import Attachment, EvidenceEntry, EvidenceType
from academy.evidence.policies import can_view_evidence
from academy.extensions import db
from academy.participants.models import Participant


def load_entry(entry_id: int) -> EvidenceEntry:
    """The evidence entry with this id, or 404. Use with `requires(rule, load=load_entry)`."""
    return get_or_404(EvidenceEntry, entry_id)


def load_attachment(entry_id: int, attachment_id: int) -> Attachment:
    """One of the entry's attachments, or 404 (also when the attachment belongs to another entry)."""
    attachment = get_or_404(Attachment, attachment_id)
    if attachment.entry_id != entry_id:
        abort(404)
    return attachment


def visible_entries(user: User, participant: Participant) -> list[EvidenceEntry]:
    """The participant's entries `user` may read, newest activity first."""
    entries = db.session.scalars(
        sa.select(EvidenceEntry)
        .where(EvidenceEntry.participant_id == participant.id)
        .order_by(EvidenceEntry.activity_date.desc(), EvidenceEntry.id.desc())
    )
    return [entry for entry in entries if can_view_evidence(user, entry)]


def learning_rows(participant: Participant) -> list[list]:
    """Learning and CPD entries as CSV rows (header first), in the columns a Social Work England renewal asks about."""
    entries = db.session.scalars(
        sa.select(EvidenceEntry)
        .where(EvidenceEntry.participant_id == participant.id, EvidenceEntry.type == EvidenceType.LEARNING)
        .order_by(EvidenceEntry.activity_date)
    )
    rows: list[list] = [["Date", "Activity", "Hours", "Standards linked", "Reflection", "Status"]]
    for entry in entries:
        standards = "; ".join(f"{link.element.framework.code} {link.element.number}" for link in entry.links)
        rows.append(
            [
                entry.activity_date.isoformat(),
                entry.title,
                entry.hours if entry.hours is not None else "",
                standards,
                entry.narrative,
                entry.status.label,
            ]
        )
    return rows
