"""Signed-in sessions held on the server.

The browser's cookie carries only a random token (Flask-Login keeps it as the "user id", see
`User.get_id`). The `user_session` row found by the token's hash decides whether it still signs anyone
in: signing out ends that row; deactivating a person or changing, resetting or setting their password
ends every row of theirs; a row also ends after SESSION_IDLE_TIMEOUT without a request and
SESSION_ABSOLUTE_LIFETIME after sign-in. A copied cookie is therefore worth nothing once its row has
ended, whatever the cookie's own signature says.
"""

import hashlib
import secrets

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload

from academy.accounts.models import SessionEnd, User, UserSession
from academy.core.db import now_utc
from academy.extensions import db


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User, *, remote_addr: str, user_agent: str) -> str:
    """A new session for `user`; returns its token (also set on `user.session_token`, for login_user)."""
    token = secrets.token_urlsafe(32)
    at = now_utc()
    db.session.add(
        UserSession(
            token_hash=_hash(token),
            user_id=user.id,
            created_at=at,
            last_seen_at=at,
            remote_addr=remote_addr[:64],
            user_agent=user_agent[:255],
        )
    )
    user.session_token = token
    return token


def find_session(token: str) -> UserSession | None:
    """The session row for `token`, ended or not, with its person (one query on every request)."""
    return db.session.scalar(
        sa.select(UserSession).options(joinedload(UserSession.user)).where(UserSession.token_hash == _hash(token))
    )


def _lapsed(row: UserSession) -> SessionEnd | None:
    """Why `row` should end now on time alone, if it should."""
    now = now_utc()
    config = current_app.config
    if now - row.created_at >= config["SESSION_ABSOLUTE_LIFETIME"]:
        return SessionEnd.EXPIRED
    if now - row.last_seen_at >= config["SESSION_IDLE_TIMEOUT"]:
        return SessionEnd.IDLE
    return None


def load_session_user(token: str) -> tuple[User | None, SessionEnd | None]:
    """The person a request's token signs in, and why not when it signed someone in but no longer does.

    A live session is touched (last_seen_at) at most once per SESSION_TOUCH_INTERVAL; one that has lapsed
    is ended here. Either way the caller commits (see the before-request hook in routes.py)."""
    row = find_session(token)
    if row is None or row.ended_at is not None:
        return None, None
    user = row.user
    ended = SessionEnd.DEACTIVATED if not user.is_active else _lapsed(row)
    now = now_utc()
    if ended is not None:
        row.ended_at = now
        row.ended_reason = ended
        return None, ended
    if now - row.last_seen_at >= current_app.config["SESSION_TOUCH_INTERVAL"]:
        row.last_seen_at = now
    user.session_token = token
    return user, None


def end_session(token: str, reason: SessionEnd = SessionEnd.SIGNED_OUT) -> None:
    """End the session of `token` (signing out), if it is still live."""
    row = find_session(token)
    if row is not None and row.ended_at is None:
        row.ended_at = now_utc()
        row.ended_reason = reason


def end_all_sessions(user: User, reason: SessionEnd) -> int:
    """End every live session of `user` (every browser they are signed in on); how many there were."""
    result = db.session.execute(
        sa.update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .values(ended_at=now_utc(), ended_reason=reason)
        .execution_options(synchronize_session="fetch")
    )
    return result.rowcount or 0  # type: ignore[attr-defined]
