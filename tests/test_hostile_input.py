"""Hostile input never reaches a 500 and a refused post writes nothing.

Hypothesis posts random and hostile values (huge numbers, NaN and Infinity, Arabic-Indic and full-width
digits, very long strings, NUL and other control characters, impossible dates, spreadsheet formulas)
to every POST route in app.url_map, signed in as someone who may use it, and to both importers. The
field names come from the route's own page where it has one (with the choices it offers, so some
posts get past the form to the service) and otherwise from every form class in the app. After each
post: the answer is not a server error, and when the post was refused (4xx) no table gained or lost
a row.

The runs are derandomised (the same examples on every run and machine, so a failure reproduces),
with 25 examples a route; EXAMPLES_PER_ROUTE changes that.
"""

import csv
import io
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart
from wtforms import DateField, FileField
from wtforms.fields.core import UnboundField

from academy import create_app
from academy.assessment.models import Concern, Rating
from academy.assessment.services.outcomes import recommend_outcome
from academy.core import dates
from academy.core.forms import AcademyForm
from academy.evidence import services
from academy.evidence.attachments import add_attachment
from academy.evidence.models import EvidenceType
from academy.extensions import db
from academy.feedback.services import NewRequest, request_feedback
from academy.frameworks.models import ElementMapping, Framework
from academy.notifications.models import Notification
from config import TestConfig
from tests import factories, zips
from tests.conftest import BOOKKEEPING_TABLES, PASSWORD, FormClient, make_test_app

EXAMPLES_PER_ROUTE = int(os.environ.get("HOSTILE_EXAMPLES", "25"))
HYPOTHESIS = settings(
    max_examples=EXAMPLES_PER_ROUTE,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Not posted to at random, each for a reason:
NOT_POSTED = {
    # Starts a real batch: worker processes that render PDFs (its form is one button; the batch tests
    # post it). Its input is the URL's cohort id, which every other cohort route shares.
    "reports.batches": "starts worker processes",
    # Needs a cohort moved to a new framework version (tests/cohorts/test_moves.py posts it). Its form
    # is one button; its input is the URL's move id, which the id converter bounds for every route.
    "frameworks.undo_move": "needs a framework upgrade",
}

# --- values -------------------------------------------------------------------------------------

HOSTILE_TEXT = [
    "",
    " ",
    "NaN",
    "nan",
    "inf",
    "-Infinity",
    "1e309",
    "١٢٣",  # Arabic-Indic digits
    "٣.٥",
    "１２",  # full-width digits
    "9" * 25,
    "-" + "9" * 25,
    "2147483648",
    "-1",
    "0",
    "0.000000001",
    "3.14159265358979323846",
    "\x00",
    "a\x00b",
    "\x1b[31m",
    "\u202etxt.exe",
    '=HYPERLINK("https://evil.example","x")',
    "@SUM(A1:A9)",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    # Lengths just past common column sizes, the default cap, and past a text area's cap.
    "a" * 101,
    "b" * 201,
    "c" * 301,
    "d" * 501,
    "e" * 1000,
    "x" * 1001,
    "y" * 20_001,
    "🙂" * 300,
    "\r\n\t",
    "31/02/2026",
    "0001-01-01",
    "9999-12-31",
]
GOOD_TEXT = ["Supervision notes", "3", "1.5", "0.6", "12", "someone@example.org", "yes", "no"]
DATE_PARTS = ["0", "1", "7", "9", "12", "13", "29", "31", "2", "1899", "1900", "2026", "2201", "9999", "0001"]
DATE_PARTS += ["١", "٢٠٢٦", "-1", "", " ", "1e3", "NaN"]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def hostile_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(HOSTILE_TEXT),
        st.text(max_size=40),
        st.integers(min_value=0, max_value=1100).map(lambda n: "L" * n),  # every column size up to the cap
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(str),
    )


def files() -> st.SearchStrategy[tuple[bytes, str]]:
    deep_json = ("[" * 100_000 + "]" * 100_000).encode()
    return st.one_of(
        st.sampled_from(
            [
                (b"", "empty.csv"),
                (PDF, "notes.pdf"),
                (b"PK\x03\x04" + b"0" * 40, "broken.docx"),
                (zips.odt_bomb(256 * 1024), "bomb.odt"),
                (deep_json, "deep.json"),
                ('{"elements": ' * 2000 + "1" + "}" * 2000).encode(),
            ]
        ).map(lambda item: item if isinstance(item, tuple) else (item, "nested.json")),
        hostile_text().map(lambda text: (text.encode("utf-8"), "hostile.csv")),
        st.binary(max_size=200).map(lambda data: (data, "random.csv")),
    )


def date_value(good: list[list[str]]) -> st.SearchStrategy[list[str]]:
    part = st.one_of(st.sampled_from(DATE_PARTS), st.text(max_size=5))
    return st.one_of(st.sampled_from(good), st.lists(part, min_size=0, max_size=4))


# --- the forms: names and kinds -------------------------------------------------------------------


def all_form_classes() -> list[type]:
    found, stack = [], [AcademyForm]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            found.append(sub)
            stack.append(sub)
    return found


def field_catalogue() -> dict[str, str]:
    """Every field name of every form class in the app, with its kind: "date", "file" or "text"."""
    kinds: dict[str, str] = {}
    for cls in all_form_classes():
        for name in dir(cls):
            unbound = getattr(cls, name, None)
            if isinstance(unbound, UnboundField) and name != "csrf_token":
                field_class = unbound.field_class
                kind = (
                    "date"
                    if issubclass(field_class, DateField)
                    else "file"
                    if issubclass(field_class, FileField)
                    else "text"
                )
                kinds.setdefault(name, kind)
    return kinds


class PageForm(HTMLParser):
    """The fields of each form on a page, by the form's action, and the values the page offers for them
    (options, radios, checkboxes, inputs' values)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: dict[str, dict[str, set[str]]] = {}
        self.kinds: dict[str, str] = {}
        self._action = ""
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name")
        values = self.forms.setdefault(self._action, {})
        if tag == "form":
            self._action = a.get("action", "")
        elif tag == "select" and name:
            self._select = name
            values.setdefault(name, set())
        elif tag == "option" and self._select:
            values[self._select].add(a.get("value", ""))
        elif tag in ("input", "textarea", "button") and name and name != "csrf_token":
            values.setdefault(name, set())
            if a.get("type") == "file":
                self.kinds[name] = "file"
            elif a.get("value"):
                values[name].add(a["value"])
            if "govuk-date-input__input" in a.get("class", ""):
                self.kinds[name] = "date"

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "form":
            self._action = ""


def fields_posted_to(client, url: str) -> tuple[dict[str, set[str]], dict[str, str]] | None:
    """The fields of the forms that post to `url`, read from `url`'s own page or, for a route that only
    takes posts, from the nearest page above it (/evidence/1 for /evidence/1/submit). None if no page
    has such a form."""
    path = url
    while path.count("/") >= 1 and path:
        page = client.get(path)
        if page.status_code == 200:
            parser = PageForm()
            parser.feed(page.get_data(as_text=True))
            fields = parser.forms.get(url) or (parser.forms.get("") if path == url else None)
            if fields:
                return fields, parser.kinds
        path = path.rsplit("/", 1)[0]
    return None


def form_values(fields: dict[str, set[str]], kinds: dict[str, str]) -> st.SearchStrategy[dict[str, Any]]:
    today = dates.today()
    good_dates = [["7", "9", "2026"], [str(today.day), str(today.month), str(today.year)]]
    strategies = {}
    for name, offered in sorted(fields.items()):
        kind = kinds.get(name, "text")
        if kind == "date":
            value = date_value(good_dates)
        elif kind == "file":
            value = files()
        else:
            single = st.one_of(st.sampled_from(sorted(offered) + GOOD_TEXT), hostile_text())
            value = st.one_of(single, st.lists(single, min_size=2, max_size=3))
        strategies[name] = st.one_of(st.none(), value)  # None: the field is left out of the post
    return st.fixed_dictionaries(strategies)


# --- the world every route is posted to ----------------------------------------------------------


@dataclass
class World:
    app: Flask
    people: dict[str, Any]
    ids: dict[str, int]
    tokens: dict[str, str]  # a live link's token, by the blueprint whose public pages take it


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Iterator[World]:
    """One app on its own database, with every kind of record the routes act on, committed. The routes
    are posted to one after another, so a post that succeeds changes what later ones see; what each
    test checks (no 500, a refusal writes nothing) holds whatever the state."""
    folder = tmp_path_factory.mktemp("hostile")
    # Sign-in throttling would lock the test's address after the sign-in route's refused posts.
    app, cleanup = make_test_app(folder, "hostile", LOGIN_MAX_FAILURES=10**6)
    app.test_client_class = FormClient
    with app.app_context():
        team = factories.make_team()
        participant = team.participant
        coordinator = factories.make_user(("coordinator",), name="Casey Coordinator")
        draft = factories.make_entry(participant, submit=False, title="A draft")
        to_submit = factories.make_entry(participant, submit=False, title="A draft to submit")
        submitted = factories.make_entry(participant, title="Submitted")
        observed = services.create_evidence(
            participant,
            by=team.assessor,
            type=EvidenceType.DIRECT_OBSERVATION,
            title="Observed by the assessor",
            activity_date=dates.today(),
            narrative="What was seen.",
            **factories.EVIDENCE_FIELDS[EvidenceType.DIRECT_OBSERVATION],
        )
        attachment = add_attachment(draft, by=participant.user, filename="notes.pdf", data=PDF)
        factories.rate_everything(participant, team.assessor, skip=1)
        factories.concern_before_a_review(team)  # the 6-month review waits for the NQSW's signature
        ready = factories.make_team(cohort=participant.cohort)  # a second NQSW, recommended to the panel
        factories.meet_evidence_minimums(ready.participant, ready.assessor)
        factories.rate_everything(ready.participant, ready.assessor)
        factories.sign_final_review(ready)
        outcome = recommend_outcome(ready.participant, "pass", by=ready.assessor, narrative="Meets the level.")
        mapping = db.session.scalars(sa.select(ElementMapping)).first()
        framework = mapping.from_element.framework if mapping else participant.cohort.frameworks[0]
        other = db.session.scalars(sa.select(Framework).where(Framework.id != framework.id)).first()
        rating = db.session.scalars(sa.select(Rating)).first()
        notification = db.session.scalars(
            sa.select(Notification).where(Notification.recipient_id == team.assessor.id)
        ).first()
        concern = db.session.scalars(sa.select(Concern)).first()
        spare = factories.make_user(("mentor",), name="Spare Staff")
        # An outside person asked for feedback by email: their link is posted to without an account.
        feedback_request, feedback_token = request_feedback(
            participant,
            NewRequest(
                relationship="professional",
                name="Pat Partner",
                email="pat.partner@example.org",
                about="A strategy meeting",
                activity_date=dates.today(),
                message="",
                element_ids=[factories.elements(participant)[0].id],
            ),
            by=participant.user,
        )
        ids = {
            "participant_id": participant.id,
            "cohort_id": participant.cohort_id,
            "entry_id": draft.id,
            "submitted_entry_id": submitted.id,
            "to_submit_entry_id": to_submit.id,
            "mapping_id": mapping.id if mapping else 1,
            "observed_entry_id": observed.id,
            "attachment_id": attachment.id,
            "milestone_id": factories.team_milestone(team).id,
            "signing_milestone_id": factories.team_milestone(team, "review_6m").id,
            "framework_id": framework.id,
            "element_id": framework.elements[0].id,
            "target_id": other.id if other else framework.id,
            "programme_id": participant.cohort.programme_id,
            "user_id": spare.id,
            "notification_id": notification.id if notification else 1,
            "concern_id": concern.id if concern else 1,
            "rating_id": rating.id if rating is not None else 1,
            "outcome_id": outcome.id,
            "request_id": feedback_request.id,
        }
        tokens = {"feedback": feedback_token}
        people = {
            "coordinator": coordinator,
            "assessor": team.assessor,
            "nqsw": participant.user,
            "mentor": team.mentor,
            "line manager": team.line_manager,
        }
        db.session.commit()
        people = {role: user.email for role, user in people.items()}
        db.session.remove()
    try:
        yield World(app, people, ids, tokens)
    finally:
        cleanup()


@pytest.fixture
def hostile_client(world: World) -> FormClient:
    return world.app.test_client()


@pytest.fixture(scope="module")
def signed_in(world: World) -> dict[str, tuple[FormClient, str]]:
    """A client for each kind of person, signed in once for the module, with its CSRF token."""
    clients = {}
    for role, email in world.people.items():
        client = world.app.test_client()
        clients[role] = (client, sign_in_as(client, email))
    return clients


# URL arguments that are not ids, by endpoint: each set of values is posted to as a route of its own.
VARIANTS: dict[str, list[dict[str, str]]] = {
    "participants.lifecycle_action": [{"action": "fte"}, {"action": "pause"}, {"action": "end"}],
    "evidence.new": [{"type_code": "direct_observation"}, {"type_code": "learning"}],
    "accounts.person_active": [{"action": "deactivate"}],
}
# Open to anyone, or answered by the sign-in page whoever posts: posted to signed in as the NQSW.
ANYONE = {"accounts.sign_in", "accounts.sign_out", "accounts.forgot_password", "accounts.set_password"}
# Public pages for people without an account (an outside person answering a feedback link): posted to signed out.
OUTSIDE = {"feedback.start", "feedback.answer"}
# Ids that differ by endpoint: an entry waiting for review rather than a draft, one the assessor wrote,
# a review waiting for the NQSW's signature.
IDS_FOR = {
    "assessment.accept": {"entry_id": "submitted_entry_id"},
    "assessment.return_entry": {"entry_id": "submitted_entry_id"},
    "evidence.reflect": {"entry_id": "observed_entry_id"},
    "evidence.submit": {"entry_id": "to_submit_entry_id"},
    "assessment.comment_review": {"milestone_id": "signing_milestone_id"},
    "assessment.sign_review": {"milestone_id": "signing_milestone_id"},
}
ARGUMENT = re.compile(r"<(?:(?P<converter>\w+)(?:\([^)]*\))?:)?(?P<name>\w+)>")


def url_for_rule(
    rule: str, endpoint: str, words: dict[str, str], ids: dict[str, int], tokens: dict[str, str] | None = None
) -> str:
    def value(match: re.Match) -> str:
        name = match["name"]
        if name in words:
            return words[name]
        if name == "token" and endpoint.split(".")[0] in (tokens or {}):
            return (tokens or {})[endpoint.split(".")[0]]
        if name in IDS_FOR.get(endpoint, {}):
            return str(ids[IDS_FOR[endpoint][name]])
        if name in ids:
            return str(ids[name])
        return "x"  # a token: an unknown one is refused

    return ARGUMENT.sub(value, rule)


def post_endpoints() -> list[tuple[str, str, dict[str, str]]]:
    """(endpoint, rule, values of its word arguments) for every POST route, one per variant."""
    return sorted(
        ((rule.endpoint, rule.rule, words) for rule in URL_MAP for words in VARIANTS.get(rule.endpoint, [{}])),
        key=lambda route: (route[0], sorted(route[2].items())),
    )


def row_counts(app: Flask) -> tuple[int, ...]:
    """Rows in every table but bookkeeping, in one query (in an app context of its own, as a request has)."""
    with app.app_context():
        tables = [table for table in db.metadata.sorted_tables if table.name not in BOOKKEEPING_TABLES]
        counts = db.session.execute(
            sa.select(*[sa.select(sa.func.count()).select_from(table).scalar_subquery() for table in tables])
        ).one()
        db.session.remove()
    return tuple(counts)


def encode(token: str, values: dict[str, Any]) -> tuple[bytes, str]:
    fields = MultiDict({"csrf_token": token})
    for name, value in values.items():
        if value is None:
            continue
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, tuple):
                fields.add(name, FileStorage(io.BytesIO(item[0]), filename=item[1]))
            else:
                fields.add(name, item)
    boundary, body = encode_multipart(fields)
    return body, f"multipart/form-data; boundary={boundary}"


def sign_in_as(client, email: str) -> str:
    with client.session_transaction() as session:
        session.clear()
    response = client.post_form("/sign-in", {"email": email, "password": PASSWORD})
    assert response.status_code == 302, f"{email} could not sign in"
    return client.csrf_token("/account/password")


def user_for(signed_in: dict[str, tuple[FormClient, str]], url: str) -> tuple[FormClient, str] | None:
    """The client of the first kind of person the route lets in (a post with only the CSRF token is not
    refused with 403 or 404), and its CSRF token."""
    for client, token in signed_in.values():
        body, content_type = encode(token, {})
        response = client.post(url, data=body, content_type=content_type)
        assert response.status_code < 500, f"{url}: {response.status_code} with an empty post"
        if response.status_code not in (403, 404) and "/sign-in" not in (response.location or ""):
            return client, token
    return None


def prefixes_of(found: tuple[dict[str, set[str]], dict[str, str]] | None) -> list[str]:
    names = found[0] if found else {}
    return [name.removesuffix("csrf_token") for name in names if name.endswith("-csrf_token")]


def refused_posts_write_nothing(
    app: Flask, client, url: str, token: str, *, prefixes: list[str] = ()
) -> Callable[[dict[str, Any]], None]:
    def post(values: dict[str, Any]) -> None:
        before = row_counts(app)
        body, content_type = encode(token, values | {f"{prefix}csrf_token": token for prefix in prefixes})
        response = client.post(url, data=body, content_type=content_type)
        assert response.status_code < 500, f"{url}: {response.status_code}"
        if response.status_code >= 400:
            assert row_counts(app) == before, f"{url}: a refused post ({response.status_code}) changed the rows"

    return post


URL_MAP = [
    rule
    for rule in create_app(TestConfig()).url_map.iter_rules()
    if "POST" in (rule.methods or ()) and rule.endpoint not in NOT_POSTED
]
CATALOGUE = field_catalogue()


@pytest.mark.parametrize(
    ("endpoint", "rule", "words"),
    post_endpoints(),
    ids=lambda value: value if isinstance(value, str) else "-".join(value.values()) or "-",
)
def test_every_form_refuses_hostile_values_without_a_500_or_a_partial_write(
    hostile_client, signed_in, world, endpoint, rule, words
):
    url = url_for_rule(rule, endpoint, words, world.ids, world.tokens)
    if endpoint in OUTSIDE:
        client = hostile_client
        client.get("/sign-out")
        token = client.csrf_token()  # the session's token, from the sign-in page (the link may be used up)
    elif endpoint in ANYONE:
        client = hostile_client
        token = sign_in_as(client, world.people["nqsw"])
    else:
        chosen = user_for(signed_in, url)
        assert chosen is not None, f"nobody in the test world may post to {url}: give the world what it needs"
        client, token = chosen
    found = fields_posted_to(client, url)
    if found is not None:
        fields, kinds = found
        kinds = {name: kinds.get(name) or CATALOGUE.get(name, "text") for name in fields}
    else:  # no page shows the form (its record is gone, or it is one button): every field name of every form
        fields, kinds = {name: set() for name in CATALOGUE}, CATALOGUE
    # A form with a prefix names its CSRF field after it ("fte-csrf_token"): it gets the session's token.
    fields = {name: offered for name, offered in fields.items() if not name.endswith("csrf_token")}
    post = refused_posts_write_nothing(world.app, client, url, token, prefixes=prefixes_of(found))
    given(form_values(fields, kinds))(HYPOTHESIS(post))()


# --- the two importers ----------------------------------------------------------------------------

CSV_CELLS = st.one_of(
    st.sampled_from([*HOSTILE_TEXT, "ada@example.org", "2026-09-07", "1.0", "permanent"]), st.text(max_size=20)
)
COHORT_HEADER = factories.ENROLMENT_CSV_HEADER.strip().split(",")


def csv_text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


@st.composite
def cohort_files(draw) -> bytes:
    header = draw(
        st.one_of(st.just(COHORT_HEADER), st.lists(st.sampled_from([*COHORT_HEADER, "=cmd", ""]), max_size=12))
    )
    rows = draw(st.lists(st.lists(CSV_CELLS, max_size=12), max_size=6))
    text = csv_text([header, *rows])
    return draw(st.sampled_from([text.encode("utf-8"), text.encode("utf-8")[:-3] + b"\xff\x00\n"]))


def test_the_cohort_import_refuses_hostile_files_and_imports_all_or_nothing(hostile_client, world):
    client = hostile_client
    token = sign_in_as(client, world.people["coordinator"])
    url = f"/cohorts/{world.ids['cohort_id']}/import"

    @HYPOTHESIS
    @given(cohort_files())
    def upload_then_confirm(data: bytes) -> None:
        before = row_counts(world.app)
        body, content_type = encode(token, {"file": (data, "people.csv")})
        preview = client.post(url, data=body, content_type=content_type)
        assert preview.status_code in (200, 400)
        assert row_counts(world.app) == before  # checking a file writes nothing
        html = preview.get_data(as_text=True)
        confirm = re.search(r'action="(/cohorts/\d+/import/[^"]+)"', html)
        if preview.status_code != 200 or not confirm:
            return
        people = int(re.search(r"Enrol all (\d+) people", html)[1])
        participants_before = _count(world.app, "participant")
        body, content_type = encode(token, {})
        done = client.post(confirm[1], data=body, content_type=content_type)
        assert done.status_code < 500
        assert _count(world.app, "participant") - participants_before in (0, people)  # all rows or none

    upload_then_confirm()


def _count(app: Flask, table: str) -> int:
    with app.app_context():
        count = db.session.scalar(sa.select(sa.func.count()).select_from(sa.table(table))) or 0
        db.session.remove()
    return count


JSON_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.sampled_from(HOSTILE_TEXT)
)
ELEMENT_KEYS = st.sampled_from(["number", "title", "description", "level", "children", "x"])
CHILD = st.dictionaries(ELEMENT_KEYS, JSON_SCALARS, max_size=5)
ELEMENT = st.dictionaries(ELEMENT_KEYS, st.one_of(JSON_SCALARS, st.lists(CHILD, max_size=3)), max_size=6)
JSON_VALUES = st.one_of(JSON_SCALARS, ELEMENT, st.lists(ELEMENT, max_size=2))


@st.composite
def framework_files(draw) -> tuple[bytes, str]:
    if draw(st.booleans()):
        rows = draw(st.lists(st.lists(CSV_CELLS, min_size=5, max_size=6), max_size=6))
        header = ["number", "parent_number", "title", "description", "level"]
        return csv_text([header, *rows]).encode(), "framework.csv"
    document = {
        "code": draw(st.sampled_from(["ECS_TEST", "", "x" * 50, "=SUM(1)", "\x00"])),
        "name": draw(st.sampled_from(HOSTILE_TEXT)),
        "publisher": "DfE",
        "version": draw(st.sampled_from(["2027", "١", "9" * 50])),
        "valid_from": draw(st.sampled_from(["2027-04-01", "0001-01-01", "2027-02-30", "", "١٢"])),
        "service_area": "child_family",
        "source": "A source",
        "elements": draw(st.lists(JSON_VALUES, max_size=4)),
    }
    return json.dumps(document).encode(), "framework.json"


def test_the_framework_import_refuses_hostile_files_without_a_500_or_a_partial_write(hostile_client, world):
    client = hostile_client
    token = sign_in_as(client, world.people["coordinator"])

    @HYPOTHESIS
    @given(
        framework_files(),
        st.fixed_dictionaries(
            {
                name: hostile_text()
                for name in ("code", "name", "version", "publisher", "valid_from", "valid_to", "source")
            }
        ),
    )
    def upload(file: tuple[bytes, str], details: dict[str, str]) -> None:
        before = row_counts(world.app)
        body, content_type = encode(token, {"file": file, "service_area": "child_family", **details})
        response = client.post("/frameworks/import", data=body, content_type=content_type)
        assert response.status_code < 500
        if response.status_code >= 400:
            assert row_counts(world.app) == before

    upload()


def test_every_post_route_is_posted_to_or_excused(app):
    posted = {endpoint for endpoint, _, _ in post_endpoints()}
    every = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in (rule.methods or ())}
    assert every == posted | set(NOT_POSTED)
