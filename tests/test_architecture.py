"""The shape of the code: no import cycles, no imports hidden in functions, the layer contracts kept.

The layer rule itself lives in pyproject.toml as import-linter contracts (docs/architecture.md
explains it); these tests hold the parts a contract cannot express.
"""

import ast
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "academy"


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph("academy", exclude_type_checking_imports=True)


def test_no_module_imports_a_module_that_imports_it_back(graph):
    cycles = []
    for module in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if imported != module and graph.chain_exists(importer=imported, imported=module):
                cycles.append(f"{module} -> {imported} -> ... -> {module}")
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_no_import_hides_inside_a_function():
    hidden = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Import | ast.ImportFrom):
                        name = inner.module if isinstance(inner, ast.ImportFrom) else inner.names[0].name
                        hidden.append(f"{path.relative_to(PACKAGE.parent)}:{inner.lineno} imports {name}")
    assert not hidden, "\n".join(hidden)


def test_the_import_contracts_hold():
    linter = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(linter), "--no-cache"], cwd=PACKAGE.parent, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout[-4000:]
