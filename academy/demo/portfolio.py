"""Demo portfolios: evidence at plausible stages, self-assessments, supervision, protected time, caseloads.

Everything goes through the evidence services, so each entry has its history and audit trail. An NQSW
who has finished the ASYE year (the 2024 and 2025 intakes) has the full minimum accepted by their
assessor; a new NQSW (the 2026 intake) has a few drafts and submissions, and sometimes an entry
returned with feedback. Narratives are generic: they name nobody and carry no dates, addresses or
reference numbers.
"""

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from dateutil.relativedelta import relativedelta

from academy.accounts.models import User
from academy.core.db import now_utc
from academy.demo.seed import DemoAcademy
from academy.evidence import services
from academy.evidence.models import EvidenceEntry, EvidenceType
from academy.extensions import db
from academy.frameworks.models import FrameworkElement
from academy.logs import services as logs
from academy.logs.models import SelfAssessmentPoint
from academy.participants.models import AssignmentKind, Participant
from academy.participants.services import current_assignment

T = EvidenceType
MONTH_DAYS = 30.4
ASYE_MONTHS = 12

# The ASYE minimum, each item at its month of the year: (type, month, milestone of a critical reflection).
YEAR_ONE: list[tuple[EvidenceType, float, str | None]] = [
    (T.LEARNING, 0.8, None),
    (T.WRITTEN_REPORT, 1.5, None),
    (T.FEEDBACK_PROFESSIONAL, 2.0, None),
    (T.DIRECT_OBSERVATION, 2.5, None),
    (T.FEEDBACK_PERSON, 3.2, None),
    (T.WRITTEN_REPORT, 4.6, None),
    (T.DIRECT_OBSERVATION, 5.4, None),
    (T.CRITICAL_REFLECTION, 5.8, "review_6m"),
    (T.FEEDBACK_PROFESSIONAL, 6.5, None),
    (T.FEEDBACK_PERSON, 7.2, None),
    (T.LEARNING, 8.0, None),
    (T.WRITTEN_REPORT, 8.6, None),
    (T.DIRECT_OBSERVATION, 9.4, None),
    (T.FEEDBACK_PERSON, 10.0, None),
    (T.FEEDBACK_PROFESSIONAL, 10.5, None),
    (T.CRITICAL_REFLECTION, 11.6, "final_review"),
]
# Years 2 and 3: continuing development, reviewed by the assessor or mentor.
LATER_YEARS: list[tuple[EvidenceType, float]] = [
    (T.LEARNING, 14.5),
    (T.OTHER, 18.0),
    (T.LEARNING, 22.0),
    (T.FEEDBACK_PROFESSIONAL, 25.5),
    (T.LEARNING, 30.0),
]

SETTINGS = [
    "Home visit",
    "Child in need meeting",
    "Core group meeting",
    "Direct work session at school",
    "Family network meeting",
    "Contact supervision",
]
REPORT_KINDS = [
    "Child and family assessment",
    "Child protection conference report",
    "Child in care review report",
    "Court statement",
    "Pathway plan",
    "Section 47 enquiry record",
]
LEARNING = [
    ("Training: working with neglect", "Two practice tools I now use to weigh cumulative harm."),
    ("Training: contextual safeguarding", "How to map risk outside the home with the network."),
    ("Workshop: writing clear analysis", "Separating what I saw from what I concluded."),
    ("Course: trauma-informed practice", "Noticing how my own pace can help a family feel safer."),
    ("Reading group: relationship-based practice", "Using supervision to test my hypotheses."),
    ("Training: the Mental Capacity Act in practice", "When and how to record a capacity assessment."),
    ("Shadowing a court duty day", "What the court expects from a social work statement."),
]
OTHER = [
    ("Case study presented to the team", "I presented an anonymised case study and took questions from peers."),
    ("Practice audit reflection", "I reflected on a file audit and the changes I made to my recording."),
]
OPENINGS = {
    T.DIRECT_OBSERVATION: "My assessor observed me during a {setting} with a family I have worked with for some weeks.",
    T.FEEDBACK_PERSON: "After our work together I asked for feedback on how I explained my role and listened.",
    T.FEEDBACK_PROFESSIONAL: "A colleague from a partner agency gave feedback on how we worked together.",
    T.WRITTEN_REPORT: "I wrote a {kind} and my assessor read it alongside the case recording.",
    T.CRITICAL_REFLECTION: "Looking back over this part of the year, I can see how my practice has changed.",
    T.OTHER: "{detail}",
    T.LEARNING: "{detail}",
}
MIDDLES = [
    "I explained why I was involved in plain words and checked what had been understood.",
    "I kept the child's experience at the centre and brought their views into the plan.",
    "I shared my worries honestly while recognising what was going well.",
    "I used a strengths-based approach and agreed small, clear next steps.",
    "I separated fact from opinion and set out my analysis of risk and protective factors.",
    "I checked my thinking with my supervisor before recommending a change of plan.",
]
ENDINGS = [
    "Next time I will plan the session with more space for the young person's questions.",
    "I want to keep developing how I summarise complex histories briefly.",
    "The feedback confirmed that families find my explanations clear; I will keep working on pace.",
    "I will use the same structure for my next assessment and ask for early feedback on it.",
]
REASONS = [
    "Shows how I built a working relationship and communicated clearly",
    "Shows my analysis of risk and the evidence behind it",
    "Shows how I included the child's voice in the plan",
    "Shows how I worked with other agencies",
    "Shows how I used supervision and reflection to improve my practice",
    "Shows how I applied law and guidance to the decision",
]
RETURN_FEEDBACK = [
    "Please say more about how you checked your analysis with your supervisor.",
    "Good start. Link this to the element about the child's voice and explain what changed as a result.",
]
TITLES = {
    T.DIRECT_OBSERVATION: "Observed practice: {setting}",
    T.FEEDBACK_PERSON: "Feedback after a period of direct work",
    T.FEEDBACK_PROFESSIONAL: "Feedback from a partner agency",
    T.WRITTEN_REPORT: "Written report: {kind}",
}
PROTECTED_ACTIVITIES = [
    "Reading research on neglect and reflecting on a current case",
    "Reflective writing for my portfolio",
    "Peer learning group",
    "Preparing for my review with my assessor",
    "Online module on analysis and decision making",
    "Shadowing a senior practitioner",
]


@dataclass
class People:
    nqsw: User
    assessor: User | None
    manager: User | None


def seed(academy: DemoAcademy) -> None:
    """Give every demo NQSW a portfolio that fits how far into the programme they are."""
    rng = random.Random(academy.rng.random())  # repeatable synthetic data, not a secret  # nosec B311
    with db.session.no_autoflush:  # the services flush when they need an id; nothing else has to
        for participant in academy.participants:
            _portfolio(participant, academy.today, rng)


def _portfolio(participant: Participant, today: date, rng: random.Random) -> None:
    until = min(today, participant.ended_on or today)
    if until <= participant.start_date:
        return
    assessor = current_assignment(participant, AssignmentKind.ASSESSOR, today)
    manager = current_assignment(participant, AssignmentKind.LINE_MANAGER, today)
    people = People(participant.user, assessor.user if assessor else None, manager.user if manager else None)
    _evidence(participant, people, until, rng)
    _self_assessments(participant, people.nqsw, until, rng)
    _supervision(participant, people, until, rng)
    _protected_time(participant, people.nqsw, until, rng)
    _caseloads(participant, people, until, rng)


def _on(participant: Participant, months: float, rng: random.Random) -> date:
    return participant.start_date + timedelta(days=round(months * MONTH_DAYS) + rng.randint(-4, 4))


def _months_in(participant: Participant, until: date) -> float:
    return (until - participant.start_date).days / MONTH_DAYS


def _at(day: date) -> datetime:
    """A plausible working-day time for `day`, never in the future."""
    return min(datetime.combine(day, time(10, 30), tzinfo=UTC), now_utc())


# Evidence -----------------------------------------------------------------------------------------


def _elements(participant: Participant) -> list[list[FrameworkElement]]:
    return [list(fw.elements) for fw in participant.cohort.frameworks if fw.elements]


def _links(frameworks: list[list[FrameworkElement]], rng: random.Random) -> list[tuple[int, str]]:
    """One or two elements of each framework, each with a one-line reason."""
    chosen: list[FrameworkElement] = []
    for elements in frameworks:
        chosen += rng.sample(elements, min(len(elements), rng.choice([1, 1, 2])))
    return [(el.id, rng.choice(REASONS)) for el in chosen]


def _content(type: EvidenceType, milestone: str | None, people: People, rng: random.Random) -> dict:
    setting, kind = rng.choice(SETTINGS), rng.choice(REPORT_KINDS)
    detail_title, detail = rng.choice(LEARNING if type == T.LEARNING else OTHER)
    if type == T.CRITICAL_REFLECTION:
        title = "Critical reflection for the 6-month review" if milestone == "review_6m" else "Critical reflection"
        if milestone == "final_review":
            title = "Critical reflection for the final review"
    elif type in (T.LEARNING, T.OTHER):
        title = detail_title
    else:
        title = TITLES[type].format(setting=setting.lower(), kind=kind.lower())
    opening = OPENINGS[type].format(setting=setting.lower(), kind=kind.lower(), detail=detail)
    narrative = "\n\n".join([opening, *rng.sample(MIDDLES, 2), rng.choice(ENDINGS)])
    fields: dict = {}
    if type == T.DIRECT_OBSERVATION:
        observer = people.assessor or people.manager
        fields = {
            "observer_name": observer.name if observer else "Practice educator",
            "observer_is_registered": True,
            "setting": setting,
        }
    elif type in services.FEEDBACK_SOURCES:
        fields = {"feedback_source": rng.choice(services.FEEDBACK_SOURCES[type])[0]}
    elif type == T.LEARNING:
        fields = {"hours": Decimal(rng.choice(["1.5", "3", "3.5", "6", "7"]))}
    elif type == T.WRITTEN_REPORT:
        fields = {"report_kind": kind}
    elif type == T.CRITICAL_REFLECTION:
        fields = {"milestone_code": milestone}
    return {"title": title, "narrative": narrative, **fields}


def _create(participant, people, type, milestone, day, frameworks, rng) -> EvidenceEntry:
    return services.create_evidence(
        participant,
        by=people.nqsw,
        type=type,
        activity_date=day,
        links=_links(frameworks, rng),
        anonymised_confirmed=True,
        **_content(type, milestone, people, rng),
    )


def _submit(entry: EvidenceEntry, by: User, day: date) -> None:
    services.submit_evidence(entry, by=by)
    entry.submitted_at = _at(day)


def _accept(entry: EvidenceEntry, reviewer: User, day: date) -> None:
    services.accept_evidence(entry, by=reviewer)
    entry.decided_at = _at(day)


def _return(entry: EvidenceEntry, reviewer: User, day: date, rng: random.Random) -> None:
    services.return_evidence(entry, by=reviewer, feedback=rng.choice(RETURN_FEEDBACK))
    entry.decided_at = _at(day)


def _evidence(participant: Participant, people: People, until: date, rng: random.Random) -> None:
    frameworks = _elements(participant)
    if not frameworks:
        return
    finished_year = _months_in(participant, until) >= ASYE_MONTHS + 1
    plan = [(type, month, code) for type, month, code in YEAR_ONE]
    plan += [(type, month, None) for type, month in LATER_YEARS]
    recent: list[tuple[EvidenceEntry, date]] = []
    for type, month, milestone in plan:
        day = _on(participant, month, rng)
        if day >= until:
            continue
        entry = _create(participant, people, type, milestone, day, frameworks, rng)
        age = (until - day).days
        in_year_one = month <= ASYE_MONTHS
        if (finished_year and in_year_one) or age > 35:
            _decide_old(entry, people, day, until, rng)
        elif age > 10:
            _submit(entry, people.nqsw, min(day + timedelta(days=3), until))
            recent.append((entry, day))
        # else: a recent draft the NQSW is still writing.
    # Someone new in post: one of their submissions sometimes comes back with feedback to act on.
    if not finished_year and recent and people.assessor and rng.random() < 0.4:
        entry, day = recent[0]
        _return(entry, people.assessor, min(day + timedelta(days=9), until), rng)
    if not finished_year:
        day = max(participant.start_date, until - timedelta(days=rng.randint(1, 6)))
        _create(participant, people, T.DIRECT_OBSERVATION, None, day, frameworks, rng)


def _decide_old(entry: EvidenceEntry, people: People, day: date, until: date, rng: random.Random) -> None:
    """Submitted and accepted by the assessor; now and then returned and resubmitted first."""
    submitted = min(day + timedelta(days=rng.randint(1, 5)), until)
    _submit(entry, people.nqsw, submitted)
    if people.assessor is None:
        return  # nobody assessing today: it waits for the next assessor
    decided = min(submitted + timedelta(days=rng.randint(3, 12)), until)
    if rng.random() < 0.12:
        _return(entry, people.assessor, decided, rng)
        links = [(link.element_id, link.reason) for link in entry.links]
        services.update_evidence(
            entry,
            by=people.nqsw,
            title=entry.title,
            activity_date=entry.activity_date,
            narrative=entry.narrative + "\n\nAfter feedback: I have added how supervision shaped my analysis.",
            links=links,
            anonymised_confirmed=True,
            **{name: getattr(entry, name) for name in services.REQUIRED_FIELDS.get(entry.type, ())},
            **_milestone_field(entry),
        )
        submitted = min(decided + timedelta(days=4), until)
        _submit(entry, people.nqsw, submitted)
        decided = min(submitted + timedelta(days=5), until)
    _accept(entry, people.assessor, decided)


# Self-assessment ----------------------------------------------------------------------------------


def _self_assessments(participant: Participant, nqsw: User, until: date, rng: random.Random) -> None:
    elements = logs.self_assessment_elements(participant)
    if not elements:
        return
    months = _months_in(participant, until)
    stages = [(SelfAssessmentPoint.START, 0.3, 1), (SelfAssessmentPoint.MIDDLE, 6, 2), (SelfAssessmentPoint.END, 12, 3)]
    for point, due, base in stages:
        if months < due:
            break
        values = {el.id: max(1, min(4, base + rng.choice([-1, 0, 0, 1]))) for el in elements}
        logs.save_self_assessment(participant, by=nqsw, point=point, values=values, comments={})


# Logs ---------------------------------------------------------------------------------------------


def _supervision(participant: Participant, people: People, until: date, rng: random.Random) -> None:
    """Sessions on the cohort's schedule, now and then cancelled; a few NQSWs fall behind."""
    recorder = people.manager or people.assessor
    if recorder is None:
        return
    start = participant.start_date
    fte = float(participant.fte)
    missed = 0.25 if rng.random() < 0.15 else 0.05
    bands = []
    for band in participant.cohort.settings.get("supervision_schedule", []):
        if band.get("until_week") is not None:
            end = start + timedelta(days=round(int(band["until_week"]) * 7 / fte))
        elif band.get("until_month") is not None:
            end = start + timedelta(
                days=round((start + relativedelta(months=int(band["until_month"])) - start).days / fte)
            )
        else:
            end = until
        bands.append((end, int(band["interval_days"])))
    day = start + timedelta(days=3)
    for end, interval in bands:
        while day < min(end, until):
            held = rng.random() >= missed
            logs.record_supervision(
                participant,
                by=recorder,
                held_on=day,
                kind=rng.choices(["reflective", "case", "group"], [6, 3, 1])[0],
                was_held=held,
                duration_minutes=rng.choice([60, 75, 90]) if held else None,
            )
            day += timedelta(days=interval)


def _protected_time(participant: Participant, nqsw: User, until: date, rng: random.Random) -> None:
    """One log a month of about the month's entitlement (10% of contracted hours); some fall short."""
    settings = participant.cohort.settings
    weekly = Decimal(str(settings.get("protected_time_share", 0.10))) * Decimal(
        str(settings.get("contracted_hours_per_week", 37))
    )
    monthly = weekly * Decimal(str(participant.fte)) * Decimal("4.33")
    share = Decimal(rng.choice(["0.6", "0.9", "1.0", "1.0", "1.05"]))
    month = 1
    while (day := participant.start_date + relativedelta(months=month) - timedelta(days=2)) < until:
        hours = (monthly * share * Decimal(str(rng.uniform(0.85, 1.1))) * 2).quantize(
            Decimal("1"), rounding=ROUND_HALF_UP
        ) / 2
        logs.record_protected_time(
            participant, by=nqsw, taken_on=day, hours=min(hours, Decimal(24)), activity=rng.choice(PROTECTED_ACTIVITIES)
        )
        month += 1


def _caseloads(participant: Participant, people: People, until: date, rng: random.Random) -> None:
    """Every eight weeks: a protected caseload building up to the cohort's target (scaled to FTE)."""
    target = int(participant.cohort.settings.get("caseload_target", 16) or 16)
    full = max(1, round(target * float(participant.fte)))
    day = participant.start_date + timedelta(days=14)
    while day < until:
        weeks = (day - participant.start_date).days / 7
        cases = min(full, round(full * (0.35 + weeks / 52 * 0.6))) + rng.randint(-1, 1)
        by = people.manager if people.manager and rng.random() < 0.5 else people.nqsw
        logs.record_caseload(participant, by=by, taken_on=day, cases=max(0, cases))
        day += timedelta(days=56)


def _milestone_field(entry) -> dict[str, Any]:
    """The critical reflection's milestone, when it has one, as the change's keyword argument."""
    return {"milestone_code": entry.milestone_code} if entry.milestone_code else {}
