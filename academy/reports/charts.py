"""Charts for records and reports, drawn on the server as SVG with pygal (no script, local fonts)."""

import base64
import sys
from collections.abc import Sequence

import pygal
from pygal.style import Style

from academy.assessment.services.ratings import framework_name

# pygal adds an import hook for its optional map plugins (unused here); it turns every failed
# optional import elsewhere into an ImportWarning, so it is taken out again.
sys.meta_path[:] = [finder for finder in sys.meta_path if type(finder).__name__ != "PluginImportFixer"]

FONT = "DejaVu Sans, sans-serif"
STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#0b0c0c",
    foreground_strong="#0b0c0c",
    foreground_subtle="#505a5f",
    colors=("#b1b4b6", "#f47738", "#1d70b8", "#00703c", "#4c2c92", "#d4351c"),
    font_family=FONT,
    label_font_family=FONT,
    major_label_font_family=FONT,
    value_font_family=FONT,
    value_label_font_family=FONT,
    title_font_family=FONT,
    legend_font_family=FONT,
    tooltip_font_family=FONT,
    label_font_size=11,
    major_label_font_size=11,
    legend_font_size=11,
    title_font_size=13,
)


def _config(title: str, **extra) -> pygal.Config:
    config = pygal.Config(
        js=[],  # no scripts: the PDF is static and nothing is fetched from the network
        style=STYLE,
        title=title,
        width=720,
        height=300,
        disable_xml_declaration=True,
        show_legend=True,
        legend_at_bottom=True,
        print_values=False,
        explicit_size=True,
        **extra,
    )
    return config


def data_uri(svg: str) -> str:
    """An SVG as a data: URI for <img src>, so it needs no file and no network."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def ratings_chart(tables: Sequence, labels: Sequence[str]) -> str:
    """Stacked bars: for each framework and year, how many elements stand at each rating."""
    chart = pygal.StackedBar(_config("Current ratings by framework and year", x_label_rotation=0))
    columns = [f"{framework_name(t.framework)} year {t.programme_year}" for t in tables]
    chart.x_labels = columns
    chart.add("Not rated", [sum(1 for row in t.rows if row.rating_label is None) for t in tables])
    for label in labels:
        chart.add(label, [sum(1 for row in t.rows if row.rating_label == label) for t in tables])
    return data_uri(chart.render(is_unicode=True))


def bar_chart(title: str, categories: Sequence[str], series: dict[str, Sequence[float]]) -> str:
    """A grouped bar chart (one bar group per category) as a data: URI."""
    chart = pygal.Bar(_config(title))
    chart.x_labels = list(categories)
    for name, values in series.items():
        chart.add(name, list(values))
    return data_uri(chart.render(is_unicode=True))
