"""Form pieces every feature uses: the GOV.UK date field and button-only forms."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import (
    DateField,
    SubmitField,
)
from wtforms.validators import DataRequired, Optional

from academy.core.widgets import DateInput

DATE_FORMAT = "%d %m %Y"


def date_field(label: str, *, required: bool = True, message: str = "", description: str = "") -> DateField:
    validators = [DataRequired(message=message or f"Enter the {label.lower()} as day, month and year")]
    return DateField(
        label,
        format=DATE_FORMAT,
        widget=DateInput(),
        description=description or "For example, 7 9 2026",
        validators=validators if required else [Optional()],
    )


class SimpleForm(FlaskForm):
    """A button-only form (close a cohort, resend an invitation): only the CSRF token."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())
