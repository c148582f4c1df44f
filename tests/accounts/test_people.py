"""Coordinators manage staff accounts in the app: find anyone, add staff, change roles, deactivate and
reactivate, send an invitation again; every change audited; failures to email are told, never a 500."""

import sqlalchemy as sa

from academy.accounts.models import Role, User
from academy.accounts.services import set_active
from academy.audit.models import AuditEvent
from academy.extensions import db
from academy.participants.queries import staff_choices
from tests import factories
from tests.conftest import sign_in
from tests.smtp import closed_port


def _actions(user: User) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(AuditEvent.action)
            .where(AuditEvent.subject_type == "User", AuditEvent.subject_id == user.id)
            .order_by(AuditEvent.id)
        )
    )


def test_people_are_found_by_name_or_email_across_cohorts(client, db, login, coordinator):
    cohort_a, cohort_b = factories.make_cohort("Spring intake"), factories.make_cohort("Autumn intake")
    factories.make_participant(cohort_a, factories.make_user({"nqsw"}, name="Priya Patel", email="pp@example.org"))
    factories.make_participant(cohort_b, factories.make_user({"nqsw"}, name="Peter Pan", email="peter@example.org"))
    factories.make_user({"mentor"}, name="Mo Mentor", email="mo_mentor@example.org")
    db.session.commit()
    login(coordinator)
    html = client.get("/people?q=p").get_data(as_text=True)
    assert "Priya Patel" in html
    assert "Peter Pan" in html
    assert "Spring intake" in html
    assert "Autumn intake" in html
    by_email = client.get("/people?q=PETER@EX").get_data(as_text=True)
    assert "Peter Pan" in by_email
    assert "Priya Patel" not in by_email
    underscore = client.get("/people?q=mo_").get_data(as_text=True)
    assert "Mo Mentor" in underscore
    staff_only = client.get("/people?role=mentor").get_data(as_text=True)
    assert "Mo Mentor" in staff_only
    assert "Peter Pan" not in staff_only


def test_only_coordinators_manage_people(client, db, login, mentor):
    login(mentor)
    assert client.get("/people").status_code == 403
    assert client.get(f"/people/{mentor.id}").status_code == 403
    assert client.get("/people/new").status_code == 403


def test_a_coordinator_adds_a_member_of_staff_who_is_invited_by_email(client, db, login, coordinator, mail_server):
    login(coordinator)
    response = client.post_form(
        "/people/new", {"name": "Ash Assessor", "email": "Ash@Example.org", "roles": ["mentor", "coordinator"]}
    )
    assert response.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.email == "ash@example.org"))
    assert user.roles == {Role.MENTOR, Role.COORDINATOR}
    assert user.password_hash is None
    page = client.get(response.location).get_data(as_text=True)
    assert "has been emailed to ash@example.org" in page
    assert "invitation emailed" in page
    link = mail_server.last_link("ash@example.org").removeprefix("http://localhost")
    assert client.get(link).status_code == 200
    assert "user.created" in _actions(user)


def test_an_email_already_in_use_is_refused_next_to_the_field(client, db, login, coordinator, nqsw):
    login(coordinator)
    response = client.post_form("/people/new", {"name": "Dup", "email": nqsw.email, "roles": ["mentor"]})
    assert response.status_code == 400
    assert "already exists" in response.get_data(as_text=True)


def test_a_failed_send_is_told_with_send_again_and_no_500(client, db, login, coordinator, app, mail_server):
    login(coordinator)
    app.config["MAIL_PORT"] = closed_port()
    response = client.post_form("/people/new", {"name": "Una Unsent", "email": "una@example.org", "roles": ["mentor"]})
    assert response.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.email == "una@example.org"))
    assert user is not None  # the account was committed before the send
    page = client.get(response.location).get_data(as_text=True)
    assert "could not be emailed" in page
    assert "has been emailed" not in page
    assert "Send it again" in page
    assert "invitation not emailed" in page
    assert "Una Unsent" in client.get("/people?status=not-emailed").get_data(as_text=True)
    app.config["MAIL_PORT"] = mail_server.port
    again = client.post_form(f"/people/{user.id}/invitation", page=f"/people/{user.id}")
    assert again.status_code == 302
    assert "has been emailed" in client.get(again.location).get_data(as_text=True)
    assert len(mail_server.to("una@example.org")) == 1
    assert "Una Unsent" not in client.get("/people?status=not-emailed").get_data(as_text=True)


def test_without_a_mail_server_nothing_claims_to_be_emailed_and_the_outbox_has_it(client, db, login, coordinator):
    login(coordinator)
    response = client.post_form(
        "/people/new", {"name": "Olly Outbox", "email": "olly@example.org", "roles": ["mentor"]}
    )
    page = client.get(response.location).get_data(as_text=True)
    assert "was not emailed: it is in the" in page
    assert "has been emailed" not in page
    outbox = client.get("/outbox").get_data(as_text=True)
    assert "olly@example.org" in outbox
    assert 'href="http://localhost/set-password/' in outbox


def test_the_outbox_is_for_development_without_a_mail_server_only(client, db, login, coordinator, app, mail_server):
    login(coordinator)
    assert client.get("/outbox").status_code == 404  # a mail server is set
    app.config.update(MAIL_SERVER=None, IS_PRODUCTION=True)
    try:
        assert client.get("/outbox").status_code == 404
    finally:
        app.config["IS_PRODUCTION"] = False


def test_roles_are_changed_and_audited(client, db, login, coordinator):
    staff = factories.make_user({"mentor"}, name="Rae Roles")
    db.session.commit()
    login(coordinator)
    response = client.post_form(f"/people/{staff.id}/roles", {"roles": ["coordinator"]}, page=f"/people/{staff.id}")
    assert response.status_code == 302
    assert staff.roles == {Role.COORDINATOR}
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "user.roles_changed"))
    assert event.before == {"roles": ["mentor"]}
    assert event.after == {"roles": ["coordinator"]}


def test_an_nqsw_keeps_the_nqsw_role_and_an_account_needs_a_role(client, db, login, coordinator, nqsw):
    login(coordinator)
    client.post_form(f"/people/{nqsw.id}/roles", {"roles": ["mentor"]}, page=f"/people/{nqsw.id}")
    assert nqsw.roles == {Role.NQSW, Role.MENTOR}
    staff = factories.make_user({"mentor"})
    db.session.commit()
    response = client.post_form(f"/people/{staff.id}/roles", {}, page=f"/people/{staff.id}")
    assert response.status_code == 400
    assert "account needs one" in response.get_data(as_text=True)


def test_a_coordinator_cannot_remove_their_own_coordinator_role_or_deactivate_themself(client, db, login, coordinator):
    login(coordinator)
    response = client.post_form(f"/people/{coordinator.id}/roles", {"roles": ["mentor"]}, page="/people")
    assert response.status_code == 400
    assert "your own coordinator role" in response.get_data(as_text=True)
    client.post_form(f"/people/{coordinator.id}/deactivate", page="/people")
    assert coordinator.active


def test_deactivated_staff_cannot_sign_in_leave_the_choices_and_keep_their_history(client, db, login, coordinator):
    staff = factories.make_user({"mentor"}, name="Lee Leaver")
    participant = factories.make_participant()
    factories.assign(participant, staff)
    db.session.commit()
    assert any(staff.name in choice.label for choice in staff_choices("None"))
    login(coordinator)
    response = client.post_form(f"/people/{staff.id}/deactivate", page=f"/people/{staff.id}")
    assert response.status_code == 302
    assert not staff.active
    assert not any(staff.name in choice.label for choice in staff_choices("None"))
    assert participant.assignments[0].user_id == staff.id  # history stays
    client.post_form("/sign-out", page="/people")
    refused = client.post_form("/sign-in", {"email": staff.email, "password": factories.PASSWORD})
    assert refused.status_code == 400
    login(coordinator)
    client.post_form(f"/people/{staff.id}/reactivate", page=f"/people/{staff.id}")
    assert staff.active
    assert _actions(staff)[-2:] == ["user.deactivated", "user.activated"]
    client.post_form("/sign-out", page="/people")
    sign_in(client, staff)


def test_a_signed_in_person_who_is_deactivated_is_signed_out(client, db, login, coordinator):
    staff = factories.make_user({"mentor"})
    db.session.commit()
    login(staff)
    assert client.get("/home/mentor").status_code == 200
    set_active(staff, False, actor=coordinator)
    db.session.commit()
    assert client.get("/home/mentor").status_code == 302


def test_staff_choices_show_how_many_nqsws_each_person_holds(db):
    busy = factories.make_user({"mentor"}, name="Bea Busy")
    factories.make_user({"mentor"}, name="Fay Free")
    cohort = factories.make_cohort()
    for _ in range(3):
        factories.assign(factories.make_participant(cohort), busy)
    factories.assign(factories.make_participant(cohort), busy, "mentor")
    labels = [choice.label for choice in staff_choices("Choose")]
    assert any(
        label.startswith("Bea Busy") and label.endswith(": assessor for 3 NQSWs, mentor for 1") for label in labels
    )
    assert any(label.startswith("Fay Free") and label.endswith(": no NQSWs yet") for label in labels)


def test_the_assignment_select_shows_the_workload(client, db, login, coordinator):
    busy = factories.make_user({"mentor"}, name="Bea Busy")
    participant = factories.make_participant()
    factories.assign(participant, busy)
    other = factories.make_participant(participant.cohort)
    db.session.commit()
    login(coordinator)
    html = client.get(f"/participants/{other.id}").get_data(as_text=True)
    assert "Bea Busy" in html
    assert "assessor for 1 NQSW" in html
