"""Building an NQSW's assessment through the real services: staff, evidence, ratings."""

from dataclasses import dataclass
from datetime import date, timedelta

from academy.accounts.models import User
from academy.assessment.services.concerns import raise_concern
from academy.assessment.services.ratings import assessed_elements, record_rating
from academy.assessment.services.reviews import (
    ReviewRecord,
    add_nqsw_comment,
    previous_review,
    record_review,
    sign_review,
)
from academy.core.dates import today
from academy.evidence.models import EvidenceEntry, EvidenceType
from academy.evidence.services import accept_evidence, create_evidence, submit_evidence
from academy.extensions import db
from academy.logs.models import SelfAssessmentPoint
from academy.logs.services import save_self_assessment, self_assessment_elements
from academy.participants.models import Participant
from tests import factories

T = EvidenceType
FIELDS = {
    T.DIRECT_OBSERVATION: {"observer_name": "Sam Senior", "observer_is_registered": True, "setting": "Home visit"},
    T.FEEDBACK_PERSON: {"feedback_source": "parent_carer"},
    T.FEEDBACK_PROFESSIONAL: {"feedback_source": "health"},
    T.WRITTEN_REPORT: {"report_kind": "Child and family assessment"},
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
    participant = factories.make_participant(cohort, start=start or today() - timedelta(days=120))
    assessor = factories.make_user({"mentor"}, name="Ada Assessor")
    mentor = factories.make_user({"mentor"}, name="Mo Mentor")
    line_manager = factories.make_user({"mentor"}, name="Lee Manager")
    factories.assign(participant, assessor, "assessor")
    factories.assign(participant, mentor, "mentor")
    factories.assign(participant, line_manager, "line_manager")
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
) -> EvidenceEntry:
    """An entry by the NQSW, linked to `links` (elements), submitted unless told otherwise."""
    links = links if links is not None else elements(participant)
    fields = dict(FIELDS.get(type, {}))
    if milestone_code:
        fields["milestone_code"] = milestone_code
    entry = create_evidence(
        participant,
        by=participant.user,
        type=type,
        title=title,
        activity_date=today() - timedelta(days=3),
        narrative="What happened, what I learned and what I will do next.",
        links=[(el.id, f"Shows {el.title.lower()}") for el in links],
        anonymised_confirmed=True,
        **fields,
    )
    if submit:
        submit_evidence(entry, by=participant.user)
    return entry


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
    values = {el.id: 3 for el in self_assessment_elements(participant)}
    for point in (SelfAssessmentPoint.START, SelfAssessmentPoint.MIDDLE, SelfAssessmentPoint.END):
        save_self_assessment(participant, by=participant.user, point=point, values=values, comments={})
    db.session.flush()


def rate_everything(participant: Participant, rater: User, value: int = 2, skip: int = 0) -> None:
    """Rate every assessed element of the participant's year at `value` (leaving the first `skip` unrated)."""
    for element in assessed_elements(participant)[skip:]:
        record_rating(participant, element, value, by=rater)
    db.session.flush()


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
