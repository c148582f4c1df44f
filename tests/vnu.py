"""The W3C's Nu HTML Checker (vnu) on the pages the tests render, beside axe-core.

vnu comes from the npm registry (vnu-jar, pinned in package.json) and runs on the Java from Debian's
packages (`make test` installs default-jre-headless when `java` is missing). The pages of a test go to
vnu in one run, as files, so a test that renders many pages starts Java once.
"""

import json
import os
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# vnu needs a deep stack to walk the HTML schema; a short run is quicker (about 1.5 s instead of 4 s,
# 90 pages included) on the client compiler alone and the serial collector.
JAVA_OPTIONS = ["-Xss4m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"]


def java_path() -> str:
    path = os.environ.get("JAVA") or shutil.which("java")
    if not path:
        pytest.fail("Java is missing: run `make test`, which installs Debian's default-jre-headless package.")
    return path


def html_errors(pages: Mapping[str, str], directory: Path) -> list[str]:
    """Check each page (name: HTML) with vnu in one run: 'name line N: message' for every error."""
    if not pages:
        return []
    if not VNU_JAR.exists():
        pytest.fail("vnu is missing: run `make test`, which installs the front-end packages (vnu-jar).")
    directory.mkdir(parents=True, exist_ok=True)
    names: dict[str, str] = {}
    for index, (name, html) in enumerate(pages.items()):
        path = directory / f"page-{index:04d}.html"
        path.write_text(html, encoding="utf-8")
        names[path.name] = name
    files = [str(directory / file) for file in names]
    command = [java_path(), *JAVA_OPTIONS, "-jar", str(VNU_JAR), "--format", "json", "--errors-only", "--stdout"]
    result = subprocess.run([*command, *files], capture_output=True, text=True, timeout=600, check=False)
    try:
        messages = json.loads(result.stdout)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"vnu did not report (exit {result.returncode}):\n{result.stdout}\n{result.stderr}")
    errors = []
    for message in messages:
        file = Path(unquote(urlsplit(message.get("url", "")).path)).name
        where = names.get(file, message.get("url", "?"))
        line = message.get("lastLine", "?")
        extract = " ".join(message.get("extract", "").split())
        errors.append(f"{where} line {line}: {message['message']}" + (f"  [{extract}]" if extract else ""))
    if result.returncode not in (0, 1) or (result.returncode == 1 and not errors):
        pytest.fail(f"vnu failed (exit {result.returncode}):\n{result.stderr}")
    return errors
