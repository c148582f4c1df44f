"""Coordinator pages for frameworks: list, tree, import/export, editing into versions, mappings."""

from collections.abc import Callable
from functools import wraps
from pathlib import PurePath
from typing import Any

import sqlalchemy as sa
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from academy.accounts.policies import can_manage_academy
from academy.cohorts import queries as cohort_queries
from academy.cohorts import services as cohort_services
from academy.cohorts.models import Cohort
from academy.core.errors import DomainError
from academy.core.web import require
from academy.extensions import db
from academy.frameworks import bp, services, transfer
from academy.frameworks.forms import (
    ConfirmForm,
    ElementForm,
    ImportForm,
    MappingForm,
    MoveCohortForm,
    NewElementForm,
    choices,
)
from academy.frameworks.models import ElementMapping, Framework, FrameworkElement, MappingKind

CSV_FIELDS = ("code", "name", "version", "publisher", "valid_from", "valid_to", "service_area", "source")


def coordinators_only(view: Callable) -> Callable:
    @login_required
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        require(can_manage_academy(current_user))
        return view(*args, **kwargs)

    return wrapped


def _framework(framework_id: int) -> Framework:
    framework = db.session.get(Framework, framework_id)
    if framework is None:
        abort(404)
    return framework


def _element(framework: Framework, element_id: int) -> FrameworkElement:
    element = db.session.get(FrameworkElement, element_id)
    if element is None or element.framework_id != framework.id:
        abort(404)
    return element


def _field_error(form, error: DomainError, default: str) -> None:
    field = getattr(form, error.field or default, None) or getattr(form, default)
    field.errors = [*field.errors, error.message] if isinstance(field.errors, list) else [error.message]


@bp.get("/")
@coordinators_only
def index():
    frameworks = db.session.scalars(sa.select(Framework).order_by(Framework.code, Framework.id)).all()
    return render_template(
        "frameworks/index.html", frameworks=frameworks, cohorts=cohort_queries.cohorts_by_framework()
    )


@bp.get("/<int:framework_id>")
@coordinators_only
def show(framework_id: int):
    framework = _framework(framework_id)
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
@coordinators_only
def export(framework_id: int, file_format: str):
    framework = _framework(framework_id)
    body = transfer.export_csv(framework) if file_format == "csv" else transfer.export_json(framework)
    mimetype = "text/csv" if file_format == "csv" else "application/json"
    filename = f"{framework.code}_{framework.version}.{file_format}"
    return Response(
        body,
        mimetype=f"{mimetype}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/import", methods=["GET", "POST"])
@coordinators_only
def import_file():
    form = ImportForm()
    problems: list[transfer.FileProblem] = []
    if form.validate_on_submit():
        upload = form.file.data
        suffix = PurePath(upload.filename or "").suffix.lower() if upload else ""
        if not upload or not upload.filename:
            form.file.errors = ["Choose a framework file"]
        elif suffix not in {".csv", ".json"}:
            form.file.errors = ["The file must be a .csv or .json file"]
        else:
            file_format = suffix[1:]
            metadata = {name: (getattr(form, name).data or "").strip() for name in CSV_FIELDS}
            if file_format == "csv":
                for problem in transfer.check_metadata(metadata, path=""):
                    if problem.column != "source":
                        getattr(form, problem.column).errors = [problem.message]
            if not form.errors:
                try:
                    framework = transfer.import_framework(upload.read(), file_format, metadata, current_user)
                except transfer.FrameworkFileError as error:
                    problems = error.problems
                    form.file.errors = [str(p) for p in problems]
                else:
                    db.session.commit()
                    flash(f"Imported {framework.label} with {len(framework.elements)} elements.", "success")
                    return redirect(url_for("frameworks.show", framework_id=framework.id))
    error_list = [{"text": str(problem), "href": "#file"} for problem in problems] + [
        {"text": field.errors[0], "href": f"#{field.id}"}
        for field in form
        if field.errors and not (problems and field.name == "file")
    ]
    status = 400 if form.errors else 200
    return render_template("frameworks/import.html", form=form, problems=problems, error_list=error_list), status


@bp.route("/<int:framework_id>/elements/<int:element_id>/edit", methods=["GET", "POST"])
@coordinators_only
def edit_element(framework_id: int, element_id: int):
    framework = _framework(framework_id)
    element = _element(framework, element_id)
    form = ElementForm(obj=element)
    if form.validate_on_submit():
        try:
            new_framework, _ = services.edit_element(element, form.title.data, form.description.data, current_user)
        except DomainError as error:
            _field_error(form, error, "title")
        else:
            db.session.commit()
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
@coordinators_only
def new_element(framework_id: int):
    framework = _framework(framework_id)
    form = NewElementForm()
    form.parent.choices = choices(
        [("", "Nothing: a top-level element")] + [(str(e.id), e.label[:120]) for e in framework.elements]
    )
    if form.validate_on_submit():
        parent = _element(framework, int(form.parent.data)) if form.parent.data else None
        try:
            new_framework, element = services.add_element(
                framework,
                parent,
                form.number.data,
                form.title.data,
                form.description.data,
                form.level.data,
                current_user,
            )
        except DomainError as error:
            _field_error(form, error, "number")
        else:
            db.session.commit()
            note = f" as new version {new_framework.version}" if new_framework.id != framework.id else ""
            flash(f"Added element {element.number}{note}.", "success")
            return redirect(url_for("frameworks.show", framework_id=new_framework.id))
    return render_template(
        "frameworks/new_element.html", form=form, framework=framework, cohorts=cohort_queries.cohorts_using(framework)
    ), (400 if form.errors else 200)


@bp.route("/<int:framework_id>/elements/<int:element_id>/remove", methods=["GET", "POST"])
@coordinators_only
def remove_element(framework_id: int, element_id: int):
    framework = _framework(framework_id)
    element = _element(framework, element_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        number = element.number
        new_framework = services.remove_element(element, current_user)
        db.session.commit()
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
@coordinators_only
def mappings(framework_id: int):
    framework = _framework(framework_id)
    others = [
        f
        for f in db.session.scalars(sa.select(Framework).order_by(Framework.code, Framework.id))
        if f.id != framework.id
    ]
    other_id = request.args.get("with", type=int)
    other = next((f for f in others if f.id == other_id), None)
    form = None
    pairs: list[ElementMapping] = []
    if other is not None:
        form = MappingForm()
        form.source.choices = choices([(str(e.id), e.label[:120]) for e in framework.elements])
        form.target.choices = choices([(str(e.id), e.label[:120]) for e in other.elements])
        if form.validate_on_submit():
            source = _element(framework, int(form.source.data))
            target = _element(other, int(form.target.data))
            try:
                services.add_mapping(MappingKind(form.kind.data), source, target, current_user)
            except DomainError as error:
                _field_error(form, error, "target")
            else:
                db.session.commit()
                flash(f"Mapped {source.number} to {other.code} {target.number}.", "success")
                return redirect(url_for("frameworks.mappings", framework_id=framework.id, **{"with": other.id}))
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
@coordinators_only
def remove_mapping(framework_id: int, mapping_id: int):
    framework = _framework(framework_id)
    mapping = db.session.get(ElementMapping, mapping_id)
    if mapping is None or framework.id not in (mapping.from_element.framework_id, mapping.to_element.framework_id):
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    other = mapping.to_element if mapping.from_element.framework_id == framework.id else mapping.from_element
    services.remove_mapping(mapping, current_user)
    db.session.commit()
    flash("Removed the mapping.", "success")
    return redirect(url_for("frameworks.mappings", framework_id=framework.id, **{"with": other.framework_id}))


@bp.get("/<int:framework_id>/ratings-count-in/<int:new_id>")
@coordinators_only
def carry_over(framework_id: int, new_id: int):
    old, new = _framework(framework_id), _framework(new_id)
    rows = services.rating_carry_over(old, new)
    return render_template("frameworks/carry_over.html", old=old, new=new, rows=rows)


@bp.route("/<int:framework_id>/move-cohort", methods=["GET", "POST"])
@coordinators_only
def move_cohort(framework_id: int):
    framework = _framework(framework_id)
    cohorts = cohort_queries.cohorts_using(framework)
    targets = [
        f
        for f in db.session.scalars(sa.select(Framework).order_by(Framework.code, Framework.id))
        if f.id != framework.id
    ]
    form = MoveCohortForm()
    form.cohort.choices = choices([(str(c.id), c.name) for c in cohorts])
    form.target.choices = choices([(str(f.id), f"{f.code} {f.version}: {f.name}") for f in targets])
    successors = services.later_versions(framework)
    if successors and request.method == "GET":
        form.target.data = str(successors[-1].id)
    if cohorts and targets and form.validate_on_submit():
        cohort = db.session.get(Cohort, int(form.cohort.data))
        target = _framework(int(form.target.data))
        try:
            cohort_services.move_cohort(cohort, framework, target, current_user)
        except DomainError as error:
            _field_error(form, error, "cohort")
        else:
            db.session.commit()
            flash(f"{cohort.name} is now assessed against {target.label}.", "success")
            return redirect(url_for("frameworks.show", framework_id=target.id))
    records = {c.id: cohort_services.cohort_records_on(c, framework) for c in cohorts}
    return render_template(
        "frameworks/move_cohort.html", form=form, framework=framework, cohorts=cohorts, targets=targets, records=records
    ), (400 if form.errors else 200)
