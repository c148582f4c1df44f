"""What the coordinator's home page shows."""

from typing import Any

import sqlalchemy as sa

from academy.accounts.models import User
from academy.audit.access import is_access
from academy.audit.models import AuditEvent
from academy.cohorts.models import Cohort
from academy.cohorts.queries import cohort_status_counts
from academy.core.dates import today
from academy.extensions import db
from academy.retention import metrics, workload
from academy.retention.attention import attention_page
from academy.retention.figures import pct
from academy.retention.scope import Scope


def headline_figures(scope: Scope) -> list[tuple[str, str, str]]:
    """(label, value, explanation) for the academy's headline figures over the 12 months to today."""
    total = metrics.retention(scope)[-1]
    rolling = metrics.turnover(scope, "Rolling 12 months", scope.period_start, scope.period_end)
    months = workload.caseload_by_month(scope)
    targets = workload.caseload_targets(scope)
    caseload = "No data"
    if months:
        caseload = f"{months[-1][1]:g}"
    target = f"target {targets[0]}" if len(targets) == 1 else "targets vary by cohort"
    return [
        ("In post today", str(rolling.headcount), "NQSWs in the programme, including pauses"),
        (
            "Retained at 12 months",
            pct(total.rate(12)),
            f"{total.retained[12]} of {total.eligible[12]} who started at least a year ago",
        ),
        ("Turnover, rolling 12 months", pct(rolling.rate), f"{rolling.leavers} leavers, {rolling.headcount} in post"),
        ("Average caseload", caseload, f"latest month recorded; {target}"),
    ]


HOME_ATTENTION_LIMIT = 50  # the rest are on the full list page


def coordinator_home(user: User) -> dict[str, Any]:
    cohorts = db.session.scalars(sa.select(Cohort).order_by(Cohort.start_date.desc())).all()
    changes = sa.select(AuditEvent).where(sa.not_(is_access()))  # not every page a coordinator opened
    recent = db.session.scalars(changes.order_by(AuditEvent.id.desc()).limit(10)).all()
    attention, attention_total = attention_page(limit=HOME_ATTENTION_LIMIT)
    return {
        "cohorts": cohorts,
        "counts": cohort_status_counts(),
        "recent_activity": recent,
        "headlines": headline_figures(Scope.rolling(today())),
        "attention": attention,
        "attention_total": attention_total,
    }
