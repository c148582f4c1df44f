"""Each role's home page. `/` sends a person to the home of their main role."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from academy.accounts.models import Role
from academy.accounts.policies import can_manage_academy, is_mentor, is_nqsw, is_signed_in
from academy.assessment.services.evidence_review import bulk_accept
from academy.core.errors import DomainError
from academy.core.web import get_or_404, require, requires
from academy.evidence.models import EvidenceEntry
from academy.evidence.policies import can_review_evidence
from academy.extensions import db
from academy.home import bp
from academy.home.coordinator import coordinator_home
from academy.home.mentor import mentor_home, render_mentor_home, signed_records
from academy.home.nqsw import nqsw_home
from academy.home.reminders import reminders_for

# A person with several roles lands on the broadest one and can reach the others from there.
HOME_ORDER = ((Role.COORDINATOR, "home.coordinator"), (Role.MENTOR, "home.mentor"), (Role.NQSW, "home.nqsw"))


@bp.app_context_processor
def reminder_helpers() -> dict:
    """`assessment_reminders()` in any template: what is due or overdue for the signed-in person."""

    def assessment_reminders() -> list:
        return reminders_for(current_user) if current_user.is_authenticated else []

    return {"assessment_reminders": assessment_reminders}


@bp.get("/")
@requires(is_signed_in)
def index():
    for role, endpoint in HOME_ORDER:
        if current_user.has_role(role):
            return redirect(url_for(endpoint))
    return render_template("home/no_role.html")


@bp.get("/home/coordinator")
@requires(can_manage_academy)
def coordinator():
    return render_template("home/coordinator.html", **coordinator_home(current_user))


@bp.get("/home/mentor")
@requires(is_mentor)
def mentor():
    return render_template("home/mentor.html", **mentor_home(current_user))


@bp.get("/home/mentor/signed-records")
@requires(is_mentor)
def signed_records_page():
    """Records a past assessor, mentor or line manager signed: still theirs to read (docs/product.md section 1)."""
    return render_template("home/signed_records.html", groups=signed_records(current_user))


@bp.get("/home/nqsw")
@requires(is_nqsw)
def nqsw():
    return render_template("home/nqsw.html", **nqsw_home(current_user))


@bp.post("/assessment/evidence/accept")  # the form is on the mentor home, which it re-renders
@requires(is_mentor)
def bulk_accept_entries():
    ids = [int(value) for value in request.form.getlist("entries") if value.isdigit()]
    entries = [get_or_404(EvidenceEntry, entry_id) for entry_id in ids]
    for entry in entries:
        require(can_review_evidence(current_user, entry))
    try:
        bulk_accept(entries, by=current_user)
    except DomainError as error:  # not a WTForm: the message goes above the list it was about
        db.session.rollback()
        return render_mentor_home(bulk_error=error.message), 400
    db.session.commit()
    flash(
        f"Accepted {len(entries)} entr{'y' if len(entries) == 1 else 'ies'} without rating anything. "
        "Choose the ratings on each NQSW's rating grid.",
        "success",
    )
    return redirect(url_for("home.mentor"))
