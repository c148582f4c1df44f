"""The retention and workforce dashboard, and each figure as CSV."""

from flask import abort, render_template, request

from academy.accounts.policies import can_manage_academy
from academy.core.dates import today
from academy.core.web import csv_download, requires
from academy.retention import bp
from academy.retention.attention import attention_page
from academy.retention.figures import FIGURES, all_figures
from academy.retention.forms import FilterForm
from academy.retention.national import national
from academy.retention.scope import Scope


def _filters() -> tuple[FilterForm, Scope]:
    form = FilterForm(formdata=request.args or None)
    if request.args and not form.validate():
        return form, Scope.rolling(today())
    return form, form.scope()


@bp.get("/")
@requires(can_manage_academy)
def dashboard():
    form, scope = _filters()
    return render_template(
        "retention/dashboard.html", form=form, scope=scope, figures=all_figures(scope), national=national()
    )


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
