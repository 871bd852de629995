"""Benchmark the Tensor engine against hand-written numpy (and PyTorch, when installed).

Run by hand: ``python benchmarks/bench_tensor.py`` (``--quick`` for a short run).

(a) One training step of an MLP 784-256-256-10 (batch 128, float32): forward,
    cross-entropy, backward, SGD update. Baseline: the same network with its forward and
    backward pass written out by hand in numpy, the floor for any numpy-based engine (BLAS
    does the same matrix products). The engines take turns in blocks of steps (numpy,
    ours, torch, numpy, ...) so machine noise hits all of them alike; medians are reported.
    Both sides first compute the same loss from the same weights (checked).
    Target: ours <= 1.10x numpy.
(b) Per-op overhead on tiny tensors: ``(x + w) * w`` and its backward, in microseconds per
    op, next to the same arithmetic in plain numpy and the scalar ``Value`` engine.
    Target: <= 5 us per op.

Everything runs on one thread (BLAS included), so the numbers compare engines, not cores.
Times are this thread's CPU time (``--wall`` for wall-clock time): on a shared machine,
waiting for a core is not counted.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # before numpy is imported

import argparse  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from autograd.engine import Value  # noqa: E402
from autograd.functional import cross_entropy  # noqa: E402
from autograd.layers import SGD, Linear, ReLU, Sequential  # noqa: E402
from autograd.tensor import Tensor  # noqa: E402

try:  # optional
    import torch
except ImportError:  # pragma: no cover - depends on the machine
    torch = None

# CPU time of this thread by default: on a shared machine, time spent waiting for a core
# is not counted (all work runs on this thread: BLAS and torch are limited to one thread).
CLOCK = time.thread_time_ns

SIZES = (784, 256, 256, 10)
BATCH = 128
LR = 0.01
BLOCK, WARM = 20, 5  # MLP steps per engine in a row, and how many of them are not timed


def blas_info() -> str:
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "threadpoolctl not installed"
    infos = [i for i in threadpool_info() if i.get("user_api") == "blas"]
    if not infos:
        return "no BLAS found by threadpoolctl"
    return ", ".join(
        f"{i.get('internal_api')} {i.get('version')} ({i.get('architecture')}, "
        f"{i.get('num_threads')} thread(s))"
        for i in infos
    )


# ---------------------------------------------------------------------------- (a) MLP
class NumpyMLP:
    """The same MLP with its backward pass written out by hand: the numpy floor."""

    def __init__(self, weights: list[np.ndarray]) -> None:
        self.W1, self.b1, self.W2, self.b2, self.W3, self.b3 = (w.copy() for w in weights)

    def step(self, x: np.ndarray, y: np.ndarray) -> float:
        n = x.shape[0]
        rows = np.arange(n)
        h1 = x @ self.W1 + self.b1
        a1 = np.maximum(h1, 0)
        h2 = a1 @ self.W2 + self.b2
        a2 = np.maximum(h2, 0)
        z = a2 @ self.W3 + self.b3
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        s = e.sum(axis=1, keepdims=True)
        loss = (np.log(s[:, 0]) - z[rows, y]).mean()
        dz = e / s
        dz[rows, y] -= 1
        dz /= n
        dW3, db3 = a2.T @ dz, dz.sum(axis=0)
        dh2 = (dz @ self.W3.T) * (a2 > 0)
        dW2, db2 = a1.T @ dh2, dh2.sum(axis=0)
        dh1 = (dh2 @ self.W2.T) * (a1 > 0)
        dW1, db1 = x.T @ dh1, dh1.sum(axis=0)
        for p, g in (
            (self.W1, dW1),
            (self.b1, db1),
            (self.W2, dW2),
            (self.b2, db2),
            (self.W3, dW3),
            (self.b3, db3),
        ):
            p -= LR * g
        return float(loss)


class OurMLP:
    def __init__(self, weights: list[np.ndarray]) -> None:
        rng = np.random.default_rng(0)
        self.model = Sequential(
            Linear(784, 256, rng=rng), ReLU(), Linear(256, 256, rng=rng), ReLU(), Linear(256, 10)
        )
        for p, w in zip(self.model.parameters(), weights, strict=True):
            p.data = w.copy()
        self.opt = SGD(self.model.parameters(), lr=LR)

    def step(self, x: np.ndarray, y: np.ndarray) -> float:
        self.opt.zero_grad()
        loss = cross_entropy(self.model(Tensor(x)), y)
        loss.backward()
        self.opt.step()
        return loss.item()


class TorchMLP:
    def __init__(self, weights: list[np.ndarray]) -> None:
        W1, b1, W2, b2, W3, b3 = weights
        nn = torch.nn
        self.model = nn.Sequential(
            nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10)
        )
        with torch.no_grad():
            for layer, W, b in zip(self.model[::2], (W1, W2, W3), (b1, b2, b3), strict=True):
                layer.weight.copy_(torch.from_numpy(W.T.copy()))
                layer.bias.copy_(torch.from_numpy(b))
        self.opt = torch.optim.SGD(self.model.parameters(), lr=LR)

    def step(self, x: np.ndarray, y: np.ndarray) -> float:
        self.opt.zero_grad(set_to_none=True)
        loss = torch.nn.functional.cross_entropy(
            self.model(torch.from_numpy(x)), torch.from_numpy(y)
        )
        loss.backward()
        self.opt.step()
        return loss.item()


def bench_mlp(steps: int) -> dict[str, float]:
    rng = np.random.default_rng(0)
    weights = []
    for nin, nout in zip(SIZES[:-1], SIZES[1:], strict=False):
        k = 1 / np.sqrt(nin)
        weights += [
            rng.uniform(-k, k, (nin, nout)).astype(np.float32),
            rng.uniform(-k, k, nout).astype(np.float32),
        ]
    x = rng.standard_normal((BATCH, SIZES[0])).astype(np.float32)
    y = rng.integers(0, SIZES[-1], BATCH)
    engines = {"numpy (hand-written)": NumpyMLP(weights), "autograd Tensor": OurMLP(weights)}
    if torch is not None:
        torch.set_num_threads(1)
        engines["PyTorch CPU"] = TorchMLP(weights)
    # Same start, same data: the first losses must agree (a cheap correctness check).
    losses = {name: e.step(x, y) for name, e in engines.items()}
    first = losses["numpy (hand-written)"]
    for name, loss in losses.items():
        if abs(loss - first) > 1e-4 * max(1.0, abs(first)):
            raise SystemExit(f"{name} computed loss {loss}, numpy {first}: not the same network")
    # Interleaved in blocks: BLOCK steps of one engine, then the next, round and round.
    # Alternating engines step by step would measure the C allocator instead: two different
    # allocation patterns in turn make glibc give memory back to the OS and fault it in
    # again (hundreds of page faults per step, slowing both). A real training loop runs
    # one engine, so the first WARM steps of each block are not timed.
    times: dict[str, list[float]] = {name: [] for name in engines}
    for _ in range(max(1, steps // (BLOCK - WARM))):
        for name, e in engines.items():
            for i in range(BLOCK):
                t0 = CLOCK()
                e.step(x, y)
                if i >= WARM:
                    times[name].append((CLOCK() - t0) / 1e6)
    return {name: statistics.median(ts) for name, ts in times.items()}


# ---------------------------------------------------------------------------- (b) per op
def bench_per_op(repeats: int, inner: int) -> dict[str, float]:
    """Microseconds per op for `(x + w) * w` forward + backward (2 ops)."""
    xs = np.array([[0.5, -1.0], [2.0, 0.25]])
    ws = np.array([[1.5, 0.5], [-0.5, 2.0]])
    seed = np.ones((2, 2))

    def ours() -> None:
        x, w = Tensor(xs), Tensor(ws, requires_grad=True)
        for _ in range(inner):
            y = (x + w) * w
            y.backward(seed)

    def numpy_by_hand() -> None:
        x, w = xs, ws
        for _ in range(inner):
            a = x + w
            y = a * w
            ga = seed * w  # d y / d a
            gw = seed * a + ga  # w is used twice: both paths add up
            del y, gw

    def scalar_value() -> None:  # 4 scalar elements: 4 times the graph of one element
        x = [Value(v) for v in xs.flat]
        w = [Value(v) for v in ws.flat]
        for _ in range(inner // 4):
            for xi, wi in zip(x, w, strict=True):
                y = (xi + wi) * wi
                y.backward()

    cases = {"autograd Tensor (2x2)": ours, "numpy by hand (2x2)": numpy_by_hand}
    cases["scalar Value (4 scalars)"] = scalar_value
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(repeats):
        for name, fn in cases.items():
            t0 = CLOCK()
            fn()
            times[name].append((CLOCK() - t0) / 1e3 / (2 * inner))
    return {name: statistics.median(ts) for name, ts in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (noisier)")
    parser.add_argument(
        "--wall", action="store_true", help="wall-clock time instead of this thread's CPU time"
    )
    args = parser.parse_args()
    global CLOCK
    if args.wall:
        CLOCK = time.perf_counter_ns
    steps, repeats = (40, 9) if args.quick else (300, 41)

    print(f"Python {platform.python_version()}, numpy {np.__version__}, BLAS: {blas_info()}")
    ct = os.environ.get("OPENBLAS_CORETYPE")
    if ct:
        print(f"OPENBLAS_CORETYPE={ct} (left as set)")
    print(f"torch: {torch.__version__ if torch is not None else 'not installed (skipped)'}")
    print(f"clock: {'wall' if args.wall else 'thread CPU time'}")
    print()

    mlp = bench_mlp(steps)
    floor = mlp["numpy (hand-written)"]
    print(f"MLP 784-256-256-10, batch {BATCH}, float32, one thread, median of {steps} steps")
    print()
    print("| engine | ms / step | vs numpy |")
    print("|---|---:|---:|")
    for name, ms in mlp.items():
        print(f"| {name} | {ms:.2f} | {ms / floor:.2f}x |")
    ratio = mlp["autograd Tensor"] / floor
    print()
    print(
        f"target: autograd Tensor <= 1.10x numpy -> {ratio:.2f}x",
        "(met)" if ratio <= 1.10 else "(NOT met)",
    )
    print()

    per_op = bench_per_op(repeats, inner=2000)
    base = per_op["numpy by hand (2x2)"]
    print(f"Per-op overhead: (x + w) * w, forward + backward, median of {repeats} runs")
    print()
    print("| engine | us / op | vs numpy |")
    print("|---|---:|---:|")
    for name, us in per_op.items():
        print(f"| {name} | {us:.2f} | {us / base:.1f}x |")
    ours = per_op["autograd Tensor (2x2)"]
    print()
    print(
        f"target: autograd Tensor <= 5 us per op -> {ours:.2f} us",
        "(met)" if ours <= 5 else "(NOT met)",
    )


if __name__ == "__main__":
    main()
