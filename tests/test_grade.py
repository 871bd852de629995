"""``make grade SUBMISSIONS=folder`` (tools/grade.py), on made-up submissions of lesson 01:

* alice's central difference is right, in her own words (the packaged checker passes it;
  a cell that raises before it does not stop the run); her derivative is not attempted;
* bob's "central difference" is a forward difference: the checker fails it;
* carol passes with the reference solution, then loops forever: stopped at the time limit,
  her pass still counts, and the run goes on;
* dave's file is not JSON, erin's kernel dies, and frank's file name names no lesson: each is
  recorded as such.

The CSV has one row per exercise of the lesson, in the registry's order.
"""

from __future__ import annotations

import csv
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import grade  # noqa: E402

from autograd.course.registry import exercises  # noqa: E402

TIMEOUT = 25  # seconds per notebook: carol's loop costs this much


def _notebook(*sources: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    return nb


CHECK = (
    "from autograd import check_central_difference\ncheck_central_difference(central_difference)"
)
RIGHT = "def central_difference(f, x, h):\n    return (f(x + h) - f(x - h)) / (2 * h)"
OWN = (  # the same maths, written differently from the reference
    "def central_difference(f, x, h):\n"
    "    up, down = f(x + h), f(x - h)\n"
    "    return (up - down) / h / 2"
)
FORWARD = "def central_difference(f, x, h):\n    return (f(x + h) - f(x)) / h"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("submissions")
    for student in ("alice", "bob", "carol", "dave", "erin", "frank"):
        (folder / student).mkdir()
    nbformat.write(_notebook("1 / 0", OWN, CHECK), folder / "alice" / "01_derivatives.ipynb")
    nbformat.write(_notebook(FORWARD, CHECK), folder / "bob" / "01_derivatives.ipynb")
    nbformat.write(
        _notebook(RIGHT, CHECK, "while True:\n    pass"), folder / "carol" / "01_derivatives.ipynb"
    )
    (folder / "dave" / "01_derivatives.ipynb").write_text('{"cells": [ this is not JSON')
    nbformat.write(
        _notebook("import os\nos._exit(3)", RIGHT, CHECK), folder / "erin" / "01_derivatives.ipynb"
    )
    nbformat.write(_notebook(RIGHT, CHECK), folder / "frank" / "homework.ipynb")
    out = tmp_path_factory.mktemp("grades") / "grades.csv"
    start = time.monotonic()
    rows = grade.grade(folder, out, timeout=TIMEOUT, jobs=2)
    seconds = time.monotonic() - start
    with open(out, newline="", encoding="utf-8") as f:
        from_file = list(csv.DictReader(f))
    return rows, from_file, seconds


def _rows(graded, student):
    rows, _, _ = graded
    return {r["exercise"]: r for r in rows if r["file"].startswith(f"{student}/")}


LESSON_01 = [ex.id for ex in exercises() if ex.lesson == "01"]


def test_csv_has_one_row_per_exercise_of_the_lesson(graded):
    rows, from_file, _ = graded
    assert from_file == rows
    assert list(from_file[0]) == ["file", "lesson", "exercise", "passed", "code", "run", "detail"]
    for student in ("alice", "bob", "carol", "dave", "erin"):
        assert [r["exercise"] for r in rows if r["file"].startswith(f"{student}/")] == LESSON_01
        assert all(r["lesson"] == "01" for r in rows if r["file"].startswith(f"{student}/"))


def test_a_right_answer_passes_and_an_unattempted_one_does_not(graded):
    alice = _rows(graded, "alice")
    assert alice["01.central_difference"]["passed"] == "True"
    assert alice["01.central_difference"]["code"] == "own"
    assert alice["01.dg"]["passed"] == "False"
    assert alice["01.dg"]["run"] == "completed"
    assert alice["01.dg"]["detail"] == "1 cell raised"  # the 1 / 0 before her answer


def test_a_wrong_answer_fails(graded):
    bob = _rows(graded, "bob")
    assert bob["01.central_difference"]["passed"] == "False"
    assert bob["01.central_difference"]["run"] == "completed"


def test_an_endless_submission_is_stopped_and_keeps_what_passed(graded):
    carol = _rows(graded, "carol")
    assert carol["01.central_difference"]["run"] == "timeout"
    assert carol["01.central_difference"]["passed"] == "True"
    assert carol["01.central_difference"]["code"] == "reference"  # she copied the solution
    assert carol["01.dg"]["passed"] == "False"


def test_a_corrupt_file_is_recorded_as_invalid(graded):
    dave = _rows(graded, "dave")
    assert {r["run"] for r in dave.values()} == {"invalid notebook"}
    assert {r["passed"] for r in dave.values()} == {"False"}


def test_a_dead_kernel_is_recorded(graded):
    erin = _rows(graded, "erin")
    assert {r["run"] for r in erin.values()} == {"kernel died"}
    assert erin["01.central_difference"]["passed"] == "False"


def test_a_file_without_a_lesson_number_is_recorded(graded):
    (frank,) = _rows(graded, "frank").values()
    assert frank["run"] == "unknown lesson" and frank["passed"] == "False"


def test_the_whole_run_keeps_within_the_time_limits(graded):
    _, _, seconds = graded
    # two at a time; carol's notebook is the only one that runs to the limit
    assert seconds < 4 * TIMEOUT, f"grading took {seconds:.0f} s"


def test_no_kernel_is_left_running(graded):
    """Carol's looping kernel was stopped with her notebook (it runs in a session of its
    own, so stopping the grader's child alone would leave it spinning)."""
    left = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            cwd = str((proc / "cwd").readlink())
        except OSError:  # gone, or not ours to read
            continue
        if "autograd-grade-" in cwd:  # the working folder of a graded notebook
            left.append((proc.name, (proc / "cmdline").read_bytes().replace(b"\0", b" ")))
    assert not left, left


@pytest.mark.parametrize(
    ("name", "lesson"),
    [
        ("03_build_the_value.ipynb", "03"),
        ("alice_03_build_the_value.ipynb", "03"),
        ("alice-10_memory_and_compute.ipynb", "10"),
        ("homework.ipynb", None),
        ("2024_notes.ipynb", None),
    ],
)
def test_lesson_from_the_file_name(name, lesson):
    assert grade.lesson_of(Path(name)) == lesson


def test_command_line_writes_the_csv(tmp_path):
    """``python tools/grade.py folder --out file`` (what ``make grade`` runs); a file that is
    not a notebook needs no kernel, so this is quick."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "03_build_the_value.ipynb").write_text("not a notebook")
    out = tmp_path / "grades.csv"
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "grade.py"), str(tmp_path / "in"), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["exercise"] for r in rows] == [ex.id for ex in exercises() if ex.lesson == "03"]
    assert {r["run"] for r in rows} == {"invalid notebook"}
    assert "0/" in done.stdout and "invalid notebook" in done.stdout
    missing = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "grade.py"), str(tmp_path / "nowhere")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert missing.returncode == 2 and "not a folder" in missing.stderr
