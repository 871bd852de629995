"""``make student`` (tools/student.py): exercise-only copies of the lessons for a class.

Two kinds of test:

* the copy itself, on small made-up notebooks: solution cells and their "**Solution**"
  headings go, the stubs and all other cells stay, outputs and saved widget state go, and a
  solution that lost its tag is refused rather than handed out;
* the copies of the real lessons, executed as a learner who has not started yet would run
  them (a fresh kernel, an empty learner's store, errors allowed): a cell may fail only when it
  depends on an exercise (it uses a name an exercise cell defines, or one defined from such a
  name), and every check cell says "not yet" (its report's verdict starts with ✗). Lessons
  without exercise cells are skipped.
"""

from __future__ import annotations

import ast
import os
import sys
from pathlib import Path

import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import student  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
# Executing a student copy takes ~5 s per lesson. Every run executes these (exercises on
# plain functions, the first lesson of the scalar engine, the first of the tensor engine);
# all lessons run in CI (CI=true) or with `pytest -m student_copies`.
REPRESENTATIVE = ("01", "03", "08")


def _code(source: str, tags: tuple[str, ...] = (), outputs: int = 0) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    if tags:
        cell.metadata["tags"] = list(tags)
    cell.execution_count = 3 if outputs else None
    cell.outputs = [nbformat.v4.new_output("stream", text="out\n") for _ in range(outputs)]
    return cell


def _lesson() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    nb.cells = [
        nbformat.v4.new_markdown_cell("# A lesson\n\nSome prose."),
        _code("x = 1", outputs=1),
        nbformat.v4.new_markdown_cell("### ✏️ Exercise: write f"),
        _code("def f(x):\n    raise NotImplementedError('write f')", ("exercise",)),
        _code("check_f(f)", outputs=1),
        nbformat.v4.new_markdown_cell("**Solution** (open only if stuck)"),
        _code(
            "### BEGIN SOLUTION\ndef f(x):\n    return 2 * x\n### END SOLUTION\n"
            'prefer_yours("01.f")',
            ("solution",),
        ),
        nbformat.v4.new_markdown_cell("Now use `f`:"),
        _code("f(3)", outputs=2),
        # a solution without a heading right before it: the prose before it stays
        nbformat.v4.new_markdown_cell("Another exercise, explained at length."),
        _code("def g(x):\n    ...", ("exercise",)),
        _code("check_g(g)"),
        _code("### BEGIN SOLUTION\ndef g(x):\n    return x\n### END SOLUTION", ("solution",)),
    ]
    return nb


def test_student_copy_removes_solutions_and_their_headings_and_keeps_the_stubs():
    nb = _lesson()
    copy, removed = student.student_copy(nb)
    sources = [c.source for c in copy.cells]
    assert removed == 2
    assert not any("BEGIN SOLUTION" in s or "prefer_yours" in s for s in sources)
    assert "**Solution** (open only if stuck)" not in sources
    assert "Another exercise, explained at length." in sources  # not a solution heading
    assert [c.source for c in copy.cells if "exercise" in c.metadata.get("tags", [])] == [
        "def f(x):\n    raise NotImplementedError('write f')",
        "def g(x):\n    ...",
    ]
    assert "check_f(f)" in sources and "check_g(g)" in sources and "f(3)" in sources
    assert len(copy.cells) == len(nb.cells) - 3
    assert len(nb.cells) == 13, "the notebook passed in must not change"


def test_student_copy_clears_outputs_and_saved_widget_state():
    copy, _ = student.student_copy(_lesson())
    assert "widgets" not in copy.metadata
    for cell in copy.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    nbformat.validate(copy)


def test_student_copy_refuses_a_solution_that_lost_its_tag():
    nb = _lesson()
    nb.cells[6].metadata["tags"] = []  # the solution cell, untagged
    with pytest.raises(student.LeakError, match="BEGIN SOLUTION"):
        student.student_copy(nb)


def test_make_student_writes_one_copy_per_lesson(tmp_path, capsys):
    (tmp_path / "solved").mkdir()
    nbformat.write(_lesson(), tmp_path / "solved" / "01_demo.ipynb")
    nbformat.write(_lesson(), tmp_path / "solved" / "02_other.ipynb")
    out = tmp_path / "student"
    code = student.main(["--notebooks", str(tmp_path / "solved"), "--out", str(out), "01"])
    assert code == 0
    assert [p.name for p in out.iterdir()] == ["01_demo.ipynb"]
    assert "2 exercises, 2 solutions removed" in capsys.readouterr().out
    copy = nbformat.read(out / "01_demo.ipynb", as_version=4)
    assert not any("solution" in c.metadata.get("tags", []) for c in copy.cells)


def test_student_folder_is_git_ignored():
    ignored = (ROOT / ".gitignore").read_text().split()
    assert "student/" in ignored or "/student/" in ignored


# --------------------------------------------------------------------------- the real lessons
_TRANSFORM = TransformerManager()


def _names(source: str) -> tuple[set[str], set[str]]:
    """(names a cell reads, names it binds) -- an attribute or item assignment such as
    ``Value.__add__ = __add__`` binds (changes) ``Value``."""
    tree = ast.parse(_TRANSFORM.transform_cell(source))
    reads: set[str] = set()
    binds: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (reads if isinstance(node.ctx, ast.Load) else binds).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            binds.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            binds.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, (ast.Attribute, ast.Subscript)) and isinstance(node.ctx, ast.Store):
            base = node.value
            while isinstance(base, (ast.Attribute, ast.Subscript)):
                base = base.value
            if isinstance(base, ast.Name):
                binds.add(base.id)
    return reads, binds


def exercise_dependent_cells(nb: nbformat.NotebookNode) -> set[int]:
    """Indices of the code cells that depend on an exercise: the exercise cells themselves,
    and every later cell that reads a name bound by a dependent cell."""
    tainted: set[str] = set()
    dependent: set[int] = set()
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        reads, binds = _names(cell.source)
        if "exercise" in student.tags(cell) or reads & tainted:
            dependent.add(i)
            tainted |= binds
    return dependent


def check_cells(nb: nbformat.NotebookNode) -> list[int]:
    """The check cell of each exercise: the first code cell after its stub."""
    found = []
    for i, cell in enumerate(nb.cells):
        if "exercise" in student.tags(cell):
            found.append(
                next(j for j in range(i + 1, len(nb.cells)) if nb.cells[j].cell_type == "code")
            )
    return found


def test_dependency_analysis_follows_names_from_the_exercises():
    nb = _lesson()
    nb.cells.insert(9, _code("y = f(2) + x"))  # depends on f
    nb.cells.insert(10, _code("print(y)"))  # depends on y
    nb.cells.insert(11, _code("print(x)"))  # does not
    copy, _ = student.student_copy(nb)
    dependent = {copy.cells[i].source for i in exercise_dependent_cells(copy)}
    assert {"check_f(f)", "f(3)", "y = f(2) + x", "print(y)", "check_g(g)"} <= dependent
    assert "print(x)" not in dependent and "x = 1" not in dependent
    assert [copy.cells[i].source for i in check_cells(copy)] == ["check_f(f)", "check_g(g)"]


def _has_exercises(path: Path) -> bool:
    nb = nbformat.read(path, as_version=4)
    return any("exercise" in student.tags(c) for c in nb.cells)


def _every_lesson(config: pytest.Config) -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes") or (
        "student_copies" in (config.getoption("markexpr") or "")
    )


WITH_EXERCISES = [p for p in NOTEBOOKS if _has_exercises(p)]  # every lesson but the start page


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(p, marks=() if p.name[:2] in REPRESENTATIVE else pytest.mark.student_copies)
        for p in WITH_EXERCISES
    ],
    ids=[p.stem for p in WITH_EXERCISES],
)
def test_student_copy_fails_only_where_the_exercises_are_missing(
    path, tmp_path, monkeypatch, request
):
    if path.name[:2] not in REPRESENTATIVE and not _every_lesson(request.config):
        pytest.skip("run every lesson's student copy with `pytest -m student_copies` (CI does)")
    copy, removed = student.student_copy(nbformat.read(path, as_version=4))
    assert removed, f"{path.name} has exercises but no cell tagged 'solution'"
    monkeypatch.setenv("AUTOGRAD_HOME", str(tmp_path / "autograd-home"))  # nothing passed yet
    monkeypatch.setenv("PYTHONHASHSEED", "0")
    NotebookClient(
        copy,
        timeout=300,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(tmp_path)}},
    ).execute()

    dependent = exercise_dependent_cells(copy)
    failed = {
        i: next(o for o in c.outputs if o.output_type == "error")
        for i, c in enumerate(copy.cells)
        if c.cell_type == "code" and any(o.output_type == "error" for o in c.outputs)
    }
    unexpected = {i: e for i, e in failed.items() if i not in dependent}
    assert not unexpected, "\n".join(
        f"cell {i} fails without using any exercise's code:\n{copy.cells[i].source}\n"
        f"-> {e.ename}: {e.evalue}"
        for i, e in unexpected.items()
    )
    for i in check_cells(copy):
        cell = copy.cells[i]
        assert i not in failed, f"the check cell {cell.source!r} raised: {failed[i].evalue}"
        verdicts = [
            "".join(o.data["text/plain"])
            for o in cell.outputs
            if o.output_type in ("execute_result", "display_data") and "text/plain" in o.data
        ]
        assert verdicts, f"the check cell {cell.source!r} shows no report"
        assert verdicts[-1].startswith("✗"), (
            f"{cell.source!r} should say 'not yet' for the untouched stub, says {verdicts[-1]!r}"
        )
