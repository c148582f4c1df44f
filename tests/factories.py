"""Every builder of test data, as plain functions that go through the real services.

Builders flush (as the services do) and never commit; a test that needs committed data commits itself.
Where no service can produce a state a test needs, the builder says so in a comment and writes the
rows itself.
"""

import itertools
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa

from academy.accounts.models import Role, User
from academy.accounts.services import create_user
from academy.assessment.services.concerns import raise_concern
from academy.assessment.services.ratings import assessed_elements, record_rating
from academy.assessment.services.reviews import (
    ReviewRecord,
    add_nqsw_comment,
    previous_review,
    record_review,
    sign_review,
)
from academy.cohorts.models import Cohort
from academy.cohorts.services import create_cohort, default_frameworks, enrol_participant
from academy.core.dates import today
from academy.core.db import now_utc
from academy.evidence.models import EvidenceEntry, EvidenceType
from academy.evidence.services import accept_evidence, create_evidence, submit_evidence
from academy.extensions import db
from academy.frameworks.loader import load_shipped_frameworks
from academy.frameworks.models import Framework
from academy.logs.models import SelfAssessmentPoint
from academy.logs.services import (
    save_self_assessment,
    self_assessment_elements,
)
from academy.participants import lifecycle
from academy.participants.models import (
    Assignment,
    AssignmentKind,
    LeavingDestination,
    Milestone,
    Participant,
    ParticipantStatus,
    PauseReason,
    StatusEvent,
    StatusEventKind,
)
from academy.participants.services import assign_staff
from academy.programmes.services import default_programme, ensure_default_programmes
from academy.reports.batch import request_batch
from academy.reports.models import BatchJob, BatchStatus

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
    fws = frameworks() if with_frameworks else frameworks()[:1]  # every cohort has at least one
    return create_cohort(name or f"Cohort {next(_sequence)}", start, default_programme(), fws, actor=actor)


def create_cohort_on(programme, name: str, start: date = date(2027, 9, 6)) -> Cohort:
    """A cohort of `programme` on the frameworks proposed for it on `start`."""
    load_shipped_frameworks()
    return create_cohort(name, start, programme, default_frameworks(programme, start), actor=None)


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
    previous_actions_progress="The second direct observation was held.",
)


def review_record(**changes) -> ReviewRecord:
    """What the assessor writes about a review held yesterday, with `changes`."""
    return ReviewRecord(**{**REVIEW_RECORD.__dict__, "held_on": today() - timedelta(days=1), **changes})


# Reports -----------------------------------------------------------------------------------------


def make_running_batch(cohort: Cohort, requested_by: User, *, silent_for: timedelta, done: int = 0) -> BatchJob:
    """A batch of the cohort's records requested through the service, then running with `done` records built
    and nothing heard from its worker for `silent_for`. Progress is what a worker writes, so it is set here."""
    job = request_batch(cohort, actor=requested_by)
    last = now_utc() - silent_for
    job.status = BatchStatus.RUNNING
    job.done = done
    job.created_at = last - timedelta(minutes=1)
    job.progressed_at = last
    db.session.flush()
    return job


def make_empty_academy() -> dict[str, User]:
    """An academy on its first day: the shipped frameworks, the default programmes and one coordinator;
    a member of staff and an NQSW with accounts but nothing else (issue 13: every page works)."""
    frameworks()
    ensure_default_programmes()
    return {
        "coordinator": make_user(("coordinator",), name="First Coordinator", email="coordinator@example.org"),
        "mentor": make_user(("mentor",), name="Idle Assessor", email="assessor@example.org"),
        "nqsw": make_user(("nqsw",), name="Not Yet Enrolled", email="nqsw@example.org"),
    }


def make_new_participant_academy() -> dict[str, User]:
    """One cohort with one NQSW enrolled today, an assessor assigned, and nothing recorded yet."""
    people = make_empty_academy()
    participant = make_participant(make_cohort("First cohort", today()), start=today())
    assign(participant, people["mentor"], "assessor")
    return {**people, "nqsw": participant.user}


def team_milestone(team: Team, code: str = "review_3m") -> Milestone:
    """One of the team's participant's milestones, by its code."""
    return next(m for m in team.participant.milestones if m.code == code)


def hold_and_sign(participant: Participant, assessor: User, code: str, *, held_on: date | None = None, actions=""):
    """Record the review of milestone `code` and have both people sign it (through the services)."""
    milestone = next(m for m in participant.milestones if m.code == code)
    previous = previous_review(milestone)
    record = ReviewRecord(
        held_on=held_on or today() - timedelta(days=1),
        attendees="NQSW and assessor",
        progress_summary="Progress across the framework.",
        on_track=True,
        actions=actions,
        interim_assessment="As expected.",
        previous_actions_progress="Each action was done." if previous is not None and previous.actions else "",
    )
    review = record_review(milestone, record, by=assessor)
    add_nqsw_comment(review, "I agree.", by=participant.user)
    sign_review(review, by=participant.user)
    sign_review(review, by=assessor)
    db.session.flush()
    return review


def sign_final_review(team: Team):
    """The year-1 final review, held today and signed by both."""
    return hold_and_sign(team.participant, team.assessor, "final_review", held_on=today())


def concern_before_a_review(team: Team) -> None:
    """A concern with an action plan, raised today, then the 6-month review held today: one review earlier."""
    raise_concern(
        team.participant,
        by=team.assessor,
        category="progress",
        description="Recording is behind.",
        action_plan="Weekly recording time; checked in supervision.",
    )
    hold_and_sign(team.participant, team.assessor, "review_6m", held_on=today())
