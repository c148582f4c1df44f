"""Reminders: counted on home pages, emailed by `academy remind`, never the same one twice in a day."""

import logging
from datetime import timedelta

import pytest
import sqlalchemy as sa

from academy.assessment.models import ReminderLog
from academy.assessment.services.outcomes import recommend_outcome
from academy.core.dates import today
from academy.home.reminders import reminders_for
from tests.conftest import sign_in
from tests.factories import make_entry, make_team, sign_final_review


@pytest.fixture
def team(db):
    return make_team()  # started 120 days ago: the 3-month review is overdue


def test_each_person_gets_their_own_reminders(app, team, coordinator):
    entry = make_entry(team.participant, title="Home visit")
    sign_final_review(team)
    recommend_outcome(
        team.participant,
        "fail",
        by=team.assessor,
        narrative="Synthetic narrative",
        no_concern_reason="Synthetic reason",
        confirmed=True,
    )
    with app.test_request_context():
        assessor = {r.key for r in reminders_for(team.assessor)}
        nqsw = {r.key for r in reminders_for(team.nqsw)}
        coordinator_keys = {r.key for r in reminders_for(coordinator)}
        mentor = reminders_for(team.mentor)
    three_month = next(m for m in team.participant.milestones if m.code == "review_3m")
    assert f"evidence:{entry.id}" in assessor
    assert f"review-overdue:{three_month.id}" in assessor
    assert f"review-overdue:{three_month.id}" in nqsw
    assert len(coordinator_keys) == 1
    assert next(iter(coordinator_keys)).startswith("panel:")
    assert mentor == []  # a year-1 mentor neither decides evidence nor records reviews


def test_remind_sends_once_a_day(runner, team, caplog, db):
    make_entry(team.participant, title="Home visit")
    db.session.commit()  # the setup's notification emails go out here, not with the reminders
    caplog.clear()
    with caplog.at_level(logging.INFO):
        first = runner.invoke(args=["academy", "remind"])
    assert first.exit_code == 0, first.output
    emails = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Email to")]
    recipients = sorted(message.split(":")[0].removeprefix("Email to ") for message in emails)
    assert recipients == sorted([team.assessor.email, team.nqsw.email])
    assessor_email = next(m for m in emails if team.assessor.email in m)
    assert "Home visit" in assessor_email
    assert "3-month review" in assessor_email
    sent = db.session.scalar(sa.select(sa.func.count(ReminderLog.id)))
    assert sent >= 3
    caplog.clear()
    with caplog.at_level(logging.INFO):
        second = runner.invoke(args=["academy", "remind"])
    assert "Sent 0 reminders to 0 people" in second.output
    assert not [r for r in caplog.records if r.getMessage().startswith("Email to")]
    assert db.session.scalar(sa.select(sa.func.count(ReminderLog.id))) == sent


def test_a_new_item_the_same_day_is_still_sent(runner, team, caplog, db):
    runner.invoke(args=["academy", "remind"])
    make_entry(team.participant, title="Late submission")
    db.session.commit()  # the submission's notification email goes out here, not with the reminders
    caplog.clear()  # the first run's emails are logged at WARNING (no MAIL_SERVER), which caplog keeps
    with caplog.at_level(logging.INFO):
        result = runner.invoke(args=["academy", "remind"])
    assert "Sent 1 reminder to 1 person" in result.output
    (email,) = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Email to")]
    assert "Late submission" in email
    assert "3-month review" not in email


@pytest.mark.parametrize("who", ["assessor", "nqsw"])
def test_home_pages_show_the_count(client, team, who):
    make_entry(team.participant)
    sign_in(client, getattr(team, who))
    page = client.get(f"/home/{'mentor' if who == 'assessor' else 'nqsw'}").get_data(as_text=True)
    # Overdue: the agreement (1 month) and the 3-month review; the assessor also has the entry to review.
    expected = 3 if who == "assessor" else 2
    assert f"{expected} things due or overdue" in page


def test_mentor_home_lists_queue_reviews_and_risk(client, team):
    make_entry(team.participant, title="Old entry").submitted_at -= timedelta(days=20)
    sign_in(client, team.assessor)
    page = client.get("/home/mentor").get_data(as_text=True)
    assert "Old entry" in page
    assert "20 days" in page
    assert "3-month review" in page
    assert "Overdue" in page
    # The reasons are the coordinator's "needing attention" rules, limited to this assessor's NQSWs.
    assert "2 reviews overdue" in page
    assert "1 evidence entry waiting more than 14 days for review" in page
    assert today()  # dates are UK dates
