"""The password policy (NCSC): 12 to 256 characters, no composition rules, no common password (the shipped
deny list), not the academy's name or the person's email; said next to the field on every form that sets one."""

import tomllib
from pathlib import Path

import pytest

from academy.accounts.passwords import DENY_LIST, TOO_COMMON, common_passwords, password_problem
from academy.accounts.services import create_invitation
from config import Config
from tests import factories

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "password",
    [
        "plum orbit kettle",  # three random words, all lower case: fine, no symbols needed
        "x" * 12,
        "long-enough-password",
        "é" * 256,
        factories.PASSWORD,
        Config.DEMO_PASSWORD,
    ],
)
def test_long_uncommon_passwords_are_accepted_without_composition_rules(app, password):
    with app.app_context():
        assert password_problem(password, email="pat@example.org") is None


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("eleven-char", "at least 12 characters"),
        ("a" * 257, "256 characters or fewer"),
        ("password1234", TOO_COMMON),
        ("Password2026!", TOO_COMMON),  # a common word with digits and symbols added is still common
        ("pass word-12345", TOO_COMMON),
        ("QWERTYUIOP123", TOO_COMMON),
        ("123456789012", TOO_COMMON),
        ("1qaz2wsx3edc", TOO_COMMON),
        ("Liverpool1892", TOO_COMMON),
        ("socialworker1", TOO_COMMON),
        ("Social Work Academy", "name of the academy"),
        ("socialworkacademy2026", "name of the academy"),
        ("pat.smith@example.org", "your email address"),
        ("pat.smith12345", "your email address"),
    ],
)
def test_short_long_common_and_personal_passwords_are_refused(app, password, problem):
    with app.app_context():
        assert problem in (password_problem(password, email="pat.smith@example.org") or "")


def test_the_deny_list_is_shipped_with_the_package():
    assert DENY_LIST.is_relative_to(ROOT / "academy")
    assert len(common_passwords()) > 300
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    assert "accounts/data/*.txt" in package_data["academy"]


def test_setting_a_common_password_from_a_link_is_explained_next_to_the_field(client, db):
    user = factories.make_user()
    token = create_invitation(user)
    db.session.commit()
    response = client.post_form(f"/set-password/{token}", {"password": "Password2026!", "confirm": "Password2026!"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="password-error"' in page
    assert TOO_COMMON in page
    assert client.get(f"/set-password/{token}").status_code == 200  # the link is not used up by a refusal


def test_changing_to_ones_own_email_is_refused_next_to_the_field(client, db, login):
    user = factories.make_user(email="robin.example@example.org")
    login(user)
    response = client.post_form(
        "/account/password",
        {"current_password": factories.PASSWORD, "password": user.email, "confirm": user.email},
    )
    assert response.status_code == 400
    assert "Your password must not be your email address" in response.get_data(as_text=True)


def test_a_too_short_password_gets_a_clear_message(client, db):
    user = factories.make_user()
    token = create_invitation(user)
    db.session.commit()
    response = client.post_form(f"/set-password/{token}", {"password": "short-one", "confirm": "short-one"})
    assert response.status_code == 400
    assert "Your password must be at least 12 characters long" in response.get_data(as_text=True)


def test_the_command_line_refuses_a_common_password(runner, db, monkeypatch):
    monkeypatch.setenv("ACADEMY_PASSWORD", "welcome12345")
    result = runner.invoke(args=["academy", "create-user", "--email", "c@example.org", "--name", "C", "--role", "nqsw"])
    assert result.exit_code != 0
    assert "too common" in result.output
