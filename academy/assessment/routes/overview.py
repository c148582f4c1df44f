"""Assessment pages: the assessment overview, ratings and their corrections.

Each view loads (or 404s), authorises with a policy, calls one service, then commits and redirects.
The blueprint's other pages live beside this module: evidence_review_routes (accept or return evidence),
review_routes (milestone reviews), outcome_routes (the recommendation and the moderation panel) and
concern_routes (concerns and action plans).
"""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from academy.accounts.models import Role
from academy.assessment import bp
from academy.assessment.forms import CorrectionForm, RatingForm, scale_choices, show_error
from academy.assessment.models import Rating
from academy.assessment.policies import can_rate
from academy.assessment.services import outcomes as outcome_services
from academy.assessment.services import ratings as rating_services
from academy.assessment.services import reviews as review_services
from academy.core.dates import today
from academy.core.errors import DomainError
from academy.core.web import require, role_required
from academy.extensions import db
from academy.frameworks.models import FrameworkElement
from academy.participants.models import Participant
from academy.participants.queries import get_participant_for_view


@bp.get("/participants/<int:participant_id>/assessment")
@role_required(Role.COORDINATOR, Role.MENTOR, Role.NQSW)
def overview(participant_id: int):
    participant = get_participant_for_view(participant_id)
    years = range(1, participant.programme_year + 1)
    tables = [
        (
            year,
            rating_services.assessed_elements(participant, year),
            rating_services.current_ratings(participant, year),
        )
        for year in reversed(years)
    ]
    return render_template(
        "assessment/overview.html",
        participant=participant,
        tables=tables,
        reviews=review_services.milestone_reviews(participant),
        outcomes=outcome_services.outcomes_of(participant),
        label=lambda value: rating_services.rating_label(participant.cohort, value),
        threshold=rating_services.meeting_threshold(participant.cohort),
        review_state=review_services.review_state,
        today=today(),
    )


def _element_for(participant: Participant, element_id: int) -> FrameworkElement:
    element = db.session.get(FrameworkElement, element_id)
    if element is None or element.framework not in participant.cohort.frameworks:
        abort(404)
    return element


@bp.route("/participants/<int:participant_id>/ratings/<int:element_id>", methods=["GET", "POST"])
@role_required(Role.COORDINATOR, Role.MENTOR, Role.NQSW)
def element(participant_id: int, element_id: int):
    participant = get_participant_for_view(participant_id)
    element = _element_for(participant, element_id)
    scale = rating_services.rating_scale(participant.cohort)
    form = RatingForm()
    form.value.choices = scale_choices(scale)
    if request.method == "POST":
        require(can_rate(current_user, participant))
        if form.validate_on_submit():
            try:
                rating_services.record_rating(
                    participant, element, int(form.value.data), by=current_user, comment=form.comment.data or ""
                )
            except DomainError as error:
                show_error(form, error, "value")
            else:
                db.session.commit()
                flash(f"Rating saved for {element.label}.", "success")
                return redirect(url_for("assessment.element", participant_id=participant.id, element_id=element.id))
    elif form.value.data is None:
        form.value.data = str(rating_services.default_value(participant, element.id))
    history = {
        year: rating_services.rating_history(participant, element, year)
        for year in range(participant.programme_year, 0, -1)
    }
    status = 400 if form.errors else 200
    return render_template(
        "assessment/element.html",
        participant=participant,
        element=element,
        form=form,
        history=history,
        label=lambda value: rating_services.rating_label(participant.cohort, value),
    ), status


@bp.route("/ratings/<int:rating_id>/correct", methods=["GET", "POST"])
@role_required(Role.MENTOR)
def correct(rating_id: int):
    rating = db.get_or_404(Rating, rating_id)
    participant = get_participant_for_view(rating.participant_id)
    require(can_rate(current_user, participant))
    form = CorrectionForm()
    form.value.choices = scale_choices(rating_services.rating_scale(participant.cohort))
    if form.validate_on_submit():
        try:
            rating_services.correct_rating(rating, int(form.value.data), by=current_user, reason=form.reason.data)
        except DomainError as error:
            show_error(form, error, "value")
        else:
            db.session.commit()
            flash(f"Rating corrected for {rating.element.label}.", "success")
            return redirect(url_for("assessment.element", participant_id=participant.id, element_id=rating.element_id))
    elif request.method == "GET":
        form.value.data = str(rating.value)
    return render_template(
        "assessment/correct.html",
        participant=participant,
        rating=rating,
        form=form,
        label=lambda value: rating_services.rating_label(participant.cohort, value),
    ), (400 if form.errors else 200)
