"""Sign in and out, passwords (from a link, forgotten, changed), the people pages and the development outbox."""

import math
from datetime import timedelta
from urllib.parse import urlsplit

from flask import (
    Flask,
    abort,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user
from markupsafe import Markup

from academy.accounts import bp
from academy.accounts.forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    RolesForm,
    SetPasswordForm,
    SignInForm,
    StaffForm,
)
from academy.accounts.mailing import delivery_message, send_link
from academy.accounts.models import LinkPurpose, Role, SessionEnd, User
from academy.accounts.policies import can_manage_academy, can_manage_account, is_signed_in
from academy.accounts.queries import PEOPLE_ROLES, PEOPLE_STATUSES, latest_links, load_account, people_query
from academy.accounts.services import (
    accept_invitation,
    add_staff,
    authenticate,
    change_password,
    create_invitation,
    find_valid_invitation,
    request_password_reset,
    set_active,
    set_staff_roles,
)
from academy.accounts.sessions import end_session, load_session_user, start_session
from academy.core.errors import DomainError
from academy.core.forms import SimpleForm
from academy.core.mail import outbox_enabled, outbox_messages
from academy.core.web import page_number, public, requires, run_service
from academy.extensions import db, login_manager
from academy.participants.queries import participations, staff_workload, workload_words

WRONG_CREDENTIALS = "Enter a correct email address and password. Both may be case-sensitive."
SESSION_ENDED = {
    SessionEnd.IDLE: "You were signed out because you had not done anything for a while.",
    SessionEnd.EXPIRED: "You were signed out because you had been signed in for a long time.",
    SessionEnd.DEACTIVATED: "You were signed out because your account has been deactivated.",
}


# --- the signed-in session: a token in the cookie, a row on the server (accounts/sessions.py) ---


@login_manager.user_loader
def _load_user(token: str) -> User | None:
    user, ended = load_session_user(token)
    if ended is not None:
        g.session_ended = ended
    return user


@bp.before_app_request
def _check_session() -> None:
    """Decide who is signed in before any view runs, and save what that changed (a lapsed session ended,
    last_seen_at moved on) while nothing else is pending, so that no view's work is committed by it."""
    if request.endpoint in (None, "static"):
        return  # static files, and URLs that match no page (a 404 whoever asks), need nobody signed in
    _ = current_user.is_authenticated  # runs the user loader
    if db.session.dirty:
        db.session.commit()
    ended = g.pop("session_ended", None)
    if ended is not None:
        session.clear()
        if ended in SESSION_ENDED:
            flash(SESSION_ENDED[ended], "info")


def _start_browser_session(user: User) -> None:
    """Sign this browser in with a new session: a fresh token, and a fresh Flask session (so a CSRF token
    or anything else from before signing in does not carry over)."""
    start_session(user, remote_addr=request.remote_addr or "unknown", user_agent=request.user_agent.string or "unknown")
    db.session.commit()
    session.clear()
    login_user(user)


def _end_browser_session() -> None:
    token = session.get("_user_id")
    if token:
        end_session(token)
        db.session.commit()
    logout_user()
    session.clear()


def _safe_next(target: str | None) -> str:
    """Only same-site paths are followed after sign-in (no open redirect)."""
    if target and urlsplit(target).netloc == "" and urlsplit(target).scheme == "" and target.startswith("/"):
        return target
    return url_for("home.index")


def wait_words(wait: timedelta) -> str:
    """ "Too many failed attempts. Wait 30 seconds before trying again." (rounded up)."""
    seconds = max(1, math.ceil(wait.total_seconds()))
    if seconds < 90:
        amount = f"{seconds} second{'s' if seconds != 1 else ''}"
    else:
        minutes = math.ceil(seconds / 60)
        amount = f"{minutes} minutes"
    return f"Too many failed attempts. Wait {amount} before trying again."


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
            _start_browser_session(result.user)
            return redirect(_safe_next(request.args.get("next")))
        form.email.errors.append(wait_words(result.wait) if result.wait else WRONG_CREDENTIALS)
    return render_template("accounts/sign_in.html", form=form), 200 if not form.errors else 400


@bp.post("/sign-out")
@requires(is_signed_in)
def sign_out():
    _end_browser_session()
    flash("You have signed out.", "success")
    return redirect(url_for("accounts.sign_in"))


@bp.route("/set-password/<token>", methods=["GET", "POST"])
@public  # the token in the link is the credential
def set_password(token: str):
    invitation = find_valid_invitation(token)
    if invitation is None:
        return render_template("accounts/invitation_invalid.html"), 410
    form = SetPasswordForm()
    if form.validate_on_submit() and (
        done := run_service(form, lambda: accept_invitation(token, form.password.data), field="password")
    ):
        _end_browser_session()  # every session of the account has ended; this browser signs in afresh
        flash("Your password is set. Sign in with it now.", "success")
        return redirect(url_for("accounts.sign_in", email=done.value.email))
    reset = invitation.purpose == LinkPurpose.PASSWORD_RESET
    return render_template("accounts/set_password.html", form=form, reset=reset), 400 if form.errors else 200


@bp.route("/forgot-password", methods=["GET", "POST"])
@public
def forgot_password():
    """The answer is the same whether or not the email has an account (nothing tells which), and so is the
    time it takes: the link is made and emailed only after the response has gone (see `_send_reset_link`)."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        response = make_response(
            render_template(
                "accounts/forgot_password_sent.html",
                email=form.email.data.strip(),
                mail_server=bool(current_app.config.get("MAIL_SERVER")),
                outbox=outbox_enabled(),
            )
        )
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        email = form.email.data
        response.call_on_close(lambda: _send_reset_link(app, email))
        return response
    return render_template("accounts/forgot_password.html", form=form), 400 if form.errors else 200


def _send_reset_link(app: Flask, email: str) -> None:
    """Make and email a reset link for `email` if it has an account, once the page has been sent: a known
    email then takes no longer to answer than an unknown one. A failure is logged, never shown."""
    with app.app_context():
        try:
            made = request_password_reset(email)
            db.session.commit()
            if made is not None:
                user, token = made
                send_link(user, token, purpose=LinkPurpose.PASSWORD_RESET)
                db.session.commit()  # records whether it was emailed
        except Exception:
            db.session.rollback()
            app.logger.exception("Password reset link for a requested email could not be made or sent")
        finally:
            db.session.remove()


@bp.get("/account")
@requires(is_signed_in)
def account():
    return render_template("accounts/account.html", user=current_user)


@bp.route("/account/password", methods=["GET", "POST"])
@requires(is_signed_in)
def change_own_password():
    form = ChangePasswordForm()
    user = current_user._get_current_object()
    if form.validate_on_submit() and run_service(
        form,
        lambda: change_password(user, form.current_password.data, form.password.data),
        field="current_password",
    ):
        _start_browser_session(user)  # every session ended with the old password; this one goes on afresh
        flash("Your password has been changed. Use the new one next time you sign in.", "success")
        return redirect(url_for("accounts.account"))
    return render_template("accounts/change_password.html", form=form), 400 if form.errors else 200


# --- people: coordinators manage staff accounts and find anyone ---


@bp.get("/people")
@requires(can_manage_academy)
def people():
    search = request.args.get("q", "")[:200]
    role = request.args.get("role", "")
    status = request.args.get("status", "")
    pagination = db.paginate(people_query(search, role, status), page=page_number(), per_page=50, error_out=False)
    ids = [user.id for user in pagination.items]
    workload = staff_workload()
    return render_template(
        "accounts/people.html",
        pagination=pagination,
        search=search,
        role=role,
        status=status,
        roles=PEOPLE_ROLES,
        statuses=PEOPLE_STATUSES,
        links=latest_links(ids),
        enrolments=participations(ids),
        held={user_id: workload_words(workload[user_id]) for user_id in workload},
    )


@bp.route("/people/new", methods=["GET", "POST"])
@requires(can_manage_academy)
def add_person():
    form = StaffForm()
    if form.validate_on_submit() and (done := run_service(form, lambda: _add(form), field="email")):
        user, token = done.value
        delivery = send_link(user, token)
        db.session.commit()  # records whether it was emailed
        message = Markup("{} has an account. {}").format(user.name, delivery_message(delivery, user, "An invitation"))
        flash(message, "success" if delivery.sent else "info")
        return redirect(url_for("accounts.person", user_id=user.id))
    return render_template("accounts/add_person.html", form=form), 400 if form.errors else 200


def _add(form: StaffForm) -> tuple[User, str]:
    user = add_staff(form.email.data, form.name.data, {Role(r) for r in form.roles.data}, actor=current_user)
    return user, create_invitation(user, actor=current_user)


def _render_person(user: User, roles_form: RolesForm | None = None, status: int = 200):
    if roles_form is None:
        roles_form = RolesForm(formdata=None, roles=[role.value for role in user.roles if role != Role.NQSW])
    workload = staff_workload().get(user.id, {})
    return render_template(
        "accounts/person.html",
        person=user,
        roles_form=roles_form,
        form=roles_form if roles_form.errors else None,
        action_form=SimpleForm(formdata=None),
        link=latest_links([user.id]).get(user.id),
        enrolments=participations([user.id]).get(user.id, []),
        held=workload_words(workload) if Role.MENTOR in user.roles or workload else None,
        holds_any=bool(workload),
    ), status


@bp.get("/people/<int:user_id>")
@requires(can_manage_account, load=load_account)
def person(user: User):
    return _render_person(user)


@bp.post("/people/<int:user_id>/roles")
@requires(can_manage_account, load=load_account)
def person_roles(user: User):
    form = RolesForm()
    if form.validate_on_submit() and run_service(
        form, lambda: set_staff_roles(user, {Role(r) for r in form.roles.data}, actor=current_user), field="roles"
    ):
        flash(f"The roles of {user.name} are saved.", "success")
        return redirect(url_for("accounts.person", user_id=user.id))
    return _render_person(user, form, 400)


@bp.post("/people/<int:user_id>/<any(deactivate, reactivate):action>")
@requires(can_manage_account, load=load_account)
def person_active(user: User, action: str):
    if not SimpleForm().validate_on_submit():
        abort(400)
    try:
        set_active(user, action == "reactivate", actor=current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "info")
        return redirect(url_for("accounts.person", user_id=user.id))
    db.session.commit()
    if action == "reactivate":
        flash(f"{user.name} can sign in again and is offered as staff again.", "success")
    else:
        flash(f"{user.name} is deactivated: they cannot sign in and are no longer offered as staff.", "success")
    return redirect(url_for("accounts.person", user_id=user.id))


@bp.post("/people/<int:user_id>/invitation")
@requires(can_manage_account, load=load_account)
def person_invite(user: User):
    if not SimpleForm().validate_on_submit():
        abort(400)
    if not user.active:
        flash(f"{user.name} is deactivated: reactivate the account before sending a link.", "info")
        return redirect(url_for("accounts.person", user_id=user.id))
    purpose = LinkPurpose.INVITATION if user.password_hash is None else LinkPurpose.PASSWORD_RESET
    token = create_invitation(user, actor=current_user, purpose=purpose)
    db.session.commit()
    delivery = send_link(user, token, purpose=purpose)
    db.session.commit()  # records whether it was emailed
    what = "A new invitation" if purpose == LinkPurpose.INVITATION else "A link to set a new password"
    flash(delivery_message(delivery, user, what), "success" if delivery.sent else "info")
    return redirect(url_for("accounts.person", user_id=user.id))


@bp.get("/outbox")
@requires(can_manage_academy)
def outbox():
    """Development only, without a mail server: the emails the app would have sent."""
    if not outbox_enabled():
        abort(404)
    return render_template("accounts/outbox.html", messages=outbox_messages())
