"""The pages a person outside the academy sees through their link: no account and no sign-in.

The token in the address is the credential, so each page is sent with `Cache-Control: no-store` and
`Referrer-Policy: no-referrer` (the address never leaves in a Referer header nor stays in a cache).
Every visit is counted against the link and the address; a post may not carry files and is small.
"""

from functools import wraps

from flask import make_response, redirect, render_template, request, url_for
from flask_login import current_user

from academy.core.web import public, run_service
from academy.evidence.identifiers import find_identifiers
from academy.extensions import db
from academy.feedback import answers, bp, links, services
from academy.feedback.forms import ConsentForm
from academy.feedback.models import FeedbackRequest
from academy.feedback.questions import (
    ELEMENT_LIMIT,
    answer_from,
    asks_about_elements,
    element_comments,
    first_name,
    questions_for,
)
from academy.participants.policies import is_own_record

MAX_POST_BYTES = 64 * 1024
TOO_MANY = "This link has been opened too many times in the last hour. Try again in an hour."


def private(view):
    """No caching and no Referer for a page whose address carries a token."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        response = make_response(view(*args, **kwargs))
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    return wrapped


def refused(message: str, status: int):
    return render_template("feedback/refused.html", message=message), status


def _visit(token: str) -> tuple[FeedbackRequest | None, tuple | None]:
    """The request behind `token` if its link works now; else the page that says why not."""
    if request.method == "POST" and (request.content_length or 0) > MAX_POST_BYTES:
        return None, refused("Your answer is too long to send. Shorten it and try again.", 413)
    if request.method == "POST" and request.files:
        return None, refused("Files cannot be sent with feedback.", 400)
    feedback_request = links.find_request_by_token(token)
    if not links.allow_visit(feedback_request, request.remote_addr or "unknown"):
        return None, refused(TOO_MANY, 429)
    db.session.commit()
    refusal = links.link_refusal(feedback_request)
    if refusal:
        return None, refused(refusal, 404 if feedback_request is None else 410)
    if feedback_request is not None and is_own_record(current_user, feedback_request.participant):
        return None, refused(
            "This link is for the person asked for feedback: nobody gives feedback on their own work.", 403
        )
    return feedback_request, None


@bp.route("/feedback/<token>", methods=["GET", "POST"])
@public
@private
def start(token: str):
    feedback_request, refusal = _visit(token)
    if refusal or feedback_request is None:
        return refusal
    form = ConsentForm()
    if form.validate_on_submit() and run_service(form, lambda: services.give_consent(feedback_request)):
        return redirect(url_for("feedback.answer", token=token))
    if request.method == "GET":
        services.open_link(feedback_request)
        db.session.commit()
        form.consent.data = feedback_request.consented_at is not None
    return render_template(
        "feedback/start.html", form=form, feedback_request=feedback_request, first_name=first_name(feedback_request)
    ), 400 if form.errors else 200


@bp.route("/feedback/<token>/answer", methods=["GET", "POST"])
@public
@private
def answer(token: str):
    feedback_request, refusal = _visit(token)
    if refusal or feedback_request is None:
        return refusal
    if feedback_request.consented_at is None:
        return redirect(url_for("feedback.start", token=token))
    form = questions_for(feedback_request)
    comments = element_comments(feedback_request) if request.method == "POST" else {}
    comment_errors = {
        i: f"Keep this to {ELEMENT_LIMIT:,} characters or fewer" for i, c in comments.items() if len(c) > ELEMENT_LIMIT
    }
    warnings = []
    if form.validate_on_submit() and not comment_errors:
        texts = [f.data or "" for f in form.text_fields()] + list(comments.values())
        warnings = [w for text in texts for w in find_identifiers(text)]
        if not warnings or form.checked.data:
            given = answer_from(feedback_request, form, comments)
            if run_service(form, lambda: answers.answer_request(feedback_request, given)):
                return redirect(url_for("feedback.thanks"))
    return render_template(
        "feedback/answer.html",
        form=form,
        feedback_request=feedback_request,
        first_name=first_name(feedback_request),
        young=feedback_request.relationship_kind.is_young,
        elements=feedback_request.elements if asks_about_elements(feedback_request) else [],
        comments=comments,
        comment_errors=comment_errors,
        warnings=warnings,
    ), 400 if (form.errors or comment_errors) else 200


@bp.get("/feedback/thanks")
@public
@private
def thanks():
    return render_template("feedback/thanks.html")
