"""Loading the framework data files shipped in academy/frameworks/data.

A shipped file is loaded as the version it names. When that version is already loaded with different
elements (a database loaded from an earlier release's files), the file is loaded as a new version of it
instead ("2018.1", or the next free number), with version mappings from the old elements; the old version
is never changed, and cohorts stay on it. Loading again changes nothing: a file whose elements match any
loaded version of its code, or whose content was loaded before (an audit event keeps its fingerprint, so a
coordinator's later edits to that version do not bring the file back), is already there.
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from academy.audit.models import AuditEvent
from academy.audit.services import record_audit
from academy.extensions import db
from academy.frameworks.models import ElementMapping, Framework, FrameworkElement, MappingKind
from academy.programmes.models import ServiceArea

DATA_DIR = Path(__file__).parent / "data"
MAPPINGS_DIR = DATA_DIR / "mappings"


def shipped_framework_files() -> list[Path]:
    """The JSON files of the frameworks the app ships with."""
    return sorted(DATA_DIR.glob("*.json"))


def shipped_mapping_files() -> list[Path]:
    """The JSON files of the default cross-mappings between shipped frameworks."""
    return sorted(MAPPINGS_DIR.glob("*.json"))


def _add_elements(
    framework: Framework, items: list[dict[str, Any]], parent: FrameworkElement | None, counter: list[int]
) -> None:
    for item in items:
        counter[0] += 1
        element = FrameworkElement(
            number=str(item["number"]),
            title=item["title"],
            description=item.get("description") or "",
            level=item.get("level"),
            sort_order=counter[0],
            parent=parent,
        )
        framework.elements.append(element)
        _add_elements(framework, item.get("children") or [], element, counter)


def framework_from_dict(data: dict[str, Any]) -> Framework:
    """Build (but do not add) a Framework with its element tree from the JSON structure."""
    framework = Framework(
        code=data["code"],
        name=data["name"],
        publisher=data.get("publisher", ""),
        version=str(data["version"]),
        valid_from=date.fromisoformat(data["valid_from"]) if data.get("valid_from") else None,
        valid_to=date.fromisoformat(data["valid_to"]) if data.get("valid_to") else None,
        service_area=ServiceArea(data.get("service_area", "all")),
        source=data.get("source", ""),
        notes=data.get("notes", ""),
    )
    _add_elements(framework, data.get("elements", []), None, [0])
    return framework


def find_framework(code: str, version: str) -> Framework | None:
    """The framework with this code and version, if loaded."""
    return db.session.scalar(sa.select(Framework).where(Framework.code == code, Framework.version == version))


def _content(framework: Framework) -> tuple:
    """What a shipped file decides: the details that matter for assessment and every element, in order."""
    return (
        framework.name,
        framework.publisher,
        framework.valid_from,
        framework.valid_to,
        str(framework.service_area),
        tuple(
            (e.number, e.parent.number if e.parent else None, e.title, e.description or "", e.level)
            for e in sorted(framework.elements, key=lambda e: e.sort_order)
        ),
    )


def _next_free_version(base: Framework) -> str:
    taken = set(db.session.scalars(sa.select(Framework.version).where(Framework.code == base.code)))
    n = 1
    while f"{base.version}.{n}" in taken:
        n += 1
    return f"{base.version}.{n}"


def _map_versions(old: Framework, new: Framework) -> None:
    """A version mapping from each old element to the new element with its number, or its nearest ancestor's."""
    new_by_number = {e.number: e for e in new.elements}
    for element in old.elements:
        current: FrameworkElement | None = element
        while current is not None and current.number not in new_by_number:
            current = current.parent
        if current is not None:
            db.session.add(
                ElementMapping(
                    kind=MappingKind.VERSION,
                    from_element_id=element.id,
                    to_element_id=new_by_number[current.number].id,
                )
            )


SHIPPED_FINGERPRINT = "shipped_sha256"


def _loaded_before(code: str, fingerprint: str) -> Framework | None:
    """The version a shipped file with this content was loaded as, if it still exists (from the audit trail)."""
    events = db.session.scalars(
        sa.select(AuditEvent)
        .where(
            AuditEvent.action.in_(["framework.loaded", "framework.version_created"]),
            AuditEvent.subject_type == "Framework",
        )
        .order_by(AuditEvent.id.desc())
    )
    for event in events:
        if (event.after or {}).get(SHIPPED_FINGERPRINT) == fingerprint:
            framework = db.session.get(Framework, event.subject_id)
            if framework is not None and framework.code == code:
                return framework
    return None


@dataclass
class LoadResult:
    loaded: list[Framework] = field(default_factory=list)  # new frameworks and new versions, in file order
    current: dict[str, Framework] = field(default_factory=dict)  # code -> the version matching its file
    mappings_added: int = 0


def load_shipped_data() -> LoadResult:
    """Load the shipped frameworks (new versions where an older release's are loaded) and default mappings."""
    result = LoadResult()
    for path in shipped_framework_files():
        data = json.loads(path.read_text(encoding="utf-8"))
        shipped = framework_from_dict(data)
        wanted = _content(shipped)
        versions = db.session.scalars(
            sa.select(Framework).where(Framework.code == shipped.code).order_by(Framework.id)
        ).all()
        fingerprint = hashlib.sha256(repr(wanted).encode()).hexdigest()
        match = next((f for f in versions if _content(f) == wanted), None)
        if match is None:
            match = _loaded_before(shipped.code, fingerprint)
        if match is not None:
            result.current[shipped.code] = match
            continue
        base = find_framework(shipped.code, shipped.version)
        if base is not None:
            shipped.version = _next_free_version(base)
            shipped.previous_version_id = base.id
        db.session.add(shipped)
        db.session.flush()
        after = {"version": shipped.version, "elements": len(shipped.elements), "file": path.name}
        after[SHIPPED_FINGERPRINT] = fingerprint
        if base is None:
            record_audit(
                None, "framework.loaded", shipped, summary=f"Loaded {shipped.code} from {path.name}", after=after
            )
        else:
            _map_versions(base, shipped)
            record_audit(
                None,
                "framework.version_created",
                shipped,
                summary=f"Loaded the shipped {shipped.code} file as version {shipped.version} "
                f"(version {base.version} was loaded from an earlier release)",
                before={"framework_id": base.id, "version": base.version, "elements": len(base.elements)},
                after=after,
            )
        result.loaded.append(shipped)
        result.current[shipped.code] = shipped
    db.session.flush()
    for path in shipped_mapping_files():
        result.mappings_added += load_default_mapping(json.loads(path.read_text(encoding="utf-8")), result.current)
    db.session.flush()
    return result


def load_shipped_frameworks() -> list[Framework]:
    """Load every shipped framework not already present; running it again changes nothing."""
    return load_shipped_data().loaded


def mapping_problems(data: dict[str, Any], source: Framework, target: Framework) -> list[str]:
    """What is wrong with a mapping file for these two framework versions ([] if nothing)."""
    problems = []
    rows = data.get("mappings")
    if not isinstance(rows, list) or not rows:
        return ["'mappings' must be a non-empty list."]
    source_numbers = {e.number for e in source.elements}
    target_numbers = {e.number for e in target.elements}
    for i, row in enumerate(rows):
        if not isinstance(row, dict) or not isinstance(row.get("from"), str) or not isinstance(row.get("to"), list):
            problems.append(f"mappings[{i}]: needs 'from' (a number) and 'to' (a list of numbers).")
            continue
        if row["from"] not in source_numbers:
            problems.append(f"mappings[{i}]: {source.code} has no element {row['from']}.")
        problems += [f"mappings[{i}]: {target.code} has no element {n}." for n in row["to"] if n not in target_numbers]
    return problems


def load_default_mapping(data: dict[str, Any], current: dict[str, Framework]) -> int:
    """Add a shipped cross-mapping between the current versions of its two frameworks, if they have none yet.

    Once any cross-mapping joins the two versions, the coordinators' Mappings page owns it: links they removed
    are not added back. Returns how many links were added.
    """
    source, target = current.get(data.get("from_code", "")), current.get(data.get("to_code", ""))
    if source is None or target is None:
        return 0
    problems = mapping_problems(data, source, target)
    if problems:
        raise ValueError(f"The mapping {source.code} to {target.code} is not valid: " + " ".join(problems))
    source_ids = sa.select(FrameworkElement.id).where(FrameworkElement.framework_id == source.id)
    target_ids = sa.select(FrameworkElement.id).where(FrameworkElement.framework_id == target.id)
    existing = db.session.scalar(
        sa.select(ElementMapping.id).where(
            ElementMapping.kind == MappingKind.CROSS,
            sa.or_(
                sa.and_(ElementMapping.from_element_id.in_(source_ids), ElementMapping.to_element_id.in_(target_ids)),
                sa.and_(ElementMapping.from_element_id.in_(target_ids), ElementMapping.to_element_id.in_(source_ids)),
            ),
        )
    )
    if existing is not None:
        return 0
    sources = {e.number: e for e in source.elements}
    targets = {e.number: e for e in target.elements}
    added = 0
    for row in data["mappings"]:
        for number in dict.fromkeys(row["to"]):
            db.session.add(
                ElementMapping(
                    kind=MappingKind.CROSS,
                    from_element_id=sources[row["from"]].id,
                    to_element_id=targets[number].id,
                )
            )
            added += 1
    return added
