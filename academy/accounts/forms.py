"""Sign-in and password forms."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length


class SignInForm(FlaskForm):
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


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        "New password",
        widget=GovPasswordInput(),
        description="At least 12 characters.",
        validators=[
            DataRequired(message="Enter a new password"),
            Length(min=12, message="Password must be at least 12 characters long"),
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
    submit = SubmitField("Set password", widget=GovSubmitInput())


class EmailOnlyForm(FlaskForm):
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        validators=[DataRequired(message="Enter an email address"), Email(message="Enter a valid email address")],
    )
