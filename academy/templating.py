"""Jinja globals and filters: policies (to hide buttons), formatting of dates and numbers."""

from collections.abc import Callable
from datetime import date, datetime
from types import ModuleType
from zoneinfo import ZoneInfo

from flask import Flask, current_app, url_for
from flask_login import current_user

from academy.accounts.models import Role
from academy.core.mail import outbox_enabled

LONDON = ZoneInfo("Europe/London")


def format_date(value: date | datetime | None, missing: str = "Not set") -> str:
    """Dates as council staff write them: 3 March 2026."""
    if value is None:
        return missing
    if isinstance(value, datetime):
        value = value.astimezone(LONDON).date()
    return f"{value.day} {value:%B %Y}"


def format_datetime(value: datetime | None, missing: str = "") -> str:
    """A UTC timestamp shown in UK time: 3 March 2026 at 2:05pm."""
    if value is None:
        return missing
    local = value.astimezone(LONDON)
    hour = local.hour % 12 or 12
    return f"{local.day} {local:%B %Y} at {hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


def navigation_items(path: str) -> list[dict]:
    """The service navigation for the signed-in person's roles."""
    if not current_user.is_authenticated:
        return []
    # (text, endpoint, the path prefix that counts as being in that area)
    wanted = [("Home", "home.index", "/home")]
    if current_user.has_role(Role.COORDINATOR):
        wanted += [
            ("Cohorts", "cohorts.index", "/cohorts"),
            ("Frameworks", "frameworks.index", "/frameworks"),
            ("Moderation", "assessment.panel", "/moderation"),
            ("Retention", "retention.dashboard", "/retention"),
            ("People", "accounts.people", "/people"),
            ("Funding", "funding.index", "/funding"),
            ("Audit", "audit.index", "/audit"),
        ]
        if outbox_enabled():
            wanted.append(("Outbox", "accounts.outbox", "/outbox"))
    # Everyone has records to download: their own, their NQSWs', or the academy's.
    wanted.append(("Progression records", "reports.index", "/reports"))
    wanted.append(("Your account", "accounts.account", "/account"))
    # Areas are added feature by feature; a link appears once its page exists.
    return [
        {
            "text": text,
            "href": url_for(endpoint),
            "current": path == url_for(endpoint),
            "active": path.startswith(prefix),
        }
        for text, endpoint, prefix in wanted
        if endpoint in current_app.view_functions
    ]


def policy_globals(modules: list[ModuleType]) -> dict[str, Callable]:
    """Every public `can_*` and `is_*` rule of the given policies modules, for templates to hide buttons."""
    rules: dict[str, Callable] = {}
    for module in modules:
        for name in dir(module):
            rule = getattr(module, name)
            if name.startswith(("can_", "is_")) and callable(rule) and rule.__module__ == module.__name__:
                rules[name] = rule
    return rules


def init_app(app: Flask, policies: list[ModuleType]) -> None:
    app.add_template_filter(format_date, "date")
    app.add_template_filter(format_datetime, "datetime")
    app.jinja_env.globals.update(
        navigation_items=navigation_items,
        Role=Role,
        academy_name=lambda: current_app.config["ACADEMY_NAME"],
        **policy_globals(policies),
    )
