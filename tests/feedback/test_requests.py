"""Asking for outside feedback from the portfolio: the request form and its email, who sees the requests,
the coordinator's switch, paper answers, and the daily command that expires links and reminds once."""

import io
import re
from datetime import timedelta

import pytest

from academy.audit.models import AuditEvent
from academy.core.dates import today
from academy.core.db import now_utc
from academy.core.errors import DomainError
from academy.evidence.models import EvidenceType
from academy.evidence.services import cohort_elements
from academy.extensions import db
from academy.feedback import links
from academy.feedback.models import FeedbackHit, FeedbackRequest, RequestState
from tests import factories
from tests.feedback.test_links import ask, audit_actions

LINK = re.compile(r"https?://\S+/feedback/[\w-]+")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def team(db):
    return factories.make_team()


def form_data(team, **changes):
    date = today() - timedelta(days=1)
    data = {
        "relationship": "professional",
        "name": "Pat Partner",
        "how": "email",
        "email": "pat.partner@example.org",
        "about": "Strategy meeting",
        "activity_date": [str(date.day), str(date.month), str(date.year)],
        "message": "",
        "elements": top_element_ids(team),
    }
    return {**data, **changes}


def top_element_ids(team, count=2):
    elements = cohort_elements(team.participant).values()
    return [str(el.id) for el in elements if el.parent_id is None][:count]


def test_the_nqsw_asks_by_email_and_the_link_arrives(client, login, team, mail_server):
    login(team.nqsw)
    url = f"/participants/{team.participant.id}/feedback/new"
    page = client.get(url).get_data(as_text=True)
    assert "A young person" in page
    assert "A practice observer" in page
    done = client.post_form(url, form_data(team))
    assert done.status_code == 302, done.get_data(as_text=True)
    request = db.session.query(FeedbackRequest).one()
    assert request.state == RequestState.SENT
    assert request.emailed_at is not None
    assert request.expires_at - request.sent_at == timedelta(days=21)
    body = mail_server.to("pat.partner@example.org")[-1].get_content()
    assert team.participant.name in body
    assert "Strategy meeting" in body
    link = LINK.search(body).group(0)
    assert link.startswith("http://localhost/feedback/")
    assert request.token_hash == links.token_hash(link.rsplit("/", 1)[1])  # only the hash is stored
    listing = client.get(f"/participants/{team.participant.id}/feedback").get_data(as_text=True)
    assert "Pat Partner" in listing
    assert "Sent" in listing


def test_the_request_form_says_what_is_missing_and_keeps_what_was_typed(client, login, team):
    login(team.nqsw)
    url = f"/participants/{team.participant.id}/feedback/new"
    bad = client.post_form(url, form_data(team, email="", elements=[], about="Home visit"))
    page = bad.get_data(as_text=True)
    assert bad.status_code == 400
    assert "Enter their email address, or choose a printed form" in page
    assert 'value="Home visit"' in page
    missing_elements = client.post_form(url, form_data(team, elements=[]))
    assert "Choose the elements the feedback should speak to" in missing_elements.get_data(as_text=True)


def test_only_the_nqsw_their_assessor_and_coordinators_see_the_requests(client, login, team):
    request, _ = ask(team)
    other = factories.make_participant(team.participant.cohort)
    coordinator = factories.make_user({"coordinator"})
    db.session.commit()
    pages = [f"/participants/{team.participant.id}/feedback", f"/feedback/requests/{request.id}"]
    login(other.user)
    assert [client.get(p).status_code for p in pages] == [404, 404]
    assert client.get(f"/participants/{team.participant.id}/feedback/new").status_code == 404
    withdraw = client.post_form(f"/feedback/requests/{request.id}/withdraw", {}, page="/home/nqsw")
    assert withdraw.status_code == 404
    assert request.state == RequestState.SENT
    login(team.mentor)  # assigned, but not the assessor: the requests hold outside people's emails
    assert [client.get(p).status_code for p in pages] == [403, 403]
    for person in (team.nqsw, team.assessor, coordinator):
        login(person)
        assert [client.get(p).status_code for p in pages] == [200, 200]
    # The coordinator oversees but does not ask or withdraw on the NQSW's behalf.
    assert client.get(f"/participants/{team.participant.id}/feedback/new").status_code == 403


def test_the_coordinator_switches_outside_feedback_off_and_limits_who_may_be_asked(client, login, team):
    _, token = ask(team)
    coordinator = factories.make_user({"coordinator"})
    db.session.commit()
    login(coordinator)
    saved = client.post_form("/feedback/settings", {"enabled": "off"})
    assert saved.status_code == 302
    assert client.get(f"/feedback/{token}").status_code == 410
    login(team.nqsw)
    refused = client.get(f"/participants/{team.participant.id}/feedback/new", follow_redirects=True)
    assert "switched off" in refused.get_data(as_text=True)

    login(coordinator)
    client.post_form("/feedback/settings", {"enabled": "on", "allowed": ["professional", "observer"]})
    assert client.get(f"/feedback/{token}").status_code == 200
    with pytest.raises(DomainError, match="does not allow asking a young person"):
        ask(team, "young_person")
    login(team.nqsw)
    page = client.get(f"/participants/{team.participant.id}/feedback/new").get_data(as_text=True)
    assert "A practice observer" in page
    assert "A young person" not in page
    assert client.post_form("/feedback/settings", {"enabled": "on"}, page="/account").status_code == 404  # an NQSW
    assert "feedback.settings_changed" in [
        e.action for e in db.session.query(AuditEvent).filter_by(subject_type="FeedbackSettings")
    ]


def test_paper_feedback_is_uploaded_with_who_gave_it_and_when(client, login, team):
    request, token = ask(team, "parent_carer", email=None)
    db.session.commit()
    assert request.state == RequestState.ON_PAPER
    assert token is None
    login(team.nqsw)
    printed = client.get(f"/feedback/requests/{request.id}/print").get_data(as_text=True)
    assert "What did" in printed
    assert "Always" in printed
    given_on = today() - timedelta(days=1)
    url = f"/feedback/requests/{request.id}/paper"
    data = {
        "given_on": [str(given_on.day), str(given_on.month), str(given_on.year)],
        "summary": "Positive about the visit.",
        "confirm": "y",
    }
    missing = client.post_form(url, data, page=f"/feedback/requests/{request.id}")
    assert missing.status_code == 400
    assert "Choose the scan or photo of the paper feedback" in missing.get_data(as_text=True)
    done = client.post_form(
        url,
        {**data, "attachment": (io.BytesIO(PDF), "feedback-form.pdf")},
        page=f"/feedback/requests/{request.id}",
        content_type="multipart/form-data",
    )
    assert done.status_code == 302, done.get_data(as_text=True)
    entry = request.entry
    assert entry.type == EvidenceType.FEEDBACK_PERSON
    assert entry.given_on_paper
    assert entry.given_by == "a parent or carer"
    assert entry.activity_date == given_on
    assert [a.original_name for a in entry.attachments] == ["feedback-form.pdf"]
    assert request.state == RequestState.ANSWERED
    page = client.get(f"/evidence/{entry.id}").get_data(as_text=True)
    assert "Given on paper by a parent or carer" in page
    assert "Remove" not in page  # the scan stays as uploaded


def test_the_daily_command_expires_old_links_and_reminds_once(app, team, mail_server, runner):
    old, _ = ask(team, email="old@example.org")
    old.expires_at = now_utc() - timedelta(hours=1)
    soon, first_token = ask(team, email="soon@example.org")
    soon.expires_at = now_utc() + timedelta(days=3)
    ask(team, email="later@example.org")
    old_visit = FeedbackHit(request_id=None, remote_addr="192.0.2.1", at=now_utc() - timedelta(days=2))
    db.session.add(old_visit)
    db.session.commit()

    result = runner.invoke(args=["academy", "feedback-reminders"])
    assert result.exit_code == 0, result.output
    assert "1 feedback link(s) expired; 1 reminder(s) emailed" in result.output
    assert old.state == RequestState.EXPIRED
    assert "feedback.expired" in audit_actions(old)
    reminder = mail_server.to("soon@example.org")[-1]
    assert reminder["Subject"].startswith("Reminder:")
    new_token = LINK.search(reminder.get_content()).group(0).rsplit("/", 1)[1]
    assert soon.token_hash == links.token_hash(new_token) != links.token_hash(first_token)
    assert soon.reminded_at is not None
    assert mail_server.to("later@example.org") == []
    assert db.session.query(FeedbackHit).count() == 0  # visit counts older than a day are forgotten

    again = runner.invoke(args=["academy", "feedback-reminders"])
    assert "0 feedback link(s) expired; 0 reminder(s) emailed" in again.output
    assert len(mail_server.to("soon@example.org")) == 1
