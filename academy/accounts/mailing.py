"""Emailing set-password links, and telling the person who caused it what became of the email.

Links are built from ACADEMY_BASE_URL only. Every email is sent after the change that made its link
has been committed; a send that fails leaves the account as it is and the page says so, with the way
to send the link again. A link handed to a mail server gets `emailed_at` (commit again afterwards).
"""

from flask import current_app, url_for
from markupsafe import Markup, escape

from academy.accounts.models import LinkPurpose, User
from academy.accounts.services import mark_emailed
from academy.core.mail import Delivery, DeliveryStatus, send_email
from academy.core.urls import NoBaseUrl, absolute_url


def _valid_for_words(purpose: LinkPurpose) -> str:
    key = "INVITATION_VALID_FOR" if purpose == LinkPurpose.INVITATION else "PASSWORD_RESET_VALID_FOR"
    valid_for = current_app.config[key]
    if valid_for.days >= 1:
        return f"{valid_for.days} day{'s' if valid_for.days != 1 else ''}"
    hours = max(1, int(valid_for.total_seconds() // 3600))
    return f"{hours} hour{'s' if hours != 1 else ''}"


def send_link(
    user: User, token: str, *, purpose: LinkPurpose = LinkPurpose.INVITATION, opening: str | None = None
) -> Delivery:
    """Email `user` their set-password link for `token`; `opening` is the first paragraph."""
    academy = current_app.config["ACADEMY_NAME"]
    try:
        link = absolute_url("accounts.set_password", token=token)
    except NoBaseUrl:
        current_app.logger.error("Email to %s NOT SENT: ACADEMY_BASE_URL is not set", user.email)
        return Delivery(DeliveryStatus.FAILED, "ACADEMY_BASE_URL is not set, so no link can be put in an email")
    if purpose == LinkPurpose.PASSWORD_RESET:
        subject = f"Set a new password for {academy}"
        opening = opening or "Someone asked to set a new password for your account. If it was not you, ignore this."
        action = "Set a new password here"
    else:
        subject = f"Your {academy} account"
        opening = opening or f"An account has been made for you in {academy}."
        action = "Set your password here to sign in"
    body = (
        f"Hello {user.name},\n\n{opening}\n{action}:\n\n{link}\n\n"
        f"The link works once and expires in {_valid_for_words(purpose)}. Using it stops any earlier link "
        f'from working. If it has expired, use "Forgot your password?" on the sign-in page or ask your '
        f"coordinator for a new one.\n"
    )
    delivery = send_email(user.email, subject, body)
    if delivery.sent:
        mark_emailed(token)
    return delivery


def _outbox_link() -> Markup:
    return Markup('<a class="govuk-link" href="{}">Outbox</a>').format(url_for("accounts.outbox"))


def delivery_message(delivery: Delivery, user: User, what: str = "The invitation") -> Markup:
    """What a page says about one email: emailed only when a mail server took it."""
    to = escape(user.email)
    if delivery.status == DeliveryStatus.SENT:
        return Markup("{} has been emailed to {}.").format(what, to)
    if delivery.status == DeliveryStatus.OUTBOX:
        return Markup("No mail server is set up, so {} for {} was not emailed: it is in the {}.").format(
            what.lower(), to, _outbox_link()
        )
    again = url_for("accounts.person", user_id=user.id)
    return Markup('{} for {} could not be emailed: {}. <a class="govuk-link" href="{}">Send it again</a>.').format(
        what, to, delivery.reason, again
    )


def deliveries_message(deliveries: list[tuple[User, Delivery]]) -> Markup:
    """What a page says about a batch of invitations (a cohort import)."""
    sent = sum(1 for _, d in deliveries if d.status == DeliveryStatus.SENT)
    kept = sum(1 for _, d in deliveries if d.status == DeliveryStatus.OUTBOX)
    failed = [(user, d) for user, d in deliveries if d.status == DeliveryStatus.FAILED]
    parts = []
    if sent or not deliveries:
        parts.append(Markup("{} invitation{} emailed.").format(sent, "s" if sent != 1 else ""))
    if kept:
        parts.append(
            Markup("No mail server is set up, so {} invitation{} not emailed: they are in the {}.").format(
                kept, "s were" if kept != 1 else " was", _outbox_link()
            )
        )
    if failed:
        people = url_for("accounts.people", status="not-emailed")
        parts.append(
            Markup(
                '{} invitation{} could not be emailed: {}. <a class="govuk-link" href="{}">Send {} again</a>.'
            ).format(
                len(failed),
                "s" if len(failed) != 1 else "",
                failed[0][1].reason,
                people,
                "them" if len(failed) != 1 else "it",
            )
        )
    return Markup(" ").join(parts)
