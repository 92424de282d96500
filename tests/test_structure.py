"""The shape of the house: no import cycle between modules, and the core imports nothing from ``exporters``.

Every import counts, wherever it is written (module level, inside a function, under ``TYPE_CHECKING``): an
import hidden in a function is still a dependency."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("migrate", "exporters")


def module_files(root: Path, packages: tuple[str, ...] = PACKAGES) -> dict[str, tuple[Path, bool]]:
    """Dotted module name -> (file, whether it is a package's ``__init__``)."""
    out = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            is_package = parts[-1] == "__init__"
            if is_package:
                parts.pop()
            out[".".join(parts)] = (path, is_package)
    return out


def imported_names(module: str, is_package: bool, tree: ast.AST) -> list[str]:
    """Every dotted name ``module`` imports, anywhere in its source; ``from a import b`` gives ``a`` and
    ``a.b`` (``b`` may be a submodule), relative imports resolved."""
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = module.split(".") if is_package else module.split(".")[:-1]
                parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join([*parts, *([node.module] if node.module else [])])
            names.append(base)
            names.extend(f"{base}.{alias.name}" for alias in node.names)
    return names


def import_graph(root: Path, packages: tuple[str, ...] = PACKAGES) -> dict[str, set[str]]:
    """Module -> the modules of ``packages`` it imports (the longest module name each import names)."""
    modules = module_files(root, packages)
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, (path, is_package) in modules.items():
        tree = ast.parse(path.read_text("utf-8"), str(path))
        for imported in imported_names(name, is_package, tree):
            parts = imported.split(".")
            for end in range(len(parts), 0, -1):
                candidate = ".".join(parts[:end])
                if candidate in modules:
                    if candidate != name:
                        graph[name].add(candidate)
                    break
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def test_no_import_cycle_between_modules():
    graph = import_graph(ROOT)
    assert "migrate.content.to_markdown" in graph["migrate.content.pipeline"]  # the graph sees real imports
    assert cycles(graph) == []


def test_the_core_imports_nothing_from_exporters():
    graph = import_graph(ROOT)
    assert "migrate.ir" in graph["exporters.hugo.exporter"]  # the graph sees imports across the two packages
    offending = {m: sorted(t for t in ts if t.split(".")[0] == "exporters")
                 for m, ts in graph.items() if m.split(".")[0] == "migrate"}
    assert {m: ts for m, ts in offending.items() if ts} == {}


def test_cycles_are_found_wherever_the_import_is_written(tmp_path):
    """The checker itself: a cycle through a function-level import, one through a ``TYPE_CHECKING`` import
    and one through a relative ``from . import`` are all found; a one-way import is not a cycle."""
    files = {
        "pkg/__init__.py": "",
        "pkg/a.py": "from pkg.b import thing\n",
        "pkg/b.py": "def f():\n    from pkg import a\n    return a\nthing = 1\n",
        "pkg/c.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.d import D\n",
        "pkg/d.py": "import pkg.c\nclass D: ...\n",
        "pkg/sub/__init__.py": "",
        "pkg/sub/e.py": "from . import f\n",
        "pkg/sub/f.py": "from .e import x\nimport os\n",
        "pkg/g.py": "from pkg.a import thing\n",
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    graph = import_graph(tmp_path, ("pkg",))
    assert cycles(graph) == [["pkg.a", "pkg.b"], ["pkg.c", "pkg.d"], ["pkg.sub.e", "pkg.sub.f"]]
