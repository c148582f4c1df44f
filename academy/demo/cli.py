"""`flask --app wsgi academy demo` and `flask --app wsgi academy setup`."""

import click
import sqlalchemy as sa
from flask import current_app

from academy.accounts.models import User
from academy.core.cli import academy_cli
from academy.core.secret_key import LOCAL_ENVIRONMENTS
from academy.demo.seed import DEMO_MARKER_EMAIL, demo_sign_ins, seed_demo
from academy.extensions import db
from academy.frameworks.loader import load_shipped_frameworks
from academy.programmes.services import ensure_default_programmes


def demo_allowed() -> bool:
    """The demo's accounts share a password printed in the README: only development and test may have them."""
    config = current_app.config
    return config.get("ACADEMY_ENV") in LOCAL_ENVIRONMENTS and not config.get("IS_PRODUCTION")


def _print_sign_ins() -> None:
    click.echo("Demo sign-ins (password from ACADEMY_DEMO_PASSWORD, default in the README):")
    for label, email in demo_sign_ins():
        click.echo(f"  {label:<12} {email}")


@academy_cli.command("demo")
def demo_command() -> None:
    """Seed a synthetic academy: three cohorts, about 45 NQSWs, 10 mentors, 2 coordinators."""
    if not demo_allowed():
        raise click.ClickException(
            "The demo academy (whose accounts share the password in the README) can only be loaded under the "
            f"development or test configuration, not {current_app.config.get('ACADEMY_ENV', 'production')}."
        )
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
    if demo and empty and demo_allowed():
        ctx.invoke(demo_command)
    elif demo and demo_allowed():
        _print_sign_ins()
