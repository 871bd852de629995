"""The quiz widget: feedback on choosing, validation, deterministic text for saved notebooks."""

from __future__ import annotations

import doctest
import re
import sys

import ipywidgets as widgets
import pytest

from autograd import Quiz, QuizSet, quiz


def make(**kwargs) -> Quiz:
    args = {
        "question": "For c = a + b, what is `a.grad` after c.backward()?",
        "options": ["0", "1", "b.data", "a.data + b.data"],
        "answer": 1,
        "explanation": "the local derivative of a + b is 1.",
    }
    args.update(kwargs)
    return Quiz(**args)


def test_right_choice_gives_the_explanation():
    q = make()
    assert q.feedback.value == ""
    q.choices.value = 1
    assert "✓ Right — the local derivative of a + b is 1." in q.feedback.value


def test_wrong_choice_says_try_again_then_right_choice_recovers():
    q = make(hint="+ passes the gradient through unchanged.")
    q.choices.value = 2
    assert "✗ Not quite — try again." in q.feedback.value
    assert "Hint: + passes the gradient through unchanged." in q.feedback.value
    assert "Right" not in q.feedback.value
    q.choices.value = 1
    assert "✓ Right" in q.feedback.value and "Not quite" not in q.feedback.value


def test_per_option_hints_win_over_the_general_hint():
    q = make(hint="general", hints={3: "that is c.data, not a gradient"})
    q.choices.value = 3
    assert "that is c.data" in q.feedback.value and "general" not in q.feedback.value
    q.choices.value = 0
    assert "general" in q.feedback.value


def test_check_and_response():
    q = make()
    assert q.check(1) and not q.check(0)
    assert q.response(None) == ""
    assert q.response(0) == "✗ Not quite — try again."


def test_text_repr_is_deterministic_and_lettered():
    q = make()
    assert repr(q) == (
        "Quiz: For c = a + b, what is `a.grad` after c.backward()?\n"
        "  A) 0\n  B) 1\n  C) b.data\n  D) a.data + b.data"
    )
    assert repr(q) == repr(make())
    assert not re.search(r"0x[0-9a-f]+", repr(q))


def test_mimebundle_is_the_widget_with_text_fallbacks():
    q = make()
    bundle = q._repr_mimebundle_()
    assert bundle["text/plain"] == repr(q)
    view = bundle["application/vnd.jupyter.widget-view+json"]
    assert view["model_id"] == q.widget.model_id
    assert "<code>a.grad</code>" in bundle["text/html"]
    assert bundle["text/html"] == make()._repr_mimebundle_()["text/html"]


def test_widget_parts():
    q = make()
    assert isinstance(q.widget, widgets.VBox)
    assert isinstance(q.choices, widgets.RadioButtons)
    assert [label for label, _ in q.choices.options][:2] == ["A) 0", "B) 1"]
    assert q.choices.value is None  # nothing chosen at first


def test_validation():
    with pytest.raises(ValueError, match="0 to 3; got 4"):
        make(answer=4)
    with pytest.raises(ValueError, match="got -1"):
        make(answer=-1)
    with pytest.raises(TypeError, match="answer must be an int"):
        make(answer="B")
    with pytest.raises(ValueError, match="2 to 26 options"):
        make(options=["only"], answer=0)
    with pytest.raises(TypeError, match="options must be a list"):
        make(options="AB", answer=0)
    with pytest.raises(TypeError, match=r"options\[1\]"):
        make(options=["x", 2], answer=0)
    with pytest.raises(ValueError, match="question must not be empty"):
        make(question="  ")
    with pytest.raises(ValueError, match="hints keys"):
        make(hints={1: "the right answer needs no hint"})


def test_quiz_set_shows_questions_together():
    q1, q2 = make(), make(question="Why `+=`?", options=["speed", "re-use"], answer=1,
                          explanation="a value used twice collects both gradients.")  # fmt: skip
    qs = quiz(q1, q2)
    assert isinstance(qs, QuizSet) and len(qs) == 2 and qs[1] is q2
    assert repr(qs).startswith("Quiz (2 questions)\n1. For c = a + b")
    assert "\n2. Why `+=`?\n  A) speed\n  B) re-use" in repr(qs)
    assert qs.widget.children == (q1.widget, q2.widget)
    bundle = qs._repr_mimebundle_()
    assert bundle["text/plain"] == repr(qs)
    qs[1].choices.value = 1
    assert "✓ Right" in q2.feedback.value and q1.feedback.value == ""
    with pytest.raises(ValueError):
        quiz()
    with pytest.raises(TypeError, match="Quiz objects"):
        quiz(q1, "q2")


def test_docstring_examples():
    assert doctest.testmod(sys.modules["autograd.quiz"]).failed == 0
