"""Charts drawn on the server as SVG with pygal, so pages and PDFs show the same picture.

Each chart is decorative next to its data table (which carries the numbers for screen readers), so
the SVG is an image with a short label; no JavaScript is attached.

Drawing a chart with pygal takes tens of milliseconds, more than the queries behind it, so each SVG is
kept in a small in-process cache keyed by everything drawn (labels and values): a chart is drawn again
only when its figures change.
"""

from functools import lru_cache

import pygal
from markupsafe import Markup
from pygal.style import Style

from academy.retention.survival import CohortCurve, Step

# GOV.UK Frontend colours: each has at least 3:1 contrast with white, as chart lines need.
COLOURS = ("#1d70b8", "#d4351c", "#00703c", "#4c2c92", "#b58840", "#0b0c0c", "#f499be", "#28a197")

STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#0b0c0c",
    foreground_strong="#0b0c0c",
    foreground_subtle="#505a5f",
    font_family='"GDS Transport", arial, sans-serif',
    colors=COLOURS,
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=13,
    title_font_size=16,
    value_font_size=12,
)

BASE = {
    "style": STYLE,
    "js": [],
    "disable_xml_declaration": True,
    "width": 760,
    "height": 360,
    "legend_at_bottom": True,
    "truncate_legend": -1,
    "truncate_label": -1,  # labels are short ("Sep 2024") and never cut
    "print_values": False,
}


def own_ids(svg):
    """Prefix each id inside a chart with the chart's own id (unique to each drawing).

    pygal numbers the legend entries `activate-serie-0`, `-1`, … alike in every chart, so two charts
    on one page would otherwise share ids.
    """
    prefix = svg.get("id")
    for node in svg.iter():
        if node is not svg and node.get("id"):
            node.set("id", f"{prefix}-{node.get('id')}")
    return svg


def without_script(svg):
    """Drop pygal's inline script (its tooltip settings) and its hidden tooltip (a `style` attribute).

    No JavaScript is attached to these charts, and the page's Content-Security-Policy runs no inline
    script and applies no inline `style` attribute; the chart's own <style> is allowed by its hash.
    """
    for parent in list(svg.iter()):
        for child in list(parent):
            if str(child.tag).endswith("script") or "tooltip-overlay" in (child.get("class") or "").split():
                parent.remove(child)
    return svg


def render(chart: pygal.graph.graph.Graph, label: str) -> Markup:
    """The chart as inline SVG, marked as an image with `label` as its accessible name."""
    chart.add_xml_filter(own_ids)
    chart.add_xml_filter(without_script)
    svg = chart.render(is_unicode=True)
    safe_label = Markup.escape(label)
    labelled = svg.replace("<svg ", f'<svg role="img" aria-label="{safe_label}" focusable="false" ', 1)
    return Markup(labelled)  # pygal's XML has its text escaped; the label is escaped above  # nosec B704


CACHE_SIZE = 256


def bar_chart(
    label: str,
    x_labels: list[str],
    series: list[tuple[str, list[float | None]]],
    *,
    y_title: str,
    percent: bool = False,
) -> Markup:
    return _bar_chart(label, tuple(x_labels), tuple((name, tuple(values)) for name, values in series), y_title, percent)


@lru_cache(maxsize=CACHE_SIZE)
def _bar_chart(
    label: str,
    x_labels: tuple[str, ...],
    series: tuple[tuple[str, tuple[float | None, ...]], ...],
    y_title: str,
    percent: bool,
) -> Markup:
    chart = pygal.Bar(
        **BASE, y_title=y_title, show_legend=len(series) > 1, x_label_rotation=30 if len(x_labels) > 6 else 0
    )
    if percent:
        chart.range = (0, 100)
        chart.value_formatter = lambda v: f"{v:.1f}%"
    chart.x_labels = list(x_labels)
    for name, values in series:
        chart.add(name, list(values))
    return render(chart, label)


def caseload_chart(
    label: str, months: list[str], averages: list[float], target: int | None, national: float | None
) -> Markup:
    """Average NQSW caseload by month, with the target and the national average as flat lines."""
    return _caseload_chart(label, tuple(months), tuple(averages), target, national)


@lru_cache(maxsize=CACHE_SIZE)
def _caseload_chart(
    label: str, months: tuple[str, ...], averages: tuple[float, ...], target: int | None, national: float | None
) -> Markup:
    chart = pygal.Line(**BASE, y_title="Cases per NQSW", x_label_rotation=30, dots_size=4)
    chart.x_labels = list(months)
    chart.add("NQSW average caseload", list(averages))
    if target is not None:
        chart.add("Programme target", [target] * len(months), show_dots=False, stroke_style={"dasharray": "8,4"})
    if national is not None:
        chart.add("England average (census)", [national] * len(months), show_dots=False, stroke_style={"width": 1})
    chart.range = (0, max([*averages, target or 0, national or 0, 1]) * 1.2)
    return render(chart, label)


def survival_chart(label: str, curves: list[CohortCurve], horizon: int = 36) -> Markup:
    """Kaplan-Meier curves per cohort as steps, months since start against percentage still in post."""
    return _survival_chart(label, tuple((curve.cohort, tuple(curve.steps)) for curve in curves), horizon)


@lru_cache(maxsize=CACHE_SIZE)
def _survival_chart(label: str, curves: tuple[tuple[str, tuple[Step, ...]], ...], horizon: int) -> Markup:
    chart = pygal.XY(**BASE, x_title="Months since start", y_title="Still in post (%)", show_dots=False, range=(0, 100))
    chart.xrange = (0, horizon)
    chart.x_labels = list(range(0, horizon + 1, 6))
    for cohort, steps in curves:
        points: list[tuple[float, float]] = [(0, 100.0)]
        for step in steps:
            if step.time > horizon:
                break
            points += [(step.time, points[-1][1]), (step.time, round(step.survival * 100, 1))]
        last_time = max((s.time for s in steps), default=0)
        points.append((min(last_time, horizon), points[-1][1]))
        chart.add(cohort, points)
    return render(chart, label)


def line_chart(
    label: str, x_labels: list[str], series: list[tuple[str, list[float | None]]], *, y_title: str
) -> Markup:
    """Percentages over time, one line per series (the academy beside England), from 0 to 100."""
    return _line_chart(label, tuple(x_labels), tuple((name, tuple(values)) for name, values in series), y_title)


@lru_cache(maxsize=CACHE_SIZE)
def _line_chart(
    label: str, x_labels: tuple[str, ...], series: tuple[tuple[str, tuple[float | None, ...]], ...], y_title: str
) -> Markup:
    chart = pygal.Line(**BASE, y_title=y_title, dots_size=4, allow_interruptions=True)
    highest = max((v for _, values in series for v in values if v is not None), default=10)
    chart.range = (0, min(100, max(10, highest * 1.2)))
    chart.value_formatter = lambda v: f"{v:.1f}%"
    chart.x_labels = list(x_labels)
    for name, values in series:
        chart.add(name, list(values))
    return render(chart, label)
