"""Milestone reviews: recording one, the NQSW's comment, and both signatures.

The review page authorises per record (policies/records.py): a past assessor still reads the reviews they signed.
"""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from academy.accounts.models import Role, User
from academy.assessment import bp
from academy.assessment.forms import CommentForm, ReviewForm, SignForm, show_error
from academy.assessment.models import ReviewStatus
from academy.assessment.policies import can_comment_on_review, can_record_review, can_view_review
from academy.assessment.queries import milestone_of, review_to_act_on
from academy.assessment.routes.helpers import committed
from academy.assessment.services import reviews as review_services
from academy.assessment.states import REVIEW_LIFECYCLE
from academy.core.errors import DomainError
from academy.core.web import require, role_required
from academy.extensions import db
from academy.participants.models import Participant
from academy.participants.policies import can_view_participant


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
    if comment_form is None and is_nqsw and REVIEW_LIFECYCLE.can(review.status, "comment"):
        comment_form = CommentForm(data={"comment": review.nqsw_comment})
    may_sign = review is not None and (
        (is_nqsw and review.nqsw_comment and REVIEW_LIFECYCLE.can(review.status, "sign_nqsw"))
        or (can_record_review(current_user, participant) and REVIEW_LIFECYCLE.can(review.status, "sign_assessor"))
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
    participant = db.get_or_404(Participant, participant_id)
    milestone = milestone_of(participant, milestone_id)
    existing = review_services.review_for(milestone)
    # Record-level: a past assessor still reads the review they signed (policies/records.py).
    require(can_view_review(current_user, existing) if existing else can_view_participant(current_user, participant))
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
        if committed(form, "held_on", lambda: review_services.record_review(milestone, record, by=current_user)):
            flash(f"{milestone.title} saved. It can be changed until someone signs it.", "success")
            return redirect(url_for("assessment.review", participant_id=participant.id, milestone_id=milestone.id))
    return _review_page(participant, milestone, existing, form=form, status=400)


@bp.post("/participants/<int:participant_id>/milestones/<int:milestone_id>/review/comment")
@role_required(Role.NQSW)
def comment_review(participant_id: int, milestone_id: int):
    participant, milestone, review = review_to_act_on(participant_id, milestone_id)
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
    participant, milestone, review = review_to_act_on(participant_id, milestone_id)
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
