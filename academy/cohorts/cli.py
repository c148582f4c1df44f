"""`flask --app wsgi academy import-cohort FILE --cohort NAME [--start YYYY-MM-DD] [--dry-run]`."""

from datetime import date
from pathlib import Path

import click
import sqlalchemy as sa

from academy.cohorts.bulk import import_rows
from academy.cohorts.enrolment import can_send_links, email_invitation, invite
from academy.cohorts.importer import check_file
from academy.cohorts.models import Cohort
from academy.cohorts.services import create_cohort, default_frameworks
from academy.core.cli import academy_cli
from academy.core.errors import DomainError
from academy.extensions import db
from academy.programmes.services import default_programme, ensure_default_programmes


def _start_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("write the date as YYYY-MM-DD, like 2026-09-07", param_hint="--start") from None


@academy_cli.command("import-cohort")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--cohort", "cohort_name", required=True, help="The cohort's name; created if there is none.")
@click.option("--start", help="Start date (YYYY-MM-DD) of a new cohort, and of rows with no start_date.")
@click.option("--dry-run", is_flag=True, help="Check the file and report; write nothing.")
def import_cohort_command(file: Path, cohort_name: str, start: str | None, dry_run: bool) -> None:
    """Enrol everyone in FILE (CSV) into a cohort: all rows, or none if any row is bad."""
    start_date = _start_date(start)
    cohort = db.session.scalar(sa.select(Cohort).where(Cohort.name == cohort_name.strip()))
    if cohort is None and start_date is None:
        raise click.UsageError(f"There is no cohort called {cohort_name}: give --start to create it.")
    check = check_file(file.read_bytes(), cohort, default_start=start_date)
    for error in check.errors:
        column = f", column {error.column}" if error.column else ""
        click.echo(f"Line {error.line}{column}: {error.message}", err=True)
    if check.errors:
        click.echo(f"{len(check.errors)} problem(s) found; nothing was imported.", err=True)
        raise SystemExit(1)
    if dry_run:
        click.echo(f"Dry run: {len(check.rows)} people would be enrolled ({check.new_accounts} new accounts).")
        return
    try:
        if cohort is None:
            assert start_date is not None  # refused above without --start; narrows the type only  # nosec B101
            ensure_default_programmes()
            programme = default_programme()
            cohort = create_cohort(
                cohort_name, start_date, programme, default_frameworks(programme, start_date), actor=None
            )
            click.echo(f"Created cohort {cohort.name} starting {start_date.isoformat()}.")
        made = import_rows(cohort, check, actor=None, source=file.name)
        new_users = [p.user for p, new in made if new]
        tokens = [(user, invite(user, actor=None)) for user in new_users] if can_send_links() else []
    except DomainError as error:
        db.session.rollback()
        click.echo(f"Error: {error.message} Nothing was imported.", err=True)
        raise SystemExit(1) from None
    db.session.commit()
    deliveries = [email_invitation(user, token) for user, token in tokens]
    db.session.commit()  # records which invitations were emailed
    click.echo(f"Enrolled {len(made)} people in {cohort.name} ({len(new_users)} new accounts).")
    if tokens:
        emailed = sum(1 for d in deliveries if d.sent)
        click.echo(f"{emailed} of {len(tokens)} invitations emailed.")
        if emailed < len(tokens):
            click.echo("Send the others again from People in the app (filter: invitation not emailed).")
    if new_users and not tokens:
        click.echo("Invitations were not sent (ACADEMY_BASE_URL is not set): send them from each participant's page.")
