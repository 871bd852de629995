"""Benchmark: our scalar ``Value`` against micrograd's, on the same graphs, in one run.

Run from the repository root::

    python benchmarks/bench_engine.py            # 5 rounds, collector on and off (3-6 minutes)
    python benchmarks/bench_engine.py --rounds 9 # steadier medians
    python benchmarks/bench_engine.py --gc on    # only as users run it

What is measured, each with Python's cyclic garbage collector **on** (as users run the code)
and **off** (``gc.disable()`` in the worker: the engines' own work, without the collector's):

* **graph** -- build one wide, shallow graph of about 100,000 operations (the sum, as a
  balanced tree, of 25,000 terms ``(w*x + 1).relu()``), then call ``backward()`` on it once.
  Forward speed is reported in millions of operations (non-leaf nodes) built per second,
  backward speed in millions of graph nodes (leaves included) processed per second.
* **train** -- a training loop like micrograd's demo: an MLP 2-16-16-1 on a batch of 32
  points, squared-error loss; each step builds the graph, runs ``backward()``, updates the
  parameters and drops the graph. Medians over the steps.
* **graph, engine alone** -- the graph again (collector on), with ``autograd/engine.py``
  loaded by itself instead of through the package (whose ``__init__`` imports numpy,
  graphviz and ipywidgets): every full collection rescans the whole heap, so this row shows
  what the size of the rest of the heap costs.
* **depth** -- a chain ``a = a + x`` one million operations deep: ours builds it and runs
  ``backward()``; micrograd's recursive topological sort raises ``RecursionError`` far
  sooner, and we search for the smallest depth where it does. (Collector on.)

Fairness and noise:

* Every measurement runs in its **own fresh subprocess**. Python's cyclic garbage collector
  scans everything alive in the process, and micrograd's nodes are reference cycles that
  pile up as garbage until a full collection; measured in one shared process, each engine
  would pay for the other's heap. Both engines are imported in every worker, so the
  starting heaps are the same.
* Within a round the two engines run **back to back** (ours, micrograd, then micrograd,
  ours in the next round, ...), so a slow moment of a shared, noisy machine hits both alike.
  Each speed-up is computed **per round** (ours / micrograd of that round's pair), and the
  table shows the median over the rounds and the range (lowest-highest): the spread is the
  honest error bar.
* Times are **CPU time of the worker's thread** (``time.thread_time``): everything runs on
  that one thread, the garbage collector included, and on a shared machine the time spent
  waiting for a core is not counted. On an idle machine it equals wall-clock time.
* Only operations both engines build the same way are used (``+``, ``*``, ``relu``,
  ``** number``), so the two graphs have the same number of nodes (checked), and the two
  engines must agree on the results (checked).
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
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


def load_engines(heap: str) -> tuple[type, type]:
    """(our Value, micrograd's Value), imported the way ``heap`` says.

    ``package``: ``import autograd.engine``, which runs the package's ``__init__`` and so
    imports numpy, graphviz and ipywidgets too, as ``from autograd import Value`` does for a
    user. ``engine``: the file ``autograd/engine.py`` alone, so the heap holds little besides
    the two engines (this isolates what the size of the rest of the heap costs).
    """
    import micrograd.engine

    if heap == "package":
        import autograd.engine as ours
    else:
        path = Path(__file__).resolve().parent.parent / "autograd" / "engine.py"
        spec = importlib.util.spec_from_file_location("engine_alone", path)
        ours = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(ours)
    return ours.Value, micrograd.engine.Value


def worker(engine: str, task: str, collector: str, heap: str) -> None:
    """Runs in a fresh subprocess: one measurement, printed as one JSON line."""
    # Import both engines whichever is measured, so both workers start from the same heap.
    ours, theirs = load_engines(heap)
    Value = ours if engine == "ours" else theirs
    if collector == "off":
        gc.disable()
    heap_objects = len(gc.get_objects())  # what every full collection has to scan anyway
    if task == "graph":
        result = run_graph(Value)
    elif task == "train":
        result = run_train(Value)
    else:
        result = run_depth(Value, engine)
    print(json.dumps({**result, "heap": heap_objects}))


# --------------------------------------------------------------------------- driver


def measure(engine: str, task: str, collector: str = "on", heap: str = "package") -> dict:
    """Run one worker subprocess and return its JSON result."""
    cmd = [sys.executable, __file__, "--worker", engine, task, collector, heap]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{engine} {task} (gc {collector}, {heap}) failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def same(a: list[float], b: list[float], rtol: float = 1e-9) -> bool:
    return len(a) == len(b) and all(
        abs(x - y) <= rtol * max(1.0, abs(x)) for x, y in zip(a, b, strict=True)
    )


def forward_rate(r: dict) -> float:
    return r["ops"] / r["forward_s"] / 1e6


# The rows of the table: (name, unit, task, the number from a worker's result)
METRICS: list[tuple[str, str, str, Callable[[dict], float]]] = [
    ("graph forward", "M ops/s", "graph", forward_rate),
    ("graph backward", "M nodes/s", "graph", lambda r: r["nodes"] / r["backward_s"] / 1e6),
    ("training forward", "M ops/s", "train", forward_rate),
    ("training backward", "M nodes/s", "train", lambda r: r["nodes"] / r["backward_s"] / 1e6),
    ("training step", "ms", "train", lambda r: r["step_s"] * 1e3),  # lower is better
]
TARGETS = [("graph forward", 10.0), ("graph backward", 2.0), ("training step", 8.0)]


def speedup(name: str, ours: float, theirs: float) -> float:
    return theirs / ours if name == "training step" else ours / theirs


def spread(xs: list[float], fmt: str = "{:.3g}") -> str:
    """``median (lowest-highest)``."""
    return f"{fmt.format(statistics.median(xs))} ({fmt.format(min(xs))}-{fmt.format(max(xs))})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="subprocesses per engine and task")
    parser.add_argument("--gc", choices=("both", "on", "off"), default="both")
    parser.add_argument("--worker", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker)
        return

    engines = ("ours", "micrograd")
    collectors = ("on", "off") if args.gc == "both" else (args.gc,)
    # (task, collector, heap): the measurements of each round, both engines back to back
    plan = [(task, c, "package") for c in collectors for task in ("graph", "train")]
    if "on" in collectors:
        plan.append(("graph", "on", "engine"))
    runs: dict[tuple[str, str, str, str], list[dict[str, Any]]] = {}
    for rnd in range(args.rounds):
        order = engines if rnd % 2 == 0 else engines[::-1]
        for task, collector, heap in plan:
            for engine in order:
                print(
                    f"round {rnd + 1}/{args.rounds}: {task}, gc {collector}, {heap}, {engine}",
                    file=sys.stderr,
                )
                result = measure(engine, task, collector, heap)
                runs.setdefault((engine, task, collector, heap), []).append(result)
    print("depth", file=sys.stderr)
    depth = {engine: measure(engine, "depth") for engine in engines}

    for task, collector, heap in plan:
        a, b = runs["ours", task, collector, heap][0], runs["micrograd", task, collector, heap][0]
        if (a["ops"], a["nodes"]) != (b["ops"], b["nodes"]):
            raise RuntimeError(f"{task}: the engines built different graphs: {a} vs {b}")
        rtol = 1e-9 if task == "graph" else 1e-6  # training compounds rounding differences
        if not same(a["check"], b["check"], rtol):
            raise RuntimeError(f"{task}: the engines disagree: {a['check']} vs {b['check']}")

    first = collectors[0]
    graph, train = (
        runs["ours", "graph", first, "package"][0],
        runs["ours", "train", first, "package"][0],
    )
    sizes = {
        "graph": f"{graph['ops']:,} ops, {graph['nodes']:,} nodes",
        "train": f"MLP 2-16-16-1, batch 32: {train['ops']:,} ops, {train['nodes']:,} nodes",
    }
    ratios: dict[tuple[str, str, str], list[float]] = {}
    rows = []

    def row(label: str, name: str, unit: str, key: tuple[str, str, str], value) -> None:
        ours = [value(r) for r in runs[("ours", *key)]]
        theirs = [value(r) for r in runs[("micrograd", *key)]]
        per_round = [speedup(name, o, t) for o, t in zip(ours, theirs, strict=True)]
        ratios[(name, *key[1:])] = per_round
        rows.append(
            (
                label,
                key[1],
                f"{spread(ours)} {unit}",
                f"{spread(theirs)} {unit}",
                f"**{statistics.median(per_round):.1f}x** "
                f"({min(per_round):.1f}-{max(per_round):.1f})",
            )
        )

    shown = set()
    for name, unit, task, value in METRICS:
        for collector in collectors:
            label = "" if collector != first else name
            if label and task not in shown:
                label += f" ({sizes[task]})"
                shown.add(task)
            row(label, name, unit, (task, collector, "package"), value)
    if "on" in collectors:
        alone = runs["ours", "graph", "on", "engine"][0]["heap"]
        package = graph["heap"]
        row(
            f"graph forward, `engine.py` imported alone (a heap of {alone:,} objects instead "
            f"of {package:,})",
            "graph forward",
            "M ops/s",
            ("graph", "on", "engine"),
            forward_rate,
        )
    ours_d, mg_d = depth["ours"], depth["micrograd"]
    rows.append(
        (
            "deepest chain `a = a + x` with backward()",
            "on",
            f"{ours_d['depth']:,} ok (forward {ours_d['forward_s']:.1f} s, "
            f"backward {ours_d['backward_s']:.1f} s)",
            f"RecursionError at depth {mg_d['depth']:,}"
            if mg_d["depth"]
            else f"no RecursionError up to {CHAIN:,}",
            "",
        )
    )

    print(
        f"\n{args.rounds} rounds, thread CPU time, Python {sys.version.split()[0]}; each cell: "
        "median (lowest-highest) over the rounds; speed-ups computed per round\n"
    )
    print("| benchmark | GC | ours | micrograd | speed-up |")
    print("|---|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")

    if len(collectors) == 2:
        print("\nWhat the collector costs (time with it on / time with it off, medians):\n")
        for engine in engines:
            parts = []
            for task, key, what in (
                ("graph", "forward_s", "graph forward"),
                ("graph", "backward_s", "graph backward"),
                ("train", "forward_s", "training forward"),
                ("train", "step_s", "training step"),
            ):
                on = statistics.median(r[key] for r in runs[engine, task, "on", "package"])
                off = statistics.median(r[key] for r in runs[engine, task, "off", "package"])
                parts.append(f"{what} {on / off:.1f}x")
            print(f"- {engine}: " + ", ".join(parts))
    if "on" in collectors:
        print("\nTargets (collector on, package imported, median speed-up over the rounds):\n")
        for name, goal in TARGETS:
            per_round = ratios[name, "on", "package"]
            met = "met" if statistics.median(per_round) >= goal else "NOT met"
            low = sum(r < goal for r in per_round)
            print(
                f"- {name} >= {goal:g}x micrograd: {statistics.median(per_round):.1f}x, {met}"
                f" ({low} of {len(per_round)} rounds below)"
            )


if __name__ == "__main__":
    main()
