"""The ASYE recommendation and the moderation panel that confirms or refers it back."""

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from academy.accounts.models import Role, User, UserRole
from academy.accounts.policies import can_manage_academy
from academy.assessment import bp
from academy.assessment.forms import PanelDecisionForm, RecommendationForm, choices
from academy.assessment.models import Outcome
from academy.assessment.policies import can_decide_outcome, can_recommend
from academy.assessment.queries import load_outcome
from academy.assessment.services import outcomes as outcome_services
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
        if form.validate_on_submit() and run_service(
            form,
            lambda: outcome_services.recommend_outcome(
                participant, form.recommendation.data, by=current_user, narrative=form.narrative.data or ""
            ),
            field="recommendation",
        ):
            flash("Your recommendation has gone to the moderation panel.", "success")
            return redirect(url_for("assessment.recommendation", participant_id=participant.id))
    missing = outcome_services.missing_for_pass(participant) if participant.programme_year == 1 else None
    return render_template(
        "assessment/recommendation.html",
        participant=participant,
        form=form,
        history=history,
        missing=missing,
        may_recommend=may_recommend,
    ), (400 if form is not None and form.errors else 200)


@bp.get("/moderation")
@requires(can_manage_academy)
def panel():
    decided = db.session.scalars(
        sa.select(Outcome).where(Outcome.decided_at.is_not(None)).order_by(Outcome.decided_at.desc()).limit(20)
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
    form.chair.choices = choices([(u.id, u.name) for u in chairs])
    may_decide = can_decide_outcome(current_user, outcome) and outcome.status.value == "pending"
    if request.method == "POST":
        require(can_decide_outcome(current_user, outcome))
        if form.validate_on_submit():
            chair = db.session.get(User, form.chair.data)
            action = (
                outcome_services.confirm_outcome
                if form.decision.data == "confirm"
                else outcome_services.refer_back_outcome
            )
            if run_service(
                form,
                lambda: action(
                    outcome, by=current_user, panel_date=form.panel_date.data, chair=chair, reason=form.reason.data
                ),
                field="decision",
            ):
                flash(f"The panel's decision on {participant.name} is recorded.", "success")
                return redirect(url_for("assessment.panel"))
    elif form.chair.data is None and current_user in chairs:
        form.chair.data = current_user.id
    missing = outcome_services.missing_for_pass(participant) if participant.programme_year == 1 else None
    return render_template(
        "assessment/decide.html",
        outcome=outcome,
        participant=participant,
        form=form if may_decide else None,
        missing=missing,
        recommended_by=db.session.get(User, outcome.recommended_by_id),
    ), (400 if form.errors else 200)
