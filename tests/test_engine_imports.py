"""The package's layering: imports go one way, with the scalar engine at the bottom.

Read from the source (every ``import``, including those inside functions), so a cycle is
caught even when Python would happen to tolerate it at import time.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "autograd"

# Bottom to top: a module may import only modules of lower layers. The course machinery
# (autograd.course) and the package face (autograd/__init__.py) sit on top of all of these.
# (A module not named here, say a small helper of one of them, is only checked for cycles.)
LAYERS = [
    ["engine", "forward", "quiz", "graphviz_backend"],
    ["tensor", "nn", "draw"],
    ["functional", "layers", "checkpoint", "tensor_gradcheck", "animate"],
    ["gradcheck"],
]
LAYER = {name: depth for depth, names in enumerate(LAYERS) for name in names}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """The modules of the package that ``path`` imports (``from . import x`` counts as x)."""
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "autograd")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "autograd":
                continue
            for alias in node.names:  # `from . import functional` imports a module
                sub = f"{target}.{alias.name}"
                found.add(sub if _is_module(sub) else target)
    found.discard(here)
    return found


def _is_module(name: str) -> bool:
    path = PACKAGE.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def import_graph() -> dict[str, set[str]]:
    return {module_name(p): imports_of(p) for p in sorted(PACKAGE.rglob("*.py"))}


@pytest.mark.parametrize("name", sorted(LAYER))
def test_each_module_imports_only_lower_layers(name):
    graph = import_graph()
    if f"autograd.{name}" not in graph:
        pytest.skip(f"autograd/{name}.py is gone: update LAYERS")
    for target in sorted(graph[f"autograd.{name}"]):
        short = target.removeprefix("autograd.")
        assert target != "autograd" and not short.startswith("course"), (
            f"autograd.{name} imports {target}, which sits on top of everything"
        )
        if short not in LAYER:  # a helper module the list does not name: the cycle test covers it
            continue
        assert LAYER[short] < LAYER[name], (
            f"autograd.{name} (layer {LAYER[name]}) imports {target} (layer {LAYER[short]})"
        )


def test_the_engine_imports_nothing_from_the_package_and_not_numpy():
    tree = ast.parse((PACKAGE / "engine.py").read_text(encoding="utf-8"))
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not any(n.split(".")[0] in ("numpy", "autograd", "") for n in names), names


def test_the_import_graph_has_no_cycle():
    """Depth-first search over the whole package (course included), reporting a cycle found."""
    graph = import_graph()
    # The package face imports everything and nothing below may import it back.
    assert not [m for m, targets in graph.items() if "autograd" in targets and m != "autograd"]
    state: dict[str, str] = {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = "visiting"
        for target in sorted(graph.get(module, ())):
            if state.get(target) == "visiting":
                cycle = path[path.index(target) :] + [target] if target in path else [target]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if target not in state:
                visit(target, [*path, target])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])


def test_the_checker_finds_a_cycle(tmp_path, monkeypatch):
    """The cycle test would fail on the old gradcheck <-> tensor_gradcheck pair."""
    package = tmp_path / "autograd"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "gradcheck.py").write_text("def f():\n    from .tensor_gradcheck import g\n")
    (package / "tensor_gradcheck.py").write_text("from .gradcheck import f\n")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", package)
    with pytest.raises(AssertionError, match="import cycle"):
        test_the_import_graph_has_no_cycle()
