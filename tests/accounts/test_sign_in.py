"""Signing in and out: roles, wrong credentials, deactivated accounts, CSRF, redirects (throttling: test_throttling)."""

import pytest

from academy.accounts.services import set_active
from tests.conftest import PASSWORD, sign_in
from tests.factories import make_user

WRONG = "Enter a correct email address and password"


@pytest.mark.parametrize(
    ("roles", "home"),
    [({"coordinator"}, "/home/coordinator"), ({"mentor"}, "/home/mentor"), ({"nqsw"}, "/home/nqsw")],
)
def test_each_role_lands_on_its_own_home_page(client, db, roles, home):
    user = make_user(roles)
    sign_in(client, user)
    response = client.get("/")
    assert response.status_code == 302
    assert response.location == home
    assert client.get(home).status_code == 200


def test_a_person_with_several_roles_can_reach_each_home(client, db):
    user = make_user({"coordinator", "mentor"})
    sign_in(client, user)
    assert client.get("/").location == "/home/coordinator"
    page = client.get("/home/coordinator").get_data(as_text=True)
    assert "Mentor and assessor home" in page
    assert client.get("/home/mentor").status_code == 200
    assert client.get("/home/nqsw").status_code == 403


def test_wrong_password_and_unknown_email_get_the_same_message(client, db):
    user = make_user()
    wrong_password = client.post_form("/sign-in", {"email": user.email, "password": "not-the-password"})
    unknown_email = client.post_form("/sign-in", {"email": "nobody@example.org", "password": "whatever-it-is"})
    for response in (wrong_password, unknown_email):
        assert response.status_code == 400
        assert WRONG in response.get_data(as_text=True)
    assert "no account" not in unknown_email.get_data(as_text=True).lower()


def test_email_is_matched_without_regard_to_case(client, db):
    user = make_user(email="Mixed.Case@Example.org")
    response = client.post_form("/sign-in", {"email": "  MIXED.case@example.ORG ", "password": PASSWORD})
    assert response.status_code == 302
    assert user.email == "mixed.case@example.org"


def test_deactivated_account_cannot_sign_in(client, db, coordinator):
    user = make_user()
    set_active(user, False, actor=coordinator)
    db.session.commit()
    response = client.post_form("/sign-in", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert WRONG in response.get_data(as_text=True)


def test_deactivating_ends_an_existing_session(client, db, coordinator):
    user = make_user()
    sign_in(client, user)
    assert client.get("/home/nqsw").status_code == 200
    set_active(user, False, actor=coordinator)
    db.session.commit()
    assert client.get("/home/nqsw").status_code == 302


def test_sign_in_without_csrf_token_is_refused(client, db):
    user = make_user()
    response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/home/nqsw").status_code == 302  # still signed out


def test_next_parameter_cannot_redirect_off_site(client, db):
    user = make_user({"coordinator"})
    token = client.csrf_token()
    response = client.post(
        "/sign-in?next=https://evil.example.com/", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.location == "/"
    client.post_form("/sign-out", page="/home/coordinator")
    token = client.csrf_token()
    response = client.post(
        "/sign-in?next=/cohorts", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.location == "/cohorts"


def test_sign_out_needs_a_post_with_csrf(client, db):
    user = make_user({"mentor"})
    sign_in(client, user)
    assert client.get("/sign-out").status_code == 405
    assert client.post("/sign-out").status_code == 400
    response = client.post_form("/sign-out", page="/home/mentor")
    assert response.status_code == 302
    assert client.get("/home/mentor").status_code == 302


def test_passwords_are_stored_hashed_with_scrypt(db):
    user = make_user()
    assert user.password_hash.startswith("scrypt:")
    assert PASSWORD not in user.password_hash


def test_pages_need_sign_in(client, db):
    response = client.get("/home/coordinator")
    assert response.status_code == 302
    assert response.location.startswith("/sign-in")
