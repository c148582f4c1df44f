"""Malformed input is refused with a message next to its field, before it reaches a service or the
database: numbers in ASCII digits and in range (no NaN, Infinity, Arabic-Indic digits or 25-digit
values), dates from 1900 to 2200, text without control characters and within its length; ids in URLs
that the database can hold. Every form in the app gets these guards by being an AcademyForm."""

import importlib
import pkgutil
import re
from datetime import date

import pytest
import sqlalchemy as sa
from flask_wtf import FlaskForm

import academy
from academy.core.forms import AcademyForm
from academy.core.web import MAX_ID, digits_at_most
from academy.logs.models import CaseloadSnapshot, ProtectedTimeLog
from tests import factories


def test_every_form_in_the_app_is_an_academy_form():
    for module in pkgutil.walk_packages(academy.__path__, "academy."):
        if module.name.endswith(".forms") or ".forms." in module.name:
            importlib.import_module(module.name)
    forms, stack = [], [FlaskForm]
    while stack:
        for sub in stack.pop().__subclasses__():
            forms.append(sub)
            stack.append(sub)
    unguarded = sorted(
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in forms
        if cls.__module__.startswith("academy.") and not issubclass(cls, AcademyForm)
    )
    assert unguarded == []


@pytest.fixture
def nqsw_record(db, client, login):
    participant = factories.make_participant(start=date(2025, 9, 1), today=date(2025, 9, 1))
    login(participant.user)
    return participant


def rows(db, model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("NaN", "Enter a number using the digits 0 to 9"),
        ("Infinity", "Enter a number using the digits 0 to 9"),
        ("-inf", "Enter a number using the digits 0 to 9"),
        ("1e309", "Enter a number using the digits 0 to 9"),
        ("٣.٥", "Enter a number using the digits 0 to 9"),  # Arabic-Indic 3.5
        ("9" * 25, "Enter a number using the digits 0 to 9"),
    ],
)
def test_hostile_hours_are_refused_next_to_the_field(nqsw_record, client, db, hours, message):
    response = client.post_form(
        f"/participants/{nqsw_record.id}/protected-time",
        {"taken_on": ["2", "9", "2025"], "hours": hours, "activity": "Reading"},
        page=f"/participants/{nqsw_record.id}/protected-time",
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="hours-error"' in html
    assert message in html
    assert rows(db, ProtectedTimeLog) == 0


@pytest.mark.parametrize("cases", ["٣", "１２", "9" * 25, "NaN"])
def test_hostile_whole_numbers_are_refused(nqsw_record, client, db, cases):
    response = client.post_form(
        f"/participants/{nqsw_record.id}/caseload",
        {"taken_on": ["2", "9", "2025"], "cases": cases},
        page=f"/participants/{nqsw_record.id}/caseload",
    )
    assert response.status_code in (400, 404)  # 404: only staff record caseload for someone
    assert rows(db, CaseloadSnapshot) == 0


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (["1", "1", "0001"], "Enter a year from 1900 to 2200"),
        (["31", "12", "9999"], "Enter a year from 1900 to 2200"),
        (["٢", "٩", "٢٠٢٥"], "using the digits 0 to 9"),
        (["2", "9"], None),  # two parts of three: refused, and shown back as three boxes
    ],
)
def test_impossible_dates_are_refused(nqsw_record, client, db, parts, message):
    response = client.post_form(
        f"/participants/{nqsw_record.id}/protected-time",
        {"taken_on": parts, "hours": "3", "activity": "Reading"},
        page=f"/participants/{nqsw_record.id}/protected-time",
    )
    assert response.status_code == 400
    assert 'id="taken_on-error"' in response.get_data(as_text=True)
    if message:
        assert message in response.get_data(as_text=True)
    assert rows(db, ProtectedTimeLog) == 0


@pytest.mark.parametrize(
    ("activity", "message"),
    [
        ("Reading\x00", "Remove the hidden control characters"),
        ("\x1b[31mRed", "Remove the hidden control characters"),
        ("x" * 301, "longer than 300 characters"),
    ],
)
def test_control_characters_and_over_long_text_are_refused(nqsw_record, client, db, activity, message):
    response = client.post_form(
        f"/participants/{nqsw_record.id}/protected-time",
        {"taken_on": ["2", "9", "2025"], "hours": "3", "activity": activity},
        page=f"/participants/{nqsw_record.id}/protected-time",
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert rows(db, ProtectedTimeLog) == 0


def test_good_values_still_save(nqsw_record, client, db):
    response = client.post_form(
        f"/participants/{nqsw_record.id}/protected-time",
        {"taken_on": ["2", "9", "2025"], "hours": " 3.5 ", "activity": "Reading, with tabs\tand lines\r\n"},
        page=f"/participants/{nqsw_record.id}/protected-time",
    )
    assert response.status_code == 302
    assert rows(db, ProtectedTimeLog) == 1


def test_the_id_pattern_takes_exactly_the_numbers_up_to_its_limit():
    for limit in (0, 1, 9, 10, 11, 20, 100, 205, 1999, 4321):
        pattern = re.compile(f"^(?:{digits_at_most(limit)})$")
        assert [n for n in range(limit * 3 + 50) if pattern.match(str(n))] == list(range(limit + 1))
    pattern = re.compile(f"^(?:{digits_at_most(MAX_ID)})$")
    assert pattern.match("2147483647")
    assert not pattern.match("2147483648")
    assert not pattern.match("9" * 25)


@pytest.mark.parametrize("ident", ["1" * 25, "2147483648", "١", "０"])
def test_ids_the_database_cannot_hold_are_not_found(nqsw_record, client, ident):
    assert client.get(f"/participants/{ident}").status_code == 404
    assert client.get(f"/evidence/{ident}").status_code == 404
    assert client.post_form(f"/participants/{ident}/protected-time", {}, page="/account/password").status_code == 404


def test_a_text_field_without_its_own_length_is_capped(client, login, coordinator):
    login(coordinator)
    csv_file = (b"number,parent_number,title,description,level\r\n1,,A title,,\r\n", "framework.csv")
    details = {"code": "ECS_TEST", "name": "Test", "version": "1", "valid_from": "2027-04-01"}
    response = client.post_files(
        "/frameworks/import", {"file": csv_file, **details, "service_area": "all", "publisher": "p" * 1001}
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="publisher-error"' in html
    assert "This must be 1,000 characters or fewer." in html
