"""`flask --app wsgi academy load-frameworks`."""

import click

from academy.core.cli import academy_cli
from academy.extensions import db
from academy.frameworks.loader import load_shipped_frameworks


@academy_cli.command("load-frameworks")
def load_frameworks_command() -> None:
    """Load the shipped frameworks (KSS, PCF, SWE standards). Safe to run again."""
    loaded = load_shipped_frameworks()
    db.session.commit()
    if loaded:
        for framework in loaded:
            click.echo(f"Loaded {framework.code} {framework.version}: {len(framework.elements)} elements")
    else:
        click.echo("All shipped frameworks are already loaded.")
