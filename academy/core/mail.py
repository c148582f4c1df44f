"""Sending email through SMTP settings, or to the log when none are set."""

import smtplib
from email.message import EmailMessage

from flask import current_app


def send_email(to: str, subject: str, body: str) -> None:
    """Send a plain-text email; without MAIL_SERVER it is written to the application log."""
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        current_app.logger.info("Email to %s: %s\n%s", to, subject, body)
        return
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)
