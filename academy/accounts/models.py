"""People, their roles, sign-in attempts and invitations."""

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.core.db import Base, TimestampMixin, enum_column


class Role(enum.StrEnum):
    COORDINATOR = "coordinator"
    MENTOR = "mentor"
    NQSW = "nqsw"

    @property
    def label(self) -> str:
        return {"coordinator": "Coordinator", "mentor": "Mentor or assessor", "nqsw": "NQSW"}[self.value]


class User(UserMixin, TimestampMixin, Base):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    # None until the person sets a password from their invitation.
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    active: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[datetime | None]

    role_rows: Mapped[list["UserRole"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    # Not a column: the token of the browser session being started, set just before Flask-Login's
    # login_user so that the cookie carries the session's token, never the account's id.
    __allow_unmapped__ = True
    session_token: str | None = None

    def get_id(self) -> str:
        """What Flask-Login keeps in the cookie: the random token of a `UserSession`, never the user's
        id, so that a cookie stops working as soon as its session row is ended (see sessions.py)."""
        if not self.session_token:
            raise RuntimeError("Start a session (accounts.sessions.start_session) before signing someone in.")
        return self.session_token

    # UserMixin compares people by get_id(), which is now a session's token: compare accounts instead.
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, User):
            return NotImplemented
        return self is other or (self.id is not None and self.id == other.id)

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = object.__hash__

    @property
    def is_active(self) -> bool:  # Flask-Login refuses sign-in to inactive users
        return self.active

    @property
    def roles(self) -> set[Role]:
        return {row.role for row in self.role_rows}

    @property
    def is_nqsw_only(self) -> bool:
        """Someone whose only role is NQSW: they are told a record does not exist rather than forbidden."""
        return self.roles == {Role.NQSW}

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class UserRole(Base):
    __tablename__ = "user_role"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[Role] = mapped_column(enum_column(Role), primary_key=True)

    user: Mapped[User] = relationship(back_populates="role_rows")


class LoginAttempt(Base):
    """One sign-in attempt, kept to throttle guessing by email and by address."""

    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    remote_addr: Mapped[str] = mapped_column(sa.String(64), index=True)
    succeeded: Mapped[bool]
    at: Mapped[datetime] = mapped_column(index=True)


class SessionEnd(enum.StrEnum):
    """Why a browser session stopped working."""

    SIGNED_OUT = "signed_out"
    IDLE = "idle"  # no request for SESSION_IDLE_TIMEOUT
    EXPIRED = "expired"  # older than SESSION_ABSOLUTE_LIFETIME
    PASSWORD_CHANGED = "password_changed"  # changed, reset or set from a link: a reason, not a password  # nosec B105
    DEACTIVATED = "deactivated"


class UserSession(Base):
    """One signed-in browser. The cookie holds only a random token; this row (found by the token's hash)
    decides whether it still signs anyone in, so ending the row ends the cookie on the server."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime]
    # Written at most once a minute (SESSION_TOUCH_INTERVAL), not on every request.
    last_seen_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    ended_reason: Mapped[SessionEnd | None] = mapped_column(enum_column(SessionEnd))
    remote_addr: Mapped[str] = mapped_column(sa.String(64))
    user_agent: Mapped[str] = mapped_column(sa.String(255))

    user: Mapped[User] = relationship()


class LinkPurpose(enum.StrEnum):
    INVITATION = "invitation"  # a new account's first password (sent by a coordinator or an import)
    PASSWORD_RESET = "password_reset"  # "Forgot your password?"  # a link purpose, not a password  # nosec B105

    @property
    def label(self) -> str:
        return "Invitation" if self is LinkPurpose.INVITATION else "Password reset"


class Invitation(TimestampMixin, Base):
    """A single-use, expiring link to set a password (an invitation or a password reset). Only the
    token's hash is stored. Using any link of an account uses up every other link of that account."""

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    purpose: Mapped[LinkPurpose] = mapped_column(
        enum_column(LinkPurpose), default=LinkPurpose.INVITATION, server_default=LinkPurpose.INVITATION.value
    )
    # When the link was handed to a mail server; None while it has not been (no mail server, or it failed).
    emailed_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
