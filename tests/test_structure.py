"""The package's structure: data flows one way.

The edges are read from the source with ``ast`` (nothing is imported): every import
statement counts, also those inside functions and under ``if TYPE_CHECKING``, and so does
every late binding, a string that names a module of the package (``import_module("symcnn.x")``,
IPython's ``for_type_by_name("symcnn.x", ...)``; docstrings excepted). A module may reach its
own layer or a lower one, never a higher one, and the edges have no cycle. The facade
``symcnn/__init__.py`` sits above everything (it loads the public names on first use and
registers the notebook display); nothing inside the package imports it.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "symcnn"

#: The layers, lowest first: a module's layer is the first whose prefixes match its name.
LAYERS = (
    ("vocabulary", ("errors", "symbols", "numbers", "printing", "shape", "rounding", "formulas", "limits")),
    ("engine", ("records", "steps", "layers", "attention", "network", "table")),
    ("analysis", ("analysis",)),
    ("builders", ("builders",)),
    ("documents", ("checkdoc",)),
    ("views", ("views",)),
    ("commands", ("commands", "__main__")),
)


def modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its ``__init__``)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def layer_of(module: str) -> int | None:
    """The rank of a module's layer; None for the facade (the package itself)."""
    if module == "symcnn":
        return None
    first = module.split(".")[1]
    for rank, (_, prefixes) in enumerate(LAYERS):
        if first in prefixes:
            return rank
    raise AssertionError(f"{module} is in no layer: add it to LAYERS in {__file__}")


#: A module's dotted name in a string (``"symcnn.analysis.closed:analyse"``).
_NAMED = re.compile(r"\bsymcnn(?:\.\w+)+")


def docstrings(tree: ast.Module) -> set[int]:
    """The ids of the docstring nodes of a module, its classes and its functions."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def named(text: str, known: dict[str, Path]) -> set[str]:
    """The package's modules a string names (the longest known prefix of each dotted name in it)."""
    found = set()
    for match in _NAMED.findall(text):
        parts = match.split(".")
        for end in range(len(parts), 1, -1):
            if ".".join(parts[:end]) in known:
                found.add(".".join(parts[:end]))
                break
    return found


def imports(module: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The package's modules that ``module`` imports or names in a string (a late binding)."""
    is_package = path.name == "__init__.py"
    found = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            found |= named(node.value, known)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "symcnn"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target.split(".")[0] != "symcnn":
                continue
            # `from . import limits` imports the module symcnn.limits; `from .x import y` imports symcnn.x
            subs = {f"{target}.{a.name}" for a in node.names} & set(known)
            found |= subs or {target}
    return {m for m in found if m in known and m != module}


GRAPH = {m: imports(m, p, modules()) for m, p in modules().items()}


def test_every_module_has_a_layer():
    for module in GRAPH:
        layer_of(module)


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_no_import_from_a_higher_layer(module):
    rank = layer_of(module)
    if rank is None:
        return
    for target in sorted(GRAPH[module]):
        target_rank = layer_of(target)
        assert target_rank is not None, f"{module} imports the facade symcnn; import the module it needs instead"
        assert target_rank <= rank, (
            f"{module} ({LAYERS[rank][0]}) imports {target} ({LAYERS[target_rank][0]}), a higher layer"
        )


def test_no_import_cycle():
    state: dict[str, str] = {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = "open"
        for target in sorted(GRAPH[module]):
            if state.get(target) == "open":
                cycle = path[path.index(target):] + [target] if target in path else [module, target]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if target not in state:
                visit(target, [*path, target])
        state[module] = "done"

    for module in sorted(GRAPH):
        if module not in state:
            visit(module, [module])


def test_the_graph_is_read():
    # The reader itself: known edges of each kind of import statement are found.
    assert "symcnn.records" in GRAPH["symcnn.steps"]  # from .records import Step
    assert "symcnn.analysis.closed" in GRAPH["symcnn.analysis"]  # from .closed import ...
    assert "symcnn.analysis" in GRAPH["symcnn.commands"]  # from ..analysis import explain (in a function)
    # a late binding: the facade loads each public name from a string naming its module
    assert {"symcnn.network", "symcnn.records", "symcnn.views.report.render"} <= GRAPH["symcnn"]


def test_a_string_naming_a_module_is_an_edge():
    known = {"symcnn.views.notebook": PACKAGE, "symcnn.network": PACKAGE}
    assert named('import_module("symcnn.views.notebook")', known) == {"symcnn.views.notebook"}
    assert named("symcnn.views.notebook:markdown", known) == {"symcnn.views.notebook"}
    assert named("symcnn.network.Network", known) == {"symcnn.network"}
    assert named("analyse(symcnn.load(...))", known) == set()
    assert "symcnn.network" in GRAPH["symcnn.analysis.closed"]  # from ..network import Network
    assert "symcnn.commands" in GRAPH["symcnn.__main__"]  # from symcnn.commands import cli
