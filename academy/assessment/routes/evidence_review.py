"""Reviewing evidence: the accept-and-rate page, accepting, and returning with feedback."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from academy.assessment import bp
from academy.assessment.forms import ReturnForm, accept_form_class
from academy.assessment.policies import can_rate
from academy.assessment.queries import load_entry_for_review
from academy.assessment.services import ratings as rating_services
from academy.assessment.services.evidence_review import SKIP, accept_and_rate, default_ratings
from academy.core.web import requires, run_service
from academy.evidence.models import EvidenceEntry
from academy.evidence.policies import can_review_evidence
from academy.evidence.services import return_evidence


def _evidence_page(entry: EvidenceEntry, accept_form, return_form, status: int = 200):
    return render_template(
        "assessment/evidence.html",
        entry=entry,
        participant=entry.participant,
        form=accept_form if accept_form.errors else return_form,
        accept_form=accept_form,
        return_form=return_form,
        may_rate=can_rate(current_user, entry.participant),
    ), status


def _accept_form(entry: EvidenceEntry):
    links = sorted(entry.links, key=lambda link: link.element.sort_order)
    form_class = accept_form_class(links, rating_services.rating_scale(entry.participant.cohort))
    form = form_class(prefix="accept")
    return form, links


@bp.get("/assessment/evidence/<int:entry_id>")
@requires(can_review_evidence, load=load_entry_for_review)
def evidence(entry: EvidenceEntry):
    accept_form, _ = _accept_form(entry)
    may_rate = can_rate(current_user, entry.participant)
    for element_id, value in default_ratings(entry).items():
        getattr(accept_form, f"rating_{element_id}").data = str(value) if may_rate else SKIP
    return _evidence_page(entry, accept_form, ReturnForm(prefix="return"))


@bp.post("/assessment/evidence/<int:entry_id>/accept")
@requires(can_review_evidence, load=load_entry_for_review)
def accept(entry: EvidenceEntry):
    accept_form, links = _accept_form(entry)
    if accept_form.validate_on_submit():
        ratings = {}
        for link in links:
            value = getattr(accept_form, f"rating_{link.element_id}").data
            ratings[link.element_id] = value if value == SKIP else int(value)
        comment = accept_form.comment.data or ""
        if run_service(
            accept_form,
            lambda: accept_and_rate(entry, by=current_user, ratings=ratings, comment=comment),
            field="comment",
        ):
            flash(f"Accepted \u201c{entry.title}\u201d from {entry.participant.name}.", "success")
            return redirect(url_for("home.mentor"))
    return _evidence_page(entry, accept_form, ReturnForm(prefix="return"), 400)


@bp.post("/assessment/evidence/<int:entry_id>/return")
@requires(can_review_evidence, load=load_entry_for_review)
def return_entry(entry: EvidenceEntry):
    return_form = ReturnForm(prefix="return")
    if return_form.validate_on_submit() and run_service(
        return_form,
        lambda: return_evidence(entry, by=current_user, feedback=return_form.feedback.data),
        field="feedback",
    ):
        flash(f"Returned \u201c{entry.title}\u201d to {entry.participant.name} with your feedback.", "success")
        return redirect(url_for("home.mentor"))
    accept_form, _ = _accept_form(entry)
    return _evidence_page(entry, accept_form, return_form, 400)
