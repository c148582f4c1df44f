"""Sign-in, password and staff-account forms: input shape only."""

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import EmailField, PasswordField, SelectChoice, SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from academy.accounts.models import Role
from academy.core.forms import AcademyForm

STAFF_ROLE_CHOICES = [
    SelectChoice(
        Role.MENTOR.value, "Mentor or assessor: supports, assesses or line-manages the NQSWs assigned to them"
    ),
    SelectChoice(
        Role.COORDINATOR.value, "Coordinator: runs the academy (cohorts, people, assignments, moderation, reports)"
    ),
]


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class SignInForm(AcademyForm):
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        validators=[DataRequired(message="Enter your email address")],
    )
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[DataRequired(message="Enter your password")],
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


def _new_password_fields() -> tuple[PasswordField, PasswordField]:
    password = PasswordField(
        "New password",
        widget=GovPasswordInput(),
        description=(
            "At least 12 characters. Three or more random words make a password that is easy to remember "
            "and hard to guess. Common passwords are refused."
        ),
        validators=[
            DataRequired(message="Enter a new password"),
            Length(min=12, message="Your password must be at least 12 characters long"),
            Length(max=256, message="Your password must be 256 characters or fewer"),
        ],
    )
    confirm = PasswordField(
        "Confirm new password",
        widget=GovPasswordInput(),
        validators=[
            DataRequired(message="Enter the new password again"),
            EqualTo("password", message="The passwords do not match"),
        ],
    )
    return password, confirm


class SetPasswordForm(AcademyForm):
    password, confirm = _new_password_fields()
    submit = SubmitField("Set password", widget=GovSubmitInput())


class ChangePasswordForm(AcademyForm):
    current_password = PasswordField(
        "Current password",
        widget=GovPasswordInput(),
        validators=[DataRequired(message="Enter your current password")],
    )
    password, confirm = _new_password_fields()
    submit = SubmitField("Change password", widget=GovSubmitInput())


class EmailOnlyForm(AcademyForm):
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        validators=[DataRequired(message="Enter an email address"), Email(message="Enter a valid email address")],
    )


class ForgotPasswordForm(AcademyForm):
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        filters=[_strip],
        description="The address you sign in with.",
        validators=[
            DataRequired(message="Enter your email address"),
            Email(message="Enter an email address in the correct format, like name@example.org"),
        ],
    )
    submit = SubmitField("Send me a link", widget=GovSubmitInput())


class StaffForm(AcademyForm):
    name = StringField(
        "Full name",
        widget=GovTextInput(),
        filters=[_strip],
        validators=[DataRequired(message="Enter the person's full name"), Length(max=200)],
    )
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        filters=[_strip],
        description="Their work address: the invitation to set a password goes here.",
        validators=[
            DataRequired(message="Enter the person's email address"),
            Email(message="Enter an email address in the correct format, like name@example.org"),
            Length(max=254),
        ],
    )
    roles = SelectMultipleField(
        "Roles",
        widget=GovCheckboxesInput(),
        choices=STAFF_ROLE_CHOICES,
        validators=[DataRequired(message="Choose at least one role")],
    )
    submit = SubmitField("Add and send invitation", widget=GovSubmitInput())


class RolesForm(AcademyForm):
    roles = SelectMultipleField("Staff roles", widget=GovCheckboxesInput(), choices=STAFF_ROLE_CHOICES)
    submit = SubmitField("Save roles", widget=GovSubmitInput())
