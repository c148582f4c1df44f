"""Safe defaults: no public or weak signing key, a development key of its own, the demo kept to development.

The old development key "dev-only-not-secret" was public (it was in config.py), so anyone could sign a
session cookie saying they were the coordinator; these tests forge exactly that cookie.
"""

import secrets
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from flask_login.utils import _create_identifier

from academy import create_app
from academy.accounts.models import User
from academy.accounts.sessions import start_session
from academy.extensions import db
from config import DevelopmentConfig, ProductionConfig
from tests import factories
from tests.conftest import make_test_app

OLD_PUBLIC_KEY = "dev-only-not-secret"
USER_AGENT = "Mozilla/5.0 (forged)"
BANNER = "This is a development copy"


def development_config(tmp_path: Path, monkeypatch) -> DevelopmentConfig:
    """What `make run` starts with: no SECRET_KEY in the environment, the key file under a fresh instance/."""
    monkeypatch.delenv("SECRET_KEY", raising=False)
    config = DevelopmentConfig()
    config.SECRET_KEY = None
    config.SECRET_KEY_FILE = str(tmp_path / "instance" / "secret_key")
    return config


def production_config(monkeypatch, key: str | None) -> ProductionConfig:
    if key is None:
        monkeypatch.delenv("SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("SECRET_KEY", key)
    return ProductionConfig()


@pytest.fixture
def development_app(tmp_path, monkeypatch) -> Iterator[Flask]:
    app, cleanup = make_test_app(tmp_path, "dev", development_config(tmp_path, monkeypatch))
    yield app
    cleanup()


@pytest.fixture
def production_app(tmp_path, monkeypatch) -> Iterator[Flask]:
    app, cleanup = make_test_app(tmp_path, "prod", production_config(monkeypatch, secrets.token_hex(32)))
    yield app
    cleanup()


def session_cookie(app: Flask, signing_key: str, session_token: str) -> str:
    """A Flask-Login session holding `session_token`, as the test client will present it, signed with `signing_key`."""
    signer = Flask("forger")
    signer.secret_key = signing_key
    serializer = SecureCookieSessionInterface().get_signing_serializer(signer)
    # Session protection ("strong") ties a session to the browser's address and user agent: forge that too.
    with app.test_request_context(environ_base={"REMOTE_ADDR": "127.0.0.1"}, headers={"User-Agent": USER_AGENT}):
        identifier = _create_identifier()
    return serializer.dumps({"_user_id": session_token, "_fresh": True, "_id": identifier})


def audit_page_with_cookie(app: Flask, cookie: str):
    client = app.test_client()
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie)
    return client.get("/audit/", headers={"User-Agent": USER_AGENT})


def signed_in_coordinator(app: Flask) -> str:
    """A coordinator with a live session on the server: the token a genuine cookie of theirs carries."""
    with app.app_context():
        user = factories.make_user(roles={"coordinator"})
        token = start_session(user, remote_addr="127.0.0.1", user_agent=USER_AGENT)
        db.session.commit()
        return token


def test_development_makes_its_own_random_key_once_and_keeps_it_private(tmp_path, monkeypatch):
    first = create_app(development_config(tmp_path, monkeypatch))
    key_file = tmp_path / "instance" / "secret_key"
    key = key_file.read_text().strip()
    assert first.config["SECRET_KEY"] == key != OLD_PUBLIC_KEY
    assert len(bytes.fromhex(key)) == 32
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600  # readable by its owner only

    again = create_app(development_config(tmp_path, monkeypatch))
    assert again.config["SECRET_KEY"] == key  # sessions survive a restart of `make run`


def test_a_cookie_forged_with_the_old_public_development_key_is_refused(development_app):
    session_token = signed_in_coordinator(development_app)

    forged = audit_page_with_cookie(development_app, session_cookie(development_app, OLD_PUBLIC_KEY, session_token))
    assert forged.status_code == 302
    assert "/sign-in" in forged.headers["Location"]

    # The same cookie signed with the key this copy made for itself is a real session: the forgery above
    # failed only because nobody outside this machine knows that key.
    real_key = development_app.config["SECRET_KEY"]
    genuine = audit_page_with_cookie(development_app, session_cookie(development_app, real_key, session_token))
    assert genuine.status_code == 200


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        (None, "SECRET_KEY is not set"),
        ("x", "1 byte long; it must be at least 32 random bytes"),
        (OLD_PUBLIC_KEY, "19 bytes long"),
        ("x" * 64, "not random"),
    ],
)
def test_production_refuses_to_start_on_a_missing_short_or_repeated_key(monkeypatch, key, problem):
    with pytest.raises(RuntimeError, match=problem) as refused:
        create_app(production_config(monkeypatch, key))
    message = str(refused.value)
    assert "Set SECRET_KEY in the environment" in message
    assert "secrets.token_hex(32)" in message  # says how to make one


def test_production_starts_on_a_random_key_of_32_bytes(production_app):
    assert len(production_app.config["SECRET_KEY"]) == 64


def test_the_demo_is_refused_under_production(production_app):
    runner = production_app.test_cli_runner()
    refused = runner.invoke(args=["academy", "demo"])
    assert refused.exit_code != 0
    assert "development or test configuration" in refused.output
    setup = runner.invoke(args=["academy", "setup"])  # first-run setup loads no demo there either
    assert setup.exit_code == 0, setup.output
    with production_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0
    assert production_app.config["DEMO_PASSWORD"] is None


def test_every_page_in_development_says_it_is_a_development_copy(development_app, production_app, client):
    for page in ("/sign-in", "/forgot-password", "/no-such-page"):
        assert BANNER in development_app.test_client().get(page).get_data(as_text=True), page
        assert BANNER not in production_app.test_client().get(page).get_data(as_text=True), page
        assert BANNER not in client.get(page).get_data(as_text=True), page  # nor under test
