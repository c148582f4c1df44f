"""Framework use cases: freezing, editing into a new version, mappings, moving cohorts between versions."""

import re
from collections.abc import Iterable

import sqlalchemy as sa

from academy.accounts.models import User
from academy.audit.services import record_audit
from academy.core.errors import DomainError
from academy.extensions import db
from academy.frameworks.models import CohortFramework, ElementMapping, Framework, FrameworkElement, MappingKind

LEVEL_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def is_frozen(framework: Framework) -> bool:
    """A framework that any cohort uses is frozen: changing it makes a new version."""
    return (
        db.session.scalar(sa.select(CohortFramework.cohort_id).where(CohortFramework.framework_id == framework.id))
        is not None
    )


def later_versions(framework: Framework) -> list[Framework]:
    """The versions made by editing this one."""
    return list(
        db.session.scalars(
            sa.select(Framework).where(Framework.previous_version_id == framework.id).order_by(Framework.id)
        )
    )


def versions_of(code: str) -> list[Framework]:
    """Every loaded version of a framework code, oldest first."""
    return list(db.session.scalars(sa.select(Framework).where(Framework.code == code).order_by(Framework.id)))


def element_tree(framework: Framework) -> list[FrameworkElement]:
    """The top-level elements, in display order (children hang off each element)."""
    return [e for e in framework.elements if e.parent_id is None and e.parent is None]


def _next_version_string(framework: Framework) -> str:
    """'2018' -> '2018.1'; '2018.1' -> '2018.2'; skipping any already taken for the code."""
    match = re.fullmatch(r"(.+)\.(\d+)", framework.version)
    if framework.previous_version_id is not None and match:
        base, n = match.group(1), int(match.group(2)) + 1
    else:
        base, n = framework.version, 1
    taken = {f.version for f in versions_of(framework.code)}
    while f"{base}.{n}" in taken:
        n += 1
    return f"{base}.{n}"


def copy_as_new_version(
    framework: Framework, actor: User | None, *, leave_out: FrameworkElement | None = None
) -> tuple[Framework, dict[int, FrameworkElement]]:
    """A copy of `framework` as its next version, with version mappings old -> new for each copied element.

    Cross-mappings of copied elements are copied too, so the new version evidences the same elements of
    other frameworks. `leave_out` (and everything under it) is not copied. Returns the copy and old id ->
    new element.
    """
    skipped: set[int] = set()
    if leave_out is not None:
        stack = [leave_out]
        while stack:
            element = stack.pop()
            skipped.add(element.id)
            stack.extend(element.children)
    copy = Framework(
        code=framework.code,
        name=framework.name,
        publisher=framework.publisher,
        version=_next_version_string(framework),
        valid_from=framework.valid_from,
        valid_to=framework.valid_to,
        service_area=framework.service_area,
        source=framework.source,
        notes=framework.notes,
        previous_version_id=framework.id,
    )
    db.session.add(copy)
    new_by_old: dict[int, FrameworkElement] = {}
    for old in framework.elements:  # sort_order: parents come before their children
        if old.id in skipped:
            continue
        new = FrameworkElement(
            number=old.number,
            title=old.title,
            description=old.description,
            level=old.level,
            sort_order=old.sort_order,
            parent=new_by_old.get(old.parent_id) if old.parent_id else None,
        )
        copy.elements.append(new)
        new_by_old[old.id] = new
    db.session.flush()
    for old_id, new in new_by_old.items():
        db.session.add(
            ElementMapping(
                kind=MappingKind.VERSION,
                from_element_id=old_id,
                to_element_id=new.id,
                created_by_id=actor.id if actor else None,
            )
        )
    cross = db.session.scalars(
        sa.select(ElementMapping).where(
            ElementMapping.kind == MappingKind.CROSS,
            sa.or_(
                ElementMapping.from_element_id.in_(new_by_old.keys()),
                ElementMapping.to_element_id.in_(new_by_old.keys()),
            ),
        )
    ).all()
    for mapping in cross:
        source = new_by_old.get(mapping.from_element_id)
        target = new_by_old.get(mapping.to_element_id)
        db.session.add(
            ElementMapping(
                kind=MappingKind.CROSS,
                from_element_id=source.id if source else mapping.from_element_id,
                to_element_id=target.id if target else mapping.to_element_id,
                created_by_id=actor.id if actor else None,
            )
        )
    db.session.flush()
    record_audit(
        actor,
        "framework.version_created",
        copy,
        summary=f"Created {copy.code} version {copy.version} from version {framework.version}",
        before={"framework_id": framework.id, "version": framework.version},
        after={"framework_id": copy.id, "version": copy.version, "elements": len(copy.elements)},
    )
    return copy, new_by_old


def _check_element_fields(title: str, description: str) -> tuple[str, str]:
    title, description = (title or "").strip(), (description or "").strip()
    if not title:
        raise DomainError("Enter a title.", field="title")
    if len(title) > 300:
        raise DomainError("Title must be 300 characters or fewer.", field="title")
    return title, description


def edit_element(
    element: FrameworkElement, title: str, description: str, actor: User | None
) -> tuple[Framework, FrameworkElement]:
    """Change an element's title and description; on a frozen framework the change goes into a new version.

    Returns the framework and element that now carry the change.
    """
    title, description = _check_element_fields(title, description)
    framework = element.framework
    if title == element.title and description == element.description:
        return framework, element
    before = {"title": element.title, "description": element.description}
    if is_frozen(framework):
        framework, copies = copy_as_new_version(framework, actor)
        element = copies[element.id]
    element.title, element.description = title, description
    record_audit(
        actor,
        "framework.element_edited",
        element,
        summary=f"Edited {framework.code} {framework.version} element {element.number}",
        before=before,
        after={"title": title, "description": description},
    )
    return framework, element


def add_element(
    framework: Framework,
    parent: FrameworkElement | None,
    number: str,
    title: str,
    description: str,
    level: str | None,
    actor: User | None,
) -> tuple[Framework, FrameworkElement]:
    """Add an element (at the end of its parent's children); on a frozen framework, into a new version."""
    number = (number or "").strip()
    title, description = _check_element_fields(title, description)
    level = (level or "").strip() or None
    if not number:
        raise DomainError("Enter a number.", field="number")
    if len(number) > 20:
        raise DomainError("Number must be 20 characters or fewer.", field="number")
    if any(e.number == number for e in framework.elements):
        raise DomainError(f"Number {number} is already used in this framework.", field="number")
    if level is not None and not LEVEL_PATTERN.match(level):
        raise DomainError("Level must be lower-case letters, digits and underscores, like asye.", field="level")
    if parent is not None and parent.framework_id != framework.id:
        raise DomainError("Choose a parent from this framework.", field="parent")
    if is_frozen(framework):
        framework, copies = copy_as_new_version(framework, actor)
        parent = copies[parent.id] if parent is not None else None
    # After the last element under `parent` (or at the very end), so display order stays depth-first.
    scope = _subtree(parent) if parent is not None else framework.elements
    last = max((e.sort_order for e in scope), default=0)
    for other in framework.elements:
        if other.sort_order > last:
            other.sort_order += 1
    element = FrameworkElement(
        number=number, title=title, description=description, level=level, sort_order=last + 1, parent=parent
    )
    framework.elements.append(element)
    framework.elements.sort(key=lambda e: e.sort_order)
    record_audit(
        actor,
        "framework.element_added",
        element,
        summary=f"Added element {number} to {framework.code} {framework.version}",
        after={"number": number, "title": title, "parent": parent.number if parent else None},
    )
    return framework, element


def _subtree(element: FrameworkElement) -> list[FrameworkElement]:
    result, stack = [], [element]
    while stack:
        current = stack.pop()
        result.append(current)
        stack.extend(current.children)
    return result


def remove_element(element: FrameworkElement, actor: User | None) -> Framework:
    """Remove an element and everything under it; on a frozen framework, the new version leaves it out."""
    framework = element.framework
    summary = f"Removed element {element.number} from {framework.code} {framework.version}"
    before = {"number": element.number, "title": element.title, "elements_removed": len(_subtree(element))}
    if is_frozen(framework):
        framework, _ = copy_as_new_version(framework, actor, leave_out=element)
        subject = framework
    else:
        for gone in _subtree(element):
            framework.elements.remove(gone)
            db.session.delete(gone)
        subject = framework
    db.session.flush()
    record_audit(actor, "framework.element_removed", subject, summary=summary, before=before)
    return framework


def add_mapping(
    kind: MappingKind, source: FrameworkElement, target: FrameworkElement, actor: User | None
) -> ElementMapping:
    """Map `source` to `target`: a cross-mapping between frameworks, or old version -> new version."""
    if source.framework_id == target.framework_id:
        raise DomainError("Choose elements of two different frameworks.", field="target")
    existing = db.session.scalar(
        sa.select(ElementMapping).where(
            ElementMapping.from_element_id == source.id, ElementMapping.to_element_id == target.id
        )
    )
    if existing is not None:
        raise DomainError(f"{source.label} is already mapped to {target.label}.", field="target")
    mapping = ElementMapping(
        kind=kind, from_element_id=source.id, to_element_id=target.id, created_by_id=actor.id if actor else None
    )
    db.session.add(mapping)
    db.session.flush()
    record_audit(
        actor,
        "framework.mapping_added",
        mapping,
        summary=f"Mapped {source.framework.code} {source.number} to {target.framework.code} {target.number} ({kind})",
        after={"kind": str(kind), "from": source.id, "to": target.id},
    )
    return mapping


def remove_mapping(mapping: ElementMapping, actor: User | None) -> None:
    record_audit(
        actor,
        "framework.mapping_removed",
        mapping,
        summary=f"Removed mapping {mapping.from_element.label} to {mapping.to_element.label}",
        before={"kind": str(mapping.kind), "from": mapping.from_element_id, "to": mapping.to_element_id},
    )
    db.session.delete(mapping)
    db.session.flush()


def mappings_between(first: Framework, second: Framework) -> list[ElementMapping]:
    """Every mapping from an element of one framework to an element of the other, either way."""
    a_ids = sa.select(FrameworkElement.id).where(FrameworkElement.framework_id == first.id)
    b_ids = sa.select(FrameworkElement.id).where(FrameworkElement.framework_id == second.id)
    return list(
        db.session.scalars(
            sa.select(ElementMapping)
            .where(
                sa.or_(
                    sa.and_(ElementMapping.from_element_id.in_(a_ids), ElementMapping.to_element_id.in_(b_ids)),
                    sa.and_(ElementMapping.from_element_id.in_(b_ids), ElementMapping.to_element_id.in_(a_ids)),
                )
            )
            .order_by(ElementMapping.id)
        )
    )


def mapped_frameworks(framework: Framework) -> list[tuple[Framework, int]]:
    """Other frameworks with mappings to or from this one, and how many mappings each."""
    mine = sa.select(FrameworkElement.id).where(FrameworkElement.framework_id == framework.id)
    rows = db.session.scalars(
        sa.select(ElementMapping).where(
            sa.or_(ElementMapping.from_element_id.in_(mine), ElementMapping.to_element_id.in_(mine))
        )
    ).all()
    counts: dict[int, int] = {}
    for mapping in rows:
        other = mapping.to_element if mapping.from_element.framework_id == framework.id else mapping.from_element
        counts[other.framework_id] = counts.get(other.framework_id, 0) + 1
    return [(db.session.get_one(Framework, fid), n) for fid, n in sorted(counts.items())]


def mapped_elements(element_ids: Iterable[int], kinds: Iterable[MappingKind] = (MappingKind.CROSS,)) -> set[int]:
    """The elements that count alongside `element_ids`: those cross-mapped to or from any of them.

    Evidence linked to element A also shows against every element mapped to or from A (one step, either
    direction). The given ids themselves are not in the result unless mapped from another given id.
    Pass `kinds=(MappingKind.CROSS, MappingKind.VERSION)` to follow version mappings as well.
    """
    ids = set(element_ids)
    if not ids:
        return set()
    rows = db.session.execute(
        sa.select(ElementMapping.from_element_id, ElementMapping.to_element_id).where(
            ElementMapping.kind.in_(list(kinds)),
            sa.or_(ElementMapping.from_element_id.in_(ids), ElementMapping.to_element_id.in_(ids)),
        )
    )
    result: set[int] = set()
    for source, target in rows:
        if source in ids:
            result.add(target)
        if target in ids:
            result.add(source)
    return result


def rating_carry_over(old: Framework, new: Framework) -> list[tuple[FrameworkElement, list[FrameworkElement]]]:
    """Where a rating on each element of `old` now counts in `new` (version mappings); [] = not carried over."""
    new_ids = {e.id for e in new.elements}
    mappings = db.session.scalars(
        sa.select(ElementMapping).where(
            ElementMapping.kind == MappingKind.VERSION,
            ElementMapping.from_element_id.in_([e.id for e in old.elements]),
        )
    ).all()
    targets: dict[int, list[FrameworkElement]] = {}
    for mapping in mappings:
        if mapping.to_element_id in new_ids:
            targets.setdefault(mapping.from_element_id, []).append(mapping.to_element)
    return [(element, sorted(targets.get(element.id, []), key=lambda e: e.sort_order)) for element in old.elements]
