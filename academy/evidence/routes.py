"""Portfolio pages: evidence entries, attachments, logs and self-assessment."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from wtforms import SelectChoice

from academy.cohorts.models import Participant
from academy.core.auth import require
from academy.core.errors import DomainError
from academy.evidence import attachments as attachment_service
from academy.evidence import logs, services
from academy.evidence.calculations import protected_time_summary, supervision_summary
from academy.evidence.forms import (
    AttachmentForm,
    CaseloadForm,
    ConfirmForm,
    EvidenceForm,
    ProtectedTimeForm,
    SubmitEntryForm,
    SupervisionForm,
)
from academy.evidence.identifiers import find_identifiers
from academy.evidence.models import (
    Attachment,
    CaseloadSnapshot,
    EvidenceEntry,
    EvidenceStatus,
    EvidenceType,
    ProtectedTimeLog,
    SelfAssessment,
    SelfAssessmentPoint,
    SupervisionSession,
)
from academy.evidence.progress import POINT_LABELS
from academy.extensions import db
from academy.policies.evidence import (
    can_add_evidence,
    can_edit_evidence,
    can_log_protected_time,
    can_record_caseload,
    can_record_supervision,
    can_self_assess,
    can_view_evidence,
    can_view_portfolio,
)
from academy.policies.participants import is_own_record

bp = Blueprint("evidence", __name__)

TYPES_OFFERED = [t for t in EvidenceType if t != EvidenceType.SELF_ASSESSMENT]


def _participant(participant_id: int) -> Participant:
    participant = db.session.get(Participant, participant_id)
    if participant is None:
        abort(404)
    require(can_view_portfolio(current_user, participant))
    return participant


def _entry(entry_id: int) -> EvidenceEntry:
    entry = db.session.get(EvidenceEntry, entry_id)
    if entry is None:
        abort(404)
    require(can_view_evidence(current_user, entry))
    return entry


def _show_error(form, error: DomainError) -> None:
    """Put a service's message next to its field (or on the form when it has none)."""
    name = error.field or ""
    if name.startswith("reason_"):
        name = "links"
    field = getattr(form, name, None) if name else None
    if field is None or not hasattr(field, "errors"):
        field = next(iter(form), None)
    field.errors = [*list(field.errors or []), error.message]


def _grouped_elements(participant: Participant) -> list[tuple]:
    return [(fw, list(fw.elements)) for fw in participant.cohort.frameworks]


def _links_from_request(participant: Participant) -> list[tuple[int, str]]:
    chosen = []
    for raw in request.form.getlist("element"):
        if raw.isdigit():
            chosen.append((int(raw), request.form.get(f"reason_{raw}", "")))
    return chosen


def _type_fields(form: EvidenceForm, type: EvidenceType) -> dict:
    fields: dict = {}
    if type == EvidenceType.DIRECT_OBSERVATION:
        registered = form.observer_is_registered.data
        fields = {
            "observer_name": form.observer_name.data,
            "observer_is_registered": None if registered not in {"yes", "no"} else registered == "yes",
            "setting": form.setting.data,
        }
    elif type in services.FEEDBACK_SOURCES:
        fields = {"feedback_source": form.feedback_source.data}
    elif type == EvidenceType.LEARNING:
        fields = {"hours": form.hours.data}
    elif type == EvidenceType.WRITTEN_REPORT:
        fields = {"report_kind": form.report_kind.data}
    elif type == EvidenceType.CRITICAL_REFLECTION:
        fields = {"milestone_code": form.milestone_code.data or None}
    return fields


def _prepare_form(form: EvidenceForm, participant: Participant, type: EvidenceType) -> None:
    form.feedback_source.choices = [SelectChoice(v, label) for v, label in services.FEEDBACK_SOURCES.get(type, [])]
    form.milestone_code.choices = [SelectChoice("", "Not for a review")] + [
        SelectChoice(m.code, m.title) for m in participant.milestones if m.needs_critical_reflection
    ]


def _fix_dates(form) -> None:
    """A date posted without its three parts has no raw data the GOV.UK widget can show."""
    for field in form:
        if field.type == "DateField" and field.raw_data is not None and len(field.raw_data) != 3:
            field.raw_data = None


def _render_form(form, participant, type, entry=None, links=None):
    _fix_dates(form)
    links = links if links is not None else {}
    return render_template(
        "evidence/form.html",
        form=form,
        participant=participant,
        type=type,
        entry=entry,
        groups=_grouped_elements(participant),
        links=links,
        link_error=(form.links.errors or [None])[0],
    )


def _save(form: EvidenceForm, participant: Participant, type: EvidenceType, entry: EvidenceEntry | None):
    """Validate and save; returns the entry, or None after putting messages on the form."""
    links = _links_from_request(participant)
    upload = request.files.get("attachment")
    checked = None
    if upload is not None and upload.filename:
        try:
            data = upload.read()
            upload.close()
            checked = attachment_service.check_upload(upload.filename, data)
        except DomainError as error:
            _show_error(form, error)
    if not form.validate() or form.attachment.errors:
        return None, links
    data = dict(
        by=current_user,
        title=form.title.data,
        activity_date=form.activity_date.data,
        narrative=form.narrative.data,
        links=links,
        anonymised_confirmed=form.anonymised_confirmed.data,
        **_type_fields(form, type),
    )
    try:
        with db.session.begin_nested():
            if entry is None:
                entry = services.create_evidence(participant, type=type, **data)
            else:
                services.update_evidence(entry, **data)
            if checked is not None:
                attachment_service.add_attachment(entry, by=current_user, filename=checked.name, data=checked.data)
    except DomainError as error:
        _show_error(form, error)
        return None, links
    return entry, links


def _after_save(form: EvidenceForm, entry: EvidenceEntry):
    if form.submit_for_review.data:
        warnings = find_identifiers(entry.narrative)
        if warnings:
            db.session.commit()
            flash("Your entry is saved. Check the possible identifiers below before you submit it.", "info")
            return redirect(url_for("evidence.entry", entry_id=entry.id))
        try:
            services.submit_evidence(entry, by=current_user)
        except DomainError as error:
            db.session.commit()
            flash(f"Your entry is saved as a draft. {error.message}", "info")
            return redirect(url_for("evidence.entry", entry_id=entry.id))
        db.session.commit()
        flash("Your entry has been submitted for review.", "success")
        return redirect(url_for("evidence.entry", entry_id=entry.id))
    db.session.commit()
    flash("Your entry has been saved as a draft.", "success")
    return redirect(url_for("evidence.entry", entry_id=entry.id))


@bp.get("/participants/<int:participant_id>/evidence")
@login_required
def index(participant_id: int):
    participant = _participant(participant_id)
    entries = [
        e
        for e in db.session.scalars(
            db.select(EvidenceEntry)
            .where(EvidenceEntry.participant_id == participant.id)
            .order_by(EvidenceEntry.activity_date.desc(), EvidenceEntry.id.desc())
        )
        if can_view_evidence(current_user, e)
    ]
    return render_template(
        "evidence/index.html",
        participant=participant,
        entries=entries,
        types=TYPES_OFFERED,
        can_add=can_add_evidence(current_user, participant),
        on_behalf=not is_own_record(current_user, participant),
    )


@bp.get("/participants/<int:participant_id>/evidence/new")
@login_required
def choose_type(participant_id: int):
    participant = _participant(participant_id)
    require(can_add_evidence(current_user, participant))
    types = [t for t in TYPES_OFFERED if can_add_evidence(current_user, participant, t)]
    return render_template("evidence/choose_type.html", participant=participant, types=types)


@bp.route("/participants/<int:participant_id>/evidence/new/<type_code>", methods=["GET", "POST"])
@login_required
def new(participant_id: int, type_code: str):
    participant = _participant(participant_id)
    try:
        type = EvidenceType(type_code)
    except ValueError:
        abort(404)
    if type == EvidenceType.SELF_ASSESSMENT:
        return redirect(url_for("evidence.self_assessment", participant_id=participant.id))
    require(can_add_evidence(current_user, participant, type))
    form = EvidenceForm()
    _prepare_form(form, participant, type)
    if request.method == "POST":
        entry, links = _save(form, participant, type, None)
        if entry is not None:
            return _after_save(form, entry)
        return _render_form(form, participant, type, links=dict(links)), 400
    return _render_form(form, participant, type)


@bp.route("/evidence/<int:entry_id>/edit", methods=["GET", "POST"])
@login_required
def edit(entry_id: int):
    entry = _entry(entry_id)
    require(can_edit_evidence(current_user, entry))
    participant = entry.participant
    form = EvidenceForm(obj=entry) if request.method == "GET" else EvidenceForm()
    _prepare_form(form, participant, entry.type)
    if request.method == "GET":
        if entry.observer_is_registered is not None:
            form.observer_is_registered.data = "yes" if entry.observer_is_registered else "no"
        form.milestone_code.data = entry.milestone_code or ""
        return _render_form(
            form, participant, entry.type, entry, {link.element_id: link.reason for link in entry.links}
        )
    saved, links = _save(form, participant, entry.type, entry)
    if saved is not None:
        return _after_save(form, saved)
    return _render_form(form, participant, entry.type, entry, dict(links)), 400


@bp.get("/evidence/<int:entry_id>")
@login_required
def entry(entry_id: int):
    entry = _entry(entry_id)
    return _render_entry(entry, SubmitEntryForm(), AttachmentForm())


def _render_entry(entry, submit_form, attachment_form, status=200):
    editable = can_edit_evidence(current_user, entry)
    return (
        render_template(
            "evidence/entry.html",
            entry=entry,
            participant=entry.participant,
            submit_form=submit_form,
            attachment_form=attachment_form,
            remove_form=ConfirmForm(),
            editable=editable,
            warnings=find_identifiers(entry.narrative) if editable else [],
            sources=dict(services.FEEDBACK_SOURCES.get(entry.type, [])),
            milestones={m.code: m.title for m in entry.participant.milestones},
        ),
        status,
    )


@bp.post("/evidence/<int:entry_id>/submit")
@login_required
def submit(entry_id: int):
    entry = _entry(entry_id)
    require(can_edit_evidence(current_user, entry))
    form = SubmitEntryForm()
    if not form.validate():
        abort(400)
    try:
        if form.anonymised_confirmed.data:
            services.confirm_anonymised(entry, by=current_user)
        services.submit_evidence(entry, by=current_user)
    except DomainError as error:
        db.session.rollback()
        entry = _entry(entry_id)
        form.anonymised_confirmed.errors = [error.message]
        return _render_entry(entry, form, AttachmentForm(), 400)
    db.session.commit()
    flash("Your entry has been submitted for review.", "success")
    return redirect(url_for("evidence.entry", entry_id=entry.id))


@bp.post("/evidence/<int:entry_id>/attachments")
@login_required
def upload(entry_id: int):
    entry = _entry(entry_id)
    require(can_edit_evidence(current_user, entry))
    form = AttachmentForm()
    file = request.files.get("attachment")
    if form.validate():
        try:
            if file is None or not file.filename:
                raise DomainError("Choose a file to upload.", field="attachment")
            data = file.read()
            file.close()
            attachment_service.add_attachment(entry, by=current_user, filename=file.filename, data=data)
        except DomainError as error:
            db.session.rollback()
            entry = _entry(entry_id)
            form.attachment.errors = [error.message]
            return _render_entry(entry, SubmitEntryForm(), form, 400)
        db.session.commit()
        flash("The file has been attached.", "success")
    return redirect(url_for("evidence.entry", entry_id=entry.id))


def _attachment(entry: EvidenceEntry, attachment_id: int) -> Attachment:
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.entry_id != entry.id:
        abort(404)
    return attachment


@bp.get("/evidence/<int:entry_id>/attachments/<int:attachment_id>")
@login_required
def download(entry_id: int, attachment_id: int):
    entry = _entry(entry_id)
    attachment = _attachment(entry, attachment_id)
    path = attachment_service.stored_path(attachment)
    if not path.is_file():
        abort(404)
    response = send_file(
        path, mimetype=attachment.content_type, as_attachment=True, download_name=attachment.original_name
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/evidence/<int:entry_id>/attachments/<int:attachment_id>/remove")
@login_required
def remove_attachment(entry_id: int, attachment_id: int):
    entry = _entry(entry_id)
    require(can_edit_evidence(current_user, entry))
    attachment = _attachment(entry, attachment_id)
    if ConfirmForm().validate():
        attachment_service.remove_attachment(attachment, by=current_user)
        db.session.commit()
        flash("The file has been removed.", "success")
    return redirect(url_for("evidence.entry", entry_id=entry.id))


# Logs -----------------------------------------------------------------------------------------


def _log_page(participant, template, form, status=200, **context):
    _fix_dates(form)
    return render_template(template, participant=participant, form=form, **context), status


@bp.route("/participants/<int:participant_id>/protected-time", methods=["GET", "POST"])
@login_required
def protected_time(participant_id: int):
    participant = _participant(participant_id)
    form = ProtectedTimeForm()
    status = 200
    if request.method == "POST":
        require(can_log_protected_time(current_user, participant))
        if form.validate():
            try:
                logs.record_protected_time(
                    participant,
                    by=current_user,
                    taken_on=form.taken_on.data,
                    hours=form.hours.data,
                    activity=form.activity.data,
                )
                db.session.commit()
                flash("Protected time added to your log.", "success")
                return redirect(url_for("evidence.protected_time", participant_id=participant.id))
            except DomainError as error:
                db.session.rollback()
                _show_error(form, error)
        status = 400
    rows = db.session.scalars(
        db.select(ProtectedTimeLog)
        .where(ProtectedTimeLog.participant_id == participant.id)
        .order_by(ProtectedTimeLog.taken_on.desc())
    ).all()
    return _log_page(
        participant,
        "evidence/protected_time.html",
        form,
        status,
        rows=rows,
        summary=protected_time_summary(participant),
        can_log=can_log_protected_time(current_user, participant),
    )


@bp.route("/participants/<int:participant_id>/caseload", methods=["GET", "POST"])
@login_required
def caseload(participant_id: int):
    participant = _participant(participant_id)
    form = CaseloadForm()
    status = 200
    if request.method == "POST":
        require(can_record_caseload(current_user, participant))
        if form.validate():
            try:
                logs.record_caseload(participant, by=current_user, taken_on=form.taken_on.data, cases=form.cases.data)
                db.session.commit()
                flash("Caseload recorded.", "success")
                return redirect(url_for("evidence.caseload", participant_id=participant.id))
            except DomainError as error:
                db.session.rollback()
                _show_error(form, error)
        status = 400
    rows = db.session.scalars(
        db.select(CaseloadSnapshot)
        .where(CaseloadSnapshot.participant_id == participant.id)
        .order_by(CaseloadSnapshot.taken_on.desc())
    ).all()
    return _log_page(
        participant,
        "evidence/caseload.html",
        form,
        status,
        rows=rows,
        target=participant.cohort.settings.get("caseload_target"),
        can_log=can_record_caseload(current_user, participant),
    )


@bp.route("/participants/<int:participant_id>/supervision", methods=["GET", "POST"])
@login_required
def supervision(participant_id: int):
    participant = _participant(participant_id)
    form = SupervisionForm()
    status = 200
    if request.method == "POST":
        require(can_record_supervision(current_user, participant))
        if form.validate():
            try:
                logs.record_supervision(
                    participant,
                    by=current_user,
                    held_on=form.held_on.data,
                    kind=form.kind.data,
                    was_held=form.was_held.data == "yes",
                    duration_minutes=form.duration_minutes.data,
                )
                db.session.commit()
                flash("Supervision recorded.", "success")
                return redirect(url_for("evidence.supervision", participant_id=participant.id))
            except DomainError as error:
                db.session.rollback()
                _show_error(form, error)
        status = 400
    rows = db.session.scalars(
        db.select(SupervisionSession)
        .where(SupervisionSession.participant_id == participant.id)
        .order_by(SupervisionSession.held_on.desc())
    ).all()
    return _log_page(
        participant,
        "evidence/supervision.html",
        form,
        status,
        rows=rows,
        kinds=dict(logs.SUPERVISION_KINDS),
        summary=supervision_summary(participant),
        can_log=can_record_supervision(current_user, participant),
    )


@bp.get("/participants/<int:participant_id>/learning.csv")
@login_required
def learning_csv(participant_id: int):
    participant = _participant(participant_id)
    require(is_own_record(current_user, participant))
    return Response(
        logs.learning_csv(participant),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="learning-and-cpd.csv"'},
    )


@bp.route("/participants/<int:participant_id>/self-assessment", methods=["GET", "POST"])
@login_required
def self_assessment(participant_id: int):
    participant = _participant(participant_id)
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
                return redirect(url_for("evidence.self_assessment", participant_id=participant.id, point=point.value))
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


@bp.app_template_global()
def evidence_status_colour(status: EvidenceStatus) -> str:
    return {
        EvidenceStatus.DRAFT: "grey",
        EvidenceStatus.SUBMITTED: "blue",
        EvidenceStatus.RESUBMITTED: "blue",
        EvidenceStatus.ACCEPTED: "green",
        EvidenceStatus.RETURNED: "orange",
    }[status]
