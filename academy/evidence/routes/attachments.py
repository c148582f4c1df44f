"""An evidence entry's attachments: upload, download and remove."""

import io

from flask import abort, flash, redirect, request, send_file, url_for
from flask_login import current_user
from werkzeug.datastructures import FileStorage

from academy.audit.access import audits_access
from academy.core.errors import DomainError
from academy.core.web import requires, run_service
from academy.evidence import attachments as attachment_service
from academy.evidence import bp
from academy.evidence.forms import AttachmentForm, ConfirmForm, SubmitEntryForm
from academy.evidence.models import Attachment, EvidenceEntry
from academy.evidence.policies import can_change_attachment, can_edit_evidence, can_view_attachment
from academy.evidence.queries import load_attachment, load_entry
from academy.evidence.routes.entries import render_entry


def _attach(entry: EvidenceEntry, file: FileStorage | None) -> None:
    if file is None or not file.filename:
        raise DomainError("Choose a file to upload.", field="attachment")
    data = file.read()
    file.close()
    attachment_service.add_attachment(entry, by=current_user, filename=file.filename, data=data)


@bp.post("/evidence/<int:entry_id>/attachments")
@requires(can_edit_evidence, load=load_entry)
def upload(entry: EvidenceEntry):
    form = AttachmentForm()
    if form.validate():
        if not run_service(form, lambda: _attach(entry, request.files.get("attachment")), field="attachment"):
            return render_entry(entry, SubmitEntryForm(), form, 400)
        flash("The file has been attached.", "success")
    return redirect(url_for("evidence.entry", entry_id=entry.id))


def _about(attachment: Attachment) -> str:
    entry = attachment.entry
    return f"the attachment “{attachment.original_name}” to the evidence “{entry.title}” of {entry.participant.name}"


# Types a browser shows itself; anything else (Word, OpenDocument) is always a download.
INLINE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg"})


def can_open_inline(attachment: Attachment) -> bool:
    return attachment.content_type in INLINE_TYPES


def _send(attachment: Attachment, *, inline: bool):
    path = attachment_service.stored_path(attachment)
    if not path.is_file():
        abort(404)
    # Read whole (uploads are at most 10 MB): no stored file stays open if a client drops the response.
    response = send_file(
        io.BytesIO(path.read_bytes()),
        mimetype=attachment.content_type,
        as_attachment=not inline,
        download_name=attachment.original_name,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/evidence/<int:entry_id>/attachments/<int:attachment_id>")
@requires(can_view_attachment, load=load_attachment)
@audits_access("attachment.downloaded", lambda a: (f"Downloaded {_about(a)}", a.entry.participant))
def download(attachment: Attachment):
    return _send(attachment, inline=False)


@bp.get("/evidence/<int:entry_id>/attachments/<int:attachment_id>/view")
@requires(can_view_attachment, load=load_attachment)
@audits_access("attachment.viewed", lambda a: (f"Opened {_about(a)}", a.entry.participant))
def view_attachment(attachment: Attachment):
    """The file opened in the browser (PDF and images), with the same checks as the download."""
    return _send(attachment, inline=can_open_inline(attachment))


@bp.app_template_global()
def attachment_opens_inline(attachment: Attachment) -> bool:
    return can_open_inline(attachment)


@bp.post("/evidence/<int:entry_id>/attachments/<int:attachment_id>/remove")
@requires(can_change_attachment, load=load_attachment)
def remove_attachment(attachment: Attachment):
    entry_id = attachment.entry_id  # the attachment is gone once removed
    form = ConfirmForm()
    if form.validate() and run_service(form, lambda: attachment_service.remove_attachment(attachment, by=current_user)):
        flash("The file has been removed.", "success")
    return redirect(url_for("evidence.entry", entry_id=entry_id))
