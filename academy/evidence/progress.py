"""Progress against the programme's minimum evidence, and elements with no evidence yet.

An item is met by ACCEPTED entries only; entries submitted or resubmitted and waiting for review are
shown beside it, never counted. The assessment feature reuses `evidence_progress` for the PASS check.
"""

from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa

from academy.evidence.models import EvidenceEntry, EvidenceLink, EvidenceStatus, EvidenceType
from academy.evidence.states import AWAITING_REVIEW
from academy.extensions import db
from academy.frameworks.models import FrameworkElement
from academy.logs.models import SelfAssessment
from academy.logs.models import SelfAssessmentPoint as Point
from academy.participants.models import Participant

PLURALS = {
    EvidenceType.DIRECT_OBSERVATION: "Direct observations",
    EvidenceType.FEEDBACK_PERSON: "Feedback from people using services",
    EvidenceType.FEEDBACK_PROFESSIONAL: "Feedback from professionals",
    EvidenceType.WRITTEN_REPORT: "Assessed written reports",
}
POINT_LABELS = {
    Point.START: "start of year 1",
    Point.MIDDLE: "middle of year 1",
    Point.END: "end of year 1",
    Point.YEAR2: "year 2",
    Point.YEAR3: "year 3",
}


@dataclass(frozen=True)
class ProgressItem:
    key: str
    label: str
    required: int
    met: int  # accepted
    waiting: int  # submitted or resubmitted, not yet decided

    @property
    def complete(self) -> bool:
        return self.met >= self.required

    @property
    def summary(self) -> str:
        return f"{self.label}: {min(self.met, self.required) if self.required else self.met} of {self.required}"


def evidence_progress(participant: Participant) -> list[ProgressItem]:
    """Each minimum from the cohort's settings with how many are met (accepted) and waiting."""
    minimum = participant.cohort.settings.get("minimum_evidence", {})
    rows = db.session.execute(
        sa.select(EvidenceEntry.type, EvidenceEntry.status, EvidenceEntry.milestone_code).where(
            EvidenceEntry.participant_id == participant.id
        )
    ).all()
    accepted = Counter(t for t, s, _ in rows if s == EvidenceStatus.ACCEPTED)
    waiting = Counter(t for t, s, _ in rows if s in AWAITING_REVIEW)
    items: list[ProgressItem] = []
    for type in PLURALS:
        required = int(minimum.get(type.value, 0) or 0)
        if required:
            items.append(ProgressItem(type.value, PLURALS[type], required, accepted[type], waiting[type]))
    titles = {m.code: m.title for m in participant.milestones}
    for code in minimum.get("critical_reflection_milestones", []):
        reflections = [(s, c) for t, s, c in rows if t == EvidenceType.CRITICAL_REFLECTION and c == code]
        met = sum(1 for s, _ in reflections if s == EvidenceStatus.ACCEPTED)
        wait = sum(1 for s, _ in reflections if s in AWAITING_REVIEW)
        label = f"Critical reflection for the {titles.get(code, code).lower()}"
        items.append(ProgressItem(f"critical_reflection:{code}", label, 1, min(met, 1), wait))
    done_points = set(
        db.session.scalars(
            sa.select(SelfAssessment.point).where(SelfAssessment.participant_id == participant.id).distinct()
        )
    )
    for point in minimum.get("self_assessment_points", []):
        point = Point(point)
        label = f"Self-assessment at the {POINT_LABELS[point]}"
        items.append(ProgressItem(f"self_assessment:{point.value}", label, 1, int(point in done_points), 0))
    return items


def evidence_complete(participant: Participant) -> bool:
    """Every minimum met by accepted evidence (the PASS check)."""
    return all(item.complete for item in evidence_progress(participant))


def unevidenced_elements(participant: Participant) -> list[FrameworkElement]:
    """Top-level elements of the cohort's frameworks with no submitted or accepted evidence, for
    themselves or any element beneath them."""
    linked = set(
        db.session.scalars(
            sa.select(EvidenceLink.element_id)
            .join(EvidenceEntry)
            .where(EvidenceEntry.participant_id == participant.id, EvidenceEntry.status != EvidenceStatus.DRAFT)
        )
    )
    out: list[FrameworkElement] = []
    for framework in participant.cohort.frameworks:
        by_id = {el.id: el for el in framework.elements}
        covered: set[int] = set()
        for element_id in linked & set(by_id):
            element = by_id[element_id]
            while element is not None:
                covered.add(element.id)
                element = by_id.get(element.parent_id) if element.parent_id else None
        out.extend(el for el in framework.elements if el.parent_id is None and el.id not in covered)
    return out
