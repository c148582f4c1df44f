"""The ASYE recommendation and the moderation panel that confirms or refers it back."""

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from academy.accounts.models import Role, User, UserRole
from academy.accounts.policies import can_manage_academy
from academy.assessment import bp
from academy.assessment.forms import PanelDecisionForm, RecommendationForm, choices
from academy.assessment.models import Outcome
from academy.assessment.policies import can_decide_outcome, can_recommend, can_view_concerns
from academy.assessment.queries import load_outcome
from academy.assessment.services import concerns as concern_services
from academy.assessment.services import outcomes as outcome_services
from academy.assessment.services import reviews as review_services
from academy.core.web import require, requires, run_service
from academy.extensions import db
from academy.participants.models import Participant
from academy.participants.policies import can_view_participant
from academy.participants.queries import load_participant


@bp.route("/participants/<int:participant_id>/recommendation", methods=["GET", "POST"])
@requires(can_view_participant, load=load_participant)
def recommendation(participant: Participant):
    may_recommend = can_recommend(current_user, participant)
    history = outcome_services.outcomes_of(participant)
    blocked = any(o.status.value in {"pending", "confirmed"} for o in history)
    form = RecommendationForm() if may_recommend and not blocked else None
    if request.method == "POST":
        # Everyone who sees the participant reads the history; only the current assessor recommends.
        require(may_recommend)
        if form is None:
            flash("A recommendation is already with the moderation panel.", "error")
            return redirect(url_for("assessment.recommendation", participant_id=participant.id))
        if form.validate_on_submit() and "change" not in request.form:
            arguments = {
                "by": current_user,
                "narrative": form.narrative.data or "",
                "no_concern_reason": form.no_concern_reason.data or "",
            }
            if form.recommendation.data == "fail" and form.confirm_fail.data != "yes":
                # Every rule first, then the step that names the consequences before a FAIL goes to the panel.
                if run_service(
                    form,
                    lambda: outcome_services.check_recommendation(participant, "fail", **arguments),
                    field="recommendation",
                ):
                    return render_template(
                        "assessment/confirm_fail.html",
                        participant=participant,
                        form=form,
                        consequences=outcome_services.FAIL_CONSEQUENCES.format(name=participant.name),
                    )
            elif run_service(
                form,
                lambda: outcome_services.recommend_outcome(
                    participant, form.recommendation.data, confirmed=form.confirm_fail.data == "yes", **arguments
                ),
                field="recommendation",
            ):
                flash("Your recommendation has gone to the moderation panel.", "success")
                return redirect(url_for("assessment.recommendation", participant_id=participant.id))
    missing = outcome_services.missing_for_pass(participant) if participant.programme_year == 1 else None
    final_milestone, _ = outcome_services.final_review(participant)
    return render_template(
        "assessment/recommendation.html",
        participant=participant,
        form=form,
        history=history,
        missing=missing,
        may_recommend=may_recommend,
        final_milestone=final_milestone,
        final_signed=outcome_services.final_review_signed(participant),
        earlier_concerns=outcome_services.earlier_concerns(participant)
        if can_view_concerns(current_user, participant)
        else None,
    ), (400 if form is not None and form.errors else 200)


@bp.get("/moderation")
@requires(can_manage_academy)
def panel():
    decided = db.session.scalars(
        sa.select(Outcome)
        .where(Outcome.decided_at.is_not(None))
        .order_by(Outcome.panel_date.desc(), Outcome.decided_at.desc())
        .limit(20)
    ).all()
    return render_template("assessment/panel.html", pending=outcome_services.pending_outcomes(), decided=decided)


def _coordinators() -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User)
            .join(UserRole)
            .where(UserRole.role == Role.COORDINATOR, User.active.is_(True))
            .order_by(User.name)
        )
    )


@bp.route("/moderation/<int:outcome_id>", methods=["GET", "POST"])
@requires(can_manage_academy)
def decide(outcome_id: int):
    # Every coordinator reads the recommendation; can_decide_outcome says who records the decision.
    outcome = load_outcome(outcome_id)
    participant = outcome.participant
    form = PanelDecisionForm()
    chairs = [u for u in _coordinators() if u.id not in {participant.user_id, outcome.recommended_by_id}]
    # No chair is chosen for the panel: the first option asks for one.
    form.chair.choices = choices([("", "Choose the chair"), *((u.id, u.name) for u in chairs)])
    may_decide = can_decide_outcome(current_user, outcome) and outcome.status.value == "pending"
    if request.method == "POST":
        require(can_decide_outcome(current_user, outcome))
        if form.validate_on_submit():
            chair = db.session.get(User, form.chair.data) if form.chair.data else None
            action = (
                outcome_services.confirm_outcome
                if form.decision.data == "confirm"
                else outcome_services.refer_back_outcome
            )
            if run_service(
                form,
                lambda: action(
                    outcome,
                    by=current_user,
                    panel_date=form.panel_date.data,
                    chair=chair,
                    members=form.members.data or "",
                    reason=form.reason.data or "",
                ),
                field="decision",
            ):
                flash(f"The panel's decision on {participant.name} is recorded.", "success")
                return redirect(url_for("assessment.panel"))
    # The checklist that fits the recommendation: a PASS's minimums and sufficiency, a FAIL's history of
    # concerns and support.
    missing = outcome_services.missing_for_pass(participant) if participant.programme_year == 1 else None
    return render_template(
        "assessment/decide.html",
        outcome=outcome,
        participant=participant,
        form=form if may_decide else None,
        missing=missing,
        final_signed=outcome_services.final_review_signed(participant),
        reviews=review_services.milestone_reviews(participant),
        concerns=concern_services.concerns_of(participant),
        category_label=concern_services.category_label,
        support=review_services.support_totals(participant),
        recommended_by=db.session.get(User, outcome.recommended_by_id),
    ), (400 if form.errors else 200)
