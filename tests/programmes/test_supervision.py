"""Reading the supervision schedule: which band applies on a day, and when sessions fall due."""

from datetime import date

import pytest

from academy.programmes.defaults import default_settings
from academy.programmes.models import ServiceArea
from academy.programmes.supervision import band_end, due_dates, interval_on

SCHEDULE = default_settings(ServiceArea.CHILD_FAMILY)["supervision_schedule"]
START = date(2026, 9, 7)


@pytest.mark.parametrize(
    ("day", "interval"),
    [
        (date(2026, 9, 7), 7),  # first day: weekly
        (date(2026, 10, 19), 7),  # end of week 6 (start + 42 days) is still weekly
        (date(2026, 10, 20), 14),  # then fortnightly
        (date(2027, 3, 7), 14),  # the day 6 months after the start
        (date(2027, 3, 8), 31),  # monthly after that
        (date(2029, 9, 7), 31),
    ],
)
def test_interval_on_follows_the_bands(day, interval):
    assert interval_on(SCHEDULE, START, day) == interval


def test_band_end_counts_weeks_and_calendar_months():
    assert band_end(START, {"until_week": 6, "interval_days": 7}) == date(2026, 10, 19)
    assert band_end(date(2026, 8, 31), {"until_month": 6, "interval_days": 14}) == date(2027, 2, 28)
    assert band_end(START, {"interval_days": 31}) is None


def test_due_dates_step_through_each_band():
    # 6 weekly sessions to 19 October, then fortnightly from there: 2 and 16 November.
    due = list(due_dates(SCHEDULE, START, date(2026, 11, 20)))
    assert due[:6] == [
        date(2026, 9, 14),
        date(2026, 9, 21),
        date(2026, 9, 28),
        date(2026, 10, 5),
        date(2026, 10, 12),
        date(2026, 10, 19),
    ]
    assert due[6:] == [date(2026, 11, 2), date(2026, 11, 16)]
