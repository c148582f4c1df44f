"""A synthetic academy for demonstrations and manual testing. Every name is made up by Faker."""

import importlib
import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from faker import Faker

from academy.accounts.models import Role, User
from academy.accounts.services import create_user
from academy.cohorts.models import Cohort
from academy.cohorts.services import create_cohort, enrol_participant, propose_setup
from academy.core import dates
from academy.extensions import db
from academy.frameworks.loader import find_framework
from academy.frameworks.transfer import import_framework
from academy.notifications.services import QUIET
from academy.participants.models import AssignmentKind, EmploymentType, Participant
from academy.participants.services import assign_staff
from academy.programmes.services import default_programme

DEMO_DOMAIN = "example.org"  # reserved for documentation: no real mailbox receives these
DEMO_MARKER_EMAIL = f"coordinator@{DEMO_DOMAIN}"
SEED = 2026

TEAMS = [
    "Assessment and intervention North",
    "Assessment and intervention South",
    "Children in care",
    "Child protection East",
    "Child protection West",
    "Disabled children's service",
    "Leaving care",
]

INTAKES = [
    ("September 2024 intake", date(2024, 9, 2)),
    ("September 2025 intake", date(2025, 9, 1)),
    ("September 2026 intake", date(2026, 9, 7)),
]
# The first early career development programme intake, enrolled in advance against the example early career
# standards file (docs/early-career-standards.md), so that the ASYE and the ECDP show side by side.
ECDP_INTAKE = ("September 2027 intake (ECDP)", date(2027, 9, 6), 6)
EXAMPLE_ECS = Path(__file__).resolve().parents[2] / "docs" / "examples" / "early-career-standards-example.json"


@dataclass
class DemoAcademy:
    coordinators: list[User]
    mentors: list[User]
    cohorts: list[Cohort]
    participants: list[Participant]
    rng: random.Random
    today: date


def demo_sign_ins() -> list[tuple[str, str]]:
    """The sign-ins printed after seeding: one per role."""
    return [("coordinator", DEMO_MARKER_EMAIL), ("mentor", f"mentor1@{DEMO_DOMAIN}"), ("nqsw", f"nqsw1@{DEMO_DOMAIN}")]


def _person(fake: Faker, email: str, roles: set[Role], password: str) -> User:
    return create_user(email, f"{fake.first_name()} {fake.last_name()}", roles, password=password, actor=None)


def _frameworks() -> list:
    wanted = [("CF_KSS_2018", "2018"), ("PCF_2018", "2018")]
    return [f for f in (find_framework(code, version) for code, version in wanted) if f is not None]


def seed_people(password: str, fake: Faker) -> tuple[list[User], list[User]]:
    coordinators = [
        _person(fake, DEMO_MARKER_EMAIL, {Role.COORDINATOR}, password),
        _person(fake, f"coordinator2@{DEMO_DOMAIN}", {Role.COORDINATOR, Role.MENTOR}, password),
    ]
    mentors = [_person(fake, f"mentor{i}@{DEMO_DOMAIN}", {Role.MENTOR}, password) for i in range(1, 11)]
    return coordinators, mentors


def seed_cohorts(academy: DemoAcademy, password: str, fake: Faker) -> None:
    programme = default_programme()
    frameworks = _frameworks()
    actor = academy.coordinators[0]
    number = 0
    for name, start in INTAKES:
        cohort = create_cohort(name, start, programme, frameworks, actor=actor)
        academy.cohorts.append(cohort)
        for _ in range(15):
            number += 1
            user = _person(fake, f"nqsw{number}@{DEMO_DOMAIN}", {Role.NQSW}, password)
            rng = academy.rng
            fte = Decimal("0.6") if rng.random() < 0.1 else Decimal("1.0")
            late_start = start + timedelta(days=rng.choice([0, 0, 0, 0, 14, 28]))
            participant = enrol_participant(
                cohort,
                user,
                actor=actor,
                start_date=late_start,
                fte=fte,
                team=rng.choice(TEAMS),
                swe_number=f"SW{rng.randrange(100000, 999999)}",
                employment_type=EmploymentType.AGENCY if rng.random() < 0.07 else EmploymentType.PERMANENT,
                today=academy.today,
            )
            assessor, mentor, manager = rng.sample(academy.mentors, 3)
            for staff, kind in (
                (assessor, AssignmentKind.ASSESSOR),
                (mentor, AssignmentKind.MENTOR),
                (manager, AssignmentKind.LINE_MANAGER),
            ):
                assign_staff(participant, staff, kind, starts_on=late_start, actor=actor)
            academy.participants.append(participant)


def seed_ecdp_intake(academy: DemoAcademy, password: str, fake: Faker) -> Cohort:
    """The September 2027 ECDP intake: the example ECS imported, the proposed programme and frameworks."""
    if find_framework("CF_ECS_EXAMPLE", "example") is None:
        import_framework(EXAMPLE_ECS.read_bytes(), "json", None, None)
    name, start, size = ECDP_INTAKE
    proposal = propose_setup(start)
    actor = academy.coordinators[0]
    cohort = create_cohort(name, start, proposal.programme, proposal.frameworks, actor=actor)
    first = len(academy.participants)
    for number in range(first + 1, first + size + 1):
        user = _person(fake, f"nqsw{number}@{DEMO_DOMAIN}", {Role.NQSW}, password)
        assessor, mentor, manager = academy.rng.sample(academy.mentors, 3)
        enrol_participant(
            cohort,
            user,
            actor=actor,
            team=academy.rng.choice(TEAMS),
            swe_number=f"SW{academy.rng.randrange(100000, 999999)}",
            staff={
                AssignmentKind.ASSESSOR: assessor,
                AssignmentKind.MENTOR: mentor,
                AssignmentKind.LINE_MANAGER: manager,
            },
            today=academy.today,
        )
    academy.cohorts.append(cohort)
    return cohort


# Later features add their part of the story here, in this order: each module has a
# `seed(academy: DemoAcademy) -> None` that runs after the people and cohorts exist.
DEMO_STEP_MODULES: list[str] = [
    "academy.demo.portfolio",  # evidence, self-assessments, supervision, protected time, caseloads
    "academy.demo.assessment",  # ratings, reviews, ASYE outcomes (moves 2024/2025 intakes to years 2-3)
    # Last, so that people paused or gone today have had their earlier reviews and outcomes first.
    "academy.demo.lifecycle",  # pauses, leavers, FTE changes
]


def seed_demo(password: str, today: date | None = None) -> DemoAcademy:
    """Create the whole demo academy in the current transaction.

    The demo's history makes notifications (they show in the app) but emails nobody: its people are made up.
    """
    db.session.info[QUIET] = True
    try:
        fake = Faker("en_GB")
        fake.seed_instance(SEED)
        coordinators, mentors = seed_people(password, fake)
        rng = random.Random(SEED)  # repeatable demo data, not a secret  # nosec B311
        academy = DemoAcademy(coordinators, mentors, [], [], rng, today or dates.today())
        seed_cohorts(academy, password, fake)
        db.session.flush()
        for module_name in DEMO_STEP_MODULES:
            importlib.import_module(module_name).seed(academy)
            db.session.flush()
        # After the story of the running cohorts, which it takes no part in: its people start next September.
        seed_ecdp_intake(academy, password, fake)
        db.session.flush()
    finally:
        db.session.info.pop(QUIET, None)
    return academy
