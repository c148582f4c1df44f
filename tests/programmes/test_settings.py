"""Programme settings are editable, and a cohort keeps the copy it was created with."""

import sqlalchemy as sa

from academy.programmes.defaults import ECDP_PROGRAMME_NAME
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


def test_the_ecdp_third_year_is_switched_on_by_a_coordinator(client, login, coordinator, db):
    ensure_default_programmes()
    ecdp = db.session.scalar(sa.select(Programme).where(Programme.name == ECDP_PROGRAMME_NAME))
    two_years = factories.create_cohort_on(ecdp, "ECDP two years")
    assert ecdp.length_years == 2
    assert max(m["programme_year"] for m in two_years.settings["milestones"]) == 2
    db.session.commit()
    login(coordinator)
    page = client.get(f"/programmes/{ecdp.id}").get_data(as_text=True)
    assert "Add the academy&#39;s third year" in page
    data = {k: v for k, v in _form(client, ecdp).items() if k != "third_year"}
    data |= {"third_year": "y", "months_review_18m": "19"}
    response = client.post_form(f"/programmes/{ecdp.id}", data)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    db.session.refresh(ecdp)
    assert ecdp.settings["third_year"] is True
    assert ecdp.length_years == 3
    three_years = factories.create_cohort_on(ecdp, "ECDP three years")
    months = {m["code"]: m["months_due"] for m in three_years.settings["milestones"]}
    assert months["review_18m"] == 19
    assert months["year3_end"] == 36
    assert three_years.settings["length_years"] == 3
    assert "year3_end" not in {m["code"] for m in two_years.settings["milestones"]}
