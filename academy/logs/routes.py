"""The portfolio's logs: protected time, caseload, supervision, the learning CSV and self-assessment."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from academy.core.errors import DomainError
from academy.core.web import fix_dates, require, show_error
from academy.evidence.forms import ConfirmForm
from academy.evidence.progress import POINT_LABELS
from academy.evidence.queries import participant_for_view
from academy.extensions import db
from academy.logs import bp
from academy.logs import services as logs
from academy.logs.calculations import protected_time_summary, supervision_summary
from academy.logs.forms import CaseloadForm, ProtectedTimeForm, SupervisionForm
from academy.logs.models import (
    CaseloadSnapshot,
    ProtectedTimeLog,
    SelfAssessment,
    SelfAssessmentPoint,
    SupervisionSession,
)
from academy.logs.policies import can_log_protected_time, can_record_caseload, can_record_supervision, can_self_assess


def _log_view(participant, form, *, may_log, save, fields, saved, rows, template, context):
    """One log page: a POST is authorised, validated, saved with `save(participant, by=..., **fields())` and
    committed, then back to the page; a GET (or a refused form, with status 400) lists the log's rows, newest
    first. `rows` is (model, date column)."""
    status = 200
    if request.method == "POST":
        require(may_log)
        if form.validate():
            try:
                save(participant, by=current_user, **fields())
                db.session.commit()
                flash(saved, "success")
                return redirect(url_for(request.endpoint, participant_id=participant.id))
            except DomainError as error:
                db.session.rollback()
                show_error(form, error)
        status = 400
    model, newest_first = rows
    listed = db.session.scalars(
        db.select(model).where(model.participant_id == participant.id).order_by(newest_first.desc())
    ).all()
    fix_dates(form)
    page = render_template(template, participant=participant, form=form, rows=listed, can_log=may_log, **context())
    return page, status


@bp.route("/participants/<int:participant_id>/protected-time", methods=["GET", "POST"])
@login_required
def protected_time(participant_id: int):
    participant = participant_for_view(participant_id)
    form = ProtectedTimeForm()
    return _log_view(
        participant,
        form,
        may_log=can_log_protected_time(current_user, participant),
        save=logs.record_protected_time,
        fields=lambda: {"taken_on": form.taken_on.data, "hours": form.hours.data, "activity": form.activity.data},
        saved="Protected time added to your log.",
        rows=(ProtectedTimeLog, ProtectedTimeLog.taken_on),
        template="evidence/protected_time.html",
        context=lambda: {"summary": protected_time_summary(participant)},
    )


@bp.route("/participants/<int:participant_id>/caseload", methods=["GET", "POST"])
@login_required
def caseload(participant_id: int):
    participant = participant_for_view(participant_id)
    form = CaseloadForm()
    return _log_view(
        participant,
        form,
        may_log=can_record_caseload(current_user, participant),
        save=logs.record_caseload,
        fields=lambda: {"taken_on": form.taken_on.data, "cases": form.cases.data},
        saved="Caseload recorded.",
        rows=(CaseloadSnapshot, CaseloadSnapshot.taken_on),
        template="evidence/caseload.html",
        context=lambda: {"target": participant.cohort.settings.get("caseload_target")},
    )


@bp.route("/participants/<int:participant_id>/supervision", methods=["GET", "POST"])
@login_required
def supervision(participant_id: int):
    participant = participant_for_view(participant_id)
    form = SupervisionForm()
    return _log_view(
        participant,
        form,
        may_log=can_record_supervision(current_user, participant),
        save=logs.record_supervision,
        fields=lambda: {
            "held_on": form.held_on.data,
            "kind": form.kind.data,
            "was_held": form.was_held.data == "yes",
            "duration_minutes": form.duration_minutes.data,
        },
        saved="Supervision recorded.",
        rows=(SupervisionSession, SupervisionSession.held_on),
        template="evidence/supervision.html",
        context=lambda: {"kinds": dict(logs.SUPERVISION_KINDS), "summary": supervision_summary(participant)},
    )


@bp.route("/participants/<int:participant_id>/self-assessment", methods=["GET", "POST"])
@login_required
def self_assessment(participant_id: int):
    participant = participant_for_view(participant_id)
    points = logs.open_points(participant)
    try:
        point = SelfAssessmentPoint(request.values.get("point", points[0].value))
    except ValueError:
        abort(404)
    errors: dict[str, str] = {}
    elements = logs.self_assessment_elements(participant)
    existing = {
        row.element_id: row
        for row in db.session.scalars(
            db.select(SelfAssessment).where(
                SelfAssessment.participant_id == participant.id, SelfAssessment.point == point
            )
        )
    }
    values = {el.id: (existing[el.id].value if el.id in existing else None) for el in elements}
    comments = {el.id: (existing[el.id].comment if el.id in existing else "") for el in elements}
    form = ConfirmForm()
    status = 200
    if request.method == "POST":
        require(can_self_assess(current_user, participant))
        if not form.validate():
            abort(400)
        for el in elements:
            raw = request.form.get(f"element_{el.id}", "")
            values[el.id] = int(raw) if raw.isdigit() else None
            comments[el.id] = request.form.get(f"comment_{el.id}", "")
        missing = [el for el in elements if values[el.id] is None]
        for el in missing:
            errors[f"element_{el.id}"] = f"Choose how confident you feel about {el.label}"
        if not errors:
            try:
                logs.save_self_assessment(participant, by=current_user, point=point, values=values, comments=comments)
                db.session.commit()
                flash("Your self-assessment has been saved.", "success")
                return redirect(url_for("logs.self_assessment", participant_id=participant.id, point=point.value))
            except DomainError as error:
                db.session.rollback()
                errors[error.field or "point"] = error.message
        status = 400
    return (
        render_template(
            "evidence/self_assessment.html",
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
