"""Absolute links for emails, from a request or, on the command line, from ACADEMY_BASE_URL."""

from typing import Any

from flask import current_app, has_request_context, url_for


def absolute_url(endpoint: str, **values: Any) -> str:
    """The full address of `endpoint`: the request's host, or ACADEMY_BASE_URL outside a request."""
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    base = current_app.config.get("ACADEMY_BASE_URL", "").rstrip("/")
    with current_app.test_request_context(base_url=base or None):
        return url_for(endpoint, _external=True, **values)
