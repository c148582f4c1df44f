"""`flask academy create-user`."""

import sqlalchemy as sa

from academy.accounts.models import Role, User


def test_create_user_with_several_roles_from_environment_password(runner, db, monkeypatch):
    monkeypatch.setenv("ACADEMY_PASSWORD", "long-enough-password")
    result = runner.invoke(
        args=[
            "academy",
            "create-user",
            "--email",
            "Sam@Example.org",
            "--name",
            "Sam Staff",
            "--role",
            "coordinator",
            "--role",
            "mentor",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User).where(User.email == "sam@example.org"))
    assert user.roles == {Role.COORDINATOR, Role.MENTOR}
    assert user.password_hash.startswith("scrypt:")


def test_create_user_prompts_for_password_when_not_in_environment(runner, db, monkeypatch):
    monkeypatch.delenv("ACADEMY_PASSWORD", raising=False)
    result = runner.invoke(
        args=["academy", "create-user", "--email", "p@example.org", "--name", "Pat", "--role", "nqsw"],
        input="typed-password-123\ntyped-password-123\n",
    )
    assert result.exit_code == 0, result.output
    assert db.session.scalar(sa.select(User).where(User.email == "p@example.org")) is not None


def test_create_user_refuses_a_duplicate_email(runner, db, monkeypatch):
    monkeypatch.setenv("ACADEMY_PASSWORD", "long-enough-password")
    args = ["academy", "create-user", "--email", "d@example.org", "--name", "D", "--role", "nqsw"]
    assert runner.invoke(args=args).exit_code == 0
    result = runner.invoke(args=args)
    assert result.exit_code != 0
    assert "already exists" in result.output


def test_create_user_refuses_an_unknown_role(runner, db, monkeypatch):
    monkeypatch.setenv("ACADEMY_PASSWORD", "long-enough-password")
    result = runner.invoke(
        args=["academy", "create-user", "--email", "x@example.org", "--name", "X", "--role", "admin"]
    )
    assert result.exit_code != 0
