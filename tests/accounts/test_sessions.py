"""Sessions held on the server: the cookie carries a random token, a user_session row decides whether it still
signs anyone in. Sign-out, password changes and resets, deactivation, idleness and age end sessions; the
session id and the CSRF token are new at every sign-in."""

import hashlib
from datetime import timedelta

import sqlalchemy as sa
from flask_login.utils import encode_cookie

from academy.accounts.models import SessionEnd, UserSession
from academy.accounts.services import create_invitation, set_active
from academy.core.db import now_utc
from tests import factories
from tests.conftest import sign_in

HOME = "/home/nqsw"


def _cookie_name(app) -> str:
    return app.config["SESSION_COOKIE_NAME"]


def _copy_cookie(app, source, target) -> None:
    """Put `source`'s session cookie into `target`, as someone who copied it from the browser would."""
    cookie = source.get_cookie(_cookie_name(app))
    assert cookie is not None
    target.set_cookie(_cookie_name(app), cookie.value, domain=cookie.domain)


def _token(client) -> str:
    with client.session_transaction() as session:
        return session["_user_id"]


def _row(db, client) -> UserSession:
    row = db.session.scalar(
        sa.select(UserSession).where(UserSession.token_hash == hashlib.sha256(_token(client).encode()).hexdigest())
    )
    assert row is not None
    return row


def _signed_in(client) -> bool:
    return client.get(HOME).status_code == 200


def _age(db, row: UserSession, *, created: timedelta = timedelta(0), seen: timedelta = timedelta(0)) -> None:
    """Move the session back in time (instead of waiting): created `created` ago, last seen `seen` ago."""
    now = now_utc()
    row.created_at = now - created
    row.last_seen_at = now - seen
    db.session.commit()


def test_the_cookie_holds_a_random_session_token_not_the_account_id(app, client, db):
    user = factories.make_user()
    sign_in(client, user)
    first = _token(client)
    assert first != str(user.id)
    assert len(first) >= 40
    assert _row(db, client).user_id == user.id
    client.post_form("/sign-out", page=HOME)
    sign_in(client, user)
    assert _token(client) != first  # a new session id at every sign-in


def test_a_copied_cookie_stops_working_at_sign_out(app, client, db):
    user = factories.make_user()
    sign_in(client, user)
    thief = app.test_client()
    _copy_cookie(app, client, thief)
    assert _signed_in(thief)
    row = _row(db, client)
    assert client.post_form("/sign-out", page=HOME).status_code == 302
    assert not _signed_in(client)
    assert not _signed_in(thief)  # the copy is refused by the server, not just forgotten by the browser
    db.session.refresh(row)
    assert row.ended_reason == SessionEnd.SIGNED_OUT


def test_changing_the_password_ends_the_other_browsers_session_and_keeps_this_one(app, client, db):
    user = factories.make_user()
    sign_in(client, user)
    other = app.test_client()
    sign_in(other, user)
    old_token = _token(client)
    changed = client.post_form(
        "/account/password",
        {"current_password": factories.PASSWORD, "password": "plum-orbit-kettle", "confirm": "plum-orbit-kettle"},
    )
    assert changed.status_code == 302
    assert not _signed_in(other)
    assert _signed_in(client)  # the browser that changed it goes on, with a new session
    assert _token(client) != old_token
    stale = app.test_client()
    stale.set_cookie(_cookie_name(app), "x")
    with stale.session_transaction() as session:
        session["_user_id"] = old_token
    assert not _signed_in(stale)


def test_a_password_reset_from_a_link_ends_every_session(app, client, db):
    user = factories.make_user()
    token = create_invitation(user)
    db.session.commit()
    sign_in(client, user)
    stranger = app.test_client()
    form = {"password": "quiet-lantern-meadow", "confirm": "quiet-lantern-meadow"}
    assert stranger.post_form(f"/set-password/{token}", form).status_code == 302
    assert not _signed_in(client)


def test_deactivating_ends_every_session_for_good(app, client, db, coordinator):
    user = factories.make_user()
    sign_in(client, user)
    row = _row(db, client)
    set_active(user, False, actor=coordinator)
    db.session.commit()
    assert not _signed_in(client)
    db.session.refresh(row)
    assert row.ended_reason == SessionEnd.DEACTIVATED
    set_active(user, True, actor=coordinator)
    db.session.commit()
    assert not _signed_in(client)  # reactivating does not bring an old session back


def test_a_session_ends_after_the_idle_timeout(app, client, db):
    user = factories.make_user()
    sign_in(client, user)
    row = _row(db, client)
    idle = app.config["SESSION_IDLE_TIMEOUT"]
    _age(db, row, created=idle, seen=idle - timedelta(seconds=5))
    assert _signed_in(client)  # still within the timeout: the request keeps it alive
    db.session.refresh(row)
    assert now_utc() - row.last_seen_at < timedelta(minutes=1)
    _age(db, row, created=idle * 2, seen=idle)
    response = client.get(HOME, follow_redirects=True)
    assert "You were signed out because you had not done anything for a while" in response.get_data(as_text=True)
    db.session.refresh(row)
    assert row.ended_reason == SessionEnd.IDLE
    _age(db, row)  # even made fresh again, an ended session stays ended
    assert not _signed_in(client)


def test_a_session_ends_after_its_absolute_lifetime_however_active(app, client, db):
    user = factories.make_user()
    sign_in(client, user)
    row = _row(db, client)
    _age(db, row, created=app.config["SESSION_ABSOLUTE_LIFETIME"] - timedelta(seconds=5))
    assert _signed_in(client)
    _age(db, row, created=app.config["SESSION_ABSOLUTE_LIFETIME"])
    assert not _signed_in(client)
    db.session.refresh(row)
    assert row.ended_reason == SessionEnd.EXPIRED


def test_last_seen_is_written_at_most_once_a_minute(app, client, db):
    user = factories.make_user()
    sign_in(client, user)
    row = _row(db, client)
    _age(db, row, seen=timedelta(seconds=30))
    before = row.last_seen_at
    assert _signed_in(client)
    db.session.refresh(row)
    assert row.last_seen_at == before
    _age(db, row, seen=app.config["SESSION_TOUCH_INTERVAL"])
    assert _signed_in(client)
    db.session.refresh(row)
    assert now_utc() - row.last_seen_at < timedelta(seconds=30)


def test_a_csrf_token_from_before_sign_in_does_not_work_after_it(app, client, db):
    user = factories.make_user()
    before = client.csrf_token("/sign-in")
    response = client.post("/sign-in", data={"email": user.email, "password": factories.PASSWORD, "csrf_token": before})
    assert response.status_code == 302
    assert client.post("/sign-out", data={"csrf_token": before}).status_code == 400
    assert _signed_in(client)
    assert client.post_form("/sign-out", page=HOME).status_code == 302


def test_a_remember_cookie_cannot_bring_back_an_ended_session(app, client, db):
    user = factories.make_user()
    sign_in(client, user)
    token = _token(client)
    client.post_form("/sign-out", page=HOME)
    for value in (token, str(user.id)):  # the ended session's token; the account id old cookies held
        other = app.test_client()
        with app.test_request_context():
            cookie = encode_cookie(value)
        other.set_cookie(app.config.get("REMEMBER_COOKIE_NAME", "remember_token"), cookie)
        assert not _signed_in(other)
