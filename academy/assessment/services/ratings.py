"""The rating log: one append-only row per judgement of an element in a programme year.

The current rating of an element is the latest row (highest id) for the participant, element and
year. A correction is a new row pointing at the one it corrects, with a reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from academy.accounts.models import User
from academy.assessment.models import Rating
from academy.assessment.policies import can_rate
from academy.audit.services import record_audit
from academy.core.db import now_utc
from academy.core.errors import DomainError, NotAllowed
from academy.evidence.models import EvidenceEntry
from academy.extensions import db
from academy.frameworks.models import FrameworkElement
from academy.participants.models import Participant
from academy.programmes.defaults import RATING_SCALE

if TYPE_CHECKING:
    from academy.cohorts.models import Cohort


MAX_COMMENT = 2000
# PCF levels assessed in each programme year; elements without a level count in every year.
LEVELS_BY_YEAR = {1: "asye", 2: "social_worker", 3: "social_worker"}


def rating_scale(cohort: Cohort) -> list[dict[str, Any]]:
    """The cohort's scale, lowest first: [{"value": 0, "label": "Not yet evidenced"}, ...]."""
    return sorted(cohort.settings.get("rating_scale") or RATING_SCALE, key=lambda point: point["value"])


def meeting_threshold(cohort: Cohort) -> int:
    """The lowest value that counts as "meeting expected level" (the sign-off)."""
    return int(cohort.settings.get("meeting_threshold", 2))


def rating_label(cohort: Cohort, value: int | None) -> str:
    if value is None:
        return "Not rated"
    return next((p["label"] for p in rating_scale(cohort) if p["value"] == value), str(value))


def assessed_elements(participant: Participant, year: int | None = None) -> list[FrameworkElement]:
    """The elements of the cohort's frameworks assessed in `year`: levelled elements only at that year's level."""
    level = LEVELS_BY_YEAR.get(year or participant.programme_year)
    return [
        element
        for framework in participant.cohort.frameworks
        for element in framework.elements
        if element.level is None or element.level == level
    ]


def _cohort_element_ids(participant: Participant) -> set[int]:
    return {element.id for framework in participant.cohort.frameworks for element in framework.elements}


def current_ratings(participant: Participant, year: int | None = None) -> dict[int, Rating]:
    """element id -> its current (latest) rating in `year` (the participant's year by default)."""
    year = year or participant.programme_year
    latest = (
        sa.select(sa.func.max(Rating.id))
        .where(Rating.participant_id == participant.id, Rating.programme_year == year)
        .group_by(Rating.element_id)
    )
    rows = db.session.scalars(sa.select(Rating).options(joinedload(Rating.rated_by)).where(Rating.id.in_(latest)))
    return {row.element_id: row for row in rows}


def rating_history(participant: Participant, element: FrameworkElement, year: int | None = None) -> list[Rating]:
    """Every rating of `element` in `year`, newest first."""
    year = year or participant.programme_year
    return list(
        db.session.scalars(
            sa.select(Rating)
            .options(joinedload(Rating.rated_by))
            .where(
                Rating.participant_id == participant.id,
                Rating.element_id == element.id,
                Rating.programme_year == year,
            )
            .order_by(Rating.id.desc())
        )
    )


def _check_value(participant: Participant, value: int) -> int:
    values = {point["value"] for point in rating_scale(participant.cohort)}
    try:
        value = int(value)
    except (TypeError, ValueError):
        raise DomainError("Choose a rating.", field="value") from None
    if value not in values:
        raise DomainError("Choose a rating from the scale.", field="value")
    return value


def _check_rater(participant: Participant, by: User, on: date | None) -> None:
    if by.id == participant.user_id:
        raise NotAllowed("Nobody can rate their own record.")
    if not can_rate(by, participant, on):
        who = "the assessor" if participant.programme_year == 1 else "the assessor or mentor"
        raise NotAllowed(f"Only {who} currently assigned to {participant.name} can rate their work.")


def record_rating(
    participant: Participant,
    element: FrameworkElement,
    value: int,
    *,
    by: User,
    comment: str = "",
    evidence_entry: EvidenceEntry | None = None,
    corrects: Rating | None = None,
    correction_reason: str = "",
    on: date | None = None,
) -> Rating:
    """Add one row to the rating log (checked: who rates, the scale, the element, the reason)."""
    _check_rater(participant, by, on)
    value = _check_value(participant, value)
    if element.id not in _cohort_element_ids(participant):
        raise DomainError(f"{element.label} is not in {participant.name}'s frameworks.", field="element")
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise DomainError(f"Keep the comment to {MAX_COMMENT} characters or fewer.", field="comment")
    correction_reason = (correction_reason or "").strip()
    if corrects is not None and not correction_reason:
        raise DomainError("Give the reason for the correction.", field="reason")
    if evidence_entry is not None and evidence_entry.participant_id != participant.id:
        raise DomainError("That evidence belongs to someone else.", field="evidence")
    rating = Rating(
        participant_id=participant.id,
        element_id=element.id,
        programme_year=participant.programme_year,
        value=value,
        comment=comment,
        evidence_entry_id=evidence_entry.id if evidence_entry is not None else None,
        corrects_id=corrects.id if corrects is not None else None,
        correction_reason=correction_reason,
        rated_by_id=by.id,
        rated_at=now_utc(),
    )
    db.session.add(rating)
    label = rating_label(participant.cohort, value)
    record_audit(
        by,
        "rating.corrected" if corrects is not None else "rating.recorded",
        rating,
        participant_id=participant.id,
        summary=f"{element.label} rated {label} for {participant.name}",
        before={"rating_id": corrects.id, "value": corrects.value} if corrects is not None else None,
        after={
            "element": element.label,
            "year": participant.programme_year,
            "value": value,
            "evidence_entry_id": rating.evidence_entry_id,
            "reason": correction_reason or None,
        },
    )
    return rating


def correct_rating(rating: Rating, value: int, *, by: User, reason: str, comment: str = "") -> Rating:
    """Correct the current rating with a new row that says which row it corrects and why."""
    participant = db.session.get_one(Participant, rating.participant_id)
    current = current_ratings(participant, rating.programme_year).get(rating.element_id)
    if current is None or current.id != rating.id:
        raise DomainError("Only the current rating can be corrected; a later rating has replaced this one.")
    if rating.programme_year != participant.programme_year:
        raise DomainError("Ratings of an earlier programme year cannot be corrected.")
    return record_rating(
        participant, rating.element, value, by=by, comment=comment, corrects=rating, correction_reason=reason
    )


def default_value(participant: Participant, element_id: int, current: dict[int, Rating] | None = None) -> int:
    """The value preselected when rating: the current rating, or "meeting expected level"."""
    current = current if current is not None else current_ratings(participant)
    row = current.get(element_id)
    return row.value if row is not None else meeting_threshold(participant.cohort)


@dataclass
class ElementGap:
    element: FrameworkElement
    rating: Rating | None
    label: str

    @property
    def text(self) -> str:
        framework = self.element.framework.code
        return f"{self.element.label} ({framework}): {self.label.lower()}"


def elements_below_threshold(participant: Participant, year: int = 1) -> list[ElementGap]:
    """Each assessed element whose current rating in `year` is missing or below "meeting"."""
    threshold = meeting_threshold(participant.cohort)
    current = current_ratings(participant, year)
    gaps = []
    for element in assessed_elements(participant, year):
        row = current.get(element.id)
        if row is None or row.value < threshold:
            label = "not rated" if row is None else f"rated {rating_label(participant.cohort, row.value)}"
            gaps.append(ElementGap(element, row, label))
    return gaps


def rate_elements(
    participant: Participant,
    values: Iterable[tuple[FrameworkElement, int]],
    *,
    by: User,
    evidence_entry: EvidenceEntry | None = None,
) -> list[Rating]:
    """Several ratings at once (each its own row), e.g. the elements an accepted entry evidences."""
    return [record_rating(participant, el, v, by=by, evidence_entry=evidence_entry) for el, v in values]
