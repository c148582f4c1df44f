"""Demo step: pauses (ongoing, open-ended and finished), leavers with destinations, a withdrawal, FTE changes."""

from datetime import timedelta
from decimal import Decimal

from academy.demo.seed import DemoAcademy, demo_sign_ins
from academy.participants import lifecycle
from academy.participants.models import LeavingDestination, ParticipantStatus, PauseReason

LEAVERS = [
    ("Moved to a post nearer home", LeavingDestination.OTHER_LOCAL_AUTHORITY),
    ("Took agency work", LeavingDestination.AGENCY),
    ("Left the profession", LeavingDestination.LEFT_SOCIAL_WORK),
]


def seed(academy: DemoAcademy) -> None:
    """Give a few participants a history: every change goes through the lifecycle services."""
    today = academy.today
    actor = academy.coordinators[0]
    # Only people who started at least four months ago have room for a history before today.
    cutoff = today - timedelta(days=120)
    # The NQSW whose sign-in the demo prints keeps an ordinary story.
    shown = {email for _, email in demo_sign_ins()}
    started = [
        p
        for p in academy.participants
        if p.status == ParticipantStatus.ACTIVE and p.start_date <= cutoff and p.user.email not in shown
    ]
    if len(started) < 9:
        return
    chosen = academy.rng.sample(started, 9)
    finished, ongoing, open_ended, fte_down, fte_up, *leavers, withdrawn = chosen

    # A sickness pause of three weeks, over: later due dates moved by 21 days.
    begin = finished.start_date + timedelta(days=60)
    lifecycle.pause(finished, actor=actor, reason=PauseReason.SICKNESS, starts_on=begin, note="Surgery and recovery")
    lifecycle.resume(finished, actor=actor, on=begin + timedelta(days=21))
    # Parental leave under way with an expected return: due dates projected from that date.
    lifecycle.pause(
        ongoing,
        actor=actor,
        reason=PauseReason.PARENTAL_LEAVE,
        starts_on=today - timedelta(days=30),
        expected_end=today + timedelta(days=150),
    )
    # Bereavement leave with no return date yet: later due dates are on hold.
    lifecycle.pause(open_ended, actor=actor, reason=PauseReason.BEREAVEMENT, starts_on=today - timedelta(days=10))
    # Part-time changes stretch (or shrink) what is left of the ASYE.
    lifecycle.change_fte(fte_down, Decimal("0.6"), actor=actor, on=fte_down.start_date + timedelta(days=90))
    if fte_up.fte < Decimal("1.0"):
        lifecycle.change_fte(fte_up, Decimal("1.0"), actor=actor, on=fte_up.start_date + timedelta(days=100))
    else:
        lifecycle.change_fte(fte_up, Decimal("0.8"), actor=actor, on=fte_up.start_date + timedelta(days=100))
    for participant, (reason, destination) in zip(leavers, LEAVERS, strict=True):
        lifecycle.leave(
            participant,
            actor=actor,
            on=today - timedelta(days=academy.rng.randint(5, 40)),
            reason=reason,
            destination=destination,
        )
    lifecycle.withdraw(
        withdrawn,
        actor=actor,
        on=today - timedelta(days=14),
        reason="Moved to a non-qualified role",
        destination=LeavingDestination.OTHER,
    )
