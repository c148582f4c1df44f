"""Security headers on every response: what the browser may load, frame, sniff, send on and keep.

The Content-Security-Policy allows scripts and styles from this site only, plus the inline ones the
templates mark with this request's nonce (GOV.UK Frontend's one-line `js-enabled` script, the charts'
own stylesheets); no inline handler or `style=` attribute runs. Pages carry personal data, so no
response but the static assets may be stored by the browser or a proxy.
"""

import secrets

from flask import Flask, Response, current_app, g, request
from markupsafe import Markup

# A year, as the HSTS preload list asks; sent only by production, which is served over TLS.
HSTS = "max-age=31536000; includeSubDomains"


def csp_nonce() -> str:
    """This request's nonce for inline <script> and <style> elements (made on first use)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


def with_nonce(markup: Markup) -> Markup:
    """Trusted markup (a chart drawn on the server) with this request's nonce on its <style> elements."""
    return Markup(str(markup).replace("<style", f'<style nonce="{csp_nonce()}"'))


def content_security_policy(nonce: str | None) -> str:
    inline = f" 'nonce-{nonce}'" if nonce else ""
    return "; ".join(
        (
            "default-src 'self'",
            f"script-src 'self'{inline}",
            f"style-src 'self'{inline}",
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
    headers["Content-Security-Policy"] = content_security_policy(g.get("csp_nonce"))
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
    app.jinja_env.filters["with_nonce"] = with_nonce
    # GOV.UK Frontend's page template puts `cspNonce` on its inline script.
    app.context_processor(lambda: {"cspNonce": csp_nonce()})
