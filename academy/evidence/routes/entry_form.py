"""Writing an evidence entry: choosing its type, the new-entry form and the change form."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms import SelectChoice

from academy.core.errors import DomainError
from academy.core.web import fix_dates, require, show_error
from academy.evidence import attachments as attachment_service
from academy.evidence import bp, services
from academy.evidence.forms import EvidenceForm
from academy.evidence.identifiers import find_identifiers
from academy.evidence.models import EvidenceEntry, EvidenceType
from academy.evidence.policies import can_add_evidence
from academy.evidence.queries import entry_for_change, participant_for_view
from academy.evidence.routes.helpers import TYPES_OFFERED
from academy.extensions import db
from academy.participants.models import Participant


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


def _render_form(form, participant, type, entry=None, links=None):
    fix_dates(form)
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
            show_error(form, error)
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
        show_error(form, error)
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


@bp.get("/participants/<int:participant_id>/evidence/new")
@login_required
def choose_type(participant_id: int):
    participant = participant_for_view(participant_id)
    require(can_add_evidence(current_user, participant))
    types = [t for t in TYPES_OFFERED if can_add_evidence(current_user, participant, t)]
    return render_template("evidence/choose_type.html", participant=participant, types=types)


@bp.route("/participants/<int:participant_id>/evidence/new/<type_code>", methods=["GET", "POST"])
@login_required
def new(participant_id: int, type_code: str):
    participant = participant_for_view(participant_id)
    try:
        type = EvidenceType(type_code)
    except ValueError:
        abort(404)
    if type == EvidenceType.SELF_ASSESSMENT:
        return redirect(url_for("logs.self_assessment", participant_id=participant.id))
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
    entry = entry_for_change(entry_id)
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
