"""End-to-end fixtures: the app served on a free local port, Chromium driven by Playwright, axe-core, vnu.

Every browser test checks each page it reaches with axe-core (WCAG 2.2 AA rules) and fails on any
violation: call `a11y(page)` after each navigation; the final page is checked again at teardown.
Every HTML page the server sends during a test is also checked with the Nu HTML Checker (vnu), all
in one run at the end of the test, which fails on any error (with the request, line and message).
"""

import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, sync_playwright
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
    try:
        yield LiveServer(app=app, url=f"http://127.0.0.1:{server.server_port}", pages=pages)
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    """The app on its own fresh database, served by a real HTTP server on 127.0.0.1."""
    app, cleanup = make_test_app(tmp_path_factory.mktemp("live"), "browser")
    with serving(app) as server:
        yield server
    cleanup()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def axe_violations(page: Page) -> list[str]:
    """Run axe-core on the current page: one line per rule it breaks."""
    if not AXE_SCRIPT.exists():
        pytest.fail("axe-core is missing: run `make test`, which installs the front-end packages.")
    if not page.evaluate("typeof axe !== 'undefined'"):  # unless the page loaded it as it opened
        page.add_script_tag(path=str(AXE_SCRIPT))
    result = page.evaluate(AXE_RUN, AXE_TAGS)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


def a11y(page: Page) -> None:
    """Run axe-core on the current page and fail with the list of violations, if any."""
    violations = axe_violations(page)
    assert not violations, f"accessibility violations on {page.url}:\n" + "\n".join(violations)


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
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    if page.url.startswith(live_server.url):
        a11y(page)
    context.close()


def sign_in_through_browser(page: Page, email: str, password: str) -> None:
    page.goto("/sign-in")
    a11y(page)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
