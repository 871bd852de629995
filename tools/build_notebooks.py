"""Rebuild the lessons: ``lessons/NN_name.py`` (jupytext percent format) -> executed
``notebooks/NN_name.ipynb``.

The ``.py`` file is the source a teacher edits and reviews; the notebook is what learners
open and what nbval checks, so it is committed executed, top to bottom, in a fresh kernel,
with the same environment as the tests (``PYTHONHASHSEED=0``).

    python tools/build_notebooks.py              # every lesson
    python tools/build_notebooks.py 03 04        # lessons whose name starts with 03 or 04
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
LESSONS = ROOT / "lessons"
NOTEBOOKS = ROOT / "notebooks"

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def notebook_for(source: Path) -> Path:
    return NOTEBOOKS / (source.stem + ".ipynb")


def read_lesson(source: Path) -> nbformat.NotebookNode:
    """The lesson as an unexecuted notebook, with stable metadata."""
    nb = jupytext.read(source, fmt="py:percent")
    nb.metadata = {"kernelspec": KERNELSPEC}
    for i, cell in enumerate(nb.cells):
        cell.id = f"{source.stem[:2]}-{i:03d}"  # stable ids: a rebuild changes no line it need not
        cell.metadata.pop("lines_to_next_cell", None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nb


def build(source: Path) -> float:
    nb = read_lesson(source)
    # A fresh, empty learner's store: the committed outputs never depend on what was saved
    # on this machine (the kernel inherits the environment).
    os.environ["AUTOGRAD_HOME"] = tempfile.mkdtemp(prefix="autograd-home-")
    start = time.perf_counter()
    client = NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
        record_timing=False,
        allow_errors=False,
    )
    client.execute()
    seconds = time.perf_counter() - start
    nbformat.write(for_static_viewers(nb), notebook_for(source))
    return seconds


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def for_static_viewers(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """What is committed: the executed notebook without saved widget state, and without the
    widget views that would need it.

    With saved state (``metadata.widgets``), nbconvert -- and so GitHub and nbviewer --
    shows every widget output as a placeholder that needs JavaScript, and the state holds
    solved results; without it, a stored widget view can only say "Error displaying widget"
    (JupyterLab, on a notebook opened without running it). Dropping the view leaves each
    output's other MIME types, which every viewer shows: an animation's still picture, a
    quiz's text. Running the cell brings the live widget back.
    """
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW in data and len(data) > 1:
                del data[WIDGET_VIEW]
    return nb


def main(prefixes: list[str]) -> int:
    os.environ["PYTHONHASHSEED"] = "0"
    os.environ.setdefault("JUPYTER_CONFIG_PATH", str(ROOT / "jupyter_config"))
    sources = sorted(LESSONS.glob("[0-9][0-9]_*.py"))
    if prefixes:
        sources = [s for s in sources if any(s.name.startswith(p) for p in prefixes)]
    if not sources:
        print(f"no lesson matches {prefixes!r} in {LESSONS.relative_to(ROOT)}/", file=sys.stderr)
        return 1
    for source in sources:
        seconds = build(source)
        print(f"built notebooks/{notebook_for(source).name}  ({seconds:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
