"""Access is least privilege: checked on the server, the same rules for every route."""

from datetime import timedelta

import pytest

from academy.core.dates import today
from academy.participants.policies import can_view_participant
from tests.conftest import sign_in
from tests.factories import assign, make_participant, make_user


@pytest.fixture
def participant(db):
    return make_participant(start=today() - timedelta(days=30))


def test_nqsw_sees_their_own_record(client, participant):
    sign_in(client, participant.user)
    assert client.get(f"/participants/{participant.id}").status_code == 200


def test_nqsw_asking_for_another_participant_gets_404(client, db, participant):
    other = make_participant(participant.cohort)
    sign_in(client, other.user)
    assert client.get(f"/participants/{participant.id}").status_code == 404


def test_unassigned_mentor_gets_403(client, db, participant, mentor):
    sign_in(client, mentor)
    assert client.get(f"/participants/{participant.id}").status_code == 403


def test_assigned_mentor_sees_the_participant(client, db, participant, mentor):
    assign(participant, mentor, "mentor")
    sign_in(client, mentor)
    assert client.get(f"/participants/{participant.id}").status_code == 200


def test_assignment_that_has_ended_gives_no_access(client, db, participant, mentor):
    successor = make_user({"mentor"})
    assign(participant, mentor, "assessor", starts_on=participant.start_date)
    assign(participant, successor, "assessor", starts_on=today() - timedelta(days=1), handover_note="Handed over")
    assert not can_view_participant(mentor, participant)
    sign_in(client, mentor)
    assert client.get(f"/participants/{participant.id}").status_code == 403


def test_assignment_not_yet_started_gives_no_access(db, participant, mentor):
    assign(participant, mentor, "line_manager", starts_on=today() + timedelta(days=7))
    assert not can_view_participant(mentor, participant)


def test_coordinator_sees_every_participant(client, db, participant, coordinator):
    sign_in(client, coordinator)
    assert client.get(f"/participants/{participant.id}").status_code == 200


@pytest.mark.parametrize("path", ["/cohorts", "/audit/", "/home/coordinator"])
def test_coordinator_pages_are_forbidden_to_mentors_and_hidden_from_nqsws(client, db, path, mentor, nqsw):
    sign_in(client, mentor)
    assert client.get(path).status_code == 403
    with client.session_transaction() as session:
        session.clear()
    sign_in(client, nqsw)
    assert client.get(path).status_code == 404


def test_missing_participant_is_404_for_everyone(client, db, coordinator):
    sign_in(client, coordinator)
    assert client.get("/participants/999999").status_code == 404
