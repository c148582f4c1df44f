"""Notification emails go out after the commit, through a real SMTP server, and one that could not be sent
is sent again by `flask academy send-mail`."""

import pytest
import sqlalchemy as sa

from academy.extensions import db as _db
from academy.notifications.models import Notification, NotificationKind
from academy.notifications.services import MAX_EMAIL_ATTEMPTS, notify
from tests import factories
from tests.smtp import free_port, running_mail_server


@pytest.fixture
def nqsw_user(db):
    user = factories.make_user(("nqsw",), name="Rita Retry", email="rita.retry@example.org")
    _db.session.commit()
    return user


@pytest.fixture
def refusing_mail_server(app):
    """MAIL_SERVER pointing at a local port nothing listens on: every connection is refused."""
    saved = {key: app.config.get(key) for key in ("MAIL_SERVER", "MAIL_PORT")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())
    yield
    app.config.update(saved)


def notification_for(user) -> Notification:
    return _db.session.scalar(sa.select(Notification).where(Notification.recipient_id == user.id))


def test_an_email_a_mail_server_took_is_recorded_as_emailed(nqsw_user, mail_server):
    notify([nqsw_user], NotificationKind.OUTCOME, "Your panel has decided", "home.index")
    assert not mail_server.to(nqsw_user.email)  # nothing is sent before the change is committed
    _db.session.commit()
    (message,) = mail_server.to(nqsw_user.email)
    assert message["Subject"] == "Your panel has decided"
    notification = notification_for(nqsw_user)
    _db.session.refresh(notification)
    assert (notification.email_pending, notification.email_attempts) == (False, 1)
    assert notification.emailed_at is not None


def test_a_refused_email_keeps_the_change_and_is_sent_again_by_the_command(
    nqsw_user, refusing_mail_server, runner, app
):
    notify([nqsw_user], NotificationKind.OUTCOME, "Your panel has decided", "home.index")
    _db.session.commit()  # the mail server refuses: the commit stands, the email waits
    notification = notification_for(nqsw_user)
    _db.session.refresh(notification)
    assert (notification.email_pending, notification.email_attempts, notification.emailed_at) == (True, 1, None)

    still_down = runner.invoke(args=["academy", "send-mail"])
    assert still_down.exit_code == 1
    assert "1 could not be sent" in still_down.output

    with running_mail_server() as server:
        app.config.update(MAIL_SERVER=server.host, MAIL_PORT=server.port)
        sent = runner.invoke(args=["academy", "send-mail"])
        assert sent.exit_code == 0, sent.output
        assert "1 notification email sent." in sent.output
        assert [m["Subject"] for m in server.to(nqsw_user.email)] == ["Your panel has decided"]
        again = runner.invoke(args=["academy", "send-mail"])  # nothing is sent twice
        assert "0 notification emails sent." in again.output
        assert len(server.to(nqsw_user.email)) == 1
    _db.session.refresh(notification)
    assert (notification.email_pending, notification.email_attempts) == (False, 3)
    assert notification.emailed_at is not None


def test_an_email_is_given_up_after_the_last_attempt(nqsw_user, refusing_mail_server, runner):
    notify([nqsw_user], NotificationKind.OUTCOME, "Never delivered", "home.index")
    _db.session.commit()
    for _ in range(MAX_EMAIL_ATTEMPTS + 2):
        runner.invoke(args=["academy", "send-mail"])
    notification = notification_for(nqsw_user)
    _db.session.refresh(notification)
    assert notification.email_attempts == MAX_EMAIL_ATTEMPTS
    assert notification.email_pending  # still shown as not emailed; the notification is in the app


def test_the_person_who_acted_is_told_when_the_email_could_not_be_sent(client, login, db, refusing_mail_server):
    team = factories.make_team()
    entry = factories.make_entry(team.participant, submit=False)
    db.session.commit()
    login(team.nqsw)
    page = client.post_form(
        f"/evidence/{entry.id}/submit",
        {"anonymised_confirmed": "y"},
        page=f"/evidence/{entry.id}",
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Saved, but the email telling 1 person about it could not be sent just now" in page
    told = notification_for(team.assessor)
    assert told is not None  # in the assessor's notifications
    assert told.email_pending  # and sent again later
