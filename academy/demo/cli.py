"""`flask --app wsgi academy demo` and `flask --app wsgi academy setup`."""

import click
import sqlalchemy as sa
from flask import current_app

from academy.accounts.models import User
from academy.core.cli import academy_cli
from academy.demo.seed import DEMO_MARKER_EMAIL, demo_sign_ins, seed_demo
from academy.extensions import db
from academy.frameworks.loader import load_shipped_frameworks
from academy.programmes.services import ensure_default_programmes


def _print_sign_ins() -> None:
    click.echo("Demo sign-ins (password from ACADEMY_DEMO_PASSWORD, default in the README):")
    for label, email in demo_sign_ins():
        click.echo(f"  {label:<12} {email}")


@academy_cli.command("demo")
def demo_command() -> None:
    """Seed a synthetic academy: three cohorts, about 45 NQSWs, 10 mentors, 2 coordinators."""
    if current_app.config.get("IS_PRODUCTION"):
        raise click.ClickException("The demo data cannot be loaded under the production configuration.")
    ensure_default_programmes()
    load_shipped_frameworks()
    if db.session.scalar(sa.select(User.id).where(User.email == DEMO_MARKER_EMAIL)) is not None:
        click.echo("The demo academy is already loaded; nothing was added.")
    else:
        seed_demo(current_app.config["DEMO_PASSWORD"])
        db.session.commit()
        click.echo("Loaded the demo academy.")
    _print_sign_ins()


@academy_cli.command("setup")
@click.option("--demo/--no-demo", default=True, help="Load the demo academy into an empty database.")
@click.pass_context
def setup_command(ctx: click.Context, demo: bool) -> None:
    """First-run setup: default programmes, shipped frameworks, and (into an empty database) the demo."""
    ensure_default_programmes()
    load_shipped_frameworks()
    db.session.commit()
    empty = db.session.scalar(sa.select(sa.func.count(User.id))) == 0
    if demo and empty and not current_app.config.get("IS_PRODUCTION"):
        ctx.invoke(demo_command)
    elif demo and not current_app.config.get("IS_PRODUCTION"):
        _print_sign_ins()
