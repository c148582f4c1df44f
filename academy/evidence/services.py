"""Evidence use cases: create, edit, submit, accept and return entries, each kept as history.

Services check who may act (policies), validate, write an EvidenceEvent with a snapshot and an audit
event, and flush; the caller commits.
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from academy.accounts.models import User
from academy.audit.services import record_audit
from academy.core import dates
from academy.core.db import now_utc
from academy.core.errors import DomainError, NotAllowed
from academy.core.locking import Loaded, check_unchanged
from academy.evidence.announcements import announce_decided, announce_submitted
from academy.evidence.models import EvidenceEntry, EvidenceEvent, EvidenceLink, EvidenceStatus, EvidenceType
from academy.evidence.policies import (
    can_add_evidence,
    can_edit_evidence,
    can_reflect_on_evidence,
    can_review_evidence,
    can_submit_evidence,
)
from academy.evidence.states import EVIDENCE_LIFECYCLE
from academy.extensions import db
from academy.frameworks.models import FrameworkElement
from academy.participants.models import Participant

T = EvidenceType

FEEDBACK_SOURCES: dict[EvidenceType, list[tuple[str, str]]] = {
    T.FEEDBACK_PERSON: [
        ("child_young_person", "A child or young person"),
        ("parent_carer", "A parent or carer"),
        ("adult_using_services", "An adult who uses services"),
        ("family_member", "Another family member"),
    ],
    T.FEEDBACK_PROFESSIONAL: [
        ("social_worker", "A social worker"),
        ("health", "A health professional"),
        ("education", "A school or education professional"),
        ("police", "Police"),
        ("legal", "A legal professional"),
        ("other_professional", "Another professional"),
    ],
}

# Type-specific fields a caller may pass, and which ones each type requires.
TYPE_FIELDS = ("observer_name", "observer_is_registered", "setting", "feedback_source", "hours", "report_kind")
REQUIRED_FIELDS: dict[EvidenceType, tuple[str, ...]] = {
    T.DIRECT_OBSERVATION: ("observer_name", "observer_is_registered", "setting"),
    T.FEEDBACK_PERSON: ("feedback_source",),
    T.FEEDBACK_PROFESSIONAL: ("feedback_source",),
    T.LEARNING: ("hours",),
    T.WRITTEN_REPORT: ("report_kind",),
}
FIELD_MESSAGES = {
    "observer_name": "Enter the name of the person who observed you.",
    "observer_is_registered": "Say whether the observer is a registered social worker.",
    "setting": "Enter the setting of the observation, for example a home visit.",
    "feedback_source": "Choose who gave the feedback.",
    "hours": "Enter the hours the learning took, for example 3.5.",
    "report_kind": "Enter the kind of report, for example a child and family assessment.",
}
MAX_REASON = 300


def snapshot(entry: EvidenceEntry) -> dict[str, Any]:
    """A plain copy of the entry as it stands, kept with each history row."""
    return {
        "status": entry.status.value,
        "type": entry.type.value,
        "title": entry.title,
        "activity_date": entry.activity_date.isoformat(),
        "narrative": entry.narrative,
        "anonymised_confirmed": bool(entry.anonymised_confirmed),
        "observer_name": entry.observer_name,
        "observer_is_registered": entry.observer_is_registered,
        "setting": entry.setting,
        "feedback_source": entry.feedback_source,
        "hours": str(entry.hours) if entry.hours is not None else None,
        "report_kind": entry.report_kind,
        "milestone_code": entry.milestone_code,
        "links": [{"element_id": link.element_id, "reason": link.reason} for link in entry.links],
        "attachments": [a.original_name for a in entry.attachments],
        "feedback": entry.feedback,
        "nqsw_reflection": entry.nqsw_reflection,
        "given_by": entry.given_by,
        "given_on_paper": bool(entry.given_on_paper),
    }


def _record(
    entry: EvidenceEntry, action: str, by: User | None, *, comment: str = "", before: dict | None = None
) -> None:
    """History row and audit event for `entry`. One flush (for the entry's id): the two new rows go
    out with the session's next flush or commit, which keeps bulk work (the demo) quick."""
    db.session.flush()
    after = snapshot(entry)
    record_audit(
        by,
        f"evidence.{action}",
        entry,
        participant_id=entry.participant_id,
        summary=f"{entry.type.label} \u201c{entry.title}\u201d {action}",
        before={"status": before["status"]} if before else None,
        after={"status": after["status"], "comment": comment} if comment else {"status": after["status"]},
    )
    actor_id = by.id if by is not None else None  # None: someone outside the academy (given feedback)
    db.session.add(
        EvidenceEvent(
            entry_id=entry.id, action=action, actor_id=actor_id, at=now_utc(), comment=comment, snapshot=after
        )
    )


# What the change form shows, by form field, in words for the message when someone else changed it first.
EDIT_LABELS = {
    "title": "the title",
    "activity_date": "the date of the activity",
    "observer_name": "the observer's name",
    "observer_is_registered": "whether the observer is registered",
    "setting": "the setting",
    "feedback_source": "who gave the feedback",
    "hours": "the hours",
    "report_kind": "the kind of report",
    "milestone_code": "the review it is for",
    "narrative": "the narrative",
    "links": "the elements",
    "anonymised_confirmed": "the confirmation that nobody can be identified",
}


def edit_values(entry: EvidenceEntry) -> dict[str, Any]:
    """The entry's values as its change form shows them (for the form's fingerprint, academy.core.locking)."""
    values = snapshot(entry)
    values["links"] = sorted((link["element_id"], link["reason"]) for link in values["links"])
    return {name: values[name] for name in EDIT_LABELS}


def record_change(entry: EvidenceEntry, action: str, by: User, *, comment: str = "") -> None:
    """History and audit for a change that is not a status change (an attachment added or removed)."""
    _record(entry, action, by, comment=comment, before=snapshot(entry))


def cohort_elements(participant: Participant) -> dict[int, FrameworkElement]:
    """Every element of the frameworks the participant's cohort is assessed against, by id."""
    return {el.id: el for fw in participant.cohort.frameworks for el in fw.elements}


def _clean_links(participant: Participant, links: Iterable[tuple[int, str]]) -> list[tuple[int, str]]:
    allowed = cohort_elements(participant)
    cleaned: list[tuple[int, str]] = []
    seen: set[int] = set()
    for element_id, reason in links:
        element = allowed.get(int(element_id))
        if element is None:
            raise DomainError("Choose elements from your cohort's frameworks.", field="links")
        if element.id in seen:
            raise DomainError(f"{element.label} is linked twice.", field="links")
        seen.add(element.id)
        reason = " ".join((reason or "").split())
        if not reason:
            raise DomainError(f"Give a one-line reason for linking {element.label}.", field=f"reason_{element.id}")
        if len(reason) > MAX_REASON:
            message = f"Keep the reason for {element.label} to {MAX_REASON} characters or fewer."
            raise DomainError(message, field=f"reason_{element.id}")
        cleaned.append((element.id, reason))
    return cleaned


def _clean_type_fields(participant: Participant, type: EvidenceType, fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(TYPE_FIELDS) - {"milestone_code"}
    if unknown:
        raise TypeError(f"unknown evidence fields: {sorted(unknown)}")
    wanted = REQUIRED_FIELDS.get(type, ())
    values: dict[str, Any] = dict.fromkeys((*TYPE_FIELDS, "milestone_code"))
    for name in wanted:
        value = fields.get(name)
        if isinstance(value, str):
            value = value.strip()
        if value is None or value == "":
            raise DomainError(FIELD_MESSAGES[name], field=name)
        values[name] = value
    if "observer_is_registered" in wanted:
        values["observer_is_registered"] = bool(values["observer_is_registered"])
    if "feedback_source" in wanted:
        codes = {code for code, _ in FEEDBACK_SOURCES[type]}
        if values["feedback_source"] not in codes:
            raise DomainError(FIELD_MESSAGES["feedback_source"], field="feedback_source")
    if "hours" in wanted:
        try:
            hours = Decimal(str(values["hours"]))
        except InvalidOperation:
            raise DomainError(FIELD_MESSAGES["hours"], field="hours") from None
        if not Decimal("0.25") <= hours <= Decimal("500"):
            raise DomainError("Hours must be between 0.25 and 500.", field="hours")
        values["hours"] = hours.quantize(Decimal("0.01"))
    for name in ("observer_name", "setting", "report_kind"):
        if values[name] is not None and len(values[name]) > 200:
            raise DomainError("Keep this to 200 characters or fewer.", field=name)
    if type == T.CRITICAL_REFLECTION and fields.get("milestone_code"):
        codes = {m.code for m in participant.milestones if m.needs_critical_reflection}
        if fields["milestone_code"] not in codes:
            raise DomainError("Choose the review this critical reflection is for.", field="milestone_code")
        values["milestone_code"] = fields["milestone_code"]
    return values


def _clean_common(title: str, activity_date: date | None, narrative: str) -> tuple[str, str]:
    title = (title or "").strip()
    if not title:
        raise DomainError("Enter a title.", field="title")
    if len(title) > 200:
        raise DomainError("Keep the title to 200 characters or fewer.", field="title")
    if activity_date is None:
        raise DomainError("Enter the date of the activity.", field="activity_date")
    if activity_date > dates.today():
        raise DomainError("The date of the activity must be today or in the past.", field="activity_date")
    return title, (narrative or "").strip()


def check_entry(
    participant: Participant,
    type: EvidenceType,
    *,
    links: Iterable[tuple[int, str]] = (),
    fields: dict[str, Any] | None = None,
) -> None:
    """Check what a form posted without writing anything: raise the first DomainError of the links (or, when
    `fields` is given, of the type's own fields). The form calls it once per link so that every problem shows."""
    _clean_links(participant, links)
    if fields is not None:
        _clean_type_fields(participant, type, fields)


def _apply(entry: EvidenceEntry, title, activity_date, narrative, links, anonymised_confirmed, fields) -> None:
    title, narrative = _clean_common(title, activity_date, narrative)
    cleaned_links = _clean_links(entry.participant, links)
    values = _clean_type_fields(entry.participant, entry.type, fields)
    entry.title = title
    entry.activity_date = activity_date
    entry.narrative = narrative
    entry.anonymised_confirmed = bool(anonymised_confirmed)
    for name, value in values.items():
        setattr(entry, name, value)
    existing = {link.element_id: link for link in entry.links}
    wanted = dict(cleaned_links)
    entry.links = [
        existing[eid] if eid in existing else EvidenceLink(element_id=eid, reason=reason)
        for eid, reason in cleaned_links
    ]
    for link in entry.links:
        link.reason = wanted[link.element_id]


def create_evidence(
    participant: Participant,
    *,
    by: User,
    type: EvidenceType,
    title: str,
    activity_date: date | None,
    narrative: str = "",
    links: Iterable[tuple[int, str]] = (),
    anonymised_confirmed: bool = False,
    **type_fields: Any,
) -> EvidenceEntry:
    """A new draft entry. The NQSW's own, or an observation/feedback their assessor enters for them."""
    type = EvidenceType(type)
    if type == T.SELF_ASSESSMENT:
        raise DomainError("Record self-assessments on the self-assessment page.", field="type")
    if not can_add_evidence(by, participant, type):
        raise NotAllowed("You cannot add this kind of evidence to this portfolio.")
    entry = EvidenceEntry(
        participant=participant, type=type, author_id=by.id, status=EvidenceStatus.DRAFT, attachments=[], links=[]
    )
    _apply(entry, title, activity_date, narrative, list(links), anonymised_confirmed, type_fields)
    db.session.add(entry)
    _record(entry, "created", by)
    return entry


GIVEN_TYPES = frozenset({T.DIRECT_OBSERVATION, T.FEEDBACK_PERSON, T.FEEDBACK_PROFESSIONAL})


def record_given_feedback(
    participant: Participant,
    *,
    asked_by: User,
    given_by: str,
    on_paper: bool,
    type: EvidenceType,
    title: str,
    activity_date: date,
    narrative: str,
    links: Iterable[tuple[int, str]],
    uploaded_by: User | None = None,
    **type_fields: Any,
) -> EvidenceEntry:
    """Feedback given directly by someone outside the academy (`given_by`, "a young person"), as an entry
    waiting for the assessor's review. Nobody edits it; the NQSW adds their reflection beside it.

    `asked_by` (the NQSW or their assessor) is its author in the record; the history names no actor when the
    person answered through their link, and `uploaded_by` when someone uploaded it from paper."""
    if type not in GIVEN_TYPES:
        raise DomainError("Only observations and feedback can be given directly.", field="type")
    entry = EvidenceEntry(
        participant=participant,
        type=type,
        author_id=asked_by.id,
        status=EvidenceStatus.DRAFT,
        given_by=given_by,
        given_on_paper=on_paper,
        attachments=[],
        links=[],
    )
    _apply(entry, title, activity_date, narrative, list(links), True, type_fields)
    if not entry.links:
        raise DomainError("Choose at least one element the feedback speaks to.", field="links")
    db.session.add(entry)
    how = "on paper" if on_paper else "through a feedback link"
    _record(entry, "given", uploaded_by, comment=f"Given directly by {given_by} {how}")
    entry.status = EvidenceStatus.SUBMITTED
    entry.submitted_at = now_utc()
    _record(entry, EvidenceStatus.SUBMITTED.value, uploaded_by)
    return entry


def update_evidence(
    entry: EvidenceEntry,
    *,
    by: User,
    title: str,
    activity_date: date | None,
    narrative: str = "",
    links: Iterable[tuple[int, str]] = (),
    anonymised_confirmed: bool = False,
    loaded: Loaded | None = None,
    **type_fields: Any,
) -> EvidenceEntry:
    """Change a draft or returned entry (the NQSW or the entry's author only). `loaded`: what the change form
    was opened on; a save over someone else's later change is refused (academy.core.locking)."""
    EVIDENCE_LIFECYCLE.check(entry.status, "edit")
    if not can_edit_evidence(by, entry):
        raise NotAllowed("Only the person who wrote this entry can change it.")
    check_unchanged(entry, loaded, edit_values(entry), noun="entry", labels=EDIT_LABELS)
    before = snapshot(entry)
    _apply(entry, title, activity_date, narrative, list(links), anonymised_confirmed, type_fields)
    _record(entry, "updated", by, before=before)
    return entry


def confirm_anonymised(entry: EvidenceEntry, *, by: User) -> None:
    """Tick the "nobody can be identified" confirmation without other changes."""
    if not can_edit_evidence(by, entry):
        raise NotAllowed("Only the NQSW or the person who wrote this entry can change it.")
    entry.anonymised_confirmed = True


def submit_evidence(entry: EvidenceEntry, *, by: User) -> EvidenceEntry:
    """Send a draft (submitted) or returned entry (resubmitted) to the assessor."""
    target = EVIDENCE_LIFECYCLE.check(entry.status, "submit")
    if not can_submit_evidence(by, entry):
        raise NotAllowed("Only the person who wrote this entry can submit it.")
    if not entry.anonymised_confirmed:
        raise DomainError(
            "Confirm that no child, family or person using services can be identified.", field="anonymised_confirmed"
        )
    if not entry.links:
        raise DomainError("Link the entry to at least one element before you submit it.", field="links")
    # Re-check the type's own fields: an entry saved before a rule changed must still be complete.
    required = REQUIRED_FIELDS.get(entry.type, ())
    _clean_type_fields(entry.participant, entry.type, {name: getattr(entry, name) for name in required})
    before = snapshot(entry)
    entry.status = target
    entry.submitted_at = now_utc()
    _record(entry, target.value, by, before=before)
    announce_submitted(entry, by=by)
    return entry


def _decide(entry: EvidenceEntry, action: str, by: User, comment: str) -> EvidenceEntry:
    target = EVIDENCE_LIFECYCLE.check(entry.status, action)
    if not can_review_evidence(by, entry):
        if by.id == entry.participant.user_id:
            raise NotAllowed("Nobody can review an entry that is about them.")
        raise NotAllowed("Only the NQSW's assessor (or mentor in years 2 and 3) can review this entry.")
    before = snapshot(entry)
    entry.status = target
    entry.decided_at = now_utc()
    entry.decided_by_id = by.id
    if target == EvidenceStatus.RETURNED:
        entry.feedback = comment
    _record(entry, target.value, by, comment=comment, before=before)
    announce_decided(entry, by=by)
    return entry


def accept_evidence(entry: EvidenceEntry, *, by: User, comment: str = "") -> EvidenceEntry:
    """The reviewer accepts a submitted or resubmitted entry; it is read-only from then on."""
    return _decide(entry, "accept", by, (comment or "").strip())


def return_evidence(entry: EvidenceEntry, *, by: User, feedback: str) -> EvidenceEntry:
    """The reviewer returns an entry to the NQSW with feedback saying what to change."""
    feedback = (feedback or "").strip()
    if not feedback:
        raise DomainError("Say what the NQSW needs to change before you return the entry.", field="feedback")
    return _decide(entry, "return", by, feedback)


MAX_REFLECTION = 10_000


def add_reflection(entry: EvidenceEntry, *, by: User, reflection: str) -> EvidenceEntry:
    """The NQSW writes (or rewrites, until it is accepted) their reflection beside an entry someone else wrote."""
    if not can_reflect_on_evidence(by, entry):
        if entry.status == EvidenceStatus.ACCEPTED:
            raise DomainError("This entry has been accepted, so the reflection cannot change.", field="reflection")
        raise NotAllowed("Only the NQSW adds their reflection to an entry someone else wrote.")
    reflection = (reflection or "").strip()
    if not reflection:
        raise DomainError("Write your reflection.", field="reflection")
    if len(reflection) > MAX_REFLECTION:
        raise DomainError(f"Keep your reflection to {MAX_REFLECTION:,} characters or fewer.", field="reflection")
    before = snapshot(entry)
    entry.nqsw_reflection = reflection
    _record(entry, "reflected", by, before=before)
    return entry
