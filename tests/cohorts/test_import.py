"""CSV import: every kind of bad row (with its line and column), all or nothing, re-import, the CLI."""

from datetime import date

import pytest
import sqlalchemy as sa

from academy.accounts.models import Invitation, User
from academy.cohorts.bulk import import_rows
from academy.cohorts.importer import check_file
from academy.cohorts.models import Cohort
from academy.participants.models import Assignment, Participant
from tests import factories
from tests.factories import ENROLMENT_CSV_HEADER, enrolment_csv_rows


@pytest.fixture
def staff(db):
    factories.frameworks()  # a cohort the command creates needs frameworks to be assessed against
    return {
        "assessor": factories.make_user(("mentor",), email="ash.assessor@example.org", name="Ash Assessor"),
        "mentor": factories.make_user(("mentor",), email="mo.mentor@example.org", name="Mo Mentor"),
        "manager": factories.make_user(("mentor",), email="lee.manager@example.org", name="Lee Manager"),
    }


def counts(db) -> tuple[int, int, int]:
    return (
        db.session.scalar(sa.select(sa.func.count(User.id))),
        db.session.scalar(sa.select(sa.func.count(Participant.id))),
        db.session.scalar(sa.select(sa.func.count(Assignment.id))),
    )


def test_a_clean_file_imports_every_row(db, staff, coordinator):
    cohort = factories.make_cohort("Sept 2026", date(2026, 9, 7))
    check = check_file((ENROLMENT_CSV_HEADER + enrolment_csv_rows()).encode(), cohort)
    assert check.errors == []
    assert [r.line for r in check.rows] == [2, 3]
    made = import_rows(cohort, check, actor=coordinator)
    assert [new for _, new in made] == [True, True]
    ada, ben = (p for p, _ in made)
    assert (ada.start_date, str(ada.fte), ada.swe_number) == (date(2026, 9, 7), "1.00", "SW123456")
    assert (ben.start_date, str(ben.fte), ben.employment_type.value) == (date(2026, 9, 21), "0.60", "agency")
    assert len(ada.assignments) == 3
    assert len(ben.assignments) == 1
    assert ada.user.password_hash is None
    assert len(ada.milestones) == 10


BAD_ROWS = [
    # (row text, expected line, column, words in the message)
    ("Cy,Bad,not-an-email,,,,,,,,\n", 4, "email", "not a valid email"),
    ("Cy,Bad,cy@example.org,31/02/2026,,,,,,,\n", 4, "start_date", "not a date"),
    ("Cy,Bad,cy@example.org,2026-13-01,,,,,,,\n", 4, "start_date", "not a date"),
    ("Cy,Bad,cy@example.org,,,1.2,,,,,\n", 4, "fte", "between 0.1 and 1.0"),
    ("Cy,Bad,cy@example.org,,,0.05,,,,,\n", 4, "fte", "between 0.1 and 1.0"),
    ("Cy,Bad,cy@example.org,,,,,,nobody@example.org,,\n", 4, "assessor_email", "unknown assessor"),
    ("Cy,Bad,cy@example.org,,,,,,,nobody@example.org,\n", 4, "mentor_email", "unknown mentor"),
    ("Cy,Bad,ada@example.org,,,,,,,,\n", 4, "email", "duplicate: it is already on line 2"),
    (",Bad,cy@example.org,,,,,,,,\n", 4, "given_name", "required"),
    ("Cy,Bad,,,,,,,,,\n", 4, "email", "required"),
    ("Cy,Bad,cy@example.org,,,,12345,,,,\n", 4, "swe_number", "Social Work England"),
    ("Cy,Bad,cy@example.org,,,,,contractor,,,\n", 4, "employment_type", "not one of"),
]


@pytest.mark.parametrize(("row", "line", "column", "words"), BAD_ROWS)
def test_each_kind_of_bad_row_is_reported_and_nothing_is_written(db, staff, coordinator, row, line, column, words):
    cohort = factories.make_cohort("Sept 2026", date(2026, 9, 7))
    before = counts(db)
    check = check_file((ENROLMENT_CSV_HEADER + enrolment_csv_rows() + row).encode(), cohort)
    assert [(e.line, e.column) for e in check.errors] == [(line, column)]
    assert words in check.errors[0].message
    assert not check.ok
    with pytest.raises(Exception, match="nothing was imported"):
        import_rows(cohort, check, actor=coordinator)
    assert counts(db) == before


def test_staff_without_the_mentor_role_is_refused(db, staff, nqsw):
    cohort = factories.make_cohort("Sept 2026", date(2026, 9, 7))
    row = f"Cy,Bad,cy@example.org,,,,,,{nqsw.email},,\n"
    check = check_file((ENROLMENT_CSV_HEADER + row).encode(), cohort)
    assert [(e.line, e.column) for e in check.errors] == [(2, "assessor_email")]
    assert "no mentor role" in check.errors[0].message


def test_unknown_column_and_missing_column_are_reported_on_line_1(db, staff):
    cohort = factories.make_cohort("Sept 2026", date(2026, 9, 7))
    data = "given_name,surname,email,colour\nAda,Example,ada@example.org,blue\n"
    check = check_file(data.encode(), cohort)
    assert [(e.line, e.column) for e in check.errors] == [(1, "surname"), (1, "colour"), (1, "family_name")]
    assert "Unknown column “surname”" in check.errors[0].message


def test_wrong_encoding_names_the_line(db, staff):
    cohort = factories.make_cohort("Sept 2026", date(2026, 9, 7))
    data = (ENROLMENT_CSV_HEADER + enrolment_csv_rows()).encode() + "Zoë,Latin,zoe@example.org,,,,,,,,\n".encode(
        "latin-1"
    )
    check = check_file(data, cohort)
    assert [(e.line, e.column) for e in check.errors] == [(4, "")]
    assert "wrong encoding" in check.errors[0].message


def test_a_byte_order_mark_and_blank_lines_are_fine_and_line_numbers_count_them(db, staff):
    cohort = factories.make_cohort("Sept 2026", date(2026, 9, 7))
    data = "\ufeff" + ENROLMENT_CSV_HEADER + "\n" + "Cy,Bad,bad-email,,,,,,,,\n"
    check = check_file(data.encode(), cohort)
    assert [(e.line, e.column) for e in check.errors] == [(3, "email")]


def test_existing_account_is_enrolled_not_duplicated(db, staff, coordinator):
    cohort = factories.make_cohort("Sept 2026", date(2026, 9, 7))
    existing = factories.make_user(("mentor",), email="ada@example.org", name="Ada Already")
    check = check_file((ENROLMENT_CSV_HEADER + enrolment_csv_rows()).encode(), cohort)
    assert check.ok
    assert check.new_accounts == 1
    made = import_rows(cohort, check, actor=coordinator)
    assert made[0][0].user is existing
    assert made[0][1] is False
    assert existing.name == "Ada Already"
    assert {r.value for r in existing.roles} == {"mentor", "nqsw"}


def test_importing_the_same_file_twice_creates_nothing_new(db, staff, coordinator):
    cohort = factories.make_cohort("Sept 2026", date(2026, 9, 7))
    data = (ENROLMENT_CSV_HEADER + enrolment_csv_rows()).encode()
    import_rows(cohort, check_file(data, cohort), actor=coordinator)
    before = counts(db)
    again = check_file(data, cohort)
    assert [(e.line, e.column) for e in again.errors] == [(2, "email"), (3, "email")]
    assert all("already enrolled" in e.message for e in again.errors)
    assert counts(db) == before


def write(tmp_path, text: str, name: str = "people.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode())
    return path


def test_cli_creates_the_cohort_and_imports(db, runner, staff, tmp_path):
    path = write(tmp_path, ENROLMENT_CSV_HEADER + enrolment_csv_rows())
    result = runner.invoke(
        args=["academy", "import-cohort", str(path), "--cohort", "CLI intake", "--start", "2026-09-07"]
    )
    assert result.exit_code == 0, result.output
    assert "Enrolled 2 people in CLI intake (2 new accounts)" in result.output
    cohort = db.session.scalar(sa.select(Cohort).where(Cohort.name == "CLI intake"))
    assert cohort.start_date == date(2026, 9, 7)
    assert cohort.programme.is_default
    assert len(cohort.participants) == 2


def test_cli_dry_run_writes_nothing(db, runner, staff, tmp_path):
    path = write(tmp_path, ENROLMENT_CSV_HEADER + enrolment_csv_rows())
    before = counts(db)
    result = runner.invoke(
        args=["academy", "import-cohort", str(path), "--cohort", "Dry", "--start", "2026-09-07", "--dry-run"]
    )
    assert result.exit_code == 0, result.output
    assert "Dry run: 2 people would be enrolled (2 new accounts)" in result.output
    assert counts(db) == before
    assert db.session.scalar(sa.select(Cohort).where(Cohort.name == "Dry")) is None


def test_cli_bad_row_exits_1_and_writes_nothing(db, runner, staff, tmp_path):
    path = write(tmp_path, ENROLMENT_CSV_HEADER + enrolment_csv_rows() + "Cy,Bad,cy@example.org,,,2,,,,,\n")
    before = counts(db)
    result = runner.invoke(args=["academy", "import-cohort", str(path), "--cohort", "Bad", "--start", "2026-09-07"])
    assert result.exit_code == 1
    assert "Line 4, column fte: “2”: FTE must be between 0.1 and 1.0." in result.output
    assert "nothing was imported" in result.output
    assert counts(db) == before
    assert db.session.scalar(sa.select(Cohort).where(Cohort.name == "Bad")) is None


def test_cli_second_import_reports_already_enrolled_and_exits_1(db, runner, staff, tmp_path):
    path = write(tmp_path, ENROLMENT_CSV_HEADER + enrolment_csv_rows())
    args = ["academy", "import-cohort", str(path), "--cohort", "Twice", "--start", "2026-09-07"]
    assert runner.invoke(args=args).exit_code == 0
    before = counts(db)
    invitations = db.session.scalar(sa.select(sa.func.count(Invitation.id)))
    second = runner.invoke(args=args)
    assert second.exit_code == 1
    assert second.output.count("already enrolled in Twice") == 2
    assert counts(db) == before
    assert db.session.scalar(sa.select(sa.func.count(Invitation.id))) == invitations


def test_cli_needs_start_for_a_new_cohort(db, runner, staff, tmp_path):
    path = write(tmp_path, ENROLMENT_CSV_HEADER + enrolment_csv_rows())
    result = runner.invoke(args=["academy", "import-cohort", str(path), "--cohort", "Nowhere"])
    assert result.exit_code == 2
    assert "give --start" in result.output


def test_cli_emails_invitations_with_links_to_the_public_address(db, runner, staff, tmp_path, app, mail_server):
    path = write(tmp_path, ENROLMENT_CSV_HEADER + enrolment_csv_rows())
    args = ["academy", "import-cohort", str(path), "--cohort", "Linked intake", "--start", "2026-09-07"]
    saved = app.config["ACADEMY_BASE_URL"]
    app.config["ACADEMY_BASE_URL"] = "https://academy.example.org"
    try:
        result = runner.invoke(args=args)
    finally:
        app.config["ACADEMY_BASE_URL"] = saved
    assert result.exit_code == 0, result.output
    assert "2 of 2 invitations emailed." in result.output
    assert len(mail_server.messages) == 2
    assert all("https://academy.example.org/set-password/" in message.get_content() for message in mail_server.messages)


def test_cli_without_a_public_address_says_invitations_were_not_sent(db, runner, staff, tmp_path, app):
    path = write(tmp_path, ENROLMENT_CSV_HEADER + enrolment_csv_rows())
    saved = app.config["ACADEMY_BASE_URL"]
    app.config["ACADEMY_BASE_URL"] = ""
    try:
        result = runner.invoke(
            args=["academy", "import-cohort", str(path), "--cohort", "Unlinked intake", "--start", "2026-09-07"]
        )
    finally:
        app.config["ACADEMY_BASE_URL"] = saved
    assert result.exit_code == 0, result.output
    assert "Invitations were not sent (ACADEMY_BASE_URL is not set)" in result.output
