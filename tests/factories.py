"""Plain functions that make test data through the real services."""

import itertools
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from academy.accounts.models import Role, User
from academy.accounts.services import create_user
from academy.cohorts.models import Cohort
from academy.cohorts.services import create_cohort, enrol_participant
from academy.core.dates import today
from academy.extensions import db
from academy.frameworks.loader import load_shipped_frameworks
from academy.frameworks.models import Framework
from academy.participants.models import Assignment, AssignmentKind, Participant
from academy.participants.services import assign_staff
from academy.programmes.services import default_programme, ensure_default_programmes

PASSWORD = "correct-horse-battery-staple"
_sequence = itertools.count(1)


def make_user(roles=("nqsw",), *, name: str | None = None, email: str | None = None, password: str = PASSWORD) -> User:
    n = next(_sequence)
    user = create_user(
        email or f"person{n}@example.org", name or f"Person {n}", {Role(r) for r in roles}, password=password
    )
    return user


def frameworks() -> list[Framework]:
    """The shipped frameworks, loaded once per test transaction."""
    load_shipped_frameworks()
    return list(db.session.scalars(sa.select(Framework).order_by(Framework.id)))


def make_cohort(
    name: str | None = None, start: date = date(2026, 9, 7), *, actor: User | None = None, with_frameworks: bool = True
) -> Cohort:
    ensure_default_programmes()
    fws = frameworks() if with_frameworks else frameworks()[:1]  # every cohort has at least one
    return create_cohort(name or f"Cohort {next(_sequence)}", start, default_programme(), fws, actor=actor)


def make_participant(
    cohort: Cohort | None = None,
    user: User | None = None,
    *,
    start: date | None = None,
    fte: str = "1.0",
    today: date | None = None,
    **kwargs,
) -> Participant:
    cohort = cohort or make_cohort()
    user = user or make_user(("nqsw",))
    return enrol_participant(cohort, user, actor=None, start_date=start, fte=Decimal(fte), today=today, **kwargs)


def assign(
    participant: Participant,
    staff: User,
    kind: str = "assessor",
    *,
    starts_on: date | None = None,
    handover_note: str = "",
) -> Assignment:
    return assign_staff(
        participant,
        staff,
        AssignmentKind(kind),
        starts_on=starts_on or participant.start_date,
        actor=None,
        handover_note=handover_note,
    )


def make_empty_academy() -> dict[str, User]:
    """An academy on its first day: the shipped frameworks, the default programmes and one coordinator;
    a member of staff and an NQSW with accounts but nothing else (issue 13: every page works)."""
    frameworks()
    ensure_default_programmes()
    return {
        "coordinator": make_user(("coordinator",), name="First Coordinator", email="coordinator@example.org"),
        "mentor": make_user(("mentor",), name="Idle Assessor", email="assessor@example.org"),
        "nqsw": make_user(("nqsw",), name="Not Yet Enrolled", email="nqsw@example.org"),
    }


def make_new_participant_academy() -> dict[str, User]:
    """One cohort with one NQSW enrolled today, an assessor assigned, and nothing recorded yet."""
    people = make_empty_academy()
    participant = make_participant(make_cohort("First cohort", today()), start=today())
    assign(participant, people["mentor"], "assessor")
    return {**people, "nqsw": participant.user}
