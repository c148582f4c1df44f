"""The ASYE recommendation (the assessor's) and the moderation panel's decision on it (the coordinators').

A PASS is refused until the minimum evidence exists and every assessed element is rated at or above
"meeting"; `missing_for_pass` lists exactly what is missing. A confirmed PASS moves the participant to
year 2; a confirmed FAIL ends the programme. A referred-back recommendation is followed by a new one.
"""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from academy.accounts.models import User
from academy.assessment.models import Outcome, OutcomeStatus, Recommendation
from academy.assessment.policies import can_decide_outcome, can_recommend
from academy.assessment.services.announcements import announce_outcome
from academy.assessment.services.ratings import elements_below_threshold
from academy.assessment.states import outcome_next_state
from academy.audit.services import record_audit
from academy.core import dates
from academy.core.db import now_utc
from academy.core.errors import DomainError, InvalidTransition, NotAllowed
from academy.evidence.progress import evidence_progress
from academy.extensions import db
from academy.participants.lifecycle import advance_year, fail_participant
from academy.participants.models import Participant
from academy.programmes.models import MilestoneKind

MAX_TEXT = 10_000


@dataclass
class Missing:
    """What stands between a participant and a PASS recommendation, in two lists."""

    evidence: list[str]
    ratings: list[str]

    def __bool__(self) -> bool:
        return bool(self.evidence or self.ratings)


def missing_evidence(participant: Participant) -> list[str]:
    """Each minimum-evidence requirement not yet met, e.g. "Direct observations: 2 of 3 accepted"."""
    missing = []
    for item in evidence_progress(participant):
        if item.complete:
            continue
        text = f"{item.label}: {item.met} of {item.required} accepted"
        if item.waiting:
            text += f" ({item.waiting} waiting for review)"
        missing.append(text)
    return missing


def missing_for_pass(participant: Participant) -> Missing:
    return Missing(
        evidence=missing_evidence(participant),
        ratings=[gap.text for gap in elements_below_threshold(participant, year=1)],
    )


def outcomes_of(participant: Participant) -> list[Outcome]:
    """Every recommendation for the participant, newest first."""
    return list(
        db.session.scalars(
            sa.select(Outcome).where(Outcome.participant_id == participant.id).order_by(Outcome.id.desc())
        )
    )


def pending_outcome(participant: Participant) -> Outcome | None:
    return next((o for o in outcomes_of(participant) if o.status == OutcomeStatus.PENDING), None)


def _snapshot(outcome: Outcome) -> dict:
    return {
        "recommendation": outcome.recommendation.value,
        "status": outcome.status.value,
        "panel_date": outcome.panel_date.isoformat() if outcome.panel_date else None,
        "panel_chair_id": outcome.panel_chair_id,
    }


def recommend_outcome(
    participant: Participant, recommendation: Recommendation | str, *, by: User, narrative: str = ""
) -> Outcome:
    """The current assessor recommends PASS or FAIL to the moderation panel."""
    if not can_recommend(by, participant):
        if by.id == participant.user_id:
            raise NotAllowed("Nobody can recommend the outcome of their own ASYE.")
        if participant.programme_year != 1:
            raise NotAllowed(f"{participant.name} has finished the ASYE year; there is nothing to recommend.")
        raise NotAllowed(f"Only {participant.name}'s current assessor can recommend the ASYE outcome.")
    try:
        recommendation = Recommendation(recommendation)
    except ValueError:
        raise DomainError("Choose PASS or FAIL.", field="recommendation") from None
    existing = outcomes_of(participant)
    if any(o.status == OutcomeStatus.PENDING for o in existing):
        raise InvalidTransition("A recommendation is already waiting for the moderation panel.")
    if any(o.status == OutcomeStatus.CONFIRMED for o in existing):
        raise InvalidTransition("The panel has already confirmed an outcome for this ASYE.")
    narrative = (narrative or "").strip()
    if len(narrative) > MAX_TEXT:
        raise DomainError(f"Keep the narrative to {MAX_TEXT:,} characters or fewer.", field="narrative")
    if recommendation == Recommendation.FAIL and not narrative:
        raise DomainError("A FAIL recommendation needs a narrative explaining it.", field="narrative")
    if recommendation == Recommendation.PASS:
        missing = missing_for_pass(participant)
        if missing:
            raise DomainError("PASS cannot be recommended yet: the minimums are not met.", field="recommendation")
    outcome = Outcome(
        participant=participant,
        recommendation=recommendation,
        narrative=narrative,
        recommended_by_id=by.id,
        recommended_at=now_utc(),
        status=OutcomeStatus.PENDING,
    )
    db.session.add(outcome)
    record_audit(
        by,
        "outcome.recommended",
        outcome,
        summary=f"{recommendation.value.upper()} recommended for {participant.name}",
        after=_snapshot(outcome),
    )
    announce_outcome(outcome, by=by)
    return outcome


def _decide(outcome: Outcome, action: str, *, by: User, panel_date: date | None, chair: User | None, reason: str):
    target = outcome_next_state(outcome.status, action)
    if not can_decide_outcome(by, outcome):
        if by.id in {outcome.participant.user_id, outcome.recommended_by_id}:
            raise NotAllowed("Nobody can decide on their own record or their own recommendation.")
        raise NotAllowed("Only coordinators sitting as the moderation panel can decide outcomes.")
    if panel_date is None:
        raise DomainError("Enter the date of the panel.", field="panel_date")
    if panel_date > dates.today():
        raise DomainError("The panel date must be today or in the past.", field="panel_date")
    if panel_date < outcome.recommended_at.date():
        raise DomainError("The panel date cannot be before the recommendation was made.", field="panel_date")
    if chair is None:
        raise DomainError("Choose who chaired the panel.", field="chair")
    if chair.id in {outcome.participant.user_id, outcome.recommended_by_id}:
        raise DomainError("The chair cannot be the NQSW or the assessor who made the recommendation.", field="chair")
    reason = (reason or "").strip()
    if action == "refer_back" and not reason:
        raise DomainError("Give the panel's reason for referring the recommendation back.", field="reason")
    if len(reason) > MAX_TEXT:
        raise DomainError(f"Keep the reason to {MAX_TEXT:,} characters or fewer.", field="reason")
    before = _snapshot(outcome)
    outcome.status = target
    outcome.panel_date = panel_date
    outcome.panel_chair_id = chair.id
    outcome.panel_reason = reason
    outcome.decided_by_id = by.id
    outcome.decided_at = now_utc()
    return before


def confirm_outcome(outcome: Outcome, *, by: User, panel_date: date | None, chair: User | None, reason: str = ""):
    """The panel confirms: PASS moves the participant to year 2; FAIL ends their programme."""
    before = _decide(outcome, "confirm", by=by, panel_date=panel_date, chair=chair, reason=reason)
    participant = outcome.participant
    for milestone in participant.milestones:
        if milestone.kind == MilestoneKind.PANEL and milestone.completed_on is None:
            milestone.completed_on = panel_date
    record_audit(
        by,
        "outcome.confirmed",
        outcome,
        summary=f"Panel confirmed {outcome.recommendation.value.upper()} for {participant.name}",
        before=before,
        after=_snapshot(outcome),
    )
    announce_outcome(outcome, by=by)
    decided_on = panel_date or dates.today()
    if outcome.recommendation == Recommendation.PASS:
        advance_year(participant, actor=by, on=decided_on)
    else:
        fail_participant(participant, actor=by, on=decided_on, note=reason)
    return outcome


def refer_back_outcome(outcome: Outcome, *, by: User, panel_date: date | None, chair: User | None, reason: str):
    """The panel sends the recommendation back to the assessor with its reason."""
    before = _decide(outcome, "refer_back", by=by, panel_date=panel_date, chair=chair, reason=reason)
    record_audit(
        by,
        "outcome.referred_back",
        outcome,
        summary=f"Panel referred back the {outcome.recommendation.value.upper()} for {outcome.participant.name}",
        before=before,
        after={**_snapshot(outcome), "reason": outcome.panel_reason},
    )
    announce_outcome(outcome, by=by)
    return outcome


def pending_outcomes() -> list[Outcome]:
    """Recommendations waiting for the panel, oldest first."""
    return list(
        db.session.scalars(
            sa.select(Outcome).where(Outcome.status == OutcomeStatus.PENDING).order_by(Outcome.recommended_at)
        )
    )
