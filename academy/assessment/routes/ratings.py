"""An element's ratings: its history by year, recording a rating, and correcting one; and the rating grid
(every element of the year on one page, the scale as columns, the linked evidence beside each).

No value is ever chosen for the assessor: the forms start empty and the services refuse a missing value.
"""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from academy.assessment import bp
from academy.assessment.forms import CorrectionForm, RatingForm, grid_form_class, scale_choices
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
                participant, element, form.value.data, by=current_user, comment=form.comment.data or ""
            ),
            field="value",
        ):
            flash(f"Rating saved for {rating_services.element_name(element)}.", "success")
            return redirect(url_for("assessment.element", participant_id=participant.id, element_id=element.id))
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
        evidence=rating_services.linked_evidence(participant, [element])[element.id],
        element_name=rating_services.element_name,
    ), status


@bp.route("/participants/<int:participant_id>/ratings", methods=["GET", "POST"])
@requires(can_view_participant, load=load_participant)
def grid(participant: Participant):
    elements = rating_services.assessed_elements(participant)
    scale = rating_services.rating_scale(participant.cohort)
    form = grid_form_class(elements, scale)()
    may_rate = can_rate(current_user, participant)
    if request.method == "POST":
        require(may_rate)
        values = {element.id: getattr(form, f"rating_{element.id}").data for element in elements}
        if form.validate_on_submit() and (
            done := run_service(
                form,
                lambda: rating_services.rate_elements(participant, values, by=current_user),
                field=f"rating_{elements[0].id}" if elements else None,
            )
        ):
            count = len(done.value)
            flash(f"{count} rating{'' if count == 1 else 's'} saved for {participant.name}.", "success")
            return redirect(url_for("assessment.grid", participant_id=participant.id))
    return render_template(
        "assessment/grid.html",
        participant=participant,
        elements=elements,
        scale=scale,
        form=form,
        may_rate=may_rate,
        current=rating_services.current_ratings(participant),
        evidence=rating_services.linked_evidence(participant, elements),
        label=lambda value: rating_services.rating_label(participant.cohort, value),
        element_name=rating_services.element_name,
    ), (400 if form.errors else 200)


@bp.route("/ratings/<int:rating_id>/correct", methods=["GET", "POST"])
@requires(can_correct_rating, load=load_rating)
def correct(rating: Rating):
    participant = load_participant(rating.participant_id)
    form = CorrectionForm()
    form.value.choices = scale_choices(rating_services.rating_scale(participant.cohort))
    if form.validate_on_submit() and run_service(
        form,
        lambda: rating_services.correct_rating(rating, form.value.data, by=current_user, reason=form.reason.data),
        field="value",
    ):
        flash(f"Rating corrected for {rating_services.element_name(rating.element)}.", "success")
        return redirect(url_for("assessment.element", participant_id=participant.id, element_id=rating.element_id))
    return render_template(
        "assessment/correct.html",
        participant=participant,
        rating=rating,
        form=form,
        label=lambda value: rating_services.rating_label(participant.cohort, value),
    ), (400 if form.errors else 200)
