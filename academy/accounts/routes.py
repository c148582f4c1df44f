"""Sign in, sign out, set a password from an invitation."""

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from academy.accounts import bp
from academy.accounts.forms import SetPasswordForm, SignInForm
from academy.accounts.policies import is_signed_in
from academy.accounts.services import accept_invitation, authenticate, find_valid_invitation
from academy.core.web import public, requires, run_service
from academy.extensions import db

WRONG_CREDENTIALS = "Enter a correct email address and password. Both may be case-sensitive."
THROTTLED = "Too many failed attempts. Wait 15 minutes and try again, or ask your coordinator to reset it."


def _safe_next(target: str | None) -> str:
    """Only same-site paths are followed after sign-in (no open redirect)."""
    if target and urlsplit(target).netloc == "" and urlsplit(target).scheme == "" and target.startswith("/"):
        return target
    return url_for("home.index")


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignInForm()
    if form.validate_on_submit():
        result = authenticate(form.email.data, form.password.data, request.remote_addr or "unknown")
        db.session.commit()
        if result.user is not None:
            login_user(result.user)
            return redirect(_safe_next(request.args.get("next")))
        form.email.errors.append(THROTTLED if result.throttled else WRONG_CREDENTIALS)
    return render_template("accounts/sign_in.html", form=form), 200 if not form.errors else 400


@bp.post("/sign-out")
@requires(is_signed_in)
def sign_out():
    logout_user()
    flash("You have signed out.", "success")
    return redirect(url_for("accounts.sign_in"))


@bp.route("/set-password/<token>", methods=["GET", "POST"])
@public  # the invitation token is the credential
def set_password(token: str):
    if find_valid_invitation(token) is None:
        return render_template("accounts/invitation_invalid.html"), 410
    form = SetPasswordForm()
    if form.validate_on_submit() and (
        done := run_service(form, lambda: accept_invitation(token, form.password.data), field="password")
    ):
        logout_user()
        flash("Your password is set. Sign in with it now.", "success")
        return redirect(url_for("accounts.sign_in", email=done.value.email))
    return render_template("accounts/set_password.html", form=form)
