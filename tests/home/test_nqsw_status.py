"""The NQSW's home page says when their programme is paused or has ended."""

from datetime import timedelta

from academy.core.dates import today
from academy.participants import lifecycle
from academy.participants.models import LeavingDestination, PauseReason
from tests.conftest import sign_in
from tests.factories import make_participant


def test_paused_nqsw_is_told_their_dates_are_on_hold(client, db, coordinator):
    participant = make_participant(start=today() - timedelta(days=100))
    lifecycle.pause(participant, actor=coordinator, reason=PauseReason.SICKNESS, starts_on=today() - timedelta(days=3))
    db.session.commit()
    sign_in(client, participant.user)
    page = client.get("/home/nqsw").get_data(as_text=True)
    assert "Your programme is paused from" in page
    assert "(sickness)" in page
    assert "on hold until you return" in page


def test_nqsw_who_left_is_told_and_can_still_see_their_record(client, db, coordinator):
    participant = make_participant(start=today() - timedelta(days=200))
    lifecycle.leave(
        participant,
        actor=coordinator,
        on=today() - timedelta(days=1),
        reason="Relocation",
        destination=LeavingDestination.OTHER_LOCAL_AUTHORITY,
    )
    db.session.commit()
    sign_in(client, participant.user)
    page = client.get("/home/nqsw").get_data(as_text=True)
    assert f"You left the programme on {(today() - timedelta(days=1)).day}" in page
    assert "You can still see and download your record" in page
