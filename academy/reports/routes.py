"""Progression records, cohort reports, batches of records, and checking a copy against the original."""

from pathlib import Path

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, send_file, url_for
from flask_login import current_user

from academy.accounts.policies import can_manage_academy
from academy.audit.access import audits_access
from academy.cohorts.models import Cohort
from academy.core.web import pdf_download, requires, run_service
from academy.extensions import db
from academy.participants.models import Participant
from academy.participants.policies import visible_participants_query
from academy.participants.queries import load_participant
from academy.reports import batch, bp, services, stored
from academy.reports.forms import StartBatchForm, VerifyForm
from academy.reports.models import BatchJob, BatchStatus
from academy.reports.policies import (
    can_build_record_batch,
    can_download_cohort_report,
    can_download_record,
    can_open_reports,
    can_verify_documents,
    can_view_batch,
)
from academy.reports.queries import load_batch, load_cohort

POLL_SECONDS = 3  # how often the progress page's script asks for progress


@bp.get("/reports")
@requires(can_open_reports)
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
@requires(can_download_record, load=load_participant)
@audits_access("record.downloaded", lambda p: (f"Downloaded the progression record of {p.name}", p), own_too=True)
def progression_record(participant: Participant):
    """The stored record while it still shows the participant's data; otherwise one is asked for."""
    record = stored.stored_record(participant)
    if record is not None and stored.servable(record, participant):
        response = pdf_download(*stored.read_pdf(record, participant))
        response.headers["Cache-Control"] = "no-store"
        return response
    if not stored.in_progress(record):
        try:
            record = stored.request_record(participant, actor=current_user)
            db.session.commit()
        except sa.exc.IntegrityError:  # someone else asked at the same moment: theirs is being rendered
            db.session.rollback()
        else:
            stored.launch_record(record.id)
    return redirect(url_for("reports.record_progress", participant_id=participant.id))


@bp.get("/participants/<int:participant_id>/progression-record")
@requires(can_download_record, load=load_participant)
def record_progress(participant: Participant):
    record = stored.stored_record(participant)
    ready = stored.servable(record, participant)
    return render_template(
        "reports/record.html", participant=participant, record=record, ready=ready, poll_seconds=POLL_SECONDS
    )


@bp.get("/participants/<int:participant_id>/progression-record/status.json")
@requires(can_download_record, load=load_participant)
def record_status(participant: Participant):
    """Progress for the page's script (the same shape as a batch's)."""
    record = stored.stored_record(participant)
    if record is None:
        return {"status": "none", "done": 0, "total": 1, "percent": 0, "finished": True, "stalled": False}
    return {
        "status": record.status.value,
        "done": record.done,
        "total": record.total,
        "percent": record.percent,
        "finished": record.is_finished,
        "stalled": record.is_stalled(),
    }


@bp.get("/cohorts/<int:cohort_id>/report.pdf")
@requires(can_download_cohort_report, load=load_cohort)
@audits_access("cohort_report.downloaded", lambda c: (f"Downloaded the cohort report of {c.name}", None))
def cohort_report(cohort: Cohort):
    rendered = services.issue_cohort_report(cohort, actor=current_user)
    db.session.commit()
    return pdf_download(rendered.data, rendered.filename)


@bp.route("/cohorts/<int:cohort_id>/records", methods=["GET", "POST"])
@requires(can_build_record_batch, load=load_cohort)
def batches(cohort: Cohort):
    form = StartBatchForm()
    if form.validate_on_submit():
        requested = run_service(form, lambda: batch.request_batch(cohort, actor=current_user), field="submit")
        if not requested:  # nothing to build: say why on the same page
            flash(form.submit.errors[-1], "error")
            return redirect(url_for("reports.batches", cohort_id=cohort.id))
        job_id = requested.value.id
        notice = batch.launch_batch(job_id)
        if notice:
            flash(notice, "info")
        return redirect(url_for("reports.batch_progress", job_id=job_id))
    jobs = db.session.scalars(
        sa.select(BatchJob).where(BatchJob.cohort_id == cohort.id).order_by(BatchJob.id.desc()).limit(10)
    ).all()
    return render_template("reports/batches.html", cohort=cohort, jobs=jobs, start_form=form)


@bp.get("/reports/batches/<int:job_id>")
@requires(can_view_batch, load=load_batch)
def batch_progress(job: BatchJob):
    return render_template("reports/batch.html", job=job, poll_seconds=POLL_SECONDS)


@bp.get("/reports/batches/<int:job_id>/status.json")
@requires(can_view_batch, load=load_batch)
def batch_status(job: BatchJob):
    """Progress for the page's script, which updates the figures in place (the page never reloads itself)."""
    return {
        "status": job.status.value,
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "finished": job.is_finished,
        "stalled": job.is_stalled(),
    }


@bp.get("/reports/batches/<int:job_id>/download")
@requires(can_view_batch, load=load_batch)
@audits_access("batch.downloaded", lambda job: (f"Downloaded the progression records of {job.cohort.name}", None))
def batch_download(job: BatchJob):
    if job.status != BatchStatus.DONE or not job.file_path or not Path(job.file_path).is_file():
        abort(404)
    return send_file(
        job.file_path, mimetype="application/zip", as_attachment=True, download_name=Path(job.file_path).name
    )


@bp.route("/reports/verify", methods=["GET", "POST"])
@requires(can_verify_documents)
def verify():
    form = VerifyForm()
    result = None
    if form.validate_on_submit():
        checked = run_service(
            form,
            lambda: services.verify_document(form.reference.data, form.file.data.read(), actor=current_user),
            field="reference",
        )
        result = checked.result
    participant = None
    if result is not None and result.document.participant_id is not None:
        participant = db.session.get(Participant, result.document.participant_id)
    return render_template("reports/verify.html", form=form, result=result, participant=participant)
