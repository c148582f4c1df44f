"""`flask academy demo` seeds a synthetic academy once and refuses production."""

import sqlalchemy as sa

from academy.accounts.models import Role, User, UserRole
from academy.cohorts.models import Cohort
from academy.participants.models import Assignment, Participant, ParticipantStatus
from academy.programmes.defaults import DEFAULT_PROGRAMME_NAME, ECDP_PROGRAMME_NAME


def _count(db, model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_demo_seeds_three_asye_cohorts_and_an_ecdp_intake_with_staff(demo_academy, demo_db):
    db = demo_db
    assert "coordinator@example.org" in demo_academy.output
    cohorts = db.session.scalars(sa.select(Cohort).order_by(Cohort.start_date)).all()
    assert [c.name for c in cohorts] == [
        "September 2024 intake",
        "September 2025 intake",
        "September 2026 intake",
        "September 2027 intake (ECDP)",
    ]
    assert {c.programme.name for c in cohorts[:3]} == {DEFAULT_PROGRAMME_NAME}
    ecdp = cohorts[3]
    assert ecdp.programme.name == ECDP_PROGRAMME_NAME
    assert {f.code for f in ecdp.frameworks} == {"CF_ECS_EXAMPLE", "PCF_2018", "SWE_PS_2019"}
    assert len(ecdp.participants) == 6
    assert {p.status for p in ecdp.participants} == {ParticipantStatus.ENROLLED}
    assert 45 <= _count(db, Participant) <= 56
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
    monkeypatch.setitem(app.config, "ACADEMY_ENV", "production")
    monkeypatch.setitem(app.config, "IS_PRODUCTION", True)
    result = runner.invoke(args=["academy", "demo"])
    assert result.exit_code != 0
    assert "production" in result.output
    assert _count(db, User) == 0
