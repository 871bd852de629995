"""Every exercise of the series is laid out the same way in its lesson, and its reference
solution in the notebook is the one the package carries forward:

    stub cell (tag ``exercise``) → one check call → solution cell (tag ``solution``):
    ``### BEGIN SOLUTION`` … ``### END SOLUTION`` then ``prefer_yours("NN.name")``

and the given part of each class (the scaffold) is the cell the lesson shows.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import jupytext
import pytest

import autograd
from autograd.course import carry, registry

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import graded_lines  # noqa: E402

EXERCISES = registry.exercises()
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"


def lesson_cells(lesson: str) -> list:
    (source,) = sorted((ROOT / "lessons").glob(f"{lesson}_*.py"))
    return jupytext.read(source, fmt="py:percent").cells


def code_cells(lesson: str) -> list:
    return [c for c in lesson_cells(lesson) if c.cell_type == "code"]


def tags(cell) -> set[str]:
    return set(cell.metadata.get("tags", []))


def dump(source: str) -> str:
    return ast.dump(ast.parse(source))


def solution_body(text: str) -> str:
    assert BEGIN in text and END in text, "a solution cell marks its code with BEGIN/END SOLUTION"
    return text.split(BEGIN, 1)[1].split(END, 1)[0]


def calls(text: str) -> set[str]:
    try:
        tree = ast.parse(text)
    except SyntaxError:  # a cell with IPython syntax
        return set()
    return {
        n.func.id
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
    }


def test_the_series_has_exercises_in_every_lesson_from_01_to_10():
    lessons = {ex.lesson for ex in EXERCISES}
    assert lessons == {f"{n:02d}" for n in range(1, 11)}, sorted(lessons)
    ids = [ex.id for ex in EXERCISES]
    assert len(ids) == len(set(ids)), "exercise ids are unique"


@pytest.mark.parametrize("ex", EXERCISES, ids=lambda ex: ex.id)
def test_each_exercise_is_stub_then_check_then_solution(ex):
    cells = code_cells(ex.lesson)
    marker = f'prefer_yours("{ex.id}")'
    solutions = [i for i, c in enumerate(cells) if marker in c.source]
    assert len(solutions) == 1, f"lesson {ex.lesson} needs one solution cell ending {marker}"
    (s,) = solutions
    assert "solution" in tags(cells[s]), "the solution cell is tagged 'solution'"
    assert cells[s].metadata.get("jupyter", {}).get("source_hidden"), "solutions are collapsed"
    body = solution_body(cells[s].source)
    assert dump(body) == dump(carry.reference_source(ex.id)), (
        f"the solution cell of {ex.id} differs from "
        f"autograd/course/solutions/{ex.solution_file}: they must be the same code"
    )
    checks = [i for i, c in enumerate(cells[:s]) if ex.checker in calls(c.source)]
    assert checks, f"lesson {ex.lesson} calls {ex.checker} before the solution of {ex.id}"
    check = cells[checks[-1]]
    tree = ast.parse(check.source)
    assert len(tree.body) == 1, f"the check of {ex.id} is one call, not {len(tree.body)} lines"
    stubs = [c for c in cells[: checks[-1]] if "exercise" in tags(c)]
    assert stubs, f"a stub cell tagged 'exercise' comes before the check of {ex.id}"
    after = [c for c in cells[s + 1 :] if ex.checker in calls(c.source)]
    assert not after, (
        f"{ex.checker} is called after the solution of {ex.id}: as shipped that would "
        "record a pass the learner never made"
    )
    assert ex.checker in autograd.__all__, f"autograd exports {ex.checker}"


@pytest.mark.parametrize("lesson", [f"{n:02d}" for n in range(0, 11)])
def test_no_lesson_defines_a_checker_inline_or_reaches_past_the_public_api(lesson):
    public = set(autograd.__all__)
    for cell in code_cells(lesson):
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                assert not node.name.startswith("check_"), (
                    f"lesson {lesson} defines {node.name}: checkers live in autograd.course"
                )
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("autograd"):
                assert node.module == "autograd", f"lesson {lesson} imports {node.module}"
                for alias in node.names:
                    assert alias.name in public, f"lesson {lesson} imports autograd.{alias.name}"
            if isinstance(node, ast.Import):
                for alias in node.names:
                    assert not alias.name.startswith("autograd."), alias.name


@pytest.mark.parametrize("lesson", [f"{n:02d}" for n in range(0, 11)])
def test_every_solution_cell_belongs_to_an_exercise_and_every_stub_to_a_check(lesson):
    known = {ex.id for ex in EXERCISES}
    for cell in code_cells(lesson):
        if "solution" in tags(cell):
            found = re.findall(r'prefer_yours\("([^"]+)"\)', cell.source)
            assert found and set(found) <= known, f"solution cell without a known exercise: {found}"
            solution_body(cell.source)


@pytest.mark.parametrize(
    "scaffold, lesson", [("value_scaffold.py", "03"), ("tensor_scaffold.py", "08")]
)
def test_the_given_part_of_each_class_is_what_its_lesson_shows(scaffold, lesson):
    wanted = [ast.dump(n) for n in ast.parse(carry.reference_source(scaffold)).body]
    for cell in code_cells(lesson):
        try:
            have = [ast.dump(n) for n in ast.parse(cell.source).body]
        except SyntaxError:
            continue
        if all(w in have for w in wanted):
            return
    pytest.fail(f"no code cell of lesson {lesson} holds the code of solutions/{scaffold}")


def test_the_learner_writes_at_least_250_graded_lines():
    per_lesson = graded_lines.count(ROOT / "lessons")
    assert sum(per_lesson.values()) >= 250, per_lesson
    assert all(per_lesson.get(f"{n:02d}", 0) > 0 for n in range(1, 11)), per_lesson


@pytest.mark.parametrize("ex", EXERCISES, ids=lambda ex: ex.id)
def test_each_solution_heading_says_to_run_the_cell_either_way(ex):
    """The solution cell is collapsed, but it must run: it ends with prefer_yours, which keeps
    the learner's code once it passed and brings in the reference otherwise."""
    cells = lesson_cells(ex.lesson)
    marker = f'prefer_yours("{ex.id}")'
    (s,) = [i for i, c in enumerate(cells) if c.cell_type == "code" and marker in c.source]
    heading = cells[s - 1]
    assert heading.cell_type == "markdown" and "**Solution**" in heading.source
    assert "Run this cell either way" in heading.source, (
        f"the heading above {ex.id}'s solution must tell the learner to run it either way"
    )
