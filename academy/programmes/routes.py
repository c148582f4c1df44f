"""Programmes: the list and each programme's editable settings (coordinators only)."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from academy.accounts.policies import can_manage_academy
from academy.core.web import requires, run_service
from academy.extensions import db
from academy.programmes import bp
from academy.programmes.forms import settings_form_for
from academy.programmes.models import Programme
from academy.programmes.policies import can_edit_programme
from academy.programmes.queries import load_programme, programmes_in_order
from academy.programmes.services import ensure_default_programmes, proposed_from, settings_form_data, update_settings


@bp.get("/programmes")
@requires(can_manage_academy)
def index():
    ensure_default_programmes()
    db.session.commit()
    programmes = programmes_in_order()
    return render_template(
        "programmes/index.html", programmes=programmes, proposed={p.id: proposed_from(p) for p in programmes}
    )


@bp.route("/programmes/<int:programme_id>", methods=["GET", "POST"])
@requires(can_edit_programme, load=load_programme)
def edit(programme: Programme):
    form = settings_form_for(programme, data=settings_form_data(programme))
    if not form.is_submitted():
        form.stamp(programme.version, settings_form_data(programme))
    if form.validate_on_submit() and run_service(
        form, lambda: update_settings(programme, form.data, actor=current_user, loaded=form.loaded()), field="submit"
    ):
        flash(f"{programme.name} saved. Existing cohorts keep the settings they started with.", "success")
        return redirect(url_for("programmes.edit", programme_id=programme.id))
    return render_template("programmes/edit.html", programme=programme, form=form), 400 if form.errors else 200
