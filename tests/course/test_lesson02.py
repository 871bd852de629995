"""Lesson 02's checkers accept the reference solutions on any seed and reject the usual
mistakes, naming the failing piece and giving the hint for it."""

from __future__ import annotations

import math

import pytest

from autograd.course import carry
from autograd.course.lesson02 import (
    EXERCISES,
    __all__,
    check_bias_grads,
    check_gates,
    check_neuron_grads,
)

SEEDS = [0, 1, 2, 3, 2**40 + 7]


def reference(exercise_id: str) -> dict:
    namespace = {"math": math}
    exec(carry.reference_source(exercise_id), namespace)  # noqa: S102 - the course's own code
    return namespace


def stub(*args):
    raise NotImplementedError("write it here")


def test_the_module_registers_and_exports_its_checkers():
    assert {ex.checker for ex in EXERCISES} == set(__all__)
    assert all(ex.chain is None and ex.lesson == "02" for ex in EXERCISES)


# --------------------------------------------------------------------------- bias
@pytest.mark.parametrize("seed", SEEDS)
def test_bias_grads_accepts_the_reference(seed):
    report = check_bias_grads(reference("02.bias_grads")["grads_by_hand"], seed=seed, save=False)
    assert report, str(report)
    assert report.rules == ["dL/dw", "dL/db"] and report.checks == 8


def d(w, x, b, y):
    return w * x + b - y


BIAS_MISTAKES = {
    "dL/dw without the factor x": (
        lambda w, x, b, y: (2 * d(w, x, b, y), 2 * d(w, x, b, y)),
        ["dL/dw"],
        "The factor x is missing",
    ),
    "dL/db with a factor x": (
        lambda w, x, b, y: (2 * d(w, x, b, y) * x, 2 * d(w, x, b, y) * x),
        ["dL/db"],
        "The bias gets no factor x",
    ),
    "the 2 of d² forgotten": (
        lambda w, x, b, y: (d(w, x, b, y) * x, d(w, x, b, y)),
        ["dL/dw", "dL/db"],
        "The factor 2 is missing",
    ),
    "wrong sign (d = y - wx - b, then -1 dropped)": (
        lambda w, x, b, y: (-2 * d(w, x, b, y) * x, -2 * d(w, x, b, y)),
        ["dL/dw", "dL/db"],
        "The sign is flipped",
    ),
    "∂(wx)/∂w taken as w": (
        lambda w, x, b, y: (2 * d(w, x, b, y) * w, 2 * d(w, x, b, y)),
        ["dL/dw"],
        "not w",
    ),
    "bias left out of d": (
        lambda w, x, b, y: (2 * (w * x - y) * x, 2 * (w * x - y)),
        ["dL/dw", "dL/db"],
        "d includes the bias",
    ),
    "local derivative only (no chain factor)": (
        lambda w, x, b, y: (2 * d(w, x, b, y) * x, 1.0),
        ["dL/db"],
        "multiply it by the gradient that arrives",
    ),
    "the two swapped": (
        lambda w, x, b, y: (2 * d(w, x, b, y), 2 * d(w, x, b, y) * x),
        ["dL/dw", "dL/db"],
        "swapped",
    ),
    "returns one number": (
        lambda w, x, b, y: 2 * d(w, x, b, y) * x,
        ["dL/dw", "dL/db"],
        "Return both gradients",
    ),
    "stub left in": (stub, ["dL/dw", "dL/db"], "Replace `raise NotImplementedError`"),
}


@pytest.mark.parametrize("seed", [31, 32])
@pytest.mark.parametrize("name", BIAS_MISTAKES)
def test_bias_grads_rejects_a_mistake_with_its_hint(name, seed):
    fn, rules, hint = BIAS_MISTAKES[name]
    report = check_bias_grads(fn, seed=seed, save=False)
    assert not report
    assert report.failed_rules == rules
    assert hint in str(report), str(report)


def test_bias_grads_as_shipped_shows_the_same_output_every_time():
    a, b = (check_bias_grads(stub, seed=s, save=False) for s in (1, 2))
    assert repr(a) == repr(b) and a._repr_html_() == b._repr_html_()


# --------------------------------------------------------------------------- gates
def gates(**replace):
    ref = reference("02.gates")
    fns = [ref["add_backward"], ref["mul_backward"], ref["max_backward"]]
    names = ["add", "mul", "max"]
    return [replace.get(n, f) for n, f in zip(names, fns, strict=True)]


@pytest.mark.parametrize("seed", SEEDS)
def test_gates_accepts_the_reference(seed):
    report = check_gates(*gates(), seed=seed, save=False)
    assert report, str(report)
    assert report.rules == ["add", "mul", "max"]


GATE_MISTAKES = {
    "add: no out_grad": ("add", lambda a, b, g: (1.0, 1.0), "multiplied by the gradient arriving"),
    "add: splits in half": ("add", lambda a, b, g: (g / 2, g / 2), "does not split"),
    "add: only to a": ("add", lambda a, b, g: (g, 0.0), "b as well"),
    "add: the * rule": ("add", lambda a, b, g: (b * g, a * g), "That is the * rule"),
    "mul: not swapped": ("mul", lambda a, b, g: (a * g, b * g), "Swapped"),
    "mul: no out_grad": ("mul", lambda a, b, g: (b, a), "multiplied by the gradient arriving"),
    "mul: the + rule": ("mul", lambda a, b, g: (g, g), "That is the + rule"),
    "max: routes to the smaller": (
        "max",
        lambda a, b, g: (0.0, g) if a > b else (g, 0.0),
        "*smaller* input",
    ),
    "max: copies to both": ("max", lambda a, b, g: (g, g), "does not copy"),
    "max: no out_grad": (
        "max",
        lambda a, b, g: (1.0, 0.0) if a > b else (0.0, 1.0),
        "the winner gets out_grad, not 1",
    ),
    "max: always to a": ("max", lambda a, b, g: (g, 0.0), "max(a, b)"),
    "max: returns nothing": ("max", lambda a, b, g: None, "forget `return`"),
}


@pytest.mark.parametrize("seed", [41, 42])
@pytest.mark.parametrize("name", GATE_MISTAKES)
def test_gates_rejects_a_mistake_and_names_the_gate(name, seed):
    gate, fn, hint = GATE_MISTAKES[name]
    report = check_gates(*gates(**{gate: fn}), seed=seed, save=False)
    assert not report
    assert report.failed_rules == [gate]
    assert hint in str(report), str(report)


def test_gates_as_shipped_shows_the_same_output_every_time():
    a, b = (check_gates(stub, stub, stub, seed=s, save=False) for s in (1, 2))
    assert repr(a) == repr(b) and a._repr_html_() == b._repr_html_()
    assert a.failed_rules == ["add", "mul", "max"]


# --------------------------------------------------------------------------- the neuron
STEPS = ["n", "b", "s", "x1w1", "x2w2", "x1", "w1", "x2", "w2"]


@pytest.mark.parametrize("seed", SEEDS)
def test_neuron_grads_accepts_the_reference(seed):
    report = check_neuron_grads(reference("02.neuron_grads")["neuron_grads"], seed=seed,
                                save=False)  # fmt: skip
    assert report, str(report)
    assert report.rules == [f"{s}.grad" for s in STEPS]


def test_neuron_grads_accepts_gradients_written_in_one_go():
    def direct(x1, w1, x2, w2, b):
        t = 1 - math.tanh(x1 * w1 + x2 * w2 + b) ** 2
        return dict(n=t, b=t, s=t, x1w1=t, x2w2=t, x1=w1 * t, w1=x1 * t, x2=w2 * t, w2=x2 * t)

    assert check_neuron_grads(direct, seed=9, save=False)


def neuron(**change):
    """The reference neuron_grads with some gradients recomputed by ``change[name](v, g)``,
    where ``v`` holds the forward values and ``g`` the gradients so far (in backward order)."""

    def grads(x1, w1, x2, w2, b):
        v = dict(x1=x1, w1=w1, x2=x2, w2=w2, b=b)
        v["n"] = x1 * w1 + x2 * w2 + b
        v["o"] = math.tanh(v["n"])
        g = {}
        rules = {
            "n": lambda v, g: 1 - v["o"] ** 2,
            "b": lambda v, g: g["n"],
            "s": lambda v, g: g["n"],
            "x1w1": lambda v, g: g["s"],
            "x2w2": lambda v, g: g["s"],
            "x1": lambda v, g: v["w1"] * g["x1w1"],
            "w1": lambda v, g: v["x1"] * g["x1w1"],
            "x2": lambda v, g: v["w2"] * g["x2w2"],
            "w2": lambda v, g: v["x2"] * g["x2w2"],
        }
        rules.update(change)
        for name in STEPS:
            g[name] = rules[name](v, g)
        return g

    return grads


NEURON_MISTAKES = {
    "tanh' = 1 - tanh (not squared)": (
        neuron(n=lambda v, g: 1 - v["o"]),
        ["n.grad"],
        "1 - o**2, not 1 - o",
    ),
    "tanh' = 1 - n²": (neuron(n=lambda v, g: 1 - v["n"] ** 2), ["n.grad"], "not n"),
    "tanh' forgotten (o.grad passed on)": (
        neuron(n=lambda v, g: 1.0),
        ["n.grad"],
        "multiply it by the local derivative of tanh",
    ),
    "x1 and w1 swapped": (
        neuron(x1=lambda v, g: v["x1"] * g["x1w1"], w1=lambda v, g: v["w1"] * g["x1w1"]),
        ["x1.grad", "w1.grad"],
        "Swapped",
    ),
    "missing chain factor in *": (
        neuron(x2=lambda v, g: v["w2"]),
        ["x2.grad"],
        "w2 is only the local derivative",
    ),
    "missing chain factor in +": (
        neuron(b=lambda v, g: 1.0),
        ["b.grad"],
        "1 is only the local derivative of +",
    ),
    "+ splits the gradient": (
        neuron(x1w1=lambda v, g: g["s"] / 2, x2w2=lambda v, g: g["s"] / 2),
        ["x1w1.grad", "x2w2.grad"],
        "does not split",
    ),
    "the + rule used for *": (neuron(w2=lambda v, g: g["x2w2"]), ["w2.grad"], "That is the + rule"),
    "a gradient left None": (neuron(w1=lambda v, g: None), ["w1.grad"], "still None"),
}


@pytest.mark.parametrize("seed", [51, 52])
@pytest.mark.parametrize("name", NEURON_MISTAKES)
def test_neuron_grads_rejects_a_mistake_and_names_the_gradient(name, seed):
    fn, rules, hint = NEURON_MISTAKES[name]
    report = check_neuron_grads(fn, seed=seed, save=False)
    assert not report
    assert report.failed_rules == rules, str(report)
    assert hint in str(report), str(report)


def test_neuron_grads_does_not_blame_later_steps_for_an_earlier_mistake():
    report = check_neuron_grads(NEURON_MISTAKES["tanh' = 1 - tanh (not squared)"][0], seed=5,
                                save=False)  # fmt: skip
    assert report.failed_rules == ["n.grad"]
    text = str(report)
    assert "they also use n.grad, which needs fixing first" in text  # b and s
    assert "they also use x1w1.grad, which needs fixing first" in text  # x1 and w1


def test_neuron_grads_finds_a_second_mistake_behind_the_first():
    fn = neuron(n=lambda v, g: 1 - v["o"], w2=lambda v, g: v["w2"] * g["x2w2"])
    report = check_neuron_grads(fn, seed=6, save=False)
    assert report.failed_rules == ["n.grad", "w2.grad"]


@pytest.mark.parametrize(
    "fn, hint",
    [
        (lambda *args: None, "returns a dict"),
        (lambda *args: {"n": 0.5}, "has no 'b'"),
        (stub, "Replace `raise NotImplementedError`"),
    ],
    ids=["returns nothing", "keys missing", "raises"],
)
def test_neuron_grads_rejects_broken_results(fn, hint):
    report = check_neuron_grads(fn, seed=7, save=False)
    assert not report
    assert hint in str(report), str(report)


def test_neuron_grads_as_shipped_reports_only_the_first_gradient():
    def shipped(x1, w1, x2, w2, b):
        return dict.fromkeys(STEPS)  # every gradient still None, as in the stub

    a, b = (check_neuron_grads(shipped, seed=s, save=False) for s in (1, 2))
    assert a.failed_rules == ["n.grad"]
    assert repr(a) == repr(b) and a._repr_html_() == b._repr_html_()


def test_a_pass_is_recorded_for_each_exercise():
    assert check_bias_grads(reference("02.bias_grads")["grads_by_hand"]).exercise == "02.bias_grads"
    assert check_gates(*gates()).exercise == "02.gates"
    ref = reference("02.neuron_grads")["neuron_grads"]
    assert check_neuron_grads(ref).exercise == "02.neuron_grads"
    assert set(carry._PASSED) >= {"02.bias_grads", "02.gates", "02.neuron_grads"}
