"""Every builder of test data, as plain functions that go through the real services.

Builders flush (as the services do) and never commit; a test that needs committed data commits itself.
Where no service can produce a state a test needs, the builder says so in a comment and writes the
rows itself.
"""

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa

from academy.accounts.models import Role, User
from academy.accounts.services import create_user
from academy.assessment.services.outcomes import confirm_outcome, recommend_outcome
from academy.assessment.services.ratings import assessed_elements, record_rating
from academy.assessment.services.reviews import (
    REVIEW_KINDS,
    ReviewRecord,
    add_nqsw_comment,
    record_review,
    sign_review,
)
from academy.cohorts.models import Cohort
from academy.cohorts.services import create_cohort, enrol_participant
from academy.core.dates import today
from academy.evidence.models import EvidenceEntry, EvidenceType
from academy.evidence.services import accept_evidence, create_evidence, submit_evidence
from academy.extensions import db
from academy.frameworks.loader import load_shipped_frameworks
from academy.frameworks.models import Framework, FrameworkElement
from academy.logs.models import SelfAssessmentPoint
from academy.logs.services import (
    record_protected_time,
    record_supervision,
    save_self_assessment,
    self_assessment_elements,
)
from academy.participants import lifecycle
from academy.participants.models import (
    Assignment,
    AssignmentKind,
    LeavingDestination,
    Participant,
    ParticipantStatus,
    PauseReason,
    StatusEvent,
    StatusEventKind,
)
from academy.participants.services import assign_staff
from academy.programmes.services import default_programme, ensure_default_programmes

PASSWORD = "correct-horse-battery-staple"
_sequence = itertools.count(1)


# People, cohorts, enrolments --------------------------------------------------------------------


def make_user(roles=("nqsw",), *, name: str | None = None, email: str | None = None, password: str = PASSWORD) -> User:
    n = next(_sequence)
    user = create_user(
        email or f"person{n}@example.org", name or f"Person {n}", {Role(r) for r in roles}, password=password
    )
    return user


def frameworks() -> list[Framework]:
    """The shipped frameworks, loaded once per test transaction."""
    load_shipped_frameworks()
    return list(db.session.scalars(sa.select(Framework).order_by(Framework.id)))


def make_cohort(
    name: str | None = None, start: date = date(2026, 9, 7), *, actor: User | None = None, with_frameworks: bool = True
) -> Cohort:
    ensure_default_programmes()
    fws = frameworks() if with_frameworks else []
    return create_cohort(name or f"Cohort {next(_sequence)}", start, default_programme(), fws, actor=actor)


def make_participant(
    cohort: Cohort | None = None,
    user: User | None = None,
    *,
    start: date | None = None,
    fte: str = "1.0",
    today: date | None = None,
    **kwargs,
) -> Participant:
    cohort = cohort or make_cohort()
    user = user or make_user(("nqsw",))
    return enrol_participant(cohort, user, actor=None, start_date=start, fte=Decimal(fte), today=today, **kwargs)


def assign(
    participant: Participant,
    staff: User,
    kind: str = "assessor",
    *,
    starts_on: date | None = None,
    handover_note: str = "",
) -> Assignment:
    return assign_staff(
        participant,
        staff,
        AssignmentKind(kind),
        starts_on=starts_on or participant.start_date,
        actor=None,
        handover_note=handover_note,
    )


# Form and file input ----------------------------------------------------------------------------


def date_parts(value: date) -> list[str]:
    """A date as the three inputs (day, month, year) of a GOV.UK date field."""
    return [str(value.day), str(value.month), str(value.year)]


ENROLMENT_CSV_HEADER = (
    "given_name,family_name,email,start_date,team,fte,swe_number,employment_type,"
    "assessor_email,mentor_email,line_manager_email\n"
)


def enrolment_csv_rows() -> str:
    """Two good rows of an enrolment CSV; the staff they name are ash.assessor, mo.mentor and lee.manager."""
    return (
        "Ada,Example,ada@example.org,2026-09-07,Child protection East,1.0,SW123456,permanent,"
        "ash.assessor@example.org,mo.mentor@example.org,lee.manager@example.org\n"
        "Ben,Sample,ben@example.org,21/09/2026,Leaving care,0.6,,agency,ash.assessor@example.org,,\n"
    )


# Status changes ---------------------------------------------------------------------------------


def leave(
    participant: Participant,
    on: date,
    destination: LeavingDestination = LeavingDestination.UNKNOWN,
    reason: str = "Moved to another post",
    kind: StatusEventKind = StatusEventKind.LEFT,
) -> StatusEvent:
    """The participant leaves, is withdrawn or fails the ASYE on `on`, through the lifecycle services.

    With `reason=""` the event is written directly: the service requires a reason, but a leaver with
    none recorded (from before it did) is a case the retention figures must still count.
    """
    if not reason:
        participant.status = ParticipantStatus(kind.value)
        participant.ended_on = on
        return status_event(participant, kind, on, destination=destination, to_status=kind.value)
    if kind == StatusEventKind.FAILED:
        return lifecycle.fail_participant(participant, actor=None, on=on)
    end = {StatusEventKind.LEFT: lifecycle.leave, StatusEventKind.WITHDRAWN: lifecycle.withdraw}[kind]
    return end(participant, actor=None, on=on, reason=reason, destination=destination)


def pause_and_resume(participant: Participant, starts_on: date, ends_on: date) -> None:
    """A finished sickness pause, through the lifecycle services."""
    lifecycle.pause(participant, actor=None, reason=PauseReason.SICKNESS, starts_on=starts_on)
    lifecycle.resume(participant, actor=None, on=ends_on)


def status_event(participant: Participant, kind: StatusEventKind, on: date, **fields) -> StatusEvent:
    """A timeline event written directly, for histories no lifecycle service allows (a leaver active again
    on the same enrolment: leaving ends a record, so the services never reopen it)."""
    row = StatusEvent(participant=participant, kind=kind, effective_on=on, **fields)
    db.session.add(row)
    db.session.flush()
    return row


# Assessment: a team, evidence, ratings, reviews --------------------------------------------------

T = EvidenceType
EVIDENCE_FIELDS = {
    T.DIRECT_OBSERVATION: {"observer_name": "Sam Senior", "observer_is_registered": True, "setting": "Home visit"},
    T.FEEDBACK_PERSON: {"feedback_source": "parent_carer"},
    T.FEEDBACK_PROFESSIONAL: {"feedback_source": "health"},
    T.WRITTEN_REPORT: {"report_kind": "Child and family assessment"},
    T.LEARNING: {"hours": Decimal(3)},
}
MINIMUM_TYPES = (T.DIRECT_OBSERVATION, T.FEEDBACK_PERSON, T.FEEDBACK_PROFESSIONAL, T.WRITTEN_REPORT)


@dataclass
class Team:
    participant: Participant
    nqsw: User
    assessor: User
    mentor: User
    line_manager: User


def make_team(start: date | None = None, cohort=None) -> Team:
    """An active year-1 NQSW with an assessor, a mentor and a line manager, all assigned from the start."""
    participant = make_participant(cohort, start=start or today() - timedelta(days=120))
    assessor = make_user({"mentor"}, name="Ada Assessor")
    mentor = make_user({"mentor"}, name="Mo Mentor")
    line_manager = make_user({"mentor"}, name="Lee Manager")
    assign(participant, assessor, "assessor")
    assign(participant, mentor, "mentor")
    assign(participant, line_manager, "line_manager")
    return Team(participant, participant.user, assessor, mentor, line_manager)


def elements(participant: Participant, count: int = 2) -> list:
    return assessed_elements(participant)[:count]


def make_entry(
    participant: Participant,
    *,
    type: EvidenceType = T.WRITTEN_REPORT,
    links: list | None = None,
    title: str = "Assessment of a family's needs",
    submit: bool = True,
    milestone_code: str | None = None,
    activity_date: date | None = None,
) -> EvidenceEntry:
    """An entry by the NQSW, linked to `links` (elements), submitted unless told otherwise."""
    links = links if links is not None else elements(participant)
    fields = dict(EVIDENCE_FIELDS.get(type, {}))
    if milestone_code:
        fields["milestone_code"] = milestone_code
    entry = create_evidence(
        participant,
        by=participant.user,
        type=type,
        title=title,
        activity_date=activity_date or today() - timedelta(days=3),
        narrative="What happened, what I learned and what I will do next.",
        links=[(el.id, f"Shows {el.title.lower()}") for el in links],
        anonymised_confirmed=True,
        **fields,
    )
    if submit:
        submit_evidence(entry, by=participant.user)
    return entry


def complete_self_assessments(participant: Participant) -> None:
    """The start, middle and end self-assessments of year 1, every element at "confident"."""
    values = {el.id: 3 for el in self_assessment_elements(participant)}
    for point in (SelfAssessmentPoint.START, SelfAssessmentPoint.MIDDLE, SelfAssessmentPoint.END):
        save_self_assessment(participant, by=participant.user, point=point, values=values, comments={})


def meet_evidence_minimums(participant: Participant, assessor: User, skip: tuple = ()) -> None:
    """Accepted evidence for every minimum of the cohort's settings, and the three self-assessments."""
    for type in MINIMUM_TYPES:
        for n in range(3):
            if (type, n) in skip:
                continue
            accept_evidence(make_entry(participant, type=type, title=f"{type.label} {n + 1}"), by=assessor)
    for code in participant.cohort.settings["minimum_evidence"]["critical_reflection_milestones"]:
        entry = make_entry(participant, type=T.CRITICAL_REFLECTION, title=f"Reflection {code}", milestone_code=code)
        accept_evidence(entry, by=assessor)
    complete_self_assessments(participant)
    db.session.flush()


def rate_everything(participant: Participant, rater: User, value: int = 2, skip: int = 0) -> None:
    """Rate every assessed element of the participant's year at `value` (leaving the first `skip` unrated)."""
    for element in assessed_elements(participant)[skip:]:
        record_rating(participant, element, value, by=rater)
    db.session.flush()


REVIEW_RECORD = ReviewRecord(
    held_on=None,
    attendees="NQSW, assessor, line manager",
    progress_summary="Steady progress across the statements.",
    on_track=True,
    actions="Arrange a second direct observation.",
    interim_assessment="Developing as expected.",
)


def review_record(**changes) -> ReviewRecord:
    """What the assessor writes about a review held yesterday, with `changes`."""
    return ReviewRecord(**{**REVIEW_RECORD.__dict__, "held_on": today() - timedelta(days=1), **changes})


# A year-3 participant with a full history (report tests and their PDFs) ---------------------------

YEAR3_START = date(2024, 9, 2)
YEAR3_AS_OF = date(2026, 11, 1)  # the history runs up to here; year 3 began on 30 August 2026
YEAR3_EVIDENCE = [
    (T.DIRECT_OBSERVATION, 3),
    (T.FEEDBACK_PERSON, 3),
    (T.FEEDBACK_PROFESSIONAL, 3),
    (T.WRITTEN_REPORT, 3),
    (T.LEARNING, 4),
]


@dataclass
class Staff:
    assessor: User
    line_manager: User
    mentor: User
    panel: User  # the coordinator who records the moderation panel's decision


def at(day: date) -> datetime:
    return datetime.combine(day, time(10, 0), tzinfo=UTC)


def make_staff() -> Staff:
    return Staff(
        assessor=make_user(("mentor",), name="Ada Assessor"),
        line_manager=make_user(("mentor",), name="Lee Linemanager"),
        mentor=make_user(("mentor",), name="Mo Mentor"),
        panel=make_user(("coordinator",), name="Pat Panel"),
    )


def make_year3_cohort(name: str = "September 2024 intake") -> Cohort:
    return make_cohort(name, YEAR3_START)


def rated_elements(cohort: Cohort, year: int) -> list[FrameworkElement]:
    """The elements rated in `year` (levelled elements only at that year's level), in the cohort's order."""
    elements = [e for f in cohort.frameworks for e in f.elements]
    return [e for e in elements if not e.level or (e.level == "social_worker") == (year > 1)]


def _rate_year(participant: Participant, rater: User, year: int, count: int | None) -> None:
    """Each element rated "developing", then its current rating: "meeting" in year 1, then alternating
    "meeting" and "consistently exceeding" (ratings are append-only, so they carry today's time)."""
    for i, element in enumerate(rated_elements(participant.cohort, year)[:count]):
        record_rating(participant, element, 1, by=rater)
        value = 2 + (i % 2) * (year > 1)
        record_rating(participant, element, value, by=rater, comment="Seen in observed practice.")


def _year3_evidence(participant: Participant, staff: Staff) -> None:
    """Accepted evidence through the evidence services, back-dated as the demo does (the services stamp now)."""
    element = participant.cohort.frameworks[0].elements[0]
    links = [element]
    day = YEAR3_START + timedelta(days=20)
    plan = [(type, n, None) for type, count in YEAR3_EVIDENCE for n in range(count)]
    plan += [(T.CRITICAL_REFLECTION, 0, code) for code in ("review_6m", "final_review")]
    for type, n, code in plan:
        title = f"Reflection {code}" if code else f"{type.label} {n + 1}"
        entry = make_entry(participant, type=type, links=links, title=title, milestone_code=code, activity_date=day)
        accept_evidence(entry, by=staff.assessor)
        entry.submitted_at = at(day)
        entry.decided_at = at(day + timedelta(days=5))
        day += timedelta(days=17)


def _hold_reviews(participant: Participant, staff: Staff, year: int) -> None:
    """Every review of `year` due by YEAR3_AS_OF, held three days before it was due and signed by both."""
    due = [
        m
        for m in participant.milestones
        if m.programme_year == year and m.kind in REVIEW_KINDS and m.due_date and m.due_date <= YEAR3_AS_OF
    ]
    for milestone in sorted(due, key=lambda m: m.due_date):
        held = milestone.due_date - timedelta(days=3)
        title = milestone.title.lower()
        record = ReviewRecord(
            held_on=held,
            attendees=f"{participant.name}, {staff.assessor.name}, {staff.line_manager.name}",
            progress_summary=f"Summary of the {title}: steady progress in casework.",
            on_track=True,
            actions=f"Actions after the {title}: shadow a child protection conference.",
            interim_assessment="Practice is at the expected level for this point.",
        )
        review = record_review(milestone, record, by=staff.assessor)
        add_nqsw_comment(review, "I agree with the summary.", by=participant.user)
        sign_review(review, by=staff.assessor)
        sign_review(review, by=participant.user)
        review.assessor_signed_at = at(held)
        review.nqsw_signed_at = at(held + timedelta(days=1))


def _logs(participant: Participant, staff: Staff) -> None:
    """Supervision (weekly for six weeks, then every four weeks) and monthly protected time, to YEAR3_AS_OF."""
    day = YEAR3_START
    while day < YEAR3_AS_OF:
        held = day.day % 5 != 0
        record_supervision(
            participant,
            by=staff.line_manager,
            held_on=day,
            kind="reflective",
            was_held=held,
            duration_minutes=90 if held else None,
        )
        day += timedelta(days=7 if day < YEAR3_START + timedelta(weeks=6) else 28)
    day = YEAR3_START + timedelta(days=10)
    while day < YEAR3_AS_OF:
        record_protected_time(
            participant,
            by=participant.user,
            taken_on=day,
            hours=Decimal("7.5"),
            activity="Reading and reflective writing",
        )
        day += timedelta(days=30)


def add_year3_history(participant: Participant, staff: Staff, *, rate_everything: bool = True) -> None:
    """Three years through the services: year 1 evidence, ratings and reviews, a PASS confirmed by the panel
    on 14 October 2025 (year 2), year 2 ratings and reviews (the last moves them to year 3), year 3 ratings
    (only the first five unless `rate_everything`), supervision and protected time."""
    _year3_evidence(participant, staff)
    complete_self_assessments(participant)
    _rate_year(participant, staff.assessor, 1, None)
    _hold_reviews(participant, staff, 1)
    outcome = recommend_outcome(participant, "pass", by=staff.assessor, narrative="Meets every PCF domain.")
    outcome.recommended_at = at(date(2025, 8, 30))  # the service stamps now; the panel cannot sit before it
    confirm_outcome(
        outcome,
        by=staff.panel,
        panel_date=date(2025, 10, 14),
        chair=staff.line_manager,
        reason="Portfolio complete; supervision regular.",
    )
    outcome.decided_at = at(date(2025, 10, 14))
    _rate_year(participant, staff.mentor, 2, None)
    _hold_reviews(participant, staff, 2)
    _rate_year(participant, staff.mentor, 3, None if rate_everything else 5)
    _logs(participant, staff)
    db.session.flush()


def make_year3_participant(cohort: Cohort, staff: Staff, *, name: str | None = None, **kwargs) -> Participant:
    user = make_user(("nqsw",), name=name) if name else None
    participant = make_participant(cohort, user, team="Children in care", swe_number="SW123456", today=YEAR3_AS_OF)
    assign(participant, staff.assessor, "assessor")
    assign(participant, staff.line_manager, "line_manager")
    assign(participant, staff.mentor, "mentor")
    add_year3_history(participant, staff, **kwargs)
    return participant
