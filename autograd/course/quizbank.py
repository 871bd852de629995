"""The question bank: every lesson's quiz lives here, not in the lesson's visible code.

A lesson shows its quiz with one call, ``quiz("03")``. Each question names the
misconception behind every wrong option, and every lesson's quiz asks at least one question
about its *Try it* list. Answers are recorded in the learner's store (which question was
answered right, and when), for :func:`autograd.progress`.

Questions are written in each lesson's module (``autograd.course.lessonNN.QUIZ``)::

    Question("03.rule", "In `out = a * b`, what does the rule add to `a.grad`?", [
        Choice("`b.data * out.grad`", "each factor receives the *other* factor ..."),  # right
        Choice("`a.data * out.grad`", "that multiplies by a's own value: ..."),
    ], answer=0)
"""

from __future__ import annotations

from dataclasses import dataclass

from ..quiz import Quiz, QuizSet
from .registry import TITLES, lesson_module
from .store import Store, StoreError

__all__ = ["Choice", "Question", "lesson_questions", "quiz"]


@dataclass(frozen=True)
class Choice:
    """One option: its text and *why* — for the right option why it is right, for a wrong one
    the misconception behind it (shown when a learner picks it)."""

    text: str
    why: str


@dataclass(frozen=True)
class Question:
    """One multiple-choice question of a lesson's quiz (``id`` is ``"NN.name"``)."""

    id: str
    text: str
    choices: tuple[Choice, ...] | list[Choice]
    answer: int
    try_it: bool = False  # about the lesson's "Try it" list

    def __post_init__(self) -> None:
        if not 0 <= self.answer < len(self.choices):
            raise ValueError(f"{self.id}: answer {self.answer} is not an option index")
        for i, c in enumerate(self.choices):
            if not c.text.strip() or not c.why.strip():
                raise ValueError(f"{self.id}: option {i} needs a text and a why")

    @property
    def lesson(self) -> str:
        return self.id.split(".", 1)[0]


def lesson_questions(lesson: str) -> list[Question]:
    """The questions of one lesson's quiz, in order."""
    return list(getattr(lesson_module(lesson), "QUIZ", ()))


def _recorder(question: Question):
    def record(choice: int, right: bool) -> None:
        store = Store()
        try:
            store.record_quiz(question.id, choice, right)
        except (OSError, StoreError) as exc:
            print(f"(Your answer could not be saved in {store.root}: {exc})")

    return record


def as_quiz(question: Question) -> Quiz:
    """The widget for one question; picking an option records the answer."""
    return Quiz(
        question.text,
        [c.text for c in question.choices],
        question.answer,
        question.choices[question.answer].why,
        misconceptions={i: c.why for i, c in enumerate(question.choices) if i != question.answer},
        on_answer=_recorder(question),
    )


def quiz(*questions: Quiz | str) -> QuizSet:
    """``quiz("03")``: lesson 03's quiz from the bank. ``quiz(q1, q2)``: these
    :class:`~autograd.quiz.Quiz` objects together."""
    if len(questions) == 1 and isinstance(questions[0], str):
        lesson = questions[0]
        if lesson not in TITLES:
            raise ValueError(f"quiz() takes a lesson number like '03', got {lesson!r}")
        bank = lesson_questions(lesson)
        if not bank:
            raise ValueError(f"lesson {lesson} has no quiz in the question bank")
        return QuizSet([as_quiz(q) for q in bank])
    if any(isinstance(q, str) for q in questions):
        raise TypeError("quiz() takes one lesson number ('03') or Quiz objects, not both")
    return QuizSet(questions)  # type: ignore[arg-type]
