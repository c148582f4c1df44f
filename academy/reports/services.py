"""Issuing documents (reference + SHA-256 kept for verification) and checking uploaded copies."""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import render_template

from academy.accounts.models import User
from academy.audit.services import record_audit
from academy.cohorts.models import Cohort
from academy.core import pdf
from academy.core.db import now_utc
from academy.core.errors import DomainError
from academy.extensions import db
from academy.participants.models import Participant
from academy.reports.cohort_report import cohort_figures
from academy.reports.models import IssuedDocument
from academy.reports.records import ProgressionRecord, load_progression_record

PREFIXES = {"progression_record": "PR", "cohort_report": "CR"}
COMMAND_LINE = "the command line"


def new_reference(kind: str, at: datetime) -> str:
    """A document reference that cannot be guessed: PR-2026-3F9A-C27B."""
    token = secrets.token_hex(4).upper()
    return f"{PREFIXES[kind]}-{at:%Y}-{token[:4]}-{token[4:]}"


@dataclass
class RenderedDocument:
    reference: str
    generated_at: datetime
    filename: str
    data: bytes
    sha256: str
    fingerprint: str = ""  # of the data shown (progression records), see `record_fingerprint`


# What a record's fingerprint is taken over: the page as it would be rendered, with these in place of
# what differs from one issue to the next (reference, time, who asked).
FINGERPRINT_AT = datetime(2000, 1, 1, tzinfo=UTC)


def _record_html(record: ProgressionRecord, reference: str, at: datetime, generated_by: str) -> str:
    return render_template(
        "pdf/record.html",
        record=record,
        reference=reference,
        generated_at=at,
        generated_by=generated_by,
        static_url=pdf.STATIC_ORIGIN,
    )


# Embedded charts carry a random id on each rendering; they draw figures the record's tables show.
EMBEDDED_IMAGE = re.compile(r"data:image/[^\"']+")


def fingerprint_of(record: ProgressionRecord) -> str:
    """A hash of everything `record` shows: equal fingerprints, equal records (bar reference and time)."""
    html = EMBEDDED_IMAGE.sub("data:", _record_html(record, "", FINGERPRINT_AT, ""))
    return hashlib.sha256(html.encode()).hexdigest()


def record_fingerprint(participant_id: int) -> str:
    """The fingerprint of the participant's record as their data stands now (no PDF is rendered)."""
    return fingerprint_of(load_progression_record(participant_id))


def render_progression_record(
    participant_id: int, generated_by: str, *, release_session: bool = False
) -> RenderedDocument:
    """Render one participant's record with a fresh reference (nothing is stored yet).

    With `release_session` the database session is closed once the HTML exists, so a worker holds
    no read transaction (nor, on SQLite, a lock) while WeasyPrint lays out the pages.
    """
    record = load_progression_record(participant_id)
    at = now_utc()
    reference = new_reference("progression_record", at)
    fingerprint = fingerprint_of(record)
    html = _record_html(record, reference, at, generated_by)
    slug = "-".join(record.participant.name.lower().split())
    if release_session:
        db.session.remove()
    data = pdf.html_to_pdf(html)
    filename = f"progression-record-{slug}-{reference}.pdf"
    return RenderedDocument(reference, at, filename, data, pdf.sha256_hex(data), fingerprint)


def store_issued(
    rendered: RenderedDocument, kind: str, *, actor: User | None, participant_id=None, cohort_id=None
) -> IssuedDocument:
    """Keep the reference and SHA-256 of a document that has been handed out, and audit it."""
    document = IssuedDocument(
        reference=rendered.reference,
        kind=kind,
        participant_id=participant_id,
        cohort_id=cohort_id,
        sha256=rendered.sha256,
        size_bytes=len(rendered.data),
        generated_by_id=actor.id if actor else None,
        generated_at=rendered.generated_at,
    )
    db.session.add(document)
    record_audit(
        actor,
        "document.issued",
        document,
        participant_id=participant_id,
        summary=f"Issued {kind.replace('_', ' ')} {rendered.reference}",
        after={"reference": rendered.reference, "sha256": rendered.sha256, "size_bytes": len(rendered.data)},
    )
    return document


def issue_progression_record(participant: Participant, *, actor: User | None) -> RenderedDocument:
    """Render and issue a participant's progression record."""
    rendered = render_progression_record(participant.id, actor.name if actor else COMMAND_LINE)
    store_issued(rendered, "progression_record", actor=actor, participant_id=participant.id)
    return rendered


def issue_cohort_report(cohort: Cohort, *, actor: User | None) -> RenderedDocument:
    """Render and issue a cohort report."""

    at = now_utc()
    reference = new_reference("cohort_report", at)
    _, data = pdf.render_pdf_template(
        "pdf/cohort_report.html",
        report=cohort_figures(cohort),
        reference=reference,
        generated_at=at,
        generated_by=actor.name if actor else COMMAND_LINE,
    )
    slug = "-".join(cohort.name.lower().split())
    rendered = RenderedDocument(reference, at, f"cohort-report-{slug}-{reference}.pdf", data, pdf.sha256_hex(data))
    store_issued(rendered, "cohort_report", actor=actor, cohort_id=cohort.id)
    return rendered


@dataclass
class Verification:
    document: IssuedDocument
    matches: bool
    uploaded_sha256: str


def verify_document(reference: str, data: bytes, *, actor: User) -> Verification:
    """Whether `data` is byte for byte the document issued under `reference`."""
    reference = reference.strip().upper()
    document = db.session.scalar(sa.select(IssuedDocument).where(IssuedDocument.reference == reference))
    if document is None:
        raise DomainError(f"No document was issued with the reference {reference}.", field="reference")
    uploaded = pdf.sha256_hex(data)
    result = Verification(document, secrets.compare_digest(uploaded, document.sha256), uploaded)
    record_audit(
        actor,
        "document.verified",
        document,
        participant_id=document.participant_id,
        summary=f"Checked a copy of {reference}: {'matches' if result.matches else 'does not match'}",
        after={"matches": result.matches, "uploaded_sha256": uploaded},
    )
    return result
