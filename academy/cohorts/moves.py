"""Moving a live cohort from one framework version to another: the preview, the move, and undoing it.

A rating, evidence link or self-assessment points at an element of one version. Moving a cohort copies each
participant's current ratings onto the new version's elements through the version mappings (`ElementMapping`
of kind `version`, made when a version is created or by a coordinator): the copies are new rows of the
append-only rating log, with the original rater, time and evidence, and a comment saying where they came from.
Where several old elements map to one new element, the lowest of their current ratings is carried, so the
record never claims more than was judged. Old elements with no mapping lose their rating in the new record
(the old rows stay, and issued PDFs keep verifying: nothing they were made from changes).

The move can be undone until the next rating is recorded for anyone in the cohort: undoing puts the cohort back
on the old version and removes the evidence links and self-assessments the move added; the carried rating rows
stay in the log (it is append-only) but no longer count, because the record reads the cohort's versions only.
"""

from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa

from academy.accounts.models import User
from academy.assessment.models import Rating
from academy.assessment.services.ratings import LEVELS_BY_YEAR, rating_label
from academy.audit.services import record_audit
from academy.cohorts.models import Cohort, FrameworkMove
from academy.core.db import now_utc
from academy.core.errors import DomainError
from academy.evidence.models import EvidenceEntry, EvidenceLink
from academy.extensions import db
from academy.frameworks.models import CohortFramework, Framework, FrameworkElement
from academy.frameworks.services import rating_carry_over
from academy.logs.models import SelfAssessment
from academy.participants.models import Participant


@dataclass
class Carried:
    """A rating the new version's element will have after the move, and the old ratings it comes from."""

    year: int
    element: FrameworkElement
    sources: list[Rating]

    @property
    def chosen(self) -> Rating:
        return min(self.sources, key=lambda r: (r.value, -r.id))


@dataclass
class RecordLine:
    """One line of the progression record after the move."""

    element: FrameworkElement
    rating: str
    note: str = ""


@dataclass
class ParticipantMove:
    participant: Participant
    carried: list[Carried] = field(default_factory=list)
    lost: list[tuple[int, FrameworkElement, str]] = field(default_factory=list)  # (year, old element, its rating)
    record: dict[int, list[RecordLine]] = field(default_factory=dict)  # year -> lines

    @property
    def unrated(self) -> dict[int, list[FrameworkElement]]:
        """year -> the new version's elements that will have no rating."""
        return {
            year: [line.element for line in lines if line.rating == "Not rated"] for year, lines in self.record.items()
        }


@dataclass
class MovePreview:
    cohort: Cohort
    old: Framework
    new: Framework
    participants: list[ParticipantMove]
    links: int
    self_assessments: int

    @property
    def carried(self) -> int:
        return sum(len(p.carried) for p in self.participants)

    @property
    def lost(self) -> int:
        return sum(len(p.lost) for p in self.participants)


def _check(cohort: Cohort, old: Framework, new: Framework) -> None:
    if db.session.get(CohortFramework, (cohort.id, old.id)) is None:
        raise DomainError(f"{cohort.name} does not use {old.label}.", field="cohort")
    if old.id == new.id:
        raise DomainError("Choose a different framework version.", field="target")
    if db.session.get(CohortFramework, (cohort.id, new.id)) is not None:
        raise DomainError(f"{cohort.name} already uses {new.label}.", field="target")


def _targets(old: Framework, new: Framework) -> dict[int, list[FrameworkElement]]:
    return {element.id: targets for element, targets in rating_carry_over(old, new)}


def _current_ratings(participant_ids: list[int], element_ids: list[int]) -> list[Rating]:
    """The current rating (latest row) of each participant, element and year among these elements."""
    if not participant_ids or not element_ids:
        return []
    latest = (
        sa.select(sa.func.max(Rating.id))
        .where(Rating.participant_id.in_(participant_ids), Rating.element_id.in_(element_ids))
        .group_by(Rating.participant_id, Rating.element_id, Rating.programme_year)
    )
    return list(db.session.scalars(sa.select(Rating).where(Rating.id.in_(latest)).order_by(Rating.id)))


def _assessed(framework: Framework, year: int) -> list[FrameworkElement]:
    level = LEVELS_BY_YEAR.get(year)
    return [e for e in framework.elements if e.level is None or e.level == level]


def preview_move(cohort: Cohort, old: Framework, new: Framework) -> MovePreview:
    """For every participant: the ratings that carry over, those that do not, and what their record will show."""
    _check(cohort, old, new)
    targets = _targets(old, new)
    participants = list(
        db.session.scalars(sa.select(Participant).where(Participant.cohort_id == cohort.id).order_by(Participant.id))
    )
    ids = [p.id for p in participants]
    old_ratings = _current_ratings(ids, [e.id for e in old.elements])
    new_ratings = {
        (r.participant_id, r.element_id, r.programme_year): r
        for r in _current_ratings(ids, [e.id for e in new.elements])
    }
    by_participant: dict[int, list[Rating]] = defaultdict(list)
    for rating in old_ratings:
        by_participant[rating.participant_id].append(rating)
    old_by_id = {e.id: e for e in old.elements}
    result = []
    for participant in participants:
        move = ParticipantMove(participant)
        carried: dict[tuple[int, int], Carried] = {}
        for rating in by_participant[participant.id]:
            label = rating_label(cohort, rating.value)
            if not targets.get(rating.element_id):
                move.lost.append((rating.programme_year, old_by_id[rating.element_id], label))
            for target in targets.get(rating.element_id, []):
                key = (rating.programme_year, target.id)
                carried.setdefault(key, Carried(rating.programme_year, target, [])).sources.append(rating)
        move.carried = sorted(carried.values(), key=lambda c: (c.year, c.element.sort_order))
        years = sorted({c.year for c in move.carried} | {y for y, _, _ in move.lost} | {participant.programme_year})
        for year in years:
            lines = []
            for element in _assessed(new, year):
                entry = carried.get((year, element.id))
                if entry is not None:
                    sources = ", ".join(f"{old.code} {r.element.number}" for r in entry.sources)
                    lines.append(RecordLine(element, rating_label(cohort, entry.chosen.value), f"from {sources}"))
                elif (existing := new_ratings.get((participant.id, element.id, year))) is not None:
                    lines.append(RecordLine(element, rating_label(cohort, existing.value), "already on this version"))
                else:
                    lines.append(RecordLine(element, "Not rated"))
            move.record[year] = lines
        result.append(move)
    return MovePreview(cohort, old, new, result, len(_links_to_carry(ids, targets)), len(_self_assessments(ids, old)))


def _links_to_carry(
    participant_ids: list[int], targets: dict[int, list[FrameworkElement]]
) -> list[tuple[int, int, str]]:
    """(entry id, new element id, reason) for each evidence link the move adds."""
    if not participant_ids:
        return []
    links = db.session.execute(
        sa.select(EvidenceLink.entry_id, EvidenceLink.element_id, EvidenceLink.reason)
        .join(EvidenceEntry, EvidenceEntry.id == EvidenceLink.entry_id)
        .where(EvidenceEntry.participant_id.in_(participant_ids), EvidenceLink.element_id.in_(list(targets)))
        .order_by(EvidenceLink.id)
    ).all()
    existing = set(
        db.session.execute(
            sa.select(EvidenceLink.entry_id, EvidenceLink.element_id).where(
                EvidenceLink.entry_id.in_({entry_id for entry_id, _, _ in links})
            )
        ).all()
    )
    wanted: dict[tuple[int, int], str] = {}
    for entry_id, element_id, reason in links:
        for target in targets[element_id]:
            if (entry_id, target.id) not in existing:
                wanted.setdefault((entry_id, target.id), reason)
    return [(entry_id, element_id, reason) for (entry_id, element_id), reason in wanted.items()]


def _self_assessments(participant_ids: list[int], old: Framework) -> list[SelfAssessment]:
    if not participant_ids:
        return []
    return list(
        db.session.scalars(
            sa.select(SelfAssessment)
            .where(
                SelfAssessment.participant_id.in_(participant_ids),
                SelfAssessment.element_id.in_([e.id for e in old.elements]),
            )
            .order_by(SelfAssessment.id)
        )
    )


def move_cohort(cohort: Cohort, old: Framework, new: Framework, actor: User | None) -> FrameworkMove:
    """Assess `cohort` against `new` instead of `old`, carrying ratings, evidence links and self-assessments
    over through the version mappings. Audited; undone with `undo_move` until the next rating is recorded."""
    preview = preview_move(cohort, old, new)
    targets = _targets(old, new)
    ids = [p.participant.id for p in preview.participants]
    ratings = []
    for participant in preview.participants:
        for entry in participant.carried:
            source = entry.chosen
            names = ", ".join(r.element.label for r in entry.sources)
            note = f"Carried over from {names} ({old.label}) when {cohort.name} moved to version {new.version}."
            comment = f"{note}\n\n{source.comment}" if source.comment and len(entry.sources) == 1 else note
            ratings.append(
                Rating(
                    participant_id=participant.participant.id,
                    element_id=entry.element.id,
                    programme_year=entry.year,
                    value=source.value,
                    comment=comment,
                    evidence_entry_id=source.evidence_entry_id,
                    rated_by_id=source.rated_by_id,
                    rated_at=source.rated_at,
                )
            )
    links = [EvidenceLink(entry_id=e, element_id=el, reason=r) for e, el, r in _links_to_carry(ids, targets)]
    assessments = [
        SelfAssessment(
            participant_id=row.participant_id,
            element_id=target.id,
            point=row.point,
            value=row.value,
            comment=row.comment,
        )
        for row in _self_assessments(ids, old)
        for target in targets.get(row.element_id, [])
    ]
    db.session.add_all([*ratings, *links, *assessments])
    cohort.framework_links.remove(db.session.get_one(CohortFramework, (cohort.id, old.id)))
    db.session.flush()
    cohort.framework_links.append(CohortFramework(framework=new, added_at=now_utc()))
    move = FrameworkMove(
        cohort=cohort,
        from_framework=old,
        to_framework=new,
        moved_by_id=actor.id if actor else None,
        moved_at=now_utc(),
        carried={
            "ratings": [r.id for r in ratings],
            "links": [link.id for link in links],
            "self_assessments": [a.id for a in assessments],
        },
    )
    db.session.add(move)
    db.session.flush()
    move.last_rating_id = db.session.scalar(sa.select(sa.func.max(Rating.id)))
    record_audit(
        actor,
        "cohort.framework_moved",
        cohort,
        summary=f"Moved {cohort.name} from {old.label} to {new.label}",
        before={"framework_id": old.id, "framework": f"{old.code} {old.version}"},
        after={
            "framework_id": new.id,
            "framework": f"{new.code} {new.version}",
            "move_id": move.id,
            "ratings_carried": len(ratings),
            "ratings_not_carried": preview.lost,
            "evidence_links_carried": len(links),
            "self_assessments_carried": len(assessments),
        },
    )
    return move


def undo_blocker(move: FrameworkMove) -> str | None:
    """Why `move` can no longer be undone, or None when it can."""
    if move.undone_at is not None:
        return "This move has already been undone."
    later = db.session.scalar(
        sa.select(FrameworkMove.id).where(FrameworkMove.cohort_id == move.cohort_id, FrameworkMove.id > move.id)
    )
    if later is not None:
        return f"{move.cohort.name} has moved again since."
    newer = db.session.scalar(
        sa.select(Rating.id)
        .join(Participant, Participant.id == Rating.participant_id)
        .where(Participant.cohort_id == move.cohort_id, Rating.id > (move.last_rating_id or 0))
        .limit(1)
    )
    if newer is not None:
        return "A rating has been recorded since the move, so it can no longer be undone."
    return None


def undoable_move(cohort: Cohort) -> FrameworkMove | None:
    """The cohort's latest move, if it can still be undone."""
    move = db.session.scalar(
        sa.select(FrameworkMove).where(FrameworkMove.cohort_id == cohort.id).order_by(FrameworkMove.id.desc()).limit(1)
    )
    return move if move is not None and undo_blocker(move) is None else None


def undo_move(move: FrameworkMove, actor: User | None) -> None:
    """Put the cohort back on the version it moved from, removing the evidence links and self-assessments the
    move added. The carried rating rows stay in the append-only log and stop counting."""
    blocker = undo_blocker(move)
    if blocker is not None:
        raise DomainError(blocker, field="submit")
    cohort = move.cohort
    carried = move.carried or {}
    if carried.get("links"):
        db.session.execute(sa.delete(EvidenceLink).where(EvidenceLink.id.in_(carried["links"])))
    if carried.get("self_assessments"):
        db.session.execute(sa.delete(SelfAssessment).where(SelfAssessment.id.in_(carried["self_assessments"])))
    link = db.session.get(CohortFramework, (cohort.id, move.to_framework_id))
    if link is not None:
        cohort.framework_links.remove(link)
        db.session.flush()
    cohort.framework_links.append(CohortFramework(framework=move.from_framework, added_at=now_utc()))
    move.undone_at = now_utc()
    move.undone_by_id = actor.id if actor else None
    db.session.flush()
    record_audit(
        actor,
        "cohort.framework_move_undone",
        cohort,
        summary=f"Undid the move of {cohort.name} to {move.to_framework.label}: back on {move.from_framework.label}",
        before={"framework_id": move.to_framework_id, "move_id": move.id},
        after={"framework_id": move.from_framework_id},
    )
