"""The schema comes from the migrations: they run from empty to head and match the models."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from academy.extensions import db
from tests.conftest import make_test_app


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
