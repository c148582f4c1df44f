"""Loading and authorising for the evidence pages (one place), and the small helpers they share."""

from flask import abort, render_template
from flask_login import current_user

from academy.cohorts.models import Participant
from academy.core.auth import require
from academy.core.errors import DomainError
from academy.evidence import services
from academy.evidence.forms import ConfirmForm
from academy.evidence.identifiers import find_identifiers
from academy.evidence.models import Attachment, EvidenceEntry, EvidenceType
from academy.extensions import db
from academy.policies.evidence import can_edit_evidence, can_view_evidence, can_view_portfolio

TYPES_OFFERED = [t for t in EvidenceType if t != EvidenceType.SELF_ASSESSMENT]


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


def show_error(form, error: DomainError) -> None:
    """Put a service's message next to its field (or on the form when it has none)."""
    name = error.field or ""
    if name.startswith("reason_"):
        name = "links"
    field = getattr(form, name, None) if name else None
    if field is None or not hasattr(field, "errors"):
        field = next(iter(form), None)
    field.errors = [*list(field.errors or []), error.message]


def fix_dates(form) -> None:
    """A date posted without its three parts has no raw data the GOV.UK widget can show."""
    for field in form:
        if field.type == "DateField" and field.raw_data is not None and len(field.raw_data) != 3:
            field.raw_data = None


def render_entry(entry, submit_form, attachment_form, status=200):
    editable = can_edit_evidence(current_user, entry)
    return (
        render_template(
            "evidence/entry.html",
            entry=entry,
            participant=entry.participant,
            submit_form=submit_form,
            attachment_form=attachment_form,
            remove_form=ConfirmForm(),
            editable=editable,
            warnings=find_identifiers(entry.narrative) if editable else [],
            sources=dict(services.FEEDBACK_SOURCES.get(entry.type, [])),
            milestones={m.code: m.title for m in entry.participant.milestones},
        ),
        status,
    )
