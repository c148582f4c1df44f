"""The web plumbing every view uses: guards, loaders, running a service, downloads.

Permission decisions live in each feature's policies.py; this module only enforces them.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user, login_required

from academy.core.errors import DomainError


def require(allowed: bool, user: Any = None) -> None:
    """Abort unless `allowed`: 404 for an NQSW (so other people's records stay invisible), else 403."""
    if allowed:
        return
    who = user if user is not None else current_user
    abort(404 if getattr(who, "is_nqsw_only", False) else 403)


def role_required(*roles: Any) -> Callable:
    """Decorator: the signed-in user must hold at least one of `roles`."""

    def decorator(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            require(any(current_user.has_role(role) for role in roles))
            return view(*args, **kwargs)

        return wrapped

    return decorator


def _field_error(form, error: DomainError, default: str) -> None:
    field = getattr(form, error.field or "", None) or getattr(form, default)
    field.errors = [*field.errors, error.message]


def show_error(form, error: DomainError) -> None:
    """Put a service's message next to its field (or on the form when it has none)."""
    name = error.field or ""
    if name.startswith("reason_"):
        name = "links"
    field = getattr(form, name, None) if name else None
    if field is None or not hasattr(field, "errors"):
        field = next(iter(form), None)
    field.errors = [*list(field.errors or []), error.message]


def fix_dates(form) -> None:
    """A date posted without its three parts has no raw data the GOV.UK widget can show."""
    for field in form:
        if field.type == "DateField" and field.raw_data is not None and len(field.raw_data) != 3:
            field.raw_data = None
