"""Writing an evidence entry: choosing its type, the new-entry form and the change form."""

from functools import partial

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from academy.core.errors import DomainError
from academy.core.web import fix_dates, require, requires, run_service
from academy.evidence import attachments as attachment_service
from academy.evidence import bp, services
from academy.evidence.attachments import CheckedFile
from academy.evidence.forms import TYPES_OFFERED, EvidenceForm
from academy.evidence.identifiers import find_identifiers
from academy.evidence.models import EvidenceEntry, EvidenceType
from academy.evidence.policies import can_add_evidence, can_edit_evidence, can_view_portfolio
from academy.evidence.queries import load_entry
from academy.extensions import db
from academy.participants.models import Participant
from academy.participants.queries import load_participant


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
        link_errors=list(form.links.errors or []),
    )


def _checked_upload(form: EvidenceForm) -> CheckedFile | None:
    """The file posted with the entry, checked; None (and a message on the form) when there is none or it is refused."""
    upload = request.files.get("attachment")
    if upload is None or not upload.filename:
        return None
    filename, data = upload.filename, upload.read()
    upload.close()
    # Nothing is written yet: a refused file only puts its message beside the form's own errors.
    return run_service(form, lambda: attachment_service.check_upload(filename, data)).result


def _write(
    form: EvidenceForm,
    participant: Participant,
    type: EvidenceType,
    entry: EvidenceEntry | None,
    links: list[tuple[int, str]],
    checked: CheckedFile | None,
) -> EvidenceEntry:
    """Create or update the entry from the form, with the checked file attached."""
    data = dict(
        by=current_user,
        title=form.title.data,
        activity_date=form.activity_date.data,
        narrative=form.narrative.data,
        links=links,
        anonymised_confirmed=form.anonymised_confirmed.data,
        **_type_fields(form, type),
    )
    if entry is None:
        entry = services.create_evidence(participant, type=type, **data)
    else:
        services.update_evidence(entry, loaded=form.loaded(), **data)
    if checked is not None:
        attachment_service.add_attachment(entry, by=current_user, filename=checked.name, data=checked.data)
    return entry


FILE_NOT_KEPT = "Choose the file again: files are not kept when the form has a problem"


def _check_all(form: EvidenceForm, participant: Participant, type: EvidenceType, links: list[tuple[int, str]]) -> None:
    """Put every problem of the post on the form at once: each link's, then the type's own fields' (those
    the form has not already refused). Nothing is written."""
    for link in links:
        run_service(form, partial(services.check_entry, participant, type, links=[link]))
    fields = _type_fields(form, type)
    if not any(getattr(form, name).errors for name in fields):
        run_service(form, lambda: services.check_entry(participant, type, fields=fields))


def _save(form: EvidenceForm, participant: Participant, type: EvidenceType, entry: EvidenceEntry | None):
    """Validate and save (committed); returns the entry, or None after putting every message on the form."""
    links = _links_from_request(participant)
    form.validate()
    # After validate(), which would clear it: a refused file's message joins the form's own errors.
    checked = _checked_upload(form)
    _check_all(form, participant, type, links)
    saved = None
    if not form.errors:
        saved = run_service(form, lambda: _write(form, participant, type, entry, links, checked)).result
    if saved is None and checked is not None:
        # The browser forgets a chosen file when the page comes back: say so beside the file field.
        form.attachment.errors = [*list(form.attachment.errors or []), FILE_NOT_KEPT]
    return saved, links


def _after_save(form: EvidenceForm, entry: EvidenceEntry):
    """The entry is saved: submit it too when asked and nothing stands in the way, then back to the entry."""
    if not form.submit_for_review.data:
        flash("Your entry has been saved as a draft.", "success")
    elif find_identifiers(entry.narrative):
        flash("Your entry is saved. Check the possible identifiers below before you submit it.", "info")
    else:
        try:
            services.submit_evidence(entry, by=current_user)
        except DomainError as error:
            # Not a form error: the saved draft stays, only the submission is undone and explained.
            db.session.rollback()
            flash(f"Your entry is saved as a draft. {error.message}", "info")
        else:
            db.session.commit()
            flash("Your entry has been submitted for review.", "success")
    return redirect(url_for("evidence.entry", entry_id=entry.id))


@bp.get("/participants/<int:participant_id>/evidence/new")
@requires(can_add_evidence, load=load_participant)
def choose_type(participant: Participant):
    types = [t for t in TYPES_OFFERED if can_add_evidence(current_user, participant, t)]
    return render_template("evidence/choose_type.html", participant=participant, types=types)


@bp.route("/participants/<int:participant_id>/evidence/new/<type_code>", methods=["GET", "POST"])
@requires(can_view_portfolio, load=load_participant)
def new(participant: Participant, type_code: str):
    try:
        type = EvidenceType(type_code)
    except ValueError:
        abort(404)
    if type == EvidenceType.SELF_ASSESSMENT:
        return redirect(url_for("logs.self_assessment", participant_id=participant.id))
    # Who may add depends on the type named in the URL (an assessor adds only observations and feedback).
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
@requires(can_edit_evidence, load=load_entry)
def edit(entry: EvidenceEntry):
    participant = entry.participant
    form = EvidenceForm(obj=entry) if request.method == "GET" else EvidenceForm()
    _prepare_form(form, participant, entry.type)
    if request.method == "GET":
        if entry.observer_is_registered is not None:
            form.observer_is_registered.data = "yes" if entry.observer_is_registered else "no"
        form.milestone_code.data = entry.milestone_code or ""
        form.stamp(entry.version, services.edit_values(entry))
        return _render_form(
            form, participant, entry.type, entry, {link.element_id: link.reason for link in entry.links}
        )
    saved, links = _save(form, participant, entry.type, entry)
    if saved is not None:
        return _after_save(form, saved)
    return _render_form(form, participant, entry.type, entry, dict(links)), 400
