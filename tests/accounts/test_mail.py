"""Mail that arrives: real SMTP through the MAIL_* settings, the development outbox, failures told, links
from ACADEMY_BASE_URL only."""

import logging
import os
import stat

from academy.accounts.mailing import send_link
from academy.accounts.models import Invitation
from academy.accounts.services import create_invitation
from academy.core.mail import DeliveryStatus, outbox_messages, send_email
from academy.core.urls import absolute_url
from tests import factories
from tests.smtp import closed_port


def test_an_email_reaches_the_smtp_server(app, db, mail_server):
    delivery = send_email("someone@example.org", "Hello", "The body.")
    assert delivery.status == DeliveryStatus.SENT
    (message,) = mail_server.to("someone@example.org")
    assert message["Subject"] == "Hello"
    assert message["From"] == app.config["MAIL_SENDER"]
    assert message.get_content().strip() == "The body."


def test_a_mail_server_that_is_down_is_reported_not_raised(app, db, caplog):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=closed_port())
    try:
        with caplog.at_level(logging.ERROR):
            delivery = send_email("someone@example.org", "Hello", "The body.")
    finally:
        app.config.update(MAIL_SERVER=None, MAIL_PORT=25)
    assert delivery.status == DeliveryStatus.FAILED
    assert not delivery.sent
    assert "could not be reached" in delivery.reason
    assert "NOT SENT" in caplog.text


def test_without_a_mail_server_development_writes_to_the_log_at_warning_and_the_outbox(app, db, caplog):
    with caplog.at_level(logging.WARNING):
        delivery = send_email("dev@example.org", "Your account", "Set it here: http://localhost/set-password/abc")
    assert delivery.status == DeliveryStatus.OUTBOX
    assert not delivery.sent
    (record,) = [r for r in caplog.records if r.getMessage().startswith("Email to dev@example.org")]
    assert record.levelno == logging.WARNING
    assert "http://localhost/set-password/abc" in record.getMessage()
    newest = outbox_messages()[0]
    assert (newest.to, newest.subject) == ("dev@example.org", "Your account")


def test_outbox_files_are_readable_by_the_app_account_only(app, db, tmp_path, monkeypatch):
    """An email in the outbox can hold a set-password link: 0600 in a 0700 folder, whatever the umask."""
    folder = tmp_path / "open-outbox"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    monkeypatch.setitem(app.config, "MAIL_OUTBOX_FOLDER", str(folder))
    previous = os.umask(0o022)
    try:
        send_email("private@example.org", "Your link", "Set it here: http://localhost/set-password/xyz")
    finally:
        os.umask(previous)
    (written,) = list(folder.iterdir())
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert outbox_messages()[0].to == "private@example.org"


def test_production_without_a_mail_server_fails_loudly_and_keeps_no_outbox(app, db, caplog):
    app.config["IS_PRODUCTION"] = True
    try:
        with caplog.at_level(logging.ERROR):
            delivery = send_email("prod@example.org", "Hello", "Body")
    finally:
        app.config["IS_PRODUCTION"] = False
    assert delivery.status == DeliveryStatus.FAILED
    assert "MAIL_SERVER" in delivery.reason
    assert all(m.to != "prod@example.org" for m in outbox_messages())


def test_links_come_from_academy_base_url_never_the_host_header(app, db, mail_server):
    user = factories.make_user({"mentor"})
    token = create_invitation(user)
    app.config["ACADEMY_BASE_URL"] = "https://academy.council.example/"
    try:
        with app.test_request_context("/people/new", base_url="http://evil.example"):
            assert absolute_url("accounts.sign_in") == "https://academy.council.example/sign-in"
            assert send_link(user, token).sent
    finally:
        app.config["ACADEMY_BASE_URL"] = "http://localhost"
    assert mail_server.last_link(user.email) == f"https://academy.council.example/set-password/{token}"
    assert "evil.example" not in mail_server.to(user.email)[0].get_content()


def test_without_a_base_url_no_link_is_emailed_and_the_reason_is_given(app, db, mail_server):
    user = factories.make_user({"mentor"})
    token = create_invitation(user)
    app.config["ACADEMY_BASE_URL"] = ""
    try:
        delivery = send_link(user, token)
    finally:
        app.config["ACADEMY_BASE_URL"] = "http://localhost"
    assert delivery.status == DeliveryStatus.FAILED
    assert "ACADEMY_BASE_URL" in delivery.reason
    assert mail_server.to(user.email) == []


def test_a_link_handed_to_the_mail_server_is_marked_emailed(app, db, mail_server):
    user = factories.make_user({"mentor"})
    token = create_invitation(user)
    (link,) = db.session.query(Invitation).filter_by(user_id=user.id).all()
    assert link.emailed_at is None
    assert send_link(user, token).sent
    assert link.emailed_at is not None
