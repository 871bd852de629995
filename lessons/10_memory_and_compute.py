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
# pass remembered.* This lesson counts both costs on **your** tensor engine, and trades one
# for the other.
#
# **Goals**
#
# * count the **FLOPs** of a forward and a backward pass, and see why backward costs
#   about **2×** the forward;
# * measure how **memory grows with depth**, and know what fills it: the saved
#   *activations*, the arrays the forward pass computes on the way (and, in your `Tensor`,
#   their gradients);
# * see why a graph of your `Tensor` outlives its last use, and free it at once;
# * write **gradient checkpointing**, `checkpoint(fn, x)`, yourself: store less, recompute
#   more, and compare three strategies by memory, by counted work and by the clock;
# * confirm that checkpointing changes **nothing** about the gradients.
#
# **Builds on:** [09 · Real digits](09_digits.ipynb) (your `Linear` layer and training
# loop), [08 · Tensors](08_tensors.ipynb) (the matmul gradient) and
# [05 · How backward works](05_how_backward_works.ipynb) (reference cycles).

# %% [markdown]
# This lesson works on **your** tensor engine: the `Tensor` of lesson 08 and the `Linear`
# layer of lesson 09. The next cell loads it (your own code where it passed its check, the
# reference solution elsewhere) and says which. Its first line says whether you have finished
# lesson 09 (its exercises passed, its quiz answered right); go on either way.

# %%
from autograd import start_lesson

engine = start_lesson("10")  # your code from lessons 08-09 where it passed, else the reference
Tensor, Linear = engine.Tensor, engine.Linear
engine

# %% [markdown]
# ## The idea
#
# **Compute.** Almost all the work of an MLP is matrix products. `(n×k) @ (k×m)` makes
# `n·m` numbers, each a sum of `k` products: `k` multiplications and `k` additions, so
# **2·n·k·m floating-point operations (FLOPs)**. In lesson 08 you saw that the backward
# pass of `C = A @ B` needs **two** products of the same size, `G @ B.T` and `A.T @ G`. So if
# the forward pass costs `T` FLOPs, the backward pass costs about `2T`.
#
# **Memory.** Backward rules read numbers from the forward pass: `relu` needs its input,
# `@` needs both of its inputs. So every node keeps its array alive until `backward()` has
# used it. These arrays, the results of the layers and of every operation inside them, are
# called **activations**. A deeper network keeps more of them: memory grows **linearly with
# depth** (and with the batch size).
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
# one we use for the rest of this lesson: 36 layers of 128 units, a batch of 128.
#
# For each layer `y = x @ W + b`, with `x` of shape `(n, k)` and `W` of shape `(k, m)`:
#
# * forward: one product, `2nkm`;
# * backward: `dL/dW = x.T @ G`, another `2nkm`, and `dL/dx = G @ W.T`, another `2nkm`.
#   The **first** layer can skip `dL/dx`: its input is data (the images), nobody needs its
#   gradient. (Your `Tensor` cannot tell data from weights, so it computes that product
#   anyway; PyTorch skips it, because data is made with `requires_grad=False`.)
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

from autograd import animate_backward, check_checkpoint, draw_dot, prefer_yours, quiz
from autograd import study_with_ai

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
    ("deep 36 × 128, batch 128", [128] * 37, 128),
]:
    fwd, bwd = mlp_flops(sizes, batch)
    print(f"{name:<28} {fwd:>15,} {bwd:>15,} {bwd / fwd:>13.2f}")

# %% [markdown]
# The deep network's backward pass costs **1.97 T**: two products per layer, except the
# first. The digits network gets away with **1.14 T**, because almost all of its work is in
# the first layer (64 inputs × 64 units, against 64 × 10 in the second), and that layer
# skips `dL/dx`.
#
# ### The deep network
#
# Each block is your `Linear` + ReLU, and counts how often it runs (we need that count
# later). `run_blocks(blocks)` is one function for a whole stretch of blocks.

# %%
WIDTH, BATCH, DEPTH = 128, 128, 36
runs = {"block forwards": 0}


class Block:
    """relu(x @ W + b), counting every run."""

    def __init__(self, rng):
        self.linear = Linear(WIDTH, WIDTH, rng)

    def __call__(self, x):
        runs["block forwards"] += 1
        return self.linear(x).relu()

    def parameters(self):
        return self.linear.parameters()


def make_blocks(depth, seed=0):
    rng = np.random.default_rng(seed)
    return [Block(rng) for _ in range(depth)]


def run_blocks(blocks):
    """One function h -> the output of these blocks, one after the other."""

    def fn(h):
        for block in blocks:
            h = block(h)
        return h

    return fn


def zero_grads(blocks):
    for block in blocks:
        for p in block.parameters():
            p.grad = np.zeros_like(p.data)


def forward(blocks, x):
    """The loss mean(h²) of the network."""
    h = run_blocks(blocks)(x)
    return (h * h).mean()


x = Tensor(np.random.default_rng(1).standard_normal((BATCH, WIDTH)))
blocks = make_blocks(DEPTH)

# %% [markdown]
# ### Memory grows with depth
#
# Python's `tracemalloc` module records every memory allocation, numpy's arrays included.
# `get_traced_memory()` returns the memory in use now and the **peak** since it started.
# We measure two numbers for one training step:
#
# * **kept after forward**: what the graph holds when `forward` returns, waiting for
#   `backward()`;
# * **peak**: the most memory in use at any moment of forward + backward.
#
# Every array here is `(128, 128)` float64, 128 KiB, so we count memory in whole arrays.

# %%
MiB = 2**20
ARRAY = BATCH * WIDTH * 8  # bytes in one (128, 128) float64 array: 128 KiB


def mib(nbytes):
    """Bytes in MiB, counted in whole (128, 128) arrays. The rest, less than one array, is
    Python's own objects and the small bias arrays, whose size changes from one Python
    version to the next."""
    return nbytes // ARRAY * ARRAY / MiB


def memory_of_step(blocks, step):
    """(kept after the forward, peak during forward + backward), in MiB, of
    `loss = step(blocks, x); loss.backward()`."""
    zero_grads(blocks)  # every strategy starts with zero gradients
    gc.collect(1)  # start clean: free any young garbage (a quick, partial collection)
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    loss = step(blocks, x)
    kept = tracemalloc.get_traced_memory()[0] - base
    loss.backward()
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    free_graph(loss)  # (see below: this frees the graph at once)
    return mib(kept), mib(peak)


def free_graph(root):
    """Break every reference cycle in root's graph, so that dropping it frees it at once.

    Each node's rule is a closure that refers back to the node (lesson 05), so a graph is a
    heap of cycles. With the rules gone, plain reference counting frees every node as soon
    as nothing uses it. Afterwards the graph cannot be backpropagated: use it on a graph
    you are done with.
    """
    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if id(node) not in seen:
            seen.add(id(node))
            node._backward = None
            stack.extend(node._prev)


gc.collect()  # once, before we measure: what earlier cells left behind
print(f"one activation: {BATCH} × {WIDTH} float64 = {ARRAY / MiB} MiB")
print(f"{'depth':>5} {'kept after forward':>19} {'peak':>11}")
depths = [4, 8, 16, 24, 36]
memory_by_depth = [memory_of_step(make_blocks(d), forward) for d in depths]
for d, (kept, peak) in zip(depths, memory_by_depth, strict=True):
    print(f"{d:>5} {kept:>15.3f} MiB {peak:>7.3f} MiB")
per_layer = (memory_by_depth[-1][0] - memory_by_depth[0][0]) / (depths[-1] - depths[0])
print(f"per layer: {per_layer:.3f} MiB = {per_layer * MiB / ARRAY:.0f} arrays")

# %%
fig, ax = plt.subplots(figsize=(6, 3.6))
ax.plot(depths, [k for k, _ in memory_by_depth], "o-", label="kept after forward")
ax.plot(depths, [p for _, p in memory_by_depth], "s--", label="peak during the step")
ax.set_xlabel("depth (layers)")
ax.set_ylabel("MiB")
ax.set_xlim(0, None)
ax.set_ylim(0, None)
ax.set_title("Memory of one training step")
ax.legend()
fig.tight_layout()
plt.show()

# %% [markdown]
# A straight line: the graph keeps **0.750 MiB per layer**, six arrays. Each layer makes
# three nodes (`x @ W`, `+ b`, `relu`), and each node of your `Tensor` holds **two** arrays:
# its `data`, and its `grad`, which `Tensor.__init__` creates right away
# (`np.zeros_like(data)`). 36 layers keep 27.25 MiB: 27.0 for the layers and 0.25 for the
# loss's `h * h`. (The input `x` and the weights existed before we started measuring, so
# they are not counted.) The **peak** is barely higher: the gradients already exist, and
# backward only adds a few temporary arrays.
#
# Scale this up: a real network has hundreds of layers, batches of images instead of rows
# of 128 numbers, and activations of gigabytes. Memory, not compute, is often what limits
# the batch size.
#
# ### A graph that will not go away
#
# `memory_of_step` ended with `free_graph(loss)`. Why? Watch what happens to the memory of
# one step when we simply drop the loss. (The automatic garbage collector is switched off
# for this cell, so that it cannot run at a moment of its own choosing.)

# %%
gc.collect()
gc.disable()
zero_grads(blocks)
tracemalloc.start()
loss = forward(blocks, x)
loss.backward()
print(f"after backward:     {mib(tracemalloc.get_traced_memory()[0]):6.3f} MiB")
del loss  # the last name for the graph
print(f"after del loss:     {mib(tracemalloc.get_traced_memory()[0]):6.3f} MiB")
gc.collect()  # a full collection: Python looks at every object of the program
print(f"after gc.collect(): {mib(tracemalloc.get_traced_memory()[0]):6.3f} MiB")

loss = forward(blocks, x)
loss.backward()
free_graph(loss)
del loss
print(f"with free_graph:    {mib(tracemalloc.get_traced_memory()[0]):6.3f} MiB")
tracemalloc.stop()
gc.enable()

# %% [markdown]
# Dropping the last name of the graph frees **nothing**: every node is part of a reference
# cycle (node → its closure `_backward` → the node), so each one is still "used" by
# another, and reference counting never reaches zero. Only the garbage collector can free
# such a heap, when it next runs; a full collection looks at every object of the program
# (here: all of numpy, matplotlib, Jupyter...). `free_graph` breaks the
# cycles, and the memory comes back at once. This is the cost lesson 05 measured in time;
# here it is memory. (Lesson 05's `_backward(out)` form has no cycles at all.)
#
# ### The clock
#
# Timings vary from run to run, so we only plot them.


# %%
def time_steps(blocks, steps, repeats=5):
    """{name: (forward seconds, backward seconds)} for each step function: the fastest of
    `repeats` runs, the least disturbed by whatever else the machine does. The steps take
    turns, so a busy moment slows all of them alike."""
    best = {name: [np.inf, np.inf] for name in steps}
    for _ in range(repeats):
        for name, step in steps.items():
            zero_grads(blocks)
            start = time.perf_counter()
            loss = step(blocks, x)
            middle = time.perf_counter()
            loss.backward()
            best[name][0] = min(best[name][0], middle - start)
            best[name][1] = min(best[name][1], time.perf_counter() - middle)
            free_graph(loss)
    return best


t_fwd, t_bwd = time_steps(blocks, {"none": forward})["none"]
fig, ax = plt.subplots(figsize=(5, 2.6))
ax.barh(["backward", "forward"], [1000 * t_bwd, 1000 * t_fwd], color=["C3", "C0"])
ax.axvline(2000 * t_fwd, color="gray", ls="--", label="2 × forward")
ax.set_xlabel("milliseconds (fastest of 5)")
ax.set_title(f"One step of the deep network ({DEPTH} layers)")
ax.legend(loc="upper right")
fig.tight_layout()
plt.show()

# %% [markdown]
# If the clock followed the count, the backward bar would end at the dashed line, twice the
# forward time. Where it really ends depends on your machine (and a little on the run),
# because the count sees only the products and the clock sees everything:
#
# * your forward pass also **allocates every node's gradient** (`np.zeros_like(data)` in
#   `Tensor.__init__`, one array per node): work no FLOP count includes, and it makes the
#   forward bar longer;
# * the elementwise work (`+ b`, `relu`, adding into `grad`), memory traffic and Python's
#   overhead per node are not FLOPs either;
# * and your `Tensor` computes `dL/dx` for the first layer too.
#
# So on some machines the backward bar ends short of the line, on others past it. The
# count is the part that does not change.
#
# ### Checkpointing
#
# `checkpoint(fn, x)` computes `fn(x)` **without keeping its graph**: the arrays inside
# `fn` are freed as soon as `fn` returns. It returns one node that remembers only `x` (and
# `fn`, in its rule). When `backward()` reaches that node, its rule
#
# 1. runs `fn` **again**, this time keeping the graph;
# 2. backpropagates the incoming gradient through that small graph (this fills in the
#    gradients of the weights inside `fn`, and of `x`);
# 3. throws the small graph away.
#
# ## Exercise ✏️ `checkpoint(fn, x)`
#
# Write it, for a function `fn` of one `Tensor` whose graph starts at `x` and at leaves
# (its weights):
#
# * **forward**: run `fn` on a **fresh leaf** with the same numbers, `y = fn(Tensor(x.data))`,
#   so that `fn`'s graph ends there and not in `x`'s graph. Make the node
#   `out = Tensor(y.data, (x,), "checkpoint")`: it keeps `fn`'s result and `x`, nothing else.
#   Then `free_graph(y)`: without it, `fn`'s graph would stay in memory until the garbage
#   collector runs, and nothing would be saved;
# * **backward** (`def _backward():`, closing over `out` as always): the three steps
#   above, in your own code. Run `fn` again, on a fresh leaf with `x`'s numbers (not on `x`
#   itself: a backward from there would run `x`'s own graph too), keeping the graph this
#   time. Send the gradient that arrived, `out.grad`, back through that graph: your
#   `backward()` takes the gradient to start from as its argument. That fills in the
#   weights' gradients, and the fresh leaf's, which is `x`'s share: add it into `x.grad`
#   (`x` may be used elsewhere too, and the check tries that). Then free the replayed graph.

# %% tags=["exercise"]
def checkpoint(fn, x):
    """fn(x) as one node that keeps none of fn's activations: backward computes them again."""
    # ✏️ your code here: the forward, the node, its _backward
    raise NotImplementedError("write checkpoint(fn, x)")


# %% [markdown]
# The check runs small networks of three blocks, once plainly and once with every block
# checkpointed, for an input that is a leaf and one computed by an earlier operation, and a
# block whose input is used twice, `checkpoint(fn, x) + x`. It compares the output and every
# gradient, counts how often each block runs (exactly twice), watches the Tensors made
# inside `fn` (with the garbage collector off: they must be gone right after `checkpoint`
# returns, and after backward), and measures the peak memory of a deeper network with
# `tracemalloc`.

# %%
check_checkpoint(checkpoint)

# %% [markdown]
# **Solution** (open only if stuck). Run this cell either way: if your code passed the check
# it keeps yours; otherwise the lesson goes on with the solution.

# %% tags=["solution"] jupyter={"source_hidden": true}
### BEGIN SOLUTION
def checkpoint(fn, x):
    """fn(x) as one node that keeps none of fn's activations: backward computes them again."""
    y = fn(Tensor(x.data))  # 1. the forward, from a fresh leaf: fn's graph ends there
    out = Tensor(y.data, (x,), "checkpoint")  # keeps fn's result and x, nothing else
    free_graph(y)  # 2. fn's graph is freed now, not whenever the garbage collector runs

    def _backward():
        x_again = Tensor(x.data)  # 3. a fresh leaf with the same numbers ...
        y_again = fn(x_again)  # ... and fn again: this time we keep its graph
        y_again.backward(out.grad)  # 4. the weights inside fn get their gradients here
        x.grad += x_again.grad  # 5. x's share, added: x may be used elsewhere too
        free_graph(y_again)  # 6. and the replayed graph is freed at once

    out._backward = _backward
    return out
### END SOLUTION
prefer_yours("10.checkpoint")

# %% [markdown]
# ### Three strategies
#
# `forward(blocks, x, segment=k)` cuts the network into segments of `k` blocks and
# checkpoints each segment. Three strategies for our 36 layers:
#
# * **none**: keep everything (6 arrays per layer);
# * **every layer** (`k = 1`): keep each block's output (2 arrays: data and grad), and
#   recompute one block at a time;
# * **√n segments** (`k = √36 = 6`): keep only 6 segment outputs, and recompute one segment
#   of 6 blocks at a time.


# %%
def forward(blocks, x, segment=None):
    """The loss mean(h²) of the network. segment=k: checkpoint every k blocks."""
    h = x
    if segment is None:
        h = run_blocks(blocks)(h)
    else:
        for start in range(0, len(blocks), segment):
            h = checkpoint(run_blocks(blocks[start : start + segment]), h)
    return (h * h).mean()


strategies = {"none": None, "every layer": 1, "√n segments": round(np.sqrt(DEPTH))}
results = {}
for name, segment in strategies.items():
    runs["block forwards"] = 0
    kept, peak = memory_of_step(blocks, lambda b, x, segment=segment: forward(b, x, segment))
    results[name] = (kept, peak, runs["block forwards"])

block_flops = matmul_flops(BATCH, WIDTH, WIDTH)  # one block's forward product
T = DEPTH * block_flops  # the forward pass's FLOPs
step_flops = {}  # each block forward: 1 product; each block's backward: 2 (dW and dx)
print(f"{'strategy':<13} {'kept after forward':>19} {'peak':>10} {'block runs':>11} "
      f"{'FLOPs':>14} {'FLOPs / T':>10}")  # fmt: skip
for name, (kept, peak, forwards) in results.items():
    step_flops[name] = (forwards + 2 * DEPTH) * block_flops
    print(f"{name:<13} {kept:>15.3f} MiB {peak:>6.3f} MiB {forwards:>11} "
          f"{step_flops[name]:>14,} {step_flops[name] / T:>10.2f}")  # fmt: skip
extra = step_flops["every layer"] / step_flops["none"] - 1
print(f"checkpointing costs {extra:.0%} more FLOPs per step: one extra forward pass")
print(f"the weights' gradients alone: {DEPTH * WIDTH * WIDTH * 8 / MiB:.1f} MiB")
for name, segment in strategies.items():
    if segment:  # one checkpoint node per segment; free_graph walks its graph twice
        n_checkpoints = -(-DEPTH // segment)  # DEPTH / segment, rounded up
        print(f"{name}: {n_checkpoints} checkpoint nodes, {2 * n_checkpoints} free_graph walks")

# %% [markdown]
# * Memory kept after forward drops from **27.25 MiB** to **9.25** (36 block outputs, each
#   with its gradient) and to **1.75** (6 segment outputs).
# * The peak drops from **27.5 MiB** to **10.375** and **6.625**. It cannot drop to zero:
#   while a segment is recomputed, its activations and their gradients are back for a
#   moment. (The weights' gradients, 4.5 MiB, are not in these numbers at all: they were
#   allocated before we started measuring.)
# * The price: each checkpointed block runs **twice** — 72 block runs instead of 36, one
#   extra forward pass. Since backward costs about 2T, a step goes from 3T to 4T FLOPs:
#   **33 %** more work, counted.
# * Why 3.00 T for a plain step (the last column), when the first table gave T + 1.97 T?
#   This table counts what **your** `Tensor` does: two backward products for every block,
#   the first one too, because it computes the first layer's `dL/dx` as well (it cannot
#   tell data from weights). The first table counted only what a step needs.
#
# The clock, plotted against memory:

# %%
steps = {name: (lambda b, x, segment=segment: forward(b, x, segment))
         for name, segment in strategies.items()}  # fmt: skip
seconds = time_steps(blocks, steps)
fig, ax = plt.subplots(figsize=(6, 3.8))
for name, marker in zip(strategies, "osD", strict=True):
    ax.plot(1000 * sum(seconds[name]), results[name][1], marker, ms=9, label=name)
ax.set_xlabel("time for one step (ms, fastest of 5)")
ax.set_ylabel("peak memory (MiB)")
ax.set_xlim(0, 1.2 * max(1000 * sum(t) for t in seconds.values()))
ax.set_ylim(0, 1.2 * max(peak for _, peak, _ in results.values()))
ax.set_title(f"Memory vs time, {DEPTH} layers")
ax.legend()
fig.tight_layout()
plt.show()

# %% [markdown]
# Both checkpointing strategies sit much lower: far less memory. Where they sit left to
# right depends on your machine, which is why we do not print the times. The count is
# certain: **33 %** more FLOPs, so if time followed FLOPs the checkpointed points would sit
# a third further right than the plain one. The clock also sees costs that are not FLOPs,
# and they pull both ways:
#
# * some come with checkpointing: "every layer" makes 36 checkpoint nodes and 72
#   `free_graph` walks per step (√n segments: 6 and 12, printed under the table), and every
#   replayed node allocates its `data` and its `grad` again;
# * others shrink: without checkpointing, a step writes 27.25 MiB of fresh arrays, while a
#   checkpointed step keeps reusing a few MiB that the processor's caches (and the memory
#   allocator) still have at hand.
#
# So on your machine the checkpointed points may sit more or less than a third further
# right, and their order may change from run to run. (On a busy computer the timings
# wobble; run the cell again if they look odd.)
#
# Is 6 really the best segment length? Try every length that divides the 36 layers into
# equal segments, from 1 block per segment up to 36 (a single segment, which keeps nothing
# but recomputes the whole network at once):

# %%
segments = [k for k in range(1, DEPTH + 1) if DEPTH % k == 0]  # the divisors of DEPTH
peaks = [memory_of_step(blocks, lambda b, x, k=k: forward(b, x, k))[1] for k in segments]
print("segment length:", segments)
print("peak (MiB):    ", peaks)
best = segments[int(np.argmin(peaks))]
print(f"lowest peak: {min(peaks)} MiB, at {best} blocks per segment")
print(f"sqrt({DEPTH}) = {np.sqrt(DEPTH):.1f}; sqrt({DEPTH} * 2 / 6) = {np.sqrt(DEPTH * 2 / 6):.1f}")

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
# A valley: short segments keep many checkpoints, long segments recompute (and briefly
# hold) a lot at once. With `n` layers and segments of `k`, the peak is about
# `a·n/k + b·k`: `n/k` checkpoints of `a` arrays each, plus one segment of `k` layers of
# `b` arrays being recomputed. That is smallest at `k = √(a·n/b)`. With `a = b`, the
# classic rule, it is `√n`; your `Tensor` keeps `a = 2` arrays per checkpoint and `b = 6`
# per layer, so the best is near `√(36·2/6) = 3.5`, and the valley's bottom is indeed at 3
# and 4 blocks per segment. `√n` is always in the right neighbourhood.
#
# ### The gradients do not change
#
# Checkpointing recomputes the same numbers with the same operations, so the gradients must
# come out **identical** — not just close, bit for bit:


# %%
def gradients(blocks, segment):
    zero_grads(blocks)
    loss = forward(blocks, x, segment)
    loss.backward()
    free_graph(loss)
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
tiny = [Linear(3, 3, tiny_rng) for _ in range(2)]
for k, layer in enumerate(tiny, start=1):
    layer.W.label, layer.b.label = f"W{k}", f"b{k}"
tiny_blocks = [lambda h, layer=layer: layer(h).relu() for layer in tiny]
x_tiny = Tensor(tiny_rng.standard_normal((2, 3)).round(1), label="x")

loss_plain = tiny_blocks[1](tiny_blocks[0](x_tiny)).sum()
loss_plain.label = "loss"
plain_picture = draw_dot(loss_plain)
print(plain_picture.text())
plain_picture

# %%
h1 = checkpoint(tiny_blocks[0], x_tiny)
h1.label = "h1"
h2 = checkpoint(tiny_blocks[1], h1)
h2.label = "h2"
loss_ckpt = h2.sum()
loss_ckpt.label = "loss"
ckpt_picture = draw_dot(loss_ckpt)
print(ckpt_picture.text())
ckpt_picture

# %% [markdown]
# The first graph has 12 nodes, six of them activations (`n2` to `n10`) kept for backward.
# The checkpointed one has 4: the input, the two block outputs and the loss. The weights
# have vanished from the picture: they are used *inside* `fn`, whose graph was freed. The
# checkpoint's rule finds them again when it replays the block.
#
# Press ▶ and watch the gradient hop from checkpoint to checkpoint. Each `checkpoint` step
# is a whole small forward and backward pass, hidden inside one rule.

# %%
for layer in tiny:
    for p in layer.parameters():
        p.grad = np.zeros_like(p.data)
animation = animate_backward(loss_ckpt)
animation

# %%
for step in animation.steps[2:]:
    print(f"step {step.index}: {step.caption}\n")
print("W1.grad, filled in by the replay of block 1:\n", tiny[0].W.grad.round(4))
z1 = x_tiny.data @ tiny[0].W.data + tiny[0].b.data
print("block 1 before its relu, x @ W1 + b1:\n", z1.round(4))

# %% [markdown]
# The third column of `W1.grad` is all zeros. The reason is in the last array: the third
# unit of block 1 is negative for both rows of this tiny batch, so its `relu` outputs 0 and
# passes no gradient back (the slope of `relu` is 0 there). For this input that unit is
# *dead*: its weights, the third column of `W1`, learn nothing from it. Checkpointing has
# nothing to do with it; the plain graph gives the same zeros.

# %% [markdown]
# ## Try it
#
# * **Forget `free_graph`.** In a new cell, define `checkpoint` again without its two
#   `free_graph` calls (keep the name `checkpoint`: `forward` calls that name) and re-run
#   the strategy table. Where did the savings go? `check_checkpoint(checkpoint)` says why.
#   Afterwards, run the solution cell again to get a right `checkpoint` back.
# * **Halve the batch.** Set `BATCH = 64` in the cell that defines the blocks and re-run
#   from there. Every activation halves, and so does the memory they take; the weights'
#   gradients do not (they do not depend on the batch).
# * **A deeper network.** Set `DEPTH = 64` in the cell that defines the blocks and re-run
#   from there. Where is the bottom of the valley? Is it near `√(64·2/6) ≈ 4.6`?
# * **Predict the FLOPs** of `[784, 256, 256, 10]` with a batch of 128 (the classic MNIST
#   network) by hand, then check with `mlp_flops`.

# %% [markdown]
# ## Quiz
#
# Pick an answer: a wrong one tells you the misconception behind it, the right one why it is
# right. The last question is about the **Try it** list above. Your answers are saved (see
# `progress()` in [00 · Start here](00_start_here.ipynb)).

# %%
quiz("10")

# %% [markdown]
# ## Study this lesson with an AI
#
# Three prompts, to use in order: explain the idea, walk through this lesson's demo, quiz me
# on the try-it list. Copy one into the assistant of your choice (nothing is sent anywhere
# from here). Once you have saved some exercise code, the walkthrough prompt includes it.

# %%
study_with_ai("10")

# %% [markdown]
# ## Summary
#
# * A product `(n×k) @ (k×m)` costs **2nkm** FLOPs. Backward needs two such products per
#   layer, so it costs about **2T** when the forward pass costs `T` (1.97 T for our deep
#   network).
# * Backward rules read the forward pass's arrays, so a training step **keeps every
#   activation** until `backward()`: memory grows linearly with depth (0.75 MiB per layer
#   here: three nodes, each with its data and its gradient) and with the batch.
# * A graph of closure rules is a heap of **reference cycles**: dropping it frees nothing
#   until the garbage collector runs. `free_graph` breaks the cycles.
# * **Checkpointing** stores only some arrays and recomputes the rest during backward:
#   one extra forward pass (**33 %** more FLOPs here) for much less memory (peak 27.5 MiB →
#   6.625 MiB with √n segments). Segments of about **√n** layers keep about the least.
# * The gradients stay **bit-for-bit identical**: the same operations on the same numbers.
#
# That is the end of the series: from a derivative by hand to a tensor engine **you
# wrote** that reads handwriting and knows what its memory is spent on.
# **[Back to the start](00_start_here.ipynb)**
