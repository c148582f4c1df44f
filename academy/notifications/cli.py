"""`flask --app wsgi academy send-mail`: send again the notification emails a mail server has not yet taken."""

import click

from academy.core.cli import academy_cli
from academy.notifications.services import MAX_EMAIL_ATTEMPTS, send_pending_emails


@academy_cli.command("send-mail")
def send_mail_command() -> None:
    """Email every notification still waiting for a mail server (run it from cron, e.g. every 5 minutes)."""
    run = send_pending_emails()
    click.echo(f"{run.sent} notification email{'s' if run.sent != 1 else ''} sent.")
    if run.failed:
        click.echo(
            f"{run.failed} could not be sent: the mail server could not be reached or refused them. They are tried "
            f"again next time, up to {MAX_EMAIL_ATTEMPTS} times each."
        )
        raise SystemExit(1)
