"""Sign-in throttling slows guessing without locking anyone out: a doubling delay per account (short) and per
address (a larger allowance), counted in the database; X-Forwarded-For is believed only from configured
proxies; an unknown email costs the same hash work as a known one."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from academy.accounts.models import LoginAttempt
from academy.accounts.routes import wait_words
from academy.accounts.services import dummy_hash, hash_password, sign_in_wait
from academy.core.db import now_utc
from academy.extensions import db as _db
from tests import factories
from tests.conftest import make_test_app

WRONG = "Enter a correct email address and password"


def _fail(client, email: str, **kwargs):
    return client.post_form("/sign-in", {"email": email, "password": "not-the-password"}, **kwargs)


def _record_failures(count: int, *, email: str = "someone@example.org", address: str = "127.0.0.1", ago=None) -> None:
    """`count` failed attempts `ago` (now by default). Written directly: the throttle itself stops a test
    from making more than a few through the sign-in form quickly."""
    at = now_utc() - (ago or timedelta(0))
    for _ in range(count):
        _db.session.add(LoginAttempt(email=email, remote_addr=address, succeeded=False, at=at))
    _db.session.flush()


def _attempts(db) -> int:
    return db.session.scalar(sa.select(sa.func.count(LoginAttempt.id)))


def _move_attempts_back(db, by: timedelta) -> None:
    """Let time pass (instead of waiting): every recorded attempt happened `by` earlier."""
    for attempt in db.session.scalars(sa.select(LoginAttempt)):
        attempt.at -= by
    db.session.commit()


def test_after_a_few_failures_the_right_password_waits_then_works(app, client, db):
    user = factories.make_user()
    db.session.commit()
    for _ in range(app.config["LOGIN_ACCOUNT_FREE_FAILURES"]):
        assert WRONG in _fail(client, user.email).get_data(as_text=True)
    counted = _attempts(db)
    refused = client.post_form("/sign-in", {"email": user.email, "password": factories.PASSWORD})
    assert refused.status_code == 400
    assert "Wait 2 seconds before trying again" in refused.get_data(as_text=True)
    assert _attempts(db) == counted  # a refused attempt is neither checked nor counted
    _move_attempts_back(db, app.config["LOGIN_FIRST_DELAY"])
    assert client.post_form("/sign-in", {"email": user.email, "password": factories.PASSWORD}).status_code == 302


def test_the_account_delay_doubles_and_stays_short(app, db):
    email = "target@example.org"
    free = app.config["LOGIN_ACCOUNT_FREE_FAILURES"]
    first = app.config["LOGIN_FIRST_DELAY"]
    _record_failures(free, email=email, address="198.51.100.1")
    waits = []
    for n in range(1, 8):
        waits.append(sign_in_wait(email, "192.0.2.50"))  # from another address: the account's own delay
        _record_failures(1, email=email, address=f"198.51.100.{n + 1}")
    assert waits[0] <= first
    assert waits[1] > first
    assert waits[2] > 2 * first
    # Many addresses failing on one person's account delay them by at most a minute, never lock them out.
    _record_failures(100, email=email, address="198.51.100.200")
    assert sign_in_wait(email, "192.0.2.50") <= app.config["LOGIN_ACCOUNT_MAX_DELAY"]


def test_a_successful_sign_in_clears_the_account_delay(app, client, db):
    user = factories.make_user()
    _record_failures(app.config["LOGIN_ACCOUNT_FREE_FAILURES"] - 1, email=user.email)
    db.session.commit()
    assert client.post_form("/sign-in", {"email": user.email, "password": factories.PASSWORD}).status_code == 302
    client.post_form("/sign-out", page="/home/nqsw")
    for _ in range(app.config["LOGIN_ACCOUNT_FREE_FAILURES"] - 1):
        assert WRONG in _fail(client, user.email).get_data(as_text=True)  # counted afresh since the success


def test_one_address_gets_a_larger_allowance_then_a_longer_delay(app, client, db):
    free = app.config["LOGIN_ADDRESS_FREE_FAILURES"]
    assert free > app.config["LOGIN_ACCOUNT_FREE_FAILURES"]
    for n in range(free):  # one failure each on many accounts: no account delay
        _record_failures(1, email=f"guess{n}@example.org", address="203.0.113.7")
    user = factories.make_user()
    db.session.commit()
    assert sign_in_wait(user.email, "203.0.113.7") > timedelta(0)
    assert sign_in_wait(user.email, "203.0.113.8") == timedelta(0)  # other addresses are not held up
    _record_failures(30, email="guess@example.org", address="203.0.113.7")
    cap = app.config["LOGIN_ADDRESS_MAX_DELAY"]
    assert cap > app.config["LOGIN_ACCOUNT_MAX_DELAY"]
    assert cap - timedelta(seconds=5) < sign_in_wait(user.email, "203.0.113.7") <= cap


def test_failures_older_than_the_window_are_forgotten(app, db):
    _record_failures(50, email="old@example.org", ago=app.config["LOGIN_FAILURE_WINDOW"] + timedelta(seconds=1))
    assert sign_in_wait("old@example.org", "127.0.0.1") == timedelta(0)


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(0.2, "1 second"), (2, "2 seconds"), (59.5, "60 seconds"), (120, "2 minutes"), (900, "15 minutes")],
)
def test_the_wait_is_said_in_words(seconds, words):
    assert wait_words(timedelta(seconds=seconds)) == f"Too many failed attempts. Wait {words} before trying again."


def test_a_spoofed_forwarded_for_header_does_not_change_the_address(client, db):
    _fail(client, "spoof@example.org", headers={"X-Forwarded-For": "203.0.113.99"})
    addresses = db.session.scalars(sa.select(LoginAttempt.remote_addr)).all()
    assert addresses == ["127.0.0.1"]


def test_behind_a_configured_proxy_the_forwarded_address_counts(tmp_path):
    app, cleanup = make_test_app(tmp_path, "proxy", TRUSTED_PROXY_COUNT=1)
    try:
        with app.app_context():
            client = app.test_client()
            _fail(client, "proxied@example.org", headers={"X-Forwarded-For": "198.51.100.23, 203.0.113.5"})
            addresses = _db.session.scalars(sa.select(LoginAttempt.remote_addr)).all()
            assert addresses == ["203.0.113.5"]  # the address the one trusted proxy saw, not what the client wrote
    finally:
        cleanup()


@pytest.mark.parametrize("method", [None, "scrypt"])
def test_an_unknown_email_is_checked_against_a_hash_of_the_same_cost(app, db, method):
    saved = app.config["PASSWORD_HASH_METHOD"]
    if method:
        app.config["PASSWORD_HASH_METHOD"] = method  # production's default cost, not the suite's cheap one
    try:
        parameters = hash_password("any-password-at-all").split("$")[0]
        assert dummy_hash().split("$")[0] == parameters
        assert parameters.startswith("scrypt:")
    finally:
        app.config["PASSWORD_HASH_METHOD"] = saved
