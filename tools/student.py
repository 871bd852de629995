"""Exercise-only copies of the lessons, to hand out to a class: ``make student``.

    python tools/student.py                      # every lesson -> student/NN_name.ipynb
    python tools/student.py --out handout 03 04  # lessons whose name starts with 03 or 04

From each committed notebook (``notebooks/NN_name.ipynb``) the copy

* removes every cell tagged ``solution`` and, right before it, the markdown cell that
  introduces it (the one that starts with "**Solution**");
* keeps everything else, the exercise stubs (cells tagged ``exercise``) and their check cells
  included, so the learner fills in the stub and runs the check;
* clears every output and execution count, and drops the saved widget state
  (``metadata.widgets``): outputs of the solved notebook would show solved gradients.

A copy in which any cell still holds a ``### BEGIN SOLUTION`` marker is refused: a solution
cell that lost its tag would otherwise be handed out.

The other route, for nbgrader users: the solution code in every solution cell sits between
nbgrader's ``### BEGIN SOLUTION`` / ``### END SOLUTION`` markers, so ``nbgrader
generate_assignment`` replaces it with ``raise NotImplementedError()`` (see the README).
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"

SOLUTION_TAG = "solution"
EXERCISE_TAG = "exercise"
BEGIN = "### BEGIN SOLUTION"
# The markdown cell that introduces a solution: "**Solution** (open only if stuck)", "## Solution"
HEADING = re.compile(r"^\W*solution\b", re.IGNORECASE)


class LeakError(ValueError):
    """A student copy would still contain solution code."""


def tags(cell: nbformat.NotebookNode) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def is_solution_heading(cell: nbformat.NotebookNode) -> bool:
    """Whether a markdown cell only introduces the solution cell after it."""
    if cell.cell_type != "markdown":
        return False
    first = next((line for line in cell.source.splitlines() if line.strip()), "")
    return bool(HEADING.match(first))


def student_copy(nb: nbformat.NotebookNode) -> tuple[nbformat.NotebookNode, int]:
    """The exercise-only version of a lesson notebook, and how many solutions it removed.

    The notebook passed in is not changed.
    """
    nb = nbformat.from_dict(copy.deepcopy(nb))
    keep: list[nbformat.NotebookNode] = []
    removed = 0
    for cell in nb.cells:
        if SOLUTION_TAG in tags(cell):
            removed += 1
            if keep and is_solution_heading(keep[-1]):
                keep.pop()
            continue
        keep.append(cell)
    for cell in keep:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.metadata.pop("execution", None)
        if BEGIN in cell.source:
            raise LeakError(
                f"a {cell.cell_type} cell not tagged {SOLUTION_TAG!r} holds {BEGIN!r}: "
                f"{cell.source[:80]!r}... Tag the solution cell (or remove the marker)."
            )
    nb.cells = keep
    nb.metadata.pop("widgets", None)
    return nb, removed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("lessons", nargs="*", help="lesson numbers or name prefixes (default: all)")
    parser.add_argument("--out", default="student", help="output folder (default: student)")
    parser.add_argument(
        "--notebooks", default=str(NOTEBOOKS), help="folder of the solved notebooks"
    )
    args = parser.parse_args(argv)
    source_dir = Path(args.notebooks)
    sources = sorted(source_dir.glob("[0-9][0-9]_*.ipynb"))
    if args.lessons:
        sources = [s for s in sources if any(s.name.startswith(p) for p in args.lessons)]
    if not sources:
        print(f"no lesson matches {args.lessons!r} in {source_dir}/", file=sys.stderr)
        return 1
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for source in sources:
        nb = nbformat.read(source, as_version=4)
        try:
            copy, removed = student_copy(nb)
        except LeakError as exc:
            print(f"{source.name}: {exc}", file=sys.stderr)
            return 1
        exercises = sum(EXERCISE_TAG in tags(c) for c in copy.cells)
        nbformat.write(copy, out / source.name)
        print(f"{out / source.name}: {exercises} exercises, {removed} solutions removed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
