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
  (with a random gradient arriving at the output, for an input that is a leaf and for one
  computed by earlier operations), through the checker's own backward sweep and through
  your class's ``backward()``;
* **recomputation**: each block runs exactly twice (once forward, once in backward);
* **activations freed**: right after ``checkpoint`` returns, and after backward, the
  intermediate Tensors made inside ``fn`` no longer exist (watched with ``weakref``, with
  Python's garbage collector switched off, so a graph that only the collector could free
  counts as kept);
* **peak memory** (``tracemalloc``) of forward + backward on a deeper network is clearly
  lower than without checkpointing.
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
from .registry import Exercise
from .report import CheckReport, ReportBuilder, error_failure, signature_hint
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
