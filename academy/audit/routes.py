"""The audit trail, readable by coordinators, in words."""

import sqlalchemy as sa
from flask import render_template, request
from sqlalchemy.orm import joinedload

from academy.accounts.policies import can_manage_academy
from academy.audit import bp
from academy.audit.describe import changes, label
from academy.audit.models import AuditEvent
from academy.core.web import page_number, requires
from academy.extensions import db

PAGE_SIZE = 50


@bp.get("/")
@requires(can_manage_academy)
def index():
    query = sa.select(AuditEvent).options(joinedload(AuditEvent.actor)).order_by(AuditEvent.id.desc())
    action = request.args.get("action", "").strip()
    if action:
        query = query.where(AuditEvent.action.startswith(action))
    events = db.paginate(query, page=page_number(), per_page=PAGE_SIZE, error_out=False)
    areas = sorted({a.partition(".")[0] for a in db.session.scalars(sa.select(AuditEvent.action).distinct())})
    return render_template(
        "audit/index.html",
        events=events,
        action=action,
        areas=[(area, label(area)) for area in areas],
        changes=changes,
    )
