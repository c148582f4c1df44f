"""DfE ASYE funding 2026-27: eligibility from the rules in data, claims, the coordinator's page and the exports."""

import csv
import io
from datetime import date

import openpyxl
import pytest
import sqlalchemy as sa

from academy.audit.models import AuditEvent
from academy.core.errors import DomainError
from academy.funding.models import ClaimKind, ClaimStatus
from academy.funding.queries import funding_rows
from academy.funding.rules import eligibility
from academy.funding.services import current_scheme, record_claim, save_details, shipped_rules, update_rules
from academy.participants.models import EmploymentType
from tests import factories

TODAY = date(2026, 12, 1)


@pytest.fixture
def academy(db):
    """A September 2026 ASYE cohort: one eligible NQSW, one qualified too long ago, one with no SWE number."""
    cohort = factories.make_cohort("September 2026 intake", date(2026, 9, 7))
    scheme = current_scheme()
    ada = factories.make_participant(cohort, factories.make_user(name="Ada Able"), swe_number="SW100001")
    old = factories.make_participant(cohort, factories.make_user(name="Bo Before"), swe_number="SW100002")
    none = factories.make_participant(cohort, factories.make_user(name="Cy Nonumber"))
    save_details(scheme, ada, qualified_on=date(2026, 7, 14), funded_before=False, actor=None)
    save_details(scheme, old, qualified_on=date(2021, 7, 1), funded_before=False, actor=None)
    save_details(scheme, none, qualified_on=date(2026, 7, 1), funded_before=False, actor=None)
    earlier = factories.make_cohort("September 2024 intake", date(2024, 9, 2))  # ASYE ended before April 2026
    factories.make_participant(earlier, factories.make_user(name="Di Done"), swe_number="SW100003")
    db.session.flush()
    return scheme, ada, old, none


def test_the_rules_are_the_2026_27_defaults_in_data(db):
    rules = shipped_rules()
    assert rules["registration_amount_gbp"] == rules["completion_amount_gbp"] == 1000
    assert rules["max_years_since_qualifying"] == 4
    assert rules["completion_due_by"] == "2027-03-01"
    assert current_scheme().rules == rules


def test_eligibility_says_why_not(db, academy):
    scheme, _ada, _old, _none = academy
    rows = {r.participant.name: r for r in funding_rows(scheme, TODAY)}
    assert set(rows) == {"Ada Able", "Bo Before", "Cy Nonumber"}  # Di's ASYE ended before the funding year
    assert rows["Ada Able"].eligibility.eligible
    assert rows["Bo Before"].eligibility.reasons == [
        "qualified on 1 July 2021, more than 4 years before starting on 7 September 2026"
    ]
    assert rows["Cy Nonumber"].eligibility.reasons == [
        "no Social Work England number recorded (registration with Social Work England is required)"
    ]
    assert rows["Ada Able"].registration.text == "Due since 7 September 2026"
    assert rows["Ada Able"].completion.text == "Due on 1 March 2027"  # still on the programme in March 2027
    assert rows["Bo Before"].registration.text == "Not claimable"


def test_employment_types_are_the_academys_rule(db, academy):
    scheme, ada, _, _ = academy
    ada.employment_type = EmploymentType.AGENCY
    update_rules(scheme, employment_types=["permanent", "fixed_term"], max_years=3, actor=None)
    found = eligibility(ada, None, scheme.rules)
    assert found.reasons == [
        "qualification date not recorded",
        "agency workers are not eligible under the scheme's rules",
    ]
    assert db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "funding.rules_updated")) == 1


def test_claims_are_recorded_with_dates_and_status(db, academy):
    scheme, ada, old, _ = academy
    record_claim(scheme, ada, ClaimKind.REGISTRATION, ClaimStatus.CLAIMED, claimed_on=date(2026, 10, 1), actor=None)
    with pytest.raises(DomainError, match="reason"):
        record_claim(
            scheme,
            ada,
            ClaimKind.REGISTRATION,
            ClaimStatus.REFUSED,
            claimed_on=date(2026, 10, 1),
            decided_on=date(2026, 11, 1),
            actor=None,
        )
    record_claim(
        scheme,
        ada,
        ClaimKind.REGISTRATION,
        ClaimStatus.PAID,
        claimed_on=date(2026, 10, 1),
        decided_on=date(2026, 11, 2),
        actor=None,
    )
    record_claim(
        scheme,
        old,
        ClaimKind.REGISTRATION,
        ClaimStatus.REFUSED,
        claimed_on=date(2026, 10, 1),
        decided_on=date(2026, 11, 2),
        reason="Qualified more than four years ago",
        actor=None,
    )
    rows = {r.participant.name: r for r in funding_rows(scheme, TODAY)}
    assert rows["Ada Able"].registration.text == "Paid (claimed 1 October 2026, decided 2 November 2026)"
    assert rows["Ada Able"].registration.claim.amount_gbp == 1000
    assert rows["Bo Before"].is_refused
    assert "Qualified more than four years ago" in rows["Bo Before"].registration.text


def test_the_coordinator_page_lists_eligible_claimed_due_and_refused(client, login, coordinator, db, academy):
    _scheme, ada, _, _ = academy
    db.session.commit()
    login(coordinator)
    page = client.get("/funding").get_data(as_text=True)
    assert "Ada Able" in page
    assert "Not eligible: qualified on 1 July 2021, more than 4 years before starting on 7 September 2026" in page
    assert "Claim due (1)" in page
    assert "Eligible (1)" in page
    assert "Not eligible (2)" in page
    only = client.get("/funding?show=not_eligible").get_data(as_text=True)
    assert "Bo Before" in only
    assert "Ada Able" not in only

    response = client.post_form(
        f"/funding/participants/{ada.id}",
        {
            "registration-status": "claimed",
            "registration-claimed_on": ["1", "10", "2026"],
            "registration-decided_on": ["", "", ""],
            "registration-reason": "",
            "registration-submit": "Save claim",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    page = client.get("/funding?show=claimed").get_data(as_text=True)
    assert "Claimed (claimed 1 October 2026)" in page

    refused = client.post_form(
        f"/funding/participants/{ada.id}",
        {
            "completion-status": "refused",
            "completion-claimed_on": ["1", "10", "2026"],
            "completion-decided_on": ["2", "10", "2026"],
            "completion-reason": "",
            "completion-submit": "Save claim",
        },
    )
    assert refused.status_code == 400
    assert "Give the reason DfE gave" in refused.get_data(as_text=True)


def test_the_xlsx_and_csv_have_dfes_claim_fields_and_no_equality_data(client, login, coordinator, db, academy):
    scheme, ada, _, _ = academy
    record_claim(scheme, ada, ClaimKind.REGISTRATION, ClaimStatus.CLAIMED, claimed_on=date(2026, 10, 1), actor=None)
    db.session.commit()
    login(coordinator)
    response = client.get("/funding/claims.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[:8] == (
        "Name",
        "Social Work England number",
        "Qualification date",
        "ASYE start date",
        "Employment type",
        "Eligible",
        "Why not eligible",
        "Registration claim status",
    )
    assert not {"Ethnicity", "Sex", "Gender", "Disability", "Age", "Religion"} & set(header)
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert by_name["Ada Able"]["Registration claim status"] == "Claimed"
    assert by_name["Ada Able"]["Registration claim date"].date() == date(2026, 10, 1)
    assert by_name["Ada Able"]["Qualification date"].date() == date(2026, 7, 14)
    assert by_name["Ada Able"]["Social Work England number"] == "SW100001"
    assert by_name["Bo Before"]["Eligible"] == "No"
    assert by_name["Bo Before"]["Why not eligible"].startswith("qualified on 1 July 2021")
    assert by_name["Cy Nonumber"]["Why not eligible"].startswith("no Social Work England number")

    text = client.get("/funding/claims.csv").get_data().decode("utf-8-sig")  # with Excel's byte-order mark
    lines = list(csv.DictReader(io.StringIO(text)))
    ada_line = next(line for line in lines if line["Name"] == "Ada Able")
    assert (ada_line["ASYE start date"], ada_line["Registration claim date"]) == ("2026-09-07", "2026-10-01")
    exports = db.session.scalars(sa.select(AuditEvent.after).where(AuditEvent.action == "funding.exported")).all()
    assert [e["format"] for e in exports] == ["xlsx", "csv"]


def test_the_rules_page_changes_employment_types(client, login, coordinator, db, academy):
    db.session.commit()
    login(coordinator)
    assert client.get("/funding/rules").status_code == 200
    response = client.post_form("/funding/rules", {"employment_types": ["permanent"], "max_years": "4"})
    assert response.status_code == 302
    db.session.expire_all()
    assert current_scheme().rules["eligible_employment_types"] == ["permanent"]
