"""Who may see and change notifications: each person only their own."""

from academy.accounts.models import User
from academy.notifications.models import Notification


def can_open_notification(user: User, notification: Notification) -> bool:
    """A notification is for its recipient alone."""
    return user.is_authenticated and notification.recipient_id == user.id
