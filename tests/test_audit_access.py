"""Views and downloads of a person's data are in the audit trail: who opened what of whose, and when."""

import pytest
import sqlalchemy as sa

from academy.audit.models import AuditEvent
from academy.evidence.attachments import add_attachment
from academy.evidence.services import submit_evidence
from tests.conftest import sign_in
from tests.factories import make_entry, make_team, make_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def team(db):
    team = make_team()
    db.session.commit()
    return team


def _accesses(db, action: str) -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def test_staff_opening_a_persons_record_is_audited(client, db, team, coordinator):
    sign_in(client, coordinator)
    assert client.get(f"/participants/{team.participant.id}").status_code == 200
    (event,) = _accesses(db, "participant.viewed")
    assert event.actor_id == coordinator.id
    assert event.participant_id == team.participant.id
    assert event.summary == f"Viewed the record of {team.participant.name}"
    assert event.at is not None


def test_the_nqsw_opening_their_own_record_is_not_audited(client, db, team):
    sign_in(client, team.nqsw)
    assert client.get(f"/participants/{team.participant.id}").status_code == 200
    assert client.get(f"/participants/{team.participant.id}").status_code == 200
    assert _accesses(db, "participant.viewed") == []


def test_a_refused_view_records_no_access(client, db, team):
    sign_in(client, make_user({"mentor"}, name="Una Assigned"))
    assert client.get(f"/participants/{team.participant.id}").status_code == 403
    assert _accesses(db, "participant.viewed") == []


def test_an_assessor_opening_evidence_and_its_attachment_is_audited(client, db, team):
    entry = make_entry(team.participant, title="Home visit notes", submit=False)
    attachment = add_attachment(entry, by=team.nqsw, filename="visit.pdf", data=PDF)
    submit_evidence(entry, by=team.nqsw)
    db.session.commit()
    sign_in(client, team.assessor)
    assert client.get(f"/participants/{team.participant.id}/evidence").status_code == 200
    assert client.get(f"/evidence/{entry.id}").status_code == 200
    download = client.get(f"/evidence/{entry.id}/attachments/{attachment.id}")
    assert download.status_code == 200
    download.close()
    opened = client.get(f"/evidence/{entry.id}/attachments/{attachment.id}/view")
    assert opened.status_code == 200
    opened.close()
    name = team.participant.name
    assert [e.summary for e in _accesses(db, "portfolio.viewed")] == [f"Viewed the portfolio of {name}"]
    (viewed,) = _accesses(db, "evidence.viewed")
    assert (viewed.actor_id, viewed.participant_id) == (team.assessor.id, team.participant.id)
    assert viewed.summary == f"Viewed the evidence “Home visit notes” of {name}"
    (downloaded,) = _accesses(db, "attachment.downloaded")
    about = f"the attachment “visit.pdf” to the evidence “Home visit notes” of {name}"
    assert downloaded.summary == f"Downloaded {about}"
    assert downloaded.participant_id == team.participant.id
    assert [e.summary for e in _accesses(db, "attachment.viewed")] == [f"Opened {about}"]


def test_downloading_a_progression_record_is_audited_even_for_the_nqsw(client, db, team):
    sign_in(client, team.nqsw)
    url = f"/participants/{team.participant.id}/progression-record.pdf"
    asked = client.get(url)  # the record is issued (here while the request waits), then served
    assert asked.status_code == 302
    assert _accesses(db, "record.downloaded") == []  # nothing was downloaded yet
    response = client.get(url)
    assert response.status_code == 200
    (event,) = _accesses(db, "record.downloaded")
    assert event.actor_id == team.nqsw.id
    assert event.summary == f"Downloaded the progression record of {team.participant.name}"


def test_downloading_a_learning_log_is_audited(client, db, team):
    sign_in(client, team.nqsw)
    assert client.get(f"/participants/{team.participant.id}/learning.csv").status_code == 200
    (event,) = _accesses(db, "learning.downloaded")
    assert event.participant_id == team.participant.id


def test_downloading_the_workforce_census_is_audited(client, db, coordinator):
    sign_in(client, coordinator)
    assert client.get("/retention/census.csv").status_code == 200
    assert client.get("/retention/census.xlsx").status_code == 200
    events = _accesses(db, "census.downloaded")
    assert [e.actor_id for e in events] == [coordinator.id, coordinator.id]
    assert events[0].summary.startswith("Downloaded the workforce census of workers on 30 September ")
    assert events[1].summary.endswith("(XLSX)")


def test_the_access_events_keep_the_chain_intact(client, db, team, coordinator, runner):
    sign_in(client, coordinator)
    for _ in range(3):
        client.get(f"/participants/{team.participant.id}")
    result = runner.invoke(args=["academy", "audit-verify"])
    assert result.exit_code == 0, result.output


def test_the_coordinators_recent_activity_lists_changes_not_every_page_opened(client, db, team, coordinator):
    sign_in(client, coordinator)
    client.get(f"/participants/{team.participant.id}")
    html = client.get("/home/coordinator").get_data(as_text=True)
    assert f"Enrolled {team.participant.name}" in html
    assert "Viewed the record of" not in html
    assert "Viewed the record of" in client.get("/audit/").get_data(as_text=True)
