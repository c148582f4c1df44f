"""Accounts: creating people, staff roles, deactivation, checking passwords, throttling sign-in, and the
single-use links that set a password (invitations and "forgot your password")."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

import sqlalchemy as sa
from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from academy.accounts.models import Invitation, LinkPurpose, LoginAttempt, Role, SessionEnd, User, UserRole
from academy.accounts.passwords import check_password_policy
from academy.accounts.sessions import end_all_sessions
from academy.audit.services import record_audit
from academy.core.db import now_utc
from academy.core.errors import DomainError
from academy.extensions import db


@cache
def _dummy_hash_for(method: str) -> str:
    return generate_password_hash(secrets.token_urlsafe(16), method=method)


def dummy_hash() -> str:
    """Checked against when the email is unknown (or has no password yet), so that a miss costs as long as a
    wrong password: it is made with the configured PASSWORD_HASH_METHOD, the same parameters as real hashes."""
    return _dummy_hash_for(current_app.config["PASSWORD_HASH_METHOD"])


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
    if password is not None:
        check_password_policy(password, email=email)
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
    # Set when the attempt was refused unchecked: how long to wait before the next one.
    wait: timedelta | None = None

    @property
    def throttled(self) -> bool:
        return self.wait is not None


def _failures_since(since: datetime, *where: sa.ColumnElement[bool]) -> tuple[int, datetime | None]:
    """How many failed attempts match `where` after `since`, and when the latest was."""
    count, latest = db.session.execute(
        sa.select(sa.func.count(LoginAttempt.id), sa.func.max(LoginAttempt.at)).where(
            LoginAttempt.succeeded.is_(False), LoginAttempt.at > since, *where
        )
    ).one()
    return count or 0, latest


def _delay(failures: int, free: int, cap: timedelta) -> timedelta:
    """No delay for the first `free` failures; then LOGIN_FIRST_DELAY, doubling with each failure, up to `cap`."""
    if failures < free:
        return timedelta(0)
    return min(cap, current_app.config["LOGIN_FIRST_DELAY"] * 2 ** min(failures - free, 20))


def sign_in_wait(email: str, remote_addr: str) -> timedelta:
    """How long before the next sign-in attempt for `email` from `remote_addr` is checked (zero: now).

    Counted from the login_attempt table, so every worker sees the same. For the account: failures since
    its last successful sign-in, with a short cap, so that others' failures only slow its owner down.
    For the address: every failure from it, with a larger allowance (an office behind one proxy) and a
    long cap, so that one machine cannot guess its way across many accounts."""
    config = current_app.config
    now = now_utc()
    window_start = now - config["LOGIN_FAILURE_WINDOW"]
    last_success = db.session.scalar(
        sa.select(sa.func.max(LoginAttempt.at)).where(LoginAttempt.email == email, LoginAttempt.succeeded.is_(True))
    )
    since_success = max(window_start, last_success or window_start)
    account, account_latest = _failures_since(since_success, LoginAttempt.email == email)
    address, address_latest = _failures_since(window_start, LoginAttempt.remote_addr == remote_addr)
    waits = [timedelta(0)]
    if account_latest is not None:
        delay = _delay(account, config["LOGIN_ACCOUNT_FREE_FAILURES"], config["LOGIN_ACCOUNT_MAX_DELAY"])
        waits.append(account_latest + delay - now)
    if address_latest is not None:
        delay = _delay(address, config["LOGIN_ADDRESS_FREE_FAILURES"], config["LOGIN_ADDRESS_MAX_DELAY"])
        waits.append(address_latest + delay - now)
    return max(waits)


def authenticate(email: str, password: str, remote_addr: str) -> SignInResult:
    """Check a sign-in, recording the attempt. Unknown email and wrong password look the same and cost the
    same. While a throttling delay runs the attempt is refused unchecked (and not counted)."""
    email = normalise_email(email)
    wait = sign_in_wait(email, remote_addr)
    if wait > timedelta(0):
        return SignInResult(user=None, wait=wait)
    user = find_user_by_email(email)
    if user is not None and user.password_hash:
        ok = check_password_hash(user.password_hash, password) and user.is_active
    else:
        check_password_hash(dummy_hash(), password)  # same cost as a real check
        ok = False
    db.session.add(LoginAttempt(email=email, remote_addr=remote_addr[:64], succeeded=ok, at=now_utc()))
    if ok and user is not None:
        user.last_login_at = now_utc()
        return SignInResult(user=user)
    return SignInResult(user=None)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_invitation(
    user: User,
    *,
    actor: User | None = None,
    valid_for: timedelta | None = None,
    purpose: LinkPurpose = LinkPurpose.INVITATION,
) -> str:
    """A new set-password token for `user`; only its hash is stored. Returns the token.

    Older links stay usable until one of the account's links is used (then all the others are used up).
    """
    token = secrets.token_urlsafe(32)
    if valid_for is None:
        key = "INVITATION_VALID_FOR" if purpose == LinkPurpose.INVITATION else "PASSWORD_RESET_VALID_FOR"
        valid_for = current_app.config[key]
    invitation = Invitation(
        user=user,
        token_hash=_token_hash(token),
        expires_at=now_utc() + valid_for,
        purpose=purpose,
        created_by_id=actor.id if actor else None,
    )
    db.session.add(invitation)
    what = "Invitation" if purpose == LinkPurpose.INVITATION else "Password reset link"
    record_audit(
        actor, f"{purpose.value}.created", invitation, summary=f"{what} for {user.email}", after={"user_id": user.id}
    )
    return token


def find_invitation(token: str) -> Invitation | None:
    """The link for `token`, used or not."""
    return db.session.scalar(sa.select(Invitation).where(Invitation.token_hash == _token_hash(token)))


def find_valid_invitation(token: str) -> Invitation | None:
    """The unused, unexpired link for `token` of an active account, or None."""
    invitation = find_invitation(token)
    if (
        invitation is None
        or invitation.used_at is not None
        or invitation.expires_at <= now_utc()
        or not invitation.user.active
    ):
        return None
    return invitation


def _use_up_links(user: User, *, at: datetime) -> int:
    """Mark every unused link of `user` used; how many there were."""
    links = db.session.scalars(
        sa.select(Invitation).where(Invitation.user_id == user.id, Invitation.used_at.is_(None))
    ).all()
    for link in links:
        link.used_at = at
    return len(links)


def accept_invitation(token: str, password: str) -> User:
    """Set the password from a link and use it up, with every other link of the account (older ones
    included), so that only the newest action counts and a leaked older email is worthless."""
    invitation = find_valid_invitation(token)
    if invitation is None:
        raise DomainError(
            "This link has expired or has already been used. Ask for a new one from the sign-in page "
            "(Forgot your password?) or from your coordinator."
        )
    user = invitation.user
    check_password_policy(password, email=user.email)
    at = now_utc()
    invitation.used_at = at
    others = _use_up_links(user, at=at)
    user.password_hash = hash_password(password)
    end_all_sessions(user, SessionEnd.PASSWORD_CHANGED)  # a reset shuts out whoever knew the old one
    action = "invitation.accepted" if invitation.purpose == LinkPurpose.INVITATION else "password_reset.used"
    record_audit(
        user,
        action,
        invitation,
        summary=f"{user.email} set a password from a link"
        + (f"; {others} older link(s) no longer work" if others else ""),
    )
    return user


def request_password_reset(email: str) -> tuple[User, str] | None:
    """A password-reset link for the active account with `email`, if there is one (else None).

    The page that asks says the same whatever happens here, so it never tells whether an email has an
    account. At most PASSWORD_RESETS_PER_HOUR links per account per hour, so the form cannot flood a mailbox.
    """
    user = find_user_by_email(email)
    if user is None or not user.active:
        return None
    since = now_utc() - timedelta(hours=1)
    recent = (
        db.session.scalar(
            sa.select(sa.func.count(Invitation.id)).where(
                Invitation.user_id == user.id,
                Invitation.purpose == LinkPurpose.PASSWORD_RESET,
                Invitation.created_at >= since,
            )
        )
        or 0
    )
    if recent >= current_app.config["PASSWORD_RESETS_PER_HOUR"]:
        return None
    return user, create_invitation(user, actor=user, purpose=LinkPurpose.PASSWORD_RESET)


def change_password(user: User, current: str, new: str) -> None:
    """A signed-in person changes their own password; every outstanding link of theirs stops working and
    every session of theirs ends (the page that asked starts a fresh one for the browser that asked)."""
    if not user.password_hash or not check_password_hash(user.password_hash, current):
        raise DomainError("Your current password is not right", field="current_password")
    if current == new:
        raise DomainError("Choose a password different from your current one", field="password")
    check_password_policy(new, email=user.email)
    user.password_hash = hash_password(new)
    _use_up_links(user, at=now_utc())
    end_all_sessions(user, SessionEnd.PASSWORD_CHANGED)
    record_audit(user, "user.password_changed", user, summary=f"{user.email} changed their password")


def mark_emailed(token: str) -> None:
    """Record that the link for `token` was handed to a mail server."""
    invitation = find_invitation(token)
    if invitation is not None:
        invitation.emailed_at = now_utc()


# --- staff accounts, managed by coordinators ---

STAFF_ROLES = frozenset({Role.COORDINATOR, Role.MENTOR})


def _active_coordinators() -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count(User.id)).where(User.active.is_(True), User.role_rows.any(role=Role.COORDINATOR))
        )
        or 0
    )


def add_staff(email: str, name: str, roles: set[Role], *, actor: User) -> User:
    """A new staff account (mentor or assessor, coordinator) without a password; invite it next."""
    if not name.strip():
        raise DomainError("Enter the person's full name", field="name")
    if not roles:
        raise DomainError("Choose at least one role", field="roles")
    if not roles <= STAFF_ROLES:
        raise DomainError("NQSWs are added by enrolling them in a cohort", field="roles")
    return create_user(email, name, roles, actor=actor)


def set_staff_roles(user: User, roles: set[Role], *, actor: User) -> None:
    """Set which staff roles `user` holds (an NQSW role stays as it is: it comes with enrolment)."""
    if not roles <= STAFF_ROLES:
        raise DomainError("Only the mentor or assessor and coordinator roles can be changed here", field="roles")
    before = user.roles
    after = (before - STAFF_ROLES) | roles
    if not after:
        raise DomainError("Choose at least one role: an account needs one", field="roles")
    if Role.COORDINATOR in before and Role.COORDINATOR not in after:
        if user.id == actor.id:
            raise DomainError("You cannot take away your own coordinator role: ask another coordinator", field="roles")
        if user.active and _active_coordinators() <= 1:
            raise DomainError("The academy needs at least one active coordinator", field="roles")
    if after == before:
        return
    user.role_rows = [row for row in user.role_rows if row.role in after]
    for role in sorted(after - before):
        user.role_rows.append(UserRole(role=role))
    record_audit(
        actor,
        "user.roles_changed",
        user,
        summary=f"Roles of {user.email}: {_role_words(after)} (were {_role_words(before)})",
        before={"roles": sorted(before)},
        after={"roles": sorted(after)},
    )


def _role_words(roles: set[Role]) -> str:
    return ", ".join(role.label for role in sorted(roles)) or "none"


def set_active(user: User, active: bool, *, actor: User) -> None:
    """Deactivate or reactivate an account. A deactivated person cannot sign in (their links stop working
    too) and is not offered as staff; everything they recorded stays."""
    if user.active == active:
        return
    if not active:
        if user.id == actor.id:
            raise DomainError("You cannot deactivate your own account: ask another coordinator")
        if user.has_role(Role.COORDINATOR) and _active_coordinators() <= 1:
            raise DomainError("The academy needs at least one active coordinator")
    user.active = active
    if not active:
        end_all_sessions(user, SessionEnd.DEACTIVATED)
    record_audit(
        actor,
        "user.activated" if active else "user.deactivated",
        user,
        summary=f"{'Reactivated' if active else 'Deactivated'} the account of {user.email}",
        before={"active": not active},
        after={"active": active},
    )
