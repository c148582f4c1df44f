"""The summary at the top of the figures: each headline number in one plain sentence, computed.

Every number quoted is a cell of one of the figure tables (named by `figure`, `row` and `column`), so the
summary and the tables cannot disagree; each is compared with the period a year earlier and, where DfE
publishes the same measure, with England.
"""

from dataclasses import dataclass

from academy.retention import figures as f
from academy.retention.figures import Figure
from academy.retention.national import england_for
from academy.retention.scope import Scope

YEARS_WORDS = {12: "a year", 24: "two years", 36: "three years"}
NO_ENGLAND = "England: not published by DfE."


@dataclass
class SummaryItem:
    label: str
    value: str
    sentence: str
    previous: str
    england: str
    figure: str  # where the value comes from: the figure's key, the row heading and the column
    row: str
    column: str


def _number(text: str) -> float | None:
    try:
        return float(text.rstrip("%").replace(",", ""))
    except ValueError:
        return None


def _compare(now: str, before: str, period: str, unit: str = "") -> str:
    a, b = _number(now), _number(before)
    if a is None or b is None:
        return f"No figure for {period} to compare with."
    if a == b:
        return f"The same as in {period}."
    return f"{'Up' if a > b else 'Down'} from {before}{unit} in {period}."


def _versus_england(now: str, england: float | None, year: int, unit: str = "%") -> str:
    value = _number(now)
    if england is None:
        return NO_ENGLAND
    shown = f"{england:g}{unit}"
    if value is None:
        return f"England {shown} (year to 30 September {year})."
    word = "higher than" if value > england else "lower than" if value < england else "the same as"
    return f"England {shown} (year to 30 September {year}): this is {word} England."


def _england_growth(year: int) -> str:
    """A count is not comparable with England's in size, but its change over the year is."""
    _, now = england_for(year, exact=True)
    _, before = england_for(year - 1, exact=True)
    if not now or not before or not before.get("inpost_fte"):
        return NO_ENGLAND
    change = round((now["inpost_fte"] - before["inpost_fte"]) * 100 / before["inpost_fte"], 1)
    word = "rose" if change > 0 else "fell" if change < 0 else "did not change"
    by = f" {abs(change):g}%" if change else ""
    return f"England: children's social workers in post (FTE) {word}{by} in the year to 30 September {year}."


def _previous_period(scope: Scope) -> str:
    before = scope.previous()
    return (
        f"the year to 30 September {before.census_year}"
        if scope.is_census
        else f"the 12 months to {before.as_of:%-d %B %Y}"
    )


def summary(scope: Scope, current: dict[str, Figure], earlier: dict[str, Figure]) -> list[SummaryItem]:
    """The headline figures for `scope`; `current` and `earlier` are its figures and the year before's."""
    period = _previous_period(scope)
    england_year, england = england_for(scope.census_year)
    items: list[SummaryItem] = []

    def cell(figures: dict[str, Figure], key: str, row: str, column: str) -> str:
        try:
            return figures[key].cell(row, column)
        except KeyError:
            return "No data"

    # In post, and turnover on the period's own definition.
    turnover_row, earlier_row = f.period_turnover_label(scope), f.period_turnover_label(scope.previous())
    in_post = cell(current, "turnover", turnover_row, "In post")
    in_post_fte = cell(current, "turnover", turnover_row, "In post FTE")
    items.append(
        SummaryItem(
            "In post",
            in_post,
            f"{in_post} NQSWs were in post on {scope.as_of:%-d %B %Y} ({in_post_fte} FTE), pauses included.",
            _compare(in_post, cell(earlier, "turnover", earlier_row, "In post"), period),
            _england_growth(england_year),
            "turnover",
            turnover_row,
            "In post",
        )
    )
    for months in (12, 24, 36):
        column = f"% at {months} months"
        value = cell(current, "retention", "All cohorts", column)
        eligible = cell(current, "retention", "All cohorts", f"Eligible at {months} months")
        retained = cell(current, "retention", "All cohorts", f"Retained at {months} months")
        sentence = (
            f"Of the {eligible} who started at least {YEARS_WORDS[months]} before {scope.as_of:%-d %B %Y}, "
            f"{retained} stayed at least {YEARS_WORDS[months]}."
            if eligible not in ("0", "No data")
            else f"Nobody in scope started at least {YEARS_WORDS[months]} before {scope.as_of:%-d %B %Y}."
        )
        items.append(
            SummaryItem(
                f"Retention at {months} months",
                value,
                sentence,
                _compare(value, cell(earlier, "retention", "All cohorts", column), period),
                NO_ENGLAND,
                "retention",
                "All cohorts",
                column,
            )
        )
    turnover = cell(current, "turnover", turnover_row, "Turnover (FTE) %")
    leavers = cell(current, "turnover", turnover_row, "Leavers")
    leavers_fte = cell(current, "turnover", turnover_row, "Leavers FTE")
    items.append(
        SummaryItem(
            "Turnover (FTE)",
            turnover,
            f"{leavers} left in {turnover_row[0].lower()}{turnover_row[1:]}: {leavers_fte} FTE leavers against "
            f"{in_post_fte} FTE in post at the end.",
            _compare(turnover, cell(earlier, "turnover", earlier_row, "Turnover (FTE) %"), period),
            _versus_england(turnover, england["turnover_rate_fte"] if england else None, england_year),
            "turnover",
            turnover_row,
            "Turnover (FTE) %",
        )
    )
    caseload = cell(current, "caseload", "All months", "Average cases")
    target = cell(current, "caseload", "All months", "Target")
    against = ""
    c, t = _number(caseload), _number(target)
    if c is not None and t is not None:
        against = f", {'above' if c > t else 'within'} the target of {target}"
    items.append(
        SummaryItem(
            "Average caseload",
            caseload,
            f"NQSWs holding cases had {caseload} cases on average over the period{against}."
            if _number(caseload) is not None
            else "No caseloads were recorded in the period.",
            _compare(caseload, cell(earlier, "caseload", "All months", "Average cases"), period, ""),
            _versus_england(caseload, england["caseload_fte"] if england else None, england_year, unit=""),
            "caseload",
            "All months",
            "Average cases",
        )
    )
    passed = cell(current, "asye", "All cohorts", "Pass %")
    items.append(
        SummaryItem(
            "ASYE pass rate",
            passed,
            f"Of the {cell(current, 'asye', 'All cohorts', 'Completed')} whose ASYE outcome the panel confirmed, "
            f"{cell(current, 'asye', 'All cohorts', 'Passed')} passed.",
            _compare(passed, cell(earlier, "asye", "All cohorts", "Pass %"), period),
            NO_ENGLAND,
            "asye",
            "All cohorts",
            "Pass %",
        )
    )
    supervision = cell(current, "supervision", "All cohorts", "Compliance %")
    counted = cell(current, "supervision", "All cohorts", "Held, up to each person's due")
    due = cell(current, "supervision", "All cohorts", "Sessions due")
    items.append(
        SummaryItem(
            "Supervision compliance",
            supervision,
            f"{counted} of the {due} supervision sessions due were held "
            "(extra sessions for one person do not count for another).",
            _compare(supervision, cell(earlier, "supervision", "All cohorts", "Compliance %"), period),
            NO_ENGLAND,
            "supervision",
            "All cohorts",
            "Compliance %",
        )
    )
    protected = cell(current, "protected-time", "All cohorts", "Used %")
    used = cell(current, "protected-time", "All cohorts", "Used, up to each person's entitlement")
    entitled = cell(current, "protected-time", "All cohorts", "Hours entitled")
    items.append(
        SummaryItem(
            "Protected time used",
            protected,
            f"{used} of the {entitled} hours of protected development "
            "time due were used (counting each person up to their own entitlement).",
            _compare(protected, cell(earlier, "protected-time", "All cohorts", "Used %"), period),
            NO_ENGLAND,
            "protected-time",
            "All cohorts",
            "Used %",
        )
    )
    return items
