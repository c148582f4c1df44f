"""Concerns about progress or capability, each with an action plan (restricted records)."""

from datetime import date

import sqlalchemy as sa

from academy.accounts.models import User
from academy.assessment.models import Concern
from academy.assessment.policies import can_raise_concern, can_view_concerns
from academy.audit.services import record_audit
from academy.core import dates
from academy.core.errors import DomainError, InvalidTransition, NotAllowed
from academy.extensions import db
from academy.participants.models import Participant

CATEGORIES = [
    ("progress", "Progress"),
    ("capability", "Capability"),
    ("conduct", "Conduct"),
    ("fitness_to_practise", "Fitness to practise"),
]
MAX_TEXT = 10_000


def category_label(code: str) -> str:
    return dict(CATEGORIES).get(code, code)


def _clean(description: str, action_plan: str, review_on: date | None, raised_on: date) -> tuple[str, str]:
    description = (description or "").strip()
    action_plan = (action_plan or "").strip()
    if not description:
        raise DomainError("Describe the concern.", field="description")
    if not action_plan:
        raise DomainError("Set out the action plan.", field="action_plan")
    for name, value in (("description", description), ("action_plan", action_plan)):
        if len(value) > MAX_TEXT:
            raise DomainError(f"Keep this to {MAX_TEXT:,} characters or fewer.", field=name)
    if review_on is not None and review_on < raised_on:
        raise DomainError("The review date must be on or after the date the concern was raised.", field="review_on")
    return description, action_plan


def raise_concern(
    participant: Participant,
    *,
    by: User,
    category: str,
    description: str,
    action_plan: str,
    review_on: date | None = None,
) -> Concern:
    """An assessor or line manager records a concern and its action plan."""
    if not can_raise_concern(by, participant):
        raise NotAllowed("Only the NQSW's assessor or line manager can raise a concern.")
    if category not in dict(CATEGORIES):
        raise DomainError("Choose the kind of concern.", field="category")
    raised_on = dates.today()
    description, action_plan = _clean(description, action_plan, review_on, raised_on)
    concern = Concern(
        participant=participant,
        raised_by_id=by.id,
        raised_on=raised_on,
        category=category,
        description=description,
        action_plan=action_plan,
        review_on=review_on,
    )
    db.session.add(concern)
    # The audit keeps the fact, not the text: the trail is read more widely than the concern itself.
    record_audit(
        by,
        "concern.raised",
        concern,
        summary=f"{category_label(category)} concern raised for {participant.name}",
        after={"category": category, "review_on": review_on.isoformat() if review_on else None},
    )
    return concern


def update_action_plan(concern: Concern, *, by: User, action_plan: str, review_on: date | None) -> Concern:
    if concern.closed_on is not None:
        raise InvalidTransition("This concern is closed, so its action plan cannot change.")
    if not (can_raise_concern(by, concern.participant) or can_view_concerns(by, concern.participant)):
        raise NotAllowed("Only the assessor, line manager or a coordinator can change the action plan.")
    _, action_plan = _clean(concern.description, action_plan, review_on, concern.raised_on)
    before = {"review_on": concern.review_on.isoformat() if concern.review_on else None}
    concern.action_plan = action_plan
    concern.review_on = review_on
    record_audit(
        by,
        "concern.plan_updated",
        concern,
        summary=f"Action plan updated for {concern.participant.name}",
        before=before,
        after={"review_on": review_on.isoformat() if review_on else None},
    )
    return concern


def close_concern(concern: Concern, *, by: User, on: date | None = None) -> Concern:
    if concern.closed_on is not None:
        raise InvalidTransition("This concern is already closed.")
    if not can_view_concerns(by, concern.participant):
        raise NotAllowed("Only the assessor, line manager or a coordinator can close a concern.")
    on = on or dates.today()
    if on < concern.raised_on:
        raise DomainError("A concern cannot close before it was raised.", field="closed_on")
    concern.closed_on = on
    record_audit(by, "concern.closed", concern, summary=f"Concern closed for {concern.participant.name}")
    return concern


def concerns_of(participant: Participant) -> list[Concern]:
    """Open concerns first, then closed, newest first within each."""
    rows = db.session.scalars(
        sa.select(Concern).where(Concern.participant_id == participant.id).order_by(Concern.id.desc())
    )
    return sorted(rows, key=lambda c: c.closed_on is not None)
