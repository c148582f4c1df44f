"""Progression records, cohort reports, batches of records, and checking a copy against the original."""

from io import BytesIO
from pathlib import Path

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, send_file, url_for
from flask_login import current_user, login_required

from academy.accounts.policies import can_manage_academy
from academy.cohorts.models import Cohort
from academy.core.errors import DomainError
from academy.core.web import require
from academy.extensions import db
from academy.participants.models import Participant
from academy.participants.policies import visible_participants_query
from academy.reports import batch, bp, services
from academy.reports.forms import StartBatchForm, VerifyForm
from academy.reports.models import BatchJob
from academy.reports.policies import (
    can_build_record_batch,
    can_download_cohort_report,
    can_download_record,
    can_verify_documents,
    can_view_batch,
)

POLL_SECONDS = 3  # how often the progress page's script asks for progress


def _pdf_response(rendered: services.RenderedDocument):
    return send_file(
        BytesIO(rendered.data), mimetype="application/pdf", as_attachment=True, download_name=rendered.filename
    )


@bp.get("/reports")
@login_required
def index():
    participants = db.session.scalars(visible_participants_query(current_user)).all()
    participants = sorted(participants, key=lambda p: (p.cohort.name, p.name.lower()))
    cohorts = (
        db.session.scalars(sa.select(Cohort).order_by(Cohort.start_date.desc())).all()
        if can_manage_academy(current_user)
        else []
    )
    return render_template("reports/index.html", participants=participants, cohorts=cohorts)


@bp.get("/participants/<int:participant_id>/progression-record.pdf")
@login_required
def progression_record(participant_id: int):
    participant = db.session.get(Participant, participant_id) or abort(404)
    require(can_download_record(current_user, participant))
    rendered = services.issue_progression_record(participant, actor=current_user)
    db.session.commit()
    return _pdf_response(rendered)


@bp.get("/cohorts/<int:cohort_id>/report.pdf")
@login_required
def cohort_report(cohort_id: int):
    cohort = db.session.get(Cohort, cohort_id) or abort(404)
    require(can_download_cohort_report(current_user, cohort))
    rendered = services.issue_cohort_report(cohort, actor=current_user)
    db.session.commit()
    return _pdf_response(rendered)


@bp.route("/cohorts/<int:cohort_id>/records", methods=["GET", "POST"])
@login_required
def batches(cohort_id: int):
    cohort = db.session.get(Cohort, cohort_id) or abort(404)
    require(can_build_record_batch(current_user, cohort))
    form = StartBatchForm()
    if form.validate_on_submit():
        try:
            job = batch.request_batch(cohort, actor=current_user)
        except DomainError as error:
            flash(error.message, "error")
            return redirect(url_for("reports.batches", cohort_id=cohort.id))
        db.session.commit()
        batch.launch_batch(job.id)
        return redirect(url_for("reports.batch_progress", job_id=job.id))
    jobs = db.session.scalars(
        sa.select(BatchJob).where(BatchJob.cohort_id == cohort.id).order_by(BatchJob.id.desc()).limit(10)
    ).all()
    return render_template("reports/batches.html", cohort=cohort, jobs=jobs, start_form=form)


def _load_batch(job_id: int) -> BatchJob:
    job = db.session.get(BatchJob, job_id) or abort(404)
    require(can_view_batch(current_user, job))
    return job


@bp.get("/reports/batches/<int:job_id>")
@login_required
def batch_progress(job_id: int):
    job = _load_batch(job_id)
    return render_template("reports/batch.html", job=job, poll_seconds=POLL_SECONDS)


@bp.get("/reports/batches/<int:job_id>/status.json")
@login_required
def batch_status(job_id: int):
    """Progress for the page's script, which updates the figures in place (the page never reloads itself)."""
    job = _load_batch(job_id)
    return {
        "status": job.status.value,
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "finished": job.is_finished,
        "stalled": job.is_stalled(),
    }


@bp.get("/reports/batches/<int:job_id>/download")
@login_required
def batch_download(job_id: int):
    job = _load_batch(job_id)
    if job.status.value != "done" or not job.file_path or not Path(job.file_path).is_file():
        abort(404)
    return send_file(
        job.file_path, mimetype="application/zip", as_attachment=True, download_name=Path(job.file_path).name
    )


@bp.route("/reports/verify", methods=["GET", "POST"])
@login_required
def verify():
    require(can_verify_documents(current_user))
    form = VerifyForm()
    result = None
    if form.validate_on_submit():
        try:
            result = services.verify_document(form.reference.data, form.file.data.read(), actor=current_user)
        except DomainError as error:
            form.reference.errors.append(error.message)
        else:
            db.session.commit()
    participant = None
    if result is not None and result.document.participant_id is not None:
        participant = db.session.get(Participant, result.document.participant_id)
    return render_template("reports/verify.html", form=form, result=result, participant=participant)
