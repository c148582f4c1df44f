"""People needing attention (docs/product.md section 10), each with the reasons, in a few grouped queries.

Reused by any home page: pass a SELECT of participant ids to limit it (a mentor's mentees).
Only people in the programme now are listed: not paused, not yet started, left or finished.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from academy.accounts.models import User
from academy.assessment.models import Review, ReviewStatus
from academy.cohorts.models import Cohort
from academy.core.dates import LONDON, today
from academy.evidence.models import EvidenceEntry, EvidenceStatus
from academy.extensions import db
from academy.logs.models import CaseloadSnapshot, SupervisionSession
from academy.participants.models import Milestone, Participant, ParticipantStatus
from academy.programmes.supervision import interval_on
from academy.retention.scope import plain_rows
from academy.retention.workload import DEFAULTS, setting

NO_EVIDENCE_DAYS = 28
REVIEW_WAIT_DAYS = 14


@dataclass
class Attention:
    participant: Participant
    reasons: list[str] = field(default_factory=list)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LONDON)


def needing_attention(among: sa.Select | None = None, on: date | None = None) -> list[Attention]:
    """Current participants with something overdue or missing, with a reason for each thing."""
    return attention_page(among, on, limit=None)[0]


def attention_page(
    among: sa.Select | None = None, on: date | None = None, *, limit: int | None = 50, offset: int = 0
) -> tuple[list[Attention], int]:
    """The most urgent people needing attention (most reasons first, then by name), and how many in all.

    The facts come from one grouped or indexed query per reason, over current participants only; only
    the people shown are loaded as objects and have their reasons put into words.
    """
    on = on or today()
    current = [
        Participant.status.in_([ParticipantStatus.ENROLLED, ParticipantStatus.ACTIVE]),
        Participant.start_date <= on,
    ]
    if among is not None:
        current.append(Participant.id.in_(among))
    facts = _facts(current, on)
    counts = Counter(pid for found in facts.values() for pid in found)
    if not counts:
        return [], 0
    names = plain_rows(sa.select(Participant.id, User.name).join(Participant.user).where(*current))
    order = sorted((-counts[pid], name, pid) for pid, name in names if pid in counts)
    chosen = [pid for _, _, pid in order[offset : None if limit is None else offset + limit]]
    people = {
        p.id: p
        for p in db.session.scalars(
            sa.select(Participant)
            .options(joinedload(Participant.user), selectinload(Participant.cohort))  # a cohort once, not per row
            .where(Participant.id.in_(chosen))
        )
    }
    last_evidence = _last_evidence([pid for pid in chosen if pid in facts["quiet"]])
    wording: dict[str, Callable[..., str]] = {
        "overdue": _overdue,
        "quiet": lambda pid: _no_evidence(last_evidence.get(pid)),
        "waiting": _waiting,
        "supervision": _supervision_gap,
        "caseload": _caseload,
    }
    items = [
        Attention(people[pid], [wording[kind](*found[pid]) for kind, found in facts.items() if pid in found])
        for pid in chosen
    ]
    return items, len(order)


def _facts(current: list[sa.ColumnElement[bool]], on: date) -> dict[str, dict[int, tuple]]:
    """For each reason, in the order they are listed: participant id -> the facts behind it."""
    signed = sa.select(Review.milestone_id).where(Review.status == ReviewStatus.SIGNED)
    overdue = (
        sa.select(Milestone.participant_id, sa.func.count(), sa.func.min(Milestone.due_date))
        .join(Participant, Participant.id == Milestone.participant_id)
        .where(
            Milestone.due_date < on,
            Milestone.completed_on.is_(None),
            Milestone.is_optional.is_(False),
            Milestone.id.not_in(signed),
            *current,
        )
        .group_by(Milestone.participant_id)
    )
    # Each lookup below is one index seek per current participant (indexes on participant_id + date).
    cutoff = on - timedelta(days=NO_EVIDENCE_DAYS)
    recent_evidence = sa.exists().where(
        EvidenceEntry.participant_id == Participant.id, EvidenceEntry.created_at >= _start_of(cutoff)
    )
    quiet = sa.select(Participant.id).where(*current, Participant.start_date <= cutoff, ~recent_evidence)
    waiting = (
        sa.select(EvidenceEntry.participant_id, sa.func.count())
        .join(Participant, Participant.id == EvidenceEntry.participant_id)
        .where(
            EvidenceEntry.status.in_([EvidenceStatus.SUBMITTED, EvidenceStatus.RESUBMITTED]),
            EvidenceEntry.submitted_at < _start_of(on - timedelta(days=REVIEW_WAIT_DAYS)),
            *current,
        )
        .group_by(EvidenceEntry.participant_id)
    )
    facts: dict[str, dict[int, tuple]] = {
        "overdue": {pid: (n, first_due) for pid, n, first_due in plain_rows(overdue)},
        "quiet": {pid: (pid,) for (pid,) in plain_rows(quiet)},
        "waiting": {pid: (n,) for pid, n in plain_rows(waiting)},
        "supervision": {},
        "caseload": {},
    }

    # The latest session held: walk the (participant_id, held_on) index backwards to the first one held.
    last_held = (
        sa.select(SupervisionSession.held_on)
        .where(
            SupervisionSession.participant_id == Participant.id,
            SupervisionSession.was_held.is_(True),
            SupervisionSession.held_on <= on,
        )
        .order_by(SupervisionSession.held_on.desc())
        .limit(1)
        .correlate(Participant)
        .scalar_subquery()
    )
    # The latest snapshot (the last recorded, when two share a day): the same index, walked backwards.
    latest_cases = (
        sa.select(CaseloadSnapshot.cases)
        .where(CaseloadSnapshot.participant_id == Participant.id, CaseloadSnapshot.taken_on <= on)
        .order_by(CaseloadSnapshot.taken_on.desc(), CaseloadSnapshot.id.desc())
        .limit(1)
        .correlate(Participant)
        .scalar_subquery()
    )
    logs = sa.select(Participant.id, Participant.start_date, Participant.cohort_id, last_held, latest_cases).where(
        *current
    )
    rows = plain_rows(logs)
    settings = _cohort_settings({cohort_id for _, _, cohort_id, _, _ in rows})
    allowed_days: dict[tuple[int, date], int] = {}  # people of a cohort mostly share a start date
    targets = {cid: int(setting(cohort, "caseload_target")) for cid, cohort in settings.items()}
    for pid, start, cohort_id, held_on, cases in rows:
        if (cohort_id, start) not in allowed_days:
            schedule = setting(settings.get(cohort_id, {}), "supervision_schedule")
            allowed_days[cohort_id, start] = interval_on(schedule, start, on)
        allowed = allowed_days[cohort_id, start]
        gap = (on - (held_on or start)).days
        if gap > allowed:
            facts["supervision"][pid] = (gap, allowed, held_on)
        target = targets.get(cohort_id, int(DEFAULTS["caseload_target"]))
        if cases is not None and cases > target:
            facts["caseload"][pid] = (cases, target)
    return facts


def _last_evidence(participant_ids: list[int]) -> dict[int, datetime]:
    """When each of these participants last added evidence (none: absent)."""
    if not participant_ids:
        return {}
    query = (
        sa.select(EvidenceEntry.participant_id, sa.func.max(EvidenceEntry.created_at))
        .where(EvidenceEntry.participant_id.in_(participant_ids))
        .group_by(EvidenceEntry.participant_id)
    )
    return dict(db.session.execute(query).all())


def _overdue(n: int, first_due: date) -> str:
    return f"{n} review{'s' if n > 1 else ''} overdue (since {first_due.day} {first_due:%B %Y})"


def _no_evidence(last_at: datetime | None) -> str:
    when = f"since {last_at.astimezone(LONDON):%-d %B %Y}" if last_at else "none recorded yet"
    return f"No evidence added for {NO_EVIDENCE_DAYS} days ({when})"


def _waiting(n: int) -> str:
    return f"{n} evidence entr{'ies' if n > 1 else 'y'} waiting more than {REVIEW_WAIT_DAYS} days for review"


def _supervision_gap(days: int, allowed: int, held_on: date | None) -> str:
    last = f"last on {held_on.day} {held_on:%B %Y}" if held_on else "none recorded since the start"
    return f"Supervision gap: {days} days, more than the {allowed} allowed ({last})"


def _caseload(cases: int, target: int) -> str:
    return f"Caseload {cases} is above the target of {target}"


def _cohort_settings(cohort_ids: set[int]) -> dict[int, dict]:
    if not cohort_ids:
        return {}
    return dict(db.session.execute(sa.select(Cohort.id, Cohort.settings).where(Cohort.id.in_(cohort_ids))).all())
