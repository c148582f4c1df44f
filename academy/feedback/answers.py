"""The answer of the person asked, through their link or on paper: it becomes an evidence entry, given
directly by them and read-only, waiting for the assessor's review; the request is answered and its link ends.
"""

from dataclasses import dataclass
from datetime import date

from academy.accounts.models import User
from academy.audit.services import record_audit
from academy.core import dates
from academy.core.db import now_utc
from academy.core.errors import DomainError, NotAllowed
from academy.evidence.attachments import store_attachment
from academy.evidence.models import EvidenceEntry
from academy.evidence.services import record_given_feedback
from academy.feedback.links import link_refusal, state_now
from academy.feedback.models import FeedbackRequest, Relationship, RequestState
from academy.feedback.policies import can_change_feedback_request
from academy.notifications.models import NotificationKind
from academy.notifications.services import notify
from academy.participants.models import AssignmentKind
from academy.participants.services import current_assignment

MAX_REASON = 300


@dataclass(frozen=True)
class Answer:
    """What the person gave: questions and answers in order, comments per element, and the type's own fields."""

    pairs: list[tuple[str, str]]
    element_comments: dict[int, str]
    feedback_source: str | None = None
    observer_is_registered: bool | None = None
    setting: str | None = None


def _reason(comment: str, relationship: Relationship) -> str:
    comment = " ".join(comment.split())
    if not comment:
        return f"Given directly by {relationship.words}"
    return comment if len(comment) <= MAX_REASON else comment[: MAX_REASON - 1] + "\u2026"


def narrative(request: FeedbackRequest, answer: Answer, *, how: str) -> str:
    """The answer as the entry's text: who gave it and how, each question and answer, each element's comment."""
    words = request.relationship_kind.words
    lines = [f"Given directly by {words} {how}, about: {request.about}.", ""]
    for question, given in answer.pairs:
        lines += [question, given.strip() or "(no answer)", ""]
    for element in request.elements:
        comment = answer.element_comments.get(element.id, "").strip()
        if comment:
            lines += [f"{element.label}:", comment, ""]
    return "\n".join(lines).strip()


def _entry_fields(request: FeedbackRequest, answer: Answer) -> dict:
    relationship = request.relationship_kind
    if relationship == Relationship.OBSERVER:
        return {
            "observer_name": request.recipient_name,
            "observer_is_registered": bool(answer.observer_is_registered),
            "setting": answer.setting,
        }
    if relationship == Relationship.PROFESSIONAL:
        return {"feedback_source": answer.feedback_source or "other_professional"}
    source = {
        Relationship.PARENT_CARER: "parent_carer",
        Relationship.ADULT: "adult_using_services",
    }.get(relationship, "child_young_person")
    return {"feedback_source": source}


def _title(request: FeedbackRequest) -> str:
    kind = "Direct observation" if request.relationship_kind == Relationship.OBSERVER else "Feedback"
    title = f"{kind} by {request.relationship_kind.words}: {request.about}"
    return title if len(title) <= 200 else title[:199] + "\u2026"


def _links(request: FeedbackRequest, answer: Answer) -> list[tuple[int, str]]:
    """The elements the person commented on, or every element asked about when they commented on none."""
    commented = [e for e in request.elements if answer.element_comments.get(e.id, "").strip()]
    chosen = commented or list(request.elements)
    return [(e.id, _reason(answer.element_comments.get(e.id, ""), request.relationship_kind)) for e in chosen]


def _announce(request: FeedbackRequest, entry: EvidenceEntry, how: str) -> None:
    """The NQSW and whoever asked hear that it arrived; the assessor, that it waits for their review."""
    participant = request.participant
    words = request.relationship_kind.words
    notify(
        [participant.user, request.requested_by],
        NotificationKind.FEEDBACK_ANSWERED,
        f"Feedback from {words} about \u201c{request.about}\u201d has arrived {how}.",
        "evidence.entry",
        entry_id=entry.id,
    )
    assessor = current_assignment(participant, AssignmentKind.ASSESSOR)
    if assessor is not None:
        notify(
            [assessor.user],
            NotificationKind.EVIDENCE_SUBMITTED,
            f"Feedback given directly by {words} for {participant.name} is waiting for your review.",
            "assessment.evidence",
            entry_id=entry.id,
        )


def answer_request(request: FeedbackRequest, answer: Answer) -> EvidenceEntry:
    """The person's answer through their link: it becomes evidence waiting for review, and the link ends."""
    refusal = link_refusal(request)
    if refusal:
        raise DomainError(refusal)
    if request.consented_at is None:
        raise DomainError("Agree to give feedback before you answer.", field="consent")
    entry = record_given_feedback(
        request.participant,
        asked_by=request.requested_by,
        given_by=request.relationship_kind.words,
        on_paper=False,
        type=request.evidence_type,
        title=_title(request),
        activity_date=request.activity_date,
        narrative=narrative(request, answer, how="through a feedback link"),
        links=_links(request, answer),
        **_entry_fields(request, answer),
    )
    _close(request, entry)
    record_audit(
        None,
        "feedback.answered",
        request,
        participant_id=request.participant_id,
        summary=f"{request.relationship_kind.words.capitalize()} answered; evidence entry {entry.id}",
    )
    _announce(request, entry, "through their link")
    return entry


def _close(request: FeedbackRequest, entry: EvidenceEntry) -> None:
    request.state = RequestState.ANSWERED
    request.answered_at = now_utc()
    request.entry_id = entry.id


@dataclass(frozen=True)
class PaperAnswer:
    given_on: date | None
    filename: str
    data: bytes
    summary: str


def record_paper_answer(request: FeedbackRequest, paper: PaperAnswer, *, by: User) -> EvidenceEntry:
    """A completed printed form (or feedback given on paper) uploaded as a scan: evidence marked as given on
    paper by the person asked, on the day they gave it. Any link of the request stops working."""
    if not can_change_feedback_request(by, request):
        raise NotAllowed("You cannot record feedback for this request.")
    state = state_now(request)
    if state in {RequestState.ANSWERED, RequestState.WITHDRAWN}:
        raise DomainError(f"A request that is {state.label.lower()} cannot be answered on paper.", field="attachment")
    if paper.given_on is None:
        raise DomainError("Enter the date the feedback was given.", field="given_on")
    if paper.given_on > dates.today():
        raise DomainError("The date the feedback was given must be today or in the past.", field="given_on")
    if not paper.filename or not paper.data:
        raise DomainError("Choose the scan or photo of the paper feedback.", field="attachment")
    summary = (paper.summary or "").strip()
    if len(summary) > 5000:
        raise DomainError("Keep the summary to 5,000 characters or fewer.", field="summary")
    words = request.relationship_kind.words
    text = (
        f"Given on paper by {words} on {paper.given_on.day} {paper.given_on:%B %Y}, about: {request.about}. "
        f"Uploaded by {by.name}; the scan is attached."
    )
    if summary:
        text += f"\n\nSummary by {by.name}:\n{summary}"
    entry = record_given_feedback(
        request.participant,
        asked_by=request.requested_by,
        given_by=words,
        on_paper=True,
        type=request.evidence_type,
        title=_title(request),
        activity_date=paper.given_on,
        narrative=text,
        links=[(e.id, f"Given on paper by {words}") for e in request.elements],
        uploaded_by=by,
        **_entry_fields(request, Answer(pairs=[], element_comments={}, setting=request.about[:200])),
    )
    store_attachment(entry, by=by, filename=paper.filename, data=paper.data)
    _close(request, entry)
    record_audit(by, "feedback.answered_on_paper", request, summary=f"Paper feedback from {words} uploaded")
    _announce(request, entry, "on paper")
    return entry
