"""Security headers on every response (academy/core/headers.py).

The browser tests prove the policy breaks no page's JavaScript or styles (tests/browser/conftest.py fails
a test on any violation Chromium reports); these check the headers themselves and the markup they rely on.
"""

import base64
import hashlib
import re
import secrets
from html import unescape

import pytest

from academy.accounts.services import create_invitation
from academy.core.headers import content_security_policy
from config import ProductionConfig
from tests import factories
from tests.conftest import make_test_app

NONCE = re.compile(r"'nonce-([A-Za-z0-9_-]+)'")


def directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part for part in (p.strip() for p in policy.split(";")) if part}


def assert_no_inline_code_the_policy_does_not_allow(response) -> None:
    """Every inline <script> carries the response's nonce and every <style> has its hash in the policy;
    there is no style= attribute and no on…= handler."""
    policy = response.headers["Content-Security-Policy"]
    nonce = NONCE.search(policy).group(1)
    html = response.get_data(as_text=True)
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert 'src="' in tag or f'nonce="{nonce}"' in tag, tag
    for stylesheet in re.findall(r"<style\b[^>]*>(.*?)</style>", html, re.DOTALL):
        digest = base64.b64encode(hashlib.sha256(unescape(stylesheet).encode()).digest()).decode()
        assert f"'sha256-{digest}'" in directives(response)["style-src"]
    assert not re.search(r"\sstyle=\"", html), "an inline style attribute"
    assert not re.search(r"\son[a-z]+=\"", html), "an inline event handler"


def test_a_page_forbids_inline_code_framing_and_sniffing(client):
    response = client.get("/sign-in")
    policy = directives(response)
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]
    assert policy["script-src"].startswith("script-src 'self'")
    assert policy["style-src"].startswith("style-src 'self'")
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert policy["object-src"] == "object-src 'none'"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"
    assert "Strict-Transport-Security" not in response.headers  # not outside production

    # GOV.UK Frontend's inline `js-enabled` script runs because it carries this response's nonce.
    nonce = NONCE.search(policy["script-src"]).group(1)
    assert f'<script nonce="{nonce}">document.body.className' in response.get_data(as_text=True)
    assert_no_inline_code_the_policy_does_not_allow(response)


def test_each_response_has_a_nonce_of_its_own(client):
    first = NONCE.search(client.get("/sign-in").headers["Content-Security-Policy"]).group(1)
    second = NONCE.search(client.get("/sign-in").headers["Content-Security-Policy"]).group(1)
    assert first != second
    assert len(first) >= 22  # at least 128 bits


def test_a_set_password_link_sends_no_referrer(client, db):
    person = factories.make_user(roles={"mentor"})
    token = create_invitation(person)
    page = client.get(f"/set-password/{token}")
    assert page.status_code == 200
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert page.headers["Cache-Control"] == "no-store"
    # A used or mistyped link too: the address still holds what looks like a credential.
    assert client.get("/set-password/not-a-real-token").headers["Referrer-Policy"] == "no-referrer"


def test_pages_and_downloads_with_personal_data_are_not_stored(client, db, login, coordinator):
    login(coordinator)
    cohort = factories.make_cohort(actor=coordinator)
    factories.make_participant(cohort)  # so that the retention page draws its charts
    pages = ("/audit/", "/people", f"/cohorts/{cohort.id}", f"/cohorts/{cohort.id}?format=csv", "/retention/")
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url
        assert response.headers["X-Content-Type-Options"] == "nosniff", url
        if response.mimetype == "text/html":
            assert_no_inline_code_the_policy_does_not_allow(response)
    assert "'sha256-" in response.headers["Content-Security-Policy"]  # the retention charts' stylesheets


def test_static_assets_keep_their_caching(client):
    response = client.get("/static/build/academy.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    response.close()


def test_error_pages_carry_the_headers_too(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"


@pytest.fixture
def production_client(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", secrets.token_hex(32))
    app, cleanup = make_test_app(tmp_path, "prod", ProductionConfig())
    yield app.test_client()
    cleanup()


def test_production_asks_browsers_to_use_https_only(production_client):
    response = production_client.get("/sign-in")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_the_policy_without_a_nonce_allows_no_inline_code():
    policy = content_security_policy(None)
    assert "script-src 'self';" in policy
    assert "style-src 'self';" in policy
    assert "nonce" not in policy
