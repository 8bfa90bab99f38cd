"""The shape of the code: layers one way, no import cycle, no module over 800 lines.

The layers are the contract in ``.importlinter`` (docs/architecture.md explains
them); import-linter reads every import, those inside functions included.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "oicplan"
MAX_LINES = 800


def test_the_layer_contract_holds():
    import subprocess
    import sys

    linter = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(linter), str(ROOT / ".importlinter"), "--no-cache"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    broken = result.stdout[result.stdout.find("Broken contracts"):]
    assert result.returncode == 0, broken or result.stderr


def _internal_imports(path: Path) -> set[str]:
    """Modules of oicplan a file imports, at any depth of the file (functions included)."""
    module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("oicplan")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            if name.startswith("oicplan"):
                found.add(name)
                found |= {f"{name}.{alias.name}" for alias in node.names}
    return found


def _modules() -> dict[str, Path]:
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path
    return modules


def test_there_is_no_import_cycle():
    import networkx as nx

    modules = _modules()
    graph = nx.DiGraph()
    for name, path in modules.items():
        if name.endswith("__main__"):
            continue
        for target in _internal_imports(path):
            if target in modules and target != name and not name.startswith(target + "."):
                graph.add_edge(name, target)
    cycles = [c for c in nx.strongly_connected_components(graph) if len(c) > 1]
    assert not cycles, f"import cycles: {cycles}"


@pytest.mark.parametrize("name", sorted(_modules()))
def test_no_module_is_over_800_lines(name):
    lines = len(_modules()[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{name} has {lines} lines; split it (docs/architecture.md)"


def test_nothing_imports_the_entry_point():
    for name, path in _modules().items():
        if name in ("oicplan.cli.main", "oicplan.cli.__main__", "oicplan.__main__"):
            continue
        assert "oicplan.cli.main" not in _internal_imports(path), name
