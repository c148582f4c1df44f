"""Milestone reviews: recording one, the NQSW's comment, and both signatures.

The review page authorises per record (can_view_milestone_review): a past assessor still reads the
reviews they signed. What the page offers whom is decided in queries.review_page_state.
"""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from academy.assessment import bp
from academy.assessment.forms import CommentForm, ReviewForm, SignForm, review_form
from academy.assessment.models import Review, ReviewStatus
from academy.assessment.policies import (
    can_comment_on_review,
    can_record_review,
    can_sign_review,
    can_view_milestone_review,
)
from academy.assessment.queries import load_review, load_review_milestone, review_page_state
from academy.assessment.services import reviews as review_services
from academy.assessment.services.ratings import rating_label
from academy.core.web import require, requires, run_service
from academy.participants.models import Milestone


def _review_page(milestone: Milestone, form=None, comment_form=None, status: int = 200):
    """The review page; `form` or `comment_form` is a refused post to show again with its errors."""
    page = review_page_state(milestone, current_user)
    context = review_services.since_last_review(milestone)
    # A form shown afresh carries the version it shows (academy.core.locking); a refused one keeps its own.
    opened_on = (page.review.version if page.review else None), review_services.review_values(page.review)
    if form is None and page.may_record:
        form = review_form(page.review)
        form.stamp(*opened_on)
    if comment_form is None and page.may_comment and page.review is not None:
        comment_form = CommentForm(data={"comment": page.review.nqsw_comment})
        comment_form.stamp(*opened_on)
    return render_template(
        "assessment/review.html",
        participant=milestone.participant,
        milestone=milestone,
        review=page.review,
        state=page.state,
        # The form whose errors the page summarises.
        form=form
        if form is not None and form.errors
        else (comment_form if comment_form and comment_form.errors else form),
        record_form=form if page.may_record else None,
        comment_form=comment_form,
        sign_form=SignForm() if page.may_sign else None,
        signed_by=page.signed_by,
        context=context,
        label=lambda value: rating_label(milestone.participant.cohort, value),
    ), status


@bp.route("/participants/<int:participant_id>/milestones/<int:milestone_id>/review", methods=["GET", "POST"])
@requires(can_view_milestone_review, load=load_review_milestone)
def review(milestone: Milestone):
    if request.method == "GET":
        return _review_page(milestone)
    # Everyone who may see the review reads it; only the current assessor records it.
    require(can_record_review(current_user, milestone.participant))
    form = ReviewForm()
    previous = review_services.previous_review(milestone)
    form.follow_up_needed = previous is not None and bool(previous.actions)
    if form.validate_on_submit():
        record = review_services.ReviewRecord(
            held_on=form.held_on.data,
            attendees=form.attendees.data,
            progress_summary=form.progress_summary.data,
            on_track=form.on_track.data == "yes",
            actions=form.actions.data or "",
            interim_assessment=form.interim_assessment.data,
            previous_actions_progress=form.previous_actions_progress.data or "",
        )
        if run_service(
            form,
            lambda: review_services.record_review(milestone, record, by=current_user, loaded=form.loaded()),
            field="held_on",
        ):
            flash(f"{milestone.title} saved. It can be changed until someone signs it.", "success")
            return redirect(
                url_for("assessment.review", participant_id=milestone.participant_id, milestone_id=milestone.id)
            )
    return _review_page(milestone, form=form, status=400)


@bp.post("/participants/<int:participant_id>/milestones/<int:milestone_id>/review/comment")
@requires(can_comment_on_review, load=load_review)
def comment_review(review: Review):
    milestone = review.milestone
    form = CommentForm()
    if form.validate_on_submit() and run_service(
        form,
        lambda: review_services.add_nqsw_comment(review, form.comment.data, by=current_user, loaded=form.loaded()),
        field="comment",
    ):
        flash("Your comment is saved. Sign the review when you are ready.", "success")
        return redirect(
            url_for("assessment.review", participant_id=milestone.participant_id, milestone_id=milestone.id)
        )
    return _review_page(milestone, comment_form=form, status=400)


@bp.post("/participants/<int:participant_id>/milestones/<int:milestone_id>/review/sign")
@requires(can_sign_review, load=load_review)
def sign_review(review: Review):
    milestone = review.milestone
    form = SignForm()
    if form.validate_on_submit():
        if run_service(form, lambda: review_services.sign_review(review, by=current_user), field="submit"):
            done = review.status == ReviewStatus.SIGNED
            flash(f"{milestone.title} {'is signed by both of you' if done else 'signed'}.", "success")
        else:
            # The page is redirected to, so the refusal travels as a message rather than on the form.
            for message in form.submit.errors:
                flash(message, "error")
    return redirect(url_for("assessment.review", participant_id=milestone.participant_id, milestone_id=milestone.id))
