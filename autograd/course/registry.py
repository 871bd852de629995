"""Every exercise of the series, in lesson order: its id, title, checker and what it provides.

Each ``lessonNN`` module lists its own exercises in ``EXERCISES``; :func:`exercises` gathers
them. An exercise with a ``chain`` is part of the engine the learner builds ("value": the
scalar ``Value`` of lessons 03-05; "tensor": the numpy ``Tensor`` of lessons 08-09), so later
lessons start from it.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

__all__ = ["Exercise", "LESSONS", "TITLES", "exercise", "exercises", "lesson_module", "notebook"]

LESSONS = ("00", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10")

# lesson -> (title, notebook file name)
TITLES = {
    "00": ("Start here", "00_start_here.ipynb"),
    "01": ("Derivatives", "01_derivatives.ipynb"),
    "02": ("The chain rule", "02_chain_rule.ipynb"),
    "03": ("Build the Value", "03_build_the_value.ipynb"),
    "04": ("More operations", "04_more_ops.ipynb"),
    "05": ("How backward works", "05_how_backward_works.ipynb"),
    "06": ("Forward vs reverse mode", "06_forward_vs_reverse.ipynb"),
    "07": ("A neural net", "07_neural_net.ipynb"),
    "08": ("Tensors", "08_tensors.ipynb"),
    "09": ("Real digits", "09_digits.ipynb"),
    "10": ("Memory and compute", "10_memory_and_compute.ipynb"),
}


def notebook(lesson: str) -> str:
    """The notebook file of a lesson, e.g. ``"03_build_the_value.ipynb"``."""
    return TITLES[lesson][1]


def lesson_module(lesson: str):  # -> ModuleType | None
    """The ``lessonNN`` module of the course (checkers, exercises, quiz, study notes)."""
    try:
        return importlib.import_module(f"{__package__}.lesson{lesson}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__package__}.lesson{lesson}":
            raise
        return None


@dataclass(frozen=True)
class Exercise:
    """One graded exercise: ``id`` is ``"NN.name"`` (lesson NN), ``checker`` the name of its
    ``check_*`` function, ``provides`` the notebook names it defines (``"Value.__add__"`` for
    a method attached to a class, ``"Neuron"`` for a top-level class or function)."""

    id: str
    title: str
    checker: str
    chain: str | None = None
    provides: tuple[str, ...] = ()

    @property
    def lesson(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def name(self) -> str:
        return self.id.split(".", 1)[1]

    @property
    def solution_file(self) -> str:
        return f"lesson{self.lesson}_{self.name}.py"


def exercises() -> list[Exercise]:
    """Every registered exercise, lesson by lesson, each lesson in its own order."""
    found: list[Exercise] = []
    for lesson in LESSONS:
        found.extend(getattr(lesson_module(lesson), "EXERCISES", ()))
    return found


def exercise(exercise_id: str) -> Exercise:
    """The exercise with this id, e.g. ``exercise("03.add_mul")``."""
    for ex in exercises():
        if ex.id == exercise_id:
            return ex
    known = ", ".join(e.id for e in exercises())
    raise KeyError(f"no exercise {exercise_id!r}; the exercises are: {known}")
