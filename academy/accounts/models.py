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
