"""Cohort list and participant pages."""

import sqlalchemy as sa
from flask import Blueprint, render_template

from academy.accounts.models import Role
from academy.cohorts.models import Cohort
from academy.cohorts.queries import get_participant_for_view
from academy.core.auth import role_required
from academy.core.dates import today
from academy.extensions import db
from academy.home.coordinator import cohort_status_counts

bp = Blueprint("cohorts", __name__)


@bp.get("/cohorts")
@role_required(Role.COORDINATOR)
def index():
    cohorts = db.session.scalars(sa.select(Cohort).order_by(Cohort.start_date.desc())).all()
    return render_template("cohorts/index.html", cohorts=cohorts, counts=cohort_status_counts())


@bp.get("/participants/<int:participant_id>")
@role_required(Role.COORDINATOR, Role.MENTOR, Role.NQSW)
def participant(participant_id: int):
    participant = get_participant_for_view(participant_id)
    return render_template("cohorts/participant.html", participant=participant, today=today())
