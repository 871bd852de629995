"""Lesson 07's checkers (check_neuron, check_layer, check_mlp, check_training) accept the
reference and its reasonable variants, and reject every plausible wrong implementation on
every run, naming the broken rule with a useful hint.

The learner's code is rebuilt as lesson 07 has it: the reference solutions
(``solutions/lesson07_*.py``) exec'd on a ``Value`` — the learner's engine as carried
forward to lesson 07 (the value chain: scaffold + lessons 03-05, closures and all) and the
package's cycle-free ``autograd.Value``. Each wrong implementation is that code with one
plausible mistake typed into it.
"""

from __future__ import annotations

import random
from pathlib import Path

import jupytext
import pytest

import autograd
from autograd.course import carry
from autograd.course.lesson07 import (
    EXERCISES,
    check_layer,
    check_mlp,
    check_neuron,
    check_training,
)
from autograd.course.report import CheckReport

REPEATS = 12  # the checkers are randomised: a wrong piece must be rejected on every run
ROOT = Path(__file__).resolve().parents[2]

SOURCES = {name: carry.reference_source(f"07.{name}") for name in ("neuron", "layer", "mlp")}
SOURCES["training"] = carry.reference_source("07.training")
CHECKERS = {
    "neuron": (check_neuron, "Neuron"),
    "layer": (check_layer, "Layer"),
    "mlp": (check_mlp, "MLP"),
    "training": (check_training, "train_step"),
}


def chain_value() -> type:
    """The learner's Value as lesson 07 starts from it (the store is empty: the reference)."""
    namespace, _ = carry.build("value", "07")
    return namespace["Value"]


VALUES = {"learner's Value (closures)": chain_value(), "package Value": autograd.Value}


@pytest.fixture(params=list(VALUES), ids=list(VALUES))
def value_cls(request) -> type:
    return VALUES[request.param]


def make(
    name: str, *edits: tuple[str, str], value_cls: type = autograd.Value, source: str = ""
) -> object:
    """The learner's object for exercise ``name`` (the earlier classes of the lesson are the
    reference), its code with each (old, new) edit made, or ``source`` instead."""
    namespace: dict = {"Value": value_cls, "random": random}
    for earlier in ("neuron", "layer", "mlp", "training"):
        code = SOURCES[earlier]
        if earlier == name:
            code = source or code
            for old, new in edits:
                assert old in code, f"edit does not apply: {old!r}"
                code = code.replace(old, new)
        exec(compile(code, f"<07.{earlier}>", "exec"), namespace)  # noqa: S102 - fixtures
        if earlier == name:
            return namespace[CHECKERS[name][1]]
    raise KeyError(name)


def check(name: str, obj: object, seed: int | None = None) -> CheckReport:
    return CHECKERS[name][0](obj, seed=seed, save=False)


# --------------------------------------------------------------------------- accepted
@pytest.mark.parametrize("name", list(CHECKERS))
def test_the_reference_passes_every_time(name, value_cls):
    obj = make(name, value_cls=value_cls)
    for seed in range(REPEATS):
        report = check(name, obj, seed)
        assert report, f"seed {seed}:\n{report}"
        assert report.seed == seed


ACCEPTED = {
    "neuron: sum() with the bias as start": ("neuron", [(
        "        act = self.b\n        for wi, xi in zip(self.w, x, strict=True):  # strict: as "
        "many inputs as weights\n            act = act + wi * xi  # b + w0·x0 + w1·x1 + ...: a "
        "graph of Values\n",
        "        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)\n")]),
    "neuron: weights added first, bias last": ("neuron", [(
        "        act = self.b\n        for wi, xi in zip(self.w, x, strict=True):  # strict: as "
        "many inputs as weights\n            act = act + wi * xi  # b + w0·x0 + w1·x1 + ...: a "
        "graph of Values\n",
        "        act = sum(wi * xi for wi, xi in zip(self.w, x)) + self.b\n")]),
    "layer: micrograd's single Value for one neuron": ("layer", [(
        "return [n(x) for n in self.neurons]  # one output per neuron",
        "out = [n(x) for n in self.neurons]\n        return out[0] if len(out) == 1 else out")]),
    "layer: zero_grad through each neuron": ("layer", [(
        "        for p in self.parameters():\n            p.grad = 0.0",
        "        for n in self.neurons:\n            for p in n.parameters():\n"
        "                p.grad = 0.0")]),
    "mlp: zero_grad through each layer": ("mlp", [(
        "    def zero_grad(self):\n        for p in self.parameters():\n            p.grad = 0.0",
        "    def zero_grad(self):\n        for layer in self.layers:\n"
        "            layer.zero_grad()")]),
    "training: zero_grad first": ("training", [(
        "    loss = loss_fn(model, X, y)  # 1. forward: one number for the whole batch\n"
        "    model.zero_grad()  # 2. forget the gradients of the last step\n",
        "    model.zero_grad()\n    loss = loss_fn(model, X, y)\n")]),
    "training: grads reset by hand": ("training", [(
        "model.zero_grad()  # 2. forget the gradients of the last step",
        "for p in model.parameters():\n        p.grad = 0.0")]),
}  # fmt: skip


@pytest.mark.parametrize("label", list(ACCEPTED))
def test_reasonable_variants_pass(label, value_cls):
    name, edits = ACCEPTED[label]
    obj = make(name, *edits, value_cls=value_cls)
    for seed in range(REPEATS):
        report = check(name, obj, seed)
        assert report, f"{label}, seed {seed}:\n{report}"


def test_micrograds_layer_and_mlp_together_pass():
    """micrograd's own convention: a one-neuron layer returns its Value, and the MLP returns
    whatever the last layer gave."""
    namespace: dict = {"Value": autograd.Value, "random": random}
    exec(compile(SOURCES["neuron"], "<n>", "exec"), namespace)  # noqa: S102
    layer = SOURCES["layer"].replace(
        "return [n(x) for n in self.neurons]  # one output per neuron",
        "out = [n(x) for n in self.neurons]\n        return out[0] if len(out) == 1 else out",
    )
    mlp = SOURCES["mlp"].replace(
        "return x[0] if len(x) == 1 else x  # one output neuron: return the score itself",
        "return x",
    )
    exec(compile(layer, "<l>", "exec"), namespace)  # noqa: S102
    exec(compile(mlp, "<m>", "exec"), namespace)  # noqa: S102
    for seed in range(REPEATS):
        assert check_layer(namespace["Layer"], seed=seed, save=False)
        assert check_mlp(namespace["MLP"], seed=seed, save=False)


# --------------------------------------------------------------------------- rejected
N_LOOP = (
    "        act = self.b\n        for wi, xi in zip(self.w, x, strict=True):  # strict: as many "
    "inputs as weights\n            act = act + wi * xi  # b + w0·x0 + w1·x1 + ...: a graph of "
    "Values\n"
)
N_RETURN = "return act.relu() if self.nonlin else act"
N_W = "self.w = [Value(rng.uniform(-1, 1)) for _ in range(nin)]"
N_PARAMS = "return self.w + [self.b]"
L_NEURONS = "self.neurons = [Neuron(nin, nonlin=nonlin, rng=rng) for _ in range(nout)]"
L_CALL = "return [n(x) for n in self.neurons]  # one output per neuron"
L_PARAMS = "return [p for n in self.neurons for p in n.parameters()]  # neuron by neuron"
ZERO = "        for p in self.parameters():\n            p.grad = 0.0"
M_LAYERS = "Layer(sizes[i], sizes[i + 1], nonlin=i != last, rng=rng) for i in range(len(nouts))"
M_LOOP = "            x = layer(x)  # each layer's outputs are the next layer's inputs"
M_RETURN = "return x[0] if len(x) == 1 else x  # one output neuron: return the score itself"
M_PARAMS = "return [p for layer in self.layers for p in layer.parameters()]"
T_ZERO = "    model.zero_grad()  # 2. forget the gradients of the last step\n"
T_BACKWARD = "    loss.backward()  # 3. backward: every parameter's grad\n"
T_UPDATE = "        p.data -= learning_rate * p.grad"
T_RETURN = "    return loss.data"
T_LOSS = "    loss = loss_fn(model, X, y)"

# label -> (exercise, the edits, the rule that must fail, words its report must say)
WRONG = {
    # ------------------------------------------------------------------ Neuron
    "neuron: bias left out": ("neuron", [(N_LOOP, N_LOOP.replace("act = self.b", "act = 0.0"))],
                              "__call__", "bias is missing"),
    "neuron: no relu": ("neuron", [(N_RETURN, "return act")], "__call__", "nonlin=True"),
    "neuron: relu even when nonlin=False": ("neuron", [(N_RETURN, "return act.relu()")],
                                            "__call__", "nonlin=False"),
    "neuron: tanh instead of relu": ("neuron", [(N_RETURN, "return act.tanh() if self.nonlin "
                                                 "else act")], "__call__", "tanh"),
    "neuron: only the first weight": ("neuron", [(N_LOOP, "        act = self.b + self.w[0] * "
                                                  "x[0]\n")], "__call__", "first weight"),
    "neuron: inputs not weighted": ("neuron", [(N_LOOP, N_LOOP.replace("wi * xi", "xi"))],
                                    "__call__", "weights are missing"),
    "neuron: relu on each term": ("neuron", [(N_LOOP, N_LOOP.replace("act + wi * xi",
                                                                     "act + (wi * xi).relu()"))],
                                  "__call__", "not to each wᵢ·xᵢ"),
    "neuron: forgot return": ("neuron", [(N_RETURN, "act.relu() if self.nonlin else act")],
                              "__call__", "return"),
    "neuron: returns .data": ("neuron", [(N_RETURN, "return (act.relu() if self.nonlin else "
                                          "act).data")], "__call__", "not its .data"),
    "neuron: graph cut with .data": ("neuron", [(N_LOOP, N_LOOP.replace(
        "act = act + wi * xi", "act = Value(act.data + wi.data * getattr(xi, 'data', xi))"))],
        "gradients", "`.data`"),
    "neuron: weights from the random module": ("neuron", [(N_W, N_W.replace("rng.", "random."))],
                                               "Neuron(nin)", "rng"),
    "neuron: random bias": ("neuron", [("self.b = Value(0.0)", "self.b = Value(rng.uniform(-1, "
                                        "1))")], "Neuron(nin)", "bias"),
    "neuron: one weight object repeated": ("neuron", [(N_W, "self.w = [Value(rng.uniform(-1, 1))]"
                                                       " * nin")], "Neuron(nin)", "random"),
    "neuron: parameters without the bias": ("neuron", [(N_PARAMS, "return self.w")],
                                            "parameters()", "bias"),
    "neuron: parameters as copies": ("neuron", [(N_PARAMS, "return [Value(p.data) for p in "
                                                 "self.w + [self.b]]")], "parameters()", "copies"),
    "neuron: parameters nested": ("neuron", [(N_PARAMS, "return [self.w, self.b]")],
                                  "parameters()", "Flatten"),
    "neuron: bias first": ("neuron", [(N_PARAMS, "return [self.b] + self.w")], "parameters()",
                           "weights first"),
    # ------------------------------------------------------------------ Layer
    "layer: nonlin not passed on": ("layer", [(L_NEURONS, L_NEURONS.replace("nonlin=nonlin, ",
                                                                             ""))],
                                    "__call__", "Pass `nonlin`"),
    "layer: rng not passed on": ("layer", [(L_NEURONS, L_NEURONS.replace(", rng=rng", ""))],
                                 "Layer(nin, nout)", "rng"),
    "layer: one neuron repeated": ("layer", [(L_NEURONS, "self.neurons = [Neuron(nin, nonlin=nonlin"
                                              ", rng=rng)] * nout")], "parameters()", "once"),
    "layer: every output from the first neuron": ("layer", [(L_CALL, "return [self.neurons[0](x) "
                                                             "for n in self.neurons]")],
                                                  "__call__", "first neuron"),
    "layer: a generator instead of a list": ("layer", [(L_CALL, "return (n(x) for n in "
                                                        "self.neurons)")], "__call__", "list"),
    "layer: parameters nested": ("layer", [(L_PARAMS, "return [n.parameters() for n in "
                                            "self.neurons]")], "parameters()", "Flatten"),
    "layer: parameters without biases": ("layer", [(L_PARAMS, "return [p for n in self.neurons "
                                                    "for p in n.w]")], "parameters()", "bias"),
    "layer: parameters twice over": ("layer", [(L_PARAMS, L_PARAMS.replace(
        "n.parameters()]", "n.parameters()] + self.neurons[0].parameters()"))],
        "parameters()", "once"),
    "layer: weights first, then biases": ("layer", [(L_PARAMS, "return [w for n in self.neurons "
                                                     "for w in n.w] + [n.b for n in "
                                                     "self.neurons]")], "parameters()",
                                          "Neuron by neuron"),
    "layer: zero_grad skips the biases": ("layer", [(ZERO, "        for n in self.neurons:\n"
                                                     "            for w in n.w:\n"
                                                     "                w.grad = 0.0")],
                                          "zero_grad()", "biases kept"),
    "layer: zero_grad zeroes data": ("layer", [(ZERO, ZERO.replace("p.grad", "p.data"))],
                                     "zero_grad()", "p.data"),
    "layer: zero_grad only the first neuron": ("layer", [(ZERO, ZERO.replace(
        "self.parameters()", "self.neurons[0].parameters()"))], "zero_grad()", "every parameter"),
    "layer: zero_grad does nothing": ("layer", [(ZERO, "        pass")], "zero_grad()",
                                      "every parameter"),
    "layer: nin and nout swapped": ("layer", [(L_NEURONS, "self.neurons = [Neuron(nout, nonlin="
                                               "nonlin, rng=rng) for _ in range(nin)]")],
                                    "Layer(nin, nout)", "nout neurons of nin inputs each"),
    "layer: zero_grad rebinding p": ("layer", [(ZERO, ZERO.replace("p.grad = 0.0",
                                                                   "p = Value(0.0)"))],
                                     "zero_grad()", "rebinding the loop variable"),
    # ------------------------------------------------------------------ MLP
    "mlp: relu on the last layer too": ("mlp", [(M_LAYERS, M_LAYERS.replace("nonlin=i != last",
                                                                            "nonlin=True"))],
                                        "__call__", "linear"),
    "mlp: no relu anywhere": ("mlp", [(M_LAYERS, M_LAYERS.replace("nonlin=i != last",
                                                                  "nonlin=False"))],
                              "__call__", "one linear function"),
    "mlp: every layer reads the inputs": ("mlp", [(M_LOOP, "            out = layer(x)"),
                                                  (M_RETURN, "return out[0] if len(out) == 1 "
                                                   "else out")], "__call__", "x = layer(x)"),
    "mlp: a list of one for one output": ("mlp", [(M_RETURN, "return x")], "__call__",
                                          "Value itself"),
    "mlp: every layer sized from nin": ("mlp", [(M_LAYERS, M_LAYERS.replace("Layer(sizes[i],",
                                                                            "Layer(nin,"))],
                                        "MLP(nin, nouts)", "reads the outputs"),
    "mlp: rng not passed on": ("mlp", [(M_LAYERS, M_LAYERS.replace(", rng=rng", ""))],
                               "MLP(nin, nouts)", "rng"),
    "mlp: parameters of the first layer only": ("mlp", [(M_PARAMS, M_PARAMS.replace(
        "self.layers for", "self.layers[:1] for"))], "parameters()", "Every layer"),
    "mlp: parameters nested per layer": ("mlp", [(M_PARAMS, "return [layer.parameters() for "
                                                  "layer in self.layers]")], "parameters()",
                                         "Flatten"),
    "mlp: zero_grad of the last layer only": ("mlp", [(ZERO, ZERO.replace(
        "self.parameters()", "self.layers[-1].parameters()"))], "zero_grad()", "every layer"),
    "mlp: zero_grad not recursing": ("mlp", [(ZERO, "        for layer in self.layers:\n"
                                              "            layer.grad = 0.0")], "zero_grad()",
                                     "every layer"),
    "mlp: zero_grad rebinding p": ("mlp", [(ZERO, ZERO.replace("p.grad = 0.0", "p = 0.0"))],
                                   "zero_grad()", "rebinding the loop variable"),
    "mlp: layer sizes swapped": ("mlp", [(M_LAYERS, M_LAYERS.replace(
        "Layer(sizes[i], sizes[i + 1],", "Layer(sizes[i + 1], sizes[i],"))],
        "MLP(nin, nouts)", "reads the outputs"),
    # ------------------------------------------------------------------ training
    "training: no zero_grad": ("training", [(T_ZERO, "")], "fresh gradients", "sum of all"),
    "training: zero_grad after backward": ("training", [(T_ZERO + T_BACKWARD,
                                                         T_BACKWARD + T_ZERO)],
                                           "fresh gradients", "*before*"),
    "training: zero_grad at the end of the step": ("training", [
        (T_ZERO, ""), (T_RETURN, "    model.zero_grad()\n" + T_RETURN)],
        "fresh gradients", "end of the step"),
    "training: uphill, += instead of -=": ("training", [(T_UPDATE, T_UPDATE.replace("-=", "+="))],
                                           "update", "uphill"),
    "training: the learning rate alone": ("training", [(T_UPDATE, "        p.data -= "
                                                        "learning_rate")], "update",
                                          "learning rate alone"),
    "training: learning rate forgotten": ("training", [(T_UPDATE, "        p.data -= p.grad")],
                                          "update", "forgot the learning rate"),
    "training: backward twice": ("training", [(T_BACKWARD, T_BACKWARD + T_BACKWARD)], "update",
                                 "twice"),
    "training: rebinding p": ("training", [(T_UPDATE, "        p = p - learning_rate * p.grad")],
                              "update", "rebinding"),
    "training: updating the grads": ("training", [(T_UPDATE, "        p.grad -= learning_rate * "
                                                   "p.data")], "update", ""),
    "training: returns the Value": ("training", [(T_RETURN, "    return loss")],
                                    "returns the loss", "not the Value"),
    "training: returns nothing": ("training", [(T_RETURN, "")], "returns the loss",
                                  "return loss.data"),
    "training: returns the loss after the update": ("training", [(T_RETURN, "    return "
                                                                  "loss_fn(model, X, y).data")],
                                                    "returns the loss", "start of the step"),
    "training: hinge_loss by name, not defined": ("training", [(T_LOSS, T_LOSS.replace(
        "loss_fn(", "hinge_loss("))], "runs", "Use the loss_fn you are given"),
}  # fmt: skip


@pytest.mark.parametrize("label", list(WRONG))
def test_each_wrong_implementation_is_rejected_and_named(label, value_cls):
    name, edits, rule, words = WRONG[label]
    obj = make(name, *edits, value_cls=value_cls)
    for seed in range(REPEATS):
        report = check(name, obj, seed)
        assert not report, f"{label} passed with seed {seed}"
        assert rule in report.failed_rules, f"{label}, seed {seed}: {report.failed_rules}\n{report}"
        assert words in str(report), f"{label}, seed {seed}:\n{report}"


def test_every_checker_rejects_at_least_five_wrong_implementations():
    for name in CHECKERS:
        assert sum(1 for ex, *_ in WRONG.values() if ex == name) >= 5, name


ZERO_GRAD_MISPLACED = {
    "forgotten": [(T_ZERO, "")],
    "between backward() and the update": [(T_ZERO + T_BACKWARD, T_BACKWARD + T_ZERO)],
    "at the end of the step": [(T_ZERO, ""), (T_RETURN, "    model.zero_grad()\n" + T_RETURN)],
}


@pytest.mark.parametrize("label", list(ZERO_GRAD_MISPLACED))
def test_a_misplaced_zero_grad_gets_one_hint_not_a_downhill_one_too(label):
    """The update of such a step is downhill: "the loss goes down" is not judged (it would
    fail on some seeds and blame the direction of the update), only "fresh gradients" fails."""
    step = make("training", *ZERO_GRAD_MISPLACED[label])
    for seed in range(REPEATS):
        report = check_training(step, seed=seed, save=False)
        assert report.failed_rules == ["fresh gradients"], f"seed {seed}:\n{report}"
        text = str(report)
        assert "downhill" not in text and "Each step must move" not in text
        assert "• the loss goes down: 0 of 1 check passed" in text
        assert "it also uses fresh gradients" in text


def hinge_loss(model, X, y):
    """A stand-in for the lesson's hinge_loss (a global of the notebook when the learner's
    train_step calls it by name): relu(1 - y·s), averaged."""
    hinge = [
        (1 - float(yi) * model([float(a), float(b)])).relu()
        for (a, b), yi in zip(X, y, strict=True)
    ]
    return sum(hinge) * (1.0 / len(hinge))


def test_a_step_that_calls_hinge_loss_by_name_is_told_to_use_loss_fn():
    namespace: dict = {"Value": autograd.Value, "random": random, "hinge_loss": hinge_loss}
    code = SOURCES["training"].replace(T_LOSS, T_LOSS.replace("loss_fn(", "hinge_loss("))
    exec(compile(code, "<07.training>", "exec"), namespace)  # noqa: S102 - a fixture
    for seed in range(REPEATS):
        report = check_training(namespace["train_step"], seed=seed, save=False)
        assert report.failed_rules == ["runs"], f"seed {seed}:\n{report}"
        text = str(report)
        assert "never called the loss_fn it was given" in text
        assert "Use the loss_fn you are given" in text
        assert "downhill" not in text and "uphill" not in text  # no hint of another mistake


def test_a_layer_is_described_without_memory_addresses():
    """A report must read the same on every machine: objects as "Neuron(4 inputs)", never
    with the address of Python's default repr."""
    layer = make("layer", (L_NEURONS, "self.neurons = [Neuron(nout, nonlin=nonlin, rng=rng) "
                           "for _ in range(nin)]"))  # fmt: skip
    for seed in range(REPEATS):
        text = str(check_layer(layer, seed=seed, save=False))
        assert " at 0x" not in text and "object at" not in text, text
        assert "Neuron(" in text and " inputs)" in text
        assert "keep the names of the stub" not in text  # the names are right: the sizes are not


def test_relu_on_each_term_is_not_blamed_on_the_first_weight():
    """The slip named must explain every case: a wrong sum that happens to equal the "only
    the first weight" number on one case is not diagnosed as that."""
    neuron = make("neuron", (N_LOOP, N_LOOP.replace("act + wi * xi", "act + (wi * xi).relu()")))
    for seed in range(50):
        text = str(check_neuron(neuron, seed=seed, save=False))
        assert "first weight" not in text, f"seed {seed}:\n{text}"
        assert "not to each wᵢ·xᵢ" in text


def rule_counts(report: CheckReport) -> list[tuple[str, int]]:
    return [(r.name, r.checks) for r in report._rules]


@pytest.mark.parametrize("name", list(CHECKERS))
def test_every_rule_counts_the_same_checks_judged_or_not(name):
    """A report's "p of n checks" does not change with what is broken: the stub (everything
    blocked), the reference and every wrong implementation count alike, rule by rule."""
    expected = rule_counts(check(name, make(name), 0))
    stub = stub_object(name)
    assert rule_counts(check(name, stub, 0)) == expected, "the stub"
    for label, (ex, edits, _, _) in WRONG.items():
        if ex == name:
            obj = make(name, *edits)
            for seed in range(3):
                assert rule_counts(check(name, obj, seed)) == expected, f"{label}, seed {seed}"


# --------------------------------------------------------------------------- the report
def stubs() -> dict[str, str]:
    """The exercise cells of lesson 07, by exercise name."""
    (source,) = sorted((ROOT / "lessons").glob("07_*.py"))
    cells = jupytext.read(source, fmt="py:percent").cells
    found = {}
    for cell in cells:
        if "exercise" in cell.metadata.get("tags", []):
            for name, (_, provided) in CHECKERS.items():
                if f"class {provided}:" in cell.source or f"def {provided}(" in cell.source:
                    found[name] = cell.source
    return found


def stub_object(name: str) -> object:
    """The lesson's stub for exercise ``name``, on the reference of the earlier exercises."""
    namespace: dict = {"Value": autograd.Value, "random": random}
    for earlier in ("neuron", "layer", "mlp", "training"):
        code = stubs()[earlier] if earlier == name else SOURCES[earlier]
        exec(compile(code, f"<07.{earlier}>", "exec"), namespace)  # noqa: S102
        if earlier == name:
            break
    return namespace[CHECKERS[name][1]]


@pytest.mark.parametrize("name", list(CHECKERS))
def test_the_lessons_stub_fails_the_same_way_on_every_seed(name):
    """As shipped, the lesson shows the stub's report: it must not depend on the seed."""
    obj = stub_object(name)
    reports = [check(name, obj, seed) for seed in (0, 1, 12345)]
    assert not reports[0]
    assert "NotImplementedError" in str(reports[0])
    assert len({repr(r) for r in reports}) == 1
    assert len({r._repr_html_() for r in reports}) == 1
    assert len({str(r) for r in reports}) == 1


@pytest.mark.parametrize("name", list(CHECKERS))
def test_fresh_cases_per_call_and_a_seed_repeats_a_run(name):
    wrong = {
        "neuron": ("neuron", (N_RETURN, "return act")),
        "layer": ("layer", (L_CALL, "return [self.neurons[0](x) for n in self.neurons]")),
        "mlp": ("mlp", (M_LAYERS, M_LAYERS.replace("nonlin=i != last", "nonlin=True"))),
        "training": ("training", (T_UPDATE, T_UPDATE.replace("-=", "+="))),
    }[name]
    obj = make(wrong[0], wrong[1])
    first, second = check(name, obj), check(name, obj)
    assert first.seed != second.seed
    assert str(first) != str(second)  # other random numbers in the example
    again = check(name, obj, first.seed)
    assert str(again) == str(first)


def test_the_exercises_are_registered_outside_the_value_chain():
    assert [ex.id for ex in EXERCISES] == ["07.neuron", "07.layer", "07.mlp", "07.training"]
    assert all(ex.chain is None for ex in EXERCISES)
    for ex in EXERCISES:
        assert ex.checker in autograd.__all__
        assert carry.reference_source(ex.id)  # the solution file exists


def test_check_training_runs_on_the_learners_value_too():
    step = make("training")
    assert check_training(step, seed=1, save=False, value_cls=chain_value())
