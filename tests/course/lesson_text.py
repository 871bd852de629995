"""A lesson read as text, for the course tests: its cells (the jupytext source in
``lessons/``), its markdown between two headings, its bullet lists (the Goals, the Try it
list), the numbers in a text, and what its executed notebook (``notebooks/``) printed.

Every function takes the lesson's number, ``"01"`` to ``"10"``. Usage (``tests/course`` is
on ``sys.path`` while pytest runs its tests, as ``tests/`` is for ``tests/functions.py``)::

    from lesson_text import cells, goals, outputs
    assert "f(2.0) = 4.0" in outputs("01")
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import jupytext

ROOT = Path(__file__).resolve().parents[2]
LESSONS = tuple(f"{n:02d}" for n in range(1, 11))


def source(lesson: str) -> Path:
    """The lesson's jupytext source, e.g. ``lessons/03_build_the_value.py``."""
    (path,) = sorted((ROOT / "lessons").glob(f"{lesson}_*.py"))
    return path


def notebook(lesson: str) -> Path:
    """The lesson's executed notebook, e.g. ``notebooks/03_build_the_value.ipynb``."""
    return ROOT / "notebooks" / f"{source(lesson).stem}.ipynb"


def cells(lesson: str) -> list:
    """The lesson's cells, read afresh from its source."""
    return jupytext.read(source(lesson), fmt="py:percent").cells


def code_cells(lesson: str) -> list[str]:
    """The source of each code cell of the lesson, in order."""
    return [c.source for c in cells(lesson) if c.cell_type == "code"]


def plain(text: str) -> str:
    """Markdown or HTML as plain words: no tags, emphasis, code marks, maths marks or ✏️."""
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    text = text.replace("\\top", "T")  # $v^\top J$ reads v^T J
    text = re.sub(r"[*`$]|✏️", "", text)
    return " ".join(text.split()).strip(" ;.")


def markdown_between(lesson: str, start: str, stop: str | None = None) -> str:
    """The markdown of the lesson from the cell holding ``start`` up to the one holding
    ``stop`` (not included), after ``start``; without ``stop``, the rest of that one cell."""
    text, inside = [], False
    for cell in cells(lesson):
        if cell.cell_type != "markdown":
            continue
        if not inside and start in cell.source:
            inside = True
            text.append(cell.source.split(start, 1)[1])
            if stop is None:
                break
            continue
        if inside:
            if stop in cell.source:
                break
            text.append(cell.source)
    assert inside, f"no {start!r} in {source(lesson).name}"
    return "\n".join(text)


def bullets(text: str) -> list[str]:
    """The first bullet list in ``text``, each bullet as one line of plain words."""
    items: list[str] = []
    for line in text.splitlines():
        if line.startswith("* "):
            items.append(line[2:])
        elif line.startswith("  ") and items:
            items[-1] += " " + line.strip()
        elif items:
            break
    return [plain(i) for i in items]


def goals(lesson: str) -> list[str]:
    """The bullets under the lesson's **Goals**, as plain words."""
    return bullets(markdown_between(lesson, "**Goals**"))


def try_it_bullets(lesson: str) -> list[str]:
    """The bullets of the lesson's Try it list, as plain words."""
    return bullets(markdown_between(lesson, "## Try it", "## Quiz"))


def try_it_text(lesson: str) -> str:
    """The lesson's source from ``## Try it`` to ``## Quiz``, as written (code marks kept)."""
    return source(lesson).read_text().split("## Try it", 1)[1].split("## Quiz", 1)[0]


def outputs(lesson: str) -> str:
    """Everything the executed notebook printed: its streams and its plain-text results."""
    nb = json.loads(notebook(lesson).read_text())
    text = []
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                text.append("".join(out["text"]))
            elif "text/plain" in out.get("data", {}):
                text.append("".join(out["data"]["text/plain"]))
    return "\n".join(text)


def numbers(text: str) -> set[float]:
    """Every number written in ``text`` (not the digits inside a name such as ``x2``)."""
    return {float(n) for n in re.findall(r"(?<![\w.])-?\d+(?:\.\d+)?(?:e-?\d+)?", text)}
