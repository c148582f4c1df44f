"""`flask --app wsgi academy create-user`."""

import os

import click

from academy.accounts.models import Role
from academy.accounts.services import create_user
from academy.core.cli import academy_cli
from academy.core.errors import DomainError
from academy.extensions import db


@academy_cli.command("create-user")
@click.option("--email", required=True, help="Sign-in email address.")
@click.option("--name", required=True, help="Full name as shown in the app.")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    type=click.Choice([r.value for r in Role]),
    help="Repeat for several roles.",
)
def create_user_command(email: str, name: str, roles: tuple[str, ...]) -> None:
    """Create an account. The password comes from ACADEMY_PASSWORD, else a prompt; it must meet the password
    policy (at least 12 characters, not a common password)."""
    password = os.environ.get("ACADEMY_PASSWORD") or click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(email, name, {Role(r) for r in roles}, password=password)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"Created {user.email} with roles: {', '.join(sorted(roles))}")
