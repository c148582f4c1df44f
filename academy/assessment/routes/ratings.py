"""An element's ratings: its history by year, recording a rating, and correcting one."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from academy.assessment import bp
from academy.assessment.forms import CorrectionForm, RatingForm, scale_choices
from academy.assessment.models import Rating
from academy.assessment.policies import can_correct_rating, can_rate
from academy.assessment.queries import element_of, load_rating
from academy.assessment.services import ratings as rating_services
from academy.core.web import require, requires, run_service
from academy.participants.models import Participant
from academy.participants.policies import can_view_participant
from academy.participants.queries import load_participant


@bp.route("/participants/<int:participant_id>/ratings/<int:element_id>", methods=["GET", "POST"])
@requires(can_view_participant, load=load_participant)
def element(participant: Participant, element_id: int):
    element = element_of(participant, element_id)
    scale = rating_services.rating_scale(participant.cohort)
    form = RatingForm()
    form.value.choices = scale_choices(scale)
    if request.method == "POST":
        # Everyone who sees the participant reads the page; only a current rater posts to it.
        require(can_rate(current_user, participant))
        if form.validate_on_submit() and run_service(
            form,
            lambda: rating_services.record_rating(
                participant, element, int(form.value.data), by=current_user, comment=form.comment.data or ""
            ),
            field="value",
        ):
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
@requires(can_correct_rating, load=load_rating)
def correct(rating: Rating):
    participant = load_participant(rating.participant_id)
    form = CorrectionForm()
    form.value.choices = scale_choices(rating_services.rating_scale(participant.cohort))
    if form.validate_on_submit() and run_service(
        form,
        lambda: rating_services.correct_rating(rating, int(form.value.data), by=current_user, reason=form.reason.data),
        field="value",
    ):
        flash(f"Rating corrected for {rating.element.label}.", "success")
        return redirect(url_for("assessment.element", participant_id=participant.id, element_id=rating.element_id))
    if request.method == "GET":
        form.value.data = str(rating.value)
    return render_template(
        "assessment/correct.html",
        participant=participant,
        rating=rating,
        form=form,
        label=lambda value: rating_services.rating_label(participant.cohort, value),
    ), (400 if form.errors else 200)
