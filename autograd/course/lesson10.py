"""Lesson 10 · Memory and compute: the checker of the learner's gradient checkpointing.

==================  =================================  =====================================
id                  checker                            provides
==================  =================================  =====================================
``10.checkpoint``   ``check_checkpoint(checkpoint)``   ``checkpoint(fn, x)`` on the learner's
                                                       ``Tensor`` (``chain=None``: the last
                                                       lesson, nothing loads it later)
==================  =================================  =====================================

``checkpoint(fn, x)`` must give ``fn(x)`` as one node that keeps **none** of the arrays
``fn`` computes on the way (the *activations*), and recompute them during backward. The
checker builds small networks of blocks ``relu(h @ W + b)`` with your ``Tensor``, runs them
once plainly and once with every block checkpointed, and judges

* **output**: the checkpointed result equals ``fn(x)``;
* **gradients**: the input's and every weight's gradient equal those of the plain network
  (with a random gradient arriving at the output, for an input that is a leaf, for one
  computed by earlier operations, and for an input used twice, ``checkpoint(fn, x) + x``,
  whose gradient must collect both uses), through the checker's own backward sweep and
  through your class's ``backward()``;
* **recomputation**: each block runs exactly twice (once forward, once in backward);
* **activations freed**: right after ``checkpoint`` returns, and after backward, the
  intermediate Tensors made inside ``fn`` no longer exist (watched with ``weakref``, with
  Python's garbage collector switched off, so a graph that only the collector could free
  counts as kept);
* **peak memory** (``tracemalloc``) of forward + backward on a deeper network is clearly
  lower than without checkpointing.

The module also holds the lesson's quiz (``QUIZ``, shown by ``quiz("10")``) and the context of
its AI study prompts (``STUDY``, shown by ``study_with_ai("10")``), whose first prompt asks
about the memory/compute trade-off of backpropagation and gradient checkpointing.
"""

from __future__ import annotations

import gc
import tracemalloc
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

import numpy as np

from .carry import finish
from .lesson09 import find_tensor, is_tensor, strict_floats
from .quizbank import Choice, Question
from .registry import Exercise
from .report import CheckReport, ReportBuilder, error_failure, signature_hint
from .study import Study
from .tensor_rules import allclose, mismatch, new_seed, random_array, sweep, topological

__all__ = ["check_checkpoint"]

EXERCISES = [
    Exercise("10.checkpoint", "gradient checkpointing", "check_checkpoint",
             provides=("checkpoint",)),
]  # fmt: skip

PEAK_RATIO = 0.75  # the checkpointed peak must be below this fraction of the plain one


@contextmanager
def collector_off() -> Iterator[None]:
    """Python's cyclic garbage collector off: only reference counting frees objects."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def release(root: Any) -> None:
    """Break the reference cycles of a graph the checker is done with (every closure rule
    refers back to its node), so reference counting frees it without the collector."""
    for node in topological(root):
        node._backward = None


class _Net:
    """Blocks ``relu(h @ W_i + b_i)`` of width ``d``, made with the learner's Tensor; each
    call of a block is counted, and weak references to its intermediate Tensors kept."""

    def __init__(self, cls: type, rng: np.random.Generator, depth: int, d: int) -> None:
        self.cls = cls
        self.weights = [
            (cls(random_array(rng, (d, d)) / np.sqrt(d)), cls(random_array(rng, (d,)) * 0.1))
            for _ in range(depth)
        ]
        self.calls = [0] * depth
        self.inside: list[list[weakref.ref]] = []  # one list per call

    def block(self, i: int) -> Callable[[Any], Any]:
        w, b = self.weights[i]

        def fn(t: Any) -> Any:
            self.calls[i] += 1
            a = t @ w
            z = a + b
            self.inside.append([_weakref(a), _weakref(z)])
            return z.relu()

        fn.__name__ = f"block{i + 1}"
        return fn

    def params(self) -> list[Any]:
        return [p for pair in self.weights for p in pair]

    def zero(self) -> None:
        for p in self.params():
            p.grad = np.zeros_like(p.data)
        self.calls = [0] * len(self.calls)
        self.inside = []

    def alive(self, calls: list[list[weakref.ref]]) -> int:
        return sum(1 for refs in calls for r in refs if r is not None and r() is not None)


def _weakref(x: Any) -> weakref.ref | None:
    try:
        return weakref.ref(x)
    except TypeError:  # a class with __slots__ and no __weakref__: cannot be watched
        return None


def _plain(net: _Net, h: Any) -> Any:
    for i in range(len(net.weights)):
        h = net.block(i)(h)
    return h


def _checkpointed(net: _Net, checkpoint: Callable[..., Any], h: Any) -> Any:
    for i in range(len(net.weights)):
        h = checkpoint(net.block(i), h)
    return h


def _inputs(
    cls: type, case: str, x0: np.ndarray, m: np.ndarray
) -> tuple[Any, list[tuple[str, Any]]]:
    """The network's input x, and the leaves whose gradients are compared."""
    if case == "leaf":
        x = cls(x0.copy())
        return x, [("x", x)]
    leaf, mat = cls(x0.copy()), cls(m.copy())
    return leaf @ mat, [("x0", leaf), ("M", mat)]


def _gradient_hint(
    name: str,
    g: np.ndarray | None,
    e: np.ndarray,
    e1: np.ndarray,
    good_block: bool,
    case: str,
    replayed: list[int],
) -> str:
    """The likely mistake behind a wrong gradient (``e1``: the gradient for a seed of ones;
    ``good_block``: a block nearer the output got the right gradients; ``replayed``: how
    often each block ran during backward)."""
    weight = name[0] in "Wb"
    if g is None:
        return f"{name}.grad is None: your Tensor's gradients are arrays (zeros to start)."
    if np.allclose(g, 0.0):
        if weight and good_block and replayed[int(name[1:]) - 1] > 0:
            return (
                "The gradient did not pass from one block back to the one before it: its "
                "replay ran, but with nothing arriving. Add the replay's input gradient into "
                "x's: x.grad += x_again.grad."
            )
        if weight and good_block:
            return (
                "The gradient stopped between two checkpointed blocks: the rule of the earlier "
                "block's node never ran. Did free_graph(y) reach into x's graph? Run fn on a "
                "fresh leaf, Tensor(x.data), in the forward too, so the graph you free ends "
                "there."
            )
        if weight:
            return (
                "No gradient reached the weights inside fn: the node checkpoint returns needs "
                "x in its _prev and a _backward that runs fn again and backpropagates out.grad "
                "through it: y_again.backward(out.grad)."
            )
        if case == "computed" and name != "x":
            return (
                "The gradient stopped at x: did free_graph reach x's own graph? Run fn on a "
                "fresh leaf, Tensor(x.data), in the forward too, so the graph you free ends there."
            )
        return "Pass the input's gradient on: x.grad += x_again.grad."
    if np.allclose(g, 2 * e):
        return (
            "Twice the right gradient: something is counted twice. Replay fn on a fresh "
            "leaf, x_again = Tensor(x.data), backpropagate once, and add x_again.grad into "
            "x.grad once."
        )
    if allclose(g, e1) and not allclose(e1, e):
        return (
            "These are the gradients for an out.grad of ones: backpropagate the gradient "
            "that arrived, y_again.backward(out.grad)."
        )
    if not weight:
        return (
            "The input's gradient is off: replay fn on a fresh leaf Tensor(x.data), not on x "
            "itself (backward() from y_again would also run x's own graph and reset its "
            "gradients), then add x_again.grad into x.grad."
        )
    return "Replay fn on a fresh leaf and backpropagate out.grad through it, once."


def _check_reuse(cls: type, checkpoint: Callable[..., Any], rng: np.random.Generator,
                 grads: Any) -> None:  # fmt: skip
    """x used twice, ``y = checkpoint(block, x) + x``: x's gradient must be the sum of both
    uses (the checkpoint's share is *added* into x.grad, not assigned)."""
    d, n = int(rng.integers(3, 6)), int(rng.integers(2, 5))
    net = _Net(cls, rng, 1, d)
    x0, v = random_array(rng, (n, d)), random_array(rng, (n, d))
    where = "for y = checkpoint(block, x) + x (x used twice, x a leaf)"
    with strict_floats():
        net.zero()
        x = cls(x0.copy())
        y = _plain(net, x) + x
        sweep(y, v)
        expected = np.array(x.grad)  # both uses
        release(y)
        net.zero()
        x = cls(x0.copy())
        y = _plain(net, x)
        sweep(y, v)
        through_block = np.array(x.grad)  # the checkpoint's share alone
        release(y)
    net.zero()
    x = cls(x0.copy())
    try:
        with strict_floats(), collector_off():
            y = checkpoint(net.block(0), x) + x
            sweep(y, v)
    except Exception as exc:
        grads.error(f"backpropagating {where}", exc)
        return
    got = x.grad
    if allclose(got, through_block):
        hint = (
            "Only the checkpoint's share arrived: the gradient of x's other use (the + x) was "
            "overwritten. Add the replay's input gradient into x's, x.grad += x_again.grad, "
            "not x.grad = x_again.grad."
        )
    elif allclose(got, v):
        hint = "The checkpoint's share is missing: add it into x.grad, x.grad += x_again.grad."
    else:
        hint = (
            "x's gradient is the sum of its two uses: out.grad from + x, and the checkpoint's "
            "share, x.grad += x_again.grad."
        )
    grads.check(
        allclose(got, expected),
        f"{where} and a random gradient at the output: "
        + mismatch("x.grad", got, expected, "the sum of both uses"),
        hint,
    )
    release(y)


def _peak(run: Callable[[], Any]) -> int:
    """Bytes allocated at the peak of ``run()`` above what was in use when it started."""
    started = tracemalloc.is_tracing()
    if not started:
        tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    try:
        result = run()
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        if not started:
            tracemalloc.stop()
    del result
    return peak


def check_checkpoint(
    checkpoint: Callable[..., Any],
    tensor_cls: type | None = None,
    *,
    seed: int | None = None,
    save: bool = True,
) -> CheckReport:
    """Check lesson 10's ``checkpoint(fn, x)`` on your ``Tensor``: the same output and the
    same gradients as ``fn(x)``, ``fn`` run again during backward, its activations freed at
    once, and a lower peak memory (see the module docstring for how each is judged)."""
    if not callable(checkpoint):
        raise TypeError("check_checkpoint needs your function: check_checkpoint(checkpoint)")
    cls = find_tensor(checkpoint, tensor_cls, "check_checkpoint")
    seed = new_seed(seed)
    rng = np.random.default_rng(seed)
    b = ReportBuilder(
        "gradient checkpointing",
        "your checkpoint gives the same gradients, recomputes fn and frees its activations.",
        seed,
    )
    output, grads, recompute = b.rule("output"), b.rule("gradients"), b.rule("recomputes fn")
    freed, memory, own = b.rule("frees fn's activations"), b.rule("peak memory"), \
        b.rule("with your backward()")  # fmt: skip

    def give_up(by: str, *rules: Any) -> CheckReport:
        for r in rules:
            r.blocked(by=by)
        return finish("10.checkpoint", b.build(), {"checkpoint": checkpoint}, save=save)

    # ---- two small networks: the input a leaf, then the input computed from a leaf
    for case in ("leaf", "computed"):
        depth, d, n = 3, int(rng.integers(3, 6)), int(rng.integers(2, 5))
        net = _Net(cls, rng, depth, d)
        x0 = random_array(rng, (n, d))
        m = random_array(rng, (d, d)) / np.sqrt(d)
        v = random_array(rng, (n, d))

        inputs = partial(_inputs, cls, case, x0, m)
        where = (
            "for 3 blocks relu(h @ W + b), each checkpointed, on an input x that is a leaf"
            if case == "leaf"
            else "for 3 checkpointed blocks on an input x = x0 @ M (computed, not a leaf)"
        )
        # the plain network: what the gradients must be
        with strict_floats():
            net.zero()
            x, leaves = inputs()
            y = _plain(net, x)
            sweep(y, v)
            expected_out = np.array(y.data)
            expected = [(name, np.array(t.grad)) for name, t in leaves] + [
                (f"{'W' if k % 2 == 0 else 'b'}{k // 2 + 1}", np.array(p.grad))
                for k, p in enumerate(net.params())
            ]
            release(y)
            net.zero()
            x, leaves = inputs()
            y = _plain(net, x)
            sweep(y, np.ones_like(v))
            expected_ones = [np.array(t.grad) for _, t in leaves] + [
                np.array(p.grad) for p in net.params()
            ]
            release(y)
        # yours
        net.zero()
        x, leaves = inputs()
        try:
            with strict_floats(), collector_off():
                out = _checkpointed(net, checkpoint, x)
                forward_calls = list(net.calls)
                alive_after_forward = net.alive(net.inside)
                forward_refs = list(net.inside)
        except Exception as exc:
            output.error(f"running checkpoint(block, h) {where}", exc)
            return give_up("output", grads, recompute, freed, memory, own)
        if not is_tensor(out):
            output.check(False, f"{where}: checkpoint returned {type(out).__name__}, not a Tensor",
                         "Return a new Tensor of your class that holds fn's result.",
                         kind="error")  # fmt: skip
            return give_up("output", grads, recompute, freed, memory, own)
        if not output.check(
            allclose(out.data, expected_out),
            f"{where}: "
            + mismatch("the output", out.data, expected_out, "fn(x) without checkpoint"),
            "checkpoint(fn, x) must hold exactly fn(x)'s numbers: Tensor(y.data, ...).",
            kind="data",
        ):
            return give_up("output", grads, recompute, freed, memory, own)
        # activations right after the forward
        if alive_after_forward:
            gc.collect(1)  # the young generations: where the just-made cycles are
            by_collector = net.alive(forward_refs) == 0
            freed.check(
                False,
                f"{where}: after checkpoint returned, {alive_after_forward} of the "
                f"{sum(len(r) for r in forward_refs)} intermediate Tensors made inside fn "
                "still existed",
                "They were freed only when the garbage collector ran: your Tensor's nodes are "
                "reference cycles (each closure rule refers back to its node, lesson 05), so "
                "dropping the graph is not enough. Break the cycles: free_graph(y)."
                if by_collector
                else "Something still refers to fn's graph: the new node may keep x and y.data "
                "(the array), but not y itself, nor anything in y's graph.",
            )
        else:
            freed.check(True)
        # backward
        before = len(net.inside)
        try:
            with strict_floats(), collector_off():
                sweep(out, v)
                replays = net.inside[before:]
                alive_after_backward = net.alive(replays)
        except Exception as exc:
            grads.error(f"backpropagating through the checkpointed blocks {where}", exc)
            return give_up("gradients", recompute, memory, own)
        got = [np.array(t.grad) if t.grad is not None else None for _, t in leaves] + [
            np.array(p.grad) if p.grad is not None else None for p in net.params()
        ]
        calls = list(net.calls)
        replayed = [c - f for c, f in zip(calls, forward_calls, strict=True)]
        # compare from the output backwards (last block's W and b first, the input last), so
        # the first difference named is where the gradient first goes wrong
        rows = list(zip(expected, got, expected_ones, strict=True))
        order = rows[len(leaves) :][::-1]
        order = [r for pair in zip(order[1::2], order[0::2], strict=True) for r in pair]
        order += rows[: len(leaves)]
        good_block = False  # did a block after this one get the right gradients?
        for (name, e), g, e1 in order:
            if allclose(g, e):
                grads.check(True)
                good_block = good_block or name[0] in "Wb"
                continue
            grads.check(
                False,
                f"{where} and a random gradient at the output: "
                + mismatch(f"{name}.grad", g, e, "as without checkpoint"),
                _gradient_hint(name, g, e, e1, good_block, case, replayed),
            )
            break
        # recomputation: once forward, once backward
        recompute.check(
            forward_calls == [1] * depth and calls == [2] * depth,
            f"{where}: the blocks ran {forward_calls} times during the forward pass and "
            f"{replayed} times during "
            "backward; expected once each time",
            "Forward: run fn once, without keeping its graph. Backward: run it once more "
            "(that is the recomputation), on a fresh leaf, and backpropagate through it."
            if sum(calls) < 2 * depth
            else "Run fn exactly once in the forward and once in the backward rule.",
        )
        # the replayed graphs must go too
        if alive_after_backward:
            gc.collect(1)  # the young generations: where the just-made cycles are
            by_collector = net.alive(replays) == 0
            freed.check(
                False,
                f"{where}: after backward, {alive_after_backward} intermediate Tensors of the "
                "replayed blocks still existed",
                "The replayed graph is a graph of cycles too: free it at the end of the rule, "
                "free_graph(y_again)."
                if by_collector
                else "Something still refers to the replayed graph: do not keep y_again.",
            )
        else:
            freed.check(True)
        release(out)

    # ---- an input used twice: y = checkpoint(block, x) + x
    if grads.ok:
        _check_reuse(cls, checkpoint, rng, grads)

    # ---- your class's own backward(): a loss on top, loss.backward()
    if not grads.ok:
        own.blocked(by="gradients")
        memory.blocked(by="gradients")
        return finish("10.checkpoint", b.build(), {"checkpoint": checkpoint}, save=save)
    depth, d, n = 3, 4, 3
    net = _Net(cls, rng, depth, d)
    x0 = random_array(rng, (n, d))
    with strict_floats():
        net.zero()
        y = _plain(net, cls(x0.copy()))
        loss = (y * y).sum()
        loss.backward()
        expected_w = [np.array(p.grad) for p in net.params()]
        release(loss)
    net.zero()
    try:
        with strict_floats():
            y = _checkpointed(net, checkpoint, cls(x0.copy()))
            loss = (y * y).sum()
            loss.backward()
    except TypeError as exc:
        text = str(exc)
        hint = signature_hint(text) if "_backward" in text else ""
        f = error_failure("with your backward()", "running loss.backward()", exc, hint=hint)
        own.check(False, f.message, f.hint, kind="error")
    except Exception as exc:
        f = error_failure("with your backward()", "running loss.backward()", exc)
        own.check(False, f.message, f.hint, kind="error")
    else:
        w_grad = net.params()[0].grad
        own.check(
            all(allclose(p.grad, e) for p, e in zip(net.params(), expected_w, strict=True)),
            "after loss = (y * y).sum(); loss.backward() through 3 checkpointed blocks: "
            + mismatch("W1.grad", w_grad, expected_w[0], "as without checkpoint"),
            "The checkpoint passes when the checker runs the rules, but not through your "
            "class's backward().",
        )
        release(loss)

    # ---- peak memory on a deeper network
    if not freed.ok:
        memory.blocked(by="frees fn's activations")
        return finish("10.checkpoint", b.build(), {"checkpoint": checkpoint}, save=save)
    depth, d, n = 10, 96, 64
    net = _Net(cls, rng, depth, d)
    x0 = random_array(rng, (n, d))
    v = random_array(rng, (n, d))

    def step(use_checkpoint: bool) -> None:
        net.zero()
        x = cls(x0.copy())
        y = _checkpointed(net, checkpoint, x) if use_checkpoint else _plain(net, x)
        sweep(y, v)
        release(y)

    try:
        with strict_floats(), collector_off():
            plain = _peak(lambda: step(False))
            mine = _peak(lambda: step(True))
    except Exception as exc:
        memory.error(f"measuring the peak memory of {depth} checkpointed blocks", exc)
    else:
        kib = 1024
        memory.check(
            mine <= PEAK_RATIO * plain,
            f"forward + backward through {depth} blocks of width {d} (batch {n}): peak "
            f"{mine / kib:.0f} KiB with your checkpoint, {plain / kib:.0f} KiB without; "
            f"expected at most {PEAK_RATIO:.0%} of it",
            "More than without checkpointing: the replays are alive all at once. Replay fn on "
            "a fresh leaf, Tensor(x.data): backward() from a replay on x itself runs the "
            "earlier blocks' rules (and their replays) inside this one."
            if mine > plain
            else "Keep only each block's output: the forward runs fn without keeping its graph "
            "(free it with free_graph), and the backward rule frees the replayed one.",
        )
    return finish("10.checkpoint", b.build(), {"checkpoint": checkpoint}, save=save)


# --------------------------------------------------------------------------- the quiz
QUIZ = [
    Question(
        "10.backward_flops",
        "A layer computes `x @ W` with x of shape (n, k) and W of shape (k, m), and both need "
        "gradients. How many FLOPs do the matrix products of its backward pass take?",
        [
            Choice(
                "2nkm",
                "That is the forward product, counted once. Backward needs two products of "
                "that size: G @ W.T ((n×m) times (m×k)) for x, and x.T @ G ((k×n) times (n×m)) "
                "for W, 2nkm each. Only a first layer, whose x is data, could skip one.",
            ),
            Choice(
                "nkm",
                "nkm counts the multiplications of one product. Each of them comes with an "
                "addition (2nkm FLOPs per product), and backward needs two products, "
                "G @ W.T and x.T @ G.",
            ),
            Choice(
                "2nk + 2km",
                "nk and km are the sizes of the two gradients, not the work to compute them: "
                "each of the n·k numbers of dL/dx is a sum of m products. Each gradient "
                "takes a whole product, 2nkm.",
            ),
            Choice(
                "4nkm",
                "Two products the size of the forward one: G @ W.T gives dL/dx and x.T @ G "
                "gives dL/dW, 2nkm each. So backward ≈ 2 × forward: 1.97 T for the lesson's "
                "deep network, whose first layer skips dL/dx (its x is data).",
            ),
        ],
        answer=3,
    ),
    Question(
        "10.lazy_grad",
        "Your `Tensor.__init__` gives every node its gradient at once, "
        "`np.zeros_like(data)`. Suppose it made the gradient only when backward first adds "
        "into it. How many (128, 128) arrays per layer would the lesson's deep network then "
        "keep after the forward pass?",
        [
            Choice(
                "Six: the gradients come back during backward anyway",
                '"Kept after forward" is measured when forward returns, before backward '
                "starts: a gradient that is made only during backward does not exist yet. What "
                "is left per layer is the data of its three nodes.",
            ),
            Choice(
                "Three: the data of the layer's three nodes",
                "Each layer makes three nodes (`x @ W`, `+ b`, `relu`) and keeps each one's "
                "data until backward: the rules read them (`@` its inputs, `relu` its input), "
                "and every node refers to its inputs through `_prev`. Of the six arrays the "
                "lesson measured (0.750 MiB), the three gradients would be gone: 3 arrays.",
            ),
            Choice(
                "None: nothing is kept until backward needs it",
                "Backward needs the forward's numbers and cannot get them back without "
                "computing them again. Keeping (almost) nothing and recomputing is what "
                "checkpointing does, at the price of an extra forward pass; a plain graph keeps "
                "every node's data.",
            ),
            Choice(
                "One: only the layer's output, the relu",
                "The relu node refers to its input (the `+ b` node) through `_prev`, and that "
                "one to `x @ W`: as long as the graph lives, all three nodes of the layer live, "
                "each with its data. Keeping only each layer's output is what a checkpoint per "
                "layer does.",
            ),
        ],
        answer=1,
    ),
    Question(
        "10.recompute",
        "A 100-layer network is checkpointed in segments of 10 layers (√100). How many layer "
        "forwards does one training step run?",
        [
            Choice(
                "100",
                "That would be checkpointing that recomputes nothing. The activations inside "
                "each segment were thrown away in the forward pass, so backward must compute "
                "them again: every layer runs a second time.",
            ),
            Choice(
                "110",
                "That is one extra run per segment, as if only the checkpoints were "
                "recomputed. A checkpoint's rule replays its whole segment, all 10 layers, to "
                "get their activations back: 100 extra layer runs, not 10.",
            ),
            Choice(
                "200",
                "Each layer runs once in the forward pass and once more when backward replays "
                "its segment: one extra forward pass in all (the lesson's 36 layers: 72 block "
                "runs instead of 36). With backward ≈ 2T, a step goes from 3T to 4T FLOPs.",
            ),
            Choice(
                "1,000",
                "That replays a segment once for each of its 10 layers. A checkpoint's rule "
                "replays its segment once, then backpropagates through the whole replayed "
                "graph in one go: each layer runs exactly twice (the checker counts it).",
            ),
        ],
        answer=2,
    ),
    Question(
        "10.no_free_graph",
        "From the Try it list: you remove both `free_graph` calls from your `checkpoint` and "
        "run `check_checkpoint` on it. What does the report say?",
        [
            Choice(
                'It fails "frees fn\'s activations": they outlive the call',
                "Each node of fn's graph is a reference cycle (its closure rule refers back to "
                "it), so dropping y frees nothing until the garbage collector runs. The "
                "checker, with the collector off, finds the Tensors made inside fn still "
                "alive after checkpoint returns, and hints: free_graph(y).",
            ),
            Choice(
                "It passes: Python frees fn's graph when y goes away",
                "Reference counting frees an object once nothing refers to it, but every node "
                "of your Tensor is referred to by its own closure rule: a cycle. In the "
                "lesson, `del loss` freed nothing until gc.collect(). The activations stay, "
                "and the checker sees them.",
            ),
            Choice(
                'It fails "gradients": the replay\'s gradients count twice',
                "free_graph only sets each node's _backward to None once the numbers are "
                "computed; it changes no number. Without it the output and every gradient "
                "still match the plain network: the copy is right, just wasteful.",
            ),
            Choice(
                'It fails "recomputes fn": the kept graph is reused',
                "The rule calls fn again whatever became of the first graph, so each block "
                "still runs exactly twice. Keeping the first graph does not make the rule "
                "reuse it: it just sits in memory.",
            ),
        ],
        answer=0,
        try_it=True,
    ),
]

# --------------------------------------------------------------------------- study with an AI
STUDY = Study(
    goals=[
        "count the FLOPs of a forward and a backward pass, and see why backward costs about "
        "2× the forward",
        "measure how memory grows with depth, and know what fills it: the saved activations, "
        "the arrays the forward pass computes on the way (and, in your `Tensor`, their "
        "gradients)",
        "see why a graph of your `Tensor` outlives its last use, and free it at once",
        "write gradient checkpointing, `checkpoint(fn, x)`, yourself: store less, recompute "
        "more, and compare three strategies by memory, by counted work and by the clock",
        "confirm that checkpointing changes nothing about the gradients",
    ],
    formulas=[
        "(n×k) @ (k×m) costs 2·n·k·m FLOPs: n·m results, each k multiplications and k additions",
        "backward of y = x @ W: dL/dx = G @ W.T and dL/dW = x.T @ G, two products of the "
        "forward's size, so backward ≈ 2T when the forward costs T",
        "memory kept for backward grows linearly with depth and batch size: every node keeps "
        "its data (and, in this Tensor, its grad) until backward() has used it",
        "checkpointing: keep only the segments' inputs, replay each segment during backward: "
        "one extra forward pass, 3T → 4T FLOPs per step (+33 %)",
        "n layers in segments of k: peak ≈ a·n/k + b·k, smallest at k = √(a·n/b); √n when a = b",
    ],
    demo=(
        "A deep network of 36 layers of 128 units (your Linear + relu, batch 128), whose "
        "backward pass counts 1.97 T FLOPs and whose graph keeps 27.25 MiB after forward "
        "(0.75 MiB, six arrays, per layer), checkpointed with your checkpoint(fn, x): every "
        "layer brings the peak from 27.5 MiB to 10.375 MiB, √n segments of 6 to 6.625 MiB, "
        "both with 72 block runs instead of 36 (33 % more FLOPs) and bit-for-bit identical "
        "gradients. Trying every segment length, the lowest peak is 5.875 MiB at 3 blocks "
        "per segment, near √(36·2/6) = 3.5."
    ),
    try_it=[
        "Forget free_graph. In a new cell, define checkpoint again without its two free_graph "
        "calls (keep the name checkpoint: forward calls that name) and re-run the strategy "
        "table. Where did the savings go? check_checkpoint(checkpoint) says why. Afterwards, "
        "run the solution cell again to get a right checkpoint back",
        "Halve the batch. Set BATCH = 64 in the cell that defines the blocks and re-run from "
        "there. Every activation halves, and so does the memory they take; the weights' "
        "gradients do not (they do not depend on the batch)",
        "A deeper network. Set DEPTH = 64 in the cell that defines the blocks and re-run from "
        "there. Where is the bottom of the valley? Is it near √(64·2/6) ≈ 4.6?",
        "Predict the FLOPs of [784, 256, 256, 10] with a batch of 128 (the classic MNIST "
        "network) by hand, then check with mlp_flops",
    ],
    explain=(
        "Explain, in one paragraph as a patient tutor would, the memory/compute trade-off of "
        "backpropagation: why the backward pass costs about twice the forward pass, why it "
        "needs the activations the forward pass saved (so memory grows with depth and batch "
        "size), and how gradient checkpointing trades compute for memory (keep only some "
        "activations, recompute the rest during backward: one extra forward pass, and "
        "segments of about √n layers). Use one small concrete example with numbers; then ask "
        "me one question to check that I got it."
    ),
)
