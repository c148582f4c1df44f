"""Portfolio pages: the evidence list, an entry, submitting it.

The other pages of this blueprint live beside it: entry_form_routes (new and change), attachment_routes,
log_routes (protected time, caseload, supervision, learning CSV, self-assessment).
"""

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from academy.core.errors import DomainError
from academy.core.web import require
from academy.evidence import bp, services
from academy.evidence.forms import AttachmentForm, SubmitEntryForm
from academy.evidence.models import EvidenceEntry, EvidenceStatus
from academy.evidence.policies import can_add_evidence, can_view_evidence
from academy.evidence.queries import entry_for_change, entry_for_view, participant_for_view
from academy.evidence.routes.helpers import TYPES_OFFERED, render_entry
from academy.extensions import db
from academy.participants.policies import is_own_record


@bp.get("/participants/<int:participant_id>/evidence")
@login_required
def index(participant_id: int):
    participant = participant_for_view(participant_id)
    entries = [
        e
        for e in db.session.scalars(
            db.select(EvidenceEntry)
            .where(EvidenceEntry.participant_id == participant.id)
            .order_by(EvidenceEntry.activity_date.desc(), EvidenceEntry.id.desc())
        )
        if can_view_evidence(current_user, e)
    ]
    return render_template(
        "evidence/index.html",
        participant=participant,
        entries=entries,
        types=TYPES_OFFERED,
        can_add=can_add_evidence(current_user, participant),
        on_behalf=not is_own_record(current_user, participant),
    )


@bp.get("/evidence/<int:entry_id>")
@login_required
def entry(entry_id: int):
    entry = entry_for_view(entry_id)
    return render_entry(entry, SubmitEntryForm(), AttachmentForm())


@bp.post("/evidence/<int:entry_id>/submit")
@login_required
def submit(entry_id: int):
    entry = entry_for_change(entry_id)
    form = SubmitEntryForm()
    if not form.validate():
        abort(400)
    try:
        if form.anonymised_confirmed.data:
            services.confirm_anonymised(entry, by=current_user)
        services.submit_evidence(entry, by=current_user)
    except DomainError as error:
        db.session.rollback()
        entry = entry_for_view(entry_id)
        form.anonymised_confirmed.errors = [error.message]
        return render_entry(entry, form, AttachmentForm(), 400)
    db.session.commit()
    flash("Your entry has been submitted for review.", "success")
    return redirect(url_for("evidence.entry", entry_id=entry.id))


@bp.app_template_global()
def evidence_status_colour(status: EvidenceStatus) -> str:
    return {
        EvidenceStatus.DRAFT: "grey",
        EvidenceStatus.SUBMITTED: "blue",
        EvidenceStatus.RESUBMITTED: "blue",
        EvidenceStatus.ACCEPTED: "green",
        EvidenceStatus.RETURNED: "orange",
    }[status]


@bp.get("/participants/<int:participant_id>/learning.csv")
@login_required
def learning_csv(participant_id: int):
    participant = participant_for_view(participant_id)
    require(is_own_record(current_user, participant))
    return Response(
        services.learning_csv(participant),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="learning-and-cpd.csv"'},
    )
