"""Every page a person can reach from their home page in the demo academy opens without a server error
and is valid HTML.

A breadth-first walk over the links each role sees (GET only, this site only), in the seeded demo:
it catches pages that break on real data which the feature tests' small fixtures do not have. Every
HTML page the walk opens then goes to the Nu HTML Checker (vnu), all in one run per person.
"""

import re
from collections import Counter, deque
from urllib.parse import urldefrag, urlsplit

import pytest

from tests.conftest import FormClient
from tests.vnu import html_errors

LINK = re.compile(r'href="([^"#][^"]*)"')
SKIP = re.compile(r"^/(static|sign-out)|\.(pdf|zip)$|/download$|/attachments/")
LIMIT = 300  # pages per person, bounded for speed
PER_SHAPE = 3  # pages of one shape (ids replaced by N): enough to catch data-dependent errors


def shape(url: str) -> str:
    parts = urlsplit(url)
    keys = sorted(pair.split("=")[0] for pair in parts.query.split("&") if pair)
    return re.sub(r"\d+", "N", parts.path) + "?" + "&".join(keys)


def crawl(client: FormClient, html: dict[str, str] | None = None) -> dict[str, int]:
    """Status of each page reached; each HTML page's text goes into `html` (url: text) when given."""
    seen: dict[str, int] = {}
    shapes: Counter[str] = Counter()
    queue = deque(["/"])
    while queue and len(seen) < LIMIT:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url, follow_redirects=True)
        seen[url] = response.status_code
        if response.mimetype != "text/html":
            continue
        text = response.get_data(as_text=True)
        if html is not None:
            html[url] = text
        for href in LINK.findall(text):
            href = urldefrag(href.replace("&amp;", "&"))[0]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not href.startswith("/") or SKIP.search(parts.path):
                continue
            if href not in seen and shapes[shape(href)] < PER_SHAPE:
                shapes[shape(href)] += 1
                queue.append(href)
    return seen


# A coordinator, an assessor (mentor) and NQSWs early, midway and late in the programme.
PEOPLE = [
    "coordinator@example.org",
    "mentor1@example.org",
    "nqsw1@example.org",
    "nqsw20@example.org",
    "nqsw40@example.org",
]


def signed_in_client(demo_academy, email: str) -> FormClient:
    client = demo_academy.app.test_client()
    token = client.csrf_token()
    response = client.post(
        "/sign-in", data={"email": email, "password": demo_academy.app.config["DEMO_PASSWORD"], "csrf_token": token}
    )
    assert response.status_code == 302
    return client


@pytest.mark.parametrize("email", PEOPLE)
def test_every_reachable_page_opens(demo_academy, email, tmp_path):
    html: dict[str, str] = {}
    pages = crawl(signed_in_client(demo_academy, email), html)
    errors = {url: code for url, code in pages.items() if code >= 500}
    assert not errors, f"server errors for {email}: {errors}"
    assert len(pages) > 5
    invalid = html_errors(html, tmp_path / "pages")
    assert not invalid, f"{len(invalid)} HTML errors (vnu) on pages {email} reaches:\n" + "\n".join(invalid)
