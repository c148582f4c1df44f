"""Demo step: ratings, signed reviews and ASYE outcomes, all through the assessment services.

The 2024 and 2025 intakes pass the ASYE at a moderation panel, each PASS recommended only after the
final review is signed by both and confirmed with the panel's date, chair and members (2024 then moves
on to year 3 at its year-2 end-of-year review); one 2025 recommendation still awaits the panel; one 2026
NQSW has a concern.
Evidence the PASS needs is topped up through the portfolio's services where the portfolio step left gaps.
"""

from datetime import date, timedelta
from typing import Any

from academy.accounts.models import User
from academy.assessment.services.concerns import raise_concern
from academy.assessment.services.outcomes import (
    confirm_outcome,
    final_review_signed,
    missing_for_pass,
    recommend_outcome,
)
from academy.assessment.services.ratings import assessed_elements, current_ratings, meeting_threshold, record_rating
from academy.assessment.services.reviews import (
    REVIEW_KINDS,
    ReviewRecord,
    add_nqsw_comment,
    previous_review,
    record_review,
    sign_review,
)
from academy.demo.seed import DemoAcademy
from academy.evidence.models import EvidenceType
from academy.evidence.progress import evidence_progress
from academy.evidence.services import accept_evidence, create_evidence, submit_evidence
from academy.extensions import db
from academy.logs.models import SelfAssessmentPoint
from academy.logs.services import save_self_assessment, self_assessment_elements
from academy.participants.models import AssignmentKind, Milestone, Participant, ParticipantStatus
from academy.participants.services import current_assignment

T = EvidenceType
TYPE_FIELDS: dict[EvidenceType, dict[str, Any]] = {
    T.DIRECT_OBSERVATION: {
        "observer_name": "Practice educator",
        "observer_is_registered": True,
        "setting": "Home visit",
    },
    T.FEEDBACK_PERSON: {"feedback_source": "parent_carer"},
    T.FEEDBACK_PROFESSIONAL: {"feedback_source": "education"},
    T.WRITTEN_REPORT: {"report_kind": "Child and family assessment"},
    T.CRITICAL_REFLECTION: {},
}
SUMMARIES = [
    "Building confident relationships with families; recording is timely and analytical.",
    "Good use of supervision to reflect on risk; developing court skills.",
    "Clear, child-focused assessments; growing confidence in multi-agency meetings.",
]


def _staff(participant: Participant, kind: AssignmentKind, on: date) -> User | None:
    assignment = current_assignment(participant, kind, on)
    return assignment.user if assignment else None


def _add_accepted(participant: Participant, assessor: User, type: T, title: str, on: date, **extra) -> None:
    links = [(el.id, "Evidenced in this piece of work") for el in assessed_elements(participant)[:2]]
    entry = create_evidence(
        participant,
        by=participant.user,
        type=type,
        title=title,
        activity_date=min(on, participant.start_date + timedelta(days=200)),
        narrative="A synthetic account of the work, with no one identifiable.",
        links=links,
        anonymised_confirmed=True,
        **{**TYPE_FIELDS[type], **extra},
    )
    submit_evidence(entry, by=participant.user)
    accept_evidence(entry, by=assessor)


def _top_up_evidence(participant: Participant, assessor: User, on: date) -> None:
    """Accepted entries and self-assessments for each minimum still unmet."""
    for item in evidence_progress(participant):
        if item.complete:
            continue
        if item.key.startswith("self_assessment:"):
            point = SelfAssessmentPoint(item.key.split(":", 1)[1])
            values = {el.id: 3 for el in self_assessment_elements(participant)}
            save_self_assessment(participant, by=participant.user, point=point, values=values, comments={})
        elif item.key.startswith("critical_reflection:"):
            code = item.key.split(":", 1)[1]
            _add_accepted(participant, assessor, T.CRITICAL_REFLECTION, "Critical reflection", on, milestone_code=code)
        else:
            for n in range(item.met, item.required):
                _add_accepted(participant, assessor, T(item.key), f"{T(item.key).label} {n + 1}", on)


def _rate(participant: Participant, rater: User, academy: DemoAcademy, all_meeting: bool) -> None:
    threshold = meeting_threshold(participant.cohort)
    current = current_ratings(participant)
    for element in assessed_elements(participant):
        row = current.get(element.id)
        if all_meeting:
            if row is None or row.value < threshold:
                record_rating(participant, element, academy.rng.choice([threshold, threshold, threshold + 1]), by=rater)
        elif row is None and academy.rng.random() < 0.5:
            record_rating(participant, element, academy.rng.choice([threshold - 1, threshold]), by=rater)


def _hold_review(participant: Participant, milestone: Milestone, assessor: User, academy: DemoAcademy) -> None:
    assert milestone.due_date is not None  # demo participants are never on an open-ended pause  # nosec B101
    held_on = milestone.due_date - timedelta(days=academy.rng.randrange(0, 10))
    record = ReviewRecord(
        held_on=held_on,
        attendees=f"{participant.name}, {assessor.name}, line manager",
        progress_summary=academy.rng.choice(SUMMARIES),
        on_track=True,
        actions="Continue the development plan; book the next observation.",
        interim_assessment="Progressing as expected for this point in the programme.",
        previous_actions_progress="Both actions done: the plan is on course and the observation was held."
        if previous_review(milestone) is not None
        else "",
    )
    review = record_review(milestone, record, by=assessor)
    add_nqsw_comment(review, "I agree with the summary and the actions.", by=participant.user)
    sign_review(review, by=participant.user)
    sign_review(review, by=assessor)


def _reviews_until(participant: Participant, year: int, until: date) -> list[Milestone]:
    return [
        m
        for m in participant.milestones
        if m.programme_year == year
        and m.kind in REVIEW_KINDS
        and not m.is_optional
        and m.due_date
        and m.due_date <= until
    ]


def seed(academy: DemoAcademy) -> None:
    today = academy.today
    chair = academy.coordinators[1]
    decider = academy.coordinators[0]
    pending_left = 1
    concern_left = 1
    for participant in academy.participants:
        if participant.status != ParticipantStatus.ACTIVE:
            continue
        assessor = _staff(participant, AssignmentKind.ASSESSOR, today)
        if assessor is None:
            continue
        final = next((m for m in participant.milestones if m.code == "final_review"), None)
        asye_over = final is not None and final.due_date is not None and final.due_date + timedelta(days=45) <= today
        for milestone in _reviews_until(participant, 1, today):
            _hold_review(participant, milestone, assessor, academy)
        if not asye_over:
            _rate(participant, assessor, academy, all_meeting=False)
            if concern_left and participant.cohort.start_date.year == 2026:
                raise_concern(
                    participant,
                    by=assessor,
                    category="progress",
                    description="Case recording is falling behind on several families.",
                    action_plan="Protected recording time each Friday; weekly check in supervision for six weeks.",
                    review_on=today + timedelta(days=42),
                )
                concern_left -= 1
            continue
        _top_up_evidence(participant, assessor, today)
        _rate(participant, assessor, academy, all_meeting=True)
        if missing_for_pass(participant) or not final_review_signed(participant):
            continue
        outcome = recommend_outcome(
            participant,
            "pass",
            by=assessor,
            narrative="Sufficient, varied evidence across the year: practice meets the expected level in every "
            "area of the framework, with particular strength in direct work with children.",
        )
        if pending_left and participant.cohort.start_date.year == 2025:
            pending_left -= 1
            continue
        assert final is not None  # the demo builds every final review; narrows the type only  # nosec B101
        assert final.due_date is not None  # as above  # nosec B101
        panel = min(final.due_date + timedelta(days=30), today)
        outcome.recommended_at = outcome.recommended_at.replace(
            year=final.due_date.year, month=final.due_date.month, day=final.due_date.day
        )
        confirm_outcome(
            outcome,
            by=decider,
            panel_date=panel,
            chair=chair,
            members=f"{chair.name} (chair), {decider.name}, a practice supervisor from another team",
        )
        mentor = _staff(participant, AssignmentKind.MENTOR, today) or assessor
        for milestone in _reviews_until(participant, 2, today):
            if participant.programme_year == 2:
                _rate(participant, mentor, academy, all_meeting=milestone.code == "year2_end")
                _hold_review(participant, milestone, assessor, academy)
        db.session.flush()
