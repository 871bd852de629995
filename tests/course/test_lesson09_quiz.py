"""Lesson 09's quiz explanations are true, by running the lesson's training run and the
tensor engine: training without `zero_grad()` falls apart as the quiz says, the Try it
edits run as the list words them, leaf gradients add up over backward() calls, the
gradient of the true class is (p - 1)/N, and the numbers the test-set and start questions
quote are printed. (The generic checks of every lesson's quiz and study prompts are in
``test_quizzes.py``.)"""

from __future__ import annotations

import ast

import numpy as np
import pytest
from lesson_text import cells, outputs, source, try_it_text

from autograd.course import carry, lesson09

LESSON = "09"
MODULE = lesson09


def question(qid: str):
    return next(q for q in MODULE.QUIZ if q.id == qid)


# --------------------------------------------------------------------------- the claims
def lesson_namespace() -> dict:
    """The lesson's code run as the notebook runs it, up to the definition of ``train``
    (pictures left out), with an empty store: the reference solutions are in use."""
    namespace: dict = {}
    for cell in cells(LESSON):
        if cell.cell_type != "code" or "plt.show()" in cell.source:
            continue
        if "def train(" in cell.source:
            namespace["_train_cell"] = cell.source
            return namespace
        exec(compile(cell.source, f"<lesson {LESSON}>", "exec"), namespace)  # noqa: S102
    raise AssertionError("lesson 09 defines no train()")


def define_train(namespace: dict, *edits: tuple[str, str]) -> None:
    """Define the lesson's ``train`` (only the function, not the run after it), edited."""
    source = namespace["_train_cell"]
    (node,) = [n for n in ast.parse(source).body if isinstance(n, ast.FunctionDef)]
    code = ast.get_source_segment(source, node)
    for old, new in edits:
        assert old in code, f"edit does not apply: {old!r}"
        code = code.replace(old, new)
    exec(compile(code, f"<lesson {LESSON}: train>", "exec"), namespace)  # noqa: S102


def test_without_zero_grad_training_falls_apart_as_the_quiz_says():
    """The Try it bullet: `optimizer.zero_grad()` commented out, seed 0, 30 epochs."""
    namespace = lesson_namespace()
    define_train(namespace, ("optimizer.zero_grad()", "pass  # optimizer.zero_grad()"))
    _, history = namespace["train"](seed=0)
    losses, test_acc = history["loss"], history["test_acc"]
    log10 = np.log(10)
    assert losses[0] < log10  # "the loss falls at first"
    assert max(losses[:5]) > log10  # "within a few epochs it is above"
    assert losses[-1] > log10  # "then climbs back above log 10"
    assert test_acc[-1] < 0.15  # "the test accuracy ends near 10 %: chance"
    q = question("09.no_zero_grad")
    assert q.choices[q.answer].text == "The loss falls at first, then climbs back above log 10"


def test_the_try_it_edits_run_as_the_list_words_them():
    """Each Try it bullet works as written: the composed loss pasted into `train` (its
    `scores` and `labels` are train's own), and train's hidden=, optimizer_class=,
    train_images=/train_labels= arguments."""
    text = try_it_text(LESSON)
    composed = "(scores.log_softmax() * np.eye(10)[labels]).sum() * (-1 / len(labels))"
    assert "`loss = cross_entropy(scores, labels)`" in text and f"`loss = {composed}`" in text
    namespace = lesson_namespace()
    define_train(namespace)
    _, fused = namespace["train"](seed=0, epochs=1)
    define_train(namespace, ("loss = cross_entropy(scores, labels)", "loss = " + composed))
    _, mixed = namespace["train"](seed=0, epochs=1)
    assert mixed["nodes"] > fused["nodes"]  # "one step's graph has more nodes"
    assert abs(mixed["test_acc"][-1] - fused["test_acc"][-1]) < 0.02  # "about the same"
    assert mixed["seconds"] > 0 and 'history["seconds"]' in text
    define_train(namespace)
    train, X_train, y_train = namespace["train"], namespace["X_train"], namespace["y_train"]
    model, _ = train(seed=0, epochs=1, hidden=16)
    assert model.hidden.W.shape == (64, 16) and model.output.W.shape == (16, 10)
    assert "train(seed=0, hidden=16)" in text
    _, small = train(seed=0, epochs=2, train_images=X_train[:200], train_labels=y_train[:200])
    assert len(small["loss"]) == 2
    assert "train_images=X_train[:200], train_labels=y_train[:200], epochs=150" in text
    made = []

    class Momentum(namespace["SGD"]):
        def __init__(self, params, lr):
            super().__init__(params, lr)
            made.append(lr)

    train(seed=0, epochs=1, optimizer_class=Momentum, lr=0.05)
    assert made == [0.05] and "optimizer_class=Momentum, lr=0.05" in text


def test_leaf_gradients_accumulate_across_backward_calls():
    """What the first option of the zero_grad question misses: backward() resets only the
    intermediate nodes' gradients; the weights' (the leaves') add up."""
    namespace, _ = carry.build("tensor", "10")
    Tensor, cross_entropy = namespace["Tensor"], namespace["cross_entropy"]
    W = Tensor(np.array([[0.5, -0.2, 0.1], [0.3, 0.8, -0.4]]))
    loss = cross_entropy(Tensor(np.array([[1.0, 2.0]])) @ W, [2])
    loss.backward()
    once = W.grad.copy()
    loss.backward()
    np.testing.assert_allclose(W.grad, 2 * once)
    namespace["SGD"]([W], lr=0.1).zero_grad()
    assert isinstance(W.grad, np.ndarray) and not W.grad.any()  # zeros, not None


def test_the_gradient_of_the_true_class_is_p_minus_one_over_n():
    namespace, _ = carry.build("tensor", "10")
    Tensor, cross_entropy = namespace["Tensor"], namespace["cross_entropy"]
    n, p = 4, 0.9
    # row 0: the true class 0 gets probability 0.9, the other two share the rest
    rest = np.log((1 - p) / 2 / p)
    logits = Tensor(np.array([[0.0, rest, rest], [0.2, -0.1, 0.4], [1.0, 0.0, 0.0], [0, 0, 3]]))
    loss = cross_entropy(logits, [0, 1, 2, 0])
    loss.backward()
    probs = np.exp(logits.data) / np.exp(logits.data).sum(axis=1, keepdims=True)
    assert probs[0, 0] == pytest.approx(p)
    assert logits.grad[0, 0] == pytest.approx((p - 1) / n) == pytest.approx(-0.1 / n)
    assert logits.grad[0, 1] == pytest.approx(probs[0, 1] / n)  # a wrong class: p_i / N
    assert -np.log(p) == pytest.approx(0.105, abs=5e-4)
    assert -np.log(0.001) == pytest.approx(6.9, abs=0.05)
    # the lesson's two examples: (0.659 - 1) / 2 and 0.802 / 2
    text = outputs(LESSON)
    assert "[[-0.1705  0.1212  0.0493]" in text and "[ 0.0543  0.4012 -0.4555]]" in text
    assert (0.659 - 1) / 2 == pytest.approx(-0.1705, abs=1e-4)
    assert 0.802 / 2 == pytest.approx(0.4012, abs=2e-4)


def test_the_numbers_the_test_set_and_start_questions_quote_are_printed():
    text = outputs(LESSON)
    assert "training set: (1437, 64) float64   test set: (360, 64)" in text
    assert "after the last epoch: training accuracy 99.3%, test accuracy 97.5%" in text
    assert "before training: loss 2.30 (log 10 = 2.30), test accuracy 7.5%" in text
    assert "order = np.random.default_rng(0).permutation(len(X))" in source(LESSON).read_text()
    # the initial weights are uniform in ±1/√n_in, and both layers have 64 inputs
    namespace, _ = carry.build("tensor", "10")
    for n_in, n_out in [(64, 64), (64, 10)]:
        layer = namespace["Linear"](n_in, n_out, np.random.default_rng(0))
        assert np.abs(layer.W.data).max() <= 0.125 and np.abs(layer.b.data).max() <= 0.125
    assert 'history["train_acc"]' in source(LESSON).read_text()
