"""DOCX and ODT uploads are ZIPs: each is streamed within caps, so a zip bomb is refused early, in
little memory, with a message next to the file field; honest documents still go through."""

import dataclasses
import io
import os
import stat
import time
import tracemalloc
import zipfile
from datetime import date

import pytest

from academy.core.errors import DomainError
from academy.core.zipcheck import MB, UnsafeZip, ZipLimits, scan_zip
from academy.evidence import services
from academy.evidence.attachments import check_upload
from academy.evidence.models import Attachment, EvidenceType
from tests import factories, zips


def upload(client, entry, name: str, data: bytes):
    return client.post_files(
        f"/evidence/{entry.id}/attachments", {"attachment": (data, name)}, page=f"/evidence/{entry.id}"
    )


@pytest.fixture
def entry(db, app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    participant = factories.make_participant(start=date(2025, 9, 1), today=date(2025, 9, 1))
    elements = [el for fw in participant.cohort.frameworks for el in fw.elements]
    return services.create_evidence(
        participant,
        by=participant.user,
        type=EvidenceType.WRITTEN_REPORT,
        title="Court report",
        activity_date=date(2025, 10, 1),
        report_kind="Court report",
        links=[(elements[0].id, "Analysis")],
        anonymised_confirmed=True,
    )


def honest_odt() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", zips.ODT_MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<text:p>Supervision notes</text:p>" * 2000)
        archive.writestr("Pictures/photo.png", os.urandom(2 * MB))  # incompressible, like a real image
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "bomb"), [("notes.odt", zips.odt_bomb), ("notes.docx", zips.docx_bomb)])
def test_a_10_mb_zip_bomb_is_refused_early_and_in_little_memory(app, name, bomb):
    data = bomb()
    assert 9 * MB < len(data) <= 10 * MB  # at the upload limit, and gigabytes unpacked
    tracemalloc.start()
    started = time.process_time()
    try:
        with pytest.raises(UnsafeZip) as refused:
            scan_zip(data)
        cpu_seconds = time.process_time() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "compressed bomb" in refused.value.message
    # It stopped after a few megabytes of output, less than the upload itself, not the gigabytes it holds.
    assert refused.value.bytes_out < 10 * MB
    assert peak < 5 * MB  # a chunk or two; the worker never grows anywhere near 200 MB
    assert cpu_seconds < 1  # a generous bound on CPU (not wall) time: the work done is a few megabytes


@pytest.mark.parametrize(("name", "bomb"), [("notes.odt", zips.odt_bomb), ("notes.docx", zips.docx_bomb)])
def test_the_upload_page_refuses_a_zip_bomb_next_to_the_file_field(entry, client, login, db, app, name, bomb):
    login(entry.participant.user)
    data = bomb()
    tracemalloc.start()
    try:
        response = upload(client, entry, name, data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="attachment-error"' in html
    assert "compressed bomb" in html
    assert peak < 200 * MB  # the request's own copies of the 10 MB body, and nothing unpacked
    folder = app.config["UPLOAD_FOLDER"]
    assert not os.path.isdir(folder) or os.listdir(folder) == []
    assert db.session.scalar(db.select(db.func.count(Attachment.id))) == 0


def test_an_honest_odt_with_a_picture_is_accepted(app):
    checked = check_upload("notes.odt", honest_odt())
    assert checked.kind == "odt"


def test_a_zip_with_too_many_parts_is_refused_before_its_directory_is_read():
    data = zips.build_zip([zips.stored(f"part{i}.xml", b"<x/>") for i in range(6)])
    with pytest.raises(UnsafeZip, match="more than 5 parts"):
        scan_zip(data, limits=ZipLimits(max_entries=5))


def test_one_part_too_large_unpacked_is_refused():
    data = zips.build_zip([zips.deflated("word/document.xml", os.urandom(3 * MB))])
    with pytest.raises(UnsafeZip, match="One part of the file unpacks to more than 2 MB") as refused:
        scan_zip(data, limits=ZipLimits(max_entry_bytes=2 * MB))
    assert refused.value.bytes_out <= 2 * MB + 64 * 1024  # stopped at the chunk that passed the cap


def test_parts_too_large_together_are_refused():
    data = zips.build_zip([zips.deflated(f"media/{i}.png", os.urandom(MB)) for i in range(3)])
    with pytest.raises(UnsafeZip, match="The file unpacks to more than 2 MB"):
        scan_zip(data, limits=ZipLimits(max_total_bytes=2 * MB))


def test_a_header_that_understates_a_part_is_not_trusted():
    # 8 MB of zeros that the headers say is 1,000 bytes: the scan stops at the first chunk past 1,000.
    data = zips.build_zip([zips.deflated("content.xml", bytes(8 * MB), declared_size=1000)])
    with pytest.raises(UnsafeZip, match="damaged") as refused:
        scan_zip(data, limits=ZipLimits(max_ratio=10_000))
    assert refused.value.bytes_out <= 64 * 1024


def test_a_password_protected_document_is_refused_with_a_reason(app):
    locked = dataclasses.replace(zips.stored("word/document.xml", b"<w:document/>"), flags=1)
    data = zips.build_zip([zips.stored("[Content_Types].xml", b"<Types/>"), locked])
    with pytest.raises(DomainError, match="password-protected"):
        check_upload("notes.docx", data)


def test_stored_attachments_are_private_to_the_app(entry, client, login, app):
    login(entry.participant.user)
    response = upload(client, entry, "notes.odt", honest_odt())
    assert response.status_code == 302
    folder = app.config["UPLOAD_FOLDER"]
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    (stored_name,) = os.listdir(folder)
    assert stat.S_IMODE(os.stat(os.path.join(folder, stored_name)).st_mode) == 0o600
