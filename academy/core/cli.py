"""The one user-facing command group: `flask --app wsgi academy <command>`.

Each feature keeps its commands in its own cli.py and adds them to this group; the commands that
concern the whole installation (backup and restore) are here.
"""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from academy.core.backup import BackupError, restore_backup, write_backup
from academy.extensions import db

academy_cli = AppGroup("academy", help="Social Work Academy commands.")


@academy_cli.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def backup_command(file: Path) -> None:
    """Write the database and the uploaded files to FILE (one archive, readable by you only)."""
    try:
        summary = write_backup(db.engine, Path(current_app.config["UPLOAD_FOLDER"]), file)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backed up the {summary.database} database and {summary.files} uploaded files to {file}.")


@academy_cli.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database and uploads folder that already hold data.")
def restore_command(file: Path, force: bool) -> None:
    """Replace the database and the uploaded files with those backed up in FILE."""
    try:
        summary = restore_backup(db.engine, Path(current_app.config["UPLOAD_FOLDER"]), file, force=force)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Restored the {summary.database} database and {summary.files} uploaded files from {file}.")
