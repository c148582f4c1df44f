"""Each person's notifications, opening one, and which kinds are emailed."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from academy.accounts.policies import is_signed_in
from academy.core.web import page_number, requires, run_service
from academy.extensions import db
from academy.notifications import bp
from academy.notifications.forms import EmailSettingsForm
from academy.notifications.models import Notification
from academy.notifications.policies import can_open_notification
from academy.notifications.queries import emailed_kinds, load_notification, notifications_of, unread_count, unread_for
from academy.notifications.services import mark_all_read, mark_read, set_email_kinds

PAGE_SIZE = 30


@bp.app_context_processor
def notification_helpers() -> dict:
    """`unread_notifications()` and `recent_notifications()` in any template: the signed-in person's unread ones."""

    def unread_notifications() -> int:
        return unread_count(current_user) if current_user.is_authenticated else 0

    def recent_notifications() -> list:
        return unread_for(current_user) if current_user.is_authenticated else []

    return {"unread_notifications": unread_notifications, "recent_notifications": recent_notifications}


@bp.get("/notifications")
@requires(is_signed_in)
def index():
    notifications = db.paginate(notifications_of(current_user), page=page_number(), per_page=PAGE_SIZE, error_out=False)
    return render_template("notifications/index.html", notifications=notifications)


@bp.post("/notifications/<int:notification_id>/open")
@requires(can_open_notification, load=load_notification)
def open_notification(notification: Notification):
    mark_read(notification, by=current_user)
    db.session.commit()
    return redirect(notification.link or url_for("notifications.index"))


@bp.post("/notifications/read")
@requires(is_signed_in)
def read_all():
    count = mark_all_read(by=current_user)
    db.session.commit()
    flash(f"{count} notification{'' if count == 1 else 's'} marked as read.", "success")
    return redirect(url_for("notifications.index"))


@bp.route("/notifications/settings", methods=["GET", "POST"])
@requires(is_signed_in)
def settings():
    form = EmailSettingsForm()
    if not form.is_submitted():
        form.kinds.data = sorted(kind.value for kind in emailed_kinds(current_user))
    if form.validate_on_submit() and run_service(
        form, lambda: set_email_kinds(current_user, form.kinds.data or [], by=current_user), field="kinds"
    ):
        flash("Your notification settings are saved.", "success")
        return redirect(url_for("notifications.settings"))
    return render_template("notifications/settings.html", form=form), 400 if form.errors else 200
