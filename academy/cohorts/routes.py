"""Cohorts: list, create, rename, close, the cohort table (sortable, filterable, CSV), enrolment and import.

The participant page and its actions live in academy/participants.
"""

import sqlalchemy as sa
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
from wtforms import SelectChoice

from academy.accounts.mailing import deliveries_message, delivery_message
from academy.accounts.models import User
from academy.accounts.policies import can_manage_academy
from academy.cohorts import bp, import_jobs
from academy.cohorts.bulk import import_rows
from academy.cohorts.changes import close_cohort, rename_cohort
from academy.cohorts.enrolment import NewEnrolment, email_invitation, enrol_person, invite
from academy.cohorts.exports import export_filename, export_rows, import_template, roster_rows
from academy.cohorts.forms import CohortEditForm, CohortForm, CohortFrameworkForm, ConfirmForm, EnrolForm, ImportForm
from academy.cohorts.framework_links import add_cohort_framework, cohort_has_ratings, remove_cohort_framework
from academy.cohorts.importer import ImportCheck, check_file, count_people
from academy.cohorts.models import Cohort, ImportJob
from academy.cohorts.moves import undoable_move
from academy.cohorts.overview import Filters, cohort_rows, filter_choices
from academy.cohorts.pending import discard_pending, load_pending, save_pending
from academy.cohorts.policies import can_follow_import, can_manage_cohort
from academy.cohorts.queries import cohort_status_counts, frameworks_of, load_cohort, load_import_job
from academy.cohorts.services import cohort_records_on, create_cohort, propose_setup
from academy.core.dates import today
from academy.core.errors import DomainError
from academy.core.forms import SimpleForm
from academy.core.jobs import QUEUE_DOWN
from academy.core.web import csv_download, get_or_404, requires, run_service
from academy.extensions import db
from academy.frameworks.models import Framework
from academy.participants import lifecycle
from academy.participants.models import AssignmentKind, EmploymentType, Participant
from academy.participants.queries import staff_choices
from academy.programmes.models import Programme
from academy.programmes.services import ensure_default_programmes

POLL_SECONDS = 3  # how often a background import's page asks for progress


@bp.get("/cohorts")
@requires(can_manage_academy)
def index():
    cohorts = db.session.scalars(sa.select(Cohort).order_by(Cohort.start_date.desc())).all()
    return render_template("cohorts/index.html", cohorts=cohorts, counts=cohort_status_counts())


@bp.route("/cohorts/new", methods=["GET", "POST"])
@requires(can_manage_academy)
def create():
    """Two steps: the name and start date, then the programme and frameworks proposed for that date."""
    ensure_default_programmes()
    form = CohortForm()
    programmes = db.session.scalars(sa.select(Programme).order_by(Programme.is_default.desc(), Programme.name)).all()
    frameworks = db.session.scalars(sa.select(Framework).order_by(Framework.code, Framework.version)).all()
    form.programme.choices = [SelectChoice(p.id, p.name) for p in programmes]
    form.frameworks.choices = [SelectChoice(f.id, f.label) for f in frameworks]
    proposal = None
    if form.is_submitted():
        form.validate()
        if not {"csrf_token", "name", "start_date"} & set(form.errors):
            start = form.start_date.data
            proposal = propose_setup(start)
            if form.proposed_for.data != start.isoformat():
                # First time with this date: show the proposals, for the coordinator to confirm or change.
                form.programme.data = proposal.programme.id
                form.frameworks.data = [f.id for f in proposal.frameworks]
                form.proposed_for.data = start.isoformat()
                form.programme.errors, form.frameworks.errors = [], []
                return render_template("cohorts/new.html", form=form, proposal=proposal)
            if not form.errors and (
                done := run_service(
                    form,
                    lambda: create_cohort(
                        form.name.data,
                        start,
                        db.session.get_one(Programme, form.programme.data),
                        [f for f in frameworks if f.id in form.frameworks.data],
                        actor=current_user,
                    ),
                    field="name",
                )
            ):
                flash(f"Cohort {done.value.name} created.", "success")
                return redirect(url_for("cohorts.detail", cohort_id=done.value.id))
    return render_template("cohorts/new.html", form=form, proposal=proposal), 400 if form.errors else 200


@bp.route("/cohorts/<int:cohort_id>/edit", methods=["GET", "POST"])
@requires(can_manage_cohort, load=load_cohort)
def edit(cohort: Cohort):
    form = CohortEditForm(obj=cohort)
    if form.validate_on_submit() and run_service(
        form, lambda: rename_cohort(cohort, form.name.data, actor=current_user), field="name"
    ):
        flash("Cohort updated.", "success")
        return redirect(url_for("cohorts.detail", cohort_id=cohort.id))
    close_form = SimpleForm(prefix="close")
    return render_template(
        "cohorts/edit.html", cohort=cohort, form=form, close_form=close_form
    ), 400 if form.errors else 200


@bp.post("/cohorts/<int:cohort_id>/close")
@requires(can_manage_cohort, load=load_cohort)
def close(cohort: Cohort):
    form = SimpleForm(prefix="close")
    # Closing a closed cohort again changes nothing and says nothing.
    done = form.validate_on_submit() and run_service(form, lambda: close_cohort(cohort, actor=current_user))
    if done and done.value:
        flash(f"{cohort.name} is closed: nobody more can be enrolled.", "success")
    return redirect(url_for("cohorts.detail", cohort_id=cohort.id))


@bp.get("/cohorts/<int:cohort_id>")
@requires(can_manage_cohort, load=load_cohort)
def detail(cohort: Cohort):
    filters = Filters.from_args(request.args)
    on = today()
    rows = cohort_rows(cohort, filters, on)
    if request.args.get("format") in ("csv", "figures"):
        export = roster_rows if request.args.get("format") == "csv" else export_rows
        lines = export(cohort, rows, actor=current_user)
        db.session.commit()  # the export's audit event is kept even though the page only reads
        return csv_download(lines, export_filename(cohort, on))
    counts = cohort_status_counts().get(cohort.id, {})
    return render_template(
        "cohorts/detail.html",
        cohort=cohort,
        rows=rows,
        filters=filters,
        choices=filter_choices(cohort, on),
        counts=counts,
        today=on,
        frameworks=frameworks_of(cohort),
        move=undoable_move(cohort),
        undo_form=SimpleForm(prefix="undo"),
    )


def _enrol(cohort: Cohort, form: EnrolForm) -> tuple[Participant, str | None]:
    """Enrol the person on the form; a new account also gets an invitation token (emailed after commit)."""
    staff = {
        kind: db.session.get_one(User, getattr(form, kind.value).data)
        for kind in AssignmentKind
        if getattr(form, kind.value).data
    }
    data = NewEnrolment(
        email=form.email.data,
        given_name=form.given_name.data,
        family_name=form.family_name.data,
        start_date=form.start_date.data,
        fte=lifecycle.parse_fte(form.fte.data),
        team=form.team.data or "",
        swe_number=(form.swe_number.data or "").upper().replace(" ", ""),
        employment_type=EmploymentType(form.employment_type.data),
        staff=staff,
    )
    participant, is_new = enrol_person(cohort, data, actor=current_user)
    return participant, invite(participant.user, actor=current_user) if is_new else None


@bp.route("/cohorts/<int:cohort_id>/enrol", methods=["GET", "POST"])
@requires(can_manage_cohort, load=load_cohort)
def enrol(cohort: Cohort):
    form = EnrolForm()
    for name, blank in (
        ("assessor", "No assessor yet"),
        ("mentor", "No mentor yet"),
        ("line_manager", "No line manager yet"),
    ):
        getattr(form, name).choices = staff_choices(blank)
    if form.validate_on_submit() and (done := run_service(form, lambda: _enrol(cohort, form), field="email")):
        participant, token = done.value
        if token:  # emailed only once the new account is committed
            delivery = email_invitation(participant.user, token)
            db.session.commit()  # records whether it was emailed
            message = Markup("{} is enrolled. {}").format(
                participant.name, delivery_message(delivery, participant.user)
            )
            flash(message, "success" if delivery.sent else "info")
        else:
            flash(f"{participant.name} is enrolled. They already had an account.", "success")
        return redirect(url_for("participants.participant", participant_id=participant.id))
    return render_template("cohorts/enrol.html", cohort=cohort, form=form), 400 if form.errors else 200


@bp.route("/cohorts/<int:cohort_id>/import", methods=["GET", "POST"])
@requires(can_manage_cohort, load=load_cohort)
def import_csv(cohort: Cohort):
    form = ImportForm()
    if form.validate_on_submit():
        data = form.file.data.read()
        check = check_file(data, cohort)
        if check.ok:
            token = save_pending(data, cohort=cohort, user=current_user, filename=form.file.data.filename or "")
            return render_template(
                "cohorts/import_preview.html",
                cohort=cohort,
                check=check,
                token=token,
                form=ConfirmForm(),
                in_background=import_jobs.runs_in_background(len(check.rows), current_app),
            )
        return render_template("cohorts/import.html", cohort=cohort, form=form, check=check), 400
    return render_template("cohorts/import.html", cohort=cohort, form=form, check=None), 400 if form.errors else 200


def _import(cohort: Cohort, check: ImportCheck, filename: str) -> tuple[int, list[tuple[User, str]]]:
    """Enrol every row; how many were enrolled, and the invitation tokens of new accounts (emailed after commit)."""
    made = import_rows(cohort, check, actor=current_user, source=filename)
    return len(made), [(p.user, invite(p.user, actor=current_user)) for p, is_new in made if is_new]


@bp.post("/cohorts/<int:cohort_id>/import/<token>")
@requires(can_manage_cohort, load=load_cohort)
def confirm_import(cohort: Cohort, token: str):
    if not ConfirmForm().validate_on_submit():
        return _upload_again(cohort)
    confirmed = import_jobs.job_for_upload(token)
    if confirmed is not None and confirmed.cohort_id == cohort.id:  # a second click: follow the first
        return redirect(url_for("cohorts.import_progress", import_id=confirmed.id))
    pending = load_pending(token, cohort=cohort, user=current_user)
    if pending is None:
        return _upload_again(cohort)
    data, filename = pending
    people = count_people(data)
    if import_jobs.runs_in_background(people, current_app):
        return _confirm_in_background(cohort, token, filename, people)
    check = check_file(data, cohort)  # checked again: the database may have changed since the preview
    if not check.ok:
        return render_template("cohorts/import.html", cohort=cohort, form=ImportForm(), check=check), 400
    try:
        enrolled, tokens = _import(cohort, check, filename)
    except DomainError as error:
        # The confirmation is a bare button: the refusal is told on the upload page, with nothing imported.
        db.session.rollback()
        flash(f"{error.message} Nothing was imported.", "info")
        return redirect(url_for("cohorts.import_csv", cohort_id=cohort.id))
    db.session.commit()
    discard_pending(token)
    deliveries = [(user, email_invitation(user, invitation)) for user, invitation in tokens]
    db.session.commit()  # records which invitations were emailed
    all_sent = all(delivery.sent for _, delivery in deliveries)
    flash(
        Markup("Enrolled {} people. {}").format(enrolled, deliveries_message(deliveries)),
        "success" if all_sent else "info",
    )
    return redirect(url_for("cohorts.detail", cohort_id=cohort.id))


def _upload_again(cohort: Cohort):
    flash("That upload has expired or was already imported. Upload the file again.", "info")
    return redirect(url_for("cohorts.import_csv", cohort_id=cohort.id))


def _confirm_in_background(cohort: Cohort, token: str, filename: str, people: int):
    """Record the import as a job and start it; its page follows it (cohorts/import_jobs.py)."""
    try:
        job_id = import_jobs.request_import(cohort, token, filename=filename, people=people, actor=current_user).id
        db.session.commit()
    except sa.exc.IntegrityError:  # confirmed twice at the same moment: the other request's job runs it
        db.session.rollback()
        existing = import_jobs.job_for_upload(token)
        if existing is None:
            raise
        return redirect(url_for("cohorts.import_progress", import_id=existing.id))
    if not import_jobs.launch_import(job_id):
        flash(QUEUE_DOWN, "info")
    return redirect(url_for("cohorts.import_progress", import_id=job_id))


@bp.get("/cohorts/imports/<int:import_id>")
@requires(can_follow_import, load=load_import_job)
def import_progress(job: ImportJob):
    return render_template("cohorts/import_job.html", job=job, poll_seconds=POLL_SECONDS)


@bp.get("/cohorts/imports/<int:import_id>/status.json")
@requires(can_follow_import, load=load_import_job)
def import_status(job: ImportJob):
    """Progress for the page's script (the same shape as a batch of records')."""
    return {
        "status": job.status.value,
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "finished": job.is_finished,
        "stalled": job.is_stalled(),
    }


def _frameworks_page(cohort: Cohort, form: CohortFrameworkForm, status: int = 200):
    return render_template(
        "cohorts/frameworks.html",
        cohort=cohort,
        form=form,
        records={f.id: cohort_records_on(cohort, f) for f in cohort.frameworks},
        has_ratings=cohort_has_ratings(cohort),
    ), status


def _framework_form(cohort: Cohort) -> CohortFrameworkForm:
    form = CohortFrameworkForm()
    others = db.session.scalars(sa.select(Framework).order_by(Framework.code, Framework.version)).all()
    form.framework.choices = [SelectChoice(f.id, f.label) for f in others if f not in cohort.frameworks]
    return form


@bp.route("/cohorts/<int:cohort_id>/frameworks", methods=["GET", "POST"])
@requires(can_manage_cohort, load=load_cohort)
def frameworks(cohort: Cohort):
    """Correct the frameworks a cohort is assessed against (cohorts/framework_links.py)."""
    form = _framework_form(cohort)
    if form.validate_on_submit():
        framework = db.session.get_one(Framework, form.framework.data)
        if run_service(form, lambda: add_cohort_framework(cohort, framework, actor=current_user), field="framework"):
            flash(f"{framework.label} added to {cohort.name}.", "success")
            return redirect(url_for("cohorts.frameworks", cohort_id=cohort.id))
    return _frameworks_page(cohort, form, 400 if form.errors else 200)


@bp.post("/cohorts/<int:cohort_id>/frameworks/<int:framework_id>/remove")
@requires(can_manage_cohort, load=load_cohort)
def remove_framework(cohort: Cohort, framework_id: int):
    framework = get_or_404(Framework, framework_id)
    form = _framework_form(cohort)
    if SimpleForm().validate_on_submit() and run_service(
        form, lambda: remove_cohort_framework(cohort, framework, actor=current_user), field="framework"
    ):
        flash(f"{framework.label} removed from {cohort.name}.", "success")
        return redirect(url_for("cohorts.frameworks", cohort_id=cohort.id))
    return _frameworks_page(cohort, form, 400)


@bp.get("/cohorts/import-template.csv")
@requires(can_manage_academy)
def import_template_csv():
    """An empty import file with its columns and one example line."""
    return csv_download(import_template(), "cohort-import-template.csv")
