"""Lesson 02's checkers: gradients by hand, with the chain rule.

* :func:`check_bias_grads` — ``grads_by_hand(w, x, b, y)`` returns ``(dL/dw, dL/db)`` for
  ``L = (w*x + b - y)**2``.
* :func:`check_gates` — the three gate patterns: ``add_backward``, ``mul_backward`` and
  ``max_backward``, each ``(a, b, out_grad) -> (a_grad, b_grad)``.
* :func:`check_neuron_grads` — ``neuron_grads(x1, w1, x2, w2, b)`` backpropagates by hand
  through ``o = tanh(x1*w1 + x2*w2 + b)`` and returns every gradient. Each gradient is
  judged on its own: one that is right *given your gradient of the step after it* is not
  blamed for a mistake further up (the report says it could not be judged yet).

Every expected value is a central difference (:func:`autograd.numerical_grad`) at fresh
random numbers, so no rule of calculus is trusted; ``seed=...`` repeats a run exactly.

The module also holds the lesson's quiz (``QUIZ``, shown by ``quiz("02")``) and the context of
its AI study prompts (``STUDY``, shown by ``study_with_ai("02")``).
"""

from __future__ import annotations

import math
import os
import random
from collections.abc import Callable, Mapping
from numbers import Real

from ..gradcheck import numerical_grad
from .carry import finish
from .quizbank import Choice, Question
from .registry import Exercise
from .report import CheckReport, ReportBuilder, RuleBuilder, _num
from .study import Study

__all__ = ["check_bias_grads", "check_gates", "check_neuron_grads"]

EXERCISES = [
    Exercise("02.bias_grads", "dL/dw and dL/db by hand", "check_bias_grads", chain=None,
             provides=("grads_by_hand",)),
    Exercise("02.gates", "the gate patterns", "check_gates", chain=None,
             provides=("add_backward", "mul_backward", "max_backward")),
    Exercise("02.neuron_grads", "backprop through a neuron", "check_neuron_grads", chain=None,
             provides=("neuron_grads",)),
]  # fmt: skip

_RTOL, _ATOL = 1e-5, 1e-6


def _seed(seed: int | None) -> int:
    return int.from_bytes(os.urandom(8), "big") if seed is None else seed


def _is_number(x: object) -> bool:
    return isinstance(x, Real) and not isinstance(x, bool) and math.isfinite(float(x))


def _close(got: float, expected: float) -> bool:
    return abs(got - expected) <= _ATOL + _RTOL * abs(expected)


def _callable(obj: object, who: str, what: str) -> None:
    if not callable(obj):
        raise TypeError(f"{who} needs your function {what}, got {type(obj).__name__}: {obj!r}")


def _draw(rng: random.Random, k: int) -> list[float]:
    """``k`` random numbers with two decimals, both signs, magnitudes in [0.4, 2.5], away from
    ±1 and from each other, so that every slip (a swapped factor, a forgotten one) shows."""
    while True:
        mags = [round(rng.uniform(0.4, 2.5), 2) for _ in range(k)]
        if any(abs(m - 1.0) < 0.15 for m in mags):
            continue
        if any(abs(p - q) < 0.2 for i, p in enumerate(mags) for q in mags[i + 1 :]):
            continue
        return [m if rng.random() < 0.5 else -m for m in mags]


def _pair(result: object) -> tuple[float, float] | None:
    """``result`` as two finite numbers, or None."""
    try:
        first, second = result  # type: ignore[misc]
    except (TypeError, ValueError):
        return None
    if _is_number(first) and _is_number(second):
        return float(first), float(second)
    return None


def _diagnose(got: float, slips: list[tuple[float, str]]) -> str:
    for value, hint in slips:
        if _close(got, value):
            return hint
    return ""


# --------------------------------------------------------------------------- bias
def _loss_with_bias(w: float, x: float, b: float, y: float) -> float:
    return (w * x + b - y) ** 2


def check_bias_grads(
    grads_by_hand: Callable[[float, float, float, float], tuple[float, float]],
    *,
    seed: int | None = None,
    save: bool = True,
    points: int = 4,
) -> CheckReport:
    """Check ``grads_by_hand(w, x, b, y) -> (dL/dw, dL/db)`` for ``L = (w*x + b - y)**2``.

    Both are compared with central differences of ``L`` at ``points`` random points; each
    has its own row in the report, and the common slips (a missing factor 2 or ``x``, a
    flipped sign, the bias left out of ``d``, the two swapped) get their own hint.
    """
    _callable(grads_by_hand, "check_bias_grads", "grads_by_hand(w, x, b, y)")
    seed = _seed(seed)
    rng = random.Random(seed)
    b_ = ReportBuilder(
        "dL/dw and dL/db by hand",
        "both of your formulas match the central differences at every point.",
        seed,
    )
    rules = {"dL/dw": b_.rule("dL/dw"), "dL/db": b_.rule("dL/db")}
    for _ in range(points):
        while True:
            w, x, b, y = _draw(rng, 4)
            d = w * x + b - y
            if abs(d) > 0.5 and abs(abs(x) - 1) > 0.2 and abs(w * x - y) > 0.3:
                break
        where = f"at w = {_num(w)}, x = {_num(x)}, b = {_num(b)}, y = {_num(y)}"
        try:
            result = grads_by_hand(w, x, b, y)
        except Exception as exc:
            for r in rules.values():
                r.error(f"computing grads_by_hand({_num(w)}, {_num(x)}, {_num(b)}, {_num(y)})",
                        exc)  # fmt: skip
            continue
        pair = _pair(result)
        if pair is None:
            for r in rules.values():
                r.check(
                    False,
                    f"{where}: grads_by_hand returned {result!r}, not two numbers",
                    "Return both gradients, in this order: `return dL_dw, dL_db`."
                    + (" Did you forget `return`?" if result is None else ""),
                    got=result,
                    kind="data",
                )
            continue
        gw, gb = pair
        nw, _, nb, _ = numerical_grad(_loss_with_bias, [w, x, b, y])
        swapped = (
            "Your two numbers are swapped: return (dL/dw, dL/db), in this order."
            if _close(gw, nb) and _close(gb, nw)
            else ""
        )
        no_bias = 2 * (w * x - y)
        slips = {
            "dL/dw": [
                (d * x, "The factor 2 is missing: for L = d², dL/dd = 2d."),
                (2 * d, "The factor x is missing: the step p = w·x has ∂p/∂w = x."),
                (-2 * d * x, "The sign is flipped: d = wx + b - y, so ∂d/∂(wx + b) = +1 "
                             "(it is y that gets -1)."),
                (2 * d * w, "∂(w·x)/∂w is x, not w."),
                (no_bias * x, "d includes the bias now: d = wx + b - y."),
            ],
            "dL/db": [
                (2 * d * x, "The bias gets no factor x: ∂(wx + b)/∂b = 1."),
                (d, "The factor 2 is missing: for L = d², dL/dd = 2d."),
                (-2 * d, "The sign is flipped: d = wx + b - y, so ∂d/∂b = +1."),
                (1.0, "1 is only the local derivative ∂(wx + b)/∂b: multiply it by the "
                      "gradient that arrives there, dL/dd = 2d (the chain rule)."),
                (0.0, "b does move L: nudge it and the prediction moves with it."),
                (no_bias, "d includes the bias now: d = wx + b - y."),
            ],
        }  # fmt: skip
        for name, got, expected in (("dL/dw", gw, nw), ("dL/db", gb, nb)):
            ok = _close(got, expected)
            hint = "" if ok else (swapped or _diagnose(got, slips[name]))
            rules[name].check(
                ok,
                f"{where}: expected {name} = {_num(expected)} (central difference), "
                f"got {_num(got)}",
                hint
                or "Name the steps (p = wx, s = p + b, d = s - y, L = d²) and multiply "
                "their local derivatives along the path from L back to the input.",
                quantity=name,
                expected=expected,
                got=got,
            )
    report = b_.build()
    return finish("02.bias_grads", report, {"grads_by_hand": grads_by_hand}, save=save)


# --------------------------------------------------------------------------- gates
Gate = Callable[[float, float, float], tuple[float, float]]

_GATES: dict[str, tuple[str, Callable[[float, float], float]]] = {
    "add": ("a + b", lambda a, b: a + b),
    "mul": ("a * b", lambda a, b: a * b),
    "max": ("max(a, b)", lambda a, b: max(a, b)),
}


def _gate_slips(gate: str, a: float, b: float, g: float) -> list[tuple[tuple[float, float], str]]:
    """The usual wrong answers for ``(a_grad, b_grad)`` and what to say about them."""
    big = 1.0 if a > b else 0.0
    if gate == "add":
        return [
            ((1.0, 1.0), "The local derivatives are right (1 and 1), but they must be multiplied "
                         "by the gradient arriving, out_grad (the chain rule)."),
            ((g / 2, g / 2), "+ does not split its gradient, it copies it: each input gets the "
                             "whole out_grad."),
            ((g, 0.0), "Both inputs of + get out_grad, b as well."),
            ((0.0, g), "Both inputs of + get out_grad, a as well."),
            ((a * g, b * g), "The local derivative of a + b is 1 for each input, not the "
                             "input's value."),
            ((b * g, a * g), "That is the * rule. For +, each input simply gets out_grad."),
        ]  # fmt: skip
    if gate == "mul":
        return [
            ((a * g, b * g), "Swapped: in a * b each input gets the *other* input's value, "
                             "a_grad = b · out_grad and b_grad = a · out_grad."),
            ((b, a), "The local derivatives are right (b and a), but they must be multiplied "
                     "by the gradient arriving, out_grad (the chain rule)."),
            ((g, g), "That is the + rule. For *, the local derivative is the other input: "
                     "a_grad = b · out_grad."),
            ((a * b * g, a * b * g), "You multiplied by the output a · b; use the other "
                                     "input instead."),
        ]  # fmt: skip
    return [
        (((1 - big) * g, big * g), "That routes the gradient to the *smaller* input. max "
                                   "sends it to the input that won (the larger one)."),
        ((g, g), "max does not copy its gradient to both inputs: only the winner (the larger "
                 "input) moved the output, the other gets 0."),
        ((g / 2, g / 2), "max does not split its gradient: the winner gets all of out_grad, "
                         "the other input 0."),
        ((big, 1 - big), "The routing is right, but the winner gets out_grad, not 1 (the "
                         "chain rule: local derivative 1 times out_grad)."),
        ((big * max(a, b) * g, (1 - big) * max(a, b) * g), "The local derivative of max for "
                                                           "the winner is 1, not its value."),
    ]  # fmt: skip


def check_gates(
    add_backward: Gate,
    mul_backward: Gate,
    max_backward: Gate,
    *,
    seed: int | None = None,
    save: bool = True,
    points: int = 4,
) -> CheckReport:
    """Check the three gate patterns, each ``(a, b, out_grad) -> (a_grad, b_grad)``:
    ``+`` distributes (copies ``out_grad`` to both inputs), ``*`` swaps (each input gets the
    other's value times ``out_grad``), ``max`` routes (all of ``out_grad`` to the larger
    input, 0 to the other).

    Each gate is tried at ``points`` random ``(a, b, out_grad)`` (for ``max``, both
    orders), against central differences of ``out_grad · gate(a, b)``.
    """
    functions = {"add": add_backward, "mul": mul_backward, "max": max_backward}
    for name, fn in functions.items():
        _callable(fn, "check_gates", f"{name}_backward(a, b, out_grad)")
    seed = _seed(seed)
    rng = random.Random(seed)
    builder = ReportBuilder(
        "the gate patterns",
        "+ distributes, * swaps, max routes: all three send the gradient back correctly.",
        seed,
    )
    for gate, fn in functions.items():
        rule = builder.rule(gate)
        text, forward = _GATES[gate]
        for i in range(points):
            a, b, g = _draw(rng, 3)
            if gate == "max" and (a > b) != (i % 2 == 0):
                a, b = b, a  # both orders: a wins, then b wins, ...
            call = f"{gate}_backward({_num(a)}, {_num(b)}, {_num(g)})"
            try:
                result = fn(a, b, g)
            except Exception as exc:
                rule.error(f"computing {call}", exc)
                continue
            pair = _pair(result)
            if pair is None:
                rule.check(
                    False,
                    f"{call} returned {result!r}, not two numbers",
                    "Return both gradients: `return a_grad, b_grad`."
                    + (" Did you forget `return`?" if result is None else ""),
                    got=result,
                    kind="data",
                )
                continue
            expected = numerical_grad(lambda a, b, g=g, f=forward: g * f(a, b), [a, b])
            ok = _close(pair[0], expected[0]) and _close(pair[1], expected[1])
            hint = ""
            if not ok:
                for slip, says in _gate_slips(gate, a, b, g):
                    if _close(pair[0], slip[0]) and _close(pair[1], slip[1]):
                        hint = says
                        break
                else:
                    hint = (
                        f"Each input's gradient is out_grad times the local derivative of "
                        f"{text} with respect to that input."
                    )
            rule.check(
                ok,
                f"for out = {text} with a = {_num(a)}, b = {_num(b)}, out_grad = {_num(g)}: "
                f"expected (a_grad, b_grad) = ({_num(expected[0])}, {_num(expected[1])}), "
                f"got ({_num(pair[0])}, {_num(pair[1])})",
                hint,
                expression=text,
                quantity="(a_grad, b_grad)",
                expected=None,
                got=pair,
            )
    report = builder.build()
    objects = {f"{gate}_backward": fn for gate, fn in functions.items()}
    return finish("02.gates", report, objects, save=save)


# --------------------------------------------------------------------------- the neuron
# Each gradient the learner fills in: (name, the step after it, that step's kind, the other
# input of that step for "mul"). In backward order: every step's gradient before its inputs'.
_NEURON_STEPS: tuple[tuple[str, str, str, str], ...] = (
    ("n", "o", "tanh", ""),
    ("b", "n", "add", ""),
    ("s", "n", "add", ""),
    ("x1w1", "s", "add", ""),
    ("x2w2", "s", "add", ""),
    ("x1", "x1w1", "mul", "w1"),
    ("w1", "x1w1", "mul", "x1"),
    ("x2", "x2w2", "mul", "w2"),
    ("w2", "x2w2", "mul", "x2"),
)
_STEP_TEXT = {"n": "o = tanh(n)", "s": "n = s + b", "x1w1": "s = x1w1 + x2w2",
              "x2w2": "s = x1w1 + x2w2", "x1": "x1w1 = x1 * w1", "w1": "x1w1 = x1 * w1",
              "x2": "x2w2 = x2 * w2", "w2": "x2w2 = x2 * w2", "b": "n = s + b"}  # fmt: skip


def _neuron_forward(inputs: Mapping[str, float], override: Mapping[str, float]) -> dict:
    """Every value of the neuron; ``override`` replaces a value (to nudge it on its own)."""
    v = dict(inputs)
    for k in ("x1", "w1", "x2", "w2", "b"):
        v[k] = override.get(k, v[k])
    v["x1w1"] = override.get("x1w1", v["x1"] * v["w1"])
    v["x2w2"] = override.get("x2w2", v["x2"] * v["w2"])
    v["s"] = override.get("s", v["x1w1"] + v["x2w2"])
    v["n"] = override.get("n", v["s"] + v["b"])
    v["o"] = math.tanh(v["n"])
    return v


def _neuron_point(rng: random.Random) -> dict[str, float]:
    while True:
        x1, w1, x2, w2 = _draw(rng, 4)
        b = round(rng.uniform(-1.0, 1.0), 2)
        n = x1 * w1 + x2 * w2 + b
        if 0.3 <= abs(n) <= 1.6:
            return {"x1": x1, "w1": w1, "x2": x2, "w2": w2, "b": b}


def _neuron_slips(
    name: str, kind: str, other: str, v: Mapping[str, float], up_name: str, up: float
) -> list[tuple[float, str]]:
    o, n = v["o"], v["n"]
    arriving = f"{up_name}.grad"
    if kind == "tanh":
        return [
            (1 - o, "tanh'(n) = 1 - tanh(n)², squared: 1 - o**2, not 1 - o."),
            (1 - n * n, "Square tanh(n) = o, not n: tanh'(n) = 1 - o**2."),
            (o * o - 1, "The sign is flipped: tanh'(n) = 1 - o**2 (tanh is increasing)."),
            (o, "That is o = tanh(n) itself, the forward value, not its derivative."),
            (1.0, "That is o.grad alone: multiply it by the local derivative of tanh."),
        ]
    if kind == "add":
        return [
            (0.0, f"{name}.grad stayed 0: + passes the gradient arriving ({arriving}) on to "
                  "each of its inputs."),
            (1.0, f"1 is only the local derivative of + : multiply it by the gradient "
                  f"arriving, {arriving} (the chain rule)."),
            (up / 2, f"+ does not split the gradient, it copies it: {name} gets all of "
                     f"{arriving}."),
            (v[name] * up, f"The local derivative of a sum is 1 for each input, not "
                           f"{name}'s value."),
        ]  # fmt: skip
    return [
        (v[name] * up, f"Swapped: in {_STEP_TEXT[name]} each factor gets the *other* "
                       f"factor's value: {name}.grad = {other} · {arriving}."),
        (v[other], f"{other} is only the local derivative: multiply it by the gradient "
                   f"arriving, {arriving} (the chain rule)."),
        (up, f"That is the + rule. For *, the local derivative is the other factor, {other}."),
        (0.0, f"{name}.grad stayed 0: a factor of a product gets gradient too."),
    ]  # fmt: skip


def check_neuron_grads(
    neuron_grads: Callable[..., Mapping[str, float]],
    *,
    seed: int | None = None,
    save: bool = True,
    points: int = 3,
) -> CheckReport:
    """Check a backward pass by hand through ``o = tanh(x1*w1 + x2*w2 + b)``.

    ``neuron_grads(x1, w1, x2, w2, b)`` returns a dict with the gradient of ``o`` with respect
    to every value: ``"n"``, ``"b"``, ``"s"``, ``"x1w1"``, ``"x2w2"``, ``"x1"``, ``"w1"``,
    ``"x2"``, ``"w2"`` (where ``x1w1 = x1*w1``, ``s = x1w1 + x2w2``, ``n = s + b``). Each one
    is its own row, compared with a central difference (nudging that value alone and running
    the rest of the neuron forward) at ``points`` random neurons. A gradient that is its step's
    local derivative times *your* gradient of the step after it is not blamed when that one is
    wrong: the row says it cannot be judged until the earlier one is fixed.
    """
    _callable(neuron_grads, "check_neuron_grads", "neuron_grads(x1, w1, x2, w2, b)")
    seed = _seed(seed)
    rng = random.Random(seed)
    builder = ReportBuilder(
        "backprop through a neuron",
        "every gradient of the neuron, by hand, matches the central differences.",
        seed,
    )
    rules: dict[str, RuleBuilder] = {
        name: builder.rule(f"{name}.grad") for name, _, _, _ in _NEURON_STEPS
    }
    for _ in range(points):
        inputs = _neuron_point(rng)
        v = _neuron_forward(inputs, {})
        args = ", ".join(f"{k} = {_num(inputs[k])}" for k in ("x1", "w1", "x2", "w2", "b"))
        call = "neuron_grads(" + ", ".join(_num(inputs[k]) for k in inputs) + ")"
        try:
            result = neuron_grads(*inputs.values())
        except Exception as exc:
            for r in rules.values():
                r.error(f"computing {call}", exc)
            continue
        if not isinstance(result, Mapping):
            for r in rules.values():
                r.check(
                    False,
                    f"{call} returned {type(result).__name__}, not a dict of gradients",
                    "Keep the stub's last line: it returns a dict such as "
                    '`{"n": n_grad, "b": b_grad, ...}`.',
                    got=result,
                    kind="data",
                )
            continue
        got: dict[str, object] = dict(result)
        got.setdefault("o", 1.0)
        good: dict[str, bool] = {"o": _is_number(got["o"]) and _close(float(got["o"]), 1.0)}
        for name, up_name, kind, other in _NEURON_STEPS:
            rule = rules[name]
            value = got.get(name)
            expected = numerical_grad(
                lambda t, q=name, at=inputs: _neuron_forward(at, {q: t})["o"], [v[name]]
            )[0]
            local = 1 - v["o"] ** 2 if kind == "tanh" else (1.0 if kind == "add" else v[other])
            up = got.get(up_name)
            up_ok = good[up_name]
            if _is_number(value) and _close(float(value), expected):
                good[name] = True
                rule.check(True)
                continue
            good[name] = False
            if not up_ok and (
                not _is_number(up)
                or (_is_number(value) and _close(float(value), local * float(up)))  # type: ignore[arg-type]
            ):
                rule.blocked(by=f"{up_name}.grad")  # right given theirs, or cannot be told
                continue
            if name not in result:
                rule.check(
                    False,
                    f"the dict neuron_grads returned has no {name!r}",
                    "Keep the stub's last line, which returns every gradient by name.",
                    kind="data",
                )
                continue
            if value is None:
                rule.check(
                    False,
                    f"{name}.grad is still None: fill it in",
                    f"{name} feeds the step {_STEP_TEXT[name]}: its gradient is "
                    f"{up_name}.grad times that step's local derivative with respect to {name}.",
                    kind="data",
                )
                continue
            if not _is_number(value):
                rule.check(
                    False,
                    f"{name}.grad is {value!r}, not a number",
                    "Each gradient is one number.",
                    got=value,
                    kind="data",
                )
                continue
            up_value = float(up) if _is_number(up) else 1.0  # type: ignore[arg-type]
            hint = _diagnose(float(value), _neuron_slips(name, kind, other, v, up_name, up_value))
            rule.check(
                False,
                f"at {args} (o = {_num(v['o'])}): expected {name}.grad = {_num(expected)} "
                f"(central difference), got {_num(value)}",
                hint
                or f"{name} feeds the step {_STEP_TEXT[name]}: its gradient is {up_name}.grad "
                f"times that step's local derivative with respect to {name}.",
                quantity=f"{name}.grad",
                expected=expected,
                got=value,
            )
    report = builder.build()
    return finish("02.neuron_grads", report, {"neuron_grads": neuron_grads}, save=save)


# --------------------------------------------------------------------------- quiz
# Every number a `why` quotes is printed by the lesson (or follows from its formulas): at
# w = 3, x = 2, y = 5: p = 6, d = 1, L = 1, dL/dw = 4, dL/dx = 6, dL/dy = -2, numerical_grad
# -2.000000, L(3.01) - L(3) = 0.0404; in the neuron, n = 0.8814 and 1 - o² = 0.5; with
# x2 = 1, n = 1.8814, o = 0.9546 and 1 - o² = 0.0887 (0.18 of 0.5).
QUIZ = [
    Question(
        "02.meaning",
        "After `L.backward()` (at w = 3, x = 2, y = 5), `w.grad` is 4. What does that 4 mean?",
        [
            Choice(
                "`w` should be set to 4 to make the loss smaller",
                "A grad is a slope, not a target value: it says which way L moves when w moves "
                "(here: up with w). Setting w = 4 would even make L = (8 - 5)² = 9, worse than "
                "1. To lower L, move w a small step the other way (gradient descent, lesson 07).",
            ),
            Choice(
                "`L` is 4 times as big as `w` at this point",
                "L is 1 and w is 3 here. A grad compares changes, not values: dL/dw = 4 says L "
                "changes about 4 times as much as a small change of w.",
            ),
            Choice(
                "`w` is used 4 times on the way from the inputs to `L`",
                "w is used once, in p = w·x. The 4 is a product of local derivatives along its "
                "path: dL/dd · ∂d/∂p · ∂p/∂w = 2 · 1 · 2.",
            ),
            Choice(
                "if `w` grows by a small ε, `L` grows by about 4ε",
                "A grad is the derivative of the output with respect to that value: nudge w "
                "from 3 to 3.01 and L grows by about 4 × 0.01 = 0.04 (the lesson measured "
                "0.0404).",
            ),
        ],
        answer=3,
    ),
    Question(
        "02.sign",
        "Why is `dL/dy` negative (-2) while `dL/dw` is positive (4)?",
        [
            Choice(
                "`y = 5` is bigger than `w = 3`, so its gradient comes out negative",
                "The sizes of the values set no sign: the local derivatives along the path do. "
                "(x = 2 is smaller than w = 3, yet its grad, 6, is positive and bigger than w's.)",
            ),
            Choice(
                "`y` is the target, so its gradient is negative whatever the numbers",
                "dL/dy = -2d flips sign with d. With w = 2 (on the Try it list), d = 4 - 5 = -1 "
                "and dL/dy = +2.",
            ),
            Choice(
                "`y` enters through `d = p - y`, whose slope in `y` is -1",
                "The chain rule multiplies local derivatives: dL/dy = dL/dd · ∂d/∂y = 2 · (-1). "
                "Raising y makes d smaller, and here (d = 1 > 0) a smaller d means a smaller "
                "loss.",
            ),
            Choice(
                "it is a rounding error of the backward sweep",
                "The backward sweep multiplies exact local derivatives (2 · -1 = -2), and "
                "numerical_grad, which only nudges y and measures, agrees: -2.000000.",
            ),
        ],
        answer=2,
    ),
    Question(
        "02.order",
        "In the backward sweep, why go from the output towards the inputs?",
        [
            Choice(
                "so each grad is complete before it is passed on, and computed once",
                "A value's grad is what the steps it feeds send back to it. Going from the "
                "output back, each grad is finished before it is passed on to the inputs of the "
                "step that made it, so p_grad is computed once and reused for both w and x. "
                "(Lesson 05 looks at this order in detail.)",
            ),
            Choice(
                "Python runs the lines of a backward sweep from the bottom of the cell up",
                "Python runs lines top to bottom, as always. The sweep's lines are written in "
                "reverse order on purpose: L_grad first, then d_grad, p_grad, and last w_grad "
                "and x_grad.",
            ),
            Choice(
                "the forward pass has used up the values, so only the output is left",
                "Nothing is used up: the backward rules read the forward values. w_grad = "
                "x * p_grad uses x's value, and d_grad = 2 * d * L_grad uses d's.",
            ),
            Choice(
                "any order gives the same grads; output-first is only a convention",
                "The order matters: w_grad = x * p_grad needs p_grad, so p_grad must be "
                "finished first. Starting from the inputs, you would multiply by a grad that "
                "has not been computed yet.",
            ),
        ],
        answer=0,
    ),
    Question(
        "02.saturate",
        'From the Try it list: in the neuron, change `x2` from 0 to 1 and re-run down to "The '
        'engine agrees". `w2.grad` is no longer 0. What happens to the other gradients '
        "(`n`, `b`, `s`, `x1`, `w1`, ...)?",
        [
            Choice(
                "They stay as they were: only the x2w2 branch changed",
                "The forward values changed too: n grows by w2·x2 = 1, to 1.88, so o = tanh(n) "
                "changes, and with it tanh's local derivative 1 - o², which multiplies every "
                "gradient between tanh and the inputs.",
            ),
            Choice(
                "They halve: the + now splits its gradient with the live x2w2",
                "+ copies its gradient to each of its inputs, it does not split it: x2w2 "
                "becoming non-zero takes nothing away from x1w1 (that is '+ distributes').",
            ),
            Choice(
                "They grow: a bigger input makes a bigger gradient flow back",
                "tanh flattens out for big n: the bigger n, the closer o gets to 1 and the "
                "smaller 1 - o², the share of the gradient tanh lets through.",
            ),
            Choice(
                "They all shrink, to less than a fifth of what they were",
                "n grows by w2·x2 = 1, to 1.88, and o = tanh(1.88) ≈ 0.955, so 1 - o² ≈ 0.089: "
                "tanh now lets through less than a fifth of what it did (0.089 / 0.5 ≈ 0.18), "
                "and every gradient between tanh and the inputs is scaled by that factor.",
            ),
        ],
        answer=3,
        try_it=True,
    ),
]

# --------------------------------------------------------------------------- study with an AI
STUDY = Study(
    goals=[
        "break a formula into small steps, each with an easy local derivative",
        "combine them with the chain rule to get a gradient by hand",
        'read `grad` as "how much the output moves per nudge of this value"',
        "watch the same computation run backward through a graph, step by step",
        "write the three gate patterns yourself: `+` distributes, `*` swaps, `max` routes",
        "backpropagate by hand through a neuron, `tanh(x1·w1 + x2·w2 + b)`, one local "
        "gradient at a time — and get exactly what the engine's `backward()` gets",
    ],
    formulas=[
        "chain rule: dC/dA = dC/dB · dB/dA (multiply the local derivatives along the path)",
        "L = (w·x - y)²: dL/dw = 2(wx - y)·x, dL/dx = 2(wx - y)·w, dL/dy = -2(wx - y)",
        "backward sweep: L.grad = 1, then each step sends (its grad) × (its local derivative) "
        "to each of its inputs",
        "+ distributes: out = a + b gives a_grad = out_grad, b_grad = out_grad",
        "* swaps: out = a·b gives a_grad = b·out_grad, b_grad = a·out_grad",
        "max routes: out = max(a, b) sends all of out_grad to the larger input, 0 to the other",
        "d tanh(n)/dn = 1 - tanh(n)² = 1 - o²",
    ],
    demo=(
        "L = (w·x - y)² at w = 3, x = 2, y = 5 (p = w·x = 6, d = p - y = 1, L = d² = 1), "
        "backpropagated by hand and then by L.backward() on a Value graph, with an animation "
        "of the backward sweep: w.grad = 4, x.grad = 6, y.grad = -2. Then a neuron "
        "o = tanh(x1·w1 + x2·w2 + b) at x1 = 2, x2 = 0, w1 = -3, w2 = 1, b = 6.8814 "
        "(n = 0.8814, o = 0.7071, 1 - o² = 0.5), by hand and by o.backward(): n.grad = 0.5, "
        "w1.grad = 1, x1.grad = -1.5, w2.grad = 0."
    ),
    try_it=[
        "In the cell that builds w = Value(3.0), change 3.0 to 2.5 and re-run down to "
        "L.backward(): why is every gradient but L.grad now 0?",
        "Try w = 2.0: the prediction is too small; which sign does w.grad have, and what does "
        "it tell you to do?",
        "Replace L = d**2 by L = d**3 and predict w.grad before you run it (dL/dd = 3d²)",
        'In the neuron cell, change x2 = Value(0.0) to Value(1.0) and re-run down to "The '
        'engine agrees": w2.grad is no longer 0, and every other gradient changes too. Why?',
        "In your max_backward, send the gradient to the smaller input and re-run "
        "print(check_gates(add_backward, mul_backward, max_backward)): what does the report "
        "name?",
    ],
)
