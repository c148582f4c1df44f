"""Absolute links for emails, always from ACADEMY_BASE_URL (never from the request's Host header,
which a visitor controls: a forged Host would otherwise put their address in a password link)."""

from typing import Any
from urllib.parse import urlsplit

from flask import current_app


class NoBaseUrl(Exception):
    """ACADEMY_BASE_URL is not set, so no link can be put in an email."""


def base_url() -> str:
    """The public address of the academy, without a trailing slash ("" when it is not set)."""
    return (current_app.config.get("ACADEMY_BASE_URL") or "").rstrip("/")


def can_build_links() -> bool:
    return bool(base_url())


def absolute_url(endpoint: str, **values: Any) -> str:
    """The full address of `endpoint` under ACADEMY_BASE_URL; raises NoBaseUrl when it is not set."""
    base = base_url()
    if not base:
        raise NoBaseUrl("ACADEMY_BASE_URL is not set, so links cannot be put in emails")
    parts = urlsplit(base)
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "https")
    return adapter.build(endpoint, values, force_external=True)
