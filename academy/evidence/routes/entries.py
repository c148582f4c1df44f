"""Portfolio pages: the evidence list, an entry, submitting it, and the learning CSV.

The other pages of this blueprint live beside it: entry_form (new and change) and attachments.
"""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from academy.assessment.models import Rating
from academy.assessment.services.ratings import element_name, rating_label
from academy.audit.access import audits_access
from academy.core.web import csv_download, requires, run_service
from academy.evidence import bp, services
from academy.evidence.forms import TYPES_OFFERED, AttachmentForm, ConfirmForm, ReflectionForm, SubmitEntryForm
from academy.evidence.identifiers import find_identifiers
from academy.evidence.models import EvidenceEntry, EvidenceEvent, EvidenceStatus
from academy.evidence.policies import (
    can_add_evidence,
    can_edit_evidence,
    can_log_learning,
    can_reflect_on_evidence,
    can_submit_evidence,
    can_view_evidence,
    can_view_portfolio,
)
from academy.evidence.queries import learning_rows, load_entry, visible_entries
from academy.extensions import db
from academy.participants.models import Participant
from academy.participants.policies import is_own_record
from academy.participants.queries import load_participant


def render_entry(
    entry: EvidenceEntry,
    submit_form: SubmitEntryForm,
    attachment_form: AttachmentForm,
    status=200,
    reflection_form: ReflectionForm | None = None,
):
    """The entry page, with its submit, upload and reflection forms (any may carry a refusal)."""
    editable = can_edit_evidence(current_user, entry)
    if reflection_form is None and can_reflect_on_evidence(current_user, entry):
        reflection_form = ReflectionForm(data={"reflection": entry.nqsw_reflection})
    decision_ratings = db.session.scalars(
        sa.select(Rating).where(Rating.evidence_entry_id == entry.id).order_by(Rating.id)
    ).all()
    return (
        render_template(
            "evidence/entry.html",
            entry=entry,
            participant=entry.participant,
            form=reflection_form if reflection_form is not None and reflection_form.errors else None,
            submit_form=submit_form,
            attachment_form=attachment_form,
            reflection_form=reflection_form,
            decision=entry_decision(entry),
            decision_ratings=decision_ratings,
            rating_label=lambda value: rating_label(entry.participant.cohort, value),
            element_name=element_name,
            remove_form=ConfirmForm(),
            editable=editable,
            warnings=find_identifiers(entry.narrative) if editable else [],
            sources=dict(services.FEEDBACK_SOURCES.get(entry.type, [])),
            milestones={m.code: m.title for m in entry.participant.milestones},
        ),
        status,
    )


@bp.get("/participants/<int:participant_id>/evidence")
@requires(can_view_portfolio, load=load_participant)
@audits_access("portfolio.viewed", lambda p: (f"Viewed the portfolio of {p.name}", p))
def index(participant: Participant):
    return render_template(
        "evidence/index.html",
        participant=participant,
        entries=visible_entries(current_user, participant),
        types=TYPES_OFFERED,
        can_add=can_add_evidence(current_user, participant),
        on_behalf=not is_own_record(current_user, participant),
    )


@bp.get("/evidence/<int:entry_id>")
@requires(can_view_evidence, load=load_entry)
@audits_access("evidence.viewed", lambda e: (f"Viewed the evidence “{e.title}” of {e.participant.name}", e.participant))
def entry(entry: EvidenceEntry):
    return render_entry(entry, SubmitEntryForm(), AttachmentForm())


def _submit(entry: EvidenceEntry, form: SubmitEntryForm) -> None:
    if form.anonymised_confirmed.data:
        services.confirm_anonymised(entry, by=current_user)
    services.submit_evidence(entry, by=current_user)


@bp.post("/evidence/<int:entry_id>/submit")
@requires(can_submit_evidence, load=load_entry)
def submit(entry: EvidenceEntry):
    form = SubmitEntryForm()
    if not form.validate():
        abort(400)
    # A refusal about the links or the type's own fields shows on the confirmation box, the form's only question.
    if not run_service(form, lambda: _submit(entry, form), field="anonymised_confirmed"):
        return render_entry(entry, form, AttachmentForm(), 400)
    flash("Your entry has been submitted for review.", "success")
    return redirect(url_for("evidence.entry", entry_id=entry.id))


@bp.post("/evidence/<int:entry_id>/reflection")
@requires(can_reflect_on_evidence, load=load_entry)
def reflect(entry: EvidenceEntry):
    form = ReflectionForm()
    if form.validate_on_submit() and run_service(
        form,
        lambda: services.add_reflection(entry, by=current_user, reflection=form.reflection.data),
        field="reflection",
    ):
        flash("Your reflection is saved beside the entry.", "success")
        return redirect(url_for("evidence.entry", entry_id=entry.id))
    return render_entry(entry, SubmitEntryForm(), AttachmentForm(), 400, reflection_form=form)


def entry_decision(entry: EvidenceEntry) -> EvidenceEvent | None:
    """The latest acceptance or return of the entry: who decided, when and their comment."""
    return next((event for event in reversed(entry.history) if event.action in {"accepted", "returned"}), None)


@bp.app_template_global()
def evidence_status_colour(status: EvidenceStatus) -> str:
    """The GOV.UK tag colour of an entry's status."""
    return {
        EvidenceStatus.DRAFT: "grey",
        EvidenceStatus.SUBMITTED: "blue",
        EvidenceStatus.RESUBMITTED: "blue",
        EvidenceStatus.ACCEPTED: "green",
        EvidenceStatus.RETURNED: "orange",
    }[status]


@bp.get("/participants/<int:participant_id>/learning.csv")
@requires(can_log_learning, load=load_participant)
@audits_access("learning.downloaded", lambda p: (f"Downloaded the learning and CPD log of {p.name}", p), own_too=True)
def learning_csv(participant: Participant):
    return csv_download(learning_rows(participant), "learning-and-cpd.csv")
