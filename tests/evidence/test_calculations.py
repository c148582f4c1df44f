"""Protected time and supervision against the schedule, with values worked out by hand."""

from datetime import date
from decimal import Decimal

from academy.logs.calculations import Period, protected_time_entitlement, supervision_expected
from academy.programmes.defaults import default_settings
from academy.programmes.models import ServiceArea

START = date(2025, 9, 1)
SCHEDULE = default_settings(ServiceArea.CHILD_FAMILY)["supervision_schedule"]


def entitlement(until, **kwargs):
    return protected_time_entitlement(START, until, share=0.10, hours_per_week=37, **kwargs)


def test_protected_time_full_time():
    # 70 days = 10 weeks; 10% of 37 h = 3.7 h a week; 10 x 3.7 = 37.00 h.
    assert entitlement(date(2025, 11, 10)) == Decimal("37.00")
    # 3 days: 3.7 x 3 / 7 = 1.5857... -> 1.59 h.
    assert entitlement(date(2025, 9, 4)) == Decimal("1.59")
    assert entitlement(START) == Decimal("0.00")


def test_protected_time_part_time():
    # 0.6 FTE for 10 weeks: 3.7 x 0.6 x 10 = 22.20 h.
    assert entitlement(date(2025, 11, 10), initial_fte=Decimal("0.6")) == Decimal("22.20")
    # Full time for 4 weeks (14.8 h), then 0.5 FTE for 6 weeks (3.7 x 0.5 x 6 = 11.1 h): 25.90 h.
    changes = [(date(2025, 9, 29), Decimal("0.5"))]
    assert entitlement(date(2025, 11, 10), fte_changes=changes) == Decimal("25.90")


def test_protected_time_pause():
    # A 14-day pause inside 70 days leaves 56 days = 8 weeks: 8 x 3.7 = 29.60 h.
    pause = Period(date(2025, 10, 1), date(2025, 10, 15))
    assert entitlement(date(2025, 11, 10), pauses=[pause]) == Decimal("29.60")
    # An open pause from day 35 stops the clock: 5 weeks x 3.7 = 18.50 h.
    assert entitlement(date(2025, 11, 10), pauses=[Period(date(2025, 10, 6), None)]) == Decimal("18.50")


def test_supervision_full_time():
    # Weeks 1-6 weekly: 42 days / 7 = 6 sessions.
    assert supervision_expected(START, date(2025, 10, 13), SCHEDULE) == 6
    # To 1 December (91 days): 6 weekly + 49 days fortnightly = 3 (3.5 rounded down) -> 9.
    assert supervision_expected(START, date(2025, 12, 1), SCHEDULE) == 9
    # To 1 June 2026 (273 days): month 6 is 1 March 2026 = day 181. Weekly 6; fortnightly
    # (181 - 42) = 139 days -> 9; monthly (273 - 181) = 92 days / 31 -> 2. Total 17.
    assert supervision_expected(START, date(2026, 6, 1), SCHEDULE) == 17


def test_supervision_part_time_stretches_the_bands():
    # At 0.5 FTE the weekly band lasts 84 calendar days: to 24 November, 84 / 7 = 12 weekly sessions.
    assert supervision_expected(START, date(2025, 11, 24), SCHEDULE, initial_fte=Decimal("0.5")) == 12
    # Same date full time: 6 weekly + 42 fortnightly days / 14 = 3 -> 9.
    assert supervision_expected(START, date(2025, 11, 24), SCHEDULE) == 9


def test_supervision_pause_moves_the_bands():
    # A 14-day pause from 15 September: the 42 active weekly days end on 27 October; to 27 October
    # 6 weekly sessions and nothing during the pause.
    pause = Period(date(2025, 9, 15), date(2025, 9, 29))
    assert supervision_expected(START, date(2025, 10, 27), SCHEDULE, pauses=[pause]) == 6
    # Without the pause the same day would expect 6 weekly + 14 days fortnightly = 1 -> 7.
    assert supervision_expected(START, date(2025, 10, 27), SCHEDULE) == 7
