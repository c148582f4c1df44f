"""Each dashboard figure: its title, definition in words, data table, chart and CSV rows."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from flask import g
from markupsafe import Markup

from academy.retention import charts, metrics, workload
from academy.retention.national import england_for, source_line
from academy.retention.scope import Scope, census_year_end, census_year_start, short_labels
from academy.retention.survival import AT_RISK_MONTHS, at_risk_at, cohort_curves, survival_at

MORE_LEAVERS = "Not shown: more leavers than in post"


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
    chart_key: str | None = None  # what the chart's short labels stand for
    terms: list[tuple[str, str]] = field(default_factory=list)  # statistical terms explained

    def cell(self, row: str, column: str) -> str:
        """The displayed cell of the row headed `row` in the column `column` (the summary quotes these)."""
        index = self.columns.index(column)
        for cells in self.display_rows():
            if cells[0] == row:
                return cells[index]
        raise KeyError(row)

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


def _labels(scope: Scope, names: list[str]) -> tuple[list[str], str | None]:
    """Short chart labels for cohort names, and the sentence saying which is which."""
    short = short_labels(scope)
    labels = [short.get(name, name) for name in names]
    pairs = [f"{label} is {name}" for label, name in zip(labels, names, strict=True) if label != name]
    key = f"The chart labels each cohort by its start month: {'; '.join(pairs)}." if pairs else None
    return labels, key


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
        labels, figure.chart_key = _labels(scope, [r.cohort for r in cohorts])
        figure.chart = charts.bar_chart(
            "Retention by cohort at 12, 24 and 36 months (the table below has the figures)",
            labels,
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
        "How long people stay",
        [
            "For each cohort, the estimated share still in post a given number of months after starting. "
            "Unlike the retention figure above, it uses everyone, including people who started less than "
            "12 months ago: someone still in post counts for as long as we have seen them, and no longer.",
            f"Counted up to {scope.as_of:%-d %B %Y} (the end of the period). Leaving means a left, withdrawn "
            "or failed-ASYE status; pauses are not leaving.",
        ],
        ["Cohort", "Starters", "% in post at 12 months", "% at 24 months", "% at 36 months"],
        rows,
        extra_tables=[
            (
                "Numbers still observed at the start of each month",
                ["Cohort", *[f"Month {m}" for m in AT_RISK_MONTHS]],
                [[c.cohort, *[at_risk_at(c.steps, m) for m in AT_RISK_MONTHS]] for c in curves],
            )
        ],
        terms=[
            (
                "Survival estimate (Kaplan-Meier)",
                "At each month in which someone left, the share still in post is multiplied by (1 minus the "
                "leavers that month divided by the number still observed just before). This is the "
                "Kaplan-Meier estimator (Kaplan and Meier, 1958).",
            ),
            (
                "Censored",
                "Someone still in post at the end of the period has not left yet, so we do not know how long "
                "they will stay. They count as still in post for every month we have seen, then drop out of "
                "the count without being counted as a leaver.",
            ),
            (
                "Number at risk (still observed)",
                "The people who had neither left nor dropped out of the count by the start of a month: the "
                "number the estimate for that month rests on. A small number makes the estimate less certain.",
            ),
        ],
    )
    if chart and curves:  # no cohort has started yet: the table says so, there is nothing to draw
        labels, figure.chart_key = _labels(scope, [c.cohort for c in curves])
        figure.chart = charts.survival_chart(
            "How long people stay: share still in post by months since start, per cohort (the tables below have "
            "the figures)",
            [type(c)(label, c.steps) for c, label in zip(curves, labels, strict=True)],
        )
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


def turnover_rows(scope: Scope) -> list[metrics.Turnover]:
    """The census year of the scope, and the scope's own period when that is a rolling 12 months."""
    year = scope.census_year
    rows = [
        metrics.turnover(
            scope, f"Year to 30 September {year} (census definition)", census_year_start(year), census_year_end(year)
        )
    ]
    if not scope.is_census:
        rows.append(
            metrics.turnover(
                scope, f"Rolling 12 months to {scope.as_of:%-d %B %Y}", scope.period_start, scope.period_end
            )
        )
    return rows


def period_turnover_label(scope: Scope) -> str:
    """The label of the turnover row covering the scope's own period."""
    return turnover_rows_labels(scope)[-1]


def turnover_rows_labels(scope: Scope) -> list[str]:
    labels = [f"Year to 30 September {scope.census_year} (census definition)"]
    if not scope.is_census:
        labels.append(f"Rolling 12 months to {scope.as_of:%-d %B %Y}")
    return labels


def _rate_cell(value: float | None, more_leavers: bool) -> float | str | None:
    return MORE_LEAVERS if more_leavers and value is None else value


def turnover_figure(scope: Scope, chart: bool) -> Figure:
    measured = turnover_rows(scope)
    england_year, england = england_for(scope.census_year)
    rows: list[list[str | int | float | None]] = [
        [t.label, t.leavers, t.headcount, _rate_cell(t.rate, t.leavers > t.headcount), float(t.leavers_fte),
         float(t.headcount_fte), _rate_cell(t.rate_fte, t.leavers_fte > t.headcount_fte)]
        for t in measured
    ]  # fmt: skip
    if england:
        rows.append(
            [f"England, year to 30 September {england_year} (census)", None, None, None, england["leavers_fte"],
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
            "When more people left than are in post at the end, the rate would pass 100% and mean little, so it "
            "is not shown; the counts are.",
        ],
        ["Measure", "Leavers", "In post", "Turnover (headcount) %", "Leavers FTE", "In post FTE", "Turnover (FTE) %"],
        rows,
        source=source_line() if england else None,
        terms=[
            (
                "FTE (full-time equivalent)",
                "Contracted hours divided by full-time hours: someone on 0.6 counts "
                "as 0.6 of a person. DfE's England figures are FTE.",
            ),
        ],
    )
    if chart:
        labels = ["This academy, census year (FTE)"]
        values = [measured[0].rate_fte]
        if not scope.is_census:
            labels.append("This academy, rolling 12 months (FTE)")
            values.append(measured[1].rate_fte)
        if england:
            labels.append(f"England {england_year} (FTE)")
            values.append(england["turnover_rate_fte"])
        figure.chart = charts.bar_chart(
            "Turnover rates beside England's (the table below has the figures)",
            labels,
            [("Turnover", values)],
            y_title="Turnover (%)",
            percent=True,
        )
    return figure


def england_figure(scope: Scope, chart: bool) -> Figure:
    """The academy's census-year turnover beside England's, for each census year with figures."""
    first_year = workload.first_census_year(scope)
    years = list(range(first_year, scope.census_year + 1)) if first_year else []
    table: list[list[str | int | float | None]] = []
    for year in years:
        t = metrics.turnover(scope, "", census_year_start(year), census_year_end(year))
        _, england = england_for(year, exact=True)
        table.append(
            [f"Year to 30 September {year}", float(t.headcount_fte), float(t.leavers_fte),
             _rate_cell(t.rate_fte, t.leavers_fte > t.headcount_fte),
             england["turnover_rate_fte"] if england else None, england["caseload_fte"] if england else None,
             england.get("agency_rate_fte") if england else None, england.get("vacancy_rate_fte") if england else None]
        )  # fmt: skip
    figure = Figure(
        "england",
        "This academy beside England, by census year",
        [
            "Each row is a census year (1 October to 30 September). The academy's turnover uses the census "
            "formula on FTE: NQSW leavers in the year divided by NQSWs in post on 30 September.",
            "England's figures are for all children's social workers employed by English local authorities "
            "(DfE children's social work workforce statistics): turnover, average caseload, agency rate and "
            "vacancy rate, each at or to 30 September. The academy does not hold vacancies or agency cover, so "
            "those are shown for England only.",
        ],
        ["Census year", "In post FTE", "Leavers FTE", "Turnover (FTE) %", "England turnover (FTE) %",
         "England average caseload", "England agency rate %", "England vacancy rate %"],
        table,
        source=source_line(),
        terms=[
            ("Agency rate", "Agency social workers (FTE) at 30 September divided by agency plus directly employed "
             "social workers (FTE)."),
            ("Vacancy rate", "FTE vacancies at 30 September divided by FTE vacancies plus FTE social workers."),
        ],
    )  # fmt: skip
    if chart and years:
        figure.chart = charts.line_chart(
            "Turnover by census year, this academy beside England (the table below has the figures)",
            [str(y) for y in years],
            [
                ("This academy (FTE)", [row[3] if isinstance(row[3], float) else None for row in table]),
                ("England (FTE)", [row[4] if isinstance(row[4], float) else None for row in table]),
            ],
            y_title="Turnover (%)",
        )
    return figure


def caseload_figure(scope: Scope, chart: bool) -> Figure:
    months = workload.caseload_by_month(scope)
    overall, snapshots = workload.average_caseload(scope)
    targets = workload.caseload_targets(scope)
    england_year, england = england_for(scope.census_year)
    target_text = ", ".join(str(t) for t in targets) or "not set"
    target_cell = targets[0] if len(targets) == 1 else target_text
    rows: list[list[str | int | float | None]] = [[f"{_month(m):%B %Y}", avg, n, target_cell] for m, avg, n in months]
    if months:
        rows.append(["All months", overall, snapshots, target_cell])
    if england:
        rows.append([f"England, 30 September {england_year} (census)", england["caseload_fte"], None, None])
    figure = Figure(
        "caseload",
        "Average NQSW caseload against the target",
        [
            "For each month of the period, the average number of cases in the caseload snapshots recorded "
            "for NQSWs holding at least one case; 'All months' averages every such snapshot in the period.",
            f"Programme reduced-caseload target: {target_text} cases.",
            "England: cases held on 30 September divided by FTE social workers holding cases (census), "
            "all children's social workers; shown for comparison only.",
        ],
        ["Month", "Average cases", "Snapshots", "Target"],
        rows,
        source=source_line() if england else None,
    )
    if chart and months:
        figure.chart = charts.caseload_chart(
            "Average NQSW caseload by month against the target (the table below has the figures)",
            [f"{_month(m):%b %Y}" for m, _, _ in months],
            [avg for _, avg, _ in months],
            targets[0] if len(targets) == 1 else None,
            england["caseload_fte"] if england else None,
        )
    return figure


def _month(year_month: str) -> date:
    return date(int(year_month[:4]), int(year_month[5:7]), 1)


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
        labels, figure.chart_key = _labels(scope, [r.cohort for r in cohorts])
        figure.chart = charts.bar_chart(
            "ASYE rates by cohort (the table below has the figures)",
            labels,
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
            "Each person's sessions count only up to the number due for them, so extra sessions for one person "
            "cannot make up for missed sessions of another, and compliance cannot pass 100%. The sessions "
            "actually held are shown beside.",
        ],
        ["Cohort", "Participants", "Sessions due", "Sessions held", "Held, up to each person's due",
         "Compliance %"],
        [[r.cohort, r.participants, r.sessions_due, r.sessions_held, r.sessions_counted, r.supervision_rate]
         for r in rows],
    )  # fmt: skip
    if chart:
        labels, figure.chart_key = _labels(scope, [r.cohort for r in rows])
        figure.chart = charts.bar_chart(
            "Supervision compliance by cohort (the table below has the figures)",
            labels,
            [("Compliance", [r.supervision_rate for r in rows])],
            y_title="Sessions held against due (%)",
            percent=True,
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
            "Each person's hours count only up to their own entitlement, so the share used cannot pass 100%. "
            "The hours actually logged are shown beside.",
        ],
        ["Cohort", "Participants", "Hours entitled", "Hours used", "Used, up to each person's entitlement",
         "Used %"],
        [[r.cohort, r.participants, r.hours_entitled, r.hours_used, r.hours_counted, r.protected_time_rate]
         for r in rows],
    )  # fmt: skip
    if chart:
        labels, figure.chart_key = _labels(scope, [r.cohort for r in rows])
        figure.chart = charts.bar_chart(
            "Protected time used by cohort (the table below has the figures)",
            labels,
            [("Used", [r.protected_time_rate for r in rows])],
            y_title="Hours used against entitled (%)",
            percent=True,
        )
    return figure


def staff_load_figure(scope: Scope, chart: bool) -> Figure:
    rows = workload.staff_loads(scope)
    limits = workload.load_limits()
    figure = Figure(
        "staff-load",
        "Assessors' and mentors' NQSW loads",
        [
            f"For each assessor and mentor, the NQSWs in scope assigned to them on {scope.as_of:%-d %B %Y} who "
            "were in post that day (pauses included), against the most one person should hold: "
            f"{limits['assessor']} for an assessor and {limits['mentor']} for a mentor (the "
            "MAX_NQSWS_PER_ASSESSOR and MAX_NQSWS_PER_MENTOR settings).",
            "Over the maximum means support is stretched there.",
        ],
        ["Name", "Role", "NQSWs held", "Maximum", "Load"],
        [[r.name, r.role, r.held, r.maximum, r.load] for r in rows],
    )
    if chart and rows:
        figure.chart = charts.bar_chart(
            "NQSWs held by each assessor and mentor (the table below has the figures)",
            [r.short_name for r in rows],
            [("NQSWs held", [float(r.held) for r in rows])],
            y_title="NQSWs held",
        )
    return figure


FIGURES: dict[str, Callable[[Scope, bool], Figure]] = {
    "retention": retention_figure,
    "survival": survival_figure,
    "leavers-service": leavers_service_figure,
    "leavers-destination": leavers_destination_figure,
    "leavers-reason": leavers_reason_figure,
    "turnover": turnover_figure,
    "england": england_figure,
    "caseload": caseload_figure,
    "asye": asye_figure,
    "supervision": supervision_figure,
    "protected-time": protected_time_figure,
    "staff-load": staff_load_figure,
}


def all_figures(scope: Scope) -> list[Figure]:
    return [build(scope, True) for build in FIGURES.values()]
