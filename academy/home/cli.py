"""`flask --app wsgi academy remind`: email each person what is due or overdue (run it from cron)."""

import click
from flask import current_app

from academy.core.cli import academy_cli
from academy.extensions import db
from academy.home.reminders import send_reminders


@academy_cli.command("remind")
def remind_command() -> None:
    """Email due and overdue reviews, evidence waiting and panel decisions; never twice in a day."""
    base_url = (current_app.config.get("ACADEMY_BASE_URL") or "").rstrip("/")
    with current_app.test_request_context():  # the links are built as paths, then put after base_url
        people, count = send_reminders(base_url=base_url)
    db.session.commit()
    click.echo(f"Sent {count} reminder{'s' if count != 1 else ''} to {people} {'person' if people == 1 else 'people'}.")
