"""Every reachable page opens on an academy's first day, for each role (issue 13).

Two states, each on its own database: an empty academy (only the frameworks and one coordinator, plus
a member of staff and an NQSW with no records) and an academy with one brand-new participant with
nothing recorded. The crawl is the demo crawl's (tests/integration/test_crawl.py): every link each
person can follow from their home page, GET only, failing on any server error; every HTML page it
opens then goes to the Nu HTML Checker (vnu), all in one run per person, failing on any error.
"""

from collections.abc import Callable, Iterator

import pytest
from flask import Flask

from academy.extensions import db
from tests import factories
from tests.conftest import PASSWORD, make_test_app
from tests.integration.test_crawl import crawl
from tests.vnu import html_errors

STATES: dict[str, Callable[[], dict]] = {
    "empty": factories.make_empty_academy,
    "new_participant": factories.make_new_participant_academy,
}


@pytest.fixture(scope="module", params=list(STATES))
def first_day(request, tmp_path_factory) -> Iterator[tuple[Flask, dict[str, str]]]:
    app, cleanup = make_test_app(tmp_path_factory.mktemp(request.param), f"first_{request.param}")
    with app.app_context():
        people = STATES[request.param]()
        emails = {role: user.email for role, user in people.items()}
        db.session.commit()
    yield app, emails
    cleanup()


@pytest.mark.parametrize("role", ["coordinator", "mentor", "nqsw"])
def test_every_page_opens_on_the_first_day(first_day, role, tmp_path):
    app, emails = first_day
    client = app.test_client()
    token = client.csrf_token()
    response = client.post("/sign-in", data={"email": emails[role], "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    html: dict[str, str] = {}
    pages = crawl(client, html)
    errors = {url: code for url, code in pages.items() if code >= 500}
    assert not errors, f"server errors for the {role}: {errors}"
    assert len(pages) > 3
    invalid = html_errors(html, tmp_path / "pages")
    assert not invalid, f"{len(invalid)} HTML errors (vnu) on pages the {role} reaches:\n" + "\n".join(invalid)
