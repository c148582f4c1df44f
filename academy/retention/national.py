"""England's published children's social work workforce figures, shipped with their source and date.

The shipped file (data/national.json) holds the DfE series 2017 to 2025. A newer year is loaded from
the DfE indicators CSV with `flask --app wsgi academy load-national-figures FILE.csv`, which writes the
national rows to the instance folder (the file named by the NATIONAL_FIGURES_FILE setting); those
years are laid over the shipped ones, so an upgrade of the app never loses them.
"""

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

from flask import current_app, has_app_context

from academy.core.errors import DomainError

DATA = Path(__file__).resolve().parent / "data" / "national.json"
OVERRIDE_NAME = "national_figures.json"

# The indicator columns of the DfE file that the academy shows beside its own figures.
COLUMNS = (
    "inpost_fte",
    "leavers_fte",
    "turnover_rate_fte",
    "agency_rate_fte",
    "vacancy_rate_fte",
    "caseload_fte",
    "absence_rate_fte",
)
# DfE's symbols for a figure withheld, not available or not applicable.
MISSING = {"", "c", "x", ":", "z", "u", "low", "k"}

_cache: dict[tuple[str, float], dict[str, Any]] = {}


def override_path() -> Path | None:
    """Where loaded years are kept: the NATIONAL_FIGURES_FILE setting, else the instance folder."""
    if not has_app_context():
        return None
    configured = current_app.config.get("NATIONAL_FIGURES_FILE")
    return Path(configured) if configured else Path(current_app.instance_path) / OVERRIDE_NAME


def _read(path: Path) -> dict[str, Any]:
    key = (str(path), path.stat().st_mtime)
    if key not in _cache:
        _cache[key] = json.loads(path.read_text(encoding="utf-8"))
    return _cache[key]


def national() -> dict[str, Any]:
    """The national figures: title, publisher, source, date, definitions and figures by census year."""
    shipped = _read(DATA)
    extra = override_path()
    if extra is None or not extra.is_file():
        return shipped
    loaded = _read(extra)
    merged = {**shipped, "years": {**shipped["years"], **loaded.get("years", {})}}
    for key in ("source", "data_file", "figures_to", "compiled_on"):
        if loaded.get(key):
            merged[key] = loaded[key]
    return merged


def national_year(year: int) -> dict[str, float] | None:
    """England's figures for the census year to 30 September `year`, if published."""
    return national()["years"].get(str(year))


def england_for(year: int, exact: bool = False) -> tuple[int, dict[str, float] | None]:
    """England's figures for the census year `year`, or (unless `exact`) the latest published before it."""
    years = national()["years"]
    if str(year) in years or exact:
        return year, years.get(str(year))
    earlier = [int(y) for y in years if int(y) < year]
    return (max(earlier), years[str(max(earlier))]) if earlier else (year, None)


def source_line() -> str:
    """One line naming the source and the date of the England figures, for pages and PDFs."""
    data = national()
    to = date.fromisoformat(data["figures_to"])
    return (
        f"{data['publisher']}: {data['source']} ({data['source_url']}). Figures to {to.day} {to:%B %Y}, "
        f"compiled {date.fromisoformat(data['compiled_on']).strftime('%-d %B %Y')}."
    )


def _number(text: str, line: int, column: str) -> float | None:
    value = text.strip().replace(",", "")
    if value.lower() in MISSING:
        return None
    try:
        return float(value)
    except ValueError:
        raise DomainError(f"Line {line}: {column} is '{text}', which is not a number.", field="file") from None


def parse_national_csv(text: str) -> dict[str, dict[str, float]]:
    """The national rows of a DfE indicators CSV (csww_indicators_<from>_to_<to>.csv): year -> figures.

    Needs the columns time_period and turnover_rate_fte; geographic_level, when present, picks the
    rows whose level is National. Other indicator columns are read when present.
    """
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    fields = set(reader.fieldnames or [])
    for needed in ("time_period", "turnover_rate_fte"):
        if needed not in fields:
            raise DomainError(f"The file has no {needed} column; is it the DfE indicators file?", field="file")
    years: dict[str, dict[str, float]] = {}
    for line, row in enumerate(reader, start=2):
        if "geographic_level" in fields and row["geographic_level"].strip() != "National":
            continue
        period = row["time_period"].strip()
        if not (period.isdigit() and len(period) == 4):
            raise DomainError(f"Line {line}: time_period is '{period}', not a year like 2026.", field="file")
        figures = {}
        for column in COLUMNS:
            if column in fields:
                value = _number(row[column] or "", line, column)
                if value is not None:
                    figures[column] = value
        years[period] = figures
    if not years:
        raise DomainError("The file has no national rows (geographic_level National).", field="file")
    return years


def save_loaded_years(years: dict[str, dict[str, float]], source: str, on: date) -> Path:
    """Add `years` to the loaded-figures file (replacing those years), and return its path."""
    path = override_path()
    if path is None:
        raise RuntimeError("Loading national figures needs the app.")
    current: dict[str, Any] = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {"years": {}}
    current["years"] = {**current.get("years", {}), **years}
    latest = max(current["years"], key=int)
    current.update(
        {"source": source, "figures_to": f"{latest}-09-30", "compiled_on": on.isoformat(), "data_file": source}
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(current, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path
