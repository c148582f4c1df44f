"""HTML to archival PDF with WeasyPrint: a locked-down URL fetcher, one font setup per process, PDF/A-3b."""

import hashlib
import mimetypes
import warnings
from pathlib import Path
from typing import Any

from flask import Flask, current_app, render_template
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse
from werkzeug.security import safe_join

# Print templates refer to the app's static files under this made-up origin; nothing else is fetched.
STATIC_ORIGIN = "https://academy.invalid/static/"
PDF_VARIANT = "pdf/a-3b"

_font_config: FontConfiguration | None = None
_image_cache: dict = {}


class RefusedResource(ValueError):
    """A print template asked for something outside the app's static files."""


class StaticOnlyFetcher(URLFetcher):
    """Serves the app's own static files and inline data: URIs; refuses network and file: URLs."""

    def __init__(self, static_folder: str) -> None:
        super().__init__(allowed_protocols={"data", "https"}, allow_redirects=False)
        self.static_folder = static_folder

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)  # decoded in memory by urllib's DataHandler
        if not url.startswith(STATIC_ORIGIN):
            raise RefusedResource(f"Refused to fetch {url}: only the app's static files may be used.")
        relative = url.removeprefix(STATIC_ORIGIN).split("?", 1)[0].split("#", 1)[0]
        path = safe_join(self.static_folder, relative)
        if path is None or not Path(path).is_file():
            raise RefusedResource(f"No static file {relative}.")
        mime_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, Path(path).read_bytes(), {"Content-Type": mime_type})


def font_configuration() -> FontConfiguration:
    """One FontConfiguration per process: fonts are looked up once, not for every document."""
    global _font_config
    if _font_config is None:
        _font_config = FontConfiguration()
    return _font_config


def html_to_pdf(html: str, app: Flask | None = None) -> bytes:
    """Render `html` to PDF/A-3b bytes; title, author and subject come from its <title> and <meta>."""
    app = app or current_app
    document = HTML(string=html, base_url=STATIC_ORIGIN, url_fetcher=StaticOnlyFetcher(app.static_folder or ""))
    with warnings.catch_warnings():
        # WeasyPrint 70 reads its sRGB profile for PDF/A without closing the file.
        warnings.simplefilter("ignore", ResourceWarning)
        return document.write_pdf(
            pdf_variant=PDF_VARIANT,
            font_config=font_configuration(),
            cache=_image_cache,
            uncompressed_pdf=False,
        )


def render_pdf_template(template: str, **context: Any) -> tuple[str, bytes]:
    """Render a template from templates/pdf/ to (html, pdf bytes)."""
    html = render_template(template, static_url=STATIC_ORIGIN, **context)
    return html, html_to_pdf(html)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
