"""The rating log: one append-only row per judgement of an element in a programme year.

The current rating of an element is the latest row (highest id) for the participant, element and
year. A correction is a new row pointing at the one it corrects, with a reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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
from academy.evidence.models import EvidenceEntry, EvidenceLink
from academy.evidence.states import VISIBLE_TO_STAFF
from academy.extensions import db
from academy.frameworks.models import Framework, FrameworkElement
from academy.frameworks.services import mapped_elements
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


# How people name the shipped frameworks; any other framework is named in full.
SHORT_NAMES = {"CF_KSS": "KSS", "ADULT_KSS": "KSS (adults)", "PCF": "PCF", "SWE_PS": "SWE standards"}


def framework_name(framework: Framework) -> str:
    """The framework as people name it: "KSS", "PCF" (never the code "CF_KSS_2018")."""
    base = framework.code.rsplit("_", 1)[0] if framework.code.rsplit("_", 1)[-1].isdigit() else framework.code
    return SHORT_NAMES.get(base.upper(), framework.name)


def element_name(element: FrameworkElement) -> str:
    """An element with its framework, in words: "KSS 2 Communication"."""
    return f"{framework_name(element.framework)} {element.label}"


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


def _check_value(participant: Participant, value: int | str | None) -> int:
    """The chosen value, as an int on the cohort's scale. Nothing is ever rated by default."""
    values = {point["value"] for point in rating_scale(participant.cohort)}
    if value is None or isinstance(value, bool) or (isinstance(value, str) and not value.strip()):
        raise DomainError("Choose a rating.", field="value")
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise DomainError("Choose a rating from the scale.", field="value") from None
    if number not in values:
        raise DomainError("Choose a rating from the scale.", field="value")
    return number


def _check_rater(participant: Participant, by: User, on: date | None) -> None:
    if by.id == participant.user_id:
        raise NotAllowed("Nobody can rate their own record.")
    if not can_rate(by, participant, on):
        who = "the assessor" if participant.programme_year == 1 else "the assessor or mentor"
        raise NotAllowed(f"Only {who} currently assigned to {participant.name} can rate their work.")


def record_rating(
    participant: Participant,
    element: FrameworkElement,
    value: int | str | None,
    *,
    by: User,
    comment: str = "",
    evidence_entry: EvidenceEntry | None = None,
    corrects: Rating | None = None,
    correction_reason: str = "",
    on: date | None = None,
) -> Rating:
    """Add one row to the rating log (checked: who rates, the chosen value on the scale, the element, the reason).

    There is no default: a missing or blank `value` is refused, so a rating exists only when someone chose it.
    """
    _check_rater(participant, by, on)
    value = _check_value(participant, value)
    if element.id not in _cohort_element_ids(participant):
        raise DomainError(f"{element_name(element)} is not in {participant.name}'s frameworks.", field="element")
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
        summary=f"{element_name(element)} rated {label} for {participant.name}",
        before={"rating_id": corrects.id, "value": corrects.value} if corrects is not None else None,
        after={
            "element": element_name(element),
            "year": participant.programme_year,
            "value": value,
            "evidence_entry_id": rating.evidence_entry_id,
            "reason": correction_reason or None,
        },
    )
    return rating


def correct_rating(rating: Rating, value: int | str | None, *, by: User, reason: str, comment: str = "") -> Rating:
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


@dataclass
class ElementGap:
    element: FrameworkElement
    rating: Rating | None
    label: str

    @property
    def text(self) -> str:
        return f"{element_name(self.element)}: {self.label.lower()}"


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
    values: Mapping[int, int | str | None],
    *,
    by: User,
    evidence_entry: EvidenceEntry | None = None,
) -> list[Rating]:
    """The rating grid: one row per element someone chose a value for (element id -> value).

    Elements left blank stay unrated; at least one must be chosen. Each rating is its own row.
    """
    chosen = {int(element_id): value for element_id, value in values.items() if value not in (None, "")}
    if not chosen:
        raise DomainError("Choose a rating for at least one element.", field="ratings")
    elements = {element.id: element for element in assessed_elements(participant)}
    unknown = set(chosen) - set(elements)
    if unknown:
        raise DomainError("Rate only the elements assessed this year.", field="ratings")
    return [
        record_rating(participant, elements[element_id], chosen[element_id], by=by, evidence_entry=evidence_entry)
        for element_id in sorted(chosen, key=lambda eid: elements[eid].sort_order)
    ]


@dataclass
class LinkedEvidence:
    """An evidence entry linked to an element, or to an element mapped to it (`via`)."""

    entry: EvidenceEntry
    via: FrameworkElement | None  # None: linked to the element itself


def linked_evidence(participant: Participant, elements: Iterable[FrameworkElement]) -> dict[int, list[LinkedEvidence]]:
    """element id -> the participant's submitted or decided entries that evidence it, newest activity first.

    An entry counts for an element when it links the element itself or an element cross-mapped to it.
    """
    wanted = {element.id: element for element in elements}
    mapped = {element_id: mapped_elements([element_id]) for element_id in wanted}
    all_ids = set(wanted).union(*mapped.values()) if mapped else set()
    links = db.session.scalars(
        sa.select(EvidenceLink)
        .join(EvidenceEntry)
        .options(joinedload(EvidenceLink.entry), joinedload(EvidenceLink.element))
        .where(
            EvidenceEntry.participant_id == participant.id,
            EvidenceEntry.status.in_(VISIBLE_TO_STAFF),
            EvidenceLink.element_id.in_(all_ids),
        )
    ).all()
    result: dict[int, list[LinkedEvidence]] = {element_id: [] for element_id in wanted}
    for element_id in wanted:
        seen: set[int] = set()
        for link in links:
            direct = link.element_id == element_id
            if (direct or link.element_id in mapped[element_id]) and link.entry_id not in seen:
                seen.add(link.entry_id)
                result[element_id].append(LinkedEvidence(link.entry, None if direct else link.element))
        result[element_id].sort(key=lambda item: (item.entry.activity_date, item.entry.id), reverse=True)
    return result
