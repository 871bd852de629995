"""Lesson 10's quiz explanations are true, on lesson 10's engine and its checker: the FLOP
counts, the three nodes (each with data and grad) a layer makes and what lazy gradients
would keep, the layer forwards that checkpointing in segments reruns, and what the checker
says of a checkpoint without free_graph. (The generic checks of every lesson's quiz and
study prompts are in ``test_quizzes.py``.)"""

from __future__ import annotations

import ast
import gc
import tracemalloc

import numpy as np
from lesson_text import cells, outputs

from autograd.course import carry, lesson10
from autograd.course.lesson10 import check_checkpoint

LESSON = "10"
MODULE = lesson10


def question(qid: str):
    return next(q for q in MODULE.QUIZ if q.id == qid)


# --------------------------------------------------------------------------- the claims
CHECKPOINT = carry.reference_source("10.checkpoint")


def given(name: str) -> str:
    """The source of the function ``name`` exactly as lesson 10 gives it in a cell."""
    for cell in cells(LESSON):
        if cell.cell_type != "code":
            continue
        for node in ast.parse(cell.source).body:
            if isinstance(node, ast.FunctionDef) and node.name == name:
                return ast.get_source_segment(cell.source, node)
    raise AssertionError(f"lesson 10 gives no {name}")


def engine(*edits: tuple[str, str]) -> dict:
    """Lesson 10's engine: the tensor chain (reference), the given free_graph and mlp_flops,
    and the reference checkpoint with ``edits`` typed in."""
    namespace, _ = carry.build("tensor", "10")
    for name in ("free_graph", "matmul_flops", "mlp_flops"):
        exec(compile(given(name), f"<lesson 10: {name}>", "exec"), namespace)  # noqa: S102
    source = CHECKPOINT
    for old, new in edits:
        assert old in source, f"edit does not apply: {old!r}"
        source = source.replace(old, new)
    exec(compile(source, "<lesson 10: checkpoint>", "exec"), namespace)  # noqa: S102
    return namespace


def test_the_flop_counts_the_first_question_quotes():
    ns = engine()
    n, k, m = 3, 5, 7
    assert ns["matmul_flops"](n, k, m) == 2 * n * k * m
    # a layer after the first: its backward is two products of the forward's size
    forward, backward = ns["mlp_flops"]([4, k, m], n)
    assert backward - ns["matmul_flops"](n, 4, k) == 2 * ns["matmul_flops"](n, k, m)
    assert "deep 36 × 128, batch 128         150,994,944     297,795,584          1.97" in (
        outputs(LESSON)
    )
    # the two backward products have the shapes the explanation gives
    x, W, G = np.ones((n, k)), np.ones((k, m)), np.ones((n, m))
    assert (G @ W.T).shape == x.shape and (x.T @ G).shape == W.shape


def test_a_layer_makes_three_nodes_each_with_data_and_grad():
    ns = engine()
    Tensor, Linear = ns["Tensor"], ns["Linear"]
    x = Tensor(np.ones((4, 3)))
    out = Linear(3, 3, np.random.default_rng(0))(x).relu()
    nodes, stack = [], [out]
    while stack:
        node = stack.pop()
        if node._prev:  # made by an operation: not x, W or b
            nodes.append(node)
            stack.extend(node._prev)
    assert sorted(n._op for n in nodes) == sorted(["@", "+", "relu"])
    for node in nodes:  # the grad exists before any backward(), an array of its own
        assert isinstance(node.grad, np.ndarray) and node.grad.shape == node.data.shape
        assert node.grad is not node.data and not node.grad.any()
    assert out._prev[0].data is not None and out._prev[0]._prev[0] in nodes  # no copies
    text = outputs(LESSON)
    assert "per layer: 0.750 MiB = 6 arrays" in text
    assert "the weights' gradients alone: 4.5 MiB" in text
    assert "after del loss:     27.250 MiB" in text and "after gc.collect():  0.000 MiB" in text


def test_without_eager_gradients_a_layer_would_keep_three_arrays():
    """The lazy-grad question: a node's data stays with the graph, its grad would not exist
    yet; measured on the lesson's blocks with every non-leaf grad dropped after forward."""
    ns = engine()
    Tensor, Linear = ns["Tensor"], ns["Linear"]
    width = batch = 128
    array = width * batch * 8

    def kept_without_grads(depth: int) -> int:
        rng = np.random.default_rng(0)
        layers = [Linear(width, width, rng) for _ in range(depth)]
        x = Tensor(np.random.default_rng(1).standard_normal((batch, width)))
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        h = x
        for layer in layers:
            h = layer(h).relu()
        stack, seen = [h], set()
        while stack:  # drop every non-leaf gradient: what a lazy __init__ would not make
            node = stack.pop()
            if id(node) not in seen and node._prev:
                seen.add(id(node))
                node.grad = None
                stack.extend(node._prev)
        kept = tracemalloc.get_traced_memory()[0] - base
        tracemalloc.stop()
        ns["free_graph"](h)
        return kept // array

    assert (kept_without_grads(8) - kept_without_grads(4)) / 4 == 3
    q = question("10.lazy_grad")
    assert q.choices[q.answer].text.startswith("Three")
    assert "per layer: 0.750 MiB = 6 arrays" in outputs(LESSON)


def test_one_hundred_layers_in_segments_of_ten_run_two_hundred_layer_forwards():
    ns = engine()
    Tensor, Linear, checkpoint = ns["Tensor"], ns["Linear"], ns["checkpoint"]
    rng = np.random.default_rng(0)
    layers = [Linear(3, 3, rng) for _ in range(100)]
    runs = [0]

    def segment(part):
        def fn(h):
            for layer in part:
                runs[0] += 1
                h = layer(h).relu()
            return h

        return fn

    h = Tensor(rng.standard_normal((2, 3)))
    for start in range(0, 100, 10):
        h = checkpoint(segment(layers[start : start + 10]), h)
    assert runs[0] == 100
    h.sum().backward()
    assert runs[0] == 200
    assert "every layer             9.250 MiB 10.375 MiB          72" in outputs(LESSON)


def test_without_free_graph_the_checker_names_the_activations_as_the_quiz_says():
    """The Try it bullet: both free_graph calls removed from checkpoint."""
    ns = engine(("    free_graph(y)  #", "    #"), ("        free_graph(y_again)", "        pass"))
    gc.collect()
    report = check_checkpoint(ns["checkpoint"], seed=0, save=False)
    assert report.failed_rules == ["frees fn's activations"]
    text = str(report)
    assert "✓ output" in text and "✓ gradients" in text and "✓ recomputes fn" in text
    assert "still existed" in text and "garbage collector" in text
    assert "free_graph(y)" in text
    q = question("10.no_free_graph")
    assert q.choices[q.answer].text.startswith('It fails "frees fn\'s activations"')
    for c in q.choices:
        if c.text.startswith('It fails "'):
            assert c.text.split('"')[1] in report.rules
