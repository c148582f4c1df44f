"""Authorship and the evidence in view: an entry the assessor wrote is theirs to edit, the NQSW reflects beside
it; the review page opens every attachment (PDF and images inline) with the download's access checks; a
decided entry shows who decided, when, their comment and the ratings they recorded."""

from datetime import timedelta

import pytest

from academy.assessment.services.evidence_review import accept_and_rate
from academy.core.dates import today
from academy.evidence.attachments import add_attachment
from academy.evidence.models import EvidenceStatus, EvidenceType
from academy.evidence.services import create_evidence, return_evidence, submit_evidence
from tests import factories
from tests.assessment.images import png
from tests.factories import EVIDENCE_FIELDS as FIELDS
from tests.factories import elements, make_entry, make_team

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def team(db):
    return make_team()


def observation_by_assessor(team):
    return create_evidence(
        team.participant,
        by=team.assessor,
        type=EvidenceType.DIRECT_OBSERVATION,
        title="Observed home visit",
        activity_date=today() - timedelta(days=2),
        narrative="What I observed.",
        links=[(el.id, "Observed") for el in elements(team.participant, 1)],
        anonymised_confirmed=True,
        **FIELDS[EvidenceType.DIRECT_OBSERVATION],
    )


def test_the_nqsw_reads_and_reflects_but_cannot_edit_an_assessors_entry(client, login, team, db):
    entry = observation_by_assessor(team)
    login(team.nqsw)
    page = client.get(f"/evidence/{entry.id}").get_data(as_text=True)
    assert "Observed home visit" in page
    assert "Change this entry" not in page
    assert "Submit for review" not in page
    assert "Your reflection" in page
    assert client.get(f"/evidence/{entry.id}/edit").status_code == 404
    edit = client.post_form(f"/evidence/{entry.id}/edit", {"title": "Mine now"}, page=f"/evidence/{entry.id}")
    assert edit.status_code == 404
    assert client.post_form(f"/evidence/{entry.id}/submit", {}, page=f"/evidence/{entry.id}").status_code == 404
    url = f"/evidence/{entry.id}/reflection"
    empty = client.post_form(url, {"reflection": ""}, page=f"/evidence/{entry.id}")
    assert empty.status_code == 400
    assert "Write your reflection" in empty.get_data(as_text=True)
    assert client.post_form(url, {"reflection": "I will slow down."}, page=f"/evidence/{entry.id}").status_code == 302
    assert (entry.title, entry.nqsw_reflection, entry.status) == (
        "Observed home visit",
        "I will slow down.",
        EvidenceStatus.DRAFT,
    )
    # The assessor who wrote it submits it and reviews it, the reflection in view.
    submit_evidence(entry, by=team.assessor)
    login(team.assessor)
    review_page = client.get(f"/assessment/evidence/{entry.id}").get_data(as_text=True)
    assert "I will slow down." in review_page


def test_nobody_else_reflects(client, login, team):
    entry = observation_by_assessor(team)
    own = make_entry(team.participant)
    login(team.assessor)
    assert client.post_form(f"/evidence/{entry.id}/reflection", {"reflection": "x"}, page="/").status_code == 403
    login(team.nqsw)
    # The NQSW's own entry needs no reflection beside it: they wrote it.
    assert client.post_form(f"/evidence/{own.id}/reflection", {"reflection": "x"}, page="/").status_code == 404


def test_attachments_open_inline_from_the_review_page_with_the_same_checks(client, login, team, db):
    entry = make_entry(team.participant, submit=False)
    image = add_attachment(entry, by=team.nqsw, filename="genogram.png", data=png())
    report = add_attachment(entry, by=team.nqsw, filename="report.pdf", data=PDF)
    submit_evidence(entry, by=team.nqsw)
    login(team.assessor)
    page = client.get(f"/assessment/evidence/{entry.id}").get_data(as_text=True)
    for attachment in (image, report):
        view = f"/evidence/{entry.id}/attachments/{attachment.id}/view"
        assert f'href="{view}" target="_blank"' in page
        with client.get(view) as response:
            assert response.status_code == 200
            assert response.headers["Content-Disposition"].startswith("inline")
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            body = response.get_data()
        assert body == (png() if attachment is image else PDF)
    with client.get(f"/evidence/{entry.id}/attachments/{report.id}") as download:
        assert download.headers["Content-Disposition"].startswith("attachment")
    # The same checks as the download: an NQSW elsewhere gets 404, other staff 403.
    stranger = factories.make_user({"nqsw"})
    factories.make_participant(user=stranger)
    login(stranger)
    assert client.get(f"/evidence/{entry.id}/attachments/{image.id}/view").status_code == 404
    login(factories.make_user({"mentor"}))
    assert client.get(f"/evidence/{entry.id}/attachments/{image.id}/view").status_code == 403


def test_decided_entries_show_who_decided_when_their_comment_and_ratings(client, login, team):
    first, second = elements(team.participant, 2)
    accepted = make_entry(team.participant, links=[first, second], title="Accepted one")
    accept_and_rate(accepted, by=team.assessor, ratings={first.id: 2, second.id: "skip"}, comment="Clear analysis")
    returned = make_entry(team.participant, title="Returned one")
    return_evidence(returned, by=team.assessor, feedback="Add the outcome")
    login(team.nqsw)
    page = client.get(f"/evidence/{accepted.id}").get_data(as_text=True)
    assert "Decided by" in page
    assert team.assessor.name in page
    assert "Clear analysis" in page
    assert "KSS " in page
    assert "Meeting expected level" in page
    page = client.get(f"/evidence/{returned.id}").get_data(as_text=True)
    assert "Returned" in page
    assert "Add the outcome" in page
    assert team.assessor.name in page
