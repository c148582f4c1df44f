"""Loading portfolio records for views, each with its permission check in the same step."""

from flask import abort
from flask_login import current_user

from academy.core.web import require
from academy.evidence.models import Attachment, EvidenceEntry
from academy.evidence.policies import can_edit_evidence, can_view_evidence, can_view_portfolio
from academy.extensions import db
from academy.participants.models import Participant


def participant_for_view(participant_id: int) -> Participant:
    """The participant whose portfolio the signed-in user may see, or 404/403."""
    participant = db.get_or_404(Participant, participant_id)
    require(can_view_portfolio(current_user, participant))
    return participant


def entry_for_view(entry_id: int) -> EvidenceEntry:
    """An entry the signed-in user may read (record-level: a past assignee reads what they accepted), or 404/403."""
    entry = db.get_or_404(EvidenceEntry, entry_id)
    require(can_view_evidence(current_user, entry))
    return entry


def entry_for_change(entry_id: int) -> EvidenceEntry:
    """An entry the signed-in user may change (a draft or returned one, theirs to edit), or 404/403."""
    entry = entry_for_view(entry_id)
    require(can_edit_evidence(current_user, entry))
    return entry


def attachment_of_entry(entry: EvidenceEntry, attachment_id: int) -> Attachment:
    """One of the entry's attachments, or 404."""
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.entry_id != entry.id:
        abort(404)
    return attachment
