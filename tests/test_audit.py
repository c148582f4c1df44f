"""The audit trail records who did what, and cannot be edited afterwards."""

import pytest
import sqlalchemy as sa

from academy.audit.models import AuditEvent
from academy.audit.routes import PAGE_SIZE
from academy.audit.services import record_audit
from academy.core.append_only import AppendOnlyViolation
from tests.conftest import sign_in
from tests.factories import make_participant


def test_enrolment_writes_an_audit_event_with_who_and_what(db, coordinator):
    participant = make_participant()
    event = db.session.scalar(
        sa.select(AuditEvent).where(
            AuditEvent.action == "participant.enrolled", AuditEvent.subject_id == participant.id
        )
    )
    assert event is not None
    assert event.participant_id == participant.id
    assert event.after["email"] == participant.user.email
    assert event.at.tzinfo is not None


def test_audit_events_cannot_be_edited_or_deleted(db):
    make_participant()
    db.session.commit()
    event = db.session.scalar(sa.select(AuditEvent).limit(1))
    event.summary = "rewritten"
    with pytest.raises(AppendOnlyViolation):
        db.session.flush()
    db.session.rollback()
    event = db.session.scalar(sa.select(AuditEvent).limit(1))
    db.session.delete(event)
    with pytest.raises(AppendOnlyViolation):
        db.session.flush()


def test_coordinator_reads_the_audit_trail(client, db, coordinator):
    participant = make_participant()
    db.session.commit()
    sign_in(client, coordinator)
    html = client.get("/audit/?action=participant").get_data(as_text=True)
    assert f"Enrolled {participant.user.name}" in html


def test_the_audit_trail_pages_through_older_events(client, db, coordinator):
    for number in range(PAGE_SIZE + 1):
        record_audit(coordinator, "test.paged", coordinator, summary=f"Event {number}")
    db.session.commit()
    sign_in(client, coordinator)
    first = client.get("/audit/?action=test.paged").get_data(as_text=True)
    assert f"Event {PAGE_SIZE}<" in first
    assert "Event 0<" not in first
    assert 'href="/audit/?page=2&amp;action=test.paged"' in first
    assert "Newer" not in first
    second = client.get("/audit/?page=2&action=test.paged").get_data(as_text=True)
    assert "Event 0<" in second
    assert f"Event {PAGE_SIZE}<" not in second
    assert 'href="/audit/?page=1&amp;action=test.paged"' in second
    assert "Older" not in second
    assert "No events match." in client.get("/audit/?page=9&action=test.paged").get_data(as_text=True)
