"""Web pages: enrolment with invitation, import preview and confirm, the cohort table, access, actions."""

import io
import logging
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from academy.accounts.models import User
from academy.audit.models import AuditEvent
from academy.cohorts.importer import COLUMNS
from academy.cohorts.models import Cohort
from academy.core.dates import today
from academy.extensions import db as _db
from academy.participants.models import Participant, ParticipantStatus
from academy.programmes.services import default_programme
from tests import factories
from tests.factories import ENROLMENT_CSV_HEADER, date_parts, enrolment_csv_rows


@pytest.fixture
def cohort(db):
    return factories.make_cohort("Sept 2026", date(2026, 9, 7))


def test_enrol_form_creates_account_and_emails_a_single_use_link(client, login, coordinator, cohort, mail_server, db):
    db.session.commit()
    login(coordinator)
    url = f"/cohorts/{cohort.id}/enrol"
    data = {
        "given_name": "Ivy",
        "family_name": "Invited",
        "email": "Ivy.Invited@example.org",
        "start_date": ["", "", ""],
        "fte": "0.8",
        "team": "Leaving care",
        "swe_number": "sw 12345",
        "employment_type": "permanent",
        "assessor": "0",
        "mentor": "0",
        "line_manager": "0",
    }
    response = client.post_form(url, data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert "has been emailed to ivy.invited@example.org" in client.get(response.location).get_data(as_text=True)
    user = db.session.scalar(sa.select(User).where(User.email == "ivy.invited@example.org"))
    assert user.password_hash is None
    participant = db.session.scalar(sa.select(Participant).where(Participant.user_id == user.id))
    assert (participant.start_date, str(participant.fte), participant.swe_number) == (
        date(2026, 9, 7),
        "0.80",
        "SW12345",
    )
    token = mail_server.last_link("ivy.invited@example.org").removeprefix("http://localhost/set-password/")
    client.post_form("/sign-out", page="/cohorts")
    assert client.get(f"/set-password/{token}").status_code == 200
    form = {"password": "a-brand-new-password", "confirm": "a-brand-new-password"}
    assert client.post_form(f"/set-password/{token}", form).status_code == 302
    assert client.get(f"/set-password/{token}").status_code == 410  # single use


def test_enrol_invitation_expires(client, login, coordinator, cohort, caplog, db, app):
    db.session.commit()
    login(coordinator)
    app.config["INVITATION_VALID_FOR"] = timedelta(seconds=-1)
    try:
        data = {
            "given_name": "Lee",
            "family_name": "Late",
            "email": "lee.late@example.org",
            "start_date": ["", "", ""],
            "fte": "1.0",
            "employment_type": "permanent",
            "assessor": "0",
            "mentor": "0",
            "line_manager": "0",
        }
        with caplog.at_level(logging.INFO):
            assert client.post_form(f"/cohorts/{cohort.id}/enrol", data).status_code == 302
    finally:
        app.config["INVITATION_VALID_FOR"] = timedelta(days=7)
    token = re.search(r"/set-password/(\S+)", caplog.text).group(1)
    assert client.get(f"/set-password/{token}").status_code == 410


def test_enrolling_someone_twice_says_already_enrolled(client, login, coordinator, cohort, db):
    existing = factories.make_participant(cohort)
    db.session.commit()
    login(coordinator)
    data = {
        "given_name": "X",
        "family_name": "Y",
        "email": existing.user.email,
        "start_date": ["", "", ""],
        "fte": "1.0",
        "employment_type": "permanent",
        "assessor": "0",
        "mentor": "0",
        "line_manager": "0",
    }
    response = client.post_form(f"/cohorts/{cohort.id}/enrol", data)
    assert response.status_code == 400
    assert "is already enrolled in Sept 2026" in response.get_data(as_text=True)


def _upload(client, cohort, text: bytes):
    token = client.csrf_token(f"/cohorts/{cohort.id}/import")
    return client.post(
        f"/cohorts/{cohort.id}/import",
        data={"csrf_token": token, "file": (io.BytesIO(text), "people.csv")},
        content_type="multipart/form-data",
    )


def test_web_import_previews_then_confirms(client, login, coordinator, cohort, db, mail_server):
    factories.make_user(("mentor",), email="ash.assessor@example.org")
    factories.make_user(("mentor",), email="mo.mentor@example.org")
    factories.make_user(("mentor",), email="lee.manager@example.org")
    db.session.commit()
    login(coordinator)
    preview = _upload(client, cohort, (ENROLMENT_CSV_HEADER + enrolment_csv_rows()).encode())
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Check before enrolling 2 people" in html
    assert db.session.scalar(sa.select(sa.func.count(Participant.id)).where(Participant.cohort_id == cohort.id)) == 0
    action = re.search(r'action="(/cohorts/\d+/import/[^"]+)"', html).group(1)
    done = client.post_form(action, page=f"/cohorts/{cohort.id}/import", data={})
    assert done.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Participant.id)).where(Participant.cohort_id == cohort.id)) == 2
    assert "Enrolled 2 people. 2 invitations emailed." in client.get(done.location).get_data(as_text=True)
    assert len(mail_server.messages) == 2
    # The upload is used up: confirming again imports nothing more.
    again = client.post_form(action, page=f"/cohorts/{cohort.id}/import", data={})
    assert again.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Participant.id)).where(Participant.cohort_id == cohort.id)) == 2
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "cohort.imported")) is not None


def test_web_import_with_bad_rows_lists_them_and_writes_nothing(client, login, coordinator, cohort, db):
    db.session.commit()
    login(coordinator)
    response = _upload(client, cohort, (ENROLMENT_CSV_HEADER + "Ada,Example,bad,2026-02-30,,3,,,,,\n").encode())
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "nothing was imported" in html
    for column in ("email", "start_date", "fte"):
        assert f'<td class="govuk-table__cell">{column}</td>' in html
    assert db.session.scalar(sa.select(sa.func.count(Participant.id))) == 0


def test_confirm_refuses_someone_elses_upload(client, login, coordinator, cohort, db):
    other = factories.make_user(("coordinator",))
    db.session.commit()
    login(other)
    html = _upload(client, cohort, (ENROLMENT_CSV_HEADER + "Ada,Example,ada@example.org,,,,,,,,\n").encode()).get_data(
        as_text=True
    )
    action = re.search(r'action="(/cohorts/\d+/import/[^"]+)"', html).group(1)
    login(coordinator)
    response = client.post_form(action, page=f"/cohorts/{cohort.id}/import", data={})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Participant.id))) == 0


def _enrol_many(cohort, n: int, assessor) -> None:
    for _ in range(n):
        p = factories.make_participant(cohort)
        factories.assign(p, assessor)


def _statements(client, url: str) -> int:
    count = 0

    def before(*args, **kwargs):
        nonlocal count
        count += 1

    engine = _db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", before)
    return count


def test_cohort_page_query_count_does_not_grow_with_participants(client, login, coordinator, mentor, db):
    small = factories.make_cohort("Small")
    large = factories.make_cohort("Large")
    _enrol_many(small, 30, mentor)
    _enrol_many(large, 60, mentor)
    db.session.commit()
    login(coordinator)
    _statements(client, f"/cohorts/{small.id}")  # warm up caches
    assert _statements(client, f"/cohorts/{small.id}") == _statements(client, f"/cohorts/{large.id}")


def test_cohort_page_sorts_filters_and_exports(client, login, coordinator, mentor, db):
    cohort = factories.make_cohort("Table", date(2025, 9, 1))
    names = ["Cara Zed", "Abe Young", "Bea Xu"]
    for name, team in zip(names, ["Team B", "Team A", "Team B"], strict=True):
        p = factories.make_participant(cohort, factories.make_user(name=name), team=team)
        factories.assign(p, mentor)
    db.session.commit()
    login(coordinator)
    html = client.get(f"/cohorts/{cohort.id}?sort=name&direction=desc").get_data(as_text=True)
    assert html.index("Cara Zed") < html.index("Bea Xu") < html.index("Abe Young")
    html = client.get(f"/cohorts/{cohort.id}?team=Team+B").get_data(as_text=True)
    assert "Abe Young" not in html
    assert "Cara Zed" in html
    assert "Bea Xu" in html
    exported = client.get(f"/cohorts/{cohort.id}?team=Team+B&sort=name&format=figures")
    assert exported.mimetype == "text/csv"
    lines = exported.get_data(as_text=True).removeprefix("\ufeff").strip().splitlines()
    assert lines[0].startswith("name,email,team,assessor,status")
    assert [line.split(",")[0] for line in lines[1:]] == ["Bea Xu", "Cara Zed"]
    assert "Morgan Mentor" in lines[1]


def test_share_meeting_uses_the_latest_rating(client, login, coordinator, mentor, db):
    from academy.assessment.models import Rating
    from academy.cohorts.overview import Filters, cohort_rows, rateable_elements
    from academy.core.db import now_utc

    cohort = factories.make_cohort("Ratings")
    p = factories.make_participant(cohort)
    elements = _db.session.scalars(sa.select(Rating.element_id.property.columns[0].table.c.id).limit(0)).all()  # noqa: F841 (warm metadata)
    from academy.frameworks.models import FrameworkElement

    leaves = _db.session.scalars(
        sa.select(FrameworkElement).where(FrameworkElement.framework_id == cohort.frameworks[0].id)
    ).all()
    leaves = [e for e in leaves if not e.children][:2]
    at = now_utc()
    for element, values in zip(leaves, [(1, 2), (3, 1)], strict=True):
        for value in values:
            _db.session.add(
                Rating(
                    participant_id=p.id,
                    element_id=element.id,
                    programme_year=1,
                    value=value,
                    rated_by_id=mentor.id,
                    rated_at=at,
                )
            )
    _db.session.flush()
    [row] = cohort_rows(cohort, Filters(), today())
    # Latest ratings: 2 (meeting) and 1 (developing): one element at meeting or above.
    assert row.meeting == 1
    assert row.rateable == rateable_elements(cohort)[1]


def test_mentor_and_nqsw_cannot_see_cohort_pages(client, login, mentor, nqsw, cohort, db):
    db.session.commit()
    login(mentor)
    for url in (
        "/cohorts",
        f"/cohorts/{cohort.id}",
        f"/cohorts/{cohort.id}/enrol",
        f"/cohorts/{cohort.id}/import",
        "/cohorts/new",
        "/programmes",
    ):
        assert client.get(url).status_code == 403, url
    login(nqsw)
    assert client.get(f"/cohorts/{cohort.id}").status_code == 404


def test_assigned_staff_read_the_participant_but_cannot_act(client, login, coordinator, mentor, cohort, db):
    p = factories.make_participant(cohort, start=date(2025, 9, 1), today=date(2025, 10, 1))
    factories.assign(p, mentor, starts_on=date(2025, 9, 1))
    other = factories.make_user(("mentor",))
    db.session.commit()
    login(mentor)
    html = client.get(f"/participants/{p.id}").get_data(as_text=True)
    assert "Status timeline" in html
    assert "Pause the programme" not in html
    response = client.post_form(
        f"/participants/{p.id}/pause",
        {"pause-reason": "sickness", "pause-starts_on": ["1", "11", "2025"], "pause-expected_end": ["", "", ""]},
        page=f"/participants/{p.id}",
    )
    assert response.status_code == 403
    login(other)
    assert client.get(f"/participants/{p.id}").status_code == 403


def test_coordinator_pauses_through_the_page_and_dates_move(client, login, coordinator, cohort, db):
    p = factories.make_participant(cohort, start=date(2025, 9, 1), today=date(2025, 10, 1))
    db.session.commit()
    login(coordinator)
    response = client.post_form(
        f"/participants/{p.id}/pause",
        {
            "pause-reason": "parental_leave",
            "pause-starts_on": date_parts(date(2025, 11, 1)),
            "pause-expected_end": date_parts(date(2025, 12, 1)),
            "pause-note": "",
        },
        page=f"/participants/{p.id}",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    db.session.refresh(p)
    assert p.status == ParticipantStatus.PAUSED
    html = client.get(f"/participants/{p.id}").get_data(as_text=True)
    assert "31 December 2025" in html  # the 3-month review, 30 days later
    refused = client.post_form(
        f"/participants/{p.id}/activate", {"activate-on": date_parts(date(2025, 9, 1))}, page=f"/participants/{p.id}"
    )
    assert refused.status_code == 400
    assert "cannot be started" in refused.get_data(as_text=True)


def test_change_of_assessor_needs_a_handover_note(client, login, coordinator, mentor, cohort, db):
    p = factories.make_participant(cohort, start=date(2025, 9, 1), today=date(2025, 10, 1))
    factories.assign(p, mentor, starts_on=date(2025, 9, 1))
    new = factories.make_user(("mentor",), name="Nell New")
    db.session.commit()
    login(coordinator)
    data = {
        "assign-kind": "assessor",
        "assign-user": str(new.id),
        "assign-starts_on": date_parts(date(2025, 12, 1)),
        "assign-handover_note": "",
    }
    response = client.post_form(f"/participants/{p.id}/assignments", data, page=f"/participants/{p.id}")
    assert response.status_code == 400
    assert "needs a handover note" in response.get_data(as_text=True)
    data["assign-handover_note"] = "Observation 2 booked for January."
    assert client.post_form(f"/participants/{p.id}/assignments", data, page=f"/participants/{p.id}").status_code == 302
    html = client.get(f"/participants/{p.id}").get_data(as_text=True)
    assert "30 November 2025" in html
    assert "Observation 2 booked for January." in html


def test_create_edit_and_close_a_cohort(client, login, coordinator, db):
    framework = factories.frameworks()[0]
    db.session.commit()
    login(coordinator)
    programme_id = str(default_programme().id)
    data = {"name": "Spring 2027", "start_date": ["1", "3", "2027"]}
    proposed = client.post_form("/cohorts/new", data)  # first the proposals for the start date
    assert proposed.status_code == 200
    selected = re.search(r"<option[^>]*selected[^>]*>([^<]*)", proposed.get_data(as_text=True))
    assert selected.group(1) == "Three-year NQSW programme"
    response = client.post_form(
        "/cohorts/new",
        data | {"programme": programme_id, "proposed_for": "2027-03-01", "frameworks": [str(framework.id)]},
    )
    assert response.status_code == 302
    cohort = db.session.scalar(sa.select(Cohort).where(Cohort.name == "Spring 2027"))
    assert cohort.settings["milestones"][0]["code"] == "agreement"
    assert client.post_form(f"/cohorts/{cohort.id}/edit", {"name": "Spring 2027 intake"}).status_code == 302
    client.post_form(f"/cohorts/{cohort.id}/close", {}, page=f"/cohorts/{cohort.id}/edit")
    db.session.refresh(cohort)
    assert (cohort.name, cohort.status.value) == ("Spring 2027 intake", "closed")
    actions = set(db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.subject_type == "Cohort")))
    assert {"cohort.created", "cohort.updated", "cohort.closed"} <= actions


def test_renaming_to_a_taken_name_is_refused_and_the_export_is_audited(client, login, coordinator, cohort, db):
    factories.make_cohort("Taken")
    db.session.commit()
    login(coordinator)
    refused = client.post_form(f"/cohorts/{cohort.id}/edit", {"name": " Taken "})
    assert refused.status_code == 400
    assert "A cohort called Taken already exists." in refused.get_data(as_text=True)
    exported = client.get(f"/cohorts/{cohort.id}?format=csv")
    assert (
        exported.headers["Content-Disposition"]
        == f'attachment; filename="cohort-{cohort.id}-{today().isoformat()}.csv"'
    )
    actions = set(db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.subject_type == "Cohort")))
    assert "cohort.exported" in actions
    assert "cohort.updated" not in actions


def test_the_cohort_export_uses_the_imports_columns_and_can_be_imported_again(client, login, coordinator, mentor, db):
    first = factories.make_cohort("Exported", date(2025, 9, 1))
    p = factories.make_participant(
        first, factories.make_user(name="Zoë Łukasz"), team="Café team", swe_number="SW42", fte="0.8"
    )
    factories.assign(p, mentor)
    second = factories.make_cohort("Imported again", date(2026, 9, 7))
    db.session.commit()
    login(coordinator)
    exported = client.get(f"/cohorts/{first.id}?format=csv")
    data = exported.get_data()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark, for Excel
    lines = data.decode("utf-8-sig").strip().splitlines()
    assert lines[0] == ",".join(COLUMNS)
    assert lines[1] == f"Zoë,Łukasz,{p.user.email},2025-09-01,Café team,0.8,SW42,permanent,{mentor.email},,"
    preview = _upload(client, second, data)
    assert preview.status_code == 200
    assert "No problems were found" in preview.get_data(as_text=True)


def test_the_import_template_downloads_with_the_columns(client, login, coordinator):
    login(coordinator)
    page = client.get(f"/cohorts/{factories.make_cohort().id}/import").get_data(as_text=True)
    assert "/cohorts/import-template.csv" in page
    template = client.get("/cohorts/import-template.csv")
    assert template.mimetype == "text/csv"
    assert template.get_data().decode("utf-8-sig").splitlines()[0] == ",".join(COLUMNS)
