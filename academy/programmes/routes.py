"""Programmes: the list and each programme's editable settings (coordinators only)."""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from academy.accounts.models import Role
from academy.core.errors import DomainError
from academy.core.web import role_required
from academy.extensions import db
from academy.programmes import bp
from academy.programmes.forms import settings_form_for
from academy.programmes.models import Programme
from academy.programmes.services import ensure_default_programmes, settings_form_data, update_settings


@bp.get("/programmes")
@role_required(Role.COORDINATOR)
def index():
    ensure_default_programmes()
    db.session.commit()
    programmes = db.session.scalars(sa.select(Programme).order_by(Programme.is_default.desc(), Programme.name)).all()
    return render_template("programmes/index.html", programmes=programmes)


@bp.route("/programmes/<int:programme_id>", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def edit(programme_id: int):
    programme = db.session.get(Programme, programme_id)
    if programme is None:
        abort(404)
    form = settings_form_for(programme, data=settings_form_data(programme))
    if form.validate_on_submit():
        try:
            update_settings(programme, form.data, actor=current_user)
        except DomainError as error:
            form.submit.errors = [error.message]
        else:
            db.session.commit()
            flash(f"{programme.name} saved. Existing cohorts keep the settings they started with.", "success")
            return redirect(url_for("programmes.edit", programme_id=programme.id))
    return render_template("programmes/edit.html", programme=programme, form=form), 400 if form.errors else 200
