# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # 10 · Memory and compute
#
# *The backward pass costs about twice the forward pass, and it needs everything the forward
# pass remembered.* This lesson counts both costs, and trades one for the other.
#
# **Goals**
#
# * count the **FLOPs** of a forward and a backward pass, and see why backward costs
#   about **2×** the forward;
# * measure how **memory grows with depth**, and know what fills it: the saved
#   *activations*;
# * use **gradient checkpointing**, `checkpoint(fn, x)`, to store less and recompute more,
#   and compare three strategies;
# * confirm that checkpointing changes **nothing** about the gradients.
#
# **Builds on:** [09 · Real digits](09_digits.ipynb) (training an MLP with tensor layers)
# and [08 · Tensors](08_tensors.ipynb) (the matmul gradient).

# %% [markdown]
# ## The idea
#
# **Compute.** Almost all the work of an MLP is matrix products. `(n×k) @ (k×m)` makes
# `n·m` numbers, each a sum of `k` products: `k` multiplications and `k` additions, so
# **2·n·k·m floating-point operations (FLOPs)**. In lesson 08 you saw that the backward
# pass of `C = A @ B` needs **two** products of the same size, `G @ B.T` and `A.T @ G`. So if
# the forward pass costs `T` FLOPs, the backward pass costs about `2T`.
#
# **Memory.** Backward rules read numbers from the forward pass: `relu` needs its output,
# `@` needs both of its inputs. So every node keeps its array alive until `backward()` has
# used it. A deeper network keeps more arrays: memory grows **linearly with depth** (and with
# the batch size).
#
# **The trade.** *Checkpointing* keeps only a few arrays (the checkpoints) and throws the
# rest away. When the backward pass needs them, it recomputes them from the nearest
# checkpoint: a second forward pass through that stretch of the network. More compute,
# less memory.

# %% [markdown]
# ## The code
#
# ### Counting FLOPs
#
# Two networks: lesson 09's digit reader (64 → 64 → 10, a batch of 32 images), and a **deep**
# one we use for the rest of this lesson: 36 layers of 256 units, a batch of 256.
#
# For each layer `y = x @ W + b`, with `x` of shape `(n, k)` and `W` of shape `(k, m)`:
#
# * forward: one product, `2nkm`;
# * backward: `dL/dW = x.T @ G`, another `2nkm`, and `dL/dx = G @ W.T`, another `2nkm`.
#   The **first** layer skips `dL/dx`: its input is data (the images), nobody needs its
#   gradient.
#
# (The bias and ReLU add one operation per number, `n·m`: a rounding error next to `2nkm`,
# so we count only the products.)

# %%
import gc
import time
import tracemalloc

import matplotlib.pyplot as plt
import numpy as np
from threadpoolctl import threadpool_limits

from autograd import Linear, Quiz, ReLU, Sequential, Tensor, animate_backward, checkpoint
from autograd import TensorModule as Module
from autograd import draw_dot, no_grad

# numpy's matrix library may split every product across several CPU threads. On a busy
# machine they wait for each other more than they work, and timings jump around. One
# thread keeps the clock honest (threadpoolctl is one of this project's dependencies).
_ = threadpool_limits(limits=1)


def matmul_flops(n, k, m):
    """(n×k) @ (k×m): n·m results, each k multiplications and k additions."""
    return 2 * n * k * m


def mlp_flops(sizes, batch):
    """Forward and backward FLOPs of the products of an MLP with layer sizes `sizes`."""
    forward = backward = 0
    for layer, (k, m) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
        f = matmul_flops(batch, k, m)
        forward += f
        backward += f  # dL/dW = x.T @ G
        if layer > 0:
            backward += f  # dL/dx = G @ W.T (not for the first layer: x is data)
    return forward, backward


print(f"{'network':<28} {'forward T':>15} {'backward':>15} {'backward / T':>13}")
for name, sizes, batch in [
    ("digits 64-64-10, batch 32", [64, 64, 10], 32),
    ("deep 36 × 256, batch 256", [256] * 37, 256),
]:
    fwd, bwd = mlp_flops(sizes, batch)
    print(f"{name:<28} {fwd:>15,} {bwd:>15,} {bwd / fwd:>13.2f}")

# %% [markdown]
# The deep network's backward pass costs **1.97 T**: two products per layer, except the
# first. The digits network gets away with **1.14 T**, because almost all of its work is in
# the first layer (64 inputs × 64 units, against 64 × 10 in the second), and that layer
# skips `dL/dx`.
#
# Let's build the deep network and time its two halves. Each block is `Linear` + ReLU and
# counts how often it runs (we need that count later).

# %%
WIDTH, BATCH, DEPTH = 256, 256, 36
runs = {"block forwards": 0}


class Block(Module):
    """relu(x @ W + b), counting every forward run."""

    def __init__(self, rng):
        self.linear = Linear(WIDTH, WIDTH, rng=rng)  # float32 weights

    def forward(self, x):
        runs["block forwards"] += 1
        return self.linear(x).relu()

    def parameters(self):
        return self.linear.parameters()


def make_blocks(depth, seed=0):
    rng = np.random.default_rng(seed)
    return [Block(rng) for _ in range(depth)]


x = Tensor(np.random.default_rng(1).standard_normal((BATCH, WIDTH)).astype(np.float32))


def forward(blocks, x, segment=None):
    """The loss mean(h²) of the network. segment=k: checkpoint every k blocks (see below)."""
    h = x
    if segment is None:
        for block in blocks:
            h = block(h)
    else:
        for start in range(0, len(blocks), segment):
            h = checkpoint(Sequential(*blocks[start : start + segment]), h)
    return (h * h).mean()


# %% [markdown]
# Timings vary from run to run, so we only plot them.


# %%
def zero_grads(blocks):
    for block in blocks:
        block.linear.zero_grad()


def time_steps(blocks, segments, repeats=9):
    """{segment: (forward seconds, backward seconds)}: the fastest of `repeats` runs, the
    least disturbed by whatever else the machine does. The settings take turns, so a busy
    moment slows all of them alike."""
    best = {segment: [np.inf, np.inf] for segment in segments}
    for _ in range(repeats):
        for segment in segments:
            zero_grads(blocks)
            start = time.perf_counter()
            loss = forward(blocks, x, segment)
            middle = time.perf_counter()
            loss.backward()
            best[segment][0] = min(best[segment][0], middle - start)
            best[segment][1] = min(best[segment][1], time.perf_counter() - middle)
    return best


blocks = make_blocks(DEPTH)
t_fwd, t_bwd = time_steps(blocks, [None])[None]
fig, ax = plt.subplots(figsize=(5, 2.6))
ax.barh(["backward", "forward"], [1000 * t_bwd, 1000 * t_fwd], color=["C3", "C0"])
ax.axvline(2000 * t_fwd, color="gray", ls="--", label="2 × forward")
ax.set_xlabel("milliseconds (fastest of 9)")
ax.set_title(f"One step of the deep network ({DEPTH} layers)")
ax.legend(loc="upper right")
fig.tight_layout()
plt.show()

# %% [markdown]
# The backward bar ends close to the dashed line at twice the forward time: the clock
# agrees with the count. (It rarely matches exactly: the elementwise work, memory traffic and
# Python's overhead per node are not FLOPs.)
#
# ### Memory grows with depth
#
# Python's `tracemalloc` module records every memory allocation, numpy's arrays included.
# `get_traced_memory()` returns the memory in use now and the **peak** since it started.
# We measure two numbers for one training step:
#
# * **kept after forward**: what the graph holds when `forward` returns, waiting for
#   `backward()`;
# * **peak**: the most memory in use at any moment of forward + backward.

# %%
MiB = 2**20


def quarter_mib(nbytes):
    """Bytes in MiB, rounded to the nearest 0.25 MiB: the size of one (256, 256) activation.
    (This hides the few dozen KiB of small Python objects and bias gradients, whose exact
    size changes from one Python version to the next.)"""
    return round(nbytes / MiB * 4) / 4


def memory_of_step(blocks, segment=None):
    """(kept after forward, peak during forward + backward), in MiB."""
    zero_grads(blocks)  # every strategy starts without gradients
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    loss = forward(blocks, x, segment)
    kept = tracemalloc.get_traced_memory()[0] - base
    loss.backward()
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    return quarter_mib(kept), quarter_mib(peak)


array_mib = BATCH * WIDTH * 4 / MiB  # one (256, 256) float32 array
print(
    f"one activation: {BATCH} × {WIDTH} float32 = {array_mib} MiB; "
    f"a layer keeps 3 (x @ W, + b, relu) = {3 * array_mib} MiB"
)
print(f"{'depth':>5} {'kept after forward':>19} {'peak':>11}")
depths = [4, 8, 16, 24, 36]
memory_by_depth = [memory_of_step(make_blocks(d)) for d in depths]
for d, (kept, peak) in zip(depths, memory_by_depth, strict=True):
    print(f"{d:>5} {kept:>15.2f} MiB {peak:>7.2f} MiB")
print(
    f"{DEPTH} layers × {3 * array_mib} MiB = {DEPTH * 3 * array_mib} MiB, "
    f"plus {array_mib} MiB for the loss's h * h"
)

# %%
fig, ax = plt.subplots(figsize=(6, 3.6))
ax.plot(depths, [k for k, _ in memory_by_depth], "o-", label="kept after forward")
ax.plot(depths, [p for _, p in memory_by_depth], "s-", label="peak during the step")
ax.set_xlabel("depth (layers)")
ax.set_ylabel("MiB")
ax.set_xlim(0, None)
ax.set_ylim(0, None)
ax.set_title("Memory of one training step")
ax.legend()
fig.tight_layout()
plt.show()

# %% [markdown]
# Two straight lines. The graph keeps **0.75 MiB per layer**, exactly three activations:
# 36 layers keep 27.25 MiB, that is 27.0 for the layers and 0.25 for the loss's `h * h`. (The
# input `x` and the weights existed before we started measuring, so they are not counted.)
# The **peak** is about twice that, because the backward pass adds **gradients**: one per
# weight matrix (the result we want), and gradients for the intermediate arrays, which our
# engine keeps until `backward()` ends (so that `draw_dot` can show them afterwards).
#
# Scale this up: a real network has hundreds of layers, batches of images instead of rows
# of 256 numbers, and activations of gigabytes. Memory, not compute, is often what limits
# the batch size.
#
# ### Checkpointing
#
# `checkpoint(fn, x)` computes `fn(x)` **without recording a graph**: the arrays inside
# `fn` are freed as soon as they are used. It returns one node that remembers only `x` and
# `fn`. When `backward()` reaches that node, its rule
#
# 1. runs `fn(x)` **again**, this time recording a graph;
# 2. backpropagates the incoming gradient through that small graph (this fills in the
#    gradients of the weights inside `fn`, and of `x`);
# 3. throws the small graph away.
#
# `forward(blocks, x, segment=k)` above cuts the network into segments of `k` blocks and
# checkpoints each segment. Three strategies for our 36 layers:
#
# * **none**: keep everything (3 arrays per layer);
# * **every layer** (`k = 1`): keep each block's output, 36 arrays, and recompute one block
#   at a time;
# * **√n segments** (`k = 6`): keep only 6 segment outputs, and recompute one segment of 6
#   blocks at a time. Fewer checkpoints, a bigger recomputation: with `n` layers and
#   segments of `k`, memory grows like `n/k + k`, smallest when `k ≈ √n`.

# %%
strategies = {"none": None, "every layer": 1, "√n segments": 6}
results = {}
for name, segment in strategies.items():
    runs["block forwards"] = 0
    kept, peak = memory_of_step(blocks, segment)
    results[name] = (kept, peak, runs["block forwards"])
seconds = time_steps(blocks, strategies.values())  # plotted below

print(f"{'strategy':<13} {'kept after forward':>19} {'peak':>10} {'block forwards run':>19}")
for name, (kept, peak, forwards) in results.items():
    print(f"{name:<13} {kept:>15.2f} MiB {peak:>6.2f} MiB {forwards:>18}")
print(f"the weight gradients alone: {DEPTH * WIDTH * WIDTH * 4 / MiB:.1f} MiB")

# %% [markdown]
# * Memory kept after forward drops from **27.25 MiB** to **9.25** (36 block outputs) and
#   to **1.75** (6 segment outputs).
# * The peak drops from **54.25 MiB** to **28.25** and **19.5**. It cannot drop to zero: the
#   weight gradients alone are 9 MiB, and while a segment is recomputed, its activations and
#   their gradients are back for a moment.
# * The price: each checkpointed block runs **twice** — 72 block forwards instead of 36,
#   one extra forward pass in total. Since backward costs about 2T, a step goes from about
#   3T to about 4T FLOPs: up to a third more time.
#
# The clock, plotted against memory:

# %%
fig, ax = plt.subplots(figsize=(6, 3.8))
for (name, segment), marker in zip(strategies.items(), "osD", strict=True):
    ax.plot(1000 * sum(seconds[segment]), results[name][1], marker, ms=9, label=name)
ax.set_xlabel("time for one step (ms, fastest of 9)")
ax.set_ylabel("peak memory (MiB)")
ax.set_xlim(0, 1.2 * max(1000 * sum(t) for t in seconds.values()))
ax.set_ylim(0, 1.2 * max(peak for _, peak, _ in results.values()))
ax.set_title(f"Memory vs time, {DEPTH} layers")
ax.legend()
fig.tight_layout()
plt.show()

# %% [markdown]
# Both checkpointing strategies sit much lower (less memory) and further right (slower: the
# extra forward pass). On the clock the penalty is usually smaller than the third that the
# FLOP count predicts: the recomputation works on a few recently used arrays, which the
# processor reaches faster than many arrays spread over memory. The √n strategy is the
# lowest, at about the same time as the every-layer one: both recompute every block once.
# (On a busy computer the timings wobble; run the cell again if the points look odd.)
#
# Is 6 really the best segment length? Try them all, from 1 block per segment up to 36 (a
# single segment, which keeps nothing but recomputes the whole network at once):

# %%
segments = [1, 2, 3, 4, 6, 9, 12, 18, 36]
peaks = [memory_of_step(blocks, k)[1] for k in segments]
print("segment length:", segments)
print("peak (MiB):    ", peaks)

fig, ax = plt.subplots(figsize=(6, 3.6))
ax.plot(segments, peaks, "o-")
ax.axhline(results["none"][1], color="gray", ls="--", label="no checkpointing")
ax.set_xscale("log")
ax.set_xticks(segments, [str(k) for k in segments])
ax.set_xlabel("blocks per segment (log scale)")
ax.set_ylabel("peak memory (MiB)")
ax.set_ylim(0, None)
ax.set_title("Peak memory vs segment length")
ax.legend()
fig.tight_layout()
plt.show()

# %% [markdown]
# A valley: short segments keep many checkpoints, long segments recompute (and briefly hold)
# a lot at once. The bottom is at 4 blocks per segment, 18.5 MiB, close to √36 = 6 and its
# 19.5 MiB: the exact best depends on how many arrays a layer holds while it is recomputed,
# but `√n` is always in the right neighbourhood.
#
# ### The gradients do not change
#
# Checkpointing recomputes the same numbers with the same operations, so the gradients must
# come out **identical** — not just close, bit for bit:


# %%
def gradients(blocks, segment):
    zero_grads(blocks)
    forward(blocks, x, segment).backward()
    return [p.grad.copy() for block in blocks for p in block.parameters()]


plain = gradients(blocks, None)
for name in ["every layer", "√n segments"]:
    grads = gradients(blocks, strategies[name])
    same = all(np.array_equal(a, b) for a, b in zip(plain, grads, strict=True))
    diff = max(float(np.abs(a - b).max()) for a, b in zip(plain, grads, strict=True))
    print(f"{name:<12} {len(grads)} gradients identical: {same},  max abs difference: {diff}")

# %% [markdown]
# ## The picture
#
# What does a checkpointed graph look like? Two blocks on a tiny batch, first without and
# then with a checkpoint per block:

# %%
tiny_rng = np.random.default_rng(0)
tiny = [Sequential(Linear(3, 3, rng=tiny_rng, dtype=np.float64), ReLU()) for _ in range(2)]
for k, block in enumerate(tiny, start=1):
    block[0].W.label, block[0].b.label = f"W{k}", f"b{k}"
x_tiny = Tensor(tiny_rng.standard_normal((2, 3)).round(1), requires_grad=True, label="x")

loss_plain = tiny[1](tiny[0](x_tiny)).sum()
loss_plain.label = "loss"
plain_picture = draw_dot(loss_plain)
print(plain_picture.text())
plain_picture

# %%
h1 = checkpoint(tiny[0], x_tiny)
h1.label = "h1"
h2 = checkpoint(tiny[1], h1)
h2.label = "h2"
loss_ckpt = h2.sum()
loss_ckpt.label = "loss"
ckpt_picture = draw_dot(loss_ckpt)
print(ckpt_picture.text())
ckpt_picture

# %% [markdown]
# The first graph has 12 nodes, six of them activations (`n2` to `n10`) kept for backward.
# The checkpointed one has 4: the input, the two block outputs and the loss. The weights
# have vanished from the picture: they are used *inside* `fn`, where no graph was recorded.
# The checkpoint's rule finds them again when it replays the block.
#
# Press ▶ and watch the gradient hop from checkpoint to checkpoint. Each `checkpoint` step
# is a whole small forward and backward pass, hidden inside one rule.

# %%
animation = animate_backward(loss_ckpt)
animation

# %%
for step in animation.steps[2:]:
    print(f"step {step.index}: {step.caption}\n")
print("W1.grad, filled in by the replay of block 1:\n", tiny[0][0].W.grad.round(4))

# %% [markdown]
# ## Exercise
#
# ✏️ **Your turn: build your own checkpoint.** The forward half of `my_checkpoint(fn, x)` is
# given: it runs `fn` under `no_grad()` and makes a node that remembers only `x`. Write its
# backward rule, the three steps from above:
#
# 1. make a fresh leaf with the same data, `x_again = Tensor(x.data,
#    requires_grad=x.requires_grad)`, and run `y_again = fn(x_again)` — a graph is recorded
#    this time;
# 2. backpropagate the incoming gradient through it: `y_again.backward(out.grad)` (this also
#    fills in the gradients of the weights inside `fn`);
# 3. if `x` requires grad, **add** `x_again.grad` into `x.grad` (`None` means nothing yet).
#
# It is lesson 03 again: a node, its inputs in `_prev`, and a rule `_backward(out)`.


# %%
def my_checkpoint(fn, x):
    """fn(x), keeping none of fn's activations: they are recomputed during backward."""
    with no_grad():
        y = fn(x)  # forward without a graph: fn's arrays are freed at once
    out = Tensor(y.data, requires_grad=True)
    out._prev = (x,)  # the only thing this node remembers (and fn, in the rule)
    out._op = "my_checkpoint"

    def _backward(out):
        # ✏️ Exercise: steps 1-3 above.
        raise NotImplementedError("write the backward rule of my_checkpoint")

    out._backward = _backward
    return out


# %% [markdown]
# The checker builds small networks of three blocks, once without checkpointing and once
# with `my_checkpoint` around every block, and compares the loss, every weight's gradient
# and the input's gradient. It also counts the forward runs: each block must run exactly
# twice.


# %%
def check_my_checkpoint(my_checkpoint):
    rng = np.random.default_rng(0)
    for x_needs_grad in [True, False]:
        blocks = [Sequential(Linear(4, 4, rng=rng, dtype=np.float64), ReLU()) for _ in range(3)]
        data = rng.standard_normal((5, 4))
        # the reference: plain backprop
        x_ref = Tensor(data, requires_grad=x_needs_grad)
        h = x_ref
        for block in blocks:
            h = block(h)
        expected_loss = (h * h).sum()
        expected_loss.backward()
        expected = [p.grad.copy() for block in blocks for p in block.parameters()]
        for block in blocks:
            block.zero_grad()
        # yours, counting the forward runs
        count = [0]

        def counted(block, count=count):
            def run(t):
                count[0] += 1
                return block(t)

            return run

        x_mine = Tensor(data, requires_grad=x_needs_grad)
        h = x_mine
        try:
            for block in blocks:
                h = my_checkpoint(counted(block), h)
            loss = (h * h).sum()
            loss.backward()
        except NotImplementedError as err:
            print(f"not yet: {err}")
            return
        except Exception as err:
            print(f"✗ raised {err!r}")
            return
        where = f"(input requires grad: {x_needs_grad})"
        if not np.allclose(loss.data, expected_loss.data):
            print(f"✗ loss {where}: got {loss.item():.6g}, expected {expected_loss.item():.6g}")
            return
        if count[0] != 2 * len(blocks):
            print(
                f"✗ {where}: the blocks ran {count[0]} times, expected {2 * len(blocks)} "
                "(once forward, once in the replay)"
            )
            return
        names = [f"{n} of block {i}" for i in range(1, 4) for n in ("W", "b")]
        got = [p.grad for block in blocks for p in block.parameters()]
        for name, g, e in zip(names, got, expected, strict=True):
            if g is None:
                print(
                    f"✗ {name} got no gradient {where}: did you backpropagate out.grad "
                    "through y_again?"
                )
                return
            if not np.allclose(g, e):
                print(f"✗ gradient of {name} {where}:\ngot\n{g.round(4)}\nexpected\n{e.round(4)}")
                return
        if x_needs_grad:
            if x_mine.grad is None:
                print("✗ the input x got no gradient: step 3 passes x_again.grad on to x")
                return
            if not np.allclose(x_mine.grad, x_ref.grad):
                print(
                    f"✗ gradient of the input x:\ngot\n{x_mine.grad.round(4)}\n"
                    f"expected\n{x_ref.grad.round(4)}"
                )
                return
        elif x_mine.grad is not None:
            print("✗ the input x does not require grad, but got a gradient")
            return
    print("✓ my_checkpoint: same loss, same gradients, each block run twice")


# %%
check_my_checkpoint(my_checkpoint)

# %% [markdown]
# **Solution** (open only if stuck)


# %% jupyter={"source_hidden": true}
def my_checkpoint(fn, x):
    """fn(x), keeping none of fn's activations: they are recomputed during backward."""
    with no_grad():
        y = fn(x)  # forward without a graph: fn's arrays are freed at once
    out = Tensor(y.data, requires_grad=True)
    out._prev = (x,)  # the only thing this node remembers (and fn, in the rule)
    out._op = "my_checkpoint"

    def _backward(out):
        x_again = Tensor(x.data, requires_grad=x.requires_grad)  # 1. a fresh leaf ...
        y_again = fn(x_again)  # ... and the forward again, with a graph this time
        y_again.backward(out.grad)  # 2. weights inside fn get their gradients here
        if x.requires_grad:  # 3. pass the input's gradient on, with +=
            x.grad = x_again.grad if x.grad is None else x.grad + x_again.grad

    out._backward = _backward
    return out


# %%
check_my_checkpoint(my_checkpoint)

# %% [markdown]
# ## Try it
#
# * **Use your checkpoint.** In `forward`, replace `checkpoint(...)` by
#   `my_checkpoint(...)` and re-run the strategy table: the numbers should barely move.
# * **Halve the batch.** Set `BATCH = 128` in the cell that defines the blocks and re-run
#   from there. Every activation halves, and so does the memory they take; the weight
#   gradients do not (they do not depend on the batch).
# * **A deeper network.** With `DEPTH = 64`, where is the bottom of the valley? Is it still
#   near √64 = 8?
# * **Predict the FLOPs** of `[784, 256, 256, 10]` with a batch of 128 (the classic MNIST
#   network) by hand, then check with `mlp_flops`.

# %% [markdown]
# ## Quiz

# %%
Quiz(
    "A layer computes `x @ W` with x of shape (n, k) and W of shape (k, m), and both need "
    "gradients. How many FLOPs does its backward pass take?",
    ["2nkm", "4nkm", "nkm", "2nk + 2km"],
    1,
    "Two products of the same size as the forward one: G @ W.T for x and x.T @ G for W, "
    "2nkm each. So backward ≈ 2 × forward.",
)

# %%
Quiz(
    "Why does the memory of a training step grow with the depth of the network?",
    [
        "the weights get bigger",
        "backward rules need values from the forward pass, so every layer's activations "
        "stay in memory until backward() has used them",
        "numpy copies the whole network at every layer",
        "gradients are stored as float64",
    ],
    1,
    "relu's rule needs its output and @'s rule needs its inputs. Until backward() runs, "
    "every layer's arrays must be kept: 0.75 MiB per layer in our deep network.",
)

# %%
Quiz(
    "A 100-layer network is checkpointed in segments of 10 layers (√100). How many layer "
    "forwards does one training step run?",
    ["100", "110", "200", "1,000"],
    2,
    "Each layer runs once in the forward pass and once more when its segment is "
    "recomputed during backward: 200, one extra forward pass in total.",
)

# %% [markdown]
# ## Summary
#
# * A product `(n×k) @ (k×m)` costs **2nkm** FLOPs. Backward needs two such products per
#   layer, so it costs about **2T** when the forward pass costs `T` (1.97 T for our deep
#   network).
# * Backward rules read the forward pass's arrays, so a training step **keeps every
#   activation** until `backward()`: memory grows linearly with depth (0.75 MiB per layer
#   here) and with the batch.
# * **Checkpointing** stores only some arrays and recomputes the rest during backward:
#   one extra forward pass (about a third more time) for much less memory. Segments of
#   about **√n** layers keep the least.
# * The gradients stay **bit-for-bit identical**: the same operations on the same numbers.
#
# That is the end of the series: from a derivative by hand to a tensor engine that reads
# handwriting and knows what its memory is spent on. **[Back to the start](00_start_here.ipynb)**
