"""The portfolio's logs: protected time, caseload, supervision and self-assessment.

Everyone who may see the portfolio reads a log's page (`can_view_portfolio`); posting to it is a separate
view guarded by the log's own rule (the NQSW logs protected time, their line manager records caseload, ...).
"""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from academy.core.errors import DomainError
from academy.core.web import Rule, fix_dates, requires, run_service
from academy.evidence.forms import ConfirmForm
from academy.evidence.policies import can_view_portfolio
from academy.evidence.progress import POINT_LABELS
from academy.extensions import db
from academy.logs import bp
from academy.logs import services as logs
from academy.logs.calculations import protected_time_summary, supervision_summary
from academy.logs.forms import CaseloadForm, ProtectedTimeForm, SupervisionForm
from academy.logs.models import CaseloadSnapshot, ProtectedTimeLog, SelfAssessmentPoint, SupervisionSession
from academy.logs.policies import can_log_protected_time, can_record_caseload, can_record_supervision, can_self_assess
from academy.logs.queries import log_rows, self_assessment_answers
from academy.participants.models import Participant
from academy.participants.queries import load_participant


def _log_page(
    participant: Participant, form: FlaskForm, may_log: Rule, rows: list, template: str, status: int, **context
):
    """One log page: its rows, and its form for those `may_log` allows (a refused form comes back with status 400)."""
    fix_dates(form)
    can_log = may_log(current_user, participant)
    return render_template(template, participant=participant, form=form, rows=rows, can_log=can_log, **context), status


def _protected_time_page(participant: Participant, form: ProtectedTimeForm, status: int = 200):
    """The protected time log with what has been earned and used."""
    rows = log_rows(participant, ProtectedTimeLog, ProtectedTimeLog.taken_on)
    summary = protected_time_summary(participant)
    return _log_page(
        participant, form, can_log_protected_time, rows, "logs/protected_time.html", status, summary=summary
    )


@bp.get("/participants/<int:participant_id>/protected-time")
@requires(can_view_portfolio, load=load_participant)
def protected_time(participant: Participant):
    return _protected_time_page(participant, ProtectedTimeForm())


@bp.post("/participants/<int:participant_id>/protected-time")
@requires(can_log_protected_time, load=load_participant)
def log_protected_time(participant: Participant):
    form = ProtectedTimeForm()
    if form.validate() and run_service(
        form,
        lambda: logs.record_protected_time(
            participant,
            by=current_user,
            taken_on=form.taken_on.data,
            hours=form.hours.data,
            activity=form.activity.data,
        ),
    ):
        flash("Protected time added to your log.", "success")
        return redirect(url_for("logs.protected_time", participant_id=participant.id))
    return _protected_time_page(participant, form, 400)


def _caseload_page(participant: Participant, form: CaseloadForm, status: int = 200):
    """The caseload log against the cohort's target."""
    rows = log_rows(participant, CaseloadSnapshot, CaseloadSnapshot.taken_on)
    target = participant.cohort.settings.get("caseload_target")
    return _log_page(participant, form, can_record_caseload, rows, "logs/caseload.html", status, target=target)


@bp.get("/participants/<int:participant_id>/caseload")
@requires(can_view_portfolio, load=load_participant)
def caseload(participant: Participant):
    return _caseload_page(participant, CaseloadForm())


@bp.post("/participants/<int:participant_id>/caseload")
@requires(can_record_caseload, load=load_participant)
def record_caseload(participant: Participant):
    form = CaseloadForm()
    if form.validate() and run_service(
        form,
        lambda: logs.record_caseload(participant, by=current_user, taken_on=form.taken_on.data, cases=form.cases.data),
    ):
        flash("Caseload recorded.", "success")
        return redirect(url_for("logs.caseload", participant_id=participant.id))
    return _caseload_page(participant, form, 400)


def _supervision_page(participant: Participant, form: SupervisionForm, status: int = 200):
    """The supervision log against the cohort's schedule."""
    rows = log_rows(participant, SupervisionSession, SupervisionSession.held_on)
    return _log_page(
        participant,
        form,
        can_record_supervision,
        rows,
        "logs/supervision.html",
        status,
        kinds=dict(logs.SUPERVISION_KINDS),
        summary=supervision_summary(participant),
    )


@bp.get("/participants/<int:participant_id>/supervision")
@requires(can_view_portfolio, load=load_participant)
def supervision(participant: Participant):
    return _supervision_page(participant, SupervisionForm())


@bp.post("/participants/<int:participant_id>/supervision")
@requires(can_record_supervision, load=load_participant)
def record_supervision(participant: Participant):
    form = SupervisionForm()
    if form.validate() and run_service(
        form,
        lambda: logs.record_supervision(
            participant,
            by=current_user,
            held_on=form.held_on.data,
            kind=form.kind.data,
            was_held=form.was_held.data == "yes",
            duration_minutes=form.duration_minutes.data,
        ),
    ):
        flash("Supervision recorded.", "success")
        return redirect(url_for("logs.supervision", participant_id=participant.id))
    return _supervision_page(participant, form, 400)


def _chosen_point(participant: Participant) -> tuple[list[SelfAssessmentPoint], SelfAssessmentPoint]:
    """The open points and the one asked for (the first by default); 404 for a point that does not exist."""
    points = logs.open_points(participant)
    try:
        return points, SelfAssessmentPoint(request.values.get("point", points[0].value))
    except ValueError:
        abort(404)


def _self_assessment_page(participant, points, point, elements, values, comments, errors, form, status=200):
    """The self-assessment at one point: a radio group and a comment per element."""
    return (
        render_template(
            "logs/self_assessment.html",
            participant=participant,
            points=points,
            point=point,
            point_labels=POINT_LABELS,
            elements=elements,
            values=values,
            comments=comments,
            scale=logs.SELF_ASSESSMENT_SCALE,
            errors=errors,
            confirm_form=form,
            can_edit=can_self_assess(current_user, participant),
        ),
        status,
    )


@bp.get("/participants/<int:participant_id>/self-assessment")
@requires(can_view_portfolio, load=load_participant)
def self_assessment(participant: Participant):
    points, point = _chosen_point(participant)
    elements = logs.self_assessment_elements(participant)
    saved = self_assessment_answers(participant, point)
    values = {el.id: (saved[el.id].value if el.id in saved else None) for el in elements}
    comments = {el.id: (saved[el.id].comment if el.id in saved else "") for el in elements}
    return _self_assessment_page(participant, points, point, elements, values, comments, {}, ConfirmForm())


@bp.post("/participants/<int:participant_id>/self-assessment")
@requires(can_self_assess, load=load_participant)
def save_self_assessment(participant: Participant):
    points, point = _chosen_point(participant)
    elements = logs.self_assessment_elements(participant)
    form = ConfirmForm()
    if not form.validate():
        abort(400)
    values: dict[int, int | None] = {}
    comments: dict[int, str] = {}
    for el in elements:
        raw = request.form.get(f"element_{el.id}", "")
        values[el.id] = int(raw) if raw.isdigit() else None
        comments[el.id] = request.form.get(f"comment_{el.id}", "")
    errors = {
        f"element_{el.id}": f"Choose how confident you feel about {el.label}"
        for el in elements
        if values[el.id] is None
    }
    if not errors:
        chosen = {element_id: value for element_id, value in values.items() if value is not None}
        try:
            logs.save_self_assessment(participant, by=current_user, point=point, values=chosen, comments=comments)
        except DomainError as error:
            # The answers are hand-built radios, not WTForms fields: the refusal goes in the page's own error map.
            db.session.rollback()
            errors[error.field or "point"] = error.message
        else:
            db.session.commit()
            flash("Your self-assessment has been saved.", "success")
            return redirect(url_for("logs.self_assessment", participant_id=participant.id, point=point.value))
    return _self_assessment_page(participant, points, point, elements, values, comments, errors, form, 400)
