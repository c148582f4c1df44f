"""The Content-Security-Policy in Chromium: the pages' own scripts run, anything inline without the nonce does not.

Every browser test fails on a CSP violation Chromium reports (tests/browser/conftest.py); the first test
here proves that check sees one, so a clean run of the other browser tests means something.
"""

import re

from playwright.sync_api import Page, expect

from academy.core.headers import content_security_policy
from tests.browser.conftest import CSP_VIOLATIONS, a11y

PROBE = """<!DOCTYPE html><html lang="en"><head><title>Probe</title></head>
<body><main><h1>Probe</h1><p class="x">Text</p><script>document.title = "Script ran";</script></main></body></html>"""


def test_an_inline_script_without_the_nonce_is_refused_and_reported(page: Page, live_server):
    probe = f"{live_server.url}/csp-probe"
    page.route(
        probe,
        lambda route: route.fulfill(
            status=200,
            content_type="text/html",
            headers={"Content-Security-Policy": content_security_policy(None)},
            body=PROBE,
        ),
    )
    with page.expect_console_message(lambda message: "Content Security Policy" in message.text):
        page.goto(probe)
    expect(page).to_have_title("Probe")  # the script never ran
    assert any("inline script" in violation for violation in CSP_VIOLATIONS), CSP_VIOLATIONS
    CSP_VIOLATIONS.clear()  # seen and expected here; anywhere else it fails the test
    page.goto("/sign-in")


def test_the_pages_own_scripts_run_under_the_policy(page: Page):
    page.goto("/sign-in")
    a11y(page)
    # GOV.UK Frontend's inline script (with this response's nonce) marked the page as having JavaScript,
    # and its module script (from this site) initialised the components.
    expect(page.locator("body")).to_have_class(re.compile(r"\bjs-enabled\b.*\bgovuk-frontend-supported\b"))
    expect(page.locator("[data-module='govuk-password-input'][data-govuk-password-input-init]")).to_have_count(1)
