"""An evidence entry's attachments: upload, download and remove."""

from flask import abort, flash, redirect, request, send_file, url_for
from flask_login import current_user, login_required

from academy.core.errors import DomainError
from academy.evidence import attachments as attachment_service
from academy.evidence import bp
from academy.evidence.forms import AttachmentForm, ConfirmForm, SubmitEntryForm
from academy.evidence.queries import attachment_of_entry, entry_for_change, entry_for_view
from academy.evidence.routes.helpers import render_entry
from academy.extensions import db


@bp.post("/evidence/<int:entry_id>/attachments")
@login_required
def upload(entry_id: int):
    entry = entry_for_change(entry_id)
    form = AttachmentForm()
    file = request.files.get("attachment")
    if form.validate():
        try:
            if file is None or not file.filename:
                raise DomainError("Choose a file to upload.", field="attachment")
            data = file.read()
            file.close()
            attachment_service.add_attachment(entry, by=current_user, filename=file.filename, data=data)
        except DomainError as error:
            db.session.rollback()
            entry = entry_for_view(entry_id)
            form.attachment.errors = [error.message]
            return render_entry(entry, SubmitEntryForm(), form, 400)
        db.session.commit()
        flash("The file has been attached.", "success")
    return redirect(url_for("evidence.entry", entry_id=entry.id))


@bp.get("/evidence/<int:entry_id>/attachments/<int:attachment_id>")
@login_required
def download(entry_id: int, attachment_id: int):
    entry = entry_for_view(entry_id)
    attachment = attachment_of_entry(entry, attachment_id)
    path = attachment_service.stored_path(attachment)
    if not path.is_file():
        abort(404)
    response = send_file(
        path, mimetype=attachment.content_type, as_attachment=True, download_name=attachment.original_name
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/evidence/<int:entry_id>/attachments/<int:attachment_id>/remove")
@login_required
def remove_attachment(entry_id: int, attachment_id: int):
    entry = entry_for_change(entry_id)
    attachment = attachment_of_entry(entry, attachment_id)
    if ConfirmForm().validate():
        attachment_service.remove_attachment(attachment, by=current_user)
        db.session.commit()
        flash("The file has been removed.", "success")
    return redirect(url_for("evidence.entry", entry_id=entry.id))
