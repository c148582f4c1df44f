"""Security headers on every response: what the browser may load, frame, sniff, send on and keep.

The Content-Security-Policy allows scripts and styles from this site only, plus GOV.UK Frontend's
one-line `js-enabled` script (marked with this response's nonce) and the stylesheets inside the
retention charts' SVG (allowed by their hashes); no inline handler or `style=` attribute runs. Pages
carry personal data, so no response but the static assets may be stored by the browser or a proxy.
"""

import base64
import hashlib
import html
import re
import secrets
from collections.abc import Iterable

from flask import Flask, Response, current_app, g, request
from markupsafe import Markup

STYLE_ELEMENT = re.compile(r"<style\b[^>]*>(.*?)</style>", re.DOTALL)
# A year, as the HSTS preload list asks; sent only by production, which is served over TLS.
HSTS = "max-age=31536000; includeSubDomains"


def csp_nonce() -> str:
    """This response's nonce for an inline <script> element (made on first use)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


def allow_styles(markup: Markup) -> Markup:
    """Trusted markup (a chart drawn on the server) whose <style> elements the policy allows by hash.

    A nonce would do, but HTML allows no `nonce` attribute on SVG's <style>; a hash of each stylesheet
    is as strict, and the page stays valid.
    """
    hashes = g.setdefault("csp_style_hashes", set())
    for stylesheet in STYLE_ELEMENT.findall(str(markup)):
        # The browser hashes the element's text as parsed, with character references decoded.
        digest = hashlib.sha256(html.unescape(stylesheet).encode("utf-8")).digest()
        hashes.add(f"'sha256-{base64.b64encode(digest).decode('ascii')}'")
    return markup


def content_security_policy(nonce: str | None, style_hashes: Iterable[str] = ()) -> str:
    inline = f" 'nonce-{nonce}'" if nonce else ""
    styles = "".join(f" {digest}" for digest in sorted(style_hashes))
    return "; ".join(
        (
            "default-src 'self'",
            f"script-src 'self'{inline}",
            f"style-src 'self'{styles}",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


def referrer_policy() -> str:
    """No referrer from a page whose address holds a credential (set-password and invitation links)."""
    return "no-referrer" if "token" in (request.view_args or {}) else "same-origin"


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    headers["Content-Security-Policy"] = content_security_policy(g.get("csp_nonce"), g.get("csp_style_hashes", ()))
    headers["X-Frame-Options"] = "DENY"
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = referrer_policy()
    if request.endpoint != "static":
        # Every page and download may hold personal data: never kept in a cache or the back-forward store
        # of a shared computer. Static assets (no personal data) keep Flask's caching.
        headers["Cache-Control"] = "no-store"
    if current_app.config.get("ACADEMY_ENV") == "production":
        headers["Strict-Transport-Security"] = HSTS
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.jinja_env.filters["allow_styles"] = allow_styles
    # GOV.UK Frontend's page template puts `cspNonce` on its inline script.
    app.context_processor(lambda: {"cspNonce": csp_nonce()})
