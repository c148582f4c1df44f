"""A feedback request's link: its token (only the hash is stored), whether it works now and why not, the
visit counts that limit it, expiry and the one reminder, and the academy's on/off setting it obeys.

Sending again or reminding makes a new token: only the newest link of a request works. The hash stays
after the request ends, so that a used, expired or withdrawn link is refused with the reason.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from academy.audit.services import record_audit
from academy.core.db import now_utc
from academy.core.errors import DomainError
from academy.extensions import db
from academy.feedback.models import (
    OPEN_STATES,
    FeedbackHit,
    FeedbackRequest,
    FeedbackSettings,
    Relationship,
    RequestState,
)

# --- settings -------------------------------------------------------------------------------------


def feedback_settings() -> FeedbackSettings:
    """The academy's settings row (made with the defaults, on, everyone may be asked, the first time)."""
    row = db.session.scalar(sa.select(FeedbackSettings).order_by(FeedbackSettings.id).limit(1))
    if row is None:
        row = FeedbackSettings(enabled=True, allowed=[str(r.value) for r in Relationship])
        db.session.add(row)
        db.session.flush()
    return row


def allowed_relationships() -> list[Relationship]:
    settings = feedback_settings()
    return [r for r in Relationship if r.value in (settings.allowed or [])] if settings.enabled else []


# --- links ----------------------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_link(request: FeedbackRequest, at: datetime) -> str:
    """A fresh token for `request` (any earlier one stops working); returns the token."""
    token = secrets.token_urlsafe(32)
    request.token_hash = token_hash(token)
    request.sent_at = at
    request.emailed_at = None
    request.times_sent += 1
    return token


def find_request_by_token(token: str) -> FeedbackRequest | None:
    if not token or len(token) > 100:
        return None
    return db.session.scalar(sa.select(FeedbackRequest).where(FeedbackRequest.token_hash == token_hash(token)))


def state_now(request: FeedbackRequest, at: datetime | None = None) -> RequestState:
    """The request's state, counting a link past its expiry as expired before the nightly command marks it."""
    at = at or now_utc()
    if request.state in OPEN_STATES and request.expires_at is not None and request.expires_at <= at:
        return RequestState.EXPIRED
    return request.state


def link_refusal(request: FeedbackRequest | None) -> str | None:
    """Why a link cannot be used, in plain words, or None when it can."""
    if request is None:
        return (
            "This link does not work. A newer email may have replaced it, or only part of the link was copied: "
            "use the link in the latest email."
        )
    state = state_now(request)
    if state == RequestState.ANSWERED:
        return "This link has already been used: the feedback has been given. Thank you."
    if state == RequestState.WITHDRAWN:
        return (
            "This request for feedback has been withdrawn, so the link no longer works. You do not need to do anything."
        )
    if state == RequestState.EXPIRED:
        return (
            "This link has expired. If you still want to give feedback, ask the social worker to send you a new link."
        )
    if state not in OPEN_STATES:
        return "This link does not work."
    if not feedback_settings().enabled:
        return "Feedback links are switched off at the moment. Ask the social worker who asked you."
    return None


# --- rate limits ----------------------------------------------------------------------------------


def allow_visit(request: FeedbackRequest | None, remote_addr: str) -> bool:
    """Count a visit to a public feedback page; False when the link or the address has had too many this hour.

    Refused visits are not stored, so a flood cannot grow the table; an address guessing tokens is
    limited by the address count (its visits match no request)."""
    config = current_app.config
    since = now_utc() - timedelta(hours=1)
    count = sa.select(sa.func.count(FeedbackHit.id)).where(FeedbackHit.at >= since)
    by_address = db.session.scalar(count.where(FeedbackHit.remote_addr == remote_addr)) or 0
    if by_address >= config["FEEDBACK_VISITS_PER_ADDRESS_PER_HOUR"]:
        return False
    if request is not None:
        by_link = db.session.scalar(count.where(FeedbackHit.request_id == request.id)) or 0
        if by_link >= config["FEEDBACK_VISITS_PER_LINK_PER_HOUR"]:
            return False
    db.session.add(FeedbackHit(request_id=request.id if request else None, remote_addr=remote_addr[:64], at=now_utc()))
    return True


def prune_visits(at: datetime | None = None) -> int:
    """Forget visits older than a day (the limits look back an hour); how many went."""
    cutoff = (at or now_utc()) - timedelta(days=1)
    result = db.session.execute(sa.delete(FeedbackHit).where(FeedbackHit.at < cutoff))
    return int(getattr(result, "rowcount", 0) or 0)


def check_email_allowance(email: str) -> None:
    """At most FEEDBACK_REQUESTS_PER_EMAIL_PER_DAY emails to one address in a day, so nobody is flooded."""
    limit = current_app.config["FEEDBACK_REQUESTS_PER_EMAIL_PER_DAY"]
    since = now_utc() - timedelta(days=1)
    recent = (
        db.session.scalar(
            sa.select(sa.func.count(FeedbackRequest.id)).where(
                FeedbackRequest.recipient_email == email, FeedbackRequest.sent_at >= since
            )
        )
        or 0
    )
    if recent >= limit:
        raise DomainError(
            f"{email} has been sent {limit} feedback requests in the last day. Try again tomorrow.", field="email"
        )


# --- expiry and reminders -------------------------------------------------------------------------


def expire_overdue(at: datetime | None = None) -> int:
    """Mark every open request past its expiry expired (audited); how many there were."""
    at = at or now_utc()
    overdue = db.session.scalars(
        sa.select(FeedbackRequest).where(FeedbackRequest.state.in_(OPEN_STATES), FeedbackRequest.expires_at <= at)
    ).all()
    for request in overdue:
        request.state = RequestState.EXPIRED
        record_audit(None, "feedback.expired", request, summary="The feedback link expired without an answer")
    return len(overdue)


def due_for_reminder(at: datetime | None = None) -> list[FeedbackRequest]:
    """Open, emailed requests expiring within FEEDBACK_REMIND_BEFORE that have not had their one reminder."""
    at = at or now_utc()
    soon = at + current_app.config["FEEDBACK_REMIND_BEFORE"]
    return list(
        db.session.scalars(
            sa.select(FeedbackRequest)
            .where(
                FeedbackRequest.state.in_(OPEN_STATES),
                FeedbackRequest.reminded_at.is_(None),
                FeedbackRequest.recipient_email.is_not(None),
                FeedbackRequest.expires_at > at,
                FeedbackRequest.expires_at <= soon,
            )
            .order_by(FeedbackRequest.id)
        )
    )


def prepare_reminder(request: FeedbackRequest) -> str:
    """The one reminder: a new link (the first email's stops working) with the same expiry. Returns the token."""
    token = secrets.token_urlsafe(32)
    request.token_hash = token_hash(token)
    request.reminded_at = now_utc()
    record_audit(None, "feedback.reminded", request, summary="Reminder sent before the link expires")
    return token
