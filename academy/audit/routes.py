"""The audit trail, readable by coordinators."""

import sqlalchemy as sa
from flask import render_template, request
from sqlalchemy.orm import joinedload

from academy.accounts.models import Role
from academy.audit import bp
from academy.audit.models import AuditEvent
from academy.core.web import role_required
from academy.extensions import db

PAGE_SIZE = 50


@bp.get("/")
@role_required(Role.COORDINATOR)
def index():
    page = max(request.args.get("page", 1, type=int), 1)
    query = sa.select(AuditEvent).options(joinedload(AuditEvent.actor)).order_by(AuditEvent.id.desc())
    action = request.args.get("action", "").strip()
    if action:
        query = query.where(AuditEvent.action.startswith(action))
    events = db.session.scalars(query.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)).all()
    return render_template(
        "audit/index.html", events=events[:PAGE_SIZE], page=page, has_next=len(events) > PAGE_SIZE, action=action
    )
