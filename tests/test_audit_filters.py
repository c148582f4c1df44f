"""Coordinators narrow the audit trail by who did it, whose record, what happened and when; in words."""

from datetime import UTC, datetime

import pytest

from academy.audit.routes import PAGE_SIZE
from academy.audit.services import audit_row, record_audit, record_audit_rows
from tests.conftest import sign_in
from tests.factories import make_participant, make_user
from tests.vnu import html_errors


def _event(actor, summary: str, *, at: datetime | None = None, action: str = "test.noted", participant=None):
    record_audit_rows(
        [
            audit_row(
                actor,
                action,
                "Test",
                None,
                summary=summary,
                participant_id=participant.id if participant else None,
                at=at,
            )
        ]
    )


@pytest.fixture
def trail(db, coordinator):
    """Two people, two NQSWs, the system, two kinds of action and a spread of days."""
    mentor = make_user({"mentor"}, name="Mina Mentor")
    first, second = make_participant(), make_participant()
    _event(coordinator, "Coordinator note", participant=first, at=datetime(2026, 3, 1, 9, tzinfo=UTC))
    _event(mentor, "Mentor note", participant=second, at=datetime(2026, 3, 10, 9, tzinfo=UTC))
    _event(None, "System note", action="test.swept", at=datetime(2026, 6, 30, 23, 30, tzinfo=UTC))
    db.session.commit()
    return {"coordinator": coordinator, "mentor": mentor, "first": first, "second": second}


def _page(client, query: str = "") -> tuple[int, str]:
    response = client.get(f"/audit/{query}")
    return response.status_code, response.get_data(as_text=True)


def _notes(html: str) -> set[str]:
    return {note for note in ("Coordinator note", "Mentor note", "System note") if note in html}


def test_the_filter_offers_people_participants_and_actions_in_words(client, trail):
    sign_in(client, trail["coordinator"])
    _, html = _page(client)
    assert ">Mina Mentor</option>" in html
    assert ">The system</option>" in html
    assert f">{trail['first'].name} ({trail['first'].cohort.name})</option>" in html
    assert '<option value="test.swept">Test: swept</option>' in html
    assert '<option value="participant">Participant: anything</option>' in html
    assert _notes(html) == {"Coordinator note", "Mentor note", "System note"}


def test_filter_by_who_did_it(client, trail):
    sign_in(client, trail["coordinator"])
    assert _notes(_page(client, f"?person={trail['mentor'].id}")[1]) == {"Mentor note"}
    assert _notes(_page(client, "?person=system")[1]) == {"System note"}


def test_filter_by_whose_record(client, trail):
    sign_in(client, trail["coordinator"])
    status, html = _page(client, f"?participant={trail['first'].id}")
    assert status == 200
    assert _notes(html) == {"Coordinator note"}
    assert f"Enrolled {trail['first'].name}" in html
    assert f"Enrolled {trail['second'].name}" not in html


def test_filter_by_what_happened_exactly_or_by_area(client, trail):
    sign_in(client, trail["coordinator"])
    assert _notes(_page(client, "?action=test.swept")[1]) == {"System note"}
    assert _notes(_page(client, "?action=test")[1]) == {"Coordinator note", "Mentor note", "System note"}
    _, html = _page(client, "?action=participant")
    assert _notes(html) == set()
    assert f"Enrolled {trail['first'].name}" in html


def test_filter_by_dates_in_english_time(client, trail):
    sign_in(client, trail["coordinator"])
    assert _notes(_page(client, "?from_date=5&from_date=3&from_date=2026&to_date=30&to_date=6&to_date=2026")[1]) == {
        "Mentor note"  # the system's note was at 00:30 on 1 July in England
    }
    assert _notes(_page(client, "?from_date=1&from_date=7&from_date=2026")[1]) >= {"System note"}
    assert _notes(_page(client, "?to_date=1&to_date=3&to_date=2026")[1]) == {"Coordinator note"}


def test_a_wrong_date_is_explained_next_to_the_field(client, trail):
    sign_in(client, trail["coordinator"])
    status, html = _page(client, "?from_date=31&from_date=2&from_date=2026")
    assert status == 400
    assert "Enter the from date as day, month and year, for example 7 9 2026" in html
    assert 'id="from_date-error"' in html
    status, html = _page(client, "?from_date=2&from_date=3&from_date=2026&to_date=1&to_date=3&to_date=2026")
    assert status == 400
    assert "The to date must be the same as or after the from date" in html
    status, html = _page(client, "?person=not-a-person")
    assert status == 400
    assert "There is a problem" in html


def test_pages_keep_the_filters(client, db, trail):
    mentor = trail["mentor"]
    for number in range(PAGE_SIZE + 1):
        record_audit(mentor, "test.paged", mentor, summary=f"Paged {number}")
    db.session.commit()
    sign_in(client, trail["coordinator"])
    query = f"?person={mentor.id}&action=test.paged&from_date=1&from_date=1&from_date=2026"
    _, first = _page(client, query)
    expected = f"/audit/?page=2&amp;person={mentor.id}&amp;action=test.paged&amp;from_date=1&amp;from_date=1&amp;"
    assert expected in first
    _, second = _page(client, f"{query}&page=2")
    assert "Paged 0<" in second
    assert "Mentor note" not in second
    assert f"/audit/?page=1&amp;person={mentor.id}&amp;action=test.paged" in second


@pytest.mark.parametrize(("role", "status"), [("mentor", 403), ("nqsw", 404)])
def test_mentors_and_nqsws_cannot_see_the_audit_trail(client, db, role, status):
    user = make_participant().user if role == "nqsw" else make_user({"mentor"}, name="Max Mentor")
    db.session.commit()
    sign_in(client, user)
    assert client.get("/audit/").status_code == status
    assert client.get("/audit/?person=system").status_code == status


def test_the_filtered_trail_is_valid_html(client, trail, tmp_path):
    sign_in(client, trail["coordinator"])
    pages = {
        "all": _page(client)[1],
        "wrong-date": _page(client, "?from_date=31&from_date=2&from_date=2026&person=system")[1],
    }
    assert html_errors(pages, tmp_path) == []
