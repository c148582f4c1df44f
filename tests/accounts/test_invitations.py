"""Invitations: a set-password link that expires and works once."""

from datetime import timedelta

from academy.accounts.models import Role
from academy.accounts.services import create_invitation, create_user
from tests.conftest import sign_in


def test_invitation_sets_the_password_once(client, db):
    user = create_user("invited@example.org", "Ivy Invited", {Role.NQSW})
    token = create_invitation(user)
    db.session.commit()
    form = {"password": "a-brand-new-password", "confirm": "a-brand-new-password"}
    response = client.post_form(f"/set-password/{token}", form)
    assert response.status_code == 302
    sign_in(client, user, password="a-brand-new-password")
    client.post_form("/sign-out", page="/home/nqsw")
    again = client.get(f"/set-password/{token}")
    assert again.status_code == 410
    assert "expired or has already been used" in again.get_data(as_text=True)


def test_expired_invitation_is_refused(client, db):
    user = create_user("late@example.org", "Lee Late", {Role.NQSW})
    token = create_invitation(user, valid_for=timedelta(seconds=-1))
    db.session.commit()
    assert client.get(f"/set-password/{token}").status_code == 410


def test_set_password_reports_mismatch_next_to_the_field(client, db):
    user = create_user("typo@example.org", "Tia Typo", {Role.NQSW})
    token = create_invitation(user)
    db.session.commit()
    response = client.post_form(
        f"/set-password/{token}", {"password": "a-brand-new-password", "confirm": "different-one!!"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The passwords do not match" in html
    assert "govuk-error-summary" in html
    assert user.password_hash is None
