"""Each role's home page. `/` sends a person to the home of their main role."""

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from academy.accounts.models import Role
from academy.core.auth import role_required
from academy.home.coordinator import coordinator_home
from academy.home.mentor import mentor_home, signed_records
from academy.home.nqsw import nqsw_home

bp = Blueprint("home", __name__)

# A person with several roles lands on the broadest one and can reach the others from there.
HOME_ORDER = ((Role.COORDINATOR, "home.coordinator"), (Role.MENTOR, "home.mentor"), (Role.NQSW, "home.nqsw"))


@bp.get("/")
@login_required
def index():
    for role, endpoint in HOME_ORDER:
        if current_user.has_role(role):
            return redirect(url_for(endpoint))
    return render_template("home/no_role.html")


@bp.get("/home/coordinator")
@role_required(Role.COORDINATOR)
def coordinator():
    return render_template("home/coordinator.html", **coordinator_home(current_user))


@bp.get("/home/mentor")
@role_required(Role.MENTOR)
def mentor():
    return render_template("home/mentor.html", **mentor_home(current_user))


@bp.get("/home/mentor/signed-records")
@role_required(Role.MENTOR)
def signed_records_page():
    """Records a past assessor, mentor or line manager signed: still theirs to read (product.md section 1)."""
    return render_template("home/signed_records.html", groups=signed_records(current_user))


@bp.get("/home/nqsw")
@role_required(Role.NQSW)
def nqsw():
    return render_template("home/nqsw.html", **nqsw_home(current_user))
