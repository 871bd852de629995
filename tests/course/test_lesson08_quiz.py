"""Lesson 08's quiz explanations are true, on the reference tensor engine and its checker:
what the check fails when the rule of `*` assigns instead of adding (and with the Try it
bullet's other slip), the bias gradients, the shapes of the matmul options, and the numbers
the speed question quotes. (The generic checks of every lesson's quiz and study prompts are
in ``test_quizzes.py``.)"""

from __future__ import annotations

import re

import numpy as np
import pytest
from lesson_text import outputs

from autograd.course import carry, lesson08
from autograd.course.lesson08 import check_tensor_add_mul

LESSON = "08"
MODULE = lesson08
PIECES = ["08.unbroadcast", "08.add_mul", "08.matmul", "08.reduce", "08.relu", "08.exp_log"]


def question(qid: str):
    return next(q for q in MODULE.QUIZ if q.id == qid)


# --------------------------------------------------------------------------- the claims
def engine(add_mul: str | None = None) -> dict:
    """The reference tensor engine (scaffold + every 08 solution) in a fresh namespace, with
    ``add_mul`` (a changed source of the ``08.add_mul`` solution) in its place if given."""
    ns: dict = {"np": np, "__name__": "engine08"}
    exec(carry.reference_source("tensor_scaffold.py"), ns)  # noqa: S102 - test fixtures
    for piece in PIECES:
        source = carry.reference_source(piece)
        if piece == "08.add_mul" and add_mul is not None:
            source = add_mul
        exec(source, ns)  # noqa: S102
    return ns


ADD_MUL = carry.reference_source("08.add_mul")
MUL_RULE = (
    "self.grad += unbroadcast(other.data * out.grad",
    "other.grad += unbroadcast(self.data * out.grad",
)


def assigning_mul() -> type:
    """The Try it bullet: `=` instead of `+=` in the rule of `*` only."""
    source = ADD_MUL
    for rule in MUL_RULE:
        assert source.count(rule) == 1
        source = source.replace(rule, rule.replace("+=", "="))
    return engine(source)["Tensor"]


def expression(option: str) -> str:
    """The checker's expression an option quotes: its first code span."""
    return re.match(r"`([^`]+)`", option).group(1)


def test_with_assignment_in_times_the_check_fails_the_expressions_the_quiz_says():
    q = question("08.assign")
    right = expression(q.choices[q.answer].text)
    wrong = [expression(c.text) for i, c in enumerate(q.choices) if i != q.answer]
    for seed in (1, 2, 3):
        report = check_tensor_add_mul(assigning_mul(), seed=seed, save=False)
        assert report.failed_rules == ["mul", "+ and * together"], str(report)
        failed = {f.expression for f in report.failures}
        unjudged = {f.expression for r in report._rules for f in r.blocked}
        # the question's given failure, its answer and the one its explanation adds
        assert failed == {"c = a * a", right, "s = a - b; d = s * s"}
        assert right == "d = a * b + a" and "s = a - b; d = s * s" in q.choices[q.answer].why
        assert "`c = a * a` fails" in q.text
        assert not set(wrong) & (failed | unjudged)  # they are judged, and pass
        assert unjudged == {"d = a * b + a"}  # only the run through the class's own backward()
        assert "mul with broadcasting" not in report.failed_rules  # every broadcast case passes
        for f in report.failures:
            assert "An input used twice must collect gradient from *both* uses" in f.hint
            assert "The rule of `*` overwrites" in f.hint
        assert "an input used twice must collect gradient" in q.choices[q.answer].why.lower()
    # the half: a * a seeded with v leaves a.data * v, where a.data * v + a.data * v is right
    T = assigning_mul()
    rng = np.random.default_rng(0)
    a, v = T(rng.normal(size=(2, 3))), rng.normal(size=(2, 3))
    (a * a).backward(grad=v)
    assert np.allclose(a.grad, a.data * v) and not np.allclose(a.grad, 2 * a.data * v)
    # d = a * b + a: the rule of + runs first, then * overwrites its share
    a, b = T(rng.normal(size=(2, 3))), T(rng.normal(size=(2, 3)))
    (a * b + a).backward(grad=v)
    assert np.allclose(a.grad, b.data * v) and not np.allclose(a.grad, b.data * v + v)


def test_the_other_slip_of_the_try_it_bullet_fails_first_at_c_equals_a_times_b():
    own = ADD_MUL.replace(MUL_RULE[0], "self.grad += unbroadcast(self.data * out.grad")
    assert own != ADD_MUL
    report = check_tensor_add_mul(engine(own)["Tensor"], seed=5, save=False)
    assert report.failures[0].expression == "c = a * b"
    assert "You multiplied by a's own data" in report.failures[0].hint
    # and the bullet's one-liner lists the failing expressions
    assert [f.expression for f in report.failures][0] == "c = a * b"


def test_the_bias_gradients_are_the_ones_the_quiz_quotes():
    T = engine()["Tensor"]
    z, b = T(np.arange(12.0).reshape(4, 3)), T(np.array([100.0, 200.0, 300.0]))
    (z + b).backward()  # the seed: all ones
    assert b.grad.shape == (3,) and b.grad.tolist() == [4.0, 4.0, 4.0]
    G = np.arange(1.0, 13.0).reshape(4, 3)
    b = T(np.array([100.0, 200.0, 300.0]))
    (z + b).backward(grad=G)
    assert b.grad.tolist() == [22.0, 26.0, 30.0]
    one = T(0.0)  # a bias of shape (): every axis summed
    (z + one).backward()
    assert one.grad.shape == () and float(one.grad) == 12.0
    with pytest.raises(ValueError, match="non-broadcastable output operand"):
        grad = np.zeros(3)
        grad += np.ones((4, 3))  # the `+=` without unbroadcast
    why = question("08.bias").choices[1].why
    assert "[22, 26, 30]" in why and "b.grad         = [22. 26. 30.]" in outputs(LESSON)


def test_the_matmul_options_have_the_shapes_the_quiz_says():
    T = engine()["Tensor"]
    rng = np.random.default_rng(1)
    A_np, B_np, G = rng.normal(size=(5, 3)), rng.normal(size=(3, 2)), rng.normal(size=(5, 2))
    A, B = T(A_np), T(B_np)
    (A @ B).backward(grad=G)
    assert np.allclose(A.grad, G @ B_np.T)  # the answer
    assert np.allclose(B.grad, A_np.T @ G) and (A_np.T @ G).shape == (3, 2)  # that is dL/dB
    for product in (lambda: G @ B_np, lambda: B_np.T @ G):  # these cannot even run
        with pytest.raises(ValueError):
            product()
    q = question("08.matmul")
    assert q.choices[q.answer].text == "`G @ B.T`"


def test_the_speed_question_quotes_the_lessons_numbers():
    printed = outputs(LESSON)
    assert "loss with Values:  1.015658" in printed and "loss with Tensors: 1.015658" in printed
    assert "same gradients in all 6 parameter arrays: True" in printed
    assert "with Values:  21,972 nodes" in printed and "with Tensors:     19 nodes" in printed
    assert "64 points, with Values:  43,604 nodes" in printed
    whys = " ".join(c.why for c in question("08.speed").choices)
    for quoted in ("1.015658", "all 6 gradient arrays", "43,604", "19", "float64"):
        assert quoted in whys
    assert engine()["Tensor"]([1, 2]).data.dtype == np.float64
