"""Asking for feedback, the list of requests, one request (withdraw, send again, paper answer, printed
form) and the coordinator's settings."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from academy.core.web import fix_dates, requires, run_service
from academy.evidence.services import cohort_elements
from academy.extensions import db
from academy.feedback import answers, bp, links, services
from academy.feedback.forms import ButtonForm, PaperForm, RequestForm, SettingsForm
from academy.feedback.mailing import delivery_words, send_request
from academy.feedback.models import OPEN_STATES, FeedbackRequest, Relationship, RequestState
from academy.feedback.policies import (
    can_change_feedback_request,
    can_manage_feedback_settings,
    can_request_feedback,
    can_view_feedback_request,
    can_view_feedback_requests,
)
from academy.feedback.queries import load_request, requests_of
from academy.feedback.questions import questions_for
from academy.participants.models import Participant
from academy.participants.queries import load_participant


@bp.get("/participants/<int:participant_id>/feedback")
@requires(can_view_feedback_requests, load=load_participant)
def index(participant: Participant):
    settings = links.feedback_settings()
    db.session.commit()  # the settings row, the first time
    return render_template(
        "feedback/index.html",
        participant=participant,
        requests=requests_of(participant),
        state_now=links.state_now,
        enabled=settings.enabled,
        can_ask=can_request_feedback(current_user, participant),
    )


def _element_choices(participant: Participant) -> list[SelectChoice]:
    elements = cohort_elements(participant).values()
    top = [e for e in elements if e.parent_id is None]
    return [SelectChoice(e.id, f"{e.label} ({e.framework.name})") for e in top]


@bp.route("/participants/<int:participant_id>/feedback/new", methods=["GET", "POST"])
@requires(can_request_feedback, load=load_participant)
def new(participant: Participant):
    allowed = links.allowed_relationships()
    if not allowed:
        flash("Outside feedback is switched off by your academy's coordinators.", "info")
        return redirect(url_for("feedback.index", participant_id=participant.id))
    form = RequestForm()
    form.relationship.choices = [SelectChoice(r.value, r.label) for r in allowed]
    form.elements.choices = _element_choices(participant)
    if form.validate_on_submit():
        new_request = services.NewRequest(
            relationship=form.relationship.data,
            name=form.name.data,
            email=form.email.data if form.how.data == "email" else None,
            about=form.about.data,
            activity_date=form.activity_date.data,
            message=form.message.data or "",
            element_ids=list(form.elements.data or []),
        )
        done = run_service(form, lambda: services.request_feedback(participant, new_request, by=current_user))
        if done:
            feedback_request, token = done.value
            _email(feedback_request, token)
            return redirect(url_for("feedback.detail", request_id=feedback_request.id))
    fix_dates(form)
    return render_template("feedback/new.html", form=form, participant=participant), 400 if form.errors else 200


def _email(feedback_request: FeedbackRequest, token: str | None) -> None:
    """Email the committed request's link and say what became of it; a printed form is only flashed."""
    if token is None:
        flash("The request is saved. Print the form below and hand it over.", "success")
        return
    delivery = send_request(feedback_request, token)
    db.session.commit()
    flash(delivery_words(delivery, feedback_request.recipient_name), "success" if delivery.sent else "info")


@bp.get("/feedback/requests/<int:request_id>")
@requires(can_view_feedback_request, load=load_request)
def detail(feedback_request: FeedbackRequest):
    return _render_detail(feedback_request, PaperForm())


def _render_detail(feedback_request: FeedbackRequest, paper_form: PaperForm, status: int = 200):
    state = links.state_now(feedback_request)
    fix_dates(paper_form)
    return (
        render_template(
            "feedback/detail.html",
            feedback_request=feedback_request,
            participant=feedback_request.participant,
            state=state,
            can_change=can_change_feedback_request(current_user, feedback_request),
            can_withdraw=state not in {RequestState.ANSWERED, RequestState.WITHDRAWN},
            can_send_again=feedback_request.recipient_email is not None
            and state in {*OPEN_STATES, RequestState.EXPIRED},
            button_form=ButtonForm(),
            form=paper_form if paper_form.errors else None,
            paper_form=paper_form,
        ),
        status,
    )


@bp.post("/feedback/requests/<int:request_id>/withdraw")
@requires(can_change_feedback_request, load=load_request)
def withdraw(feedback_request: FeedbackRequest):
    form = ButtonForm()
    if form.validate() and run_service(form, lambda: services.withdraw(feedback_request, by=current_user)):
        flash("The request is withdrawn: its link no longer works.", "success")
    else:
        flash(" ".join(form.submit.errors or ["The request could not be withdrawn."]), "info")
    return redirect(url_for("feedback.detail", request_id=feedback_request.id))


@bp.post("/feedback/requests/<int:request_id>/send-again")
@requires(can_change_feedback_request, load=load_request)
def send_again(feedback_request: FeedbackRequest):
    form = ButtonForm()
    done = form.validate() and run_service(form, lambda: services.send_again(feedback_request, by=current_user))
    if done:
        _email(feedback_request, done.value)
    else:
        flash(" ".join(form.submit.errors or ["The request could not be sent again."]), "info")
    return redirect(url_for("feedback.detail", request_id=feedback_request.id))


@bp.post("/feedback/requests/<int:request_id>/paper")
@requires(can_change_feedback_request, load=load_request)
def paper(feedback_request: FeedbackRequest):
    form = PaperForm()
    if form.validate():
        upload = request.files.get("attachment")
        filename, data = (upload.filename or "", upload.read()) if upload is not None else ("", b"")
        answer = answers.PaperAnswer(form.given_on.data, filename, data, form.summary.data or "")
        done = run_service(
            form, lambda: answers.record_paper_answer(feedback_request, answer, by=current_user), field="attachment"
        )
        if done:
            flash("The paper feedback is uploaded and waits for the assessor's review.", "success")
            return redirect(url_for("evidence.entry", entry_id=done.value.id))
    return _render_detail(feedback_request, form, 400)


@bp.get("/feedback/requests/<int:request_id>/print")
@requires(can_view_feedback_request, load=load_request)
def print_form(feedback_request: FeedbackRequest):
    """The questions on paper, for a person who answers by hand."""
    form = questions_for(feedback_request, formdata=None)
    return render_template("feedback/print.html", feedback_request=feedback_request, answer_form=form)


@bp.route("/feedback/settings", methods=["GET", "POST"])
@requires(can_manage_feedback_settings)
def settings():
    current = links.feedback_settings()
    form = SettingsForm(data={"enabled": "on" if current.enabled else "off", "allowed": list(current.allowed or [])})
    form.allowed.choices = [SelectChoice(r.value, r.label) for r in Relationship]
    if form.validate_on_submit() and run_service(
        form,
        lambda: services.update_settings(
            enabled=form.enabled.data == "on", allowed=form.allowed.data or [], actor=current_user
        ),
    ):
        flash("Outside feedback settings saved.", "success")
        return redirect(url_for("feedback.settings"))
    if request.method == "GET":
        db.session.commit()  # the settings row, the first time
    elif not form.errors:
        abort(400)
    return render_template("feedback/settings.html", form=form), 400 if form.errors else 200


@bp.app_template_global()
def feedback_state_colour(state: RequestState) -> str:
    """The GOV.UK tag colour of a request's state."""
    return {
        RequestState.SENT: "blue",
        RequestState.OPENED: "light-blue",
        RequestState.ANSWERED: "green",
        RequestState.EXPIRED: "grey",
        RequestState.WITHDRAWN: "grey",
        RequestState.ON_PAPER: "purple",
    }[state]
