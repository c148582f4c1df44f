"""`flask academy demo` seeds a synthetic academy once and refuses production."""

import sqlalchemy as sa

from academy.accounts.models import Role, User, UserRole
from academy.cohorts.models import Cohort
from academy.participants.models import Assignment, Participant


def _count(db, model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_demo_seeds_three_cohorts_of_nqsws_with_staff(demo_academy, demo_db):
    db = demo_db
    assert "coordinator@example.org" in demo_academy.output
    cohorts = db.session.scalars(sa.select(Cohort.name).order_by(Cohort.start_date)).all()
    assert cohorts == ["September 2024 intake", "September 2025 intake", "September 2026 intake"]
    assert 40 <= _count(db, Participant) <= 50
    mentors = db.session.scalar(sa.select(sa.func.count()).where(UserRole.role == Role.MENTOR))
    coordinators = db.session.scalar(sa.select(sa.func.count()).where(UserRole.role == Role.COORDINATOR))
    assert 10 <= mentors <= 12
    assert coordinators == 2
    assert _count(db, Assignment) >= 3 * _count(db, Participant)
    assert all(u.email.endswith("@example.org") for u in db.session.scalars(sa.select(User)))


def test_demo_twice_adds_nothing(demo_academy, demo_db):
    db = demo_db
    runner = demo_academy.app.test_cli_runner()
    before = (_count(db, User), _count(db, Participant), _count(db, Assignment))
    result = runner.invoke(args=["academy", "demo"])
    assert result.exit_code == 0
    assert "already loaded" in result.output
    assert (_count(db, User), _count(db, Participant), _count(db, Assignment)) == before


def test_demo_refuses_the_production_configuration(runner, db, app, monkeypatch):
    monkeypatch.setitem(app.config, "IS_PRODUCTION", True)
    result = runner.invoke(args=["academy", "demo"])
    assert result.exit_code != 0
    assert "production" in result.output
    assert _count(db, User) == 0
