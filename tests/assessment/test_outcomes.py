"""The ASYE recommendation and the moderation panel: PASS refused until the minimums, panel decisions."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from academy.assessment.models import OutcomeStatus, Recommendation
from academy.assessment.services.outcomes import (
    confirm_outcome,
    missing_for_pass,
    recommend_outcome,
    refer_back_outcome,
)
from academy.assessment.services.ratings import assessed_elements
from academy.audit.models import AuditEvent
from academy.core.dates import today
from academy.core.errors import DomainError, InvalidTransition, NotAllowed
from academy.evidence.models import EvidenceType
from academy.participants.models import ParticipantStatus, StatusEventKind
from tests import factories
from tests.conftest import sign_in
from tests.factories import make_team, meet_evidence_minimums, rate_everything


@pytest.fixture
def team(db):
    return make_team(start=today() - timedelta(days=380))


@pytest.fixture
def chair(db):
    return factories.make_user({"coordinator"}, name="Chris Chair")


@pytest.fixture
def ready(team):
    meet_evidence_minimums(team.participant, team.assessor)
    rate_everything(team.participant, team.assessor)
    return team


def test_missing_lists_every_minimum_and_every_element(team):
    missing = missing_for_pass(team.participant)
    assert missing.evidence == [
        "Direct observations: 0 of 3 accepted",
        "Feedback from people using services: 0 of 3 accepted",
        "Feedback from professionals: 0 of 3 accepted",
        "Assessed written reports: 0 of 3 accepted",
        "Critical reflection for the 6-month review: 0 of 1 accepted",
        "Critical reflection for the final review: 0 of 1 accepted",
        "Self-assessment at the start of year 1: 0 of 1 accepted",
        "Self-assessment at the middle of year 1: 0 of 1 accepted",
        "Self-assessment at the end of year 1: 0 of 1 accepted",
    ]
    elements = assessed_elements(team.participant)
    assert len(missing.ratings) == len(elements)
    assert all(e.level in (None, "asye") for e in elements)
    assert missing.ratings[0] == f"{elements[0].label} ({elements[0].framework.code}): not rated"


def test_missing_names_exactly_what_is_left(team):
    meet_evidence_minimums(team.participant, team.assessor, skip=((EvidenceType.DIRECT_OBSERVATION, 2),))
    rate_everything(team.participant, team.assessor, skip=1)
    first = assessed_elements(team.participant)[0]
    from academy.assessment.services.ratings import record_rating

    record_rating(team.participant, first, 1, by=team.assessor)
    missing = missing_for_pass(team.participant)
    assert missing.evidence == ["Direct observations: 2 of 3 accepted"]
    assert missing.ratings == [f"{first.label} ({first.framework.code}): rated developing"]


def test_pass_is_refused_until_the_minimums_are_met(team):
    with pytest.raises(DomainError, match="PASS cannot be recommended"):
        recommend_outcome(team.participant, "pass", by=team.assessor)
    meet_evidence_minimums(team.participant, team.assessor)
    with pytest.raises(DomainError):
        recommend_outcome(team.participant, "pass", by=team.assessor)
    rate_everything(team.participant, team.assessor)
    outcome = recommend_outcome(team.participant, "pass", by=team.assessor)
    assert (outcome.recommendation, outcome.status) == (Recommendation.PASS, OutcomeStatus.PENDING)


def test_fail_needs_a_narrative(team):
    with pytest.raises(DomainError, match="narrative") as error:
        recommend_outcome(team.participant, "fail", by=team.assessor, narrative="  ")
    assert error.value.field == "narrative"
    assert recommend_outcome(team.participant, "fail", by=team.assessor, narrative="Evidence insufficient.")


@pytest.mark.parametrize("who", ["mentor", "line_manager", "nqsw"])
def test_only_the_assessor_recommends(ready, who):
    with pytest.raises(NotAllowed):
        recommend_outcome(ready.participant, "pass", by=getattr(ready, who))


def test_a_former_assessor_cannot_recommend(ready):
    successor = factories.make_user({"mentor"})
    factories.assign(ready.participant, successor, "assessor", starts_on=today(), handover_note="Handover")
    with pytest.raises(NotAllowed):
        recommend_outcome(ready.participant, "pass", by=ready.assessor)


def test_one_recommendation_at_a_time(ready):
    recommend_outcome(ready.participant, "pass", by=ready.assessor)
    with pytest.raises(InvalidTransition, match="already waiting"):
        recommend_outcome(ready.participant, "fail", by=ready.assessor, narrative="Changed my mind")


@pytest.mark.parametrize(
    ("start", "action", "ok"),
    [
        ("pending", "confirm", True),
        ("pending", "refer_back", True),
        ("confirmed", "confirm", False),
        ("confirmed", "refer_back", False),
        ("referred_back", "confirm", False),
        ("referred_back", "refer_back", False),
    ],
)
def test_panel_transitions(ready, coordinator, chair, start, action, ok):
    outcome = recommend_outcome(ready.participant, "fail", by=ready.assessor, narrative="Not enough evidence")
    on = today()
    if start == "confirmed":
        confirm_outcome(outcome, by=coordinator, panel_date=on, chair=chair)
    if start == "referred_back":
        refer_back_outcome(outcome, by=coordinator, panel_date=on, chair=chair, reason="More detail")
    act = confirm_outcome if action == "confirm" else refer_back_outcome
    if ok:
        act(outcome, by=coordinator, panel_date=on, chair=chair, reason="Agreed")
        assert outcome.status == (OutcomeStatus.CONFIRMED if action == "confirm" else OutcomeStatus.REFERRED_BACK)
    else:
        with pytest.raises(InvalidTransition):
            act(outcome, by=coordinator, panel_date=on, chair=chair, reason="Again")
        assert outcome.status == OutcomeStatus(start)


def test_confirmed_pass_moves_the_participant_to_year_two(ready, coordinator, chair, db):
    outcome = recommend_outcome(ready.participant, "pass", by=ready.assessor)
    confirm_outcome(outcome, by=coordinator, panel_date=today(), chair=chair)
    participant = ready.participant
    assert (participant.programme_year, participant.status) == (2, ParticipantStatus.ACTIVE)
    assert participant.status_events[-1].kind == StatusEventKind.YEAR_CHANGED
    panel = next(m for m in participant.milestones if m.code == "panel")
    assert panel.completed_on == today()
    assert (outcome.panel_chair_id, outcome.decided_by_id) == (chair.id, coordinator.id)
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"outcome.recommended", "outcome.confirmed", "participant.year_changed"} <= actions
    # In year 2 the mentor may rate; nobody recommends again.
    from academy.assessment.policies import can_rate, can_recommend

    assert can_rate(ready.mentor, participant)
    assert not can_recommend(ready.assessor, participant)


def test_confirmed_fail_ends_the_programme(ready, coordinator, chair):
    outcome = recommend_outcome(ready.participant, "fail", by=ready.assessor, narrative="Capability not shown")
    confirm_outcome(outcome, by=coordinator, panel_date=today(), chair=chair)
    assert ready.participant.status == ParticipantStatus.FAILED
    with pytest.raises(NotAllowed):
        recommend_outcome(ready.participant, "pass", by=ready.assessor)


def test_referral_back_needs_a_reason_then_allows_a_new_recommendation(ready, coordinator, chair):
    outcome = recommend_outcome(ready.participant, "pass", by=ready.assessor)
    with pytest.raises(DomainError, match="reason"):
        refer_back_outcome(outcome, by=coordinator, panel_date=today(), chair=chair, reason="")
    refer_back_outcome(outcome, by=coordinator, panel_date=today(), chair=chair, reason="Evidence of supervision")
    again = recommend_outcome(ready.participant, "pass", by=ready.assessor)
    assert again.id != outcome.id
    assert again.status == OutcomeStatus.PENDING


def test_nobody_decides_their_own_recommendation(ready, chair):
    from academy.accounts.models import Role
    from academy.accounts.services import add_roles

    add_roles(ready.assessor, {Role.COORDINATOR}, actor=None)
    outcome = recommend_outcome(ready.participant, "pass", by=ready.assessor)
    with pytest.raises(NotAllowed, match="own"):
        confirm_outcome(outcome, by=ready.assessor, panel_date=today(), chair=chair)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"panel_date": None}, "panel_date"),
        ({"panel_date": today() + timedelta(days=1)}, "panel_date"),
        ({"chair": None}, "chair"),
    ],
)
def test_the_panel_decision_is_checked(ready, coordinator, chair, changes, field):
    outcome = recommend_outcome(ready.participant, "pass", by=ready.assessor)
    args = {"panel_date": today(), "chair": chair, **changes}
    with pytest.raises(DomainError) as error:
        confirm_outcome(outcome, by=coordinator, **args)
    assert error.value.field == field
    assert outcome.status == OutcomeStatus.PENDING


def test_recommendation_page_lists_what_is_missing(client, team):
    sign_in(client, team.assessor)
    url = f"/participants/{team.participant.id}/recommendation"
    response = client.post_form(url, {"recommendation": "pass", "narrative": ""})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "PASS cannot be recommended yet" in page
    assert "Direct observations: 0 of 3 accepted" in page


def test_mentor_sees_but_cannot_recommend(client, ready):
    sign_in(client, ready.mentor)
    url = f"/participants/{ready.participant.id}/recommendation"
    assert "Send to the moderation panel" not in client.get(url).get_data(as_text=True)
    assert client.post_form(url, {"recommendation": "pass"}, page=url).status_code == 403


@pytest.mark.parametrize(("role", "status"), [("coordinator", 200), ("mentor", 403), ("nqsw", 404)])
def test_panel_page_is_for_coordinators(client, db, role, status):
    sign_in(client, factories.make_user({role}))
    assert client.get("/moderation").status_code == status


def test_panel_decides_through_the_pages(client, ready, coordinator, chair):
    outcome = recommend_outcome(ready.participant, "pass", by=ready.assessor)
    sign_in(client, coordinator)
    assert ready.participant.name in client.get("/moderation").get_data(as_text=True)
    on = today()
    url = f"/moderation/{outcome.id}"
    bad = client.post_form(
        url,
        {
            "decision": "refer_back",
            "panel_date": [str(on.day), str(on.month), str(on.year)],
            "chair": str(chair.id),
            "reason": "",
        },
    )
    assert bad.status_code == 400
    assert "Give the panel" in bad.get_data(as_text=True)
    good = {"decision": "confirm", "panel_date": [str(on.day), str(on.month), str(on.year)], "chair": str(chair.id)}
    assert client.post_form(url, good).status_code == 302
    assert ready.participant.programme_year == 2


def test_the_chair_starts_empty_and_must_be_chosen(client, ready, coordinator, chair):
    outcome = recommend_outcome(ready.participant, "pass", by=ready.assessor)
    sign_in(client, coordinator)
    url = f"/moderation/{outcome.id}"
    page = client.get(url).get_data(as_text=True)
    select = page[page.index('<select class="govuk-select" id="chair"') :]
    assert re.match(r'<select[^>]* required[^>]*>\s*<option value="">Choose the chair</option>', select)
    on = today()
    data = {"decision": "confirm", "panel_date": [str(on.day), str(on.month), str(on.year)], "chair": ""}
    refused = client.post_form(url, data)
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert re.search(r'id="chair-error" class="govuk-error-message">\s*<span[^>]*>Error:</span> Choose the chair', html)
    assert re.search(r'<option value="" selected>\s*Choose the chair', html)
    assert outcome.status == OutcomeStatus.PENDING
