"""Enforcing permission decisions in views. The decisions themselves live in academy.policies."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user, login_required

from academy.accounts.models import Role, User


def is_nqsw_only(user: User) -> bool:
    """True for someone whose only role is NQSW: they are told nothing exists rather than forbidden."""
    return user.roles == {Role.NQSW}


def require(allowed: bool, user: User | None = None) -> None:
    """Abort unless `allowed`: 404 for an NQSW (so other people's records stay invisible), else 403."""
    if allowed:
        return
    who = user if user is not None else current_user
    abort(404 if is_nqsw_only(who) else 403)


def role_required(*roles: Role) -> Callable:
    """Decorator: the signed-in user must hold at least one of `roles`."""

    def decorator(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            require(any(current_user.has_role(role) for role in roles))
            return view(*args, **kwargs)

        return wrapped

    return decorator
