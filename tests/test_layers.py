"""The package's layers, checked from the source: content → i18n → render → engine, with no
arrow pointing up and no import cycle between modules."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import policypress

PACKAGE = Path(policypress.__file__).resolve().parent


def _module_name(path: Path, package: Path = PACKAGE) -> str:
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(module: str, path: Path, node: ast.ImportFrom) -> list[str]:
    """The absolute names an ``import``/``from … import`` statement brings in: the module and,
    for ``from package import name``, ``package.name`` too (it may be a submodule)."""
    if node.level:
        package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
        base = package[: len(package) - node.level + 1]
        prefix = ".".join(base + ([node.module] if node.module else []))
    else:
        prefix = node.module or ""
    return [prefix] + [f"{prefix}.{alias.name}" for alias in node.names]


def _imports(path: Path, *, top_level_only: bool, package: Path = PACKAGE) -> list[tuple[str, int]]:
    """(imported module, line) for every import in the file: inside functions and under
    ``if TYPE_CHECKING:`` too, unless ``top_level_only`` (imports run when the module loads)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    module = _module_name(path, package)
    found: list[tuple[str, int]] = []

    def visit(node: ast.AST, top: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                if top or not top_level_only:
                    found.extend((alias.name, child.lineno) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                if top or not top_level_only:
                    found.extend((name, child.lineno) for name in _resolve(module, path, child))
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                visit(child, False)
            elif isinstance(child, ast.If) and _is_type_checking(child.test):
                visit(child, False)  # never runs, so it cannot close a cycle
            else:
                visit(child, top)

    visit(tree, True)
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _layer_violations(layer: str, forbidden: tuple[str, ...]) -> list[str]:
    problems = []
    for name, path in _modules().items():
        if not (name == f"policypress.{layer}" or name.startswith(f"policypress.{layer}.")):
            continue
        for imported, line in _imports(path, top_level_only=False):
            if any(imported == f or imported.startswith(f + ".") for f in forbidden):
                problems.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {imported}")
    return sorted(set(problems))


@pytest.mark.parametrize(
    ("layer", "forbidden"),
    [
        ("render", ("policypress.engine",)),
        ("i18n", ("policypress.render", "policypress.engine")),
        ("content", ("policypress.render", "policypress.engine", "policypress.i18n")),
    ],
)
def test_no_layer_imports_a_layer_above_it(layer: str, forbidden: tuple[str, ...]) -> None:
    assert _layer_violations(layer, forbidden) == []


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for imported, _line in _imports(path, top_level_only=True):
            if imported in modules and imported != name:
                graph[name].add(imported)
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the list of modules round it, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def _parents_of(name: str) -> set[str]:
    parts = name.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts))}


def test_no_import_cycles() -> None:
    # A package's __init__ runs before its modules, so "module imports its own package" is not
    # an arrow of the design: leave those edges out.
    graph = {name: deps - _parents_of(name) for name, deps in _graph().items()}
    cycle = _cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_checker_sees_imports_inside_functions_and_type_checking(tmp_path: Path) -> None:
    # The checker itself must be able to fail: a function-level and a TYPE_CHECKING import.
    source = tmp_path / "policypress" / "render" / "sample.py"
    source.parent.mkdir(parents=True)
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from policypress.engine.build import SiteBuild\n"
        "def f():\n"
        "    from ..engine import cache\n",
        encoding="utf-8",
    )
    package = tmp_path / "policypress"
    top = _imports(source, top_level_only=True, package=package)
    assert top == [("typing", 1), ("typing.TYPE_CHECKING", 1)]
    names = {name for name, _ in _imports(source, top_level_only=False, package=package)}
    assert {"policypress.engine.build", "policypress.engine.cache"} <= names


def test_the_cycle_finder_reports_the_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}
    assert _cycle(graph) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_the_preview_server_prints_only_through_the_command_line() -> None:
    # serve.py is given its printers by cli.py; it never talks to Click itself.
    imported = {name for name, _ in _imports(PACKAGE / "serve.py", top_level_only=False)}
    assert not {name for name in imported if name == "click" or name.startswith("click.")}


def _reachable(start: str) -> set[str]:
    """Every package module ``start`` may import, directly or not (inside functions too)."""
    modules = _modules()
    seen: set[str] = set()
    todo = [start]
    while todo:
        name = todo.pop()
        if name in seen or name not in modules:
            continue
        seen.add(name)
        todo.extend(imported for imported, _ in _imports(modules[name], top_level_only=False))
    return seen


def test_check_runs_on_the_site_without_the_build_machinery() -> None:
    # `check` reads the Site and its views: no PDF workers, no writer, no lock on the output.
    machinery = {
        "policypress.engine.build",
        "policypress.engine.registry",
        "policypress.engine.pdfs",
        "policypress.engine.workers",
        "policypress.engine.pdf_worker",
        "policypress.engine.writer",
        "policypress.engine.lock",
    }
    assert _reachable("policypress.lint") & machinery == set()
    assert "policypress.engine.site" in _reachable("policypress.lint")


def test_generators_reach_each_other_only_through_the_registry() -> None:
    # A format is one module: no generator module imports another, so removing or adding one
    # touches only engine/registry.py.
    generators = {
        "policypress.engine.assets",
        "policypress.engine.braille",
        "policypress.engine.epubs",
        "policypress.engine.leaflets",
        "policypress.engine.pages",
        "policypress.engine.pdfs",
        "policypress.engine.sitemap",
    }
    modules = _modules()
    for name in generators:
        imported = {i for i, _ in _imports(modules[name], top_level_only=False)}
        assert imported & (generators - {name}) == set(), name
