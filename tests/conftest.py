"""Fixtures: app, db (rolled back per test), client, runner, a user per role, sign-in helpers.

The suite runs against SQLite by default and against PostgreSQL when DATABASE_URL names one; each
run then gets a fresh schema of its own, dropped at the end. Under pytest-xdist every worker is its
own run: its own SQLite files, upload and batch folders (under its own tmp_path_factory) and its own
schemas, named after the worker.
"""

import io
import os
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from academy import create_app
from academy.extensions import db as _db
from config import TestConfig
from tests import factories
from tests.smtp import running_mail_server

PASSWORD = factories.PASSWORD
# Tables a request may write for its own bookkeeping even when it refuses (the access matrix and the
# hostile-input test allow them): the visits counted against an outside-feedback link's rate limit, since
# a refused guess is exactly what the limit counts.
BOOKKEEPING_TABLES = frozenset({"feedback_hit"})
CSRF_PATTERN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def database_settings(tmp_path: Path, label: str) -> tuple[dict, callable]:
    """Config overrides for a fresh database, and a function that removes it afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgresql"):
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")  # gw0, gw1, ... under pytest-xdist
        schema = f"t_{worker}_{label}_{uuid.uuid4().hex[:10]}"
        admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))

        def drop() -> None:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()

        options = {"pool_pre_ping": True, "connect_args": {"options": f"-csearch_path={schema}"}}
        return {"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": options}, drop
    path = tmp_path / f"{label}.sqlite"
    return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "SQLALCHEMY_ENGINE_OPTIONS": {}}, lambda: None


def make_test_app(tmp_path: Path, label: str, config: object | None = None, **overrides) -> tuple[Flask, callable]:
    """A fully configured app on a fresh, empty database built from the models (TestConfig unless `config`)."""
    settings, drop = database_settings(tmp_path, label)
    config = config if config is not None else TestConfig()
    folders = {
        "UPLOAD_FOLDER": str(tmp_path / f"{label}-uploads"),
        "REPORTS_BATCH_FOLDER": str(tmp_path / f"{label}-batches"),
        "MAIL_OUTBOX_FOLDER": str(tmp_path / f"{label}-outbox"),
        "REPORTS_RECORD_FOLDER": str(tmp_path / f"{label}-records"),
    }
    for key, value in {**settings, **folders, **overrides}.items():
        setattr(config, key, value)
    app = create_app(config)
    app.test_client_class = FormClient
    with app.app_context():
        _db.create_all()

    def cleanup() -> None:
        with app.app_context():
            _db.session.remove()
            _db.engine.dispose()
        drop()

    return app, cleanup


class FormClient(FlaskClient):
    """A test client that posts forms the way a browser does: with the page's CSRF token.

    Tests hold an app context open (for the rolled-back session), and requests reuse it, so `g`
    (the signed-in user, the CSRF token) is emptied before each request, as a fresh request has it.
    """

    def open(self, *args, **kwargs):
        from flask import g, has_app_context

        if has_app_context():  # otherwise the request makes its own, with a fresh `g`
            for name in list(g):
                g.pop(name)
        return super().open(*args, **kwargs)

    def csrf_token(self, page: str = "/sign-in") -> str:
        html = self.get(page, follow_redirects=True).get_data(as_text=True)
        match = CSRF_PATTERN.search(html)
        assert match, f"no CSRF token on {page}"
        return match.group(1) or match.group(2)

    def post_form(self, url: str, data: dict | None = None, *, page: str | None = None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token(page or url))
        return self.post(url, data=data, **kwargs)

    def post_files(self, url: str, data: dict, *, page: str | None = None):
        """Post a form with files, {name: (bytes, filename)} among its fields, with the page's CSRF token.
        The body is encoded in memory: for a large file the test client would spool it to a temporary
        file it never closes, and the warning would land in some later test."""
        fields = MultiDict({"csrf_token": self.csrf_token(page or url)})
        for name, value in data.items():
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, tuple):
                    item = FileStorage(io.BytesIO(item[0]), filename=item[1])
                fields.add(name, item)
        boundary, body = encode_multipart(fields)
        return self.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that needs the seeded demo academy is slow: seeding takes close to a minute per process."""
    for item in items:
        if "demo_academy" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def app(tmp_path_factory) -> Iterator[Flask]:
    app, cleanup = make_test_app(tmp_path_factory.mktemp("db"), "unit")
    yield app
    cleanup()


@dataclass
class DemoAcademyApp:
    app: Flask
    output: str


@pytest.fixture(scope="session")
def demo_academy(tmp_path_factory) -> Iterator[DemoAcademyApp]:
    """An app on its own database with `flask academy demo` run once (seeding takes a while, so every test
    using it is marked slow)."""
    app, cleanup = make_test_app(tmp_path_factory.mktemp("demo"), "demo")
    result = app.test_cli_runner().invoke(args=["academy", "demo"])
    assert result.exit_code == 0, result.output
    yield DemoAcademyApp(app, result.output)
    cleanup()


@pytest.fixture
def demo_db(demo_academy: DemoAcademyApp):
    """The demo academy's database, read inside its app context (tests must not change it)."""
    with demo_academy.app.app_context():
        yield _db
        _db.session.rollback()


@pytest.fixture
def db(app: Flask):
    """The database session inside a transaction that is rolled back after the test.

    Code under test may commit: commits release a savepoint inside the outer transaction.
    """
    with app.app_context():
        engines = _db._app_engines[app]
        engine = engines[None]
        connection = engine.connect()
        outer = connection.begin()
        engines[None] = connection
        _db.session.remove()
        _db.session.session_factory.configure(join_transaction_mode="create_savepoint")
        try:
            yield _db
        finally:
            _db.session.remove()
            outer.rollback()
            connection.close()
            engines[None] = engine


@pytest.fixture
def client(app: Flask, db) -> FormClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask, db):
    return app.test_cli_runner()


@pytest.fixture
def coordinator(db):
    return factories.make_user(roles={"coordinator"}, name="Casey Coordinator")


@pytest.fixture
def mentor(db):
    return factories.make_user(roles={"mentor"}, name="Morgan Mentor")


@pytest.fixture
def nqsw(db):
    return factories.make_user(roles={"nqsw"}, name="Nico Newly")


def sign_in(client: FormClient, user, password: str = PASSWORD):
    """Sign `user` in through the real sign-in form."""
    response = client.post_form("/sign-in", {"email": user.email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


@pytest.fixture
def login(client):
    """`login(user)` signs the test client in as `user`."""

    def _login(user):
        with client.session_transaction() as session:
            session.clear()
        return sign_in(client, user)

    return _login


@pytest.fixture
def mail_server(app: Flask):
    """A real SMTP server (aiosmtpd) on a free local port, with the app's MAIL_* settings pointing at it."""
    saved = {key: app.config.get(key) for key in ("MAIL_SERVER", "MAIL_PORT")}
    with running_mail_server() as server:
        app.config.update(MAIL_SERVER=server.host, MAIL_PORT=server.port)
        try:
            yield server
        finally:
            app.config.update(saved)
