"""Multiple-choice questions with instant feedback, for checking understanding in a lesson.

>>> q = Quiz(
...     "For c = a * b, what is a.grad after c.backward()?",
...     ["1", "b.data", "a.data", "a.data * b.data"],
...     answer=1,
...     explanation="each factor's gradient is the *other* factor times c.grad (here 1).",
... )
>>> q
Quiz: For c = a * b, what is a.grad after c.backward()?
  A) 1
  B) b.data
  C) a.data
  D) a.data * b.data

In Jupyter the quiz shows as a widget: pick an option and a line below it says
"✓ Right — <explanation>" or "✗ Not quite — try again". Show several questions together
with :func:`quiz`. In a saved notebook (or on GitHub) the text above is what is stored.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import ipywidgets as widgets

__all__ = ["Quiz", "QuizSet", "quiz"]

_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _inline(text: str) -> str:
    """Escape text for HTML and show `backtick` spans as code."""
    parts = html.escape(text).split("`")
    return "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts))


def _check_text(x: object, what: str) -> str:
    if not isinstance(x, str):
        raise TypeError(f"{what} must be a str, got {type(x).__name__}: {x!r}")
    if not x.strip():
        raise ValueError(f"{what} must not be empty")
    return x


class Quiz:
    """One multiple-choice question.

    Parameters
    ----------
    question:
        The question, one sentence. Backtick spans (```a.grad```) show as code.
    options:
        Two or more answers to choose from (shown as A), B), C), ...).
    answer:
        The index of the right option in ``options`` (0 for the first).
    explanation:
        One line shown after a right answer: *why* it is right.
    hint:
        Optional line shown after any wrong answer.
    hints:
        Optional per-option hints, ``{option index: text}``, for wrong options whose
        mistake is worth naming (they take precedence over ``hint``).
    misconceptions:
        Optional per-option explanations, ``{option index: text}``: the misconception
        behind each wrong option, shown instead of "try again" when it is picked.
    on_answer:
        Optional ``callback(choice, right)`` called each time an option is picked (the
        course records answers with it).

    The widget parts are attributes, so a test (or a curious learner) can drive it:
    ``quiz.choices.value = 1`` picks option B; ``quiz.feedback.value`` holds the response.
    """

    def __init__(
        self,
        question: str,
        options: Sequence[str],
        answer: int,
        explanation: str,
        *,
        hint: str = "",
        hints: Mapping[int, str] | None = None,
        misconceptions: Mapping[int, str] | None = None,
        on_answer: Callable[[int, bool], None] | None = None,
    ) -> None:
        self.question = _check_text(question, "question")
        if isinstance(options, str) or not isinstance(options, Sequence):
            raise TypeError(f"options must be a list of str, got {type(options).__name__}")
        self.options = [_check_text(o, f"options[{i}]") for i, o in enumerate(options)]
        if not 2 <= len(self.options) <= len(_LETTERS):
            raise ValueError(f"a quiz needs 2 to 26 options, got {len(self.options)}")
        if isinstance(answer, bool) or not isinstance(answer, int):
            raise TypeError(f"answer must be an int (an index into options), got {answer!r}")
        if not 0 <= answer < len(self.options):
            raise ValueError(
                f"answer must be the index of the right option, 0 to {len(self.options) - 1}; "
                f"got {answer}"
            )
        self.answer = answer
        self.explanation = _check_text(explanation, "explanation")
        self.hint = hint
        self.hints = dict(hints or {})
        self.misconceptions = dict(misconceptions or {})
        for what, table in (("hints", self.hints), ("misconceptions", self.misconceptions)):
            for i in table:
                if not (isinstance(i, int) and 0 <= i < len(self.options)) or i == answer:
                    raise ValueError(f"{what} keys must be indices of wrong options, got {i!r}")
        self.on_answer = on_answer

        self.choices = widgets.RadioButtons(
            options=[(f"{_LETTERS[i]}) {o}", i) for i, o in enumerate(self.options)],
            value=None,
            layout=widgets.Layout(width="auto"),
        )
        self.feedback = widgets.HTML(value="")
        self.widget = widgets.VBox(
            [widgets.HTML(value=f"<b>{_inline(self.question)}</b>"), self.choices, self.feedback],
            layout=widgets.Layout(margin="0 0 12px 0"),
        )
        self.choices.observe(self._on_choice, names="value")

    # ------------------------------------------------------------------ behaviour
    def check(self, choice: int) -> bool:
        """Is option ``choice`` (an index) the right one?"""
        return choice == self.answer

    def response(self, choice: int | None) -> str:
        """The feedback text for a choice (plain text; the widget shows it coloured)."""
        if choice is None:
            return ""
        if self.check(choice):
            return f"✓ Right — {self.explanation}"
        if choice in self.misconceptions:
            return f"✗ Not quite — {self.misconceptions[choice]} Try another answer."
        extra = self.hints.get(choice) or self.hint
        return "✗ Not quite — try again." + (f" Hint: {extra}" if extra else "")

    def _on_choice(self, change: dict[str, Any]) -> None:
        text = self.response(change["new"])
        if change["new"] is not None and self.on_answer is not None:
            self.on_answer(change["new"], self.check(change["new"]))
        colour = "#137333" if change["new"] == self.answer else "#c5221f"
        self.feedback.value = f'<span style="color:{colour}">{_inline(text)}</span>' if text else ""

    # ------------------------------------------------------------------ display
    def text(self) -> str:
        lines = [self.question]
        lines += [f"  {_LETTERS[i]}) {o}" for i, o in enumerate(self.options)]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"Quiz: {self.text()}"

    def _static_html(self) -> str:
        items = "".join(f"<li>{_inline(o)}</li>" for o in self.options)
        return f'<p><b>{_inline(self.question)}</b></p><ol type="A">{items}</ol>'

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        """The widget for Jupyter, plus a deterministic text (and static HTML) fallback."""
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = repr(self)
        bundle["text/html"] = self._static_html()
        return bundle


class QuizSet:
    """Several quizzes shown together, numbered. Make one with :func:`quiz`."""

    def __init__(self, questions: Sequence[Quiz]) -> None:
        if not questions:
            raise ValueError("quiz() needs at least one Quiz")
        for i, q in enumerate(questions):
            if not isinstance(q, Quiz):
                raise TypeError(f"quiz() takes Quiz objects; argument {i} is {type(q).__name__}")
        self.questions = list(questions)
        self.widget = widgets.VBox([q.widget for q in self.questions])

    def __len__(self) -> int:
        return len(self.questions)

    def __getitem__(self, i: int) -> Quiz:
        return self.questions[i]

    def __repr__(self) -> str:
        parts = [f"{i}. {q.text()}" for i, q in enumerate(self.questions, start=1)]
        questions = "question" if len(self) == 1 else "questions"
        return f"Quiz ({len(self)} {questions})\n" + "\n".join(parts)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = repr(self)
        bundle["text/html"] = "".join(q._static_html() for q in self.questions)
        return bundle


def quiz(*questions: Quiz) -> QuizSet:
    """Show two or three :class:`Quiz` questions together: ``quiz(q1, q2, q3)``."""
    return QuizSet(questions)
