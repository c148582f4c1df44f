"""Apps with committed data for report tests that render PDFs once per module or use other processes."""

import io
from collections.abc import Iterator
from contextlib import contextmanager

import pypdf
from flask import Flask

from academy.extensions import db
from tests.conftest import FormClient, make_test_app


@contextmanager
def committed_app(tmp_path_factory, label: str, **overrides) -> Iterator[Flask]:
    """A separate app on its own database, whose data is committed (worker processes can read it)."""
    app, cleanup = make_test_app(tmp_path_factory.mktemp(label), label, **overrides)
    app.test_client_class = FormClient
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
        cleanup()


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page of a PDF, read back with pypdf."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [page.extract_text() for page in reader.pages]
