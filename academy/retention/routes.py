"""The retention and workforce dashboard, its printable PDF, each figure as CSV and the census export."""

from datetime import datetime

from flask import Response, abort, render_template, request
from flask_login import current_user

from academy.accounts.policies import can_manage_academy
from academy.audit.access import audited_download
from academy.core.dates import LONDON, today
from academy.core.pdf import render_pdf_template
from academy.core.web import csv_download, pdf_download, requires
from academy.retention import bp, census
from academy.retention.attention import attention_page
from academy.retention.figures import FIGURES, Figure, all_figures
from academy.retention.forms import FilterForm
from academy.retention.national import national, source_line
from academy.retention.scope import Scope
from academy.retention.summary import summary

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters() -> tuple[FilterForm, Scope]:
    form = FilterForm(formdata=request.args or None)
    if request.args and not form.validate():
        return form, Scope.rolling(today())
    return form, form.scope()


def _page(scope: Scope) -> dict:
    """What the page and its PDF show: the figures, the summary of them, England's source and the census note."""
    figures = all_figures(scope)
    current: dict[str, Figure] = {figure.key: figure for figure in figures}
    earlier = {key: build(scope.previous(), False) for key, build in FIGURES.items() if key in SUMMARY_SOURCES}
    return {
        "scope": scope,
        "figures": figures,
        "summary": summary(scope, current, earlier),
        "national": national(),
        "england_source": source_line(),
        "census_columns": census.COLUMNS,
        "not_held": census.NOT_HELD,
    }


SUMMARY_SOURCES = {"turnover", "retention", "caseload", "asye", "supervision", "protected-time"}


@bp.get("/")
@requires(can_manage_academy)
def dashboard():
    form, scope = _filters()
    return render_template("retention/dashboard.html", form=form, **_page(scope))


@bp.get("/figures.pdf")
@requires(can_manage_academy)
def figures_pdf():
    form, scope = _filters()
    if form.errors:
        abort(400)
    generated_at = datetime.now(LONDON)
    _, data = render_pdf_template(
        "pdf/retention.html", generated_at=generated_at, generated_by=current_user.name, **_page(scope)
    )
    name = f"retention-figures-{scope.period_start.isoformat()}-to-{scope.period_end.isoformat()}.pdf"
    return pdf_download(data, name)


@bp.get("/census.csv")
@requires(can_manage_academy)
def census_csv():
    form, scope = _filters()
    if form.errors:
        abort(400)
    rows = census.csv_rows(census.census_records(scope))
    response = csv_download(rows, f"csww-census-workers-30-september-{scope.census_year}.csv")
    return audited_download(response, "census.downloaded", scope, _census_summary(scope, "CSV"))


@bp.get("/census.xlsx")
@requires(can_manage_academy)
def census_xlsx():
    form, scope = _filters()
    if form.errors:
        abort(400)
    data = census.xlsx_bytes(census.census_records(scope), scope.census_year)
    name = f"csww-census-workers-30-september-{scope.census_year}.xlsx"
    response = Response(
        data,
        mimetype=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{name}"', "X-Content-Type-Options": "nosniff"},
    )
    return audited_download(response, "census.downloaded", scope, _census_summary(scope, "XLSX"))


def _census_summary(scope: Scope, file_format: str) -> str:
    return f"Downloaded the workforce census of workers on 30 September {scope.census_year} ({file_format})"


ATTENTION_PAGE_SIZE = 100


@bp.get("/attention")
@requires(can_manage_academy)
def attention():
    page = request.args.get("page", 1, type=int)
    if page < 1:
        abort(404)
    items, total = attention_page(limit=ATTENTION_PAGE_SIZE, offset=(page - 1) * ATTENTION_PAGE_SIZE)
    pages = max(1, -(-total // ATTENTION_PAGE_SIZE))
    if page > pages:
        abort(404)
    first = (page - 1) * ATTENTION_PAGE_SIZE + 1
    return render_template(
        "retention/attention.html",
        items=items,
        total=total,
        page=page,
        pages=pages,
        first=first,
        last=first + len(items) - 1,
    )


@bp.get("/<key>.csv")
@requires(can_manage_academy)
def figure_csv(key: str):
    if key not in FIGURES:
        abort(404)
    form, scope = _filters()
    if form.errors:
        abort(400)
    name = f"{key}-{scope.period_start.isoformat()}-to-{scope.period_end.isoformat()}.csv"
    return csv_download(FIGURES[key](scope, False).csv_rows(), name)
