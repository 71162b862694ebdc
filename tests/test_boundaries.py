"""The project's import boundaries (STYLE.md house rules 11–14, issue #17):

- no import cycle between the project's modules (imports inside functions count; a
  ``TYPE_CHECKING`` block does not);
- no app imports another app's underscored module (what other apps need is a public name
  of ``casework.services`` / ``casework.selectors``);
- reads never import writes: nothing a ``selectors`` module imports, directly or through
  other project modules, is a ``services`` module.

The graph is read from the source (``ast``), so the test needs no import side effects.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _project_packages() -> list[str]:
    names = {cfg.name.split(".")[0] for cfg in apps.get_app_configs() if Path(cfg.path).is_relative_to(ROOT)}
    return sorted(names | {"config"})


def _modules() -> dict[str, Path]:
    found = {}
    for package in _project_packages():
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def _imports(module: str, path: Path, modules: dict[str, Path]) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {
        id(sub)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for sub in ast.walk(node)
    }
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module != "__future__":
            if node.level:
                base = ".".join(package[: len(package) - (node.level - 1)])
                source = f"{base}.{node.module}" if node.module else base
            else:
                source = node.module
            submodules = [f"{source}.{alias.name}" for alias in node.names if f"{source}.{alias.name}" in modules]
            targets = submodules + ([source] if len(submodules) < len(node.names) else [])
        else:
            continue
        found.update(t for t in targets if t in modules and t != module)
    return found


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_graph_sees_the_apps(graph):
    assert {"casework.services.core", "casework.selectors", "escalation.sweep", "audit.chain"} <= set(graph)
    assert "casework.services.core" in graph["casework.services.actions"]


def test_no_import_cycles(graph):
    assert _cycles(graph) == []


def test_no_app_imports_another_apps_underscored_module(graph):
    bad = [
        (module, target)
        for module, targets in graph.items()
        for target in targets
        if target.split(".")[0] != module.split(".")[0]
        and any(part.startswith("_") and not part.startswith("__") for part in target.split("."))
    ]
    assert bad == []


def test_reads_never_import_writes(graph):
    def reach(start: str) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            for target in graph[todo.pop()]:
                if target not in seen:
                    seen.add(target)
                    todo.append(target)
        return seen

    readers = [m for m in graph if "selectors" in m.split(".")]
    assert readers
    bad = {m: sorted(t for t in reach(m) if "services" in t.split(".")) for m in readers}
    assert {m: t for m, t in bad.items() if t} == {}
