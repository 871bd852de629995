"""check_dual (lesson 06) accepts right dual numbers and rejects plausible wrong rules, every
time, naming the operation and the likely slip.

Each wrong implementation is the reference solution (``solutions/lesson06_dual.py``) with one
mistake typed into it.
"""

from __future__ import annotations

import math
import random

import pytest

import autograd
from autograd.course import carry
from autograd.course.lesson06 import EXERCISES, _draw, check_dual

SEEDS = range(8)  # the checker is randomised: a wrong rule must fail on every seed
DUAL = carry.reference_source("06.dual")

MUL = "self.deriv * other.value + self.value * other.deriv"
DIV = "(self.deriv * b - a * other.deriv) / b**2"
POW = "n * self.value ** (n - 1) * self.deriv"


def make(*edits: tuple[str, str]) -> type:
    source = DUAL
    for old, new in edits:
        assert old in source, f"edit does not apply: {old!r}"
        source = source.replace(old, new)
    namespace: dict = {"math": math}
    exec(compile(source, "<dual>", "exec"), namespace)  # noqa: S102 - test fixtures
    return namespace["Dual"]


def test_the_exercise_is_registered():
    (ex,) = EXERCISES
    assert (ex.id, ex.checker, ex.chain, ex.provides) == ("06.dual", "check_dual", None, ("Dual",))
    assert "check_dual" in autograd.__all__


@pytest.mark.parametrize("seed", SEEDS)
def test_check_dual_accepts_the_reference_and_the_package(seed):
    report = check_dual(make(), seed=seed, save=False)
    assert report, str(report)
    assert report.seed == seed
    assert check_dual(autograd.Dual, seed=seed, save=False)


def test_every_operation_is_named_in_the_report():
    report = check_dual(make(), seed=0, save=False)
    assert report.rules == ["add", "mul", "sub", "div", "pow", "exp", "tanh",
                            "a gradient, one pass per input"]  # fmt: skip


# label -> (edits, the rule that must fail, words of its hint or message)
WRONG = {
    "mul: a term of the product rule missing": (
        ((MUL, "self.deriv * other.value"),), "mul", "two terms"),
    "mul: factors swapped": (
        ((MUL, "self.deriv * self.value + other.deriv * other.value"),), "mul", "*other*"),
    "mul: the ε² term a'·b'": (((MUL, "self.deriv * other.deriv"),), "mul", "ε²"),
    "div: plus instead of minus": (
        ((DIV, "(self.deriv * b + a * other.deriv) / b**2"),), "div", "minus"),
    "div: not divided by b²": (((DIV, "(self.deriv * b - a * other.deriv)"),), "div", "b²"),
    "pow: the chain-rule factor forgotten": (
        ((POW, "n * self.value ** (n - 1)"),), "pow", "chain rule"),
    "pow: exponent not lowered": (((POW, "n * self.value**n * self.deriv"),), "pow", "lowers"),
    "exp: the chain-rule factor forgotten": (
        (("Dual(e, e * self.deriv)", "Dual(e, e)"),), "exp", "chain rule"),
    "tanh: the input squared": (
        (("(1 - t**2) * self.deriv", "(1 - self.value**2) * self.deriv"),), "tanh", "Square"),
    "sub: rates added": (
        (("self.deriv - other.deriv", "self.deriv + other.deriv"),), "sub", "a' - b'"),
    "sub: a plain number not wrapped": (
        (("def __sub__(self, other):\n        other = Dual.wrap(other)\n",
          "def __sub__(self, other):\n"),), "sub", "Dual.wrap(other)"),
    "mul: a plain number not wrapped": (
        (("ab'\n        other = Dual.wrap(other)\n", "ab'\n"),), "mul", "Dual.wrap(other)"),
    "div: a plain number not wrapped": (
        (("/ b²\n        other = Dual.wrap(other)\n", "/ b²\n"),), "div", "Dual.wrap(other)"),
    "mul: the stub left in": (
        (("        return Dual(self.value * other.value, " + MUL + ")",
          '        raise NotImplementedError("write the product rule")'),),
        "mul", "complete the stub"),
}  # fmt: skip


@pytest.mark.parametrize("label", list(WRONG))
def test_check_dual_rejects_a_wrong_rule(label):
    edits, rule, words = WRONG[label]
    cls = make(*edits)
    for seed in SEEDS:
        report = check_dual(cls, seed=seed, save=False)
        assert not report, f"{label}: accepted with seed {seed}"
        assert report.failed_rules == [rule], (label, str(report))
        failure = next(f for f in report.failures if f.rule == rule)
        assert words in failure.message + failure.hint, (label, str(report))


@pytest.mark.parametrize("op, expression", [("sub", "a - 2"), ("mul", "a * 3"),
                                             ("div", "a / 2")])  # fmt: skip
def test_a_plain_number_on_the_right_is_checked_and_the_hint_names_dual_wrap(op, expression):
    """Without `Dual.wrap(other)`, `Dual(1, 1) - 2` crashes while every Dual-Dual case and
    `1 - a` (through the given __rsub__) pass: the check must try the number on the right."""
    label = f"{op}: a plain number not wrapped"
    cls = make(*WRONG[label][0])
    assert cls(1.0, 1.0) - cls(2.0, 0.0)  # Duals on both sides still work
    report = check_dual(cls, seed=0, save=False)
    failure = next(f for f in report.failures if f.rule == op)
    assert expression in failure.message and "'int' object" in failure.message
    assert "Value(" not in failure.hint  # lesson 03's advice does not apply here


def test_a_broken_product_rule_blocks_what_needs_it_instead_of_failing_it():
    report = check_dual(make((MUL, "self.deriv * other.deriv")), seed=1, save=False)
    text = str(report)
    assert "could not be judged" in text and "a gradient, one pass per input" in text
    assert report.failed_rules == ["mul"]


def test_the_report_shows_the_inputs_and_both_numbers():
    report = check_dual(make((MUL, "self.deriv * other.value")), seed=2, save=False)
    failure = report.failures[0]
    assert "Dual(" in failure.message and "expected the ε part" in failure.message


def test_check_dual_wants_the_class():
    with pytest.raises(TypeError, match="check_dual"):
        check_dual(autograd.Dual(1.0, 1.0))  # type: ignore[arg-type]


def test_drawing_the_inputs_always_ends():
    """Six well-spread values in 0.5..2.0 can be blocked by the first few: the draw must
    start again instead of looping for ever (an unlucky seed used to hang check_dual)."""
    for seed in range(500):
        xs = _draw(random.Random(seed), 6, False)
        values = sorted(abs(v) for v, _ in xs)
        assert len(values) == 6
        assert all(b - a >= 0.2 - 1e-9 for a, b in zip(values, values[1:], strict=False))
