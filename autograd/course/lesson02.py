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
"""

from __future__ import annotations

import math
import os
import random
from collections.abc import Callable, Mapping
from numbers import Real

from ..gradcheck import numerical_grad
from .carry import finish
from .registry import Exercise
from .report import CheckReport, ReportBuilder, RuleBuilder, _num

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
