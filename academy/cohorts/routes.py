"""Cohorts: list, create, edit, close, the cohort table (sortable, filterable, CSV), enrolment, import;
the participant page with assignments, milestones, the status timeline and lifecycle actions."""

import csv
import io

import sqlalchemy as sa
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from academy.accounts.models import Role, User
from academy.accounts.policies import can_manage_academy
from academy.accounts.queries import _staff_choices
from academy.audit.services import record_audit
from academy.cohorts import bp
from academy.cohorts.bulk import import_rows
from academy.cohorts.enrolment import NewEnrolment, email_invitation, enrol_person, invite
from academy.cohorts.forms import CohortEditForm, CohortForm, ConfirmForm, EnrolForm, ImportForm
from academy.cohorts.importer import check_file
from academy.cohorts.models import Cohort, CohortStatus
from academy.cohorts.overview import Filters, cohort_rows, filter_choices
from academy.cohorts.pending import discard_pending, load_pending, save_pending
from academy.cohorts.queries import cohort_status_counts
from academy.cohorts.services import create_cohort
from academy.core.dates import today
from academy.core.errors import DomainError
from academy.core.forms import SimpleForm
from academy.core.web import _field_error, require, role_required
from academy.extensions import db
from academy.frameworks.models import Framework
from academy.participants import lifecycle
from academy.participants.models import AssignmentKind, EmploymentType
from academy.programmes.models import Programme
from academy.programmes.services import ensure_default_programmes


def _cohort_or_404(cohort_id: int) -> Cohort:
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None:
        abort(404)
    require(can_manage_academy(current_user))
    return cohort


@bp.get("/cohorts")
@role_required(Role.COORDINATOR)
def index():
    cohorts = db.session.scalars(sa.select(Cohort).order_by(Cohort.start_date.desc())).all()
    return render_template("cohorts/index.html", cohorts=cohorts, counts=cohort_status_counts())


@bp.route("/cohorts/new", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def create():
    ensure_default_programmes()
    form = CohortForm()
    programmes = db.session.scalars(sa.select(Programme).order_by(Programme.is_default.desc(), Programme.name)).all()
    frameworks = db.session.scalars(sa.select(Framework).order_by(Framework.code, Framework.version)).all()
    form.programme.choices = [SelectChoice(p.id, p.name) for p in programmes]
    form.frameworks.choices = [SelectChoice(f.id, f.label) for f in frameworks]
    if form.validate_on_submit():
        chosen = [f for f in frameworks if f.id in form.frameworks.data]
        try:
            cohort = create_cohort(
                form.name.data,
                form.start_date.data,
                db.session.get(Programme, form.programme.data),
                chosen,
                actor=current_user,
            )
        except DomainError as error:
            _field_error(form, error, "name")
        else:
            db.session.commit()
            flash(f"Cohort {cohort.name} created.", "success")
            return redirect(url_for("cohorts.detail", cohort_id=cohort.id))
    return render_template("cohorts/new.html", form=form), 400 if form.errors else 200


@bp.route("/cohorts/<int:cohort_id>/edit", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def edit(cohort_id: int):
    cohort = _cohort_or_404(cohort_id)
    form = CohortEditForm(obj=cohort)
    if form.validate_on_submit():
        name = form.name.data.strip()
        clash = db.session.scalar(sa.select(Cohort.id).where(Cohort.name == name, Cohort.id != cohort.id))
        if clash:
            form.name.errors.append(f"A cohort called {name} already exists.")
        else:
            before = cohort.name
            cohort.name = name
            record_audit(current_user, "cohort.updated", cohort, before={"name": before}, after={"name": name})
            db.session.commit()
            flash("Cohort updated.", "success")
            return redirect(url_for("cohorts.detail", cohort_id=cohort.id))
    close_form = SimpleForm(prefix="close")
    return render_template(
        "cohorts/edit.html", cohort=cohort, form=form, close_form=close_form
    ), 400 if form.errors else 200


@bp.post("/cohorts/<int:cohort_id>/close")
@role_required(Role.COORDINATOR)
def close(cohort_id: int):
    cohort = _cohort_or_404(cohort_id)
    if SimpleForm(prefix="close").validate_on_submit() and cohort.status != CohortStatus.CLOSED:
        before = cohort.status
        cohort.status = CohortStatus.CLOSED
        record_audit(current_user, "cohort.closed", cohort, before={"status": before.value}, after={"status": "closed"})
        db.session.commit()
        flash(f"{cohort.name} is closed: nobody more can be enrolled.", "success")
    return redirect(url_for("cohorts.detail", cohort_id=cohort.id))


@bp.get("/cohorts/<int:cohort_id>")
@role_required(Role.COORDINATOR)
def detail(cohort_id: int):
    cohort = _cohort_or_404(cohort_id)
    filters = Filters.from_args(request.args)
    on = today()
    rows = cohort_rows(cohort, filters, on)
    if request.args.get("format") == "csv":
        return _csv_response(cohort, rows)
    counts = cohort_status_counts().get(cohort.id, {})
    return render_template(
        "cohorts/detail.html",
        cohort=cohort,
        rows=rows,
        filters=filters,
        choices=filter_choices(cohort, on),
        counts=counts,
        today=on,
    )


def _csv_response(cohort: Cohort, rows: list) -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "name",
            "email",
            "team",
            "assessor",
            "status",
            "programme_year",
            "next_milestone",
            "next_due",
            "overdue_milestones",
            "evidence_submitted",
            "evidence_accepted",
            "elements_meeting",
            "elements_rateable",
            "share_meeting",
        ]
    )
    for r in rows:
        share = "" if r.meeting_share is None else f"{r.meeting_share:.2f}"
        due = "on hold" if r.next_on_hold else (r.next_due.isoformat() if r.next_due else "")
        writer.writerow(
            [
                r.name,
                r.email,
                r.team,
                r.assessor or "",
                r.status.value,
                r.programme_year,
                r.next_milestone or "",
                due,
                r.overdue,
                r.evidence_total,
                r.evidence_accepted,
                r.meeting,
                r.rateable,
                share,
            ]
        )
    record_audit(current_user, "cohort.exported", cohort, summary=f"Exported {len(rows)} rows of {cohort.name}")
    db.session.commit()
    filename = f"cohort-{cohort.id}-{today().isoformat()}.csv"
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/cohorts/<int:cohort_id>/enrol", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def enrol(cohort_id: int):
    cohort = _cohort_or_404(cohort_id)
    form = EnrolForm()
    for name, blank in (
        ("assessor", "No assessor yet"),
        ("mentor", "No mentor yet"),
        ("line_manager", "No line manager yet"),
    ):
        getattr(form, name).choices = _staff_choices(blank)
    if form.validate_on_submit():
        try:
            staff = {
                kind: db.session.get(User, getattr(form, kind.value).data)
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
            token = invite(participant.user, actor=current_user) if is_new else None
        except DomainError as error:
            db.session.rollback()
            _field_error(form, error, "email")
        else:
            db.session.commit()
            if token:
                email_invitation(participant.user, token)
            flash(
                f"{participant.name} is enrolled."
                + (" An invitation to set a password has been emailed." if token else " They already had an account."),
                "success",
            )
            return redirect(url_for("participants.participant", participant_id=participant.id))
    return render_template("cohorts/enrol.html", cohort=cohort, form=form), 400 if form.errors else 200


@bp.route("/cohorts/<int:cohort_id>/import", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def import_csv(cohort_id: int):
    cohort = _cohort_or_404(cohort_id)
    form = ImportForm()
    if form.validate_on_submit():
        data = form.file.data.read()
        check = check_file(data, cohort)
        if check.ok:
            token = save_pending(data, cohort=cohort, user=current_user, filename=form.file.data.filename or "")
            return render_template(
                "cohorts/import_preview.html", cohort=cohort, check=check, token=token, form=ConfirmForm()
            )
        return render_template("cohorts/import.html", cohort=cohort, form=form, check=check), 400
    return render_template("cohorts/import.html", cohort=cohort, form=form, check=None), 400 if form.errors else 200


@bp.post("/cohorts/<int:cohort_id>/import/<token>")
@role_required(Role.COORDINATOR)
def confirm_import(cohort_id: int, token: str):
    cohort = _cohort_or_404(cohort_id)
    pending = load_pending(token, cohort=cohort, user=current_user)
    if pending is None or not ConfirmForm().validate_on_submit():
        flash("That upload has expired or was already imported. Upload the file again.", "info")
        return redirect(url_for("cohorts.import_csv", cohort_id=cohort.id))
    data, filename = pending
    check = check_file(data, cohort)  # checked again: the database may have changed since the preview
    if not check.ok:
        return render_template("cohorts/import.html", cohort=cohort, form=ImportForm(), check=check), 400
    try:
        made = import_rows(cohort, check, actor=current_user, source=filename)
        tokens = [(p.user, invite(p.user, actor=current_user)) for p, is_new in made if is_new]
    except DomainError as error:
        db.session.rollback()
        flash(f"{error.message} Nothing was imported.", "info")
        return redirect(url_for("cohorts.import_csv", cohort_id=cohort.id))
    db.session.commit()
    discard_pending(token)
    for user, invitation in tokens:
        email_invitation(user, invitation)
    flash(f"Enrolled {len(made)} people; {len(tokens)} invitations sent.", "success")
    return redirect(url_for("cohorts.detail", cohort_id=cohort.id))


# The participant page and its actions live in their own module, on this blueprint.
