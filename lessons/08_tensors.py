# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # 08 · Tensors
#
# *One node per array, not one per number.* The scalar engine works, but it is far too slow
# for real data. In this lesson the same idea moves to numpy arrays.
#
# **Goals**
#
# * measure **why** the scalar engine is slow: count its nodes and time one training step;
# * understand **broadcasting**, and the gradient rule that undoes it (*un-broadcasting*);
# * derive the gradient of a **matrix product**, `C = A @ B`, and check it with numbers;
# * check tensor gradients with central differences, and watch them flow through a
#   tensor graph.
#
# **Builds on:** [05 · How backward works](05_how_backward_works.ipynb) (the backward order)
# and [07 · A neural net](07_neural_net.ipynb) (an MLP made of `Value`s).

# %% [markdown]
# ## The idea
#
# In lesson 07 every weight, every input number and every intermediate result was its own
# `Value`: a Python object with a backward rule. Python spends roughly the same time on each
# node, whether the node holds a number or a whole array. So the cost of a training step is
# about **(number of nodes) × (Python time per node)**.
#
# A `Tensor` is the same idea with a numpy array inside. `x @ W` is **one** node, however
# many multiplications it does, and numpy does them in fast compiled code. Let's measure the
# difference on one small MLP (2 inputs, two hidden layers of 16, 1 output) and a batch of
# 32 points: the same network, the same numbers, in both engines.

# %%
import gc
import random
import time

import matplotlib.pyplot as plt
import numpy as np

from autograd import MLP, Quiz, Tensor, Value, animate_backward, draw_dot
from autograd import Linear, ReLU, Sequential
from autograd import gradcheck_tensor

data_rng = np.random.default_rng(0)
X_all = data_rng.uniform(-1, 1, size=(64, 2))  # 64 points in the plane
Y_all = np.sign(X_all[:, 0] * X_all[:, 1])  # target: +1 or -1 by quadrant
X, Y = X_all[:32], Y_all[:32]  # a batch of 32

value_model = MLP(2, [16, 16, 1], rng=random.Random(0))  # the scalar MLP of lesson 07


def value_step(X, Y):
    """Forward and backward with Values: a mean squared error over the batch."""
    loss = Value(0.0)
    for x, y in zip(X.tolist(), Y.tolist(), strict=True):
        loss = loss + (value_model(x) - y) ** 2
    loss = loss * (1.0 / len(X))
    value_model.zero_grad()
    loss.backward()
    return loss


v_loss = value_step(X, Y)
print(f"loss with Values:  {v_loss.data:.6f}")

# %% [markdown]
# The same network with tensors. Each layer's weights become **one matrix** `W` of shape
# (inputs, outputs), whose column `j` holds the weights of neuron `j`, and its biases one
# vector `b`. Then a whole batch goes through a layer as `x @ W + b`, one row per point.


# %%
def as_tensor_layers(mlp):
    """The same network as Tensor layers: layer k's weights become one matrix W[i, j]."""
    layers = []
    for k, layer in enumerate(mlp.layers):
        W = [[neuron.w[i].data for neuron in layer.neurons] for i in range(len(layer.neurons[0].w))]
        linear = Linear(len(W), len(W[0]), dtype=np.float64, rng=np.random.default_rng(0))
        linear.W.data[...] = W  # copy the scalar model's weights ...
        linear.b.data[...] = [neuron.b.data for neuron in layer.neurons]  # ... and biases
        layers.append(linear)
        if k < len(mlp.layers) - 1:
            layers.append(ReLU())
    return Sequential(*layers)


tensor_model = as_tensor_layers(value_model)


def tensor_step(X, Y):
    """Forward and backward with Tensors: the whole batch at once."""
    out = tensor_model(Tensor(X))  # shape (32, 1)
    loss = ((out - Tensor(Y[:, None])) ** 2).mean()
    tensor_model.zero_grad()
    loss.backward()
    return loss


t_loss = tensor_step(X, Y)
print(f"loss with Tensors: {t_loss.item():.6f}")


def value_grads(mlp):
    """The scalar model's gradients, arranged like the tensor model's W and b."""
    grads = []
    for layer in mlp.layers:
        n_in = len(layer.neurons[0].w)
        grads.append(np.array([[n.w[i].grad for n in layer.neurons] for i in range(n_in)]))
        grads.append(np.array([n.b.grad for n in layer.neurons]))
    return grads


pairs = list(zip(value_grads(value_model), tensor_model.parameters(), strict=True))
same = all(np.allclose(g, p.grad, rtol=0, atol=1e-12) for g, p in pairs)
print(f"same gradients in all {len(pairs)} parameter arrays: {same}")

# %% [markdown]
# Same loss, same gradients. Now count the nodes that each backward pass has to visit. A
# graph is a set of nodes linked by `_prev`, so a short walk finds them all:


# %%
def count_nodes(root):
    """How many nodes the graph behind `root` has (a walk along `_prev`)."""
    seen, stack = {root}, [root]
    while stack:
        for parent in stack.pop()._prev:
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return len(seen)


n_value, n_tensor = count_nodes(v_loss), count_nodes(t_loss)
print(f"one step, 32 points, with Values:  {n_value:>6,} nodes  ({n_value / 32:.0f} per point)")
print(f"one step, 32 points, with Tensors: {n_tensor:>6,} nodes")
n_value_64 = count_nodes(value_step(X_all, Y_all))
n_tensor_64 = count_nodes(tensor_step(X_all, Y_all))
print(f"one step, 64 points, with Values:  {n_value_64:>6,} nodes")
print(f"one step, 64 points, with Tensors: {n_tensor_64:>6,} nodes")
print(f"parameters (shared by all points): {len(value_model.parameters())}")

# %% [markdown]
# The scalar engine builds **21,972** nodes for one step: a node for every multiplication,
# every addition, every ReLU and every input number, for each of the 32 points. The tensor
# engine builds **19**: per layer one `@` and one `+` for the bias, a `relu` between layers,
# plus the inputs, the parameters and a few nodes for the loss. Double the batch and the first
# count nearly doubles, to 43,604 (only the 337 parameters are shared by all points;
# everything else is built again for each point); the second stays 19.
#
# And the clock? (Timings change from run to run and machine to machine, so we only plot
# them.)


# %%
def seconds(step, repeats=5):
    """The fastest of a few runs: the least disturbed by whatever else the machine does."""
    best = float("inf")
    gc.disable()  # like Python's timeit: no garbage-collector pauses at random moments
    try:
        for _ in range(repeats):
            start = time.perf_counter()
            step()
            best = min(best, time.perf_counter() - start)
    finally:
        gc.enable()
    return best


batch_sizes = [4, 8, 16, 32, 64]
t_value, t_tensor = [], []
for n in batch_sizes:
    t_value.append(seconds(lambda n=n: value_step(X_all[:n], Y_all[:n])))
    t_tensor.append(seconds(lambda n=n: tensor_step(X_all[:n], Y_all[:n])))

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.6))
i32 = batch_sizes.index(32)
ax1.bar(["Values", "Tensors"], [1000 * t_value[i32], 1000 * t_tensor[i32]], color=["C0", "C1"])
ax1.set_yscale("log")
ax1.set_ylim(bottom=0.05)
ax1.set_ylabel("time for one step (ms, log scale)")
ax1.set_title("One forward + backward, batch of 32")
ax2.plot(batch_sizes, [1000 * t for t in t_value], "o-", label="Values")
ax2.plot(batch_sizes, [1000 * t for t in t_tensor], "s-", label="Tensors")
ax2.set_xscale("log", base=2)
ax2.set_yscale("log")
ax2.set_xlabel("batch size")
ax2.set_ylabel("ms per step (log scale)")
ax2.set_title("Cost as the batch grows")
ax2.legend()
fig.tight_layout()
plt.show()

# %% [markdown]
# Note the **log scale**: each grid line is ten times the one below, so bar heights do not
# compare by ratio. The `Value` bar reaches more than a whole grid line above the `Tensor`
# bar: one step takes well over ten times as long. On the right, the `Value` line climbs
# steeply with the batch (twice the points, twice the nodes, about twice the time), while
# the `Tensor` line stays almost flat: numpy does the extra work in compiled code, and the
# Python overhead stays the same 19 nodes. (On a busy computer the lines wobble; run the
# cell again if they look odd.)
#
# That is the whole reason for tensors. Everything else — `backward()`, the backward order,
# `+=` into gradients — stays as it was.

# %% [markdown]
# ## The code
#
# ### A `Tensor` is a `Value` with an array inside
#
# `autograd.Tensor` follows the same node protocol as `Value`: `.data` (now a numpy array),
# `.grad`, `._prev`, `._op`, `._backward(out)`, `.label`. Two differences:
#
# * `requires_grad=True` marks the tensors you want gradients for (the parameters). Data
#   needs none, and an operation on tensors that need no gradient records no graph at all.
# * `.grad` starts as `None`, and after `backward()` it is an array **of the same shape as
#   `.data`**: one partial derivative per number.

# %%
W = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True, label="W")
x = Tensor([1.0, -1.0], label="x")
loss = (x @ W).sum()  # (1·1 - 1·3) + (1·2 - 1·4) = -4
loss.backward()
print(loss)
print(W)
print("W.grad =\n", W.grad)

# %% [markdown]
# `loss = x₀·(W₀₀ + W₀₁) + x₁·(W₁₀ + W₁₁)`, so the gradient of each entry `W[i, j]` is
# `x[i]`: the first row of `W.grad` is `x₀ = 1`, the second `x₁ = -1`.
#
# ### Broadcasting
#
# A layer adds its bias `b`, of shape `(3,)`, to a batch `z` of shape `(4, 3)`: one row per
# example. numpy **broadcasts**: it uses the same `b` for every row, as if `b` had been
# copied four times.

# %%
z = Tensor(np.arange(12.0).reshape(4, 3), label="z")  # a batch: 4 rows, 3 features
b = Tensor([100.0, 200.0, 300.0], requires_grad=True, label="b")
y = z + b
print("z =\n", z.data)
print("y = z + b =\n", y.data)

# %% [markdown]
# The rule numpy follows: line the shapes up **from the right**; each pair of sizes must be
# equal, or one of them must be 1. A missing axis on the left counts as size 1. Then every
# size-1 axis is stretched (copied) to match:
#
# ```
# z:  (4, 3)
# b:     (3,)  →  (1, 3)  →  (4, 3)      b is copied into each of the 4 rows
# ```
#
# ### Un-broadcasting the gradient
#
# What is `b.grad`? Suppose the rest of the network sends back this gradient `G` for `y`
# (any numbers will do; we pass them to `backward` directly):

# %%
G = np.arange(1.0, 13.0).reshape(4, 3)
y.backward(grad=G)
print("G = dL/dy =\n", G)
print("b.grad         =", b.grad)
print("G.sum(axis=0)  =", G.sum(axis=0))

# %% [markdown]
# `b[0]` was **used four times**: in `y[0, 0]`, `y[1, 0]`, `y[2, 0]` and `y[3, 0]`. Each use
# sends back its own gradient, and — exactly as in lesson 03, where a value used twice
# collected the sum of both — the gradients add up: `1 + 4 + 7 + 10 = 22`. So `b.grad` is
# `G` **summed over the batch axis**, back to `b`'s shape `(3,)`.
#
# That is the **un-broadcast rule**: *sum the gradient over every axis that broadcasting
# stretched.* There are two kinds of stretched axes:
#
# | input shape | output shape | the gradient is summed over |
# |-------------|--------------|-----------------------------|
# | `(3,)`      | `(4, 3)`     | axis 0, which broadcasting **added** on the left (then dropped) |
# | `(4, 1)`    | `(4, 3)`     | axis 1, where the input had **size 1** (kept, with size 1) |
# | `(1, 3)`    | `(4, 3)`     | axis 0 (kept, with size 1) |
# | `()`        | `(4, 3)`     | every axis: a single number used 12 times |
# | `(2, 1, 3)` | `(5, 2, 4, 3)` | axis 0 (added) and axis 2 (size 1) |
#
# The second row, a column `c` of shape `(4, 1)` — one number per row, used three times in
# its row:

# %%
c = Tensor(np.zeros((4, 1)), requires_grad=True, label="c")
(z + c).backward(grad=G)
print("c.grad =\n", c.grad)
print("G.sum(axis=1, keepdims=True) =\n", G.sum(axis=1, keepdims=True))

# %% [markdown]
# The mirror image holds too: a **sum** in the forward pass is a **broadcast** in the
# backward pass. Every number in a column of `z` counts once in `z.sum(axis=0)`, so each
# gets that column's gradient, copied down the rows:

# %%
z = Tensor(np.arange(12.0).reshape(4, 3), requires_grad=True, label="z")
s = z.sum(axis=0)  # shape (3,)
s.backward(grad=np.array([1.0, 10.0, 100.0]))
print("z.grad =\n", z.grad)

# %% [markdown]
# ### The gradient of a matrix product
#
# A layer's main work is `C = A @ B`: `A` of shape `(n, k)` (a batch of `n` rows), `B` of
# shape `(k, m)` (the weights), `C` of shape `(n, m)`. Each entry is a sum of products:
#
# $$C_{ij} = \sum_{p} A_{ip} B_{pj}$$
#
# Take one entry of `A`, say $A_{ip}$. It appears in row `i` of `C` only, once in each
# $C_{ij}$, multiplied by $B_{pj}$. Its gradient collects all those uses (the `+=` again),
# with $G = \partial L / \partial C$:
#
# $$\frac{\partial L}{\partial A_{ip}} = \sum_j G_{ij} B_{pj} = (G B^\top)_{ip}
# \qquad\text{and likewise}\qquad
# \frac{\partial L}{\partial B_{pj}} = \sum_i A_{ip} G_{ij} = (A^\top G)_{pj}$$
#
# So **`dL/dA = G @ B.T`** and **`dL/dB = A.T @ G`**: two more matrix products.
#
# **The shape argument** — a way to remember them without any algebra. `dL/dA` must have
# `A`'s shape `(n, k)`, and it can only be made from `G (n, m)` and `B (k, m)`. The only
# product of the two that has shape `(n, k)` is `(n, m) @ (m, k)`, that is `G @ B.T`. In the
# same way `(k, n) @ (n, m)`, that is `A.T @ G`, is the only way to get `B`'s shape `(k, m)`.
#
# A tiny 2×2 example. We take `L = sum(G * C)`, so that `dL/dC` is exactly `G`:

# %%
A_np = np.array([[1.0, 2.0], [3.0, 4.0]])
B_np = np.array([[5.0, 6.0], [7.0, 8.0]])
G = np.array([[1.0, -1.0], [2.0, 0.5]])

A = Tensor(A_np, requires_grad=True, label="A")
B = Tensor(B_np, requires_grad=True, label="B")
L = ((A @ B) * Tensor(G)).sum()
L.backward()
print("engine    dL/dA =", A.grad.tolist(), "  dL/dB =", B.grad.tolist())
print("formula   G @ B.T =", (G @ B_np.T).tolist(), "  A.T @ G =", (A_np.T @ G).tolist())


def numeric_grad(f, M, eps=1e-6):
    """Central differences: nudge each entry of M by ±eps and watch f move."""
    grad = np.zeros_like(M)
    for idx in np.ndindex(M.shape):
        up, down = M.copy(), M.copy()
        up[idx] += eps
        down[idx] -= eps
        grad[idx] = (f(up) - f(down)) / (2 * eps)
    return grad


dA = numeric_grad(lambda M: np.sum(G * (M @ B_np)), A_np)
dB = numeric_grad(lambda M: np.sum(G * (A_np @ M)), B_np)
print("numeric   dL/dA =", dA.round(6).tolist(), "  dL/dB =", dB.round(6).tolist())

# %% [markdown]
# Three ways, one answer: `dL/dA = [[-1, -1], [13, 18]]` and `dL/dB = [[7, 0.5], [10, 0]]`.
# Check one entry by hand: $A_{00}$ appears in $C_{00}$ (times $B_{00} = 5$) and in
# $C_{01}$ (times $B_{01} = 6$), so its gradient is $G_{00}·5 + G_{01}·6 = 5 - 6 = -1$.
#
# ### Checking tensor gradients
#
# Every tensor op has a rule like these, and every rule can hide a mistake. The referee is
# the same as in lesson 01: central differences. `gradcheck_tensor(f, arrays)` runs `f` on
# tensors, backpropagates, then nudges every input element both ways and compares. (A
# non-scalar output is first turned into one number with fixed random weights.)

# %%
rng = np.random.default_rng(1)
checks = {
    "a + b    (4,3) + (3,)": (lambda a, b: a + b, [(4, 3), (3,)]),
    "a * b    (4,1) * (1,3)": (lambda a, b: a * b, [(4, 1), (1, 3)]),
    "a @ b    (4,3) @ (3,2)": (lambda a, b: a @ b, [(4, 3), (3, 2)]),
    "a / b    (2,3) / (3,)": (lambda a, b: a / (b * b + 1), [(2, 3), (3,)]),
    "tanh(a).sum(axis=1)": (lambda a: a.tanh().sum(axis=1), [(3, 4)]),
    "a.log_softmax()": (lambda a: a.log_softmax(), [(2, 5)]),
}
for name, (f, shapes) in checks.items():
    result = gradcheck_tensor(f, [rng.standard_normal(s) for s in shapes])
    worst = max(c.max_abs_error for c in result.inputs)
    print(f"{name:<24} {'ok' if result else 'FAILED'}   (largest error below 1e-8: {worst < 1e-8})")

# %% [markdown]
# Every rule agrees with central differences to within 1e-8. (The division uses
# `b * b + 1` as its divisor, to stay away from dividing by zero.)

# %% [markdown]
# ## The picture
#
# Here is one layer as a tensor graph: a batch `x` of 4 rows with 3 features, weights `W`
# of shape `(3, 2)`, a bias `b` of shape `(2,)`, a ReLU, and `loss = h.sum()`. Each box
# now shows a **shape**, and a short summary of the array: its values if there are at most
# three, otherwise its *norm* (its length, as one long vector).

# %%
rng = np.random.default_rng(0)
x = Tensor(rng.normal(size=(4, 3)).round(1), label="x")
W = Tensor(rng.normal(size=(3, 2)).round(1), requires_grad=True, label="W")
b = Tensor([0.5, -0.5], requires_grad=True, label="b")
xW = x @ W
xW.label = "xW"
z = xW + b
z.label = "z"
h = z.relu()
h.label = "h"
loss = h.sum()
loss.label = "loss"
picture = draw_dot(loss, params=[W, b])
print(picture.text())  # the picture as text
picture

# %% [markdown]
# Seven nodes, whatever the batch size: with 4,000 rows instead of 4, only the shapes in the
# boxes would change. Press ▶ and watch the gradient flow back. Look at the `+` step: `b.grad`
# arrives with shape `(2,)`, un-broadcast from `z.grad`'s shape `(4, 2)`.

# %%
animation = animate_backward(loss)
animation

# %%
for step in animation.steps[2:]:
    print(f"step {step.index}: {step.caption}\n")

# %% [markdown]
# Since `loss = h.sum()`, `h.grad` is all ones. The ReLU lets the gradient through where
# `z > 0` and blocks it elsewhere, so `z.grad` is a 0/1 mask. Un-broadcasting sums it down
# the rows: **`b.grad` counts, for each output column, the rows where the ReLU was on.**

# %%
print("z > 0 :\n", (z.data > 0).astype(int))
print("b.grad =", b.grad)
print("W.grad = x.T @ z.grad =\n", W.grad)

# %% [markdown]
# ## Exercise
#
# ✏️ **Your turn.** Write `unbroadcast(grad, shape)`: given the gradient `grad` of a
# broadcast result, return the gradient of the input that had shape `shape`. Two steps:
#
# 1. sum over the **extra leading axes** (the ones broadcasting added on the left);
# 2. sum, with `keepdims=True`, over every axis where `shape` has a **1** (and `grad` does
#    not).
#
# Hint: `np.sum(axis=...)` takes a tuple of axes, and `axis=()` sums over nothing.


# %%
def unbroadcast(grad, shape):
    """Sum `grad` over the axes that broadcasting stretched, so the result has `shape`."""
    # ✏️ Exercise: step 1, then step 2, then return the result.
    raise NotImplementedError("write unbroadcast(grad, shape)")


# %% [markdown]
# Here is the checker, so you can see exactly what it compares. It needs an answer that
# does not use the un-broadcast rule. The trick: **number** every element of the input,
# let numpy broadcast the *numbers*, and add up the gradient at each position under the
# number it came from (`np.bincount` with weights does exactly that).


# %%
def reference_unbroadcast(grad, shape):
    """The answer by bookkeeping: which input element did each grad position come from?"""
    ids = np.arange(int(np.prod(shape))).reshape(shape)  # number the input's elements
    origin = np.broadcast_to(ids, grad.shape)  # numpy copies the numbers like the data
    total = np.bincount(origin.ravel(), weights=grad.ravel(), minlength=ids.size)
    return total.reshape(shape)


def random_shapes(rng):
    """A broadcast output shape, and an input shape that broadcasts to it."""
    out_shape = tuple(int(n) for n in rng.integers(1, 5, size=rng.integers(1, 5)))
    kept = out_shape[rng.integers(0, len(out_shape) + 1) :]  # drop some leading axes
    return tuple(1 if rng.random() < 0.4 else n for n in kept), out_shape


def check_unbroadcast(fn, trials=300, seed=0):
    """Compare fn(grad, shape) with the bookkeeping answer on fixed, then random shapes."""
    rng = np.random.default_rng(seed)
    cases = [((3,), (4, 3)), ((4, 1), (4, 3)), ((1, 3), (4, 3)), ((), (2, 3))]
    cases += [random_shapes(rng) for _ in range(trials)]
    for shape, out_shape in cases:
        grad = rng.integers(-9, 10, size=out_shape).astype(float)
        expected = reference_unbroadcast(grad, shape)
        try:
            got = np.asarray(fn(grad, shape))
        except NotImplementedError as err:
            print(f"not yet: {err}")
            return
        except Exception as err:
            print(f"✗ input shape {shape}, grad shape {out_shape}: raised {err!r}")
            return
        if got.shape != shape or not np.array_equal(got, expected):
            print(f"✗ input shape {shape}, grad shape {out_shape}")
            print(f"grad =\n{grad}")
            print(f"got      (shape {got.shape}):\n{got}")
            print(f"expected (shape {shape}):\n{expected}")
            if got.shape != shape:
                print(
                    "hint: the shape is wrong. Sum over the axes broadcasting added on the "
                    "left, and (keepdims=True) over the axes where the input has size 1."
                )
            return
    print(f"✓ unbroadcast matches the bookkeeping answer on all {len(cases)} shapes")


# %% [markdown]
# As shipped, `unbroadcast` is still a stub, so the check says *not yet*:

# %%
check_unbroadcast(unbroadcast)

# %% [markdown]
# **Solution** (open only if stuck)


# %% jupyter={"source_hidden": true}
def unbroadcast(grad, shape):
    """Sum `grad` over the axes that broadcasting stretched, so the result has `shape`."""
    extra = grad.ndim - len(shape)
    grad = np.sum(grad, axis=tuple(range(extra)))  # 1. the axes broadcasting added
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    return np.sum(grad, axis=stretched, keepdims=True)  # 2. the size-1 axes it stretched


# %%
check_unbroadcast(unbroadcast)

# %% [markdown]
# ## Try it
#
# * **Predict, then run.** In the broadcasting cell, replace `b` by a single number,
#   `Tensor(0.0, requires_grad=True)`, or by a row, `Tensor(np.zeros((1, 3)),
#   requires_grad=True)`, and re-run it and the cell after it. What shape and what numbers
#   will `b.grad` have? Check your guess against the table above.
# * **Widen the network.** Make the scalar model `MLP(2, [32, 32, 1], ...)` and re-run the
#   first cells. The middle layer now has four times as many weights: what happens to the
#   `Value` node count, and to the `Tensor` count?
# * **Write the matmul backward yourself.** Below, `matmul_grads(A, B, G)` returns
#   `(G @ B.T, A.T @ G)`. Swap in a wrong guess, e.g. `B.T @ G`, and see what numpy says
#   about the shapes, then compare the right one with the engine on random shapes:
#
# ```python
# def matmul_grads(A, B, G):
#     return G @ B.T, A.T @ G
#
# rng = np.random.default_rng(0)
# A, B = Tensor(rng.standard_normal((5, 3)), True), Tensor(rng.standard_normal((3, 4)), True)
# G = rng.standard_normal((5, 4))
# (A @ B).backward(grad=G)
# dA, dB = matmul_grads(A.data, B.data, G)
# print(np.allclose(dA, A.grad), np.allclose(dB, B.grad))
# ```

# %% [markdown]
# ## Quiz

# %%
Quiz(
    "A bias `b` of shape (3,) is added to a batch of shape (4, 3). The gradient arriving at "
    "the sum is all ones. What is `b.grad`?",
    ["all ones, shape (4, 3)", "`[4, 4, 4]`, shape (3,)", "`[1, 1, 1]`, shape (3,)", "12"],
    1,
    "Each b[j] is used in all 4 rows, so it collects 4 gradients of 1: the un-broadcast rule "
    "sums over the batch axis, back to b's shape (3,).",
)

# %%
Quiz(
    "For `C = A @ B` with A of shape (5, 3) and B of shape (3, 2), which expression is dL/dA? "
    "(G = dL/dC, shape (5, 2).)",
    ["`B.T @ G`", "`G @ B.T`", "`A.T @ G`", "`G @ B`"],
    1,
    "dL/dA must have A's shape (5, 3). Only (5, 2) @ (2, 3) = G @ B.T gives that; "
    "entry by entry it is sum_j G[i, j] B[p, j].",
)

# %%
Quiz(
    "Why is one training step so much faster with Tensors than with Values?",
    [
        "Tensors skip the backward pass",
        "numpy uses a smaller float type",
        "Python pays its overhead once per node, and one Tensor node does the work of "
        "thousands of Value nodes in compiled code",
        "Tensors compute fewer multiplications",
    ],
    2,
    "Both engines do the same arithmetic (the losses match). The Value graph has 21,972 "
    "nodes, the Tensor graph 19, and each node costs Python time.",
)

# %% [markdown]
# ## Summary
#
# * The scalar engine pays Python's overhead **per number**: one training step of a small
#   MLP builds 21,972 `Value` nodes, against 19 `Tensor` nodes for the same computation.
# * A `Tensor` follows the same protocol as `Value`; `.grad` has the shape of `.data`.
# * **Broadcasting** reuses an input along some axes; its gradient is **summed** over those
#   axes (*un-broadcasting*), the `+=` of a value used many times. Forward sum ⇄ backward
#   broadcast.
# * For `C = A @ B`: **`dL/dA = G @ B.T`** and **`dL/dB = A.T @ G`** — and the shapes allow
#   no other answer.
# * Central differences still referee every rule, one array element at a time.
#
# **[Next: 09 · Real digits](09_digits.ipynb)** — a classifier for handwritten digits,
# trained with these tensors in a few seconds.
