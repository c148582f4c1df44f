"""Creating a cohort proposes the programme by start date and the frameworks by programme and date."""

import re
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from academy.cohorts.models import Cohort
from academy.cohorts.services import create_cohort, propose_setup
from academy.frameworks.loader import load_shipped_frameworks
from academy.frameworks.transfer import import_framework
from academy.programmes.defaults import DEFAULT_PROGRAMME_NAME, ECDP_PROGRAMME_NAME
from academy.programmes.services import ensure_default_programmes
from tests import factories

EXAMPLE_ECS = Path(__file__).resolve().parents[2] / "docs" / "examples" / "early-career-standards-example.json"


def _setup(db):
    ensure_default_programmes()
    load_shipped_frameworks()
    import_framework(EXAMPLE_ECS.read_bytes(), "json", None, None)
    db.session.flush()


def test_the_asye_and_the_kss_before_september_2027(db):
    _setup(db)
    proposal = propose_setup(date(2027, 3, 1))
    assert proposal.programme.name == DEFAULT_PROGRAMME_NAME
    assert {f.code for f in proposal.frameworks} == {"CF_KSS_2018", "PCF_2018", "SWE_PS_2019"}


def test_the_ecdp_and_the_ecs_from_september_2027(db):
    _setup(db)
    proposal = propose_setup(date(2027, 9, 6))
    assert proposal.programme.name == ECDP_PROGRAMME_NAME
    assert {f.code for f in proposal.frameworks} == {"CF_ECS_EXAMPLE", "PCF_2018", "SWE_PS_2019"}
    # Between April and August 2027 a cohort still takes the ASYE, against the new standards.
    between = propose_setup(date(2027, 5, 3))
    assert between.programme.name == DEFAULT_PROGRAMME_NAME
    assert "CF_ECS_EXAMPLE" in {f.code for f in between.frameworks}
    assert "CF_KSS_2018" not in {f.code for f in between.frameworks}


def _date(prefix, d):
    return {prefix: [str(d.day), str(d.month), str(d.year)]}


def test_the_form_proposes_then_the_coordinator_overrides(client, login, coordinator, db):
    _setup(db)
    db.session.commit()
    login(coordinator)
    first = client.post_form("/cohorts/new", {"name": "September 2027 intake", **_date("start_date", date(2027, 9, 6))})
    page = first.get_data(as_text=True)
    assert first.status_code == 200
    assert "we propose the <strong>Early career development programme" in page
    assert 'value="2027-09-06"' in page
    programme_id = re.search(r'<option selected value="(\d+)">Early career', page) or re.search(
        r'<option value="(\d+)" selected>Early career', page
    )
    assert programme_id is not None, page
    checked = set(re.findall(r'value="(\d+)" checked|checked[^>]*value="(\d+)"', page))
    assert checked
    # The coordinator keeps the ECDP but takes the SWE standards off.
    kss_id = db.session.scalar(sa.text("SELECT id FROM framework WHERE code = 'CF_ECS_EXAMPLE'"))
    response = client.post_form(
        "/cohorts/new",
        {
            "name": "September 2027 intake",
            **_date("start_date", date(2027, 9, 6)),
            "proposed_for": "2027-09-06",
            "programme": programme_id.group(1),
            "frameworks": [str(kss_id)],
            "submit": "Create cohort",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    cohort = db.session.scalar(sa.select(Cohort).where(Cohort.name == "September 2027 intake"))
    assert cohort.programme.name == ECDP_PROGRAMME_NAME
    assert [f.code for f in cohort.frameworks] == ["CF_ECS_EXAMPLE"]
    assert cohort.settings["length_years"] == 2
    assert [m["code"] for m in cohort.settings["milestones"]] == [
        "start",
        "review_3m",
        "review_6m",
        "review_12m",
        "review_18m",
        "employer_assessment",
    ]
    detail = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert ECDP_PROGRAMME_NAME in detail
    assert "Assessed against" in detail


def test_a_changed_start_date_is_proposed_for_again(client, login, coordinator, db):
    _setup(db)
    db.session.commit()
    login(coordinator)
    response = client.post_form(
        "/cohorts/new",
        {
            "name": "March 2027 intake",
            **_date("start_date", date(2027, 3, 1)),
            "proposed_for": "2027-09-06",
            "programme": "1",
            "submit": "Create cohort",
        },
    )
    assert response.status_code == 200
    assert "we propose the <strong>Three-year NQSW programme</strong>" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(Cohort).where(Cohort.name == "March 2027 intake")) is None


def test_an_ecdp_participant_gets_the_two_year_milestones(db):
    _setup(db)
    proposal = propose_setup(date(2027, 9, 6))
    cohort = create_cohort("ECDP", proposal.start, proposal.programme, proposal.frameworks, actor=None)
    participant = factories.make_participant(cohort, today=date(2026, 12, 1))
    due = {m.code: m.due_date for m in participant.milestones}
    assert due["start"] == date(2027, 9, 6)
    assert due["review_12m"] == date(2028, 9, 6)
    assert due["employer_assessment"] == date(2029, 9, 6)
