"""The password policy, after the NCSC's guidance: long enough, not common, no composition rules.

At least PASSWORD_MIN_LENGTH (12) and at most PASSWORD_MAX_LENGTH (256) characters; not a common password
(the deny list shipped in data/common-passwords.txt), not the academy's name and not the person's own
email. Nothing demands a digit, a capital or a symbol: those rules make passwords harder to remember
without making them harder to guess.
"""

import re
from functools import cache
from pathlib import Path

from flask import current_app

from academy.core.errors import DomainError

DENY_LIST = Path(__file__).resolve().parent / "data" / "common-passwords.txt"

_SEPARATORS = re.compile(r"[\s\-_.]+")
# Digits and symbols added at either end do not make a common word uncommon ("Password2026!").
_PADDING = re.compile(r"^[\W\d_]+|[\W\d_]+$")

TOO_COMMON = "This password is too common and easy to guess. Choose another one, for example three random words."


@cache
def common_passwords() -> frozenset[str]:
    """The shipped deny list, lower-cased."""
    lines = DENY_LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(_fold(line) for line in lines if line.strip() and not line.startswith("#"))


def _fold(text: str) -> str:
    """Lower-case, without separators: "Pass word-1" and "password1" are the same password."""
    return _SEPARATORS.sub("", text.casefold())


def _forms(password: str) -> set[str]:
    """The password as compared: folded, and folded without digits and symbols at either end."""
    folded = _fold(password)
    return {form for form in (folded, _PADDING.sub("", folded)) if form}


def password_problem(password: str, *, email: str | None = None) -> str | None:
    """What is wrong with `password` under the policy, as a sentence for the person; None when it is fine."""
    config = current_app.config
    shortest, longest = config["PASSWORD_MIN_LENGTH"], config["PASSWORD_MAX_LENGTH"]
    if len(password) < shortest:
        return f"Your password must be at least {shortest} characters long"
    if len(password) > longest:
        return f"Your password must be {longest} characters or fewer"
    forms = _forms(password)
    if forms & common_passwords():
        return TOO_COMMON
    if forms & _forms(config["ACADEMY_NAME"]):
        return "Your password must not be the name of the academy"
    if email and forms & (_forms(email) | _forms(email.partition("@")[0])):
        return "Your password must not be your email address"
    return None


def check_password_policy(password: str, *, email: str | None = None) -> None:
    """Refuse a new password that breaks the policy, with the reason next to the password field."""
    problem = password_problem(password, email=email)
    if problem is not None:
        raise DomainError(problem, field="password")
