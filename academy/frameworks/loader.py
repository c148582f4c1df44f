"""Loading the framework data files shipped in academy/frameworks/data."""

import json
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from academy.extensions import db
from academy.frameworks.models import Framework, FrameworkElement
from academy.programmes.models import ServiceArea

DATA_DIR = Path(__file__).parent / "data"


def shipped_framework_files() -> list[Path]:
    """The JSON files of the frameworks the app ships with."""
    return sorted(DATA_DIR.glob("*.json"))


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


def load_shipped_frameworks() -> list[Framework]:
    """Load every shipped framework not already present; running it again changes nothing."""
    loaded = []
    for path in shipped_framework_files():
        data = json.loads(path.read_text(encoding="utf-8"))
        if find_framework(data["code"], str(data["version"])) is None:
            framework = framework_from_dict(data)
            db.session.add(framework)
            loaded.append(framework)
    db.session.flush()
    return loaded
