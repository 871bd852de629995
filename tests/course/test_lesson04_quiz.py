"""Lesson 04's quiz explanations are true: the numbers of the saturated tanh chain, tanh's
rule from its output, and the gradients and node counts of (a - b) / (a + b), on the Value
lesson 04 ends with. (The generic checks of every lesson's quiz and study prompts, and the
lines the explanations quote from the notebook, are in ``test_quizzes.py``.)"""

from __future__ import annotations

import math

import autograd
from autograd import draw_dot
from autograd.course import carry


# --------------------------------------------------------------------------- the claims
def reference_value() -> type:
    """The Value lesson 04 ends with, as shipped: the reference chain up to lesson 04."""
    namespace, _ = carry.build("value", "05")
    return namespace["Value"]


def through_chain(Value: type, name: str, depth: int, x0: float) -> float:
    x = Value(x0)
    out = x
    for _ in range(depth):
        out = getattr(out, name)()
    out.backward()
    return x.grad


def test_the_saturated_tanh_chain_gives_the_numbers_the_quiz_quotes():
    Value = reference_value()
    assert round(through_chain(Value, "tanh", 5, 0.5), 3) == 0.393
    assert round(through_chain(Value, "tanh", 5, 3.0), 4) == 0.0012
    assert (
        round(through_chain(Value, "tanh", 5, 0.5) / through_chain(Value, "tanh", 5, 3.0), -2)
        == 300
    )
    inputs, x = [], 3.0
    for _ in range(5):
        inputs.append(x)
        x = math.tanh(x)
    slopes = [1 - math.tanh(x) ** 2 for x in inputs]
    assert [round(x, 2) for x in inputs[1:]] == [1.0, 0.76, 0.64, 0.57]  # 0.995 rounds to 1.0
    assert round(inputs[1], 3) == 0.995
    assert round(slopes[0], 4) == 0.0099
    assert [round(s, 2) for s in slopes[1:]] == [0.42, 0.59, 0.68, 0.74]
    assert 0 < slopes[0] ** 5 < 1e-9  # "about 1e-10"
    # "exactly 0": not at x = 3 or beyond, but 1 - tanh(20)² does round to 0.0 in float64
    assert min(slopes) > 0 and 1 - math.tanh(20) ** 2 == 0.0
    assert max(inputs[1:]) < 1


def test_the_tanh_and_division_claims():
    Value = reference_value()
    # tanh's rule from out = 0.5
    x = Value(math.atanh(0.5))
    out = x.tanh()
    out.backward()
    assert round(out.data, 12) == 0.5 and round(x.grad, 12) == 0.75
    assert round(math.atanh(0.5), 3) == 0.549
    t = Value(0.5)
    t.tanh().backward()
    assert round(t.grad, 3) == 0.786
    # (a - b) / (a + b): same gradients, 8 values here, 5 in autograd.Value
    a, b = Value(5.0), Value(2.0)
    mine = (a - b) / (a + b)
    mine.backward()
    a2, b2 = autograd.Value(5.0), autograd.Value(2.0)
    packaged = (a2 - b2) / (a2 + b2)
    packaged.backward()
    assert f"{a.grad:.6f}" == f"{a2.grad:.6f}" == "0.081633"
    assert f"{b.grad:.6f}" == f"{b2.grad:.6f}" == "-0.204082"
    assert "8 values" in repr(draw_dot(mine)) and "5 values" in repr(draw_dot(packaged))
