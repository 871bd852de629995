"""Benchmark the backward-pass animation: is moving the slider instant?

Run from the repository root::

    python benchmarks/bench_animate.py            # about 10 seconds
    python benchmarks/bench_animate.py --calls 5000

Graph: one tanh neuron with 7 inputs, ``tanh(b + sum_i w_i * x_i)`` -- 30 values and 15
operations (a typical lesson-sized picture), so the animation has 17 frames.

Measured, all in one process and interleaved so machine noise hits them alike:

* ``show(k)`` -- what the slider calls: swap the picture, the caption and the step counter.
  Target: median <= 20 ms. The frames are pre-rendered, so this only assigns strings to
  widget traits. Measured twice: in this process (no kernel: ipywidgets sends nothing), and
  inside a real IPython kernel started with jupyter_client, where each change is serialised
  and sent over ZeroMQ as in Jupyter (the browser's own drawing time is not included).
* baseline -- assigning the same SVG string to a bare ``ipywidgets.HTML``: the floor for
  any widget-based player. The ratio ``show / baseline`` is what our code adds (3 traits
  instead of 1, plus the index check).
* for scale: building the whole animation (layout once with ``dot``, all frames), and one
  ``draw_dot(...).svg()`` of the same graph.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import ipywidgets as widgets  # noqa: E402

from autograd import Value, animate_backward, draw_dot  # noqa: E402
from autograd.engine import topological_order  # noqa: E402

N_INPUTS = 7  # 2n + 1 leaves, n products, n sums, 1 tanh: 4n + 2 = 30 values


def neuron() -> Value:
    xs = [Value(0.1 * (i + 1), label=f"x{i}") for i in range(N_INPUTS)]
    ws = [Value(0.5 - 0.15 * i, label=f"w{i}") for i in range(N_INPUTS)]
    z = Value(0.2, label="b")
    for x, w in zip(xs, ws, strict=True):
        z = z + x * w
    out = z.tanh()
    out.label = "out"
    return out


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1e3


def measure_show(calls: int) -> dict[str, float]:
    """Time ``show(k)`` against a bare ``HTML.value =`` assignment, interleaved."""
    root = neuron()
    anim = animate_backward(root)
    n_frames = len(anim.frames)
    anim.widget  # noqa: B018 -- build the player once, as Jupyter does on display
    bare = widgets.HTML()
    show_t, base_t = [], []
    for call in range(calls):
        k = (call * 7) % n_frames  # jump around, so every call really changes the frame
        t0 = time.perf_counter()
        anim.show(k)
        t1 = time.perf_counter()
        bare.value = anim.frames[(k + 1) % n_frames]
        t2 = time.perf_counter()
        show_t.append(t1 - t0)
        base_t.append(t2 - t1)
    return {
        "values": len(topological_order(root)),
        "frames": n_frames,
        "frame_kib": statistics.mean(len(f.encode()) for f in anim.frames) / 1024,
        "show_ms": median_ms(show_t),
        "base_ms": median_ms(base_t),
    }


def measure_in_kernel(calls: int) -> dict[str, float]:
    """Run ``measure_show`` inside a real IPython kernel, where every trait change is
    serialised and sent to the (absent) front-end over ZeroMQ, as in Jupyter."""
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3")
    try:
        here = str(Path(__file__).resolve().parent)
        code = (
            f"import sys, json; sys.path.insert(0, {here!r}); import bench_animate as b; "
            f"print(json.dumps(b.measure_show({calls})))"
        )
        out: list[str] = []

        def hook(msg: dict) -> None:
            if msg["msg_type"] == "stream" and msg["content"]["name"] == "stdout":
                out.append(msg["content"]["text"])
            elif msg["msg_type"] == "error":
                out.append("ERROR " + msg["content"]["evalue"])

        kc.execute_interactive(code, output_hook=hook, timeout=600)
        text = "".join(out)
        if text.startswith("ERROR"):
            raise RuntimeError(text)
        return json.loads(text)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def report(where: str, r: dict[str, float], calls: int) -> None:
    ratio = r["show_ms"] / r["base_ms"]
    print(f"[{where}] show(k)           median {r['show_ms']:7.3f} ms  ({calls} calls)")
    print(
        f"[{where}] bare HTML.value = median {r['base_ms']:7.3f} ms  -> show/baseline {ratio:.2f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000, help="show() calls to time")
    parser.add_argument("--builds", type=int, default=7, help="animations to build and time")
    parser.add_argument(
        "--kernel-calls", type=int, default=300, help="show() calls inside the kernel"
    )
    parser.add_argument("--no-kernel", action="store_true", help="skip the in-kernel run")
    args = parser.parse_args()

    local = measure_show(args.calls)
    print(
        f"graph: {local['values']} values, {local['frames']} frames, "
        f"{local['frame_kib']:.1f} KiB per frame (SVG)"
    )
    report("no kernel", local, args.calls)
    worst = local["show_ms"]
    if not args.no_kernel:
        # fewer calls: each one streams ~2 frames (about 50 KiB) of messages to this process
        in_kernel = measure_in_kernel(args.kernel_calls)
        report("in kernel", in_kernel, args.kernel_calls)
        worst = max(worst, in_kernel["show_ms"])

    build_t, draw_t = [], []
    for _ in range(args.builds):
        r = neuron()
        t0 = time.perf_counter()
        animate_backward(r)
        t1 = time.perf_counter()
        draw_dot(r).svg()
        t2 = time.perf_counter()
        build_t.append(t1 - t0)
        draw_t.append(t2 - t1)
    print(f"animate_backward (layout + all frames) median {median_ms(build_t):6.1f} ms")
    print(f"draw_dot(...).svg()                    median {median_ms(draw_t):6.1f} ms")
    print(
        "verdict:",
        "OK" if worst <= 20.0 else "TOO SLOW",
        f"(slowest show median {worst:.3f} ms, target <= 20 ms)",
    )


if __name__ == "__main__":
    main()
