"""The generic WeasyPrint helper lives in academy.core.pdf (shared with retention); reports use it from here."""

from academy.core.pdf import (
    PDF_VARIANT,
    STATIC_ORIGIN,
    RefusedResource,
    StaticOnlyFetcher,
    font_configuration,
    html_to_pdf,
    render_pdf_template,
    sha256_hex,
)

__all__ = [
    "PDF_VARIANT",
    "STATIC_ORIGIN",
    "RefusedResource",
    "StaticOnlyFetcher",
    "font_configuration",
    "html_to_pdf",
    "render_pdf_template",
    "sha256_hex",
]
