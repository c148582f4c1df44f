"""The demo's lifecycle step: pauses, leavers with destinations, a withdrawal and FTE changes."""

import random
from datetime import date

from faker import Faker

from academy.demo import lifecycle
from academy.demo.seed import DemoAcademy, seed_cohorts, seed_people
from academy.frameworks.loader import load_shipped_frameworks
from academy.participants.models import ParticipantStatus, StatusEventKind
from academy.programmes.services import ensure_default_programmes


def test_lifecycle_step_gives_the_demo_a_history(db):
    ensure_default_programmes()
    load_shipped_frameworks()
    fake = Faker("en_GB")
    fake.seed_instance(1)
    coordinators, mentors = seed_people("demo-password-2026", fake)
    academy = DemoAcademy(coordinators, mentors, [], [], random.Random(1), date(2026, 11, 22))
    seed_cohorts(academy, "demo-password-2026", fake)
    lifecycle.seed(academy)
    statuses = [p.status for p in academy.participants]
    assert statuses.count(ParticipantStatus.LEFT) == 3
    assert statuses.count(ParticipantStatus.WITHDRAWN) == 1
    assert statuses.count(ParticipantStatus.PAUSED) == 2
    on_hold = [p for p in academy.participants if any(m.due_date is None for m in p.milestones)]
    assert len(on_hold) == 1
    kinds = [e.kind for p in academy.participants for e in p.status_events]
    assert kinds.count(StatusEventKind.FTE_CHANGED) == 2
    assert kinds.count(StatusEventKind.RESUMED) == 1
    destinations = {e.destination for p in academy.participants for e in p.status_events if e.destination}
    assert len(destinations) == 4
