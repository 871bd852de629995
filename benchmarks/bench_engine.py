"""Benchmark: our scalar ``Value`` against micrograd's, on the same graphs, in one run.

Run from the repository root::

    python benchmarks/bench_engine.py            # 5 rounds (about a minute)
    python benchmarks/bench_engine.py --rounds 9 # steadier medians

What is measured (garbage collection left ON, as users run the code):

* **graph** -- build one wide, shallow graph of about 100,000 operations (the sum, as a
  balanced tree, of 25,000 terms ``(w*x + 1).relu()``), then call ``backward()`` on it once.
  Forward speed is reported in millions of operations (non-leaf nodes) built per second,
  backward speed in millions of graph nodes (leaves included) processed per second.
* **train** -- a training loop like micrograd's demo: an MLP 2-16-16-1 on a batch of 32
  points, squared-error loss; each step builds the graph, runs ``backward()``, updates the
  parameters and drops the graph. Medians over the steps.
* **depth** -- a chain ``a = a + x`` one million operations deep: ours builds it and runs
  ``backward()``; micrograd's recursive topological sort raises ``RecursionError`` far
  sooner, and we search for the smallest depth where it does.

Fairness:

* Every measurement runs in its **own fresh subprocess**. Python's cyclic garbage collector
  scans everything alive in the process, and micrograd's nodes are reference cycles that
  pile up as garbage until a full collection; measured in one shared process, each engine
  would pay for the other's heap. Both engines are imported in every worker, so the
  starting heaps are the same.
* The subprocesses **alternate** (ours, micrograd, then micrograd, ours, ...), so a slow
  moment of a shared, noisy machine hits both engines alike. We report medians over rounds,
  and the ratios ``ours / micrograd`` of those medians.
* Times are **CPU time of the worker's thread** (``time.thread_time``): everything runs on
  that one thread, the garbage collector included, and on a shared machine the time spent
  waiting for a core is not counted. On an idle machine it equals wall-clock time.
* Only operations both engines build the same way are used (``+``, ``*``, ``relu``,
  ``** number``), so the two graphs have the same number of nodes (checked), and the two
  engines must agree on the results (checked).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repo, if not installed

CLOCK = time.thread_time  # CPU time of this thread (see the module docstring)

TERMS = 25_000  # graph: 3 ops per term + TERMS - 1 additions = 99,999 operations
BATCH, STEPS, HIDDEN = 32, 10, 16  # train
CHAIN = 1_000_000  # depth


# --------------------------------------------------------------------------- workloads
# Written once, for any Value class: both engines run exactly the same Python code.


def count_nodes(root: Any) -> tuple[int, int]:
    """(operations, all nodes) in the graph below ``root``, found without recursion."""
    seen = {id(root): root}
    stack = [root]
    while stack:
        for parent in stack.pop()._prev:  # micrograd keeps a set here, we keep a tuple
            if id(parent) not in seen:
                seen[id(parent)] = parent
                stack.append(parent)
    ops = sum(1 for node in seen.values() if node._prev)
    return ops, len(seen)


def tree_sum(terms: list[Any]) -> Any:
    """Add the terms pairwise, level by level: a graph about log2(len) deep, not len deep."""
    while len(terms) > 1:
        paired = [terms[i] + terms[i + 1] for i in range(0, len(terms) - 1, 2)]
        if len(terms) % 2:
            paired.append(terms[-1])
        terms = paired
    return terms[0]


def build_graph(ws: list[Any], xs: list[Any]) -> Any:
    """About 100,000 operations: a wide, shallow graph micrograd's recursion can handle."""
    terms = [(ws[i % len(ws)] * xs[i % len(xs)] + 1).relu() for i in range(TERMS)]
    return tree_sum(terms)


def run_graph(Value: type) -> dict[str, Any]:
    rng = random.Random(0)
    ws = [Value(rng.uniform(-1, 1)) for _ in range(100)]
    xs = [Value(rng.uniform(-1, 1)) for _ in range(100)]
    t0 = CLOCK()
    root = build_graph(ws, xs)
    t1 = CLOCK()
    root.backward()
    t2 = CLOCK()
    ops, nodes = count_nodes(root)
    return {
        "ops": ops,
        "nodes": nodes,
        "forward_s": t1 - t0,
        "backward_s": t2 - t1,
        "check": [root.data, sum(w.grad for w in ws)],
    }


class MLP:
    """A plain multilayer perceptron over any Value class (the same code for both engines)."""

    def __init__(self, Value: type, sizes: list[int], rng: random.Random) -> None:
        self.layers = []
        for n_in, n_out in zip(sizes, sizes[1:], strict=False):
            neurons = [
                ([Value(rng.uniform(-1, 1)) for _ in range(n_in)], Value(0.0)) for _ in range(n_out)
            ]
            self.layers.append(neurons)

    def parameters(self) -> list[Any]:
        return [p for layer in self.layers for w, b in layer for p in (*w, b)]

    def __call__(self, x: list[Any]) -> Any:
        last = len(self.layers) - 1
        for i, layer in enumerate(self.layers):
            x = [sum((wi * xi for wi, xi in zip(w, x, strict=True)), b) for w, b in layer]
            if i < last:
                x = [v.relu() for v in x]
        return x[0]


def run_train(Value: type) -> dict[str, Any]:
    rng = random.Random(0)
    points = [[rng.uniform(-1, 1), rng.uniform(-1, 1)] for _ in range(BATCH)]
    targets = [1.0 if x0 * x1 > 0 else -1.0 for x0, x1 in points]
    model = MLP(Value, [2, HIDDEN, HIDDEN, 1], rng)
    params = model.parameters()
    forward, backward, step, losses = [], [], [], []
    for _ in range(STEPS):
        t0 = CLOCK()
        # (pred + (-y)) ** 2 rather than (pred - y) ** 2: micrograd builds `-` from two ops
        loss = sum((model(x) + (-y)) ** 2 for x, y in zip(points, targets, strict=True))
        t1 = CLOCK()
        for p in params:
            p.grad = 0.0
        loss.backward()
        t2 = CLOCK()
        for p in params:
            p.data -= 0.01 * p.grad
        t3 = CLOCK()
        forward.append(t1 - t0)
        backward.append(t2 - t1)
        step.append(t3 - t0)
        losses.append(loss.data)
    ops, nodes = count_nodes(loss)
    del loss  # drop the graph, as a training loop does
    return {
        "ops": ops,
        "nodes": nodes,
        "forward_s": statistics.median(forward),
        "backward_s": statistics.median(backward),
        "step_s": statistics.median(step),
        "check": losses,
    }


def chain(Value: type, depth: int) -> tuple[Any, Any]:
    x = Value(1.0)
    a = x
    for _ in range(depth):
        a = a + x
    return a, x


def run_depth(Value: type, engine: str) -> dict[str, Any]:
    if engine == "ours":
        t0 = CLOCK()
        a, x = chain(Value, CHAIN)
        t1 = CLOCK()
        a.backward()
        t2 = CLOCK()
        assert x.grad == CHAIN + 1, x.grad  # d/dx of (x + x + ... + x)
        return {"depth": CHAIN, "forward_s": t1 - t0, "backward_s": t2 - t1}

    def fails(depth: int) -> bool:
        a, _ = chain(Value, depth)
        try:
            a.backward()
        except RecursionError:
            return True
        return False

    ok, bad = 1, 2  # find a failing depth by doubling, then the smallest one by bisection
    while not fails(bad):
        ok, bad = bad, bad * 2
        if bad > CHAIN:
            return {"depth": None, "limit": sys.getrecursionlimit()}
    while bad - ok > 1:
        mid = (ok + bad) // 2
        ok, bad = (ok, mid) if fails(mid) else (mid, bad)
    return {"depth": bad, "limit": sys.getrecursionlimit()}


def worker(engine: str, task: str) -> None:
    """Runs in a fresh subprocess: one measurement, printed as one JSON line."""
    # Import both engines whichever is measured, so both workers start from the same heap.
    import micrograd.engine

    import autograd.engine

    Value = autograd.engine.Value if engine == "ours" else micrograd.engine.Value
    if task == "graph":
        result = run_graph(Value)
    elif task == "train":
        result = run_train(Value)
    else:
        result = run_depth(Value, engine)
    print(json.dumps(result))


# --------------------------------------------------------------------------- driver


def measure(engine: str, task: str) -> dict[str, Any]:
    """Run one worker subprocess and return its JSON result."""
    cmd = [sys.executable, __file__, "--worker", engine, task]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{engine} {task} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def same(a: list[float], b: list[float], rtol: float = 1e-9) -> bool:
    return len(a) == len(b) and all(
        abs(x - y) <= rtol * max(1.0, abs(x)) for x, y in zip(a, b, strict=True)
    )


def rates(runs: list[dict[str, Any]]) -> tuple[float, float]:
    """Median forward (M ops/s) and backward (M nodes/s) speed over rounds."""
    fwd = statistics.median(r["ops"] / r["forward_s"] for r in runs) / 1e6
    bwd = statistics.median(r["nodes"] / r["backward_s"] for r in runs) / 1e6
    return fwd, bwd


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="subprocesses per engine and task")
    parser.add_argument("--worker", nargs=2, metavar=("ENGINE", "TASK"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker)
        return

    engines = ("ours", "micrograd")
    runs: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for rnd in range(args.rounds):
        order = engines if rnd % 2 == 0 else engines[::-1]
        for task in ("graph", "train"):
            for engine in order:
                print(f"round {rnd + 1}/{args.rounds}: {task} {engine}", file=sys.stderr)
                runs.setdefault((engine, task), []).append(measure(engine, task))
    print("depth", file=sys.stderr)
    depth = {engine: measure(engine, "depth") for engine in engines}

    for task in ("graph", "train"):
        a, b = runs["ours", task][0], runs["micrograd", task][0]
        if (a["ops"], a["nodes"]) != (b["ops"], b["nodes"]):
            raise RuntimeError(f"{task}: the engines built different graphs: {a} vs {b}")
        rtol = 1e-9 if task == "graph" else 1e-6  # training compounds rounding differences
        if not same(a["check"], b["check"], rtol):
            raise RuntimeError(f"{task}: the engines disagree: {a['check']} vs {b['check']}")

    g_ours, g_mg = rates(runs["ours", "graph"]), rates(runs["micrograd", "graph"])
    t_ours, t_mg = rates(runs["ours", "train"]), rates(runs["micrograd", "train"])
    graph, train = runs["ours", "graph"][0], runs["ours", "train"][0]

    rows: list[tuple[str, str, str, str]] = []

    def row(name: str, ours: float, mg: float, unit: str) -> None:
        rows.append((name, f"{ours:.3f} {unit}", f"{mg:.3f} {unit}", f"**{ours / mg:.1f}x**"))

    g = f"{graph['ops']:,} ops, {graph['nodes']:,} nodes"
    t = f"{train['ops']:,} ops, {train['nodes']:,} nodes per step"
    row(f"graph forward ({g})", g_ours[0], g_mg[0], "M ops/s")
    row("graph backward (same graph)", g_ours[1], g_mg[1], "M nodes/s")
    row(f"training loop forward ({t})", t_ours[0], t_mg[0], "M ops/s")
    row("training loop backward", t_ours[1], t_mg[1], "M nodes/s")
    step_ours = statistics.median(r["step_s"] for r in runs["ours", "train"]) * 1e3
    step_mg = statistics.median(r["step_s"] for r in runs["micrograd", "train"]) * 1e3
    rows.append(
        (
            "training loop, whole step (forward, backward, update)",
            f"{step_ours:.1f} ms",
            f"{step_mg:.1f} ms",
            f"**{step_mg / step_ours:.1f}x**",
        )
    )
    ours_d, mg_d = depth["ours"], depth["micrograd"]
    rows.append(
        (
            "deepest chain `a = a + x` with backward()",
            f"{ours_d['depth']:,} ok (forward {ours_d['forward_s']:.1f} s, "
            f"backward {ours_d['backward_s']:.1f} s)",
            f"RecursionError at depth {mg_d['depth']:,}"
            if mg_d["depth"]
            else f"no RecursionError up to {CHAIN:,}",
            "",
        )
    )

    print(
        f"\n{args.rounds} rounds, medians of thread CPU time; Python {sys.version.split()[0]}, "
        "GC on\n"
    )
    print("| benchmark | ours | micrograd | speed-up |")
    print("|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    targets: list[tuple[str, float, float]] = [
        ("forward >= 6x micrograd (graph)", g_ours[0] / g_mg[0], 6.0),
        ("backward >= 1.5x micrograd (graph)", g_ours[1] / g_mg[1], 1.5),
    ]
    print()
    for name, ratio, goal in targets:
        print(f"- {name}: {ratio:.1f}x, {'met' if ratio >= goal else 'NOT met'}")


if __name__ == "__main__":
    main()
