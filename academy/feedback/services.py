"""Feedback requests: asking, sending again, withdrawing, the person opening their link and consenting,
and the coordinator's settings. Services flush; the caller commits and then emails (mailing.py).
Answers are in answers.py; the link's own rules (token, limits, expiry) in links.py.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from flask import current_app

from academy.accounts.models import User
from academy.accounts.services import normalise_email
from academy.audit.services import record_audit
from academy.core import dates
from academy.core.db import now_utc
from academy.core.errors import DomainError, NotAllowed
from academy.evidence.services import cohort_elements
from academy.extensions import db
from academy.feedback.links import (
    allowed_relationships,
    check_email_allowance,
    feedback_settings,
    link_refusal,
    new_link,
    state_now,
)
from academy.feedback.models import OPEN_STATES, FeedbackRequest, FeedbackSettings, Relationship, RequestState
from academy.feedback.policies import can_change_feedback_request, can_manage_feedback_settings, can_request_feedback
from academy.participants.models import Participant

MAX_ELEMENTS = 6
MAX_MESSAGE = 1000


# --- settings -------------------------------------------------------------------------------------


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


# --- requests -------------------------------------------------------------------------------------


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
        check_email_allowance(email)
        token = new_link(request, at)
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
    if request.recipient_email is None:
        raise DomainError("A printed form has no email address to send it to.", field="send")
    if state not in {*OPEN_STATES, RequestState.EXPIRED}:
        raise DomainError(f"A request that is {state.label.lower()} cannot be sent again.", field="send")
    if not feedback_settings().enabled:
        raise DomainError("Outside feedback is switched off by your academy's coordinators.", field="send")
    if request.times_sent >= current_app.config["FEEDBACK_MAX_SENDS"]:
        raise DomainError(
            "This request has been sent as many times as it can be. Ask again with a new request.", "send"
        )
    check_email_allowance(request.recipient_email)
    at = now_utc()
    token = new_link(request, at)
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


# --- the person opening their link -----------------------------------------------------------------


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
    refusal = link_refusal(request)
    if refusal:
        raise DomainError(refusal, field="consent")
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
