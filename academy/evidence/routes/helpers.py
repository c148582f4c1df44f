"""Loading and authorising for the evidence pages (one place), and the small helpers they share."""

from flask import render_template
from flask_login import current_user

from academy.evidence import services
from academy.evidence.forms import ConfirmForm
from academy.evidence.identifiers import find_identifiers
from academy.evidence.models import EvidenceType
from academy.evidence.policies import can_edit_evidence

TYPES_OFFERED = [t for t in EvidenceType if t != EvidenceType.SELF_ASSESSMENT]


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
