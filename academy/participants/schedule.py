"""Milestone due-date arithmetic for NQSW cohorts: month ends, pauses and part-time FTE."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from dateutil.relativedelta import relativedelta

# Standard milestone offsets in months from the start date.
ASYE_MILESTONE_MONTHS: tuple[int, ...] = (1, 3, 6, 9, 12, 13)
LATER_MILESTONE_MONTHS: tuple[int, ...] = (18, 24, 30, 36)
MILESTONE_MONTHS: tuple[int, ...] = ASYE_MILESTONE_MONTHS + LATER_MILESTONE_MONTHS

MIN_FTE = Fraction(1, 10)
MAX_FTE = Fraction(1)


def _fte_fraction(fte: float) -> Fraction:
    """Validate an FTE value and return it as an exact Fraction."""
    # `not (a <= x <= b)` also rejects NaN, which compares false with everything.
    if isinstance(fte, bool) or not (0.1 <= fte <= 1.0):
        raise ValueError(f"FTE must be between 0.1 and 1.0, got {fte!r}")
    # Going via str() turns 0.3 into exactly 3/10 rather than the binary float
    # 0.29999..., so ceil() never lands a day late because of float drift.
    frac = Fraction(str(fte))
    if not MIN_FTE <= frac <= MAX_FTE:
        raise ValueError(f"FTE must be between 0.1 and 1.0, got {fte!r}")
    return frac


@dataclass(frozen=True)
class Pause:
    """A break in the programme; `end` is the return day (exclusive), None while still paused."""

    start: date
    end: date | None = None

    def __post_init__(self) -> None:
        """Reject a pause that ends before it starts."""
        if self.end is not None and self.end < self.start:
            raise ValueError(f"Pause end {self.end} is before its start {self.start}")


@dataclass(frozen=True)
class FteChange:
    """A change of working pattern to `fte` from `effective` onwards."""

    effective: date
    fte: float

    def __post_init__(self) -> None:
        """Reject an FTE outside 0.1-1.0."""
        _fte_fraction(self.fte)


def add_months(d: date, months: int) -> date:
    """Return `d` plus `months` calendar months, clamped to the end of shorter months."""
    return d + relativedelta(months=months)


def merge_pauses(pauses: Iterable[Pause]) -> list[Pause]:
    """Return the sorted union of `pauses`, joining overlapping and adjacent ones."""
    merged: list[Pause] = []
    # Zero-length pauses (start == end) cover no days, so they are dropped rather
    # than allowed to bridge two otherwise separate pauses.
    for pause in sorted((p for p in pauses if p.end != p.start), key=lambda p: p.start):
        if merged:
            last = merged[-1]
            if last.end is None:
                # Open-ended: every later pause is already inside it.
                continue
            if pause.start <= last.end:
                end = None if pause.end is None else max(last.end, pause.end)
                merged[-1] = Pause(last.start, end)
                continue
        merged.append(pause)
    return merged


def paused_days(pauses: Iterable[Pause], until: date) -> int:
    """Return the number of distinct paused calendar days before `until`."""
    total = 0
    for pause in merge_pauses(pauses):
        if pause.start >= until:
            break
        end = until if pause.end is None else min(pause.end, until)
        total += (end - pause.start).days
    return total


def _accrue(
    cursor: date,
    needs: Sequence[int],
    pauses: Sequence[Pause],
    initial_rate: int,
    steps: Sequence[tuple[date, int]],
) -> list[date | None]:
    """Return, for each ascending `needs` total, the first day by which it has accrued from `cursor`."""
    # One pass over constant-rate segments serves every milestone, so the cost is
    # per change point (pause edge, FTE change), never per calendar day.
    out: list[date | None] = []
    done = 0
    rate = initial_rate
    si = pi = k = 0
    while k < len(needs) and needs[k] <= 0:
        out.append(cursor)
        k += 1
    while k < len(needs):
        # Bring the FTE in force up to the cursor (changes dated before start apply from start).
        while si < len(steps) and steps[si][0] <= cursor:
            rate = steps[si][1]
            si += 1
        # Skip pauses that finished before the cursor.
        while pi < len(pauses) and (end := pauses[pi].end) is not None and end <= cursor:
            pi += 1
        if pi < len(pauses) and pauses[pi].start <= cursor:
            end = pauses[pi].end
            if end is None:
                # Still paused with no return date: these due dates cannot be known yet.
                out.extend([None] * (len(needs) - k))
                break
            cursor = end
            pi += 1
            continue
        # The rate is constant until the next pause starts or the FTE next changes.
        boundary: date | None = None
        if pi < len(pauses):
            boundary = pauses[pi].start
        if si < len(steps) and (boundary is None or steps[si][0] < boundary):
            boundary = steps[si][0]
        span = None if boundary is None else (boundary - cursor).days
        while k < len(needs):
            days = -(-(needs[k] - done) // rate)  # ceiling division: the day progress reaches the need
            if span is not None and days > span:
                break
            # Reaching it exactly on a pause start still counts: that pause does not move it.
            out.append(cursor + timedelta(days=days))
            k += 1
        if boundary is None or span is None:
            break  # no boundary ahead means the inner loop has already met every need
        done += span * rate
        cursor = boundary
    return out


def _scaled_rates(initial_fte: float, fte_changes: Sequence[FteChange]) -> tuple[int, int, list[tuple[date, int]]]:
    """Return (scale, initial rate, sorted steps) with every FTE as an integer multiple of 1/scale."""
    initial = _fte_fraction(initial_fte)
    # sorted() is stable, so of two changes on the same day the later-listed wins.
    changes = [(c.effective, _fte_fraction(c.fte)) for c in sorted(fte_changes, key=lambda c: c.effective)]
    # A common denominator lets all progress arithmetic stay in exact integers,
    # which is both drift-free and much faster than Fraction.
    scale = math.lcm(initial.denominator, *(f.denominator for _, f in changes))
    steps = [(d, f.numerator * (scale // f.denominator)) for d, f in changes]
    return scale, initial.numerator * (scale // initial.denominator), steps


def due_date(
    start: date,
    months: int,
    *,
    pauses: Sequence[Pause] = (),
    fte_changes: Sequence[FteChange] = (),
    initial_fte: float = 1.0,
    asye_months: int = 12,
) -> date | None:
    """Return the day the `months` milestone falls due, or None while an open-ended pause blocks it."""
    return due_dates(
        start,
        (months,),
        pauses=pauses,
        fte_changes=fte_changes,
        initial_fte=initial_fte,
        asye_months=asye_months,
    )[months]


def due_dates(
    start: date,
    offsets: Iterable[int],
    *,
    pauses: Sequence[Pause] = (),
    fte_changes: Sequence[FteChange] = (),
    initial_fte: float = 1.0,
    asye_months: int = 12,
) -> dict[int, date | None]:
    """Return {offset: due date} for several milestones from one pass over the participant's history."""
    offsets = list(offsets)
    if asye_months < 0:
        raise ValueError(f"asye_months must not be negative, got {asye_months}")
    if any(m < 0 for m in offsets):
        raise ValueError(f"months must not be negative, got {min(offsets)}")
    scale, initial_rate, steps = _scaled_rates(initial_fte, fte_changes)
    merged = merge_pauses(pauses)
    # Nominal full-time length of each milestone in days.
    nominal = {m: (add_months(start, m) - start).days for m in {*offsets, asye_months}}
    asye_days = nominal[asye_months]

    # Later months never have a shorter nominal span, so sorting by month sorts the needs.
    in_asye = sorted({m for m in offsets if m <= asye_months} | {asye_months})
    reached = _accrue(start, [nominal[m] * scale for m in in_asye], merged, initial_rate, steps)
    result: dict[int, date | None] = dict(zip(in_asye, reached, strict=True))

    later = sorted({m for m in offsets if m > asye_months})
    asye_end = result[asye_months]
    if later:
        if asye_end is None:
            result.update(dict.fromkeys(later, None))
        else:
            # FTE only stretches the ASYE: after it ends, the rest of the nominal span runs
            # at full rate from the ASYE completion day (a part-day overshoot is not carried).
            needs = [nominal[m] - asye_days for m in later]
            result.update(zip(later, _accrue(asye_end, needs, merged, 1, []), strict=True))
    return {m: result[m] for m in offsets}
