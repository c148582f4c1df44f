"""The demo academy in Chromium: every kind of page each role reaches has no axe-core violation.

The walk of tests/integration/test_crawl.py finds the pages (through the test client, quickly); the
first HTML page of each URL shape (ids replaced by N, as the walk counts them) is then opened in
Chromium, signed in as the same person, and checked with axe-core. One page per shape keeps the
browser suite quick: vnu checks every page of the walk in tests/integration/test_crawl.py, and the
live server hands the pages it sends here to vnu too (see conftest.valid_html).
"""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import AXE_SCRIPT, LiveServer, axe_violations, serving, sign_in_through_browser
from tests.conftest import DemoAcademyApp
from tests.integration.test_crawl import PEOPLE, crawl, shape, signed_in_client


@pytest.fixture(scope="module")
def live_server(demo_academy: DemoAcademyApp) -> Iterator[LiveServer]:
    """The seeded demo academy, served (instead of the fresh, empty app of the other browser tests)."""
    with serving(demo_academy.app) as server:
        yield server


@pytest.mark.parametrize("email", PEOPLE)
def test_every_reachable_page_is_accessible(page: Page, demo_academy: DemoAcademyApp, email: str):
    html: dict[str, str] = {}
    statuses = crawl(signed_in_client(demo_academy, email), html)
    assert len(html) > 5
    sign_in_through_browser(page, email, demo_academy.app.config["DEMO_PASSWORD"])
    if AXE_SCRIPT.exists():  # each page loads axe-core as it opens: quicker than adding it to each
        page.context.add_init_script(path=str(AXE_SCRIPT))
    one_per_shape: dict[str, str] = {}
    for url in html:
        one_per_shape.setdefault(shape(url), url)
    failures = []
    for url in one_per_shape.values():
        response = page.goto(url)
        assert response is not None, url
        assert response.status == statuses[url], f"{url} answered {response.status}, not {statuses[url]}"
        failures += [f"{url}: {violation}" for violation in axe_violations(page)]
    assert not failures, f"{len(failures)} accessibility violations (axe-core) on pages {email} reaches:\n" + "\n".join(
        failures
    )
