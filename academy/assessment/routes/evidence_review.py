"""Reviewing evidence: the accept-and-rate page, accepting, and returning with feedback.

Accepting and returning are two buttons of one form, so a refused submit of either keeps everything typed
into both: the ratings chosen and the feedback written. No rating is chosen until the reviewer chooses it.
"""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from academy.assessment import bp
from academy.assessment.forms import ReturnForm, accept_form_class
from academy.assessment.policies import can_rate
from academy.assessment.queries import load_entry_for_review
from academy.assessment.services import ratings as rating_services
from academy.assessment.services.evidence_review import SKIP, accept_and_rate
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
        element_name=rating_services.element_name,
        current=rating_services.current_ratings(entry.participant),
        label=lambda value: rating_services.rating_label(entry.participant.cohort, value),
    ), status


def _accept_form(entry: EvidenceEntry):
    links = sorted(entry.links, key=lambda link: link.element.sort_order)
    form_class = accept_form_class(links, rating_services.rating_scale(entry.participant.cohort))
    form = form_class(prefix="accept")
    if not can_rate(current_user, entry.participant):
        # A reviewer who may not rate (a mentor in year 1 never reviews; kept for safety) can only skip.
        for link in links:
            field = getattr(form, f"rating_{link.element_id}")
            field.choices = [choice for choice in field.choices if choice.value == SKIP]
    return form, links


@bp.get("/assessment/evidence/<int:entry_id>")
@requires(can_review_evidence, load=load_entry_for_review)
def evidence(entry: EvidenceEntry):
    accept_form, _ = _accept_form(entry)
    return _evidence_page(entry, accept_form, ReturnForm(prefix="return"))


@bp.post("/assessment/evidence/<int:entry_id>/accept")
@requires(can_review_evidence, load=load_entry_for_review)
def accept(entry: EvidenceEntry):
    accept_form, links = _accept_form(entry)
    if accept_form.validate_on_submit():
        ratings = {link.element_id: getattr(accept_form, f"rating_{link.element_id}").data for link in links}
        comment = accept_form.comment.data or ""
        if run_service(
            accept_form,
            lambda: accept_and_rate(entry, by=current_user, ratings=ratings, comment=comment),
            field="comment",
        ):
            flash(f"Accepted \u201c{entry.title}\u201d from {entry.participant.name}.", "success")
            return redirect(url_for("home.mentor"))
    # The return half of the page keeps what was typed there too.
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
    accept_form, _ = _accept_form(entry)  # the ratings chosen so far come back from the same post
    return _evidence_page(entry, accept_form, return_form, 400)
