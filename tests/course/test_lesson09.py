"""Lesson 09's checkers (log_softmax, cross_entropy, Linear, SGD) accept the reference
solutions and right variants on many seeds, and reject every plausible wrong implementation,
naming the broken rule with a useful hint.

The learner's engine is rebuilt as lesson 09 has it: the tensor chain up to lesson 08
(``carry.build``, the reference solutions), then lesson 09's reference solutions, each with
one plausible mistake typed into it.
"""

from __future__ import annotations

import numpy as np
import pytest

from autograd.course import carry
from autograd.course.lesson09 import (
    EXERCISES,
    check_cross_entropy,
    check_linear,
    check_log_softmax,
    check_sgd,
)
from autograd.course.report import CheckReport

SEEDS = range(6)  # the checkers are randomised: a verdict must hold on every seed

LOG_SOFTMAX = carry.reference_source("09.log_softmax")
CROSS_ENTROPY = carry.reference_source("09.cross_entropy")
LINEAR = carry.reference_source("09.linear")
SGD = carry.reference_source("09.sgd")


def engine(*edits: tuple[str, str], solution: str = "") -> dict:
    """The tensor engine of lessons 08 (reference) and 09 (the reference solutions), with
    ``solution``'s text edited by each (old, new) pair."""
    namespace, _ = carry.build("tensor", "09")
    for source in (LOG_SOFTMAX, CROSS_ENTROPY, LINEAR, SGD):
        if source == solution:
            for old, new in edits:
                assert old in source, f"edit does not apply: {old!r}"
                source = source.replace(old, new)
        exec(compile(source, "<lesson 09>", "exec"), namespace)  # noqa: S102 - test fixtures
    return namespace


def verdicts(check, obj, seeds=SEEDS) -> list[CheckReport]:
    return [check(obj, seed=s, save=False) for s in seeds]


def assert_rejected(reports: list[CheckReport], rule: str, words: str) -> None:
    for report in reports:
        assert not report, f"seed {report.seed}: accepted a wrong implementation"
        assert rule in report.failed_rules, (report.seed, report.failed_rules, str(report))
        if words:
            text = str(report)
            assert words in text, (report.seed, text)


def test_exercises_are_registered_in_order():
    assert [e.id for e in EXERCISES] == [
        "09.log_softmax",
        "09.cross_entropy",
        "09.linear",
        "09.sgd",
    ]
    assert all(e.chain == "tensor" for e in EXERCISES)


# --------------------------------------------------------------------------- log_softmax
def test_log_softmax_accepts_the_reference():
    for report in verdicts(check_log_softmax, engine()["Tensor"], range(12)):
        assert report, str(report)


def test_log_softmax_accepts_a_version_composed_of_tensor_ops():
    composed = """
def log_softmax(self, axis=-1):
    shifted = self - self.data.max(axis=axis, keepdims=True)
    return shifted - shifted.exp().sum(axis=axis, keepdims=True).log()


Tensor.log_softmax = log_softmax
"""
    ns = engine()
    exec(composed, ns)  # noqa: S102
    for report in verdicts(check_log_softmax, ns["Tensor"]):
        assert report, str(report)


SHIFT = "shifted = self.data - self.data.max(axis=axis, keepdims=True)"
RULE = "self.grad += out.grad - p * out.grad.sum(axis=axis, keepdims=True)"
LS_WRONG = {
    "no max shift (overflows)": (
        [(SHIFT, "shifted = self.data")],
        "large scores",
        "Subtract each row's largest score",
    ),
    "one max for the whole array (a row underflows, then log 0)": (
        [(SHIFT, "shifted = self.data - self.data.max()")],
        "large scores",
        "one max for the whole array is not enough",
    ),
    "softmax along axis 0": (
        [
            (SHIFT, "shifted = self.data - self.data.max(axis=0, keepdims=True)"),
            ("np.exp(shifted).sum(axis=axis", "np.exp(shifted).sum(axis=0"),
        ],
        "forward",
        "softmax runs along `axis`",
    ),
    "softmax, not its log": (
        [("out = Tensor(logp,", "out = Tensor(np.exp(logp),")],
        "forward",
        "That is the softmax itself",
    ),
    "second term without the sum": (
        [(RULE, "self.grad += out.grad - p * out.grad")],
        "backward",
        "*sum* of out.grad",
    ),
    "only the first term": ([(RULE, "self.grad += out.grad")], "backward", "Only the first term"),
    "sign flipped": (
        [(RULE, "self.grad += p * out.grad.sum(axis=axis, keepdims=True) - out.grad")],
        "backward",
        "sign is flipped",
    ),
    "ignores out.grad": (
        [(RULE, "self.grad += 1 - p * np.ones_like(out.grad).sum(axis=axis, keepdims=True)")],
        "backward",
        "gradient of ones",
    ),
    "= instead of +=": (
        [(RULE, "self.grad = out.grad - p * out.grad.sum(axis=axis, keepdims=True)")],
        "re-use (+=)",
        "self.grad += ...",
    ),
    "rule never attached": (
        [("out._backward = _backward", "pass")],
        "backward",
        "stayed 0",
    ),
    "cycle-free form under the closure scaffold": (
        [("def _backward():", "def _backward(out):")],
        "with your backward()",
        "Your `_backward` expects an argument",
    ),
}


@pytest.mark.parametrize("label", LS_WRONG)
def test_log_softmax_rejects(label):
    edits, rule, words = LS_WRONG[label]
    cls = engine(*edits, solution=LOG_SOFTMAX)["Tensor"]
    assert_rejected(verdicts(check_log_softmax, cls), rule, words)


def test_log_softmax_stub_says_not_yet():
    ns = engine()
    exec(  # noqa: S102
        "def log_softmax(self, axis=-1):\n    raise NotImplementedError('write it')\n\n"
        "Tensor.log_softmax = log_softmax\n",
        ns,
    )
    report = check_log_softmax(ns["Tensor"], seed=0, save=False)
    assert not report
    assert "complete the stub" in str(report)


def test_the_cycle_free_form_passes_every_rule_the_checker_drives():
    cls = engine(("def _backward():", "def _backward(out):"), solution=LOG_SOFTMAX)["Tensor"]
    report = check_log_softmax(cls, seed=3, save=False)
    assert report.failed_rules == ["with your backward()"]


# --------------------------------------------------------------------------- cross-entropy
def test_cross_entropy_accepts_the_reference():
    for report in verdicts(check_cross_entropy, engine()["cross_entropy"], range(12)):
        assert report, str(report)


def test_cross_entropy_rejects_a_version_composed_of_tensor_ops_as_not_one_node():
    """The right numbers, but a graph of several nodes: the exercise is the one-node rule."""
    composed = """
def cross_entropy(logits, targets):
    n, c = logits.shape
    onehot = np.eye(c)[np.asarray(targets)]
    return (logits.log_softmax(axis=1) * onehot).sum() * (-1.0 / n)
"""
    ns = engine()
    exec(composed, ns)  # noqa: S102
    for report in verdicts(check_cross_entropy, ns["cross_entropy"]):
        assert not report, f"seed {report.seed}: a composed loss passed as one node"
        assert report.failed_rules == ["one node"], (report.failed_rules, str(report))
        text = str(report)
        assert "a graph of" in text and "log_softmax" in text, text
        assert 'Tensor(the loss, (logits,), "cross_entropy")' in text, text


CE_SHIFT = "shifted = logits.data - logits.data.max(axis=1, keepdims=True)"
CE_RULE = "logits.grad += out.grad * (p - onehot) / n"
CE_WRONG = {
    "sum instead of mean (no /N anywhere)": (
        [
            ("-logp[np.arange(n), targets].mean()", "-logp[np.arange(n), targets].sum()"),
            (CE_RULE, "logits.grad += out.grad * (p - onehot)"),
        ],
        "the loss",
        "divide by N",
    ),
    "backward without /N": (
        [(CE_RULE, "logits.grad += out.grad * (p - onehot)")],
        "the gradient",
        "Divide by N",
    ),
    "no max shift (overflows)": ([(CE_SHIFT, "shifted = logits.data")], "large scores", "largest"),
    "one max for the whole batch (a row underflows, then log 0)": (
        [(CE_SHIFT, "shifted = logits.data - logits.data.max()")],
        "large scores",
        "one max for the whole array is not enough",
    ),
    "the node forgets its input": (
        [('(logits,), "cross_entropy")', '(), "cross_entropy")')],
        "one node",
        "Give the node its input",
    ),
    "gradient = softmax, no one-hot": (
        [(CE_RULE, "logits.grad += out.grad * p / n")],
        "the gradient",
        "Subtract the one-hot",
    ),
    "softmax down the columns": (
        [
            (CE_SHIFT, "shifted = logits.data - logits.data.max(axis=0, keepdims=True)"),
            ("np.exp(shifted).sum(axis=1", "np.exp(shifted).sum(axis=0"),
        ],
        "the loss",
        "along each row",
    ),
    "sign flipped": (
        [(CE_RULE, "logits.grad += out.grad * (onehot - p) / n")],
        "the gradient",
        "sign is flipped",
    ),
    "ignores out.grad": (
        [(CE_RULE, "logits.grad += (p - onehot) / n")],
        "the gradient",
        "Multiply by out.grad",
    ),
    "= instead of +=": (
        [(CE_RULE, "logits.grad = out.grad * (p - onehot) / n")],
        "re-use (+=)",
        "logits.grad += ...",
    ),
    "rule never attached": ([("out._backward = _backward", "pass")], "the gradient", "stayed 0"),
    "returns a number, not a Tensor": (
        [("    return out", "    return float(out.data)")],
        "the loss",
        "instead of a Tensor",
    ),
}


@pytest.mark.parametrize("label", CE_WRONG)
def test_cross_entropy_rejects(label):
    edits, rule, words = CE_WRONG[label]
    fn = engine(*edits, solution=CROSS_ENTROPY)["cross_entropy"]
    assert_rejected(verdicts(check_cross_entropy, fn), rule, words)


def test_cross_entropy_finds_the_tensor_class_or_is_given_it():
    ns = engine()
    assert check_cross_entropy(ns["cross_entropy"], ns["Tensor"], seed=1, save=False)
    with pytest.raises(TypeError, match="pass it too"):
        check_cross_entropy(lambda logits, targets: None, save=False)


def test_no_warning_reaches_stderr_from_an_unstable_learner(capfd):
    fn = engine((CE_SHIFT, "shifted = logits.data"), solution=CROSS_ENTROPY)["cross_entropy"]
    assert not check_cross_entropy(fn, seed=0, save=False)
    assert capfd.readouterr().err == ""


# --------------------------------------------------------------------------- Linear
def test_linear_accepts_the_reference_and_the_same_draws_written_otherwise():
    for report in verdicts(check_linear, engine()["Linear"], range(10)):
        assert report, str(report)
    for edits in [
        [("rng.uniform(-k, k, n_out)", "rng.uniform(-k, k, (1, n_out))")],  # bias (1, n_out)
        [("rng.uniform(-k, k, (n_in, n_out))", "rng.uniform(low=-k, high=k, size=(n_in, n_out))")],
        [("rng.uniform(-k, k, (n_in, n_out))", "k * (2 * rng.random((n_in, n_out)) - 1)")],
    ]:
        for report in verdicts(check_linear, engine(*edits, solution=LINEAR)["Linear"]):
            assert report, str(report)


W_INIT = 'self.W = Tensor(rng.uniform(-k, k, (n_in, n_out)), label="W")'
B_INIT = 'self.b = Tensor(rng.uniform(-k, k, n_out), label="b")'
LINEAR_WRONG = {
    "W transposed": (
        [(W_INIT, 'self.W = Tensor(rng.uniform(-k, k, (n_out, n_in)), label="W")')],
        "parameters()",
        "W is transposed",
    ),
    "bias missing from the forward": (
        [("return x @ self.W + self.b", "return x @ self.W")],
        "forward: x @ W + b",
        "bias is missing",
    ),
    "bias not in parameters()": (
        [("return [self.W, self.b]", "return [self.W]")],
        "parameters()",
        "The bias is a parameter too",
    ),
    "weights of spread 1, not 1/sqrt(n_in)": (
        [(W_INIT, 'self.W = Tensor(rng.standard_normal((n_in, n_out)) * 10, label="W")')],
        "initial weights",
        "1/sqrt(n_in)",
    ),
    "all-zero weights": (
        [(W_INIT, 'self.W = Tensor(np.zeros((n_in, n_out)), label="W")')],
        "initial weights",
        "every output unit computes the same",
    ),
    "ignores the rng": (
        [(W_INIT, 'self.W = Tensor(np.random.uniform(-k, k, (n_in, n_out)), label="W")')],
        "initial weights",
        "from the rng you are given",
    ),
    "b drawn before W (the lesson's numbers change)": (
        [(W_INIT, "SWAPPED"), (B_INIT, W_INIT), ("SWAPPED", B_INIT)],
        "initial weights",
        "Draw W first, then b",
    ),
    "a zero bias": (
        [("rng.uniform(-k, k, n_out)", "np.zeros(n_out)")],
        "initial weights",
        "Draw b too, right after W",
    ),
    "normal, not uniform, weights": (
        [("rng.uniform(-k, k, (n_in, n_out))", "rng.standard_normal((n_in, n_out)) * k")],
        "initial weights",
        "Use exactly these draws",
    ),
    "k from n_out, not n_in": (
        [("k = 1.0 / np.sqrt(n_in)", "k = 1.0 / np.sqrt(n_out)")],
        "initial weights",
        "Use exactly these draws",
    ),
    "new Tensors from parameters()": (
        [("return [self.W, self.b]", "return [Tensor(self.W.data), Tensor(self.b.data)]")],
        "parameters()",
        "same objects every time",
    ),
    "arrays from parameters()": (
        [("return [self.W, self.b]", "return [self.W.data, self.b.data]")],
        "parameters()",
        "the layer's own Tensors",
    ),
}


@pytest.mark.parametrize("label", LINEAR_WRONG)
def test_linear_rejects(label):
    edits, rule, words = LINEAR_WRONG[label]
    cls = engine(*edits, solution=LINEAR)["Linear"]
    assert_rejected(verdicts(check_linear, cls), rule, words)


def test_linear_stub_blocks_the_other_rules():
    ns = engine()
    exec(  # noqa: S102
        "class Linear:\n    def __init__(self, n_in, n_out, rng):\n"
        "        raise NotImplementedError('make W and b')\n",
        ns,
    )
    report = check_linear(ns["Linear"], seed=0, save=False)
    assert report.failed_rules == ["Linear(n_in, n_out, rng)"]
    assert "complete the stub" in str(report)


# --------------------------------------------------------------------------- SGD
def test_sgd_accepts_the_reference_and_in_place_variants():
    for report in verdicts(check_sgd, engine()["SGD"], range(10)):
        assert report, str(report)
    for edits in [
        [("p.data -= self.lr * p.grad", "p.data = p.data - self.lr * p.grad")],
        [("p.grad = np.zeros_like(p.data)", "p.grad[...] = 0.0")],
    ]:
        for report in verdicts(check_sgd, engine(*edits, solution=SGD)["SGD"]):
            assert report, str(report)


STEP = "p.data -= self.lr * p.grad"
ZERO = "p.grad = np.zeros_like(p.data)"
SGD_WRONG = {
    "+ instead of -": ([(STEP, "p.data += self.lr * p.grad")], "step()", "against the gradient"),
    "lr ignored": ([(STEP, "p.data -= p.grad")], "step()", "learning rate"),
    "zero_grad resets a local name": (
        [(ZERO, "grad = np.zeros_like(p.data)")],
        "zero_grad()",
        "assigning to a local name",
    ),  # fmt: skip
    "zero_grad does nothing": ([(ZERO, "pass")], "zero_grad()", "did not change"),
    "zero_grad sets a plain 0": ([(ZERO, "p.grad = 0")], "zero_grad()", "not a single number"),
    "zero_grad sets None": ([(ZERO, "p.grad = None")], "zero_grad()", "array of zeros"),
    "only the first parameter": (
        [(STEP, STEP + "\n            return")],
        "step()",
        "Only the first parameter moved",
    ),
    "step updates a local name": (
        [(STEP, "data = p.data - self.lr * p.grad")],
        "step()",
        "did not move",
    ),
    "zero_grad also zeroes the data": (
        [(ZERO, ZERO + "\n            p.data = np.zeros_like(p.data)")],
        "zero_grad()",
        "the data stays",
    ),
}


@pytest.mark.parametrize("label", SGD_WRONG)
def test_sgd_rejects(label):
    edits, rule, words = SGD_WRONG[label]
    cls = engine(*edits, solution=SGD)["SGD"]
    assert_rejected(verdicts(check_sgd, cls), rule, words)


def test_sgd_a_plain_0_is_not_blamed_on_a_local_name():
    cls = engine((ZERO, "p.grad = 0"), solution=SGD)["SGD"]
    for report in verdicts(check_sgd, cls):
        assert "local name" not in str(report), str(report)


# --------------------------------------------------------------------------- the whole engine
def test_the_reference_engine_trains_the_digits_to_95_percent():
    """What lesson 09 does, in brief: the learner's engine, 15 epochs of SGD."""
    from sklearn.datasets import load_digits

    ns = engine()
    tensor, linear = ns["Tensor"], ns["Linear"]
    digits = load_digits()
    x = digits.images.reshape(len(digits.images), 64) / 16.0
    y = digits.target
    order = np.random.default_rng(0).permutation(len(x))
    test, train = order[:360], order[360:]
    rng = np.random.default_rng(0)
    layers = [linear(64, 64, rng), linear(64, 10, rng)]
    opt = ns["SGD"]([p for layer in layers for p in layer.parameters()], 0.2)

    def model(batch):
        return layers[1](layers[0](tensor(batch)).relu())

    for _ in range(15):
        shuffled = rng.permutation(train)
        for start in range(0, len(shuffled), 32):
            rows = shuffled[start : start + 32]
            loss = ns["cross_entropy"](model(x[rows]), y[rows])
            opt.zero_grad()
            loss.backward()
            opt.step()
    accuracy = float((model(x[test]).data.argmax(axis=1) == y[test]).mean())
    assert accuracy >= 0.95
