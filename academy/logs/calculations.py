"""Support entitlements to date: protected development time and supervision against the schedule.

Both work day by day over the participant's history (at most three years, so about 1,100 days):
a paused day earns nothing and expects nothing, and part-time FTE scales protected time and
stretches the supervision bands as it stretches the ASYE.

Protected time entitlement = share x contracted hours a week x sum over unpaused days of FTE / 7.
Supervision expected = for each band of the schedule, the unpaused calendar days of the band so far
divided by the band's interval, rounded down (a part interval expects nothing yet).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import sqlalchemy as sa

from academy.core import dates
from academy.extensions import db
from academy.logs.models import ProtectedTimeLog, SupervisionSession
from academy.participants.models import Participant, StatusEventKind
from academy.programmes.supervision import band_end

TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Period:
    """A pause: `start` inclusive, `end` (the return day) exclusive, None while still paused."""

    start: date
    end: date | None


def _fte_on(day: date, initial: Decimal, changes: Sequence[tuple[date, Decimal]]) -> Decimal:
    fte = initial
    for effective, value in changes:
        if effective <= day:
            fte = value
    return fte


def _paused(day: date, pauses: Sequence[Period]) -> bool:
    return any(p.start <= day and (p.end is None or day < p.end) for p in pauses)


def _days(start: date, until: date):
    day = start
    while day < until:
        yield day
        day += timedelta(days=1)


def protected_time_entitlement(
    start: date,
    until: date,
    *,
    share: float,
    hours_per_week: float,
    initial_fte: Decimal = Decimal("1"),
    fte_changes: Sequence[tuple[date, Decimal]] = (),
    pauses: Sequence[Period] = (),
) -> Decimal:
    """Hours of protected development time earned on the days from `start` up to (not including) `until`."""
    changes = sorted(fte_changes)
    fte_days = sum(
        (_fte_on(day, Decimal(initial_fte), changes) for day in _days(start, until) if not _paused(day, pauses)),
        Decimal(0),
    )
    hours = Decimal(str(share)) * Decimal(str(hours_per_week)) * fte_days / 7
    return hours.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _band_length_days(start: date, band: dict[str, Any]) -> int | None:
    """A band's end, in full-time days of programme from the start (None: runs to the end)."""
    end = band_end(start, band)
    return None if end is None else (end - start).days


def supervision_expected(
    start: date,
    until: date,
    schedule: Sequence[dict[str, Any]],
    *,
    initial_fte: Decimal = Decimal("1"),
    fte_changes: Sequence[tuple[date, Decimal]] = (),
    pauses: Sequence[Period] = (),
) -> int:
    """Sessions the schedule expects on the days from `start` up to (not including) `until`."""
    changes = sorted(fte_changes)
    limits = [_band_length_days(start, band) for band in schedule]
    active_days = [0] * len(schedule)
    progress = Decimal(0)  # full-time days of programme completed
    band = 0
    for day in _days(start, until):
        if _paused(day, pauses):
            continue
        while band < len(schedule) - 1 and (limit := limits[band]) is not None and progress >= limit:
            band += 1
        if (limit := limits[band]) is not None and progress >= limit:
            break  # past the last band with an end: nothing more expected
        active_days[band] += 1
        progress += _fte_on(day, Decimal(initial_fte), changes)
    return sum(days // int(b["interval_days"]) for days, b in zip(active_days, schedule, strict=True))


# The same calculations for a participant, from their history and their cohort's settings.


def participant_history(participant: Participant) -> dict[str, Any]:
    initial = next(
        (e.fte for e in participant.status_events if e.kind == StatusEventKind.ENROLLED and e.fte),
        participant.fte,
    )
    changes = [
        (e.effective_on, Decimal(e.fte))
        for e in participant.status_events
        if e.kind == StatusEventKind.FTE_CHANGED and e.fte is not None
    ]
    pauses = [Period(p.starts_on, p.ended_on) for p in participant.pauses]
    return {"initial_fte": Decimal(initial), "fte_changes": changes, "pauses": pauses}


@dataclass(frozen=True)
class Measure:
    done: Decimal | int
    expected: Decimal | int

    @property
    def behind(self) -> bool:
        return self.done < self.expected


def _until(participant: Participant, on: date | None) -> date:
    """The day after `on` (today by default), so `on` itself counts; never past the day they ended."""
    on = on or dates.today()
    if participant.ended_on is not None:
        on = min(on, participant.ended_on)
    return on + timedelta(days=1)


def protected_time_summary(participant: Participant, on: date | None = None) -> Measure:
    settings = participant.cohort.settings
    until = _until(participant, on)
    expected = protected_time_entitlement(
        participant.start_date,
        until,
        share=settings.get("protected_time_share", 0.10),
        hours_per_week=settings.get("contracted_hours_per_week", 37),
        **participant_history(participant),
    )
    used = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(ProtectedTimeLog.hours), 0)).where(
            ProtectedTimeLog.participant_id == participant.id, ProtectedTimeLog.taken_on < until
        )
    )
    return Measure(Decimal(used or 0).quantize(TWO_PLACES), expected)


def supervision_summary(participant: Participant, on: date | None = None) -> Measure:
    until = _until(participant, on)
    expected = supervision_expected(
        participant.start_date,
        until,
        participant.cohort.settings.get("supervision_schedule", []),
        **participant_history(participant),
    )
    held = db.session.scalar(
        sa.select(sa.func.count(SupervisionSession.id)).where(
            SupervisionSession.participant_id == participant.id,
            SupervisionSession.was_held.is_(True),
            SupervisionSession.held_on >= participant.start_date,
            SupervisionSession.held_on < until,
        )
    )
    return Measure(int(held or 0), expected)
