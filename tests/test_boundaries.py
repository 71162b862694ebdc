"""The project's import boundaries (STYLE.md house rules 11–14, issue #17):

- no import cycle between the project's modules (imports inside functions count; a
  ``TYPE_CHECKING`` block does not);
- no app imports another app's underscored module or underscored name (what other apps need
  is a public name of ``casework.services`` / ``casework.selectors``);
- a ``services`` / ``selectors`` package that declares ``__all__`` is used by other apps
  through those names only: imported from the package, never from its submodules
  (``from casework.services.attachments import …``), nor read as an attribute of the package
  outside ``__all__``;
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


def _import_nodes(module: str, path: Path):
    """(node, source) for every import of ``path`` outside a ``TYPE_CHECKING`` block; ``source``
    is the absolute module an ``ImportFrom`` imports from (``None`` for an ``Import``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {
        id(sub)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for sub in ast.walk(node)
    }
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            yield node, None
        elif isinstance(node, ast.ImportFrom) and node.module != "__future__":
            if node.level:
                base = ".".join(package[: len(package) - (node.level - 1)])
                yield node, (f"{base}.{node.module}" if node.module else base)
            else:
                yield node, node.module


def _imports(module: str, path: Path, modules: dict[str, Path]) -> set[str]:
    found: set[str] = set()
    for node, source in _import_nodes(module, path):
        if source is None:
            targets = [alias.name for alias in node.names]
        else:
            submodules = [f"{source}.{alias.name}" for alias in node.names if f"{source}.{alias.name}" in modules]
            targets = submodules + ([source] if len(submodules) < len(node.names) else [])
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


def _app(module: str) -> str:
    return module.split(".")[0]


def _declared_surfaces(modules: dict[str, Path]) -> dict[str, set[str]]:
    """``__all__`` of every ``services`` / ``selectors`` package that declares one."""
    found = {}
    for name, path in modules.items():
        if path.name != "__init__.py" or name.split(".")[-1] not in {"services", "selectors"}:
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__all__" for t in node.targets):
                found[name] = set(ast.literal_eval(node.value))
    return found


def _surface_misuses(module: str, path: Path, surfaces: dict[str, set[str]]) -> list[str]:
    """How ``module`` reaches past another app's declared ``services`` / ``selectors`` names."""
    bad: list[str] = []

    def package_of(name: str) -> str | None:
        return next((p for p in surfaces if (name == p or name.startswith(p + ".")) and _app(p) != _app(module)), None)

    aliases: dict[str, str] = {}  # local name bound to a surface package → the package
    for node, source in _import_nodes(module, path):
        if source is None:
            for alias in node.names:
                package = package_of(alias.name)
                if package is None:
                    continue
                if alias.name != package:
                    bad.append(f"import {alias.name}")
                elif alias.asname:
                    aliases[alias.asname] = package
            continue
        if _app(source) != _app(module) and package_of(source) is None:
            bad.extend(f"from {source} import {a.name}" for a in node.names if a.name.startswith("_"))
        for alias in node.names:
            package = package_of(f"{source}.{alias.name}")
            if package is not None and f"{source}.{alias.name}" == package:
                aliases[alias.asname or alias.name] = package
        package = package_of(source)
        if package is None:
            continue
        if source != package:
            bad.append(f"from {source} import {', '.join(a.name for a in node.names)}")
        else:
            bad.extend(f"from {source} import {a.name}" for a in node.names if a.name not in surfaces[package])
    if aliases:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
                package = aliases[node.value.id]
                if node.attr not in surfaces[package]:
                    bad.append(f"{package}.{node.attr}")
    return bad


def test_other_apps_use_only_the_declared_names_of_services_and_selectors():
    modules = _modules()
    surfaces = _declared_surfaces(modules)
    assert {"casework.services", "escalation.services"} <= set(surfaces)
    bad = {m: found for m, path in modules.items() if (found := _surface_misuses(m, path, surfaces))}
    assert bad == {}


def test_the_surface_check_catches_a_submodule_import(tmp_path):
    surfaces = {"casework.services": {"check_files"}}
    path = tmp_path / "services.py"
    path.write_text(
        "from casework import services as cs\n"
        "from casework.services import check_files, _store\n"
        "from casework.services.attachments import write_file\n"
        "import casework.services.core\n"
        "def f():\n"
        "    return cs.check_files, cs.sanitize_filename\n",
        encoding="utf-8",
    )
    assert _surface_misuses("visits.services", path, surfaces) == [
        "from casework.services import _store",
        "from casework.services.attachments import write_file",
        "import casework.services.core",
        "casework.services.sanitize_filename",
    ]
    # Within its own app a package's submodules are free to use.
    assert _surface_misuses("casework.views", path, surfaces) == []
    # Another app's underscored name, wherever it lives.
    path.write_text("from casework.selectors import _AnyOf\n", encoding="utf-8")
    assert _surface_misuses("visits.services", path, surfaces) == ["from casework.selectors import _AnyOf"]


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
