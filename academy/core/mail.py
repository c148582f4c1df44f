"""Sending email through the MAIL_* settings; without MAIL_SERVER, to the log and the development outbox.

`send_email` never raises for a mail problem: it returns a `Delivery` saying whether the message was
handed to a mail server, kept in the outbox (development, no MAIL_SERVER), or not sent and why. Pages
say "emailed" only for a message that was handed to a mail server (`Delivery.sent`).
"""

import enum
import json
import smtplib
import uuid
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path

from flask import current_app

from academy.core.db import now_utc
from academy.core.files import private_folder, write_private


class DeliveryStatus(enum.StrEnum):
    SENT = "sent"  # handed to the mail server
    OUTBOX = "outbox"  # no mail server (development): written to the log and the outbox
    FAILED = "failed"  # not sent: the mail server refused or could not be reached, or none is set up


@dataclass(frozen=True)
class Delivery:
    status: DeliveryStatus
    reason: str = ""

    @property
    def sent(self) -> bool:
        return self.status == DeliveryStatus.SENT


@dataclass(frozen=True)
class OutboxMessage:
    """A message written to the development outbox instead of being sent."""

    id: str
    to: str
    subject: str
    body: str
    at: datetime


def outbox_enabled() -> bool:
    """The outbox keeps messages only outside production and only without a mail server."""
    config = current_app.config
    return not config.get("IS_PRODUCTION") and not config.get("MAIL_SERVER")


def _outbox_folder() -> Path:
    return Path(current_app.config.get("MAIL_OUTBOX_FOLDER") or Path(current_app.instance_path) / "outbox")


def send_email(to: str, subject: str, body: str) -> Delivery:
    """Send a plain-text email and say what became of it (see `Delivery`); never raises for mail problems."""
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        if not outbox_enabled():
            current_app.logger.error("Email to %s NOT SENT (MAIL_SERVER is not set): %s", to, subject)
            return Delivery(DeliveryStatus.FAILED, "no mail server is set up (MAIL_SERVER)")
        _write_outbox(to, subject, body)
        # WARNING, so that it shows in the console of `make run` (Flask's logger hides INFO).
        current_app.logger.warning(
            "Email to %s: %s\n(Not sent: MAIL_SERVER is not set. Kept in the Outbox.)\n\n%s", to, subject, body
        )
        return Delivery(DeliveryStatus.OUTBOX)
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config.get("MAIL_TIMEOUT", 30)) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
    except (smtplib.SMTPException, OSError) as error:
        current_app.logger.error("Email to %s NOT SENT (%s): %s", to, error, subject)
        return Delivery(DeliveryStatus.FAILED, "the mail server could not be reached or refused it")
    current_app.logger.info("Email to %s sent: %s", to, subject)
    return Delivery(DeliveryStatus.SENT)


def _write_outbox(to: str, subject: str, body: str) -> None:
    # An email holds personal data (and set-password links): only the app's account may read it.
    folder = private_folder(_outbox_folder())
    at = now_utc()
    name = f"{at:%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}"
    record = {"to": to, "subject": subject, "body": body, "at": at.isoformat()}
    write_private(folder / f"{name}.json", json.dumps(record).encode("utf-8"))


def outbox_messages(limit: int = 200) -> list[OutboxMessage]:
    """The newest messages kept in the development outbox, newest first."""
    folder = _outbox_folder()
    if not folder.is_dir():
        return []
    messages = []
    for path in sorted(folder.glob("*.json"), reverse=True)[:limit]:
        record = json.loads(path.read_text(encoding="utf-8"))
        messages.append(
            OutboxMessage(
                id=path.stem,
                to=record["to"],
                subject=record["subject"],
                body=record["body"],
                at=datetime.fromisoformat(record["at"]),
            )
        )
    return messages
