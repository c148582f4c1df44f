"""Feedback requests: asking, sending again, withdrawing, the link's life (open, consent, answer), paper
answers, expiry, and the academy's on/off switch. Services flush; the caller commits and then emails.

A link is a random token of which only the SHA-256 is stored, so the database alone cannot open it.
Sending again or reminding makes a new token: only the newest link of a request works. The hash stays
after the request ends, so that a used, expired or withdrawn link is refused with the reason.
"""

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from academy.accounts.models import User
from academy.accounts.services import normalise_email
from academy.audit.services import record_audit
from academy.core import dates
from academy.core.db import now_utc
from academy.core.errors import DomainError, NotAllowed
from academy.evidence.attachments import store_attachment
from academy.evidence.models import EvidenceEntry
from academy.evidence.services import cohort_elements, record_given_feedback
from academy.extensions import db
from academy.feedback.models import (
    OPEN_STATES,
    FeedbackHit,
    FeedbackRequest,
    FeedbackSettings,
    Relationship,
    RequestState,
)
from academy.feedback.policies import can_change_feedback_request, can_manage_feedback_settings, can_request_feedback
from academy.notifications.models import NotificationKind
from academy.notifications.services import notify
from academy.participants.models import AssignmentKind, Participant
from academy.participants.services import current_assignment

MAX_ELEMENTS = 6
MAX_MESSAGE = 1000
MAX_REASON = 300


# --- settings ---------------------------------------------------------------------------------------


def feedback_settings() -> FeedbackSettings:
    """The academy's settings row (made with the defaults, on, everyone may be asked, the first time)."""
    row = db.session.scalar(sa.select(FeedbackSettings).order_by(FeedbackSettings.id).limit(1))
    if row is None:
        row = FeedbackSettings(enabled=True, allowed=[str(r.value) for r in Relationship])
        db.session.add(row)
        db.session.flush()
    return row


def allowed_relationships() -> list[Relationship]:
    settings = feedback_settings()
    return [r for r in Relationship if r.value in (settings.allowed or [])] if settings.enabled else []


def update_settings(*, enabled: bool, allowed: Iterable[str], actor: User) -> FeedbackSettings:
    """A coordinator switches outside feedback on or off and chooses who may be asked."""
    if not can_manage_feedback_settings(actor):
        raise NotAllowed("Only coordinators change the outside feedback settings.")
    chosen: list[str] = [str(r.value) for r in Relationship if r.value in set(allowed)]
    if enabled and not chosen:
        raise DomainError(
            "Choose at least one kind of person who may be asked, or switch outside feedback off.", "allowed"
        )
    settings = feedback_settings()
    before = {"enabled": settings.enabled, "allowed": list(settings.allowed or [])}
    settings.enabled = enabled
    settings.allowed = chosen
    settings.updated_at = now_utc()
    settings.updated_by_id = actor.id
    record_audit(
        actor,
        "feedback.settings_changed",
        settings,
        summary="Outside feedback " + ("switched on" if enabled else "switched off"),
        before=before,
        after={"enabled": enabled, "allowed": chosen},
    )
    return settings


# --- links ------------------------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_link(request: FeedbackRequest, at: datetime) -> str:
    """A fresh token for `request` (any earlier one stops working); returns the token."""
    token = secrets.token_urlsafe(32)
    request.token_hash = token_hash(token)
    request.sent_at = at
    request.emailed_at = None
    request.times_sent += 1
    return token


def find_request_by_token(token: str) -> FeedbackRequest | None:
    if not token or len(token) > 100:
        return None
    return db.session.scalar(sa.select(FeedbackRequest).where(FeedbackRequest.token_hash == token_hash(token)))


def state_now(request: FeedbackRequest, at: datetime | None = None) -> RequestState:
    """The request's state, counting a link past its expiry as expired before the nightly command marks it."""
    at = at or now_utc()
    if request.state in OPEN_STATES and request.expires_at is not None and request.expires_at <= at:
        return RequestState.EXPIRED
    return request.state


def link_refusal(request: FeedbackRequest | None) -> str | None:
    """Why a link cannot be used, in plain words, or None when it can."""
    if request is None:
        return (
            "This link does not work. A newer email may have replaced it, or only part of the link was copied: "
            "use the link in the latest email."
        )
    state = state_now(request)
    if state == RequestState.ANSWERED:
        return "This link has already been used: the feedback has been given. Thank you."
    if state == RequestState.WITHDRAWN:
        return (
            "This request for feedback has been withdrawn, so the link no longer works. You do not need to do anything."
        )
    if state == RequestState.EXPIRED:
        return (
            "This link has expired. If you still want to give feedback, ask the social worker to send you a new link."
        )
    if state not in OPEN_STATES:
        return "This link does not work."
    if not feedback_settings().enabled:
        return "Feedback links are switched off at the moment. Ask the social worker who asked you."
    return None


# --- rate limits ------------------------------------------------------------------------------------


def allow_visit(request: FeedbackRequest | None, remote_addr: str) -> bool:
    """Count a visit to a public feedback page; False when the link or the address has had too many this hour.

    Refused visits are not stored, so a flood cannot grow the table; an address guessing tokens is
    limited by the address count (its visits match no request)."""
    config = current_app.config
    since = now_utc() - timedelta(hours=1)
    count = sa.select(sa.func.count(FeedbackHit.id)).where(FeedbackHit.at >= since)
    by_address = db.session.scalar(count.where(FeedbackHit.remote_addr == remote_addr)) or 0
    if by_address >= config["FEEDBACK_VISITS_PER_ADDRESS_PER_HOUR"]:
        return False
    if request is not None:
        by_link = db.session.scalar(count.where(FeedbackHit.request_id == request.id)) or 0
        if by_link >= config["FEEDBACK_VISITS_PER_LINK_PER_HOUR"]:
            return False
    db.session.add(FeedbackHit(request_id=request.id if request else None, remote_addr=remote_addr[:64], at=now_utc()))
    return True


def prune_visits(at: datetime | None = None) -> int:
    """Forget visits older than a day (the limits look back an hour); how many went."""
    cutoff = (at or now_utc()) - timedelta(days=1)
    result = db.session.execute(sa.delete(FeedbackHit).where(FeedbackHit.at < cutoff))
    return int(getattr(result, "rowcount", 0) or 0)


def _check_email_allowance(email: str) -> None:
    """At most FEEDBACK_REQUESTS_PER_EMAIL_PER_DAY emails to one address in a day, so nobody is flooded."""
    limit = current_app.config["FEEDBACK_REQUESTS_PER_EMAIL_PER_DAY"]
    since = now_utc() - timedelta(days=1)
    recent = (
        db.session.scalar(
            sa.select(sa.func.count(FeedbackRequest.id)).where(
                FeedbackRequest.recipient_email == email, FeedbackRequest.sent_at >= since
            )
        )
        or 0
    )
    if recent >= limit:
        raise DomainError(
            f"{email} has been sent {limit} feedback requests in the last day. Try again tomorrow.", field="email"
        )


# --- requests ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewRequest:
    relationship: str
    name: str
    email: str | None  # None: a printed form handed over
    about: str
    activity_date: date | None
    message: str
    element_ids: list[int]


def _clean(participant: Participant, new: NewRequest) -> tuple[Relationship, str, str | None, str, str, list]:
    try:
        relationship = Relationship(new.relationship)
    except ValueError:
        raise DomainError("Choose who you are asking.", field="relationship") from None
    if relationship not in allowed_relationships():
        raise DomainError(f"Your academy does not allow asking {relationship.words} here.", field="relationship")
    name = " ".join((new.name or "").split())
    if not name:
        raise DomainError("Enter the name of the person you are asking.", field="name")
    if len(name) > 200:
        raise DomainError("Keep the name to 200 characters or fewer.", field="name")
    email = normalise_email(new.email) if new.email else None
    if email is not None and ("@" not in email or len(email) > 254 or " " in email):
        raise DomainError("Enter an email address in the right format, like name@example.org.", field="email")
    if email is not None and email == normalise_email(participant.user.email):
        raise DomainError("This is the NQSW's own email address: ask the person who gives the feedback.", "email")
    about = " ".join((new.about or "").split())
    if not about:
        raise DomainError("Say which visit or piece of work the feedback is about.", field="about")
    if len(about) > 300:
        raise DomainError("Keep this to 300 characters or fewer.", field="about")
    if new.activity_date is None:
        raise DomainError("Enter the date of the visit or work.", field="activity_date")
    if new.activity_date > dates.today():
        raise DomainError("The date of the visit or work must be today or in the past.", field="activity_date")
    message = (new.message or "").strip()
    if len(message) > MAX_MESSAGE:
        raise DomainError(f"Keep the message to {MAX_MESSAGE:,} characters or fewer.", field="message")
    allowed = cohort_elements(participant)
    chosen = [allowed[i] for i in dict.fromkeys(new.element_ids) if i in allowed]
    if not chosen or len(chosen) != len(set(new.element_ids)):
        raise DomainError("Choose the elements the feedback should speak to.", field="elements")
    if len(chosen) > MAX_ELEMENTS:
        raise DomainError(f"Choose at most {MAX_ELEMENTS} elements, so the form stays short.", field="elements")
    return relationship, name, email, about, message, chosen


def request_feedback(participant: Participant, new: NewRequest, *, by: User) -> tuple[FeedbackRequest, str | None]:
    """Ask someone outside the academy for feedback. Returns the request and its link's token (None for a
    printed form). Email the link after the commit (mailing.send_request)."""
    if not can_request_feedback(by, participant):
        raise NotAllowed("You cannot ask for feedback for this NQSW.")
    if not feedback_settings().enabled:
        raise DomainError("Outside feedback is switched off by your academy's coordinators.", field="relationship")
    relationship, name, email, about, message, elements = _clean(participant, new)
    at = now_utc()
    request = FeedbackRequest(
        participant=participant,
        requested_by_id=by.id,
        relationship_kind=relationship,
        recipient_name=name,
        recipient_email=email,
        about=about,
        activity_date=new.activity_date,
        message=message,
        state=RequestState.SENT if email else RequestState.ON_PAPER,
        times_sent=0,
        elements=elements,
    )
    token = None
    if email is not None:
        _check_email_allowance(email)
        token = _new_link(request, at)
        request.expires_at = at + current_app.config["FEEDBACK_LINK_VALID_FOR"]
    db.session.add(request)
    record_audit(
        by,
        "feedback.requested",
        request,
        participant_id=participant.id,
        summary=f"Asked {relationship.words} for feedback about \u201c{about}\u201d"
        + (" by email" if email else " on a printed form"),
        after={"who": relationship.words, "by_email": email is not None, "elements": [e.label for e in elements]},
    )
    return request, token


def send_again(request: FeedbackRequest, *, by: User) -> str:
    """A new link (the old one stops working) with a fresh expiry, for a request not yet answered or withdrawn."""
    if not can_change_feedback_request(by, request):
        raise NotAllowed("You cannot change this request.")
    state = state_now(request)
    if state not in {*OPEN_STATES, RequestState.EXPIRED} or request.recipient_email is None:
        raise DomainError(f"A request that is {state.label.lower()} cannot be sent again.", field="send")
    if not feedback_settings().enabled:
        raise DomainError("Outside feedback is switched off by your academy's coordinators.", field="send")
    if request.times_sent >= current_app.config["FEEDBACK_MAX_SENDS"]:
        raise DomainError(
            "This request has been sent as many times as it can be. Ask again with a new request.", "send"
        )
    _check_email_allowance(request.recipient_email)
    at = now_utc()
    token = _new_link(request, at)
    request.expires_at = at + current_app.config["FEEDBACK_LINK_VALID_FOR"]
    request.reminded_at = None
    request.state = RequestState.OPENED if request.opened_at else RequestState.SENT
    record_audit(by, "feedback.sent_again", request, summary=f"Sent the feedback request again ({state.label.lower()})")
    return token


def withdraw(request: FeedbackRequest, *, by: User) -> None:
    """End a request that has not been answered: its link stops working."""
    if not can_change_feedback_request(by, request):
        raise NotAllowed("You cannot change this request.")
    state = state_now(request)
    if state in {RequestState.ANSWERED, RequestState.WITHDRAWN}:
        raise DomainError(f"A request that is {state.label.lower()} cannot be withdrawn.", field="withdraw")
    request.state = RequestState.WITHDRAWN
    request.withdrawn_at = now_utc()
    request.withdrawn_by_id = by.id
    record_audit(
        by,
        "feedback.withdrawn",
        request,
        summary=f"Withdrew the request to {request.relationship_kind.words}",
        before={"state": state.value},
        after={"state": "withdrawn"},
    )


def mark_emailed(request: FeedbackRequest) -> None:
    request.emailed_at = now_utc()


# --- the person answering -------------------------------------------------------------------------


def open_link(request: FeedbackRequest) -> None:
    """The first visit to a working link: the request is opened (audited once)."""
    if request.state == RequestState.SENT and request.opened_at is None:
        request.state = RequestState.OPENED
        request.opened_at = now_utc()
        record_audit(
            None,
            "feedback.opened",
            request,
            participant_id=request.participant_id,
            summary=f"The link was opened by {request.relationship_kind.words}",
        )


def give_consent(request: FeedbackRequest) -> None:
    """The person agrees to their answer being kept in the NQSW's record and read by the people named."""
    if link_refusal(request):
        raise DomainError(link_refusal(request) or "", field="consent")
    open_link(request)
    if request.consented_at is None:
        request.consented_at = now_utc()
        record_audit(
            None,
            "feedback.consented",
            request,
            participant_id=request.participant_id,
            summary=f"{request.relationship_kind.words.capitalize()} agreed to give feedback",
        )


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


# --- expiry and reminders -------------------------------------------------------------------------


def expire_overdue(at: datetime | None = None) -> int:
    """Mark every open request past its expiry expired (audited); how many there were."""
    at = at or now_utc()
    overdue = db.session.scalars(
        sa.select(FeedbackRequest).where(FeedbackRequest.state.in_(OPEN_STATES), FeedbackRequest.expires_at <= at)
    ).all()
    for request in overdue:
        request.state = RequestState.EXPIRED
        record_audit(None, "feedback.expired", request, summary="The feedback link expired without an answer")
    return len(overdue)


def due_for_reminder(at: datetime | None = None) -> list[FeedbackRequest]:
    """Open, emailed requests expiring within FEEDBACK_REMIND_BEFORE that have not had their one reminder."""
    at = at or now_utc()
    soon = at + current_app.config["FEEDBACK_REMIND_BEFORE"]
    return list(
        db.session.scalars(
            sa.select(FeedbackRequest)
            .where(
                FeedbackRequest.state.in_(OPEN_STATES),
                FeedbackRequest.reminded_at.is_(None),
                FeedbackRequest.recipient_email.is_not(None),
                FeedbackRequest.expires_at > at,
                FeedbackRequest.expires_at <= soon,
            )
            .order_by(FeedbackRequest.id)
        )
    )


def prepare_reminder(request: FeedbackRequest) -> str:
    """The one reminder: a new link (the first email's stops working) with the same expiry. Returns the token."""
    token = secrets.token_urlsafe(32)
    request.token_hash = token_hash(token)
    request.reminded_at = now_utc()
    record_audit(None, "feedback.reminded", request, summary="Reminder sent before the link expires")
    return token
