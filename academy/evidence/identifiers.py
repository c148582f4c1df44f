"""Warnings (never blocks) when a narrative looks as if it identifies someone.

Three patterns: an NHS number whose mod-11 check digit is valid, a date of birth (a date introduced
by "DOB", "date of birth" or "born"), and a full UK postcode. Each warning says what was found and
where (line number and the words around it) so the NQSW can find it and decide.
"""

import re
from dataclasses import dataclass

NHS_PATTERN = re.compile(r"(?<![\d])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![\d])")
MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
DATE = (
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{MONTHS})\.?,?\s+\d{{2,4}}"
    rf"|(?:{MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{2,4}})"
)
DOB_PATTERN = re.compile(
    rf"\b(?:d\.?\s?o\.?\s?b\.?|date\s+of\s+birth|born(?:\s+on)?)\s*[:\-]?\s*(?:is\s+|was\s+)?({DATE})",
    re.IGNORECASE,
)
# Outward code (area, district) then inward code (sector digit, unit letters). Inward letters never
# include C, I, K, M, O or V.
POSTCODE_PATTERN = re.compile(
    r"\b((?:[A-PR-UWYZ][0-9]{1,2}|[A-PR-UWYZ][A-HK-Y][0-9]{1,2}|[A-PR-UWYZ][0-9][A-HJKPSTUW]"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])\s?[0-9][ABD-HJLNP-UW-Z]{2})\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class IdentifierWarning:
    kind: str  # "nhs_number", "date_of_birth", "postcode"
    found: str
    line: int
    excerpt: str

    @property
    def label(self) -> str:
        return {"nhs_number": "an NHS number", "date_of_birth": "a date of birth", "postcode": "a full postcode"}[
            self.kind
        ]

    @property
    def message(self) -> str:
        return f"Line {self.line} seems to contain {self.label}: \u201c{self.excerpt}\u201d"


def nhs_number_is_valid(digits: str) -> bool:
    """The NHS number mod-11 check: weights 10..2 on the first nine digits; 10 is never valid."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _where(text: str, start: int, end: int) -> tuple[int, str]:
    line = text.count("\n", 0, start) + 1
    left = max(text.rfind("\n", 0, start) + 1, start - 30)
    right_nl = text.find("\n", end)
    right = min(end + 30, len(text) if right_nl == -1 else right_nl)
    excerpt = text[left:right].strip()
    if left > 0 and text[left - 1] != "\n":
        excerpt = "\u2026" + excerpt
    if right < len(text) and text[right] != "\n":
        excerpt += "\u2026"
    return line, excerpt


def find_identifiers(text: str) -> list[IdentifierWarning]:
    """Everything in `text` that looks like an identifier, in order of position."""
    found: list[tuple[int, IdentifierWarning]] = []
    text = text or ""
    for match in NHS_PATTERN.finditer(text):
        if nhs_number_is_valid("".join(match.groups())):
            line, excerpt = _where(text, match.start(), match.end())
            found.append((match.start(), IdentifierWarning("nhs_number", match.group(0), line, excerpt)))
    for match in DOB_PATTERN.finditer(text):
        line, excerpt = _where(text, match.start(), match.end())
        found.append((match.start(), IdentifierWarning("date_of_birth", match.group(1), line, excerpt)))
    for match in POSTCODE_PATTERN.finditer(text):
        line, excerpt = _where(text, match.start(), match.end())
        found.append((match.start(), IdentifierWarning("postcode", match.group(1), line, excerpt)))
    return [w for _, w in sorted(found, key=lambda pair: pair[0])]
