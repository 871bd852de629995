"""Lesson 06's quiz explanations are true: the Try it list's derivative with dual numbers is
exactly 0 at x = 1 and not at x = 1/2, so the wrong quotient rules pass the weak test and
fail the checker. (The generic checks of every lesson's quiz and study prompts, and the
lines the explanations quote from the notebook, are in ``test_quizzes.py``.)"""

from __future__ import annotations

import math

import pytest
from lesson_text import try_it_text

from autograd.course import carry, lesson06
from autograd.course.lesson06 import check_dual

LESSON = "06"
MODULE = lesson06


# --------------------------------------------------------------------------- the claims
DUAL = carry.reference_source("06.dual")
RIGHT_QUOTIENT = "(self.deriv * b - a * other.deriv) / b**2"
WRONG_QUOTIENTS = {
    "sign flipped": "(a * other.deriv - self.deriv * b) / b**2",
    "b instead of b²": "(self.deriv * b - a * other.deriv) / b",
}


def dual_class(quotient: str = RIGHT_QUOTIENT) -> type:
    assert RIGHT_QUOTIENT in DUAL
    namespace = {"math": math}
    exec(DUAL.replace(RIGHT_QUOTIENT, quotient), namespace)  # noqa: S102
    return namespace["Dual"]


def derivative(Dual: type, x: float) -> float:
    """The Try it list's derivative(lambda x: x.exp() / (1 + x * x), x), as the lesson has it."""
    return (lambda x: x.exp() / (1 + x * x))(Dual(x, 1.0)).deriv


def by_hand(x: float) -> float:
    return math.exp(x) * (1 - x) ** 2 / (1 + x * x) ** 2


def test_the_try_it_derivative_is_exactly_0_at_1_and_not_at_one_half():
    Dual = dual_class()
    assert derivative(Dual, 1.0) == 0.0
    assert math.isclose(derivative(Dual, 0.5), by_hand(0.5)) and by_hand(0.5) > 0.1


@pytest.mark.parametrize("quotient", WRONG_QUOTIENTS.values(), ids=WRONG_QUOTIENTS.keys())
def test_wrong_quotient_rules_pass_at_1_fail_at_one_half_and_fail_the_check(quotient):
    Wrong = dual_class(quotient)
    assert derivative(Wrong, 1.0) == 0.0  # the weak test passes them
    assert not math.isclose(derivative(Wrong, 0.5), by_hand(0.5), rel_tol=1e-3)
    report = check_dual(Wrong, seed=0, save=False)
    assert not report and "div" in report.failed_rules


def test_the_try_it_question_quotes_the_lessons_remark():
    assert "(At `x = 1` this derivative is exactly 0: a fine answer, but" in try_it_text(LESSON)
    q = next(q for q in MODULE.QUIZ if q.try_it)
    assert "wrong sign" in q.choices[q.answer].text
