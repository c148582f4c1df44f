"""Forms for importing, editing and mapping frameworks."""

from pathlib import PurePath
from typing import Any

from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from academy.core.forms import AcademyForm
from academy.frameworks.models import Framework, MappingKind
from academy.frameworks.transfer import FileProblem, check_metadata
from academy.programmes.models import ServiceArea

# The details a CSV file does not carry, typed into the import form (a JSON file has its own).
# However bad a file, the page lists this many of its problems and counts the rest.
SHOWN_PROBLEMS = 100
CSV_DETAILS = ("code", "name", "version", "publisher", "valid_from", "valid_to", "service_area", "source")


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as the choices WTForms wants."""
    return [SelectChoice(value, label) for value, label in pairs]


class ImportForm(AcademyForm):
    file = FileField(
        "Framework file",
        widget=GovFileInput(),
        description="A .csv or .json file in the format described in docs/framework-format.md.",
    )
    code = StringField(
        "Code",
        widget=GovTextInput(),
        description="CSV only. Upper-case letters, digits and _, for example ECS_2027.",
        validators=[Optional()],
    )
    name = StringField("Name", widget=GovTextInput(), description="CSV only.", validators=[Optional()])
    version = StringField("Version", widget=GovTextInput(), description="CSV only, for example 2027.")
    publisher = StringField("Publisher", widget=GovTextInput(), description="CSV only.")
    valid_from = StringField(
        "Valid from", widget=GovTextInput(), description="CSV only. A date written YYYY-MM-DD, for example 2027-04-01."
    )
    valid_to = StringField(
        "Valid to (optional)", widget=GovTextInput(), description="CSV only. YYYY-MM-DD, or leave empty."
    )
    service_area = SelectField(
        "Service area",
        widget=GovSelect(),
        choices=choices((a.value, a.label) for a in ServiceArea),
        default=ServiceArea.ALL.value,
        description="CSV only.",
    )
    source = TextAreaField(
        "Source (optional)", widget=GovTextArea(), description="CSV only. The document's title and web address."
    )
    submit = SubmitField("Import framework", widget=GovSubmitInput())

    def __init__(self, **kwargs: Any) -> None:
        """The form; `problems` fills in when an import refuses the file."""
        super().__init__(**kwargs)
        self.problems: list[FileProblem] = []

    @property
    def file_format(self) -> str:
        """The chosen file's extension, lower case and without the dot (csv and json are accepted)."""
        upload = self.file.data
        return PurePath(upload.filename or "").suffix.lower()[1:] if upload else ""

    def details(self) -> dict[str, Any]:
        """The CSV details as typed, trimmed."""
        return {name: (getattr(self, name).data or "").strip() for name in CSV_DETAILS}

    def validate_file(self, field: FileField) -> None:
        """A .csv or .json file must be chosen."""
        if not field.data or not field.data.filename:
            raise ValidationError("Choose a framework file")
        if self.file_format not in {"csv", "json"}:
            raise ValidationError("The file must be a .csv or .json file")

    def validate(self, extra_validators=None) -> bool:
        """The fields, then for a CSV file its details (the source is optional here)."""
        if not super().validate(extra_validators):
            return False
        if self.file_format == "csv":
            for problem in check_metadata(self.details(), path=""):
                if problem.column != "source":
                    getattr(self, problem.column).errors = [problem.message]
        return not self.errors

    def refuse(self, problems: list[FileProblem]) -> None:
        """Show the problems the import found in the file: the first SHOWN_PROBLEMS, and how many more."""
        if len(problems) > SHOWN_PROBLEMS:
            more = len(problems) - SHOWN_PROBLEMS
            problems = [*problems[:SHOWN_PROBLEMS], FileProblem("File", "", f"and {more:,} more problems.")]
        self.problems = problems
        self.file.errors = [str(problem) for problem in problems]

    def error_list(self) -> list[dict[str, str]]:
        """The error summary: every problem in the file, then the first error of each other field."""
        return [{"text": str(problem), "href": "#file"} for problem in self.problems] + [
            {"text": field.errors[0], "href": f"#{field.id}"}
            for field in self
            if field.errors and not (self.problems and field.name == "file")
        ]


class ElementForm(AcademyForm):
    title = StringField(
        "Title",
        widget=GovTextInput(),
        validators=[
            DataRequired(message="Enter a title"),
            Length(max=300, message="Title must be 300 characters or fewer"),
        ],
    )
    description = TextAreaField("Description (optional)", widget=GovTextArea())
    submit = SubmitField("Save", widget=GovSubmitInput())


class NewElementForm(ElementForm):
    parent = SelectField("Goes under", widget=GovSelect(), choices=[])
    number = StringField(
        "Number",
        widget=GovTextInput(),
        description="Unique in this framework, for example 3.4.",
        validators=[
            DataRequired(message="Enter a number"),
            Length(max=20, message="Number must be 20 characters or fewer"),
        ],
    )
    level = StringField(
        "Level (optional)", widget=GovTextInput(), description="For PCF statements: asye or social_worker."
    )
    submit = SubmitField("Add element", widget=GovSubmitInput())

    def __init__(self, framework: Framework, **kwargs: Any) -> None:
        """The form, offering `framework`'s elements as parents."""
        super().__init__(**kwargs)
        self.parent.choices = choices(
            [("", "Nothing: a top-level element")] + [(str(e.id), e.label[:120]) for e in framework.elements]
        )


class ConfirmForm(AcademyForm):
    submit = SubmitField("Remove element", widget=GovSubmitInput())


class MappingForm(AcademyForm):
    kind = RadioField(
        "Kind of mapping",
        widget=GovRadioInput(),
        choices=choices(
            [
                (MappingKind.CROSS.value, "Cross-mapping: evidence for one element also shows against the other"),
                (MappingKind.VERSION.value, "Version mapping: a rating on the old element counts for the new one"),
            ]
        ),
        default=MappingKind.CROSS.value,
        validators=[DataRequired(message="Choose the kind of mapping")],
    )
    source = SelectField("From element", widget=GovSelect(), choices=[])
    target = SelectField("To element", widget=GovSelect(), choices=[])
    submit = SubmitField("Add mapping", widget=GovSubmitInput())

    def __init__(self, framework: Framework, other: Framework, **kwargs: Any) -> None:
        """The form, mapping from `framework`'s elements to `other`'s."""
        super().__init__(**kwargs)
        self.source.choices = choices([(str(e.id), e.label[:120]) for e in framework.elements])
        self.target.choices = choices([(str(e.id), e.label[:120]) for e in other.elements])


class MoveCohortForm(AcademyForm):
    cohort = SelectField("Cohort", widget=GovSelect(), choices=[])
    target = SelectField("Move to", widget=GovSelect(), choices=[])
    submit = SubmitField("Preview the move", widget=GovSubmitInput())

    def __init__(self, cohorts: list, targets: list[Framework], suggested: Framework | None, **kwargs: Any) -> None:
        """The form for `cohorts` (each with an id and a name), preselecting `suggested` until it is posted."""
        super().__init__(**kwargs)
        self.cohort.choices = choices([(str(c.id), c.name) for c in cohorts])
        self.target.choices = choices([(str(f.id), f"{f.code} {f.version}: {f.name}") for f in targets])
        if suggested is not None and not self.is_submitted():
            self.target.data = str(suggested.id)
