"""`flask --app wsgi academy audit-verify`."""

import click

from academy.audit.chain import verify
from academy.core.cli import academy_cli


@academy_cli.command("audit-verify")
def audit_verify_command() -> None:
    """Walk the audit trail's hash chain; report the first broken link and exit 1, or say it is intact."""
    result = verify()
    if result.broken is None:
        click.echo(f"Audit trail intact: {result.count} events.")
        click.echo(f"Latest hash: {result.last_hash} (note it elsewhere to detect a rewrite of the whole trail).")
        return
    broken = result.broken
    click.echo(
        f"Audit trail broken at event {broken.event_id} "
        f"({broken.at:%d %B %Y %H:%M:%S} UTC, {broken.action}: {broken.summary or 'no summary'}):\n"
        f"  {broken.problem}.\n"
        f"  The {result.count} events before it are intact.",
        err=True,
    )
    raise SystemExit(1)
