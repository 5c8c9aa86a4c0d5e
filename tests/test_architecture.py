"""The package's shape (docs/architecture.md): no import cycles, each layer imports only below."""

from __future__ import annotations

import ast
import itertools
import re
from pathlib import Path

from tests.conftest import ROOT

# Lowest first. A module may import its own layer and the layers below it. A new module goes in
# one of these.
LAYERS = (
    ("newsetl", "newsetl.settings", "newsetl.compiled"),
    ("newsetl.text",),
    ("newsetl.store",),
    ("newsetl.load", "newsetl.warehouse"),
    ("newsetl.report",),
    # The article generator and the quality scorer: development tools beside the package, not
    # in the wheel (pyproject.toml). They may import the library; the library never imports them.
    ("devtools",),
)
# Subpackages side by side in a layer: neither imports the other.
SIBLINGS = ("newsetl.load", "newsetl.warehouse")
# The library runs anywhere: Prefect and the flow layer sit on top of it, never inside.
NOT_IN_THE_LIBRARY = ("flows", "prefect", "prefect_dask")
_PYX_IMPORT = re.compile(r"^\s*(?:from\s+([\w.]+)\s+c?import\s+([\w, ]+)|import\s+([\w.]+))", re.M)


def module_files(root: Path, packages: tuple[str, ...]) -> dict[str, Path]:
    """Every module of the packages under root, by dotted name (a package by its own name);
    Cython's .pyx modules too."""
    found: dict[str, Path] = {}
    for package in packages:
        for path in sorted((root / package).rglob("*")):
            if path.suffix not in (".py", ".pyx") or "__pycache__" in path.parts:
                continue
            parts = path.relative_to(root).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def _imported(name: str, path: Path) -> list[tuple[str, list[str], int]]:
    """(module, names taken from it, line) of every import statement in the file, at any
    depth: inside functions and `if TYPE_CHECKING:` too. Relative imports are resolved."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".pyx":  # not Python's grammar: its import lines are
        found = []
        for match in _PYX_IMPORT.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            if match.group(3):
                found.append((match.group(3), [], line))
            else:
                names = [n.strip() for n in match.group(2).split(",")]
                found.append((match.group(1), names, line))
        return found
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(text, str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, [], node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.append((base, [alias.name for alias in node.names], node.lineno))
    return found


def import_graph(root: Path, packages: tuple[str, ...]) -> dict[str, dict[str, str]]:
    """module -> {module it imports: where (path:line)}, between the packages' modules only.
    `from package import module` is an import of that module."""
    modules = module_files(root, packages)
    graph: dict[str, dict[str, str]] = {name: {} for name in modules}
    for name, path in modules.items():
        where = path.relative_to(root).as_posix()
        for module, names, line in _imported(name, path):
            targets = [f"{module}.{n}" for n in names if f"{module}.{n}" in modules]
            if len(targets) < len(names) or not names:
                targets.append(module)  # names defined in the module itself
            for target in targets:
                if target in modules and target != name:
                    graph[name].setdefault(target, f"{where}:{line}")
    return graph


def external_imports(root: Path, packages: tuple[str, ...]) -> dict[str, set[str]]:
    """module -> the top-level names of everything it imports (e.g. `prefect`, `newsetl`)."""
    return {
        name: {module.split(".")[0] for module, _, _ in _imported(name, path) if module}
        for name, path in module_files(root, packages).items()
    }


def circles(graph: dict[str, dict[str, str]]) -> list[list[str]]:
    """The modules that import each other in a circle, each such group sorted (the strongly
    connected components of more than one module: Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(components)


def find_cycles(graph: dict[str, dict[str, str]]) -> list[list[str]]:
    """One import cycle (its first module repeated at the end) through each circle."""
    return [_cycle_through(graph, component) for component in circles(graph)]


def _cycle_through(graph: dict[str, dict[str, str]], component: list[str]) -> list[str]:
    """A path from the component's first module back to it, inside the component."""
    start, members = component[0], set(component)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for target in sorted(graph[node]):
            if target == start:
                return [*paths[node], start]
            if target in members and target not in paths:
                paths[target] = [*paths[node], target]
                queue.append(target)
    raise AssertionError(f"no cycle through {component}")  # a component always has one


def _describe(graph: dict[str, dict[str, str]], cycle: list[str]) -> str:
    steps = [f"{a} imports {b} ({graph[a][b]})" for a, b in itertools.pairwise(cycle)]
    return "; ".join(steps)


def layer_of(module: str) -> tuple[int, str] | None:
    """(layer number, the LAYERS entry it falls under) of a newsetl or devtools module; None if
    in none."""
    best: tuple[int, str] | None = None
    for number, names in enumerate(LAYERS):
        for entry in names:
            under = module == entry or (entry != "newsetl" and module.startswith(f"{entry}."))
            if under and (best is None or len(entry) > len(best[1])):
                best = (number, entry)
    return best


def test_no_module_imports_itself_in_a_circle() -> None:
    graph = import_graph(ROOT, ("newsetl", "flows", "devtools"))
    assert len(graph) > 40  # the walk found the package
    found = [
        f"{', '.join(circle)}: e.g. {_describe(graph, _cycle_through(graph, circle))}"
        for circle in circles(graph)
    ]
    assert not found, "modules importing each other in a circle: " + " | ".join(found)


def test_a_cycle_through_an_import_inside_a_function_is_found(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("")
    (package / "a.py").write_text("from pkg.sub import b\n")
    (package / "sub" / "b.py").write_text("def f():\n    from ..c import g\n    return g\n")
    (package / "c.py").write_text("if False:\n    from pkg import a\ng = 1\n")
    (package / "d.py").write_text("from pkg import a, c\n")  # into the cycle, not part of it
    graph = import_graph(tmp_path, ("pkg",))
    assert graph["pkg.sub.b"] == {"pkg.c": "pkg/sub/b.py:2"}
    assert graph["pkg.d"] == {"pkg.a": "pkg/d.py:1", "pkg.c": "pkg/d.py:1"}
    assert find_cycles(graph) == [["pkg.a", "pkg.sub.b", "pkg.c", "pkg.a"]]
    assert _describe(graph, find_cycles(graph)[0]) == (
        "pkg.a imports pkg.sub.b (pkg/a.py:1); pkg.sub.b imports pkg.c (pkg/sub/b.py:2); "
        "pkg.c imports pkg.a (pkg/c.py:2)"
    )


def layer_violations(graph: dict[str, dict[str, str]]) -> list[str]:
    """Each import of a higher layer, or of a sibling subpackage (SIBLINGS)."""
    wrong = []
    for module, targets in sorted(graph.items()):
        layer, home = layer_of(module) or (0, "")
        for target, where in sorted(targets.items()):
            target_layer, target_home = layer_of(target) or (0, "")
            sideways = home != target_home and {home, target_home} <= set(SIBLINGS)
            if target_layer > layer or sideways:
                wrong.append(f"{module} imports {target} ({where})")
    return wrong


def test_each_layer_imports_only_its_own_subpackage_and_the_layers_below() -> None:
    graph = import_graph(ROOT, ("newsetl", "devtools"))
    assert "devtools.quality" in graph  # the walk found the developer tools
    unplaced = sorted(module for module in graph if layer_of(module) is None)
    assert not unplaced, f"put these in a layer of LAYERS (docs/architecture.md): {unplaced}"
    wrong = layer_violations(graph)
    assert not wrong, "imports against the layers: " + "; ".join(wrong)


def test_the_layer_rule_refuses_an_import_upwards_or_sideways() -> None:
    graph = {
        "newsetl.store.write": {"newsetl.load.rows": "a.py:1", "newsetl.settings": "a.py:2"},
        "newsetl.load.derived": {"newsetl.warehouse.connect": "b.py:3"},
        "newsetl.load.ingest": {"newsetl.load.derived": "c.py:4", "newsetl.text.clean": "c.py:5"},
        "newsetl.report": {"devtools.articles": "d.py:6"},
        "devtools.quality": {"newsetl.text.clean": "e.py:7", "devtools.articles": "e.py:8"},
    }
    assert layer_violations(graph) == [
        "newsetl.load.derived imports newsetl.warehouse.connect (b.py:3)",
        "newsetl.report imports devtools.articles (d.py:6)",
        "newsetl.store.write imports newsetl.load.rows (a.py:1)",
    ]
    assert layer_of("newsetl.somewhere_new") is None  # a new flat module must pick a layer


def test_the_library_imports_neither_prefect_nor_the_flows() -> None:
    found = {
        module: sorted(names & set(NOT_IN_THE_LIBRARY))
        for module, names in external_imports(ROOT, ("newsetl",)).items()
        if names & set(NOT_IN_THE_LIBRARY)
    }
    assert found == {}
