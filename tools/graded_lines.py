"""Count the graded code a learner writes: the lines of every solution cell's
``### BEGIN SOLUTION`` … ``### END SOLUTION`` region, lesson by lesson (blank lines and
comment-only lines not counted).

    python tools/graded_lines.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import jupytext

ROOT = Path(__file__).resolve().parent.parent
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"


def graded(source: str) -> int:
    if BEGIN not in source:
        return 0
    body = source.split(BEGIN, 1)[1].split(END, 1)[0]
    return sum(1 for line in body.splitlines() if line.strip() and not line.strip().startswith("#"))


def count(lessons: Path) -> dict[str, int]:
    """Graded lines per lesson number ("01": 24, ...)."""
    per: dict[str, int] = {}
    for source in sorted(lessons.glob("[0-9][0-9]_*.py")):
        cells = jupytext.read(source, fmt="py:percent").cells
        n = sum(
            graded(c.source)
            for c in cells
            if c.cell_type == "code" and "solution" in c.metadata.get("tags", [])
        )
        per[source.name[:2]] = n
    return per


def main() -> int:
    per = count(ROOT / "lessons")
    for lesson, n in per.items():
        print(f"lesson {lesson}: {n:4d} graded lines")
    print(f"total:     {sum(per.values()):4d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
