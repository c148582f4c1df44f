"""`flask --app wsgi academy feedback-reminders`: expire old links and send each open one its one reminder
(run it daily from cron)."""

import click

from academy.core.cli import academy_cli
from academy.extensions import db
from academy.feedback.links import due_for_reminder, expire_overdue, prepare_reminder, prune_visits
from academy.feedback.mailing import send_request


@academy_cli.command("feedback-reminders")
def feedback_reminders_command() -> None:
    """Mark expired feedback links expired, remind once before a link expires, and forget old visit counts."""
    prune_visits()
    expired = expire_overdue()
    db.session.commit()
    sent = failed = 0
    for request in due_for_reminder():
        token = prepare_reminder(request)
        db.session.commit()  # the new link exists before it is emailed
        delivery = send_request(request, token, reminder=True)
        db.session.commit()
        sent += delivery.sent
        failed += not delivery.sent
    click.echo(f"{expired} feedback link(s) expired; {sent} reminder(s) emailed, {failed} not emailed.")
