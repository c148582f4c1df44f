"""Reading a programme's supervision schedule: one place for what its bands mean.

A schedule is a list of bands, each `{"interval_days": N}` with `until_week` or `until_month`
(counted from the participant's start) or neither (to the end): at least one session every N days
while the band lasts. The default is weekly to week 6, fortnightly to month 6, monthly after.
"""

from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta

DEFAULT_INTERVAL_DAYS = 31


def band_end(start: date, band: dict[str, Any]) -> date | None:
    """The last day of `band` for someone who started on `start` (None: it runs to the end)."""
    if band.get("until_week") is not None:
        return start + timedelta(weeks=int(band["until_week"]))
    if band.get("until_month") is not None:
        return start + relativedelta(months=int(band["until_month"]))
    return None


def interval_on(schedule: Sequence[dict[str, Any]], start: date, day: date) -> int:
    """The most days allowed between sessions on `day` under the schedule."""
    for band in schedule:
        end = band_end(start, band)
        if end is None or day <= end:
            return int(band["interval_days"])
    return int(schedule[-1]["interval_days"]) if schedule else DEFAULT_INTERVAL_DAYS


def due_dates(schedule: Sequence[dict[str, Any]], start: date, until: date) -> Iterator[date]:
    """The days by which each session is due under the schedule, up to `until`."""
    cursor = start
    for band in schedule:
        end = band_end(start, band) or until
        step = timedelta(days=int(band["interval_days"]))
        while cursor + step <= min(end, until):
            cursor += step
            yield cursor
