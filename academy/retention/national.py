"""England's published children's social work workforce figures, shipped with their source."""

import json
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "national.json"


@cache
def national() -> dict[str, Any]:
    """The national figures file: title, publisher, source, definitions and figures by census year."""
    return json.loads(DATA.read_text(encoding="utf-8"))


def national_year(year: int) -> dict[str, float] | None:
    """England's turnover and caseload for the census year to 30 September `year`, if published."""
    return national()["years"].get(str(year))
