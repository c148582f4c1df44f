"""Programme settings are editable, and a cohort keeps the copy it was created with."""

import sqlalchemy as sa

from academy.programmes.models import Programme
from academy.programmes.services import default_programme, ensure_default_programmes
from tests import factories


def _form(client, programme):
    from academy.programmes.services import settings_form_data

    data = {k: str(v) for k, v in settings_form_data(programme).items()}
    return data


def test_edit_settings_changes_new_cohorts_only(client, login, coordinator, db):
    ensure_default_programmes()
    before = factories.make_cohort("Before the edit")
    programme = default_programme()
    db.session.commit()
    login(coordinator)
    data = _form(client, programme) | {
        "direct_observation": "4",
        "months_review_3m": "2",
        "protected_time_percent": "12.5",
    }
    response = client.post_form(f"/programmes/{programme.id}", data)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    db.session.refresh(programme)
    assert programme.settings["minimum_evidence"]["direct_observation"] == 4
    assert programme.settings["protected_time_share"] == 0.125
    after = factories.make_cohort("After the edit")
    assert before.settings["minimum_evidence"]["direct_observation"] == 3
    assert after.settings["minimum_evidence"]["direct_observation"] == 4
    months = {m["code"]: m["months_due"] for m in after.settings["milestones"]}
    assert months["review_3m"] == 2
    assert {m["code"]: m["months_due"] for m in before.settings["milestones"]}["review_3m"] == 3


def test_out_of_order_milestones_are_refused(client, login, coordinator, db):
    ensure_default_programmes()
    programme = db.session.scalar(sa.select(Programme).where(Programme.is_default.is_(True)))
    db.session.commit()
    login(coordinator)
    response = client.post_form(f"/programmes/{programme.id}", _form(client, programme) | {"months_review_6m": "2"})
    assert response.status_code == 400
    assert "must stay in order" in response.get_data(as_text=True)


def test_both_programmes_exist(db):
    ensure_default_programmes()
    names = set(db.session.scalars(sa.select(Programme.name)))
    assert {"Three-year NQSW programme", "Three-year NQSW programme (adults)"} <= names
