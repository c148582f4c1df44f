"""The schema comes from the migrations: they run from empty to head and match the models."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from academy.assessment.services.reviews import ReviewRecord, add_nqsw_comment, record_review, sign_review
from academy.core.dates import today
from academy.extensions import db
from tests.conftest import make_test_app
from tests.factories import make_team


@pytest.fixture
def empty_app(tmp_path):
    app, cleanup = make_test_app(tmp_path, "migrations")
    with app.app_context():
        db.drop_all()  # make_test_app builds from the models; these tests start from nothing
    yield app
    cleanup()


def test_migrations_run_from_empty_to_head_and_match_the_models(empty_app):
    with empty_app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True, "render_as_batch": True})
            differences = compare_metadata(context, db.metadata)
        assert differences == [], f"models and migrations have drifted apart: {differences}"


def test_migrations_downgrade_to_empty(empty_app):
    with empty_app.app_context():
        upgrade()
        downgrade(revision="base")
        with db.engine.connect() as connection:
            tables = set(db.inspect(connection).get_table_names())
        assert tables <= {"alembic_version"}


def test_every_enum_check_allows_exactly_the_models_values(empty_app):
    """Autogenerate does not compare CHECK constraints, so a new enum value needs this to be caught."""
    with empty_app.app_context():
        upgrade()
        inspector = db.inspect(db.engine)
        drifted = []
        for table in db.metadata.sorted_tables:
            checks = {c["name"]: c["sqltext"] for c in inspector.get_check_constraints(table.name)}
            for column in table.columns:
                if isinstance(column.type, sa.Enum) and column.type.create_constraint:
                    name = f"ck_{table.name}_{column.type.name}"
                    allowed = set(re.findall(r"'([^']*)'", checks.get(name, "")))
                    if allowed != set(column.type.enums):
                        drifted.append(f"{name}: {sorted(allowed)} != {sorted(column.type.enums)}")
        assert drifted == []


def _review_statuses() -> dict[str, str]:
    rows = db.session.execute(
        sa.text("SELECT m.code, r.status FROM review r JOIN milestone m ON m.id = r.milestone_id")
    )
    statuses = dict(rows.all())
    db.session.remove()  # the migration alters the table: hold no connection open
    return statuses


def test_review_signing_states_fold_into_held_and_come_back_from_the_signatures(empty_app):
    with empty_app.app_context():
        upgrade()
        team = make_team()
        record = ReviewRecord(today() - timedelta(days=1), "NQSW and assessor", "Progress", True, "", "On track")
        milestones = {m.code: m for m in team.participant.milestones}
        signers = {"agreement": [], "review_3m": [team.assessor], "review_6m": [team.nqsw], "final_review": None}
        for code, who in signers.items():
            review = record_review(milestones[code], record, by=team.assessor)
            add_nqsw_comment(review, "Agreed", by=team.nqsw)
            for person in [team.nqsw, team.assessor] if who is None else who:
                sign_review(review, by=person)
        db.session.commit()
        at_head = {
            "agreement": "held",
            "review_3m": "signed_by_assessor",
            "review_6m": "signed_by_nqsw",
            "final_review": "signed",
        }
        assert _review_statuses() == at_head
        downgrade(revision="02dc2d9d6079")
        assert _review_statuses() == {**at_head, "review_3m": "held", "review_6m": "held"}
        upgrade()
        assert _review_statuses() == at_head
