"""End-to-end fixtures: the app served on a free local port, Chromium driven by Playwright, axe-core, vnu.

Every browser test checks each page it reaches with axe-core (WCAG 2.2 AA rules) and fails on any
violation: call `a11y(page)` after each navigation; the final page is checked again at teardown.
Every HTML page the server sends during a test is also checked with the Nu HTML Checker (vnu), all
in one run at the end of the test, which fails on any error (with the request, line and message).
Any Content-Security-Policy violation Chromium reports on a page (a blocked inline script or style, a
script from elsewhere) fails the test too: the policy must never break what a page does.

Nothing here waits on time. A click or submit that leaves the page goes through `click_and_wait`,
which returns only once the new page has loaded (and, given `url`, only once it is the expected
one); `page.goto` and `page.go_back` already wait for `load`; `a11y` waits for `load` itself; and
everything else waits on a condition through `expect(...)`. On a busy machine those waits take
longer, so every one has the same generous ceiling, TIMEOUT_MS: it only costs time when a test fails.
"""

import os
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Locator,
    Page,
    Response,
    expect,
    sync_playwright,
)
from werkzeug.serving import make_server

from tests.conftest import make_test_app
from tests.vnu import html_errors

ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
# axe-core on the whole document once it has loaded (a check made as a new page arrives waits for it).
AXE_RUN = """async (tags) => {
  if (document.readyState !== "complete") await new Promise((loaded) => addEventListener("load", loaded, {once: true}));
  return await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
}"""
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The ceiling for any one wait (an action, a navigation, an `expect`), generous so that a machine kept
# busy by other work makes tests slower, not red. Playwright's defaults are 30 s and 5 s for `expect`.
TIMEOUT_MS = 30_000

UrlMatch = str | re.Pattern[str] | Callable[[str], bool]
# What Chromium wrote to the console about the Content-Security-Policy during the current test.
CSP_VIOLATIONS: list[str] = []


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail("Chromium is not installed: run `make test`, which installs Debian's chromium package.")
    return path


@dataclass
class LiveServer:
    app: Flask
    url: str
    pages: list[tuple[str, str]] = field(default_factory=list)  # (request, HTML) of each page served


def closing_responses(app: Flask, pages: list[tuple[str, str]]):
    """Serve each response whole, its iterable closed before the first byte goes out; keep each HTML page.

    Werkzeug's development server skips close() when the browser drops a connection mid-response
    (a page navigated away while its icon loaded), leaving a static file open; with warnings as
    errors that ResourceWarning fails whichever test happens to be running. Gunicorn closes them.
    """

    def wsgi(environ, start_response):
        sent: dict[str, str] = {}

        def remember(status, headers, *args):
            sent["type"] = next((value for name, value in headers if name.lower() == "content-type"), "")
            return start_response(status, headers, *args)

        iterable = app(environ, remember)
        try:
            body = b"".join(iterable)
        finally:
            if hasattr(iterable, "close"):
                iterable.close()
        if sent.get("type", "").startswith("text/html"):
            query = environ.get("QUERY_STRING")
            request = f"{environ['REQUEST_METHOD']} {environ.get('PATH_INFO', '/')}" + (f"?{query}" if query else "")
            pages.append((request, body.decode("utf-8", "replace")))
        return [body]

    return wsgi


@contextmanager
def serving(app: Flask) -> Iterator[LiveServer]:
    """`app` served by a real HTTP server on a free port of 127.0.0.1, for as long as the block lasts."""
    pages: list[tuple[str, str]] = []
    server = make_server("127.0.0.1", 0, closing_responses(app, pages), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    # The socket is listening from make_server on, so a request sent before the thread runs waits in the
    # backlog rather than failing.
    try:
        yield LiveServer(app=app, url=f"http://127.0.0.1:{server.server_port}", pages=pages)
    finally:
        server.shutdown()  # returns once serve_forever has stopped
        server.server_close()
        thread.join()


@pytest.fixture(scope="module")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    """The app on its own fresh database, served by a real HTTP server on 127.0.0.1."""
    app, cleanup = make_test_app(tmp_path_factory.mktemp("live"), "browser")
    with serving(app) as server:
        app.config["ACADEMY_BASE_URL"] = server.url  # links in emails point at this server
        yield server
    cleanup()


@pytest.fixture(scope="session", autouse=True)
def _generous_expect_timeout() -> Iterator[None]:
    """`expect(...)` retries its condition for up to TIMEOUT_MS instead of Playwright's 5 s."""
    expect.set_options(timeout=TIMEOUT_MS)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def axe_violations(page: Page) -> list[str]:
    """Run axe-core on the current page, once it has loaded: one line per rule it breaks.

    Call it after a navigation has been waited for (`click_and_wait`, `page.goto`): waiting for `load`
    here covers the page's own subresources, not a navigation that has not started yet.
    """
    page.wait_for_load_state("load")
    if not AXE_SCRIPT.exists():
        pytest.fail("axe-core is missing: run `make test`, which installs the front-end packages.")
    if not page.evaluate("typeof axe !== 'undefined'"):  # unless the page loaded it as it opened
        # Evaluated through the DevTools protocol: an inline <script> tag would be refused by the page's
        # Content-Security-Policy, as it should be.
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    result = page.evaluate(AXE_RUN, AXE_TAGS)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


def a11y(page: Page) -> None:
    """Run axe-core on the current page and fail with the list of violations, if any."""
    violations = axe_violations(page)
    assert not violations, f"accessibility violations on {page.url}:\n" + "\n".join(violations)


def click_and_wait(page: Page, target: Locator, url: UrlMatch | None = None) -> Response | None:
    """Click a link or button that loads a new page; return once that page has fired `load`.

    `url` (a glob, a regular expression or a predicate on the full URL, as for `page.expect_navigation`)
    names the page expected: a navigation elsewhere does not count, and the wait fails at TIMEOUT_MS if
    the expected page never comes. Without it, any navigation of the page counts (a form shown again
    with its errors at the same address, say). The click happens inside the wait, so a navigation that
    starts and ends before this function looks cannot be missed, and one that has not started yet
    cannot be mistaken for the old page. Returns the new page's response (after any redirects).
    """
    with page.expect_navigation(url=url, wait_until="load") as navigation:
        target.click()
    return navigation.value


def new_page(context: BrowserContext) -> Page:
    """A page in `context` whose every action and navigation waits up to TIMEOUT_MS.

    Each Content-Security-Policy violation Chromium reports on it is kept, and fails the test at its end.
    """
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.set_default_navigation_timeout(TIMEOUT_MS)

    def note_csp_violation(message: ConsoleMessage) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            CSP_VIOLATIONS.append(f"{page.url}: {message.text}")

    page.on("console", note_csp_violation)
    return page


@pytest.fixture(autouse=True)
def no_csp_violations() -> Iterator[None]:
    """Fail a test during which any page broke the Content-Security-Policy."""
    CSP_VIOLATIONS.clear()
    yield
    violations = list(CSP_VIOLATIONS)
    CSP_VIOLATIONS.clear()
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)


@pytest.fixture(autouse=True)
def valid_html(live_server: LiveServer, tmp_path: Path) -> Iterator[None]:
    """Check every HTML page the server sends during the test with vnu, in one run at its end."""
    live_server.pages.clear()
    yield
    served: dict[str, str] = {}
    for number, (request, html) in enumerate(live_server.pages, start=1):
        served[f"page {number} ({request})"] = html
    live_server.pages.clear()
    invalid = html_errors(served, tmp_path / "vnu")
    assert not invalid, f"{len(invalid)} HTML errors (vnu) in the pages this test was served:\n" + "\n".join(invalid)


@pytest.fixture
def page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url)
    page = new_page(context)
    yield page
    if page.url.startswith(live_server.url):
        a11y(page)
    context.close()


def sign_in_through_browser(page: Page, email: str, password: str) -> None:
    """Sign in on the sign-in page (checked with axe) and wait for the home page it redirects to."""
    page.goto("/sign-in")
    a11y(page)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    click_and_wait(page, page.get_by_role("button", name="Sign in"), url=re.compile(r"/home/\w+$"))
