"""Accounts: creating people, checking passwords, throttling sign-in, invitations."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from academy.accounts.models import Invitation, LoginAttempt, Role, User, UserRole
from academy.audit.services import record_audit
from academy.core.db import now_utc
from academy.core.errors import DomainError
from academy.extensions import db

# Compared against when the email is unknown, so a miss costs as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password", method="scrypt:1024:8:1")


def normalise_email(email: str) -> str:
    """Emails are matched case-insensitively and without surrounding spaces."""
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    """The account with this email, if any."""
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def hash_password(password: str) -> str:
    """Hash with scrypt at the configured cost."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def create_user(
    email: str, name: str, roles: set[Role], *, password: str | None = None, actor: User | None = None
) -> User:
    """Create an account with `roles`; without a password it can be used only after an invitation."""
    email = normalise_email(email)
    if not roles:
        raise DomainError("Give the account at least one role.", field="role")
    if find_user_by_email(email) is not None:
        raise DomainError(f"An account with the email {email} already exists.", field="email")
    user = User(email=email, name=name.strip(), password_hash=hash_password(password) if password else None)
    user.role_rows = [UserRole(role=role) for role in sorted(roles)]
    db.session.add(user)
    record_audit(
        actor,
        "user.created",
        user,
        summary=f"Created account for {email}",
        after={"email": email, "roles": sorted(roles)},
    )
    return user


def add_roles(user: User, roles: set[Role], *, actor: User | None = None) -> None:
    """Give an existing account more roles (a person may hold several)."""
    new = roles - user.roles
    for role in sorted(new):
        user.role_rows.append(UserRole(role=role))
    if new:
        record_audit(
            actor,
            "user.roles_added",
            user,
            summary=f"Gave {user.email} the roles {', '.join(sorted(new))}",
            after={"roles": sorted(new)},
        )


@dataclass(frozen=True)
class SignInResult:
    user: User | None
    throttled: bool = False


def _recent_failures(column: Any, value: str, since: datetime) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count(LoginAttempt.id)).where(
                column == value, LoginAttempt.succeeded.is_(False), LoginAttempt.at >= since
            )
        )
        or 0
    )


def is_throttled(email: str, remote_addr: str) -> bool:
    """Too many recent failures for this email, or from this address."""
    config = current_app.config
    since = now_utc() - config["LOGIN_FAILURE_WINDOW"]
    limit = config["LOGIN_MAX_FAILURES"]
    # An address may try a few accounts (shared office networks), so it gets a larger allowance.
    return (
        _recent_failures(LoginAttempt.email, email, since) >= limit
        or _recent_failures(LoginAttempt.remote_addr, remote_addr, since) >= limit * 4
    )


def authenticate(email: str, password: str, remote_addr: str) -> SignInResult:
    """Check a sign-in, recording the attempt. Unknown email and wrong password look the same."""
    email = normalise_email(email)
    if is_throttled(email, remote_addr):
        return SignInResult(user=None, throttled=True)
    user = find_user_by_email(email)
    if user is not None and user.password_hash:
        ok = check_password_hash(user.password_hash, password) and user.is_active
    else:
        check_password_hash(_DUMMY_HASH, password)  # same cost as a real check
        ok = False
    db.session.add(LoginAttempt(email=email, remote_addr=remote_addr, succeeded=ok, at=now_utc()))
    if ok and user is not None:
        user.last_login_at = now_utc()
        return SignInResult(user=user)
    return SignInResult(user=None)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_invitation(user: User, *, actor: User | None = None, valid_for: timedelta | None = None) -> str:
    """A new set-password token for `user`; only its hash is stored. Returns the token."""
    token = secrets.token_urlsafe(32)
    valid_for = valid_for or current_app.config["INVITATION_VALID_FOR"]
    invitation = Invitation(
        user=user,
        token_hash=_token_hash(token),
        expires_at=now_utc() + valid_for,
        created_by_id=actor.id if actor else None,
    )
    db.session.add(invitation)
    record_audit(actor, "invitation.created", invitation, summary=f"Invitation for {user.email}")
    return token


def find_valid_invitation(token: str) -> Invitation | None:
    """The unused, unexpired invitation for `token`, or None."""
    invitation = db.session.scalar(sa.select(Invitation).where(Invitation.token_hash == _token_hash(token)))
    if invitation is None or invitation.used_at is not None or invitation.expires_at <= now_utc():
        return None
    return invitation


def accept_invitation(token: str, password: str) -> User:
    """Set the password from an invitation and use the invitation up."""
    invitation = find_valid_invitation(token)
    if invitation is None:
        raise DomainError("This link has expired or has already been used. Ask your coordinator for a new one.")
    invitation.used_at = now_utc()
    invitation.user.password_hash = hash_password(password)
    record_audit(invitation.user, "invitation.accepted", invitation)
    return invitation.user


def set_active(user: User, active: bool, *, actor: User) -> None:
    """Deactivate or reactivate an account; deactivated accounts cannot sign in."""
    if user.active == active:
        return
    user.active = active
    record_audit(
        actor,
        "user.activated" if active else "user.deactivated",
        user,
        before={"active": not active},
        after={"active": active},
    )
