"""Evidence pages: access rules, the entry form, attachments (accepted and refused), the home page."""

import io
import os
import zipfile
from datetime import date

import pytest

from academy.evidence import services
from academy.evidence.models import Attachment, EvidenceStatus, EvidenceType
from academy.logs.models import ProtectedTimeLog
from tests import factories

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def world(db, app, tmp_path):
    app.config["UPLOAD_FOLDER"] = str(tmp_path / "uploads")
    participant = factories.make_participant(start=date(2025, 9, 1), today=date(2025, 9, 1))
    assessor = factories.make_user(("mentor",))
    factories.assign(participant, assessor, "assessor")
    elements = [el for fw in participant.cohort.frameworks for el in fw.elements]
    return participant, assessor, elements


def make(participant, elements, by=None):
    return services.create_evidence(
        participant,
        by=by or participant.user,
        type=EvidenceType.WRITTEN_REPORT,
        title="Court report",
        activity_date=date(2025, 10, 1),
        report_kind="Court report",
        links=[(elements[0].id, "Analysis")],
        anonymised_confirmed=True,
    )


def test_drafts_hidden_from_staff_and_strangers(world, client, login):
    participant, assessor, elements = world
    entry = make(participant, elements)
    url = f"/evidence/{entry.id}"
    login(participant.user)
    assert client.get(url).status_code == 200
    login(assessor)
    assert client.get(url).status_code == 403  # a draft: never shown to staff
    services.submit_evidence(entry, by=participant.user)
    assert client.get(url).status_code == 200
    assert client.get(f"/participants/{participant.id}/evidence").status_code == 200
    login(factories.make_user(("nqsw",)))  # an unrelated NQSW
    assert client.get(url).status_code == 404
    assert client.get(f"/participants/{participant.id}/evidence").status_code == 404
    login(factories.make_user(("mentor",)))  # an unassigned mentor
    assert client.get(url).status_code == 403
    assert client.get(f"/participants/{participant.id}/supervision").status_code == 403


def test_create_direct_observation_through_the_form(world, client, login, db):
    participant, _, elements = world
    login(participant.user)
    url = f"/participants/{participant.id}/evidence/new/direct_observation"
    data = {
        "title": "Home visit",
        "activity_date": ["1", "10", "2025"],
        "observer_name": "Alex Assessor",
        "observer_is_registered": "yes",
        "setting": "Home visit",
        "narrative": "Visit went well.",
        "element": [str(elements[0].id), str(elements[1].id)],
        f"reason_{elements[0].id}": "Direct work",
        f"reason_{elements[1].id}": "Analysis",
        "anonymised_confirmed": "y",
        "submit_for_review": "Save and submit for review",
        "attachment": (io.BytesIO(PDF), "notes.pdf"),
    }
    response = client.post_form(url, data, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    entry = participant_entries(db, participant)[0]
    assert entry.status == EvidenceStatus.SUBMITTED
    assert len(entry.links) == 2
    assert entry.attachments[0].original_name == "notes.pdf"
    # A missing reason is shown next to the links, and nothing is saved.
    data = {k: v for k, v in data.items() if k != "attachment"}
    data[f"reason_{elements[1].id}"] = ""
    response = client.post_form(url, data)
    assert response.status_code == 400
    assert "Give a one-line reason" in response.get_data(as_text=True)
    assert len(participant_entries(db, participant)) == 1


def test_the_form_shows_every_problem_at_once_and_asks_for_the_file_again(world, client, login, db):
    participant, _, elements = world
    login(participant.user)
    url = f"/participants/{participant.id}/evidence/new/direct_observation"
    page = client.get(url).get_data(as_text=True)
    # Each reason box is a GOV.UK conditional reveal of its element's checkbox.
    first = elements[0].id
    assert f'data-aria-controls="conditional-element-{first}"' in page
    hidden = "govuk-checkboxes__conditional govuk-checkboxes__conditional--hidden"
    assert f'class="{hidden}" id="conditional-element-{first}"' in page
    data = {
        "title": "",
        "activity_date": ["1", "10", "2025"],
        "observer_name": "",
        "observer_is_registered": "yes",
        "setting": "Home visit",
        "narrative": "Visit went well.",
        "element": [str(elements[0].id), str(elements[1].id)],
        f"reason_{elements[0].id}": "",
        f"reason_{elements[1].id}": "",
        "save": "Save as draft",
        "attachment": (io.BytesIO(PDF), "notes.pdf"),
    }
    response = client.post_form(url, data, content_type="multipart/form-data")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    summary = page[page.index("govuk-error-summary") : page.index("</h1>")]
    assert "Enter a title" in summary
    assert f"Give a one-line reason for linking {elements[0].label}" in summary
    assert f"Give a one-line reason for linking {elements[1].label}" in summary
    assert "observer" in summary.lower()
    assert "Choose the file again: files are not kept when the form has a problem" in summary
    # A ticked element's reason box stays open.
    assert f'class="govuk-checkboxes__conditional" id="conditional-element-{first}"' in page
    assert participant_entries(db, participant) == []


def participant_entries(db, participant):
    from academy.evidence.models import EvidenceEntry

    return db.session.scalars(db.select(EvidenceEntry).where(EvidenceEntry.participant_id == participant.id)).all()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("big.pdf", PDF + b"0" * (10 * 1024 * 1024), "smaller than 10 MB"),
        ("script.pdf", b"#!/bin/sh\nrm -rf /\n", "Its content is not"),
        ("../../etc/passwd.pdf", PDF, "must not contain a folder path"),
        ("..\\evil.pdf", PDF, "must not contain a folder path"),
        ("renamed.png", PDF, "its content is PDF"),
        ("fake.docx", b"PK\x03\x04" + b"0" * 40, "Its content is not"),
    ],
)
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # the test client's 10 MB body file
def test_bad_uploads_are_refused_and_nothing_is_stored(world, client, login, db, app, name, content, message):
    participant, _, elements = world
    entry = make(participant, elements)
    login(participant.user)
    url = f"/evidence/{entry.id}/attachments"
    response = client.post_form(
        url,
        {"attachment": (io.BytesIO(content), name)},
        page=f"/evidence/{entry.id}",
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    folder = app.config["UPLOAD_FOLDER"]
    assert not os.path.isdir(folder) or os.listdir(folder) == []
    assert db.session.scalar(db.select(db.func.count(Attachment.id))) == 0


def test_good_upload_and_permission_checked_download(world, client, login, app):
    participant, assessor, elements = world
    entry = make(participant, elements)
    login(participant.user)
    page = f"/evidence/{entry.id}"
    response = client.post_form(
        f"/evidence/{entry.id}/attachments",
        {"attachment": (io.BytesIO(docx_bytes()), "report.docx")},
        page=page,
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    attachment = entry.attachments[0]
    assert attachment.stored_name != "report.docx"
    assert len(attachment.stored_name) == 48
    assert os.listdir(app.config["UPLOAD_FOLDER"]) == [attachment.stored_name]
    download = client.get(f"/evidence/{entry.id}/attachments/{attachment.id}")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.data == docx_bytes()
    download.close()
    login(assessor)  # still a draft
    assert client.get(f"/evidence/{entry.id}/attachments/{attachment.id}").status_code == 403
    login(factories.make_user(("nqsw",)))
    assert client.get(f"/evidence/{entry.id}/attachments/{attachment.id}").status_code == 404


def test_submit_page_shows_identifier_warning_and_still_confirms(world, client, login):
    participant, _, elements = world
    entry = make(participant, elements)
    entry.narrative = "The child, DOB 12/03/2015, lives at SW1A 1AA."
    login(participant.user)
    html = client.get(f"/evidence/{entry.id}").get_data(as_text=True)
    assert "seems to contain a date of birth" in html
    assert "seems to contain a full postcode" in html
    response = client.post_form(
        f"/evidence/{entry.id}/submit", {"anonymised_confirmed": "y"}, page=f"/evidence/{entry.id}"
    )
    assert response.status_code == 302
    assert entry.status == EvidenceStatus.SUBMITTED


def test_home_page_counts_and_logs(world, client, login):
    participant, assessor, _elements = world
    login(participant.user)
    html = client.get("/home/nqsw").get_data(as_text=True)
    assert "Direct observations" in html
    assert "0 of 3" in html
    for path in ("self-assessment", "protected-time", "supervision", "caseload"):
        assert client.get(f"/participants/{participant.id}/{path}").status_code == 200
    response = client.post_form(
        f"/participants/{participant.id}/protected-time",
        {"taken_on": ["2", "9", "2025"], "hours": "3.5", "activity": "Reading"},
    )
    assert response.status_code == 302
    assert client.get(f"/participants/{participant.id}/learning.csv").status_code == 200
    # The NQSW may not record supervision; the assessor may.
    sup = {"held_on": ["2", "9", "2025"], "kind": "reflective", "was_held": "yes"}
    assert client.post_form(f"/participants/{participant.id}/supervision", sup).status_code == 404
    login(assessor)
    assert client.post_form(f"/participants/{participant.id}/supervision", sup).status_code == 302


def test_staff_read_the_logs_but_write_only_what_their_role_allows(world, client, login, db):
    participant, assessor, _elements = world
    db.session.commit()
    time_url = f"/participants/{participant.id}/protected-time"
    login(assessor)
    page = client.get(time_url)
    assert page.status_code == 200
    assert "Add to the log" not in page.get_data(as_text=True)  # the form is the NQSW's
    logged = {"taken_on": ["2", "9", "2025"], "hours": "2", "activity": "Reading"}
    assert client.post_form(time_url, logged, page="/sign-in").status_code == 403
    assert client.get(f"/participants/{participant.id}/learning.csv").status_code == 403
    # The NQSW's refused entry comes back with the service's message and nothing is written.
    login(participant.user)
    refused = client.post_form(time_url, logged | {"hours": "30"})
    assert refused.status_code == 400
    assert "Hours must be between 0.25 and 24." in refused.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(ProtectedTimeLog.id))) == 0
