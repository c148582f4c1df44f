"""Coordinator pages for frameworks: list, tree, import/export, editing into versions, mappings."""

from typing import Any, cast

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from academy.accounts.policies import can_manage_academy
from academy.cohorts import moves
from academy.cohorts import queries as cohort_queries
from academy.cohorts import services as cohort_services
from academy.cohorts.models import FrameworkMove
from academy.cohorts.policies import can_move_cohort
from academy.core.errors import DomainError
from academy.core.forms import SimpleForm
from academy.core.web import csv_download, requires, run_service
from academy.extensions import db
from academy.frameworks import bp, services, transfer
from academy.frameworks.forms import ConfirmForm, ElementForm, ImportForm, MappingForm, MoveCohortForm, NewElementForm
from academy.frameworks.models import Framework, MappingKind
from academy.frameworks.policies import can_manage_framework
from academy.frameworks.queries import all_frameworks, load_element, load_framework, load_mapping, other_frameworks


@bp.get("/")
@requires(can_manage_academy)
def index():
    return render_template(
        "frameworks/index.html", frameworks=all_frameworks(), cohorts=cohort_queries.cohorts_by_framework()
    )


@bp.get("/<int:framework_id>")
@requires(can_manage_framework, load=load_framework)
def show(framework: Framework):
    return render_template(
        "frameworks/show.html",
        framework=framework,
        tree=services.element_tree(framework),
        cohorts=cohort_queries.cohorts_using(framework),
        frozen=services.is_frozen(framework),
        later=services.later_versions(framework),
        versions=services.versions_of(framework.code),
        mapped=services.mapped_frameworks(framework),
    )


@bp.get("/<int:framework_id>/export.<any(csv, json):file_format>")
@requires(can_manage_framework, load=load_framework)
def export(framework: Framework, file_format: str):
    filename = f"{framework.code}_{framework.version}.{file_format}"
    if file_format == "csv":
        return csv_download(transfer.csv_rows(framework), filename)
    return Response(
        transfer.export_json(framework),
        mimetype="application/json; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/import", methods=["GET", "POST"])
@requires(can_manage_academy)
def import_file():
    form = ImportForm()
    if form.validate_on_submit():
        try:
            framework = transfer.import_framework(form.file.data.read(), form.file_format, form.details(), current_user)
        except transfer.FrameworkFileError as error:
            db.session.rollback()  # nothing was written, but a refused import ends its transaction all the same
            form.refuse(error.problems)
        else:
            db.session.commit()
            flash(f"Imported {framework.label} with {len(framework.elements)} elements.", "success")
            return redirect(url_for("frameworks.show", framework_id=framework.id))
    return render_template("frameworks/import.html", form=form, problems=form.problems, error_list=form.error_list()), (
        400 if form.errors else 200
    )


@bp.route("/<int:framework_id>/elements/<int:element_id>/edit", methods=["GET", "POST"])
@requires(can_manage_framework, load=load_framework)
def edit_element(framework: Framework, element_id: int):
    element = load_element(framework, element_id)
    form = ElementForm(obj=element)
    if form.validate_on_submit() and (
        done := run_service(
            form,
            lambda: services.edit_element(element, form.title.data, form.description.data, current_user),
            field="title",
        )
    ):
        new_framework, _ = done.value
        if new_framework.id != framework.id:
            flash(
                f"Saved as new version {new_framework.version}. Cohorts using {framework.version} stay on it.",
                "success",
            )
        else:
            flash(f"Saved element {element.number}.", "success")
        return redirect(url_for("frameworks.show", framework_id=new_framework.id))
    return render_template(
        "frameworks/edit_element.html",
        form=form,
        framework=framework,
        element=element,
        cohorts=cohort_queries.cohorts_using(framework),
    ), (400 if form.errors else 200)


@bp.route("/<int:framework_id>/elements/new", methods=["GET", "POST"])
@requires(can_manage_framework, load=load_framework)
def new_element(framework: Framework):
    form = NewElementForm(framework)
    if form.validate_on_submit():
        parent = load_element(framework, int(form.parent.data)) if form.parent.data else None
        done = run_service(
            form,
            lambda: services.add_element(
                framework,
                parent,
                form.number.data,
                form.title.data,
                form.description.data,
                form.level.data,
                current_user,
            ),
            field="number",
        )
        if done:
            new_framework, element = done.value
            note = f" as new version {new_framework.version}" if new_framework.id != framework.id else ""
            flash(f"Added element {element.number}{note}.", "success")
            return redirect(url_for("frameworks.show", framework_id=new_framework.id))
    return render_template(
        "frameworks/new_element.html", form=form, framework=framework, cohorts=cohort_queries.cohorts_using(framework)
    ), (400 if form.errors else 200)


@bp.route("/<int:framework_id>/elements/<int:element_id>/remove", methods=["GET", "POST"])
@requires(can_manage_framework, load=load_framework)
def remove_element(framework: Framework, element_id: int):
    element = load_element(framework, element_id)
    form = ConfirmForm()
    number = element.number  # the element may be gone once removed
    if form.validate_on_submit() and (
        done := run_service(form, lambda: services.remove_element(element, current_user), field="submit")
    ):
        new_framework = done.value
        note = f" in new version {new_framework.version}" if new_framework.id != framework.id else ""
        flash(f"Removed element {number}{note}.", "success")
        return redirect(url_for("frameworks.show", framework_id=new_framework.id))
    return render_template(
        "frameworks/remove_element.html",
        form=form,
        framework=framework,
        element=element,
        cohorts=cohort_queries.cohorts_using(framework),
    )


@bp.route("/<int:framework_id>/mappings", methods=["GET", "POST"])
@requires(can_manage_framework, load=load_framework)
def mappings(framework: Framework):
    others = other_frameworks(framework)
    other_id = request.args.get("with", type=int)
    other = next((f for f in others if f.id == other_id), None)
    form = None
    pairs = []
    if other is not None:
        form = MappingForm(framework, other)
        if form.validate_on_submit():
            source = load_element(framework, int(form.source.data))
            target = load_element(other, int(form.target.data))
            if run_service(
                form,
                lambda: services.add_mapping(MappingKind(form.kind.data), source, target, current_user),
                field="target",
            ):
                flash(f"Mapped {source.number} to {other.code} {target.number}.", "success")
                return redirect(
                    url_for(
                        "frameworks.mappings", framework_id=framework.id, **cast(dict[str, Any], {"with": other.id})
                    )
                )
        pairs = services.mappings_between(framework, other)
    return render_template(
        "frameworks/mappings.html",
        framework=framework,
        others=others,
        other=other,
        form=form,
        pairs=pairs,
        mapped=services.mapped_frameworks(framework),
    ), (400 if form is not None and form.errors else 200)


@bp.post("/<int:framework_id>/mappings/<int:mapping_id>/remove")
@requires(can_manage_framework, load=load_framework)
def remove_mapping(framework: Framework, mapping_id: int):
    mapping = load_mapping(framework, mapping_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    other = mapping.to_element if mapping.from_element.framework_id == framework.id else mapping.from_element
    services.remove_mapping(mapping, current_user)
    db.session.commit()
    flash("Removed the mapping.", "success")
    return redirect(
        url_for("frameworks.mappings", framework_id=framework.id, **cast(dict[str, Any], {"with": other.framework_id}))
    )


@bp.get("/<int:framework_id>/ratings-count-in/<int:new_id>")
@requires(can_manage_framework, load=load_framework)
def carry_over(old: Framework, new_id: int):
    new = load_framework(new_id)
    rows = services.rating_carry_over(old, new)
    return render_template("frameworks/carry_over.html", old=old, new=new, rows=rows)


@bp.route("/<int:framework_id>/move-cohort", methods=["GET", "POST"])
@requires(can_manage_framework, load=load_framework)
def move_cohort(framework: Framework):
    cohorts = cohort_queries.cohorts_using(framework)
    targets = other_frameworks(framework)
    successors = services.later_versions(framework)
    form = MoveCohortForm(cohorts, targets, successors[-1] if successors else None)
    if cohorts and targets and form.validate_on_submit():
        return redirect(
            url_for(
                "frameworks.preview_move",
                framework_id=framework.id,
                cohort_id=int(form.cohort.data),
                target_id=int(form.target.data),
            )
        )
    records = {c.id: cohort_services.cohort_records_on(c, framework) for c in cohorts}
    return render_template(
        "frameworks/move_cohort.html", form=form, framework=framework, cohorts=cohorts, targets=targets, records=records
    ), (400 if form.errors else 200)


@bp.route("/<int:framework_id>/move-cohort/<int:cohort_id>/to/<int:target_id>", methods=["GET", "POST"])
@requires(can_manage_framework, load=load_framework)
def preview_move(framework: Framework, cohort_id: int, target_id: int):
    """Every participant's ratings before and after, then the coordinator confirms."""
    cohort = cohort_queries.load_cohort(cohort_id)
    target = load_framework(target_id)
    form = ConfirmForm()
    try:
        preview = moves.preview_move(cohort, framework, target)
    except DomainError as error:
        flash(error.message, "info")
        return redirect(url_for("frameworks.move_cohort", framework_id=framework.id))
    if form.validate_on_submit() and run_service(
        form, lambda: moves.move_cohort(cohort, framework, target, current_user), field="submit"
    ):
        flash(
            f"{cohort.name} is now assessed against {target.label}. {preview.carried} ratings were carried over. "
            "You can undo the move here until the next rating is recorded.",
            "success",
        )
        return redirect(url_for("cohorts.detail", cohort_id=cohort.id))
    return render_template("frameworks/preview_move.html", form=form, preview=preview)


@bp.post("/moves/<int:move_id>/undo")
@requires(can_move_cohort, load=cohort_queries.load_move)
def undo_move(move: FrameworkMove):
    form = SimpleForm(prefix="undo")
    if form.validate_on_submit():
        try:
            moves.undo_move(move, current_user)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "info")
        else:
            db.session.commit()
            flash(f"{move.cohort.name} is back on {move.from_framework.label}.", "success")
    return redirect(url_for("cohorts.detail", cohort_id=move.cohort_id))
