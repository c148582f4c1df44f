"""The ASYE recommendation (the assessor's) and the moderation panel's decision on it (the coordinators').

Either recommendation is refused until the final review has been held and signed by both, and needs a
holistic summary against the framework. A PASS is refused until the minimum evidence exists and every
assessed element is rated at or above "meeting"; `missing_for_pass` lists exactly what is missing. A FAIL
needs a concern with an action plan recorded at least one review earlier (or a stated reason why not)
and an explicit confirmation. The panel's decision (with its date, chair and members) is the only thing
that ends the ASYE: a confirmed PASS moves the participant to year 2; a confirmed FAIL ends the
programme. A referred-back recommendation is followed by a new one.
"""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from academy.accounts.models import User
from academy.assessment.models import Concern, Outcome, OutcomeStatus, Recommendation, Review, ReviewStatus
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
from academy.participants.models import Milestone, Participant
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
        "panel_members": outcome.panel_members or None,
    }


FAIL_CONSEQUENCES = (
    "If the panel confirms a FAIL, {name}'s ASYE ends without being passed and their place on the programme "
    "ends. The record shows the FAIL for good, and the employer's capability and probation procedures apply."
)


def final_review(participant: Participant) -> tuple[Milestone | None, Review | None]:
    """The year-1 final review milestone and its review record (either may be missing)."""
    milestone = next(
        (m for m in participant.milestones if m.kind == MilestoneKind.FINAL_REVIEW and m.programme_year == 1), None
    )
    if milestone is None:
        return None, None
    review = db.session.scalar(sa.select(Review).where(Review.milestone_id == milestone.id))
    return milestone, review


def final_review_signed(participant: Participant) -> bool:
    _, review = final_review(participant)
    return review is not None and review.status == ReviewStatus.SIGNED


def earlier_concerns(participant: Participant) -> list[Concern]:
    """Concerns with an action plan recorded on or before a review held before the final review."""
    final, _ = final_review(participant)
    held = db.session.scalars(
        sa.select(Review).where(Review.participant_id == participant.id, Review.status != ReviewStatus.DUE)
    ).all()
    earlier_dates = [
        r.held_on
        for r in held
        if r.held_on is not None
        and (final is None or (r.milestone.programme_year, r.milestone.months_due) < (1, final.months_due))
    ]
    if not earlier_dates:
        return []
    latest = max(earlier_dates)
    concerns = db.session.scalars(
        sa.select(Concern).where(Concern.participant_id == participant.id, Concern.raised_on <= latest)
    ).all()
    return [c for c in concerns if c.action_plan.strip()]


def check_recommendation(
    participant: Participant,
    recommendation: Recommendation | str | None,
    *,
    by: User,
    narrative: str,
    no_concern_reason: str = "",
) -> Recommendation:
    """Every rule a recommendation must meet, short of the FAIL confirmation (also used before asking for it)."""
    if not can_recommend(by, participant):
        if by.id == participant.user_id:
            raise NotAllowed("Nobody can recommend the outcome of their own ASYE.")
        if participant.programme_year != 1:
            raise NotAllowed(f"{participant.name} has finished the ASYE year; there is nothing to recommend.")
        raise NotAllowed(f"Only {participant.name}'s current assessor can recommend the ASYE outcome.")
    try:
        chosen = Recommendation(recommendation or "")
    except ValueError:
        raise DomainError("Choose PASS or FAIL.", field="recommendation") from None
    existing = outcomes_of(participant)
    if any(o.status == OutcomeStatus.PENDING for o in existing):
        raise InvalidTransition("A recommendation is already waiting for the moderation panel.")
    if any(o.status == OutcomeStatus.CONFIRMED for o in existing):
        raise InvalidTransition("The panel has already confirmed an outcome for this ASYE.")
    if not final_review_signed(participant):
        raise DomainError(
            "PASS or FAIL can be recommended only after the final review has been held and signed by both "
            "the assessor and the NQSW.",
            field="recommendation",
        )
    narrative = (narrative or "").strip()
    if not narrative:
        raise DomainError("Write your holistic summary against the framework.", field="narrative")
    for name, text in (("narrative", narrative), ("no_concern_reason", no_concern_reason or "")):
        if len(text) > MAX_TEXT:
            raise DomainError(f"Keep this to {MAX_TEXT:,} characters or fewer.", field=name)
    if chosen == Recommendation.FAIL and not earlier_concerns(participant) and not (no_concern_reason or "").strip():
        raise DomainError(
            "A FAIL needs a concern with an action plan recorded at least one review earlier. "
            "Record why there was none.",
            field="no_concern_reason",
        )
    if chosen == Recommendation.PASS and missing_for_pass(participant):
        raise DomainError("PASS cannot be recommended yet: the minimums are not met.", field="recommendation")
    return chosen


def recommend_outcome(
    participant: Participant,
    recommendation: Recommendation | str | None,
    *,
    by: User,
    narrative: str = "",
    no_concern_reason: str = "",
    confirmed: bool = False,
) -> Outcome:
    """The current assessor recommends PASS or FAIL to the moderation panel (a FAIL only once confirmed)."""
    chosen = check_recommendation(
        participant, recommendation, by=by, narrative=narrative, no_concern_reason=no_concern_reason
    )
    if chosen == Recommendation.FAIL and not confirmed:
        raise DomainError("Confirm the FAIL recommendation and its consequences.", field="recommendation")
    outcome = Outcome(
        participant=participant,
        recommendation=chosen,
        narrative=narrative.strip(),
        no_concern_reason=(no_concern_reason or "").strip() if chosen == Recommendation.FAIL else "",
        recommended_by_id=by.id,
        recommended_at=now_utc(),
        status=OutcomeStatus.PENDING,
    )
    db.session.add(outcome)
    record_audit(
        by,
        "outcome.recommended",
        outcome,
        summary=f"{chosen.value.upper()} recommended for {participant.name}",
        after=_snapshot(outcome),
    )
    announce_outcome(outcome, by=by)
    return outcome


def _decide(
    outcome: Outcome,
    action: str,
    *,
    by: User,
    panel_date: date | None,
    chair: User | None,
    reason: str,
    members: str,
):
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
    members = (members or "").strip()
    if not members:
        raise DomainError("List the panel members.", field="members")
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
    outcome.panel_members = members
    outcome.decided_by_id = by.id
    outcome.decided_at = now_utc()
    return before


def confirm_outcome(
    outcome: Outcome,
    *,
    by: User,
    panel_date: date | None,
    chair: User | None,
    members: str,
    reason: str = "",
):
    """The panel confirms: PASS moves the participant to year 2; FAIL ends their programme."""
    before = _decide(outcome, "confirm", by=by, panel_date=panel_date, chair=chair, reason=reason, members=members)
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


def refer_back_outcome(
    outcome: Outcome,
    *,
    by: User,
    panel_date: date | None,
    chair: User | None,
    members: str,
    reason: str,
):
    """The panel sends the recommendation back to the assessor with its reason."""
    before = _decide(outcome, "refer_back", by=by, panel_date=panel_date, chair=chair, reason=reason, members=members)
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
