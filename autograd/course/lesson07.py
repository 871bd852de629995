"""Lesson 07's checkers: a neural net made of the learner's own ``Value``, and its training.

Four exercises, four checkers::

    check_neuron(Neuron)        # 07.neuron:   relu(w·x + b), its parameters, its gradients
    check_layer(Layer)          # 07.layer:    neurons side by side, parameters(), zero_grad()
    check_mlp(MLP)              # 07.mlp:      layers in a row, the last one linear
    check_training(train_step)  # 07.training: forward, zero_grad, backward, update

What the classes must look like (the lesson's stubs say the same):

* ``Neuron(nin, nonlin=True, rng=random)`` has ``w`` (a list of ``nin`` Values drawn
  uniformly from [-1, 1] with ``rng.uniform``) and ``b`` (a Value, 0 at first); calling it
  on ``nin`` inputs (numbers or Values) returns the Value ``relu(w·x + b)``, or ``w·x + b``
  when ``nonlin=False``; ``parameters()`` is ``w + [b]``.
* ``Layer(nin, nout, nonlin=True, rng=random)`` has ``neurons`` (``nout`` Neurons); calling
  it returns the list of their outputs; ``parameters()`` lists every neuron's parameters,
  neuron by neuron; ``zero_grad()`` sets every parameter's ``grad`` to 0.
* ``MLP(nin, nouts, rng=random)`` has ``layers``, one per size in ``nouts``, every one but
  the last with ReLU; calling it returns the last layer's list, or its single Value when the
  last layer has one neuron; ``parameters()`` layer by layer; ``zero_grad()``.
* ``train_step(model, loss_fn, X, y, learning_rate)`` computes ``loss = loss_fn(model, X,
  y)``, zeroes the gradients, runs ``loss.backward()``, moves every parameter by
  ``-learning_rate * p.grad`` and returns ``loss.data``.

How they decide, so you can trust them:

* **Fresh random cases on every call** (``seed=...`` repeats a run exactly). The checkers
  write their own random weights into your objects (through ``w``, ``b``, ``neurons`` and
  ``layers``), so every expected number is known.
* **An independent referee.** The expected outputs are computed with plain floats from the
  weights, without your code; the expected gradients are central differences of that float
  computation (:func:`autograd.numerical_grad`). Cases are drawn so that no ReLU sits at its
  kink, and so that every usual slip (a missing bias, a ReLU too many or too few) changes
  the answer.
* **The training step is watched.** ``check_training`` uses a tiny model of its own (a
  linear regression on a few points) whose parameters start with *stale* gradients, as if
  an earlier step had left them there: a step that forgets ``zero_grad()``, or calls it after
  ``backward()``, moves the parameters by the wrong amount, and the report says which. The
  loss function is the checker's own too, so a step that computes some other loss (say
  ``hinge_loss`` by name) instead of calling the ``loss_fn`` it is given is told so.
* **One hint per mistake.** A check that only repeats an earlier failure is not judged
  ("could not be judged: needs ... fixing first"), and every rule always counts the same
  number of checks, judged or not.

The module also holds the lesson's quiz (``QUIZ``, shown by ``quiz("07")``) and the context of
its AI study prompts (``STUDY``, shown by ``study_with_ai("07")``).
"""

from __future__ import annotations

import math
import os
import random
import re
from collections.abc import Callable, Sequence
from numbers import Real
from typing import Any

import numpy as np

from ..engine import Value as _PackageValue
from ..gradcheck import numerical_grad
from .carry import finish
from .quizbank import Choice, Question
from .registry import Exercise
from .report import CheckReport, ReportBuilder, RuleBuilder, _num
from .study import Study

__all__ = ["check_layer", "check_mlp", "check_neuron", "check_training"]

EXERCISES = [
    Exercise("07.neuron", "a Neuron", "check_neuron", chain=None, provides=("Neuron",)),
    Exercise("07.layer", "a Layer", "check_layer", chain=None, provides=("Layer",)),
    Exercise("07.mlp", "an MLP", "check_mlp", chain=None, provides=("MLP",)),
    Exercise("07.training", "the training step", "check_training", chain=None,
             provides=("train_step",)),
]  # fmt: skip

_RTOL, _ATOL = 1e-6, 1e-9  # forward values: the same sums in (almost) the same order
_GRAD_RTOL, _GRAD_ATOL = 1e-4, 1e-6  # gradients against central differences
_KINK = 0.05  # no pre-activation closer than this to ReLU's kink at 0


# --------------------------------------------------------------------------- helpers
def _seed(seed: int | None) -> int:
    return int.from_bytes(os.urandom(8), "big") if seed is None else seed


def _close(got: float, expected: float, rtol: float = _RTOL, atol: float = _ATOL) -> bool:
    return abs(got - expected) <= atol + rtol * abs(expected)


def _is_number(x: object) -> bool:
    return isinstance(x, Real) and not isinstance(x, bool) and math.isfinite(float(x))


def _is_value(v: object) -> bool:
    """Looks like a Value: a number in ``.data``, a ``.grad`` and a ``backward()``."""
    return (
        _is_number(getattr(v, "data", None))
        and _is_number(getattr(v, "grad", None))
        and callable(getattr(v, "backward", None))
    )


def _describe(x: object) -> str:
    """A short description of what came back, for "got ..." messages."""
    if _is_value(x):
        return f"a Value (data = {_num(x.data)})"  # type: ignore[attr-defined]
    if isinstance(x, (list, tuple)):
        inner = ", ".join(_describe(v) for v in list(x)[:3]) + (", ..." if len(x) > 3 else "")
        return f"a {type(x).__name__} of {len(x)}: [{inner}]"
    if x is None:
        return "None"
    name = type(x).__name__
    w, neurons = getattr(x, "w", None), getattr(x, "neurons", None)
    if isinstance(w, (list, tuple)):
        return f"{name}({len(w)} input{'s' if len(w) != 1 else ''})"  # a neuron, say
    if isinstance(neurons, (list, tuple)):
        return f"{name}({len(neurons)} neuron{'s' if len(neurons) != 1 else ''})"  # a layer
    text = repr(x)
    if _ADDRESS.search(text):  # the default repr: its memory address differs on every run
        return f"a {name} object"
    return f"{name} {text}"[:80]


_ADDRESS = re.compile(r"\bat 0x[0-9a-fA-F]+")


def _nums(xs: Sequence[float]) -> str:
    """Numbers as a readable list: ``[0.5, -1.25]``."""
    return "[" + ", ".join(_num(x) for x in xs) + "]"


def _relu(z: float) -> float:
    return z if z > 0.0 else 0.0


def _weights(rng: random.Random, nin: int) -> list[float]:
    return [rng.uniform(-1.5, 1.5) for _ in range(nin)]


def _inputs(rng: random.Random, nin: int) -> list[float]:
    return [rng.uniform(-2.0, 2.0) for _ in range(nin)]


def _callable(obj: object, who: str, what: str) -> None:
    if not callable(obj):
        raise TypeError(f"{who} needs {what}, got {type(obj).__name__}: {obj!r}")


_NAMES = (
    "The checker reads the weights and biases from these attributes: keep the names of the stub."
)


class _Problem(str):
    """What is wrong with a learner's object (a sentence), with a hint for it."""

    hint: str = _NAMES

    def __new__(cls, text: str, hint: str = _NAMES) -> _Problem:
        self = super().__new__(cls, text)
        self.hint = hint
        return self


# --------------------------------------------------------------------------- Neuron
def _neuron_parts(neuron: object, nin: int) -> tuple[list[Any], Any] | str:
    """``(w, b)`` of a learner's neuron, or a sentence saying what is wrong with them."""
    w, b = getattr(neuron, "w", None), getattr(neuron, "b", None)
    if not isinstance(w, (list, tuple)):
        return (
            f"a Neuron({nin}) needs `self.w`, a list of {nin} Values; got {_describe(w)}"
            if w is not None
            else "a Neuron has no attribute `w`: store the weights in `self.w`, a list of Values"
        )
    if not all(_is_value(wi) for wi in w):
        return _Problem(
            f"Neuron({nin}).w should be a list of {nin} Values, got {_describe(w)}",
            "Make each weight a Value: `Value(rng.uniform(-1, 1))`.",
        )
    if len(w) != nin:
        return _Problem(
            f"Neuron({nin}).w should be a list of {nin} Values, got {_describe(w)}",
            "One weight per input: `for _ in range(nin)`.",
        )
    if not _is_value(b):
        return _Problem(
            f"Neuron({nin}).b should be a Value (the bias), got {_describe(b)}",
            "Make the bias a Value: `self.b = Value(0.0)`.",
        )
    return list(w), b


def _check_construction(
    make: Callable[[random.Random], object],
    parts: Callable[[object], tuple[list[Any], list[Any]] | str],
    rule: RuleBuilder,
    seed: int,
    what: str,
) -> object | None:
    """Build the object twice from the same seed and once from another; check its weights
    (a list of Values in [-1, 1], biases 0) and that it draws them from ``rng``."""
    try:
        obj = make(random.Random(seed))
    except Exception as exc:
        rule.error(f"building {what}", exc, checks=4)
        return None
    got = parts(obj)
    if isinstance(got, str):
        rule.check(False, got, getattr(got, "hint", _NAMES), kind="data")
        rule.blocked(by="the attributes", checks=3)
        return None
    rule.check(True)
    ws, bs = got
    rule.check(
        all(-1.0 <= w.data <= 1.0 for w in ws) and len({w.data for w in ws}) == len(ws),
        f"the weights of {what} should be random numbers in [-1, 1], got "
        f"{_nums([w.data for w in ws[:6]])}",
        "Draw each weight with `rng.uniform(-1, 1)`.",
        kind="data",
    )
    rule.check(
        all(b.data == 0.0 for b in bs),
        f"every bias of {what} should start at 0, got {_nums([b.data for b in bs[:6]])}",
        "Start the bias at 0: `self.b = Value(0.0)`.",
        kind="data",
    )
    try:
        again = parts(make(random.Random(seed)))
        other = parts(make(random.Random(seed + 1)))
    except Exception as exc:
        rule.error(f"building {what} again", exc)
        return obj
    same = not isinstance(again, str) and [w.data for w in again[0]] == [w.data for w in ws]
    differs = not isinstance(other, str) and [w.data for w in other[0]] != [w.data for w in ws]
    rule.check(
        same and differs,
        f"{what} built twice with the same seeded rng should get the same weights, and "
        "with another seed other weights; "
        + ("they differed" if not same else "they did not change with the seed"),
        "Draw the weights from the `rng` argument (`rng.uniform(-1, 1)`), not from the "
        "`random` module, so that a seeded rng gives the same network every time."
        + (" Pass `rng` on to every neuron." if what.startswith(("a Layer", "an MLP")) else ""),
        kind="data",
    )
    return obj


def _neuron_slips(
    w: list[float], b: float, x: list[float], nonlin: bool
) -> list[tuple[float, str]]:
    """What a neuron with one usual slip returns on this case, each with its hint. A slip is
    named only when it explains every case (see check_neuron): on a single case two different
    mistakes can give the same number."""
    terms = [wi * xi for wi, xi in zip(w, x, strict=True)]
    z = sum(terms) + b
    act = _relu if nonlin else (lambda v: v)
    return [
        (act(z - b), "The bias is missing: out = relu(w·x + b)."),
        (z, "With nonlin=True the neuron applies relu to w·x + b: "
         "`return act.relu() if self.nonlin else act`."),
        (_relu(z), "With nonlin=False the neuron returns w·x + b itself, without relu: "
         "`return act.relu() if self.nonlin else act`."),
        (math.tanh(z) if nonlin else z, "This lesson's neurons use relu, not tanh."),
        (act(terms[0] + b), "Only the first weight was used: sum wᵢ·xᵢ over every input."),
        (act(sum(w) * sum(x) + b), "Multiply each weight by its own input, then add: "
         "w₀·x₀ + w₁·x₁ + ..."),
        (act(sum(x) + b), "The weights are missing: multiply each input by its weight."),
        (act(sum(_relu(t) for t in terms) + b), "Apply relu once, to the whole sum w·x + b, "
         "not to each wᵢ·xᵢ: add everything up first, then `act.relu()`."),
    ]  # fmt: skip


def _forward_cases(
    rng: random.Random, nin: int
) -> list[tuple[bool, list[float], float, list[float]]]:
    """(nonlin, w, b, x): a positive and a negative pre-activation for each kind of neuron,
    each far from the kink, with a bias and weights that all matter, and on which the usual
    slips give numbers that differ (so that a slip that explains every case is the one)."""
    cases = []
    for nonlin, sign in ((True, 1.0), (True, -1.0), (False, -1.0), (False, 1.0)):
        while True:
            w, x = _weights(rng, nin), _inputs(rng, nin)
            b = rng.uniform(0.3, 1.2) * rng.choice((-1.0, 1.0))
            z = sum(wi * xi for wi, xi in zip(w, x, strict=True)) + b
            if sign * z < 0.3 or abs(z) > 4.0 or min(abs(wi) for wi in w) < 0.2:
                continue
            terms = [wi * xi for wi, xi in zip(w, x, strict=True)]
            if min(terms) > -0.3:
                continue  # a negative term, so that a relu on each term changes the sum
            # the sums the usual slips compute (see _neuron_slips) all differ from each other
            sums = [z, z - b, terms[0] + b, sum(w) * sum(x) + b, sum(x) + b,
                    sum(_relu(t) for t in terms) + b]  # fmt: skip
            if min(abs(u - v) for i, u in enumerate(sums) for v in sums[i + 1 :]) < 0.1:
                continue
            break
        cases.append((nonlin, w, b, x))
    return cases


def check_neuron(neuron_cls: type, *, seed: int | None = None, save: bool = True) -> CheckReport:
    """Check a ``Neuron`` class: construction, ``__call__``, ``parameters()``, gradients.

    ``Neuron(nin, nonlin=True, rng=random)`` must have ``w`` (``nin`` Values from
    ``rng.uniform(-1, 1)``) and ``b`` (a Value, 0); ``neuron(x)`` must be the Value
    ``relu(w·x + b)`` (``w·x + b`` when ``nonlin=False``), for inputs that are numbers or
    Values; ``parameters()`` must be ``w + [b]``, the objects themselves. The gradients that
    ``out.backward()`` leaves in the weights, the bias and the inputs are compared with
    central differences.
    """
    _callable(neuron_cls, "check_neuron", "your Neuron class")
    seed = _seed(seed)
    rng = random.Random(seed)
    builder = ReportBuilder(
        "a Neuron",
        "your Neuron computes relu(w·x + b), lists its parameters and passes gradients back.",
        seed,
    )
    build_rule = builder.rule("Neuron(nin)")
    call_rule = builder.rule("__call__")
    params_rule = builder.rule("parameters()")
    grad_rule = builder.rule("gradients")
    nin = rng.randint(2, 5)
    neuron = _check_construction(
        lambda r: neuron_cls(nin, rng=r),
        lambda n: (lambda p: p if isinstance(p, str) else (p[0], [p[1]]))(_neuron_parts(n, nin)),
        build_rule,
        rng.randrange(10**6),
        f"a Neuron({nin})",
    )
    if neuron is None:
        call_rule.blocked(by="Neuron(nin)", checks=4)
        params_rule.blocked(by="Neuron(nin)", checks=3)
        grad_rule.blocked(by="Neuron(nin)", checks=2)
        report = builder.build()
        return finish("07.neuron", report, {"Neuron": neuron_cls}, save=save)
    _check_neuron_parameters(neuron, nin, params_rule)
    value_cls = type(neuron.b)  # type: ignore[attr-defined]
    forward_ok: list[tuple | None] = []
    numbers: list[tuple[bool, str, float, float, list[tuple[float, str]]]] = []
    for i, (nonlin, w, b, x) in enumerate(_forward_cases(rng, nin)):
        what = f"Neuron({nin}{'' if nonlin else ', nonlin=False'})"
        try:
            n = neuron_cls(nin, nonlin=nonlin, rng=random.Random(i))
            parts = _neuron_parts(n, nin)
            if isinstance(parts, str):
                raise AttributeError(parts)
            for wi, v in zip(parts[0], w, strict=True):
                wi.data = v
            parts[1].data = b
            as_values = i in (0, 2)  # the inputs as Values (their grads are checked too)
            xs = [value_cls(v) for v in x] if as_values else list(x)
            out = n(xs)
        except Exception as exc:
            call_rule.error(f"calling a {what}", exc)
            forward_ok.append(None)
            continue
        z = sum(wi * xi for wi, xi in zip(w, x, strict=True)) + b
        expected = _relu(z) if nonlin else z
        where = (f"{what} with w = {_nums(w)}, b = {_num(b)} on x = "
                 f"{_nums(x)}{' (as Values)' if as_values else ''}")  # fmt: skip
        if not _is_value(out):
            call_rule.check(
                False,
                f"{where}: expected a Value, got {_describe(out)}",
                "Return the Value itself (not its .data): the training needs the graph "
                "behind it." + (" Did you forget `return`?" if out is None else ""),
                kind="data",
            )
            forward_ok.append(None)
            continue
        ok = _close(out.data, expected)
        numbers.append((ok, where, expected, out.data, _neuron_slips(w, b, x, nonlin)))
        forward_ok.append((n, parts, xs, out, w, b, x, nonlin) if ok and as_values else None)
    # A slip is named only when it explains every case (two at least): on a single case,
    # different mistakes can give the same number (relu turns many wrong sums into 0).
    hint = "out = relu(w₀·x₀ + w₁·x₁ + ... + b), with relu only when nonlin is true."
    if len(numbers) >= 2 and any(not ok for ok, *_ in numbers):
        for k, (_, slip_hint) in enumerate(numbers[0][4]):
            if all(_close(got, slips[k][0]) for _, _, _, got, slips in numbers):
                hint = slip_hint
                break
    for ok, where, expected, got, _slips in numbers:
        call_rule.check(
            ok,
            f"{where}: expected out.data = {_num(expected)}, got {_num(got)}",
            "" if ok else hint,
            expected=expected,
            got=got,
            kind="data",
        )
    _check_neuron_gradients([c for c in forward_ok if c is not None], grad_rule)
    report = builder.build()
    return finish("07.neuron", report, {"Neuron": neuron_cls}, save=save)


def _check_neuron_parameters(neuron: Any, nin: int, rule: RuleBuilder) -> None:
    w, b = neuron.w, neuron.b
    try:
        params = neuron.parameters()
    except Exception as exc:
        rule.error(f"calling parameters() of a Neuron({nin})", exc, checks=3)
        return
    _check_param_list(params, list(w) + [b], rule, f"a Neuron({nin})", _NEURON_PARAM_HINTS)


_NEURON_PARAM_HINTS = {
    "missing": "Every weight and the bias: `return self.w + [self.b]`.",
    "order": "The weights first, in order, then the bias: `return self.w + [self.b]`.",
}


def _check_param_list(
    params: object, expected: list[Any], rule: RuleBuilder, what: str, hints: dict[str, str]
) -> None:
    """The three checks of a ``parameters()`` list: a flat list of the right length, made of
    the very Value objects of the model (no copies, no duplicates), in the expected order."""
    n = len(expected)
    if not isinstance(params, (list, tuple)):
        rule.check(False, f"parameters() of {what} should return a list of {n} Values, got "
                   f"{_describe(params)}", "Return a list (not a generator): training goes "
                   "through it once per step." + (" Did you forget `return`?"
                   if params is None else ""), kind="data")  # fmt: skip
        rule.blocked(by="a list", checks=2)
        return
    params = list(params)
    nested = any(isinstance(p, (list, tuple)) for p in params)
    flat = all(_is_value(p) for p in params)
    ids = [id(p) for p in params]
    dup = len(set(ids)) != len(ids)
    if nested:
        hint = (
            "Flatten the lists: `[p for n in self.neurons for p in n.parameters()]`, not a "
            "list of lists."
        )
    elif dup and len(params) > n:
        hint = "List each Value once: some parameters appear twice."
    else:
        hint = hints["missing"]
    rule.check(
        flat and len(params) == n,
        f"parameters() of {what} should be a flat list of {n} Values, got {_describe(params)}",
        hint,
        kind="data",
    )
    wanted = {id(p) for p in expected}
    copies = flat and all(id(p) not in wanted for p in params) and len(params) == n
    missing = [i for i, p in enumerate(expected) if id(p) not in set(ids)]
    rule.check(
        not missing and not dup and set(ids) <= wanted,
        f"parameters() of {what} should hold each of its {n} Values once, the objects "
        f"themselves; "
        + (
            "got copies (new Values with the same numbers)"
            if copies
            else f"{len(missing)} are missing" + (" and some appear twice" if dup else "")
            if missing
            else "some appear twice"
            if dup
            else "some are Values that are not the model's"
        ),
        "Return the model's own Values, not copies: training changes `p.data` through this list."
        if copies
        else "List each Value once."
        if dup and not missing
        else hints["missing"],
        kind="data",
    )
    rule.check(
        ids == [id(p) for p in expected],
        f"parameters() of {what} lists its Values in another order than expected",
        hints["order"],
        kind="data",
    )


def _check_neuron_gradients(cases: list[tuple], rule: RuleBuilder) -> None:
    """Backward from the neuron's output: grads of w, b and x against central differences,
    for the two cases whose inputs are Values (always 2 checks: those whose forward pass went
    wrong could not be judged)."""
    if len(cases) < 2:
        rule.blocked(by="__call__", checks=2 - len(cases))
    for _n, (ws, b), xs, out, w, bias, x, nonlin in cases[:2]:
        nin = len(w)

        def f(*v: float, nin: int = nin, nonlin: bool = nonlin) -> float:
            z = sum(v[i] * v[nin + 1 + i] for i in range(nin)) + v[nin]
            return _relu(z) if nonlin else z

        expected = numerical_grad(f, w + [bias] + x)
        try:
            out.backward()
        except Exception as exc:
            rule.error("running out.backward() on the neuron's output", exc)
            continue
        names = [f"w{i}" for i in range(nin)] + ["b"] + [f"x{i}" for i in range(nin)]
        got = [v.grad for v in ws + [b] + xs]
        bad = [(nm, g, e) for nm, g, e in zip(names, got, expected, strict=True)
               if not _close(g, e, _GRAD_RTOL, _GRAD_ATOL)]  # fmt: skip
        hint = ""
        if bad and all(g == 0.0 for g in got):
            hint = (
                "No gradient reached the weights: compute with the Values themselves "
                "(`wi * xi`, `act + ...`), not with their `.data`, which cuts the graph."
            )
        elif bad:
            hint = "Build the output from the Values with + and * so backward() can follow it."
        first = bad[0] if bad else ("", 0.0, 0.0)
        rule.check(
            not bad,
            f"after out.backward() for w = {_nums(w)}, b = {_num(bias)}, x = "
            f"{_nums(x)}: expected {first[0]}.grad = {_num(first[2])} (central "
            f"difference), got {_num(first[1])}",
            hint,
            quantity=f"{first[0]}.grad",
            expected=first[2],
            got=first[1],
        )


# --------------------------------------------------------------------------- Layer
def _layer_parts(layer: object, nin: int, nout: int) -> tuple[list[Any], list[Any]] | str:
    """Every neuron's ``(w, b)`` of a learner's layer, or what is wrong with them."""
    neurons = getattr(layer, "neurons", None)
    if not isinstance(neurons, (list, tuple)) or len(neurons) != nout:
        problem = (
            f"a Layer({nin}, {nout}) needs `self.neurons`, a list of {nout} Neurons; got "
            f"{_describe(neurons)}"
        )
        if not isinstance(neurons, (list, tuple)):
            return problem  # no list under that name: keep the names of the stub
        return _Problem(problem, _LAYER_SIZES)
    parts = [_neuron_parts(n, nin) for n in neurons]
    for p in parts:
        if isinstance(p, str):
            hint = getattr(p, "hint", _NAMES)
            if "One weight per input" in hint:
                hint = _LAYER_SIZES
            return _Problem(f"in a Layer({nin}, {nout}): {p}", hint)
    return [p[0] for p in parts], [p[1] for p in parts]  # type: ignore[index]


_LAYER_SIZES = (
    "A Layer(nin, nout) holds nout neurons of nin inputs each: "
    "`[Neuron(nin, nonlin=nonlin, rng=rng) for _ in range(nout)]`."
)


def _flat(parts: tuple[list[Any], list[Any]]) -> tuple[list[Any], list[Any]]:
    ws, bs = parts
    return [w for row in ws for w in row], bs


def _set_layer(parts: tuple[list[Any], list[Any]], w: list[list[float]], b: list[float]) -> None:
    for row, wrow in zip(parts[0], w, strict=True):
        for wi, v in zip(row, wrow, strict=True):
            wi.data = v
    for bi, v in zip(parts[1], b, strict=True):
        bi.data = v


def _layer_forward(w: list[list[float]], b: list[float], x: list[float], relu: bool) -> list[float]:
    zs = [
        sum(wi * xi for wi, xi in zip(row, x, strict=True)) + bi
        for row, bi in zip(w, b, strict=True)
    ]
    return [_relu(z) for z in zs] if relu else zs


def _outputs(out: object, n: int) -> list[float] | str:
    """The numbers a layer or network returned, or what is wrong with what it returned."""
    if n == 1 and _is_value(out):
        return [out.data]  # type: ignore[attr-defined]
    if isinstance(out, (list, tuple)) and len(out) == n and all(_is_value(v) for v in out):
        return [v.data for v in out]
    return f"expected a list of {n} Values, got {_describe(out)}"


def check_layer(layer_cls: type, *, seed: int | None = None, save: bool = True) -> CheckReport:
    """Check a ``Layer`` class: construction, ``__call__``, ``parameters()``, ``zero_grad()``.

    ``Layer(nin, nout, nonlin=True, rng=random)`` must have ``neurons`` (``nout`` Neurons of
    ``nin`` inputs, drawn from ``rng``); ``layer(x)`` returns the list of the neurons'
    outputs (a layer of one neuron may return that Value itself); ``parameters()`` lists
    each neuron's parameters, neuron by neuron; ``zero_grad()`` sets every parameter's
    ``grad`` to 0 and leaves its ``data`` alone.
    """
    _callable(layer_cls, "check_layer", "your Layer class")
    seed = _seed(seed)
    rng = random.Random(seed)
    builder = ReportBuilder(
        "a Layer",
        "your Layer runs its neurons side by side, lists their parameters and zeroes them.",
        seed,
    )
    build_rule = builder.rule("Layer(nin, nout)")
    call_rule = builder.rule("__call__")
    params_rule = builder.rule("parameters()")
    zero_rule = builder.rule("zero_grad()")
    nin, nout = rng.sample(range(2, 5), 2)  # different, so a swapped pair shows
    layer = _check_construction(
        lambda r: layer_cls(nin, nout, rng=r),
        lambda lay: (lambda p: p if isinstance(p, str) else _flat(p))(_layer_parts(lay, nin, nout)),
        build_rule,
        rng.randrange(10**6),
        f"a Layer({nin}, {nout})",
    )
    if layer is None:
        call_rule.blocked(by="Layer(nin, nout)", checks=3)
        params_rule.blocked(by="Layer(nin, nout)", checks=3)
        zero_rule.blocked(by="Layer(nin, nout)", checks=2)
        report = builder.build()
        return finish("07.layer", report, {"Layer": layer_cls}, save=save)
    parts = _layer_parts(layer, nin, nout)
    assert not isinstance(parts, str)
    try:
        params = layer.parameters()  # type: ignore[attr-defined]
    except Exception as exc:
        params_rule.error(f"calling parameters() of a Layer({nin}, {nout})", exc, checks=3)
    else:
        expected = [p for ws, b in zip(*parts, strict=True) for p in list(ws) + [b]]
        _check_param_list(params, expected, params_rule, f"a Layer({nin}, {nout})", {
            "missing": "Every neuron's weights and bias: "
                       "`[p for n in self.neurons for p in n.parameters()]`.",
            "order": "Neuron by neuron, each neuron's own parameters() in turn: "
                     "`[p for n in self.neurons for p in n.parameters()]`.",
        })  # fmt: skip
    _check_zero_grad(layer, _flat(parts), zero_rule, f"a Layer({nin}, {nout})", "layer")
    value_cls = type(parts[1][0])
    for i, relu in enumerate((True, True, False)):
        size = nout if i < 2 else 1  # one case of a single-neuron linear layer
        what = f"Layer({nin}, {size}{'' if relu else ', nonlin=False'})"
        while True:
            w = [_weights(rng, nin) for _ in range(size)]
            b = [rng.uniform(-1.0, 1.0) for _ in range(size)]
            x = _inputs(rng, nin)
            zs = _layer_forward(w, b, x, relu=False)
            if min(abs(z) for z in zs) < _KINK:
                continue
            if size == 1 and zs[0] < -0.2:  # the linear layer: relu would change it
                break
            if size > 1 and min(zs) < -0.2 and max(zs) > 0.2:  # relu matters; neurons differ
                break
        try:
            lay = layer_cls(nin, size, nonlin=relu, rng=random.Random(i))
            p = _layer_parts(lay, nin, size)
            if isinstance(p, str):
                raise AttributeError(p)
            _set_layer(p, w, b)
            out = lay([value_cls(v) for v in x] if i == 1 else x)
        except Exception as exc:
            call_rule.error(f"calling a {what}", exc)
            continue
        expected = _layer_forward(w, b, x, relu)
        where = f"a {what} on x = {_nums(x)}"
        got = _outputs(out, size)
        if isinstance(got, str):
            call_rule.check(False, f"{where}: {got}", "Return a list with one output per "
                            "neuron: `[n(x) for n in self.neurons]`." + (" Did you forget "
                            "`return`?" if out is None else ""), kind="data")  # fmt: skip
            continue
        ok = all(_close(g, e) for g, e in zip(got, expected, strict=True))
        hint = ""
        if not ok:
            first = _layer_forward(w[:1] * size, b[:1] * size, x, relu)
            if size > 1 and all(_close(g, e) for g, e in zip(got, first, strict=True)):
                hint = "Every output is the first neuron's: call each neuron, `n(x)`."
            elif all(
                _close(g, e) for g, e in zip(got, _layer_forward(w, b, x, not relu), strict=True)
            ):
                hint = "Pass `nonlin` on to the neurons: `Neuron(nin, nonlin=nonlin, rng=rng)`."
            else:
                hint = "Output i is neuron i's output: `[n(x) for n in self.neurons]`."
        call_rule.check(
            ok,
            f"{where}: expected {_nums(expected)}, got {_nums(got)}",
            hint,
            kind="data",
        )
    report = builder.build()
    return finish("07.layer", report, {"Layer": layer_cls}, save=save)


def _check_zero_grad(
    model: Any, parts: tuple[list[Any], list[Any]], rule: RuleBuilder, what: str, kind: str
) -> None:
    """Fill every parameter's grad with a number, call zero_grad(), expect all grads 0 and
    every data unchanged."""
    ws, bs = parts
    everything = ws + bs
    before = [(p.data, p.grad) for p in everything]
    for i, p in enumerate(everything):
        p.grad = 0.5 + i  # as if a backward() had left them there
    try:
        model.zero_grad()
    except Exception as exc:
        rule.error(f"calling zero_grad() of {what}", exc, checks=2)
        return
    left_w = sum(1 for p in ws if p.grad != 0.0)
    left_b = sum(1 for p in bs if p.grad != 0.0)
    if kind == "layer":
        whole = "Go through every parameter: `for p in self.parameters(): p.grad = 0.0`."
    else:
        whole = (
            "Reach every parameter of every layer: `for p in self.parameters(): p.grad = 0.0` "
            "(or call each layer's zero_grad())."
        )
    zeroed_data = all(p.data == 0.0 for p in everything) and any(d != 0.0 for d, _ in before)
    untouched = all(p.grad == 0.5 + i for i, p in enumerate(everything))
    if (left_w or left_b) and zeroed_data:
        hint = "zero_grad() resets `p.grad`, not `p.data` (that is what the network learned)."
    elif untouched:
        hint = (
            f"Not one grad changed. {whole} Set the grad of each parameter in place; "
            "rebinding the loop variable (`p = Value(0.0)`, `p = 0`) changes nothing."
        )
    elif left_w and left_b:
        hint = whole
    elif left_b:
        hint = "The biases kept their grads: zero_grad() must reset every parameter. " + whole
    else:
        hint = "Some weights kept their grads. " + whole
    rule.check(
        not left_w and not left_b,
        f"after zero_grad() of {what}, {left_w} of {len(ws)} weights and {left_b} of "
        f"{len(bs)} biases still had a grad other than 0",
        hint,
        kind="data",
    )
    changed = sum(1 for p, (d, _) in zip(everything, before, strict=True) if p.data != d)
    rule.check(
        changed == 0,
        f"zero_grad() of {what} changed the data of {changed} of {len(everything)} parameters",
        "zero_grad() resets `p.grad` only; `p.data` is what the network has learned.",
        kind="data",
    )


# --------------------------------------------------------------------------- MLP
def _mlp_parts(model: object, sizes: list[int]) -> list[tuple[list[Any], list[Any]]] | str:
    layers = getattr(model, "layers", None)
    n = len(sizes) - 1
    if not isinstance(layers, (list, tuple)) or len(layers) != n:
        return (
            f"an MLP({sizes[0]}, {sizes[1:]}) needs `self.layers`, a list of {n} Layers; got "
            f"{_describe(layers)}"
        )
    parts = []
    for i, layer in enumerate(layers):
        p = _layer_parts(layer, sizes[i], sizes[i + 1])
        if isinstance(p, str):
            hint = getattr(p, "hint", _NAMES)
            if hint == _LAYER_SIZES:
                hint = (
                    "Layer i reads the outputs of layer i - 1 (the first one reads the nin "
                    "inputs): `Layer(sizes[i], sizes[i + 1], ...)` with `sizes = [nin] + nouts`."
                )
            return _Problem(f"layer {i} of an MLP({sizes[0]}, {sizes[1:]}): {p}", hint)
        parts.append(p)
    return parts


def _mlp_flat(parts: list[tuple[list[Any], list[Any]]]) -> tuple[list[Any], list[Any]]:
    ws = [w for p in parts for w in _flat(p)[0]]
    bs = [b for p in parts for b in p[1]]
    return ws, bs


def _mlp_forward(
    params: list[tuple[list[list[float]], list[float]]],
    x: list[float],
    relus: Sequence[bool],
) -> tuple[list[float], list[float]]:
    """The outputs, and every pre-activation (to keep cases away from the ReLU kink)."""
    h, pre = list(x), []
    for (w, b), relu in zip(params, relus, strict=True):
        zs = _layer_forward(w, b, h, relu=False)
        pre.extend(zs)
        h = [_relu(z) for z in zs] if relu else zs
    return h, pre


def _random_mlp(
    rng: random.Random, sizes: list[int]
) -> list[tuple[list[list[float]], list[float]]]:
    return [
        ([_weights(rng, sizes[i]) for _ in range(sizes[i + 1])],
         [rng.uniform(-0.8, 0.8) for _ in range(sizes[i + 1])])
        for i in range(len(sizes) - 1)
    ]  # fmt: skip


def _set_mlp(
    parts: list[tuple[list[Any], list[Any]]], params: list[tuple[list[list[float]], list[float]]]
) -> None:
    for p, (w, b) in zip(parts, params, strict=True):
        _set_layer(p, w, b)


def check_mlp(mlp_cls: type, *, seed: int | None = None, save: bool = True) -> CheckReport:
    """Check an ``MLP`` class: construction, ``__call__``, ``parameters()``, ``zero_grad()``
    and the gradients of every parameter.

    ``MLP(nin, nouts, rng=random)`` must have ``layers``: layer ``i`` has ``nouts[i]``
    neurons reading the outputs of layer ``i - 1`` (the first reads the ``nin`` inputs),
    every layer with ReLU except the last. ``model(x)`` returns the last layer's outputs, or
    its single Value when the last layer has one neuron. ``parameters()`` goes layer by
    layer; ``zero_grad()`` resets every ``grad``. After ``out.backward()`` every parameter's
    grad is compared with central differences.
    """
    _callable(mlp_cls, "check_mlp", "your MLP class")
    seed = _seed(seed)
    rng = random.Random(seed)
    builder = ReportBuilder(
        "an MLP",
        "your MLP chains its layers, keeps the last one linear, and every gradient arrives.",
        seed,
    )
    build_rule = builder.rule("MLP(nin, nouts)")
    call_rule = builder.rule("__call__")
    params_rule = builder.rule("parameters()")
    zero_rule = builder.rule("zero_grad()")
    grad_rule = builder.rule("gradients")
    nin = rng.randint(2, 3)
    sizes = [nin, *rng.sample([k for k in range(2, 6) if k != nin], 2), 1]  # all different
    what = f"an MLP({nin}, {sizes[1:]})"
    model = _check_construction(
        lambda r: mlp_cls(nin, sizes[1:], rng=r),
        lambda m: (lambda p: p if isinstance(p, str) else _mlp_flat(p))(_mlp_parts(m, sizes)),
        build_rule,
        rng.randrange(10**6),
        what,
    )
    shapes = [sizes, [nin, 5, 2]]  # one network with a single output, one with two
    if model is None:
        call_rule.blocked(by="MLP(nin, nouts)", checks=len(shapes))
        params_rule.blocked(by="MLP(nin, nouts)", checks=3)
        zero_rule.blocked(by="MLP(nin, nouts)", checks=2)
        grad_rule.blocked(by="MLP(nin, nouts)", checks=1)
        report = builder.build()
        return finish("07.mlp", report, {"MLP": mlp_cls}, save=save)
    parts = _mlp_parts(model, sizes)
    assert not isinstance(parts, str)
    try:
        params = model.parameters()  # type: ignore[attr-defined]
    except Exception as exc:
        params_rule.error(f"calling parameters() of {what}", exc, checks=3)
    else:
        expected = [
            p for ws, bs in parts for row, b in zip(ws, bs, strict=True) for p in list(row) + [b]
        ]
        _check_param_list(params, expected, params_rule, what, {
            "missing": "Every layer's parameters: "
                       "`[p for layer in self.layers for p in layer.parameters()]`.",
            "order": "Layer by layer, each layer's own parameters() in turn.",
        })  # fmt: skip
    _check_zero_grad(model, _mlp_flat(parts), zero_rule, what, "mlp")
    value_cls = type(parts[0][1][0])
    graded = None
    for i, sz in enumerate(shapes):
        relus = [True] * (len(sz) - 2) + [False]
        shown = f"MLP({sz[0]}, {sz[1:]})"
        for _ in range(1000):
            p = _random_mlp(rng, sz)
            x = _inputs(rng, sz[0])
            out_e, pre = _mlp_forward(p, x, relus)
            variants = [
                (_mlp_forward(p, x, [True] * (len(sz) - 1))[0], "relu on the last layer"),
                (_mlp_forward(p, x, [False] * (len(sz) - 1))[0], "no relu"),
            ]
            if (
                min(abs(z) for z in pre) > _KINK
                and min(out_e) < -0.2
                and all(
                    max(abs(a - e) for a, e in zip(v, out_e, strict=True)) > 0.1
                    for v, _ in variants
                )
            ):
                break
        try:
            m = mlp_cls(sz[0], sz[1:], rng=random.Random(i))
            mp = _mlp_parts(m, sz)
            if isinstance(mp, str):
                raise AttributeError(mp)
            _set_mlp(mp, p)
            xs = [value_cls(v) for v in x] if i == 0 else x
            out = m(xs)
        except Exception as exc:
            chained = isinstance(exc, ValueError) and "zip()" in str(exc)
            call_rule.error(
                f"calling an {shown}",
                exc,
                hint=(
                    "Feed each layer's outputs into the next (`x = layer(x)`): layer i's "
                    "neurons take as many inputs as layer i - 1 has neurons."
                    if chained
                    else ""
                ),
            )
            continue
        where = f"an {shown} on x = {_nums(x)}"
        if sz[-1] == 1 and isinstance(out, (list, tuple)) and len(out) == 1:
            call_rule.check(False, f"{where}: expected a Value (the last layer has one neuron), "
                            f"got {_describe(out)}", "When the last layer has a single neuron, "
                            "return that Value itself: `return out[0] if len(out) == 1 else "
                            "out`, so that `model(x)` is a score.", kind="data")  # fmt: skip
            continue
        got = _outputs(out, sz[-1])
        if isinstance(got, str):
            call_rule.check(False, f"{where}: {got}", "Feed each layer's outputs into the next "
                            "layer and return the last layer's outputs." + (" Did you forget "
                            "`return`?" if out is None else ""), kind="data")  # fmt: skip
            continue
        ok = all(_close(g, e) for g, e in zip(got, out_e, strict=True))
        hint = ""
        if not ok:
            hint = (
                "Feed each layer's outputs into the next: `for layer in self.layers: x = layer(x)`."
            )
            for v, name in variants:
                if all(_close(g, e) for g, e in zip(got, v, strict=True)):
                    hint = (
                        "The last layer must be linear (`nonlin=False`), so the output can be "
                        "negative: a score, not a relu."
                        if name == "relu on the last layer"
                        else "The hidden layers need their relu (`nonlin=True` for every layer "
                        "but the last): without it the whole network is one linear function."
                    )
        call_rule.check(
            ok,
            f"{where}: expected {_nums(out_e)}, got {_nums(got)}",
            hint,
            kind="data",
        )
        if ok and i == 0:
            graded = (mp, p, x, xs, out)
    if graded is None:
        grad_rule.blocked(by="__call__", checks=1)
    else:
        _check_mlp_gradients(graded, sizes, grad_rule)
    report = builder.build()
    return finish("07.mlp", report, {"MLP": mlp_cls}, save=save)


def _check_mlp_gradients(graded: tuple, sizes: list[int], rule: RuleBuilder) -> None:
    mp, p, x, xs, out = graded
    relus = [True] * (len(sizes) - 2) + [False]
    flat = [v for w, b in p for row, bi in zip(w, b, strict=True) for v in row + [bi]]
    shape = [(len(w), len(w[0])) for w, _ in p]

    def f(*v: float) -> float:
        params, k = [], 0
        for rows, cols in shape:
            w, b = [], []
            for _ in range(rows):
                w.append(list(v[k : k + cols]))
                b.append(v[k + cols])
                k += cols + 1
            params.append((w, b))
        return _mlp_forward(params, x, relus)[0][0]

    expected = numerical_grad(f, flat)
    values = [v for ws, bs in mp for row, b in zip(ws, bs, strict=True) for v in list(row) + [b]]
    try:
        out.backward()
    except Exception as exc:
        rule.error("running backward() on the network's output", exc)
        return
    got = [v.grad for v in values]
    bad = [i for i, (g, e) in enumerate(zip(got, expected, strict=True))
           if not _close(g, e, _GRAD_RTOL, _GRAD_ATOL)]  # fmt: skip
    i = bad[0] if bad else 0
    rule.check(
        not bad,
        f"after backward() from the output of an MLP({sizes[0]}, {sizes[1:]}): {len(bad)} of "
        f"{len(values)} parameter grads differ from central differences, e.g. "
        f"expected {_num(expected[i])}, got {_num(got[i])}",
        "No gradient reached the parameters: compute with the Values themselves, never "
        "with `.data`."
        if bad and all(g == 0.0 for g in got)
        else "Build the output from the Values with the operations of your Value class, so "
        "backward() can follow it to every parameter.",
        expected=expected[i],
        got=got[i],
    )


# --------------------------------------------------------------------------- training
class _TinyModel:
    """The checker's own model: ``score = w0·x0 + w1·x1 + b`` (a linear regression), with
    ``parameters()`` and a ``zero_grad()`` that counts its calls."""

    def __init__(self, value_cls: type, params: list[float]) -> None:
        self.params = [value_cls(v) for v in params]
        self.zero_grad_calls = 0

    def __call__(self, x: Sequence[float]) -> Any:
        w0, w1, b = self.params
        return w0 * float(x[0]) + w1 * float(x[1]) + b

    def parameters(self) -> list[Any]:
        return list(self.params)

    def zero_grad(self) -> None:
        self.zero_grad_calls += 1
        for p in self.params:
            p.grad = 0.0


def _squared_error(model: _TinyModel, X: Any, y: Any) -> Any:
    """The mean squared error of the model on the points ``X`` with targets ``y``."""
    total = 0.0
    for xi, yi in zip(X, y, strict=True):
        d = model(xi) - float(yi)
        total = d * d + total
    return total * (1.0 / len(y))


def _float_loss(params: Sequence[float], X: Any, y: Any) -> float:
    w0, w1, b = params
    return sum((w0 * a + w1 * c + b - t) ** 2 for (a, c), t in zip(X, y, strict=True)) / len(y)


def check_training(
    train_step: Callable[..., float],
    *,
    seed: int | None = None,
    save: bool = True,
    value_cls: type = _PackageValue,
) -> CheckReport:
    """Check ``train_step(model, loss_fn, X, y, learning_rate) -> float``.

    One step must compute ``loss = loss_fn(model, X, y)`` (forward), reset the gradients
    (``model.zero_grad()``), run ``loss.backward()``, move every parameter by
    ``-learning_rate * p.grad`` and return ``loss.data``. The model is the checker's own
    tiny linear regression (built on ``value_cls``, the package's ``Value`` by default); its
    parameters start with stale gradients, so a step that does not zero them first moves
    them the wrong way. Then 30 steps must bring the loss down.
    """
    _callable(train_step, "check_training", "your function train_step(model, loss_fn, X, y, "
              "learning_rate)")  # fmt: skip
    seed = _seed(seed)
    rng = random.Random(seed)
    builder = ReportBuilder(
        "the training step",
        "forward, zero_grad, backward, update: your step trains a model.",
        seed,
    )
    run_rule = builder.rule("runs")
    ret_rule = builder.rule("returns the loss")
    fresh_rule = builder.rule("fresh gradients")
    update_rule = builder.rule("update")
    down_rule = builder.rule("the loss goes down")
    n = 6
    true_w = [rng.uniform(-2, 2), rng.uniform(-2, 2), rng.uniform(-1, 1)]
    X = np.array([[rng.uniform(-1, 1), rng.uniform(-1, 1)] for _ in range(n)])
    y = np.array([true_w[0] * a + true_w[1] * c + true_w[2] for a, c in X])
    start = [rng.uniform(-1, 1) for _ in range(3)]
    lr = round(rng.uniform(0.05, 0.2), 3)
    model = _TinyModel(value_cls, start)
    stale = [rng.choice((-1.0, 1.0)) * rng.uniform(2.0, 5.0) for _ in range(3)]
    for p, s in zip(model.params, stale, strict=True):
        p.grad = s  # left over from an earlier step (as after any backward())
    grad = numerical_grad(lambda *v: _float_loss(v, X, y), start)
    loss_before = _float_loss(start, X, y)
    loss_calls: list[int] = []  # the calls of loss_fn by the learner's step

    def loss_fn(model: _TinyModel, X: Any, y: Any) -> Any:
        loss_calls.append(1)
        return _squared_error(model, X, y)

    try:
        returned = train_step(model, loss_fn, X, y, lr)
    except Exception as exc:
        run_rule.error(
            "running train_step(model, loss_fn, X, y, learning_rate)",
            exc,
            checks=2,
            hint=_USE_LOSS_FN if isinstance(exc, NameError) and not loss_calls else "",
        )
        for r in (ret_rule, fresh_rule, update_rule, down_rule):
            r.blocked(by="train_step")
        report = builder.build()
        return finish("07.training", report, {"train_step": train_step}, save=save)
    run_rule.check(True)
    if not run_rule.check(
        bool(loss_calls),
        "train_step(model, loss_fn, X, y, learning_rate) never called the loss_fn it was "
        "given (the check passes its own: the mean squared error of a tiny linear model)",
        _USE_LOSS_FN,
        kind="data",
    ):
        for r in (ret_rule, fresh_rule, update_rule, down_rule):
            r.blocked(by="train_step")
        report = builder.build()
        return finish("07.training", report, {"train_step": train_step}, save=save)
    if _is_number(returned):
        ret_rule.check(
            _close(float(returned), loss_before, 1e-9, 1e-12),
            f"train_step should return the loss before its update, {_num(loss_before)}; got "
            f"{_num(returned)}",
            "Return `loss.data` of the loss you computed at the start of the step.",
            expected=loss_before,
            got=returned,
            kind="data",
        )
    else:
        ret_rule.check(
            False,
            f"train_step should return the loss as a number ({_num(loss_before)}), got "
            f"{_describe(returned)}",
            "Return the number, `loss.data`, not the Value."
            if _is_value(returned)
            else "End with `return loss.data`.",
            kind="data",
        )
    moved = [p.data - b for p, b in zip(model.params, start, strict=True)]
    want = [-lr * g for g in grad]
    zeroed_after = all(p.grad == 0.0 for p in model.params)
    calls = model.zero_grad_calls
    stale_used = all(
        _close(m, -lr * (g + s), 1e-4, 1e-9) for m, g, s in zip(moved, grad, stale, strict=True)
    )
    still = all(m == 0.0 for m in moved)
    where = (
        f"the parameters started the step with grads {_nums(stale)} left over from "
        f"an earlier step; "
    )
    if stale_used:
        fresh_rule.check(
            False,
            where + f"your update used them: the parameters moved by {_nums(moved)}"
            f" instead of {_nums(want)}",
            "You zero the gradients at the end of the step, so the first step uses whatever "
            "was there before: call `model.zero_grad()` before `loss.backward()`."
            if zeroed_after and calls
            else "Call `model.zero_grad()` before `loss.backward()`: backward() adds to the "
            "grads, so without it every step uses the sum of all earlier gradients.",
            kind="data",
        )
        update_rule.blocked(by="fresh gradients")
    elif still and zeroed_after and calls:
        fresh_rule.check(
            False,
            where + "after your step the parameters had not moved and their grads were 0",
            "Zero the gradients *before* `loss.backward()`, not between backward() and the "
            "update: there it throws away the gradient the update needs.",
            kind="data",
        )
        update_rule.blocked(by="fresh gradients")
    else:
        fresh_rule.check(True)
        update_rule.check(
            all(_close(m, w, 1e-4, 1e-9) for m, w in zip(moved, want, strict=True)),
            f"with learning_rate = {_num(lr)} and gradients {_nums(grad)}, the "
            f"parameters should move by {_nums(want)}; they moved by "
            f"{_nums(moved)}",
            _update_hint(moved, grad, lr),
            kind="data",
        )
    # 30 steps from the start: the loss must go down. Judged only once one step is right
    # (a step that is wrong already has its hint; the 30 steps would only blur it).
    model = _TinyModel(value_cls, start)
    if not (fresh_rule.ok and update_rule.ok):
        down_rule.blocked(by="fresh gradients" if not fresh_rule.ok else "update")
        report = builder.build()
        return finish("07.training", report, {"train_step": train_step}, save=save)
    try:
        for _ in range(30):
            train_step(model, loss_fn, X, y, lr)
    except Exception as exc:
        down_rule.error("running 30 steps of train_step", exc)
    else:
        final = _float_loss([p.data for p in model.params], X, y)
        down_rule.check(
            final < 0.5 * _float_loss(start, X, y),
            f"after 30 steps with learning_rate = {_num(lr)} the loss should have fallen "
            f"well below {_num(_float_loss(start, X, y))}; it is {_num(final)}",
            "Each step must move the parameters against their gradients (downhill).",
            kind="data",
        )
    report = builder.build()
    return finish("07.training", report, {"train_step": train_step}, save=save)


_USE_LOSS_FN = (
    "Use the loss_fn you are given: `loss = loss_fn(model, X, y)`. The caller chooses the loss "
    "(the lesson's training loop passes hinge_loss; this check passes its own), so a step "
    "that calls hinge_loss by name trains on the wrong loss."
)


def _update_hint(moved: list[float], grad: list[float], lr: float) -> str:
    def like(factor: list[float]) -> bool:
        return all(_close(m, f, 1e-4, 1e-9) for m, f in zip(moved, factor, strict=True))

    if like([lr * g for g in grad]):
        return "The parameters moved uphill: subtract, `p.data -= learning_rate * p.grad`."
    if like([-lr] * len(moved)) or like([lr] * len(moved)):
        return "Every parameter moved by the learning rate alone: multiply it by its gradient."
    if like([-g for g in grad]):
        return "The step forgot the learning rate: `p.data -= learning_rate * p.grad`."
    if like([-2 * lr * g for g in grad]):
        return "The step moved twice as far: is `loss.backward()` called twice?"
    if all(m == 0.0 for m in moved):
        return (
            "The parameters did not move: change `p.data` of each parameter in place "
            "(`p.data -= ...`); rebinding the loop variable (`p = p - ...`) changes nothing."
        )
    return "Move every parameter against its gradient: `p.data -= learning_rate * p.grad`."


# --------------------------------------------------------------------------- the quiz
QUIZ = [
    Question(
        "07.zero_grad",
        "The lesson called `batch_loss.backward()` twice without `zero_grad()` in between, and "
        "`w.grad` doubled. What would a third call, still without `zero_grad()`, leave in "
        "`w.grad`?",
        [
            Choice(
                "The first value again: backward() resets the grads it reaches",
                "backward() resets only the grads of the intermediate values, the scratch "
                "space of one pass. The parameters are leaves: nothing resets them, and every "
                "rule adds into their grad with `+=`. Had backward() reset them, the second "
                "call would not have doubled w.grad.",
            ),
            Choice(
                "3 × the first: each call adds the same gradient once more",
                "Each backward() seeds the loss again, resets the intermediate grads and runs "
                "every rule once more, so the same gradient arrives at w and is added to what "
                "w.grad holds: 0.156088 after one call, 0.312175 after two, three times the "
                "first after three. That is why a training step calls zero_grad() first.",
            ),
            Choice(
                "4 × the first: each call doubles what `w.grad` holds",
                "The rules add the new gradient (w.grad += local gradient × out.grad), never "
                "w.grad to itself. The second call doubled it only because what it added was "
                "the same amount as what was there; the third adds that amount once more.",
            ),
            Choice(
                "Still 2 × the first: a graph can go backward only once",
                "That is PyTorch's habit (it frees a graph's saved values after backward(), "
                "and a second call raises an error unless retain_graph=True). Your Value "
                "keeps every node and its rule: the lesson's second call worked, and a third "
                "works the same way and adds the gradient a third time.",
            ),
        ],
        answer=1,
    ),
    Question(
        "07.held_out",
        "Which pair of accuracies, on the training points and on the held-out points, would "
        "show that a network memorised its training points instead of learning the moons?",
        [
            Choice(
                "Perfect on both sets of points",
                "That is this lesson's network: 100.0 % of its 160 training points and 300 of "
                "300 held-out points. Doing as well on points it never trained on as on the "
                "ones it learned from is the sign that it learned the shape of the moons.",
            ),
            Choice(
                "About equal on both, and both mediocre",
                "A network that does as well on new points as on its own training points has "
                "memorised nothing; if both scores are low it has not fitted the moons at all "
                "(too small, or trained too little: underfitting, the opposite problem).",
            ),
            Choice(
                "Perfect on the training points, far worse on held-out ones",
                "Memorising shows as a gap: the network fits the particular training points, "
                "noise and all, but not the shape they come from, so new points from the same "
                "two moons fool it. This is overfitting, and only held-out points reveal it.",
            ),
            Choice(
                "Perfect on the training points, whatever the held-out score",
                "A perfect training score alone cannot tell: a network that learned the shape "
                "and one that memorised the points both get every training point right (this "
                "lesson's network did, and also got all 300 held-out points). Only points it "
                "has not seen tell the two apart.",
            ),
        ],
        answer=2,
    ),
    Question(
        "07.gc",
        "Why does `train` switch off automatic garbage collection (`gc.disable()`) and call "
        "`gc.collect(0)` after every step?",
        [
            Choice(
                "Every node made by an operation is a reference cycle, garbage after the step",
                "Your Value's rule is a closure that captures `out` and is stored on `out`: "
                "out → rule → out (lesson 05); only the leaves, which have no rule, are free of "
                "it. Only the cycle collector frees such nodes. Run "
                "automatically it would search the graph still being built; run right after "
                "the step, `gc.collect(0)` finds that step's graph unreachable and frees it, "
                "so memory stays flat.",
            ),
            Choice(
                "The collector could free nodes while backward() still needs them",
                "The collector frees only objects that nothing can reach any more. While a "
                "step runs, its whole graph hangs off `loss`, so it is never freed early: the "
                "losses and the gradients come out the same with or without automatic "
                "collection; only the time differs.",
            ),
            Choice(
                "Your Value makes no reference cycles, so automatic collection only wastes time",
                "Without cycles, reference counting would free each graph the moment `loss` "
                "is dropped, and `gc.collect(0)` would have nothing to do. But each rule "
                "closes over its own output node (lesson 05), so without a collection every "
                "step's graph would stay in memory.",
            ),
            Choice(
                "To keep each step's graph in memory until the next update",
                "The update needs only the numbers `p.grad`, stored on the parameters, and "
                "the next step builds a new graph from a new minibatch. The old graph is "
                "garbage once the step returns; `gc.collect(0)` is there to free it, not to "
                "keep it.",
            ),
        ],
        answer=0,
    ),
    Question(
        "07.zero_grad_after",
        "From the Try it list: in `train_step_without_zero_grad` you put `model.zero_grad()` "
        "back, between `loss.backward()` and the update loop, and run that cell again. What "
        "do its 5 epochs print?",
        [
            Choice(
                "The same explosion: the gradients still pile up from step to step",
                "Nothing piles up now: zero_grad() empties every grad once per step. It only "
                "does so at the worst moment, between backward() and the update, so every "
                "update reads p.grad = 0.",
            ),
            Choice(
                "The same fall as in the right order: zero_grad() still runs once per step",
                "Once per step is not enough: it must come before backward(). Placed after "
                "it, it wipes the gradient this step has just computed before the update can "
                "use it, and `p.data -= learning_rate * 0` changes nothing.",
            ),
            Choice(
                "A slow fall: only the L2 penalty's gradient is left for the update",
                "The penalty is part of `loss`: its gradient arrives with the same backward() "
                "and is wiped by the same zero_grad(), which sets every parameter's grad to "
                "0, whichever part of the loss it came from. No gradient at all is left.",
            ),
            Choice(
                "The loss stays at 1.7632, its value before training, in every epoch",
                "zero_grad() between backward() and the update wipes the gradient just "
                "computed, so every update subtracts learning_rate × 0. The network keeps its "
                "starting weights: each epoch's mean batch loss is their loss on the 160 "
                "training points, 1.7632 as before training, and the training accuracy stays "
                "at 49.4 %.",
            ),
        ],
        answer=3,
        try_it=True,
    ),
]

# --------------------------------------------------------------------------- study with an AI
STUDY = Study(
    goals=[
        "Write a neural network from neurons and layers: `Neuron`, `Layer` and `MLP`, each "
        "listing its `parameters()`; layers and networks also reset their gradients with "
        "`zero_grad()`.",
        "Write the **training step** — forward, zero the gradients, backward, update — and "
        "train with **minibatch stochastic gradient descent**.",
        "See what happens when the gradients are *not* reset (the forgotten `zero_grad()`).",
        "Test the network on points it has **never seen**.",
    ],
    formulas=[
        "neuron: out = relu(w0·x0 + w1·x1 + ... + b); the last layer of an MLP is linear "
        "(no relu), so its output can be any number",
        "when relu is on (w·x + b > 0): d(out)/d(w_i) = x_i and d(out)/db = 1; when it is off, "
        "both are 0",
        "MLP(2, [8, 8, 1]) has (2+1)·8 + (8+1)·8 + (8+1)·1 = 105 parameters",
        "hinge loss of a point with label y = ±1 and score s: relu(1 - y·s); the loss is its "
        "mean over the batch plus the L2 penalty alpha·sum(p²), alpha = 1e-4",
        "training step: loss = loss_fn(model, X, y); model.zero_grad(); loss.backward(); "
        "p.data -= learning_rate · p.grad for every parameter p",
        "without zero_grad(), step k moves the parameters by learning_rate times the sum of "
        "all k gradients so far",
        "learning rate at step t of 250: 1.0 - 0.9·t/250, from 1.0 down to 0.1",
    ],
    demo=(
        "One Neuron(2) on x = (0.5, 1.0) gives out = 0.3292 with grads w0 0.5 and w1 1.0 (the "
        "inputs) and b 1.0; then an MLP(2, [8, 8, 1]) of your Value (105 parameters, a loss "
        "graph of 3,778 values per batch of 16 points) trained with minibatch SGD for 25 "
        "epochs on 160 points of two moons goes from loss 1.7632 and 49 % accuracy to 100.0 % "
        "on the training points and 100.0 % (300 of 300) on held-out points, while the same "
        "network without zero_grad() reaches a mean batch loss of 1425.6767 in epoch 5, with "
        "weights up to 2711.3."
    ),
    try_it=[
        "Other training bugs: in train_step_without_zero_grad above, put model.zero_grad() back "
        "between loss.backward() and the update loop, or update with += instead of -=. What "
        "does the loss do now?",
        "A smaller network: MLP(2, [4, 1]) in the training cell. Can 4 neurons bend the "
        "boundary enough?",
        "Full-batch gradient descent: add BATCH = N_TRAIN at the top of the training cell, one "
        "step per epoch, 10 times fewer steps: how far does the loss get in the same 25 epochs?",
        "More noise: noise=0.25 in make_moons. The moons overlap, the held-out accuracy drops; "
        "a boundary that wiggles around single training points is a sign of overfitting",
        "Too big a step: start the learning rate at 5.0 instead of 1.0, with "
        "5.0 - 4.5 * step / STEPS in learning_rate",
        "Skip the scaling: use X instead of inputs(X) in hinge_loss and predict. Training "
        "still works, but starts from a worse place",
        "Leave the collector alone: remove gc.disable() and gc.collect(0) from train, and time "
        "the training cell (%%time on its first line), with and without them",
    ],
)
