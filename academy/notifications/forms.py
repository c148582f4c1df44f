"""The email settings form."""

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovSubmitInput
from wtforms import SelectChoice, SelectMultipleField, SubmitField

from academy.core.forms import AcademyForm
from academy.notifications.models import NotificationKind


class EmailSettingsForm(AcademyForm):
    kinds = SelectMultipleField(
        "Email me about these",
        choices=[SelectChoice(kind.value, kind.label) for kind in NotificationKind],
        widget=GovCheckboxesInput(),
        validate_choice=True,
    )
    submit = SubmitField("Save settings", widget=GovSubmitInput())
