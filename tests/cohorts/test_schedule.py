"""Tests for milestone due-date arithmetic; every expected date is worked out by hand in comments."""

from __future__ import annotations

from datetime import date

import pytest

from academy.participants.schedule import FteChange, Pause, add_months, due_date, due_dates, merge_pauses, paused_days

D = date

# ---------------------------------------------------------------- month ends and leap years

MONTH_END_CASES = [
    # (start, months, expected)
    (D(2023, 1, 31), 1, D(2023, 2, 28)),  # no 31 Feb; 2023 not leap
    (D(2024, 1, 31), 1, D(2024, 2, 29)),  # 2024 leap
    (D(2023, 8, 31), 6, D(2024, 2, 29)),  # Aug 2023 + 6 = Feb 2024 (leap)
    (D(2024, 8, 31), 6, D(2025, 2, 28)),  # Aug 2024 + 6 = Feb 2025
    (D(2023, 11, 30), 3, D(2024, 2, 29)),
    (D(2024, 2, 29), 12, D(2025, 2, 28)),  # no 29 Feb 2025
    (D(2024, 2, 29), 48, D(2028, 2, 29)),  # 2028 leap again
    (D(2023, 3, 15), 13, D(2024, 4, 15)),
    (D(2023, 9, 1), 0, D(2023, 9, 1)),
]


@pytest.mark.parametrize(("start", "months", "expected"), MONTH_END_CASES)
def test_add_months_clamps_to_month_end(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


@pytest.mark.parametrize(("start", "months", "expected"), MONTH_END_CASES)
def test_full_time_unpaused_due_date_equals_calendar_months(start: date, months: int, expected: date) -> None:
    assert due_date(start, months) == expected


def test_full_time_due_dates_for_all_standard_milestones() -> None:
    # 1 Sep 2023 plus whole months lands on the 1st every time.
    expected = {
        1: D(2023, 10, 1),
        3: D(2023, 12, 1),
        6: D(2024, 3, 1),
        9: D(2024, 6, 1),
        12: D(2024, 9, 1),
        13: D(2024, 10, 1),
        18: D(2025, 3, 1),
        24: D(2025, 9, 1),
        30: D(2026, 3, 1),
        36: D(2026, 9, 1),
    }
    assert due_dates(D(2023, 9, 1), expected) == expected


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        # 15 Jan -> 15 Apr 2024 = 31 + 29 + 31 = 91 days; at 0.5 FTE needs 182 days.
        # 15 Jan + 91 = 15 Apr; + 30 (to 15 May) + 31 (15 Jun) + 30 (15 Jul) = 182 -> 15 Jul 2024.
        (D(2024, 1, 15), D(2024, 7, 15)),
        # Same in 2023: 31 + 28 + 31 = 90 days -> 180 days.
        # 15 Apr + 90 = 14 Jul (15 Jul would be 91) -> 14 Jul 2023: one day fewer than the leap year.
        (D(2023, 1, 15), D(2023, 7, 14)),
    ],
)
def test_period_spanning_29_february_counts_the_leap_day(start: date, expected: date) -> None:
    assert due_date(start, 3, initial_fte=0.5) == expected


# ---------------------------------------------------------------- pauses

START = D(2023, 9, 1)


@pytest.mark.parametrize(
    ("months", "expected"),
    [
        # Pause 1 Nov - 1 Dec 2023 = 30 days.
        (1, D(2023, 10, 1)),  # due before the pause: unchanged
        (3, D(2023, 12, 31)),  # 1 Dec + 30
        (6, D(2024, 3, 31)),  # 1 Mar + 30
        (12, D(2024, 10, 1)),  # 1 Sep 2024 + 30 (Sep has 30 days)
        (24, D(2025, 10, 1)),  # 1 Sep 2025 + 30
    ],
)
def test_closed_pause_moves_later_milestones_only(months: int, expected: date) -> None:
    pauses = [Pause(D(2023, 11, 1), D(2023, 12, 1))]
    assert due_date(START, months, pauses=pauses) == expected


def test_pause_starting_on_due_day_does_not_move_that_milestone() -> None:
    # 3-month date is 1 Dec 2023; pause 1 Dec 2023 - 1 Jan 2024 = 31 days.
    pauses = [Pause(D(2023, 12, 1), D(2024, 1, 1))]
    assert due_date(START, 3, pauses=pauses) == D(2023, 12, 1)
    assert due_date(START, 6, pauses=pauses) == D(2024, 4, 1)  # 1 Mar + 31


def test_one_day_pause_just_before_due_day_moves_it_by_one_day() -> None:
    pauses = [Pause(D(2023, 11, 30), D(2023, 12, 1))]
    assert due_date(START, 3, pauses=pauses) == D(2023, 12, 2)


def test_pause_before_start_is_ignored_and_straddling_pause_counts_from_start() -> None:
    # Entirely before start: no effect.
    assert due_date(START, 1, pauses=[Pause(D(2023, 6, 1), D(2023, 7, 1))]) == D(2023, 10, 1)
    # 1 Aug - 11 Sep straddles the start: only 1-10 Sep (10 days) count -> 1 Oct + 10.
    assert due_date(START, 1, pauses=[Pause(D(2023, 8, 1), D(2023, 9, 11))]) == D(2023, 10, 11)


@pytest.mark.parametrize(
    "pauses",
    [
        pytest.param([Pause(D(2023, 11, 1), D(2023, 11, 21)), Pause(D(2023, 11, 11), D(2023, 12, 1))], id="overlap"),
        pytest.param([Pause(D(2023, 11, 1), D(2023, 12, 1)), Pause(D(2023, 11, 5), D(2023, 11, 10))], id="nested"),
        pytest.param([Pause(D(2023, 11, 1), D(2023, 12, 1))] * 2, id="duplicate"),
        pytest.param([Pause(D(2023, 11, 16), D(2023, 12, 1)), Pause(D(2023, 11, 1), D(2023, 11, 16))], id="adjacent"),
    ],
)
def test_overlapping_and_adjacent_pauses_count_each_day_once(pauses: list[Pause]) -> None:
    # Every case covers exactly 1 Nov - 1 Dec 2023 = 30 days.
    assert merge_pauses(pauses) == [Pause(D(2023, 11, 1), D(2023, 12, 1))]
    assert paused_days(pauses, D(2024, 1, 1)) == 30
    assert due_date(START, 6, pauses=pauses) == D(2024, 3, 31)  # 1 Mar + 30


def test_merge_pauses_sorts_and_keeps_separate_gaps() -> None:
    later = Pause(D(2024, 2, 1), D(2024, 2, 10))
    earlier = Pause(D(2023, 11, 1), D(2023, 11, 10))
    assert merge_pauses([later, earlier]) == [earlier, later]
    # 9 + 9 = 18 days -> 6-month milestone 1 Mar 2024 + 18 = 19 Mar 2024.
    assert due_date(START, 6, pauses=[later, earlier]) == D(2024, 3, 19)


def test_merge_pauses_open_ended_swallows_later_ones() -> None:
    pauses = [
        Pause(D(2024, 3, 1), D(2024, 4, 1)),
        Pause(D(2023, 12, 1), D(2024, 1, 15)),
        Pause(D(2024, 1, 1), None),
    ]
    assert merge_pauses(pauses) == [Pause(D(2023, 12, 1), None)]


def test_merge_pauses_drops_zero_length_pauses() -> None:
    assert merge_pauses([Pause(D(2023, 11, 1), D(2023, 11, 1))]) == []


@pytest.mark.parametrize(
    ("until", "expected"),
    [
        (D(2023, 10, 1), 0),  # before any pause
        (D(2023, 11, 15), 14),  # 1-14 Nov
        (D(2024, 1, 1), 30),  # whole of Nov
        (D(2024, 2, 1), 31),  # Nov (30) + open-ended from 31 Jan (1 day)
        (D(2024, 3, 1), 60),  # Nov (30) + 31 Jan..29 Feb (30)
    ],
)
def test_paused_days_counts_days_before_until(until: date, expected: int) -> None:
    pauses = [Pause(D(2023, 11, 1), D(2023, 12, 1)), Pause(D(2024, 1, 31), None)]
    assert paused_days(pauses, until) == expected


@pytest.mark.parametrize(
    ("pause_start", "expected"),
    [
        # Open from 15 Jan 2024: 1- and 3-month already due (1 Oct, 1 Dec); later unknown.
        (D(2024, 1, 15), {1: D(2023, 10, 1), 3: D(2023, 12, 1), 6: None, 12: None, 24: None}),
        # Open from exactly the 6-month due day 1 Mar 2024: 6-month stands.
        (D(2024, 3, 1), {1: D(2023, 10, 1), 3: D(2023, 12, 1), 6: D(2024, 3, 1), 12: None, 24: None}),
    ],
)
def test_open_ended_pause_makes_later_milestones_unknown(pause_start: date, expected: dict) -> None:
    assert due_dates(START, expected, pauses=[Pause(pause_start, None)]) == expected


def test_open_ended_pause_during_years_two_to_three_keeps_asye_dates() -> None:
    # Open from 1 Jan 2025: 12-month (1 Sep 2024) and 13-month (1 Oct 2024) known, 24-month not.
    result = due_dates(START, [12, 13, 24], pauses=[Pause(D(2025, 1, 1), None)])
    assert result == {12: D(2024, 9, 1), 13: D(2024, 10, 1), 24: None}


# ---------------------------------------------------------------- part-time FTE

PT_START = D(2024, 9, 1)  # Sep 2024 - Sep 2026 contains no 29 Feb


@pytest.mark.parametrize(
    ("months", "expected"),
    [
        # 1 Sep -> 1 Oct 2024 = 30 days -> 60 days: 1 Oct is +30, 31 Oct is +60.
        (1, D(2024, 10, 31)),
        # 30+31+30 = 91 days -> 182: Sep30 Oct31 Nov30 Dec31 Jan31 (1 Feb 2025 = +153), Feb28 -> 1 Mar = +181,
        # so +182 = 2 Mar 2025.
        (3, D(2025, 3, 2)),
        # 365 days -> 730 = exactly two non-leap years -> 1 Sep 2026 (24 calendar months).
        (12, D(2026, 9, 1)),
    ],
)
def test_half_time_doubles_asye_spans(months: int, expected: date) -> None:
    assert due_date(PT_START, months, initial_fte=0.5) == expected


def test_half_time_asye_across_a_leap_year_takes_a_day_over_24_months() -> None:
    # 1 Sep 2023 -> 1 Sep 2024 = 366 days (29 Feb 2024) -> 732 days.
    # 1 Sep 2024 is +366, 1 Sep 2025 is +731, so +732 = 2 Sep 2025.
    assert due_date(D(2023, 9, 1), 12, initial_fte=0.5) == D(2025, 9, 2)


@pytest.mark.parametrize(
    ("fte", "months", "expected"),
    [
        # 365 / 0.8 = 456.25 -> day 457. 1 Sep 2025 is +365;
        # +30 (1 Oct) +31 (1 Nov) +30 (1 Dec) = +456, so +457 = 2 Dec 2025.
        (0.8, 12, D(2025, 12, 2)),
        # 30 / 0.3 = exactly 100 (a float 0.3 would give 100.000...04 and land on day 101).
        # 1 Dec 2024 is +91, so +100 = 10 Dec 2024.
        (0.3, 1, D(2024, 12, 10)),
        # 30 / 0.1 = 300. 1 Jun 2025 is +273 (30+31+30+31+31+28+31+30+31), +27 -> 28 Jun 2025.
        (0.1, 1, D(2025, 6, 28)),
    ],
)
def test_fractional_fte_rounds_up_to_whole_day_without_float_drift(fte: float, months: int, expected: date) -> None:
    assert due_date(PT_START, months, initial_fte=fte) == expected


@pytest.mark.parametrize(
    ("months", "expected"),
    [
        # Full time 1 Sep 2024 -> 1 Mar 2025 = 181 days of progress, then 0.5 FTE.
        (6, D(2025, 3, 1)),  # 181 reached exactly on 1 Mar: unaffected by the change
        # 9-month: 273 days; remaining 92 at 0.5 = 184 days from 1 Mar 2025:
        # Mar31 Apr30 May31 Jun30 Jul31 Aug31 = 184 -> 1 Sep 2025.
        (9, D(2025, 9, 1)),
        # 12-month: 365; remaining 184 at 0.5 = 368 days. 1 Mar 2026 is +365 -> +368 = 4 Mar 2026.
        (12, D(2026, 3, 4)),
    ],
)
def test_fte_change_mid_asye_stretches_only_the_rest(months: int, expected: date) -> None:
    changes = [FteChange(D(2025, 3, 1), 0.5)]
    assert due_date(PT_START, months, fte_changes=changes) == expected


def test_fte_changes_down_then_back_up() -> None:
    # 181 days at 1.0 (to 1 Mar 2025) + 184 days at 0.5 (to 1 Sep 2025) = 273 progress.
    # Remaining 92 at 1.0: 1 Sep + 92 = 2 Dec 2025 (1 Oct +30, 1 Nov +61, 1 Dec +91).
    changes = [FteChange(D(2025, 9, 1), 1.0), FteChange(D(2025, 3, 1), 0.5)]  # unsorted on purpose
    assert due_date(PT_START, 12, fte_changes=changes) == D(2025, 12, 2)


def test_fte_increase_carries_fractional_progress() -> None:
    # 181 days at 0.5 = 90.5; remaining 274.5 at 1.0 -> 275 days from 1 Mar 2025.
    # 1 Dec 2025 is +275 (31+30+31+30+31+31+30+31+30) -> progress 365.5 there, 364.5 on 30 Nov.
    changes = [FteChange(D(2025, 3, 1), 1.0)]
    assert due_date(PT_START, 12, initial_fte=0.5, fte_changes=changes) == D(2025, 12, 1)


def test_fte_change_dated_before_start_applies_from_start() -> None:
    # 0.5 from start -> 1-month needs 60 days -> 31 Oct 2024.
    assert due_date(PT_START, 1, fte_changes=[FteChange(D(2024, 1, 1), 0.5)]) == D(2024, 10, 31)


@pytest.mark.parametrize(
    ("months", "expected"),
    [
        # 0.5 FTE ASYE ends 1 Sep 2026 (see above); later parts run at full time from there.
        # 13: nominal Sep -> Oct 2025 = 30 days -> 1 Sep 2026 + 30 = 1 Oct 2026.
        (13, D(2026, 10, 1)),
        # 18: Sep 2025 -> Mar 2026 = 181 days -> 1 Sep 2026 + 181 = 1 Mar 2027 (Feb 2027 has 28).
        (18, D(2027, 3, 1)),
        # 24: Sep 2025 -> Sep 2026 = 365 days -> 1 Sep 2027.
        (24, D(2027, 9, 1)),
        # 36: Sep 2025 -> Sep 2027 = 730 days; 1 Sep 2026 + 730 crosses 29 Feb 2028 -> 31 Aug 2028.
        (36, D(2028, 8, 31)),
    ],
)
def test_years_two_to_three_run_full_time_after_part_time_asye(months: int, expected: date) -> None:
    assert due_date(PT_START, months, initial_fte=0.5) == expected


def test_fte_change_after_asye_has_no_effect() -> None:
    # Full-time ASYE ends 1 Sep 2025; a drop to 0.5 in Jan 2026 does not stretch year 2.
    changes = [FteChange(D(2026, 1, 1), 0.5)]
    assert due_date(PT_START, 24, fte_changes=changes) == D(2026, 9, 1)


@pytest.mark.parametrize(
    ("months", "expected"),
    [
        # 0.5 FTE with a 30-day pause 1 Nov - 1 Dec 2024.
        # 3-month: needs 182. 1 Sep -> 1 Nov = 61 days = 30.5; remaining 60.5 -> 121 days from 1 Dec:
        # Dec31 Jan31 Feb28 Mar31 = 121 -> 1 Apr 2025 (= unpaused 2 Mar 2025 + 30).
        (3, D(2025, 4, 1)),
        # 12-month: 730 working days + 30 paused -> 1 Sep 2026 + 30 = 1 Oct 2026.
        (12, D(2026, 10, 1)),
        # 24-month: ASYE end 1 Oct 2026 + 365 = 1 Oct 2027, then + 31 days paused in Jan 2027 = 1 Nov 2027.
        (24, D(2027, 11, 1)),
    ],
)
def test_pause_and_part_time_combined(months: int, expected: date) -> None:
    pauses = [Pause(D(2024, 11, 1), D(2024, 12, 1)), Pause(D(2027, 1, 1), D(2027, 2, 1))]
    assert due_date(PT_START, months, pauses=pauses, initial_fte=0.5) == expected


def test_pause_spanning_an_fte_change() -> None:
    # 1.0 to 1 Nov 2024 (61 days), paused 1 Nov - 1 Dec, 0.5 from 15 Nov (during the pause).
    # 3-month needs 91: remaining 30 at 0.5 = 60 days from 1 Dec 2024 -> 30 Jan 2025 (1 Jan +31, +29 more).
    result = due_date(
        PT_START,
        3,
        pauses=[Pause(D(2024, 11, 1), D(2024, 12, 1))],
        fte_changes=[FteChange(D(2024, 11, 15), 0.5)],
    )
    assert result == D(2025, 1, 30)


def test_due_dates_matches_due_date_one_at_a_time() -> None:
    # The batch path walks the history once for all offsets; it must agree with single calls.
    kwargs = {
        "pauses": [Pause(D(2024, 11, 1), D(2024, 12, 1)), Pause(D(2026, 1, 1), D(2026, 2, 1))],
        "fte_changes": [FteChange(D(2025, 3, 1), 0.6), FteChange(D(2025, 9, 1), 0.8)],
        "initial_fte": 0.5,
    }
    offsets = [36, 1, 13, 12, 3, 24, 6, 9, 18, 30]
    batch = due_dates(PT_START, offsets, **kwargs)
    assert list(batch) == offsets
    assert batch == {m: due_date(PT_START, m, **kwargs) for m in offsets}


# ---------------------------------------------------------------- invalid input


@pytest.mark.parametrize("fte", [0.0, 0.05, 0.09, 1.01, 1.5, -0.5, float("nan")])
def test_fte_outside_range_raises(fte: float) -> None:
    with pytest.raises(ValueError, match="FTE"):
        FteChange(D(2024, 1, 1), fte)
    with pytest.raises(ValueError, match="FTE"):
        due_date(PT_START, 12, initial_fte=fte)


@pytest.mark.parametrize("fte", [0.1, 1.0])
def test_fte_range_bounds_are_accepted(fte: float) -> None:
    FteChange(D(2024, 1, 1), fte)
    assert due_date(PT_START, 0, initial_fte=fte) == PT_START


def test_pause_ending_before_it_starts_raises() -> None:
    with pytest.raises(ValueError, match="before its start"):
        Pause(D(2024, 2, 1), D(2024, 1, 31))


def test_negative_months_raise() -> None:
    with pytest.raises(ValueError, match="months"):
        due_date(PT_START, -1)
