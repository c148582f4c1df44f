"""Error pages render without the database: with it down, a visitor gets the app's own page, in words.

The error pages read nothing from the database (templates/errors/_layout.html shows no signed-in name,
no notifications), so the page that reports a database failure cannot fail the same way.
"""

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from flask_login.utils import _create_identifier

from academy import create_app
from academy.extensions import db
from config import TestConfig

USER_AGENT = "Mozilla/5.0 (error pages)"


def unused_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (taken from the OS, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def databases_that_are_down(tmp_path: Path) -> dict[str, str]:
    return {
        "PostgreSQL not listening": f"postgresql+psycopg://postgres@127.0.0.1:{unused_port()}/academy",
        "SQLite file in a missing folder": f"sqlite:///{tmp_path / 'no-such-folder' / 'academy.sqlite'}",
    }


@pytest.fixture(params=["PostgreSQL not listening", "SQLite file in a missing folder"])
def app_without_database(request, tmp_path) -> Iterator[Flask]:
    config = TestConfig()
    config.SQLALCHEMY_DATABASE_URI = databases_that_are_down(tmp_path)[request.param]
    config.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "connect_args": {}}
    if request.param.startswith("PostgreSQL"):
        config.SQLALCHEMY_ENGINE_OPTIONS["connect_args"] = {"connect_timeout": 5}
    config.PROPAGATE_EXCEPTIONS = False  # as in production: errors become pages, not tracebacks
    config.UPLOAD_FOLDER = str(tmp_path / "uploads")
    app = create_app(config)
    yield app
    with app.app_context():
        db.engine.dispose()


def signed_in_client(app: Flask):
    """A browser holding a valid session for account 1: every page then loads the account from the database."""
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    with app.test_request_context(environ_base={"REMOTE_ADDR": "127.0.0.1"}, headers={"User-Agent": USER_AGENT}):
        identifier = _create_identifier()
    client = app.test_client()
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], serializer.dumps({"_user_id": "1", "_id": identifier}))
    return client


def assert_unavailable_page(response) -> None:
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "Sorry, the service is unavailable" in html
    assert "Try again in a few minutes" in html
    assert "govuk-template" in html  # the site's own styled page
    assert "Traceback" not in html  # words, not codes
    assert "OperationalError" not in html
    assert response.headers["Cache-Control"] == "no-store"


def test_a_signed_in_page_says_the_service_is_unavailable(app_without_database):
    client = signed_in_client(app_without_database)
    for page in ("/", "/audit/", "/notifications"):
        assert_unavailable_page(client.get(page, headers={"User-Agent": USER_AGENT}))


def test_signing_in_says_the_service_is_unavailable(app_without_database):
    client = app_without_database.test_client()
    page = client.get("/sign-in")
    assert page.status_code == 200  # the form itself needs no database
    token = page.get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post("/sign-in", data={"email": "a@example.org", "password": "x" * 12, "csrf_token": token})
    assert_unavailable_page(response)


def test_other_error_pages_need_no_database_either(app_without_database):
    client = signed_in_client(app_without_database)
    missing = client.get("/no-such-page", headers={"User-Agent": USER_AGENT})
    assert missing.status_code == 404
    assert "Page not found" in missing.get_data(as_text=True)
