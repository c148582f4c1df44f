"""Form pieces every feature uses: the base form with its input guards, the GOV.UK date field and
button-only forms.

Every form is an `AcademyForm`. Its Meta puts one guard first on each field, by the field's kind, so
that no posted value reaches a service or the database unless it has the shape the column holds, and
a refusal is a message next to the field, never a 500:

- whole numbers: ASCII digits 0 to 9 only (int() would take Arabic-Indic digits), at most 9 of them,
  so the value fits a 32-bit column;
- decimal numbers: the same, with up to 6 places; no NaN, Infinity or exponents (Decimal takes them,
  and a NaN then breaks a NumberRange comparison or reaches the database);
- dates: digits 0 to 9, years 1900 to 2200 (year 1 or 9999 would overflow the date arithmetic);
- text of every kind (inputs, text areas, hidden fields, choices): no NUL or other control
  characters (PostgreSQL refuses NUL in text), and a length cap: a text field that declares no
  Length gets TEXT_LIMIT, a text area LONG_TEXT_LIMIT.

tests/test_forms_are_guarded.py holds that every form in the app is an AcademyForm, and
tests/test_hostile_input.py posts hostile values to every form.
"""

import re
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import (
    DateField,
    DecimalField,
    Field,
    FileField,
    FloatField,
    IntegerField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, StopValidation

from academy.core.widgets import DateInput

DATE_FORMAT = "%d %m %Y"
TEXT_LIMIT = 1000
LONG_TEXT_LIMIT = 20_000
FIRST_YEAR, LAST_YEAR = 1900, 2200
WHOLE_NUMBER = re.compile(r"^[+-]?[0-9]{1,9}$")
DECIMAL_NUMBER = re.compile(r"^[+-]?(?:[0-9]{1,9}(?:\.[0-9]{0,6})?|\.[0-9]{1,6})$")
DATE_PART = re.compile(r"^[0-9]{0,4}$")
# C0 and C1 control characters except tab, line feed and carriage return.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _raw_values(field: Field) -> list[str]:
    return [value for value in (field.raw_data or []) if isinstance(value, str)]


def _refuse(field: Field, message: str) -> None:
    """Stop the field's validation with `message` as its one error (in place of a parsing error such as
    "Not a valid date value", which says less)."""
    field.data = None
    field.errors = []
    raise StopValidation(message)


def guard_whole_number(form: Any, field: Field) -> None:
    for value in _raw_values(field):
        if value.strip() and not WHOLE_NUMBER.match(value.strip()):
            _refuse(field, "Enter a whole number using the digits 0 to 9, like 12.")


def guard_decimal_number(form: Any, field: Field) -> None:
    for value in _raw_values(field):
        if value.strip() and not DECIMAL_NUMBER.match(value.strip()):
            _refuse(field, "Enter a number using the digits 0 to 9, like 3 or 3.5.")


def guard_date(form: Any, field: Field) -> None:
    if any(not DATE_PART.match(part.strip()) for part in _raw_values(field)):
        _refuse(field, "Enter the date as day, month and year using the digits 0 to 9, like 7 9 2026.")
    if field.data is not None and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
        _refuse(field, f"Enter a year from {FIRST_YEAR} to {LAST_YEAR}.")


def _declares_length(field: Field) -> bool:
    return any(isinstance(v, Length) and v.max is not None and v.max >= 0 for v in field.validators)


def guard_text(form: Any, field: Field) -> None:
    """No control characters; and a cap on the length of a field that declares none (a field with its own
    Length keeps its own message)."""
    values = _raw_values(field)
    if any(CONTROL.search(value) for value in values):
        _refuse(field, "Remove the hidden control characters (they can come from pasting) and try again.")
    if _declares_length(field):
        return
    limit = LONG_TEXT_LIMIT if isinstance(field, TextAreaField) else TEXT_LIMIT
    if any(len(value) > limit for value in values):
        _refuse(field, f"This must be {limit:,} characters or fewer.")


def guard_for(field: Field):
    """The guard a field of this kind gets (None for a file or a button)."""
    if isinstance(field, IntegerField):
        return guard_whole_number
    if isinstance(field, DecimalField | FloatField):
        return guard_decimal_number
    if isinstance(field, DateField):
        return guard_date
    if isinstance(field, FileField | SubmitField):
        return None
    return guard_text


class AcademyForm(FlaskForm):
    """The base of every form: Flask-WTF's (CSRF included) with a guard first on each field."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            field = super().bind_field(form, unbound_field, options)  # type: ignore[misc]
            guard = guard_for(field)
            if guard is not None:
                field.validators = [guard, *field.validators]
            return field


def date_field(label: str, *, required: bool = True, message: str = "", description: str = "") -> DateField:
    validators = [DataRequired(message=message or f"Enter the {label.lower()} as day, month and year")]
    return DateField(
        label,
        format=DATE_FORMAT,
        widget=DateInput(),
        description=description or "For example, 7 9 2026",
        validators=validators if required else [Optional()],
    )


class SimpleForm(AcademyForm):
    """A button-only form (close a cohort, resend an invitation): only the CSRF token."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())
