"""Reviewing evidence: the accept-and-rate page, accepting, returning with feedback, and accepting several at once."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from academy.accounts.models import Role
from academy.assessment import bp
from academy.assessment.forms import ReturnForm, accept_form_class, show_error
from academy.assessment.policies import can_rate
from academy.assessment.routes.helpers import committed
from academy.assessment.services import ratings as rating_services
from academy.assessment.services.evidence_review import SKIP, accept_and_rate, default_ratings
from academy.core.errors import DomainError
from academy.core.web import require, role_required
from academy.evidence.models import EvidenceEntry
from academy.evidence.policies import can_review_evidence
from academy.evidence.services import return_evidence
from academy.extensions import db


def _entry_for_review(entry_id: int) -> EvidenceEntry:
    entry = db.get_or_404(EvidenceEntry, entry_id)
    require(can_review_evidence(current_user, entry))
    return entry


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
@role_required(Role.MENTOR)
def evidence(entry_id: int):
    entry = _entry_for_review(entry_id)
    accept_form, _ = _accept_form(entry)
    may_rate = can_rate(current_user, entry.participant)
    for element_id, value in default_ratings(entry).items():
        getattr(accept_form, f"rating_{element_id}").data = str(value) if may_rate else SKIP
    return _evidence_page(entry, accept_form, ReturnForm(prefix="return"))


@bp.post("/assessment/evidence/<int:entry_id>/accept")
@role_required(Role.MENTOR)
def accept(entry_id: int):
    entry = _entry_for_review(entry_id)
    accept_form, links = _accept_form(entry)
    if accept_form.validate_on_submit():
        ratings = {}
        for link in links:
            value = getattr(accept_form, f"rating_{link.element_id}").data
            ratings[link.element_id] = value if value == SKIP else int(value)
        comment = accept_form.comment.data or ""
        if committed(
            accept_form, "comment", lambda: accept_and_rate(entry, by=current_user, ratings=ratings, comment=comment)
        ):
            flash(f"Accepted \u201c{entry.title}\u201d from {entry.participant.name}.", "success")
            return redirect(url_for("home.mentor"))
    return _evidence_page(entry, accept_form, ReturnForm(prefix="return"), 400)


@bp.post("/assessment/evidence/<int:entry_id>/return")
@role_required(Role.MENTOR)
def return_entry(entry_id: int):
    entry = _entry_for_review(entry_id)
    return_form = ReturnForm(prefix="return")
    if return_form.validate_on_submit():
        try:
            return_evidence(entry, by=current_user, feedback=return_form.feedback.data)
        except DomainError as error:
            show_error(return_form, error, "feedback")
        else:
            db.session.commit()
            flash(f"Returned \u201c{entry.title}\u201d to {entry.participant.name} with your feedback.", "success")
            return redirect(url_for("home.mentor"))
    accept_form, _ = _accept_form(entry)
    return _evidence_page(entry, accept_form, return_form, 400)
