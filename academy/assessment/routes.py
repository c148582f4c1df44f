"""Assessment pages: accept-and-rate, ratings, reviews, the recommendation, the moderation panel, concerns.

Each view loads (or 404s), authorises with a policy, calls one service, then commits and redirects.
"""

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from academy.accounts.models import Role, User, UserRole
from academy.assessment import concerns as concern_services
from academy.assessment import outcomes as outcome_services
from academy.assessment import ratings as rating_services
from academy.assessment import reviews as review_services
from academy.assessment.evidence_review import SKIP, accept_and_rate, bulk_accept, default_ratings
from academy.assessment.forms import (
    ActionPlanForm,
    CloseConcernForm,
    CommentForm,
    ConcernForm,
    CorrectionForm,
    PanelDecisionForm,
    RatingForm,
    RecommendationForm,
    ReturnForm,
    ReviewForm,
    SignForm,
    accept_form_class,
    choices,
    scale_choices,
    show_error,
)
from academy.assessment.models import Concern, Outcome, Rating, ReviewStatus
from academy.assessment.reminders import reminders_for
from academy.cohorts.models import Milestone, Participant
from academy.cohorts.queries import get_participant_for_view
from academy.core.auth import require, role_required
from academy.core.dates import today
from academy.core.errors import DomainError
from academy.evidence.models import EvidenceEntry
from academy.evidence.services import return_evidence
from academy.extensions import db
from academy.frameworks.models import FrameworkElement
from academy.policies import (
    can_comment_on_review,
    can_decide_outcome,
    can_moderate,
    can_raise_concern,
    can_rate,
    can_recommend,
    can_record_review,
    can_review_evidence,
    can_view_concerns,
)

bp = Blueprint("assessment", __name__)


@bp.app_context_processor
def reminder_helpers() -> dict:
    """`assessment_reminders()` in any template: what is due or overdue for the signed-in person."""

    def assessment_reminders() -> list:
        return reminders_for(current_user) if current_user.is_authenticated else []

    return {"assessment_reminders": assessment_reminders}


def _get(model: type, object_id: int):
    obj = db.session.get(model, object_id)
    if obj is None:
        abort(404)
    return obj


# ---- Assessment overview and ratings -------------------------------------------------------------


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
    rating = _get(Rating, rating_id)
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


# ---- Reviewing evidence --------------------------------------------------------------------------


def _entry_for_review(entry_id: int) -> EvidenceEntry:
    entry = _get(EvidenceEntry, entry_id)
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
        try:
            accept_and_rate(entry, by=current_user, ratings=ratings, comment=accept_form.comment.data or "")
        except DomainError as error:
            db.session.rollback()
            show_error(accept_form, error, "comment")
        else:
            db.session.commit()
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


@bp.post("/assessment/evidence/accept")
@role_required(Role.MENTOR)
def bulk_accept_entries():
    from academy.home.mentor import render_mentor_home

    ids = [int(value) for value in request.form.getlist("entries") if value.isdigit()]
    entries = [_get(EvidenceEntry, entry_id) for entry_id in ids]
    for entry in entries:
        require(can_review_evidence(current_user, entry))
    try:
        bulk_accept(entries, by=current_user)
    except DomainError as error:
        db.session.rollback()
        return render_mentor_home(bulk_error=error.message), 400
    db.session.commit()
    flash(f"Accepted {len(entries)} entr{'y' if len(entries) == 1 else 'ies'} with their default ratings.", "success")
    return redirect(url_for("home.mentor"))


# ---- Milestone reviews ---------------------------------------------------------------------------


def _milestone(participant: Participant, milestone_id: int) -> Milestone:
    milestone = db.session.get(Milestone, milestone_id)
    if (
        milestone is None
        or milestone.participant_id != participant.id
        or milestone.kind not in review_services.REVIEW_KINDS
    ):
        abort(404)
    return milestone


def _review_page(participant, milestone, review, form=None, comment_form=None, status=200):
    editable = review is None or (
        review.status != ReviewStatus.SIGNED and not (review.assessor_signed_at or review.nqsw_signed_at)
    )
    may_record = can_record_review(current_user, participant) and editable
    if form is None and may_record:
        form = ReviewForm(obj=review) if review is not None else ReviewForm()
        if review is not None and review.on_track is not None:
            form.on_track.data = "yes" if review.on_track else "no"
    is_nqsw = review is not None and can_comment_on_review(current_user, review)
    if comment_form is None and is_nqsw and review.status == ReviewStatus.HELD and review.nqsw_signed_at is None:
        comment_form = CommentForm(data={"comment": review.nqsw_comment})
    may_sign = (
        review is not None
        and review.status == ReviewStatus.HELD
        and (
            (is_nqsw and review.nqsw_signed_at is None and review.nqsw_comment)
            or (can_record_review(current_user, participant) and review.assessor_signed_at is None)
        )
    )
    signed_by = db.session.get(User, review.assessor_signed_by_id) if review and review.assessor_signed_by_id else None
    return render_template(
        "assessment/review.html",
        participant=participant,
        milestone=milestone,
        review=review,
        state=review_services.review_state(milestone, review),
        form=form
        if form is not None and form.errors
        else (comment_form if comment_form and comment_form.errors else form),
        record_form=form if may_record else None,
        comment_form=comment_form,
        sign_form=SignForm() if may_sign else None,
        signed_by=signed_by,
    ), status


@bp.route("/participants/<int:participant_id>/milestones/<int:milestone_id>/review", methods=["GET", "POST"])
@role_required(Role.COORDINATOR, Role.MENTOR, Role.NQSW)
def review(participant_id: int, milestone_id: int):
    participant = get_participant_for_view(participant_id)
    milestone = _milestone(participant, milestone_id)
    existing = review_services.review_for(milestone)
    if request.method == "GET":
        return _review_page(participant, milestone, existing)
    require(can_record_review(current_user, participant))
    form = ReviewForm()
    if form.validate_on_submit():
        record = review_services.ReviewRecord(
            held_on=form.held_on.data,
            attendees=form.attendees.data,
            progress_summary=form.progress_summary.data,
            on_track=form.on_track.data == "yes",
            actions=form.actions.data or "",
            interim_assessment=form.interim_assessment.data,
        )
        try:
            review_services.record_review(milestone, record, by=current_user)
        except DomainError as error:
            db.session.rollback()
            show_error(form, error, "held_on")
        else:
            db.session.commit()
            flash(f"{milestone.title} saved. It can be changed until someone signs it.", "success")
            return redirect(url_for("assessment.review", participant_id=participant.id, milestone_id=milestone.id))
    return _review_page(participant, milestone, existing, form=form, status=400)


@bp.post("/participants/<int:participant_id>/milestones/<int:milestone_id>/review/comment")
@role_required(Role.NQSW)
def comment_review(participant_id: int, milestone_id: int):
    participant = get_participant_for_view(participant_id)
    milestone = _milestone(participant, milestone_id)
    review = review_services.review_for(milestone)
    if review is None:
        abort(404)
    require(can_comment_on_review(current_user, review))
    form = CommentForm()
    if form.validate_on_submit():
        try:
            review_services.add_nqsw_comment(review, form.comment.data, by=current_user)
        except DomainError as error:
            show_error(form, error, "comment")
        else:
            db.session.commit()
            flash("Your comment is saved. Sign the review when you are ready.", "success")
            return redirect(url_for("assessment.review", participant_id=participant.id, milestone_id=milestone.id))
    return _review_page(participant, milestone, review, comment_form=form, status=400)


@bp.post("/participants/<int:participant_id>/milestones/<int:milestone_id>/review/sign")
@role_required(Role.MENTOR, Role.NQSW)
def sign_review(participant_id: int, milestone_id: int):
    participant = get_participant_for_view(participant_id)
    milestone = _milestone(participant, milestone_id)
    review = review_services.review_for(milestone)
    if review is None:
        abort(404)
    require(can_comment_on_review(current_user, review) or can_record_review(current_user, participant))
    form = SignForm()
    if form.validate_on_submit():
        try:
            review_services.sign_review(review, by=current_user)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            done = review.status == ReviewStatus.SIGNED
            flash(f"{milestone.title} {'is signed by both of you' if done else 'signed'}.", "success")
    return redirect(url_for("assessment.review", participant_id=participant.id, milestone_id=milestone.id))


# ---- The recommendation and the moderation panel --------------------------------------------------


@bp.route("/participants/<int:participant_id>/recommendation", methods=["GET", "POST"])
@role_required(Role.COORDINATOR, Role.MENTOR, Role.NQSW)
def recommendation(participant_id: int):
    participant = get_participant_for_view(participant_id)
    may_recommend = can_recommend(current_user, participant)
    history = outcome_services.outcomes_of(participant)
    blocked = any(o.status.value in {"pending", "confirmed"} for o in history)
    form = RecommendationForm() if may_recommend and not blocked else None
    if request.method == "POST":
        require(may_recommend)
        if form is None:
            flash("A recommendation is already with the moderation panel.", "error")
            return redirect(url_for("assessment.recommendation", participant_id=participant.id))
        if form.validate_on_submit():
            try:
                outcome_services.recommend_outcome(
                    participant, form.recommendation.data, by=current_user, narrative=form.narrative.data or ""
                )
            except DomainError as error:
                db.session.rollback()
                show_error(form, error, "recommendation")
            else:
                db.session.commit()
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
@role_required(Role.COORDINATOR)
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
@role_required(Role.COORDINATOR)
def decide(outcome_id: int):
    outcome = _get(Outcome, outcome_id)
    participant = outcome.participant
    require(can_moderate(current_user))
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
            try:
                action(outcome, by=current_user, panel_date=form.panel_date.data, chair=chair, reason=form.reason.data)
            except DomainError as error:
                db.session.rollback()
                show_error(form, error, "decision")
            else:
                db.session.commit()
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


# ---- Concerns and action plans --------------------------------------------------------------------


@bp.route("/participants/<int:participant_id>/concerns", methods=["GET", "POST"])
@role_required(Role.COORDINATOR, Role.MENTOR, Role.NQSW)
def concerns(participant_id: int):
    participant = get_participant_for_view(participant_id)
    require(can_view_concerns(current_user, participant))
    may_raise = can_raise_concern(current_user, participant)
    form = ConcernForm() if may_raise else None
    if request.method == "POST":
        require(may_raise)
        if form.validate_on_submit():
            try:
                concern_services.raise_concern(
                    participant,
                    by=current_user,
                    category=form.category.data,
                    description=form.description.data,
                    action_plan=form.action_plan.data,
                    review_on=form.review_on.data,
                )
            except DomainError as error:
                show_error(form, error, "description")
            else:
                db.session.commit()
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
@role_required(Role.COORDINATOR, Role.MENTOR)
def concern(concern_id: int):
    item = _get(Concern, concern_id)
    participant = get_participant_for_view(item.participant_id)
    require(can_view_concerns(current_user, participant))
    form = ActionPlanForm(obj=item) if item.closed_on is None else None
    close_form = CloseConcernForm(prefix="close") if item.closed_on is None else None
    if request.method == "POST":
        if item.closed_on is not None:
            abort(409)
        try:
            if "close-close" in request.form:
                if close_form.validate_on_submit():
                    concern_services.close_concern(item, by=current_user)
                    db.session.commit()
                    flash("The concern is closed.", "success")
                    return redirect(url_for("assessment.concerns", participant_id=participant.id))
            elif form.validate_on_submit():
                concern_services.update_action_plan(
                    item, by=current_user, action_plan=form.action_plan.data, review_on=form.review_on.data
                )
                db.session.commit()
                flash("The action plan is saved.", "success")
                return redirect(url_for("assessment.concern", concern_id=item.id))
        except DomainError as error:
            db.session.rollback()
            show_error(form, error, "action_plan")
    return render_template(
        "assessment/concern.html",
        participant=participant,
        concern=item,
        form=form,
        close_form=close_form,
        category_label=concern_services.category_label,
        raised_by=db.session.get(User, item.raised_by_id),
    ), (400 if form is not None and form.errors else 200)
