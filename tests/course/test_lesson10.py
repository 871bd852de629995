"""check_checkpoint (lesson 10) accepts the reference checkpoint (and a right variant) on many
seeds, and rejects every plausible wrong one, naming the broken rule with a useful hint.

The learner's engine is rebuilt as lesson 10 has it: the tensor chain of lessons 08-09
(``carry.build``, the reference solutions), the lesson's given ``free_graph`` (taken from the
lesson's own cell), then ``checkpoint``, the reference solution with one mistake typed in.
"""

from __future__ import annotations

import ast
from pathlib import Path

import jupytext
import pytest

from autograd.course import carry
from autograd.course.lesson10 import EXERCISES, check_checkpoint

ROOT = Path(__file__).resolve().parents[2]
SEEDS = range(4)
CHECKPOINT = carry.reference_source("10.checkpoint")


def given_free_graph() -> str:
    """The source of ``free_graph`` exactly as lesson 10 gives it."""
    (source,) = sorted((ROOT / "lessons").glob("10_*.py"))
    for cell in jupytext.read(source, fmt="py:percent").cells:
        if cell.cell_type != "code":
            continue
        for node in ast.parse(cell.source).body:
            if isinstance(node, ast.FunctionDef) and node.name == "free_graph":
                return ast.get_source_segment(cell.source, node)
    raise AssertionError("lesson 10 gives no free_graph")


FREE_GRAPH = given_free_graph()


def engine(*edits: tuple[str, str], source: str = CHECKPOINT) -> dict:
    namespace, _ = carry.build("tensor", "10")
    exec(compile(FREE_GRAPH, "<lesson 10: free_graph>", "exec"), namespace)  # noqa: S102
    for old, new in edits:
        assert old in source, f"edit does not apply: {old!r}"
        source = source.replace(old, new)
    exec(compile(source, "<lesson 10: checkpoint>", "exec"), namespace)  # noqa: S102
    return namespace


def test_the_exercise_is_registered_outside_the_chain():
    (ex,) = EXERCISES
    assert (ex.id, ex.chain, ex.provides) == ("10.checkpoint", None, ("checkpoint",))


def test_accepts_the_reference():
    fn = engine()["checkpoint"]
    for seed in range(8):
        report = check_checkpoint(fn, seed=seed, save=False)
        assert report, str(report)


def test_accepts_a_version_that_runs_the_garbage_collector_instead_of_free_graph():
    import gc

    slow = "import gc\n" + CHECKPOINT.replace(
        "    free_graph(y)  #", "    del y\n    gc.collect()  #"
    ).replace("        free_graph(y_again)", "        del y_again\n        gc.collect()")
    fn = engine(source=slow)["checkpoint"]
    gc.collect()
    gc.freeze()  # the test process's objects out of the way: each collection is quick
    try:
        report = check_checkpoint(fn, seed=0, save=False)
    finally:
        gc.unfreeze()
    assert report, str(report)


WRONG = {
    "recomputes nothing, keeps the activations": (
        "def checkpoint(fn, x):\n    return fn(x)\n",
        [],
        ["recomputes fn", "frees fn's activations"],
        "Something still refers to fn's graph",
    ),
    "detached output, no grad path": (
        "def checkpoint(fn, x):\n    y = fn(Tensor(x.data))\n    free_graph(y)\n"
        "    return Tensor(y.data)\n",
        [],
        ["gradients", "recomputes fn"],
        "No gradient reached the weights",
    ),
    "backward with a seed of ones (wrong gradients)": (
        CHECKPOINT,
        [("y_again.backward(out.grad)", "y_again.backward()")],
        ["gradients"],
        "out.grad of ones",
    ),
    "x's gradient added twice (double counting)": (
        CHECKPOINT,
        [("x.grad += x_again.grad", "x.grad += x_again.grad\n        x.grad += x_again.grad")],
        ["gradients"],
        "Twice the right gradient",
    ),
    "replayed graph backpropagated twice (double counting)": (
        CHECKPOINT,
        [
            (
                "        y_again.backward(out.grad)",
                "        y_again.backward(out.grad)\n        y_again.backward(out.grad)",
            )
        ],
        ["gradients"],
        "Twice the right gradient",
    ),
    "x's gradient assigned, not added (x used twice loses a share)": (
        CHECKPOINT,
        [("x.grad += x_again.grad", "x.grad = x_again.grad")],
        ["gradients"],
        "x.grad += x_again.grad, not x.grad = x_again.grad",
    ),
    "input's gradient not passed on": (
        CHECKPOINT,
        [("        x.grad += x_again.grad", "")],
        ["gradients"],
        "x.grad += x_again.grad",
    ),
    "forward on x itself: free_graph cuts x's graph": (
        CHECKPOINT,
        [("y = fn(Tensor(x.data))", "y = fn(x)")],
        ["gradients", "recomputes fn"],
        "fresh leaf",
    ),
    "replay on x itself (nested backward)": (
        CHECKPOINT,
        [("y_again = fn(x_again)", "y_again = fn(x)"), ("        x.grad += x_again.grad", "")],
        ["peak memory"],
        "More than without checkpointing",
    ),
    "fn's graph left to the garbage collector": (
        CHECKPOINT,
        [("    free_graph(y)  #", "    pass  #")],
        ["frees fn's activations"],
        "free_graph(y)",
    ),
    "replayed graph left to the garbage collector": (
        CHECKPOINT,
        [("        free_graph(y_again)", "        pass")],
        ["frees fn's activations"],
        "free_graph(y_again)",
    ),
    "keeps y alive on the node": (
        CHECKPOINT,
        [("    out._backward = _backward", "    out._backward = _backward\n    out.kept = y")],
        ["frees fn's activations"],
        "not y itself",
    ),
    "fn run twice in the forward": (
        CHECKPOINT,
        [("    y = fn(Tensor(x.data))", "    fn(Tensor(x.data))\n    y = fn(Tensor(x.data))")],
        ["recomputes fn", "frees fn's activations"],
        "exactly once",
    ),
    "cycle-free rule under the closure scaffold": (
        CHECKPOINT,
        [("def _backward():", "def _backward(out):")],
        ["with your backward()"],
        "Your `_backward` expects an argument",
    ),
}


@pytest.mark.parametrize("label", WRONG)
def test_rejects(label):
    source, edits, rules, words = WRONG[label]
    fn = engine(*edits, source=source)["checkpoint"]
    for seed in SEEDS:
        report = check_checkpoint(fn, seed=seed, save=False)
        assert not report, f"seed {seed}: accepted {label}"
        assert report.failed_rules == rules, (seed, report.failed_rules, str(report))
        assert words in str(report), (seed, str(report))


def test_the_stub_says_not_yet():
    stub = 'def checkpoint(fn, x):\n    raise NotImplementedError("write checkpoint(fn, x)")\n'
    report = check_checkpoint(engine(source=stub)["checkpoint"], seed=0, save=False)
    assert not report
    assert report.failed_rules == ["output"]
    assert "complete the stub" in str(report)


def test_finds_the_tensor_class_or_is_given_it():
    ns = engine()
    assert check_checkpoint(ns["checkpoint"], ns["Tensor"], seed=0, save=False)
    with pytest.raises(TypeError, match="pass it too"):
        check_checkpoint(lambda fn, x: fn(x), save=False)


def test_leaves_the_garbage_collector_as_it_found_it():
    import gc

    fn = engine(("    free_graph(y)  #", "    pass  #"))["checkpoint"]
    assert gc.isenabled()
    check_checkpoint(fn, seed=0, save=False)
    assert gc.isenabled()
