"""Loading frameworks, their elements and mappings for views."""

import sqlalchemy as sa
from flask import abort

from academy.core.web import get_or_404
from academy.extensions import db
from academy.frameworks.models import ElementMapping, Framework, FrameworkElement


def load_framework(framework_id: int) -> Framework:
    """The framework with this id, or 404. Use with `requires(rule, load=load_framework)`."""
    return get_or_404(Framework, framework_id)


def load_element(framework: Framework, element_id: int) -> FrameworkElement:
    """An element of `framework`, or 404 (also when the id is another framework's element)."""
    element = get_or_404(FrameworkElement, element_id)
    if element.framework_id != framework.id:
        abort(404)
    return element


def load_mapping(framework: Framework, mapping_id: int) -> ElementMapping:
    """A mapping to or from an element of `framework`, or 404."""
    mapping = get_or_404(ElementMapping, mapping_id)
    if framework.id not in (mapping.from_element.framework_id, mapping.to_element.framework_id):
        abort(404)
    return mapping


def all_frameworks() -> list[Framework]:
    """Every framework version, by code then in the order they were loaded."""
    return list(db.session.scalars(sa.select(Framework).order_by(Framework.code, Framework.id)))


def other_frameworks(framework: Framework) -> list[Framework]:
    """Every framework version but this one, in the order of `all_frameworks`."""
    return [other for other in all_frameworks() if other.id != framework.id]
