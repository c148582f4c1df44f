"""Forms of the reports area: checking a copy against the issued original, starting a batch."""

from flask_wtf.file import FileAllowed, FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovSubmitInput, GovTextInput
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length, Regexp

from academy.core.forms import AcademyForm


class VerifyForm(AcademyForm):
    reference = StringField(
        "Document reference",
        widget=GovTextInput(),
        description="Printed at the top of every page after the first, for example PR-2026-3F9A-C27B.",
        validators=[
            DataRequired(message="Enter the document reference"),
            Length(max=40, message="A document reference is at most 40 characters"),
            Regexp(
                r"^\s*[A-Za-z]{2}-\d{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}\s*$",
                message="Enter the reference as it is printed, for example PR-2026-3F9A-C27B",
            ),
        ],
    )
    file = FileField(
        "PDF file",
        widget=GovFileInput(),
        description="The copy you were given. It is only compared, never stored.",
        validators=[
            FileRequired(message="Choose the PDF file to check"),
            FileAllowed(["pdf"], message="The file must be a PDF"),
        ],
    )
    submit = SubmitField("Check the document", widget=GovSubmitInput())


class StartBatchForm(AcademyForm):
    submit = SubmitField("Build the ZIP of every record", widget=GovSubmitInput())
