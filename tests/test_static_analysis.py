"""bandit finds nothing in the application, and every finding it is told to pass over says why on its line."""

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# `# <the reason>  # nosec B123`: a reason, then the one check it answers (never a bare nosec for every check).
JUSTIFIED = re.compile(r"#\s*\S.*#\s*nosec B\d{3}(,\s*B\d{3})*\s*$")


def test_bandit_reports_nothing():
    run = subprocess.run(
        [sys.executable, "-m", "bandit", "-c", "pyproject.toml", "-r", "academy", "-q", "-f", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(run.stdout)
    findings = [f"{r['filename']}:{r['line_number']} {r['test_id']} {r['issue_text']}" for r in report["results"]]
    assert findings == [], "\n".join(findings)
    assert run.returncode == 0, run.stderr


def test_every_nosec_names_its_check_and_gives_a_reason():
    lines = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted((ROOT / "academy").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "nosec" in line and not JUSTIFIED.search(line)
    ]
    assert lines == [], "\n".join(lines)
