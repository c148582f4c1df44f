"""Each dashboard figure: its title, definition in words, data table, chart and CSV rows."""

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import g
from markupsafe import Markup

from academy.retention import charts, metrics, workload
from academy.retention.national import national, national_year
from academy.retention.scope import Scope, census_year_end, census_year_start
from academy.retention.survival import AT_RISK_MONTHS, at_risk_at, cohort_curves, survival_at


def pct(value: float | None) -> str:
    return "No data" if value is None else f"{value:.1f}%"


def num(value: float | None) -> str:
    return "No data" if value is None else f"{value:g}"


@dataclass
class Figure:
    key: str
    title: str
    definition: list[str]
    columns: list[str]
    rows: list[list[str | int | float | None]]
    chart: Markup | None = None
    source: str | None = None
    extra_tables: list[tuple[str, list[str], list[list]]] = field(default_factory=list)

    def display_rows(self) -> list[list[str]]:
        """Cells as shown on the page: percentages with a % sign, missing values in words."""
        percent = ["%" in column for column in self.columns]
        return [
            [
                cell if isinstance(cell, str) else (pct(cell) if is_pct else num(cell))
                for cell, is_pct in zip(row, percent, strict=False)
            ]
            for row in self.rows
        ]

    def csv_rows(self) -> list[list]:
        """The CSV download: each table's columns and rows, later tables after a blank line and their title."""
        rows: list[list] = []
        tables = [(self.title, self.columns, self.rows), *self.extra_tables]
        for i, (title, columns, table) in enumerate(tables):
            if i:
                rows += [[], [title]]
            rows.append(columns)
            rows += [["" if cell is None else cell for cell in row] for row in table]
        return rows


def retention_figure(scope: Scope, chart: bool) -> Figure:
    rows = metrics.retention(scope)
    table = [
        [r.cohort, *[v for n in metrics.RETENTION_POINTS for v in (r.eligible[n], r.retained[n], r.rate(n))]]
        for r in rows
    ]
    figure = Figure(
        "retention",
        "Retention at 12, 24 and 36 months after start",
        [
            "Of the enrolments that started at least 12 (24, 36) months before "
            f"{scope.as_of:%-d %B %Y}, the share still in post 12 (24, 36) months after their start date.",
            "Leaving means a left, withdrawn or failed-ASYE status; pauses are not leaving. Someone who left "
            "and came back counts as not retained in their first enrolment; a new enrolment in a later cohort "
            "is counted in that cohort from its own start.",
        ],
        ["Cohort", *[f"{h} at {n} months" for n in metrics.RETENTION_POINTS for h in ("Eligible", "Retained", "%")]],
        table,
    )
    if chart:
        cohorts = [r for r in rows if r.cohort_id is not None]
        figure.chart = charts.bar_chart(
            "Retention by cohort at 12, 24 and 36 months (the table beside has the figures)",
            [r.cohort for r in cohorts],
            [(f"At {n} months", [r.rate(n) for r in cohorts]) for n in metrics.RETENTION_POINTS],
            y_title="Still in post (%)",
            percent=True,
        )
    return figure


def _percent(share: float | None) -> float | None:
    return None if share is None else round(share * 100, 1)


def survival_figure(scope: Scope, chart: bool) -> Figure:
    curves = cohort_curves(scope)
    rows = [[c.cohort, c.starters, *[_percent(survival_at(c.steps, m)) for m in (12, 24, 36)]] for c in curves]
    figure = Figure(
        "survival",
        "Survival in post by cohort (Kaplan-Meier)",
        [
            "Months from each enrolment's start to its first leaving. People still in post are censored at "
            f"{scope.as_of:%-d %B %Y} (the end of the period): they count as at risk until then and never as "
            "leavers. At each month with leavers the estimate is multiplied by (1 - leavers / number at risk).",
            "Unlike the simple retention rate, this uses every enrolment, including those who started less "
            "than 12 months ago.",
        ],
        ["Cohort", "Starters", "% in post at 12 months", "% at 24 months", "% at 36 months"],
        rows,
        extra_tables=[
            (
                "Numbers at risk (still observed at the start of each month)",
                ["Cohort", *[f"Month {m}" for m in AT_RISK_MONTHS]],
                [[c.cohort, *[at_risk_at(c.steps, m) for m in AT_RISK_MONTHS]] for c in curves],
            )
        ],
    )
    if chart and curves:  # no cohort has started yet: the table says so, there is nothing to draw
        figure.chart = charts.survival_chart("Survival curves by cohort (the tables have the figures)", curves)
    return figure


def _leavers_definition(scope: Scope, by: str) -> list[str]:
    return [
        f"Leaving events (left, withdrawn or failed ASYE) from {scope.period_start:%-d %B %Y} to "
        f"{scope.period_end:%-d %B %Y}, {by}. Someone who left twice is counted twice."
    ]


def leavers_service_figure(scope: Scope, chart: bool) -> Figure:
    rows = metrics.leavers_by_service(scope)
    figure = Figure(
        "leavers-service",
        "Leavers by length of service",
        [
            *_leavers_definition(scope, "by whole months from the start of the enrolment to the leaving date"),
            "'Came back later' counts leavers who were enrolled or active again afterwards.",
        ],
        ["Length of service", "Leavers", "Came back later"],
        [list(r) for r in rows],
    )
    if chart:
        figure.chart = charts.bar_chart(
            "Leavers by length of service", [r[0] for r in rows], [("Leavers", [r[1] for r in rows])], y_title="Leavers"
        )
    return figure


def leavers_destination_figure(scope: Scope, chart: bool) -> Figure:
    rows = metrics.leavers_by_destination(scope)
    figure = Figure(
        "leavers-destination",
        "Leavers by destination",
        [*_leavers_definition(scope, "by where they went, in the DfE attrition categories")],
        ["Destination", "Leavers"],
        [list(r) for r in rows],
    )
    if chart:
        figure.chart = charts.bar_chart(
            "Leavers by destination", [r[0] for r in rows], [("Leavers", [r[1] for r in rows])], y_title="Leavers"
        )
    return figure


def leavers_reason_figure(scope: Scope, chart: bool) -> Figure:
    rows = metrics.leavers_by_reason(scope)
    return Figure(
        "leavers-reason",
        "Leavers by reason",
        _leavers_definition(scope, "by the reason recorded when they left"),
        ["Reason", "Leavers"],
        [list(r) for r in rows],
    )


def turnover_figure(scope: Scope, chart: bool) -> Figure:
    year = scope.census_year
    census = metrics.turnover(
        scope, f"Year to 30 September {year} (census definition)", census_year_start(year), census_year_end(year)
    )
    rolling = metrics.turnover(
        scope, f"Rolling 12 months to {scope.as_of:%-d %B %Y}", scope.period_start, scope.period_end
    )
    england = national_year(year)
    rows = [
        [t.label, t.leavers, t.headcount, t.rate, float(t.leavers_fte), float(t.headcount_fte), t.rate_fte]
        for t in (census, rolling)
    ]
    if england:
        rows.append(
            [f"England, year to 30 September {year} (census)", None, None, None, england["leavers_fte"],
             england["inpost_fte"], england["turnover_rate_fte"]]
        )  # fmt: skip
    figure = Figure(
        "turnover",
        "Turnover",
        [
            "Census definition (DfE children's social work workforce census): leavers in the year to 30 "
            "September divided by those in post on 30 September, times 100; shown by headcount and by FTE.",
            "Rolling 12 months (a local measure, labelled as such): leavers in the 12 months to the end of the "
            "period divided by those in post on its last day.",
            "The England line uses the same census formula on FTE for all local-authority children's social "
            "workers, not only NQSWs.",
        ],
        ["Measure", "Leavers", "In post", "Turnover (headcount) %", "Leavers FTE", "In post FTE", "Turnover (FTE) %"],
        rows,
        source=f"{national()['publisher']}: {national()['source']} ({national()['source_url']})" if england else None,
    )
    if chart:
        labels = ["Census year (FTE)", "Rolling 12 months (FTE)"] + (["England (FTE)"] if england else [])
        values = [census.rate_fte, rolling.rate_fte] + ([england["turnover_rate_fte"]] if england else [])
        figure.chart = charts.bar_chart("Turnover rates", labels, [("Turnover", values)], y_title="Turnover (%)")
    return figure


def caseload_figure(scope: Scope, chart: bool) -> Figure:
    months = workload.caseload_by_month(scope)
    targets = workload.caseload_targets(scope)
    england = national_year(scope.census_year)
    target_text = ", ".join(str(t) for t in targets) or "not set"
    figure = Figure(
        "caseload",
        "Average NQSW caseload against the target",
        [
            "For each month of the period, the average number of cases in the caseload snapshots recorded "
            "for NQSWs holding at least one case.",
            f"Programme reduced-caseload target: {target_text} cases.",
            "England: cases held on 30 September divided by FTE social workers holding cases (census), "
            "all children's social workers; shown for comparison only.",
        ],
        ["Month", "Average cases", "Snapshots", "Target"],
        [[m, avg, n, targets[0] if len(targets) == 1 else target_text] for m, avg, n in months],
        source=f"{national()['publisher']}: {national()['source']} ({national()['source_url']})" if england else None,
    )
    if chart and months:
        figure.chart = charts.caseload_chart(
            "Average NQSW caseload by month against the target",
            [m for m, _, _ in months],
            [avg for _, avg, _ in months],
            targets[0] if len(targets) == 1 else None,
            england["caseload_fte"] if england else None,
        )
    return figure


def asye_figure(scope: Scope, chart: bool) -> Figure:
    rows = workload.asye(scope)
    figure = Figure(
        "asye",
        "ASYE completion, pass and extension",
        [
            f"Enrolments that started at least 12 months before {scope.as_of:%-d %B %Y}. Completed: the "
            "moderation panel confirmed an outcome (pass or fail) by then. Pass rate: confirmed passes out "
            "of confirmed outcomes. Extended: the final review is due later than 12 months after start (a "
            "pause or part-time hours). Time to completion: average months from start to the panel's "
            "confirmation of a pass.",
        ],
        ["Cohort", "Eligible", "Completed", "Completion %", "Passed", "Pass %", "Extended", "Extension %",
         "Months to pass"],
        [
            [r.cohort, r.eligible, r.completed, r.completion_rate, r.passed, r.pass_rate, r.extended,
             r.extension_rate, r.months_to_pass]
            for r in rows
        ],
    )  # fmt: skip
    if chart:
        cohorts = rows[:-1]
        figure.chart = charts.bar_chart(
            "ASYE rates by cohort",
            [r.cohort for r in cohorts],
            [
                ("Completion", [r.completion_rate for r in cohorts]),
                ("Pass", [r.pass_rate for r in cohorts]),
                ("Extension", [r.extension_rate for r in cohorts]),
            ],
            y_title="Rate (%)",
            percent=True,
        )
    return figure


def _log_rows(scope: Scope) -> list[workload.LogRow]:
    """Supervision and protected time come from the same queries: run them once per request."""
    cache = g.setdefault("retention_log_rows", {})
    if scope not in cache:
        cache[scope] = workload.supervision_and_protected_time(scope)
    return cache[scope]


def supervision_figure(scope: Scope, chart: bool) -> Figure:
    rows = _log_rows(scope)
    figure = Figure(
        "supervision",
        "Supervision compliance",
        [
            "Supervision sessions held (not cancelled) during each enrolment's time in post within the "
            "period, against the sessions the cohort's schedule requires for that time (by default weekly "
            "for 6 weeks, fortnightly to 6 months, then monthly). Sessions that fall due while someone is "
            "paused are not expected. The schedule runs in calendar time here; an NQSW's own page also "
            "stretches it for part-time hours, as part-time hours stretch the ASYE.",
        ],
        ["Cohort", "Participants", "Sessions due", "Sessions held", "Compliance %"],
        [[r.cohort, r.participants, r.sessions_due, r.sessions_held, r.supervision_rate] for r in rows],
    )
    if chart:
        figure.chart = charts.bar_chart(
            "Supervision compliance by cohort",
            [r.cohort for r in rows],
            [("Compliance", [r.supervision_rate for r in rows])],
            y_title="Sessions held against due (%)",
        )
    return figure


def protected_time_figure(scope: Scope, chart: bool) -> Figure:
    rows = _log_rows(scope)
    figure = Figure(
        "protected-time",
        "Protected development time used",
        [
            "Hours of protected development time logged during each enrolment's time in post within the "
            "period, against the entitlement: the cohort's share (10% by default) of contracted weekly hours, "
            "pro rata to current FTE, for the weeks in post, not counting time on a pause.",
        ],
        ["Cohort", "Participants", "Hours entitled", "Hours used", "Used %"],
        [[r.cohort, r.participants, r.hours_entitled, r.hours_used, r.protected_time_rate] for r in rows],
    )
    if chart:
        figure.chart = charts.bar_chart(
            "Protected time used by cohort",
            [r.cohort for r in rows],
            [("Used", [r.protected_time_rate for r in rows])],
            y_title="Hours used against entitled (%)",
        )
    return figure


FIGURES: dict[str, Callable[[Scope, bool], Figure]] = {
    "retention": retention_figure,
    "survival": survival_figure,
    "leavers-service": leavers_service_figure,
    "leavers-destination": leavers_destination_figure,
    "leavers-reason": leavers_reason_figure,
    "turnover": turnover_figure,
    "caseload": caseload_figure,
    "asye": asye_figure,
    "supervision": supervision_figure,
    "protected-time": protected_time_figure,
}


def all_figures(scope: Scope) -> list[Figure]:
    return [build(scope, True) for build in FIGURES.values()]
