"""Concerns and action plans (seen only by the assessor, the line manager and coordinators)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from academy.accounts.models import User
from academy.assessment import bp
from academy.assessment.forms import ActionPlanForm, CloseConcernForm, ConcernForm
from academy.assessment.models import Concern
from academy.assessment.policies import can_raise_concern, can_view_concern, can_view_concerns
from academy.assessment.queries import load_concern
from academy.assessment.services import concerns as concern_services
from academy.core.web import require, requires, run_service
from academy.extensions import db
from academy.participants.models import Participant
from academy.participants.queries import load_participant


@bp.route("/participants/<int:participant_id>/concerns", methods=["GET", "POST"])
@requires(can_view_concerns, load=load_participant)
def concerns(participant: Participant):
    may_raise = can_raise_concern(current_user, participant)
    form = ConcernForm() if may_raise else None
    if request.method == "POST":
        # Coordinators read the concerns; only the assessor or line manager raises one.
        require(may_raise)
        form = raising = ConcernForm()
        if raising.validate_on_submit() and run_service(
            raising,
            lambda: concern_services.raise_concern(
                participant,
                by=current_user,
                category=raising.category.data,
                description=raising.description.data,
                action_plan=raising.action_plan.data,
                review_on=raising.review_on.data,
            ),
            field="description",
        ):
            flash("The concern and its action plan are recorded.", "success")
            return redirect(url_for("assessment.concerns", participant_id=participant.id))
    return render_template(
        "assessment/concerns.html",
        participant=participant,
        concerns=concern_services.concerns_of(participant),
        form=form,
        category_label=concern_services.category_label,
    ), (400 if form is not None and form.errors else 200)


@bp.route("/concerns/<int:concern_id>", methods=["GET", "POST"])
@requires(can_view_concern, load=load_concern)
def concern(item: Concern):
    participant = item.participant
    form = ActionPlanForm(obj=item) if item.closed_on is None else None
    close_form = CloseConcernForm(prefix="close") if item.closed_on is None else None
    if request.method == "POST":
        if item.closed_on is not None:
            abort(409)
        form = plan = ActionPlanForm(obj=item)
        close_form = closing = CloseConcernForm(prefix="close")
        # A refusal of either button is shown on the action plan, the page's one question.
        if "close-close" in request.form:
            if closing.validate_on_submit() and run_service(
                plan, lambda: concern_services.close_concern(item, by=current_user), field="action_plan"
            ):
                flash("The concern is closed.", "success")
                return redirect(url_for("assessment.concerns", participant_id=participant.id))
        elif plan.validate_on_submit() and run_service(
            plan,
            lambda: concern_services.update_action_plan(
                item, by=current_user, action_plan=plan.action_plan.data, review_on=plan.review_on.data
            ),
            field="action_plan",
        ):
            flash("The action plan is saved.", "success")
            return redirect(url_for("assessment.concern", concern_id=item.id))
    return render_template(
        "assessment/concern.html",
        participant=participant,
        concern=item,
        form=form,
        close_form=close_form,
        category_label=concern_services.category_label,
        raised_by=db.session.get(User, item.raised_by_id),
    ), (400 if form is not None and form.errors else 200)
