"""Load test: 50 people at once in mixed workflows, against the demo academy on 127.0.0.1 only.

Run through `benchmarks/locust_run.py` (or `make locust`), which seeds a fresh demo database, serves
it with gunicorn, runs this file headless for 60 seconds and then checks that every write is stored.

- NQSWs (nqsw1..nqsw45@example.org) read their home and logs, add protected time and draft evidence;
- mentors (mentor1..mentor10) read their home and the portfolios of the NQSWs they support, record
  supervision, and return submitted evidence with feedback;
- coordinators browse cohorts, a cohort's page, the retention dashboard and the reports page.

Every write carries the run's tag (LOCUST_RUN) and is counted here; at the end the counts are written
to LOCUST_WRITES (a JSON file) for the runner to compare with the database.
"""

import itertools
import json
import os
import random
import re
import threading
from collections import defaultdict
from datetime import date, datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from locust import HttpUser, between, events, task

RUN = os.environ.get("LOCUST_RUN", "locust")
PASSWORD = os.environ.get("ACADEMY_DEMO_PASSWORD", "demo-password-2026")
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')
PARTICIPANT_LINK = re.compile(r"/participants/(\d+)(?:/|\")")
REVIEW_LINK = re.compile(r"/assessment/evidence/(\d+)")

_numbers = {kind: itertools.count(1) for kind in ("nqsw", "mentor", "coordinator")}
_lock = threading.Lock()
writes: dict[str, list] = defaultdict(list)  # kind of write -> what identifies each one


def today() -> date:
    """Today in England, as the app counts days."""
    return datetime.now(ZoneInfo("Europe/London")).date()


def _next(kind: str, limit: int) -> int:
    with _lock:
        return (next(_numbers[kind]) - 1) % limit + 1


def _record(kind: str, value) -> None:
    with _lock:
        writes[kind].append(value)


@events.init.add_listener
def _only_local(environment, **_kwargs) -> None:
    host = urlsplit(environment.host or "").hostname
    if host not in {"127.0.0.1", "localhost"}:
        raise SystemExit(f"This load test runs against 127.0.0.1 only, not {host!r}.")


@events.quitting.add_listener
def _save_writes(environment, **_kwargs) -> None:
    path = os.environ.get("LOCUST_WRITES")
    if path:
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(writes, handle)


class Person(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    role = ""
    count = 1

    def csrf(self, html: str) -> str:
        match = CSRF.search(html)
        return (match.group(1) or match.group(2)) if match else ""

    def on_start(self) -> None:
        self.number = _next(self.role, self.count)
        email = f"{self.role}{self.number}@example.org" if self.number > 1 or self.role != "coordinator" else ""
        email = email or "coordinator@example.org"
        page = self.client.get("/sign-in", name="/sign-in")
        with self.client.post(
            "/sign-in",
            data={"csrf_token": self.csrf(page.text), "email": email, "password": PASSWORD},
            allow_redirects=False,
            name="/sign-in [post]",
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-in as {email} gave {response.status_code}")
        self.home = self.client.get("/", name="/ (home)").text
        self.participants = sorted({int(pid) for pid in PARTICIPANT_LINK.findall(self.home)})

    def post_form(self, url: str, form_page: str, data: dict, name: str) -> bool:
        """Post `data` with the CSRF token of `form_page`; a redirect means it was saved."""
        page = self.client.get(form_page, name=name)
        data = {"csrf_token": self.csrf(page.text), **data}
        with self.client.post(url, data=data, allow_redirects=False, name=f"{name} [post]", catch_response=True) as r:
            if r.status_code != 302:
                r.failure(f"{url} answered {r.status_code}, not a redirect")
                return False
        return True


class NQSW(Person):
    weight = 30
    role = "nqsw"
    count = 45

    @task(3)
    def read_home_and_logs(self) -> None:
        self.client.get("/", name="/ (home)")
        if self.participants:
            url = f"/participants/{self.participants[0]}/protected-time"
            self.client.get(url, name="/participants/[id]/protected-time")

    @task(2)
    def add_protected_time(self) -> None:
        if not self.participants:
            return
        url = f"/participants/{self.participants[0]}/protected-time"
        activity = f"{RUN} {self.number} time {random.getrandbits(48):x}"
        day = today()
        data = {"taken_on": [str(day.day), str(day.month), str(day.year)], "hours": "1.5", "activity": activity}
        if self.post_form(url, url, data, "/participants/[id]/protected-time"):
            _record("protected_time", activity)

    @task(2)
    def add_draft_evidence(self) -> None:
        if not self.participants:
            return
        url = f"/participants/{self.participants[0]}/evidence/new/learning"
        title = f"{RUN} {self.number} evidence {random.getrandbits(48):x}"
        day = today()
        data = {
            "title": title,
            "activity_date": [str(day.day), str(day.month), str(day.year)],
            "narrative": "What I learned at the team's practice session, and how I will use it.",
            "hours": "2",
            "save": "Save as draft",
        }
        if self.post_form(url, url, data, "/participants/[id]/evidence/new/[type]"):
            _record("evidence", title)


class Mentor(Person):
    weight = 12
    role = "mentor"
    count = 10

    @task(3)
    def read_home_and_a_portfolio(self) -> None:
        home = self.client.get("/", name="/ (home)").text
        if self.participants:
            pid = random.choice(self.participants)
            self.client.get(f"/participants/{pid}", name="/participants/[id]")
            self.client.get(f"/participants/{pid}/evidence", name="/participants/[id]/evidence")
        self.reviews = sorted({int(eid) for eid in REVIEW_LINK.findall(home)})

    @task(1)
    def record_supervision(self) -> None:
        if not self.participants:
            return
        url = f"/participants/{random.choice(self.participants)}/supervision"
        day = today()
        data = {
            "held_on": [str(day.day), str(day.month), str(day.year)],
            "kind": "reflective",
            "was_held": "yes",
            "duration_minutes": "60",
        }
        page = self.client.get(url, name="/participants/[id]/supervision")
        if "Record supervision" not in page.text:  # they read this log but do not record it (not the assessor)
            return
        if self.post_form(url, url, data, "/participants/[id]/supervision"):
            _record("supervision", url)

    @task(1)
    def return_evidence(self) -> None:
        reviews = getattr(self, "reviews", [])
        if not reviews:
            return
        entry = reviews.pop(random.randrange(len(reviews)))
        with self.client.get(
            f"/assessment/evidence/{entry}", name="/assessment/evidence/[id]", catch_response=True
        ) as response:
            if response.status_code in (403, 404):
                # Decided a moment ago by the NQSW's other reviewer (assessor or mentor): no longer theirs.
                response.success()
                return
            page = response.text
        match = re.search(r'name="return-csrf_token" type="hidden" value="([^"]+)"', page)
        token = match.group(1) if match else self.csrf(page)
        data = {"return-csrf_token": token, "csrf_token": token, "return-feedback": f"{RUN}: please add detail."}
        with self.client.post(
            f"/assessment/evidence/{entry}/return",
            data=data,
            allow_redirects=False,
            name="/assessment/evidence/[id]/return [post]",
            catch_response=True,
        ) as response:
            if response.status_code == 302:
                _record("returned", entry)
            elif response.status_code in (400, 403, 404, 409):
                # Another mentor of the same NQSW got there first: the page says so; not an error.
                response.success()
            else:
                response.failure(f"returning evidence {entry} answered {response.status_code}")


class Coordinator(Person):
    weight = 8
    role = "coordinator"
    count = 2

    @task(2)
    def browse_cohorts(self) -> None:
        page = self.client.get("/cohorts", name="/cohorts").text
        cohorts = sorted(set(re.findall(r'href="/cohorts/(\d+)"', page)))
        if cohorts:
            self.client.get(f"/cohorts/{random.choice(cohorts)}", name="/cohorts/[id]")

    @task(1)
    def retention(self) -> None:
        self.client.get("/retention/", name="/retention/")

    @task(1)
    def reports(self) -> None:
        self.client.get("/reports", name="/reports")
