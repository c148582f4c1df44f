"""Attachment checks and storage: type from the content, size limit, safe names, private storage.

Files are stored under current_app.config["UPLOAD_FOLDER"] (outside the static folder) with random
names, and only ever served by the permission-checked download route. A rejected upload stores
nothing.
"""

import hashlib
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

import filetype
from flask import current_app

from academy.accounts.models import User
from academy.core.errors import DomainError, NotAllowed
from academy.core.files import private_folder, write_private
from academy.core.zipcheck import UnsafeZip, scan_zip
from academy.evidence.models import Attachment, EvidenceEntry
from academy.evidence.policies import can_edit_evidence
from academy.evidence.services import record_change
from academy.extensions import db

MAX_BYTES = 10 * 1024 * 1024
ALLOWED_LABEL = "a PDF, Word (DOCX), OpenDocument text (ODT), PNG or JPEG file"

# Detected extension -> (MIME type, extensions a file name may carry for it).
ALLOWED: dict[str, tuple[str, tuple[str, ...]]] = {
    "pdf": ("application/pdf", ("pdf",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",)),
    "odt": ("application/vnd.oasis.opendocument.text", ("odt",)),
    "png": ("image/png", ("png",)),
    "jpg": ("image/jpeg", ("jpg", "jpeg")),
}
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


@dataclass(frozen=True)
class CheckedFile:
    name: str
    kind: str
    content_type: str
    data: bytes


def clean_filename(filename: str) -> str:
    """The name as the person gave it, or a DomainError for a name with a path or control characters."""
    name = unicodedata.normalize("NFC", (filename or "").strip())
    if not name:
        raise DomainError("Choose a file to upload.", field="attachment")
    if "/" in name or "\\" in name or name in {".", ".."} or ".." in name or ":" in name:
        raise DomainError("The file name must not contain a folder path. Rename the file and try again.", "attachment")
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise DomainError("The file name contains characters that are not allowed.", field="attachment")
    if len(name) > 200:
        raise DomainError("The file name must be 200 characters or fewer.", field="attachment")
    return name


def _zip_kind(data: bytes) -> str | None:
    """ "docx" or "odt" for a ZIP holding the parts that document has, else None. The whole archive is
    streamed within caps first (core/zipcheck.py): a ZIP that passes one is refused with its message."""
    try:
        scan = scan_zip(data, keep=frozenset({"mimetype"}))
    except zipfile.BadZipFile:
        return None
    except UnsafeZip as unsafe:
        raise DomainError(unsafe.message, field="attachment") from None
    if "[Content_Types].xml" in scan.names and "word/document.xml" in scan.names:
        return "docx"
    if "content.xml" in scan.names and scan.kept.get("mimetype", b"").strip() == ODT_MIMETYPE:
        return "odt"
    return None


def detect_kind(data: bytes) -> str | None:
    """The file's real type from its bytes: "pdf", "docx", "odt", "png", "jpg", or None. Raises
    DomainError for a ZIP that is unsafe to open (too many parts, too large unpacked, damaged)."""
    kind = filetype.guess(data)
    extension = kind.extension if kind is not None else None
    if extension in {"pdf", "png", "jpg"}:
        return extension
    if data[:4] == b"PK\x03\x04":  # a zip container: check the parts a real document has
        return _zip_kind(data)
    return None


def check_upload(filename: str, data: bytes) -> CheckedFile:
    """Validate an upload entirely in memory; raises DomainError with a message for the person."""
    name = clean_filename(filename)
    if len(data) == 0:
        raise DomainError("The selected file is empty.", field="attachment")
    if len(data) > MAX_BYTES:
        raise DomainError("The selected file must be smaller than 10 MB.", field="attachment")
    kind = detect_kind(data)
    if kind is None:
        raise DomainError(f"The selected file must be {ALLOWED_LABEL}. Its content is not.", field="attachment")
    content_type, extensions = ALLOWED[kind]
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in extensions:
        raise DomainError(
            f"The file is named .{suffix or '(none)'} but its content is {kind.upper()}. Rename it and try again.",
            field="attachment",
        )
    return CheckedFile(name=name, kind=kind, content_type=content_type, data=data)


def upload_folder() -> Path:
    return private_folder(current_app.config["UPLOAD_FOLDER"])


def stored_path(attachment: Attachment) -> Path:
    return upload_folder() / attachment.stored_name


def add_attachment(entry: EvidenceEntry, *, by: User, filename: str, data: bytes) -> Attachment:
    """Check, store and record an attachment on a draft or returned entry."""
    if not can_edit_evidence(by, entry):
        raise NotAllowed("Attachments can be added only to your own draft or returned entries.")
    return store_attachment(entry, by=by, filename=filename, data=data)


def store_attachment(entry: EvidenceEntry, *, by: User, filename: str, data: bytes) -> Attachment:
    """Check, store and record a file on `entry`; the caller has decided that `by` may (paper feedback is
    read-only to everyone once recorded, so its scan is stored as it is made)."""
    checked = check_upload(filename, data)
    stored_name = secrets.token_hex(24)
    path = write_private(upload_folder() / stored_name, checked.data)
    attachment = Attachment(
        entry=entry,
        original_name=checked.name,
        stored_name=stored_name,
        content_type=checked.content_type,
        size_bytes=len(checked.data),
        sha256=hashlib.sha256(checked.data).hexdigest(),
        uploaded_by_id=by.id,
    )
    try:
        db.session.add(attachment)
        db.session.flush()
    except Exception:
        path.unlink(missing_ok=True)
        raise

    record_change(entry, "attachment_added", by, comment=checked.name)
    return attachment


def remove_attachment(attachment: Attachment, *, by: User) -> None:
    """Take an attachment off a draft or returned entry; the stored file goes too."""
    entry = attachment.entry
    if not can_edit_evidence(by, entry):
        raise NotAllowed("Attachments can be removed only from your own draft or returned entries.")
    path = stored_path(attachment)
    name = attachment.original_name
    entry.attachments.remove(attachment)
    db.session.delete(attachment)
    db.session.flush()

    record_change(entry, "attachment_removed", by, comment=name)
    path.unlink(missing_ok=True)
