"""The participant page: summary, assignments, milestones, status timeline, and the coordinator's actions."""

from dataclasses import asdict
from decimal import Decimal

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from academy.accounts.mailing import delivery_message
from academy.accounts.models import User
from academy.audit.access import audits_access
from academy.cohorts.enrolment import email_invitation, invite
from academy.core.dates import today
from academy.core.errors import DomainError
from academy.core.forms import SimpleForm
from academy.core.web import requires, run_service
from academy.extensions import db
from academy.participants import bp, lifecycle
from academy.participants.details import Details, current_details, details_values, update_participant_details
from academy.participants.forms import (
    ActivateForm,
    AssignmentForm,
    DetailsForm,
    EndForm,
    FteForm,
    PauseForm,
    ResumeForm,
)
from academy.participants.models import AssignmentKind, LeavingDestination, Participant, PauseReason
from academy.participants.policies import can_manage_participant, can_view_participant
from academy.participants.queries import load_participant, staff_choices
from academy.participants.services import assign_staff
from academy.participants.states import allowed_actions


def _participant_forms(participant: Participant, submitted: str | None = None) -> dict:
    """Every action form of the page; only the `submitted` one reads the posted data."""

    def make(key: str, cls, prefix: str):
        return cls(prefix=prefix) if key == submitted else cls(prefix=prefix, formdata=None)

    assignment = make("assignment_form", AssignmentForm, "assign")
    assignment.user.choices = staff_choices("Choose a member of staff")
    return {
        "assignment_form": assignment,
        "pause_form": make("pause_form", PauseForm, "pause"),
        "resume_form": make("resume_form", ResumeForm, "resume"),
        "fte_form": make("fte_form", FteForm, "fte"),
        "end_form": make("end_form", EndForm, "end"),
        "activate_form": make("activate_form", ActivateForm, "activate"),
        "invite_form": make("invite_form", SimpleForm, "invite"),
    }


def _render_participant(participant: Participant, forms: dict | None = None, status: int = 200):
    forms = forms or _participant_forms(participant)
    return render_template(
        "participants/participant.html",
        participant=participant,
        today=today(),
        actions=allowed_actions(participant.status),
        AssignmentKind=AssignmentKind,
        **forms,
    ), status


@bp.get("/participants/<int:participant_id>")
@requires(can_view_participant, load=load_participant)
@audits_access("participant.viewed", lambda p: (f"Viewed the record of {p.name}", p))
def participant(participant: Participant):
    return _render_participant(participant)


def _assign(participant: Participant, form: AssignmentForm) -> None:
    staff = db.session.get(User, form.user.data)
    if staff is None:
        raise DomainError("Choose a member of staff.", field="user")
    assign_staff(
        participant,
        staff,
        AssignmentKind(form.kind.data),
        starts_on=form.starts_on.data,
        actor=current_user,
        handover_note=form.handover_note.data or "",
    )


@bp.post("/participants/<int:participant_id>/assignments")
@requires(can_manage_participant, load=load_participant)
def assign(participant: Participant):
    forms = _participant_forms(participant, "assignment_form")
    form = forms["assignment_form"]
    if form.validate_on_submit() and run_service(form, lambda: _assign(participant, form), field="user"):
        flash("Assignment saved.", "success")
        return redirect(url_for("participants.participant", participant_id=participant.id))
    return _render_participant(participant, forms | {"form": form}, 400)


@bp.post("/participants/<int:participant_id>/<action>")
@requires(can_manage_participant, load=load_participant)
def lifecycle_action(participant: Participant, action: str):
    key = {
        "pause": "pause_form",
        "resume": "resume_form",
        "fte": "fte_form",
        "end": "end_form",
        "activate": "activate_form",
        "invite": "invite_form",
    }.get(action)
    if key is None:
        abort(404)
    forms = _participant_forms(participant, key)
    form = forms[key]
    first = next(name for name in ("on", "starts_on", "fte", "reason", "submit") if hasattr(form, name))
    if form.validate_on_submit() and (
        done := run_service(form, lambda: _apply(action, participant, form), field=first)
    ):
        message = done.value or ""
        if action == "invite":  # the token is emailed only once the new invitation is committed
            delivery = email_invitation(participant.user, message)
            db.session.commit()  # records whether it was emailed
            flash(
                delivery_message(delivery, participant.user, "A new invitation"), "success" if delivery.sent else "info"
            )
        else:
            flash(message, "success")
        return redirect(url_for("participants.participant", participant_id=participant.id))
    return _render_participant(participant, forms | {"form": form}, 400)


def _apply(action: str, participant: Participant, form) -> str:
    actor = current_user
    if action == "pause":
        lifecycle.pause(
            participant,
            actor=actor,
            reason=PauseReason(form.reason.data),
            starts_on=form.starts_on.data,
            expected_end=form.expected_end.data,
            note=form.note.data or "",
        )
        return f"{participant.name} is paused. Later due dates have moved."
    if action == "resume":
        lifecycle.resume(participant, actor=actor, on=form.on.data, note=form.note.data or "")
        return f"{participant.name} has resumed. Due dates now count the pause's real length."
    if action == "fte":
        lifecycle.change_fte(
            participant,
            Decimal(lifecycle.parse_fte(form.fte.data)),
            actor=actor,
            on=form.on.data,
            note=form.note.data or "",
        )
        return f"{participant.name}'s FTE is now {participant.fte}."
    if action == "end":
        end = lifecycle.leave if form.action.data == "leave" else lifecycle.withdraw
        end(
            participant,
            actor=actor,
            on=form.on.data,
            reason=form.reason.data,
            destination=LeavingDestination(form.destination.data),
            note=form.note.data or "",
        )
        return f"{participant.name} is recorded as {participant.status.label.lower()}."
    if action == "activate":
        lifecycle.activate(participant, actor=actor, on=form.on.data)
        return f"{participant.name} is recorded as started."
    if participant.user.password_hash:
        raise DomainError(f"{participant.name} has already set a password.")
    return invite(participant.user, actor=actor)  # the "invite" action: the token, emailed after commit


@bp.route("/participants/<int:participant_id>/details", methods=["GET", "POST"])
@requires(can_manage_participant, load=load_participant)
def edit_details(participant: Participant):
    """Correct the name, email, team, SWE number or employment type; the audit keeps the old values."""
    form = DetailsForm(data=asdict(current_details(participant)) if request.method == "GET" else None)
    if request.method == "GET":
        form.stamp(participant.version, details_values(participant))
    if form.validate_on_submit():
        details = Details(
            name=form.name.data or "",
            email=form.email.data or "",
            team=form.team.data or "",
            swe_number=form.swe_number.data or "",
            employment_type=form.employment_type.data or "",
        )
        done = run_service(
            form,
            lambda: update_participant_details(participant, details, by=current_user, loaded=form.loaded()),
            field="name",
        )
        if done:
            flash("Details corrected." if done.value else "Nothing was changed.", "success")
            return redirect(url_for("participants.participant", participant_id=participant.id))
    return render_template("participants/details.html", participant=participant, form=form), 400 if form.errors else 200
