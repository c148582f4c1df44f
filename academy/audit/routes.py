"""The audit trail, readable by coordinators, in words, filtered by who, whose, what and when."""

import sqlalchemy as sa
from flask import render_template, request
from sqlalchemy.orm import joinedload

from academy.accounts.models import User
from academy.accounts.policies import can_manage_academy
from academy.audit import bp
from academy.audit.describe import changes
from academy.audit.forms import AuditFilterForm
from academy.audit.models import AuditEvent
from academy.core.web import fix_dates, page_number, requires
from academy.extensions import db
from academy.participants.models import Participant

PAGE_SIZE = 50


@bp.get("/")
@requires(can_manage_academy)
def index():
    form = AuditFilterForm(formdata=request.args or None)
    form.set_choices(_people(), _participants(), list(db.session.scalars(sa.select(AuditEvent.action).distinct())))
    query = sa.select(AuditEvent).options(joinedload(AuditEvent.actor)).order_by(AuditEvent.id.desc())
    valid = not request.args or form.validate()
    fix_dates(form)
    if valid:
        query = form.narrow(query)
    events = db.paginate(query, page=page_number(), per_page=PAGE_SIZE, error_out=False)
    filters = {key: values for key, values in request.args.lists() if key != "page"}
    return render_template(
        "audit/index.html", events=events, form=form, filters=filters, changes=changes
    ), 200 if valid else 400


def _people() -> list[tuple[int, str]]:
    """Everyone who appears in the trail as the person who did something, by name."""
    actors = sa.select(AuditEvent.actor_id).where(AuditEvent.actor_id.is_not(None)).distinct()
    rows = db.session.execute(sa.select(User.id, User.name).where(User.id.in_(actors)).order_by(User.name, User.id))
    return [(row.id, row.name) for row in rows]


def _participants() -> list[tuple[int, str]]:
    """Every NQSW whose record appears in the trail, by name, with their cohort."""
    ids = sa.select(AuditEvent.participant_id).where(AuditEvent.participant_id.is_not(None)).distinct()
    participants = db.session.scalars(
        sa.select(Participant)
        .where(Participant.id.in_(ids))
        .options(joinedload(Participant.user), joinedload(Participant.cohort))
    ).all()
    named = sorted(participants, key=lambda p: (p.name.lower(), p.cohort.name, p.id))
    return [(p.id, f"{p.name} ({p.cohort.name})") for p in named]
