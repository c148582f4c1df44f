"""Small helpers shared by the cohort tests."""

from datetime import date


def date_parts(value: date) -> list[str]:
    """A date as the three inputs (day, month, year) of a GOV.UK date field."""
    return [str(value.day), str(value.month), str(value.year)]
