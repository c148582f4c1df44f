"""Emailing a feedback link to the person asked, and its one reminder.

Links come from ACADEMY_BASE_URL only. Each email goes after the change that made its link has been
committed; a link handed to a mail server gets `emailed_at` (commit again afterwards).
"""

from flask import current_app

from academy.core.mail import Delivery, DeliveryStatus, send_email
from academy.core.urls import NoBaseUrl, absolute_url
from academy.feedback.models import FeedbackRequest
from academy.feedback.services import mark_emailed


def _who_asks(request: FeedbackRequest) -> str:
    nqsw = request.participant.name
    academy = current_app.config["ACADEMY_NAME"]
    if request.requested_by_id == request.participant.user_id:
        return f"{nqsw}, a newly qualified social worker at {academy},"
    return f"{request.requested_by.name}, the assessor of {nqsw} (a newly qualified social worker at {academy}),"


def _body(request: FeedbackRequest, link: str, *, reminder: bool) -> str:
    expires = request.expires_at
    until = f"{expires.day} {expires:%B %Y}" if expires else ""
    opening = (
        f"A reminder: {_who_asks(request)} asked you for feedback"
        if reminder
        else f"{_who_asks(request)} would like your feedback"
    )
    message = f'\nTheir message:\n"{request.message}"\n' if request.message else ""
    again = " This link replaces the one in our first email." if reminder else ""
    return (
        f"Hello {request.recipient_name},\n\n{opening} about: {request.about} "
        f"({request.activity_date.day} {request.activity_date:%B %Y}).\n{message}\n"
        f"You do not need an account. Answer here; it takes about 5 minutes:\n\n{link}\n\n"
        f"The link works once, until {until}.{again} Please do not name the child or family, or anyone else, in "
        f"your answer.\nIf you do not want to answer, you can ignore this email.\n"
    )


def send_request(request: FeedbackRequest, token: str, *, reminder: bool = False) -> Delivery:
    """Email the link for `token` to the person asked (after the commit)."""
    email = request.recipient_email or ""
    try:
        link = absolute_url("feedback.start", token=token)
    except NoBaseUrl:
        current_app.logger.error("Feedback email to %s NOT SENT: ACADEMY_BASE_URL is not set", email)
        return Delivery(DeliveryStatus.FAILED, "ACADEMY_BASE_URL is not set, so no link can be put in an email")
    subject = f"{'Reminder: ' if reminder else ''}Feedback for {request.participant.name}, a social worker"
    delivery = send_email(email, subject, _body(request, link, reminder=reminder))
    if delivery.sent:
        mark_emailed(request)
    return delivery


def delivery_words(delivery: Delivery, name: str) -> str:
    """What the page says about the email, in plain words (naming the person: an address is too long for a phone)."""
    if delivery.status == DeliveryStatus.SENT:
        return f"The request has been emailed to {name}."
    if delivery.status == DeliveryStatus.OUTBOX:
        return f"No mail server is set up, so the request to {name} was not emailed: it is in the Outbox."
    return f"The request to {name} could not be emailed: {delivery.reason}. Use \u201cSend it again\u201d to retry."
