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
# *One node per array, not one per number.* Your scalar engine works, but it is far too slow
# for real data. In this lesson you build its big brother: a `Tensor` that holds a whole
# numpy array, with the same `backward()`.
#
# **Goals**
#
# * measure **why** the scalar engine is slow: count its nodes and time one training step;
# * write **your own `Tensor`**: un-broadcasting, `+` and `*` with broadcasting, the matrix
#   product `@`, `sum` and `mean`, `relu`, `exp` and `log` — each rule checked against
#   central differences on random shapes;
# * see reverse mode for what it is: each backward rule computes a **vector–Jacobian
#   product** $v^\top J$, without ever building the Jacobian $J$;
# * watch gradients flow through a tensor graph, shapes and all.
#
# **Builds on:** [05 · How backward works](05_how_backward_works.ipynb) (the backward order)
# and [07 · A neural net](07_neural_net.ipynb) (an MLP made of `Value`s).
#
# This lesson starts from **your** scalar `Value` (lessons 03–05: your code where it passed
# its check, the reference solution elsewhere), to compare it with tensors. The cell's first
# line says whether you have finished lesson 07 (its exercises passed, its quiz answered
# right); go on either way:

# %%
from autograd import start_lesson

engine = start_lesson("08")
Value = engine.Value
engine

# %% [markdown]
# ## The idea
#
# In lesson 07 every weight, every input number and every intermediate result was its own
# `Value`: a Python object with a backward rule. Python spends roughly the same time on each
# node, whether the node holds a number or a whole array. So the cost of a training step is
# about **(number of nodes) × (Python time per node)**.
#
# A tensor is the same idea with a numpy array inside. `x @ W` is **one** node, however many
# multiplications it does, and numpy does them in fast compiled code. Let's measure the
# difference on one small MLP (2 inputs, two hidden layers of 16, 1 output) and a batch of
# 32 points: the same network, the same numbers, once with your `Value`s and once with
# `autograd.Tensor`, the finished tensor engine of this package (yours comes in a moment).
#
# Each layer's weights are **one matrix** `W` of shape (inputs, outputs), whose column `j`
# holds the weights of neuron `j`, and its biases one vector `b`. The scalar model makes a
# `Value` of every entry.

# %%
import gc
import time

import matplotlib.pyplot as plt
import numpy as np

import autograd
from autograd import animate_backward, draw_dot, prefer_yours, quiz, study_with_ai
from autograd import (
    check_tensor_add_mul,
    check_tensor_exp_log,
    check_tensor_matmul,
    check_tensor_reduce,
    check_tensor_relu,
    check_unbroadcast,
)

data_rng = np.random.default_rng(0)
X_all = data_rng.uniform(-1, 1, size=(64, 2))  # 64 points in the plane
Y_all = np.sign(X_all[:, 0] * X_all[:, 1])  # target: +1 or -1 by quadrant
X, Y = X_all[:32], Y_all[:32]  # a batch of 32

sizes = [2, 16, 16, 1]
weight_rng = np.random.default_rng(1)
weights = [weight_rng.uniform(-1, 1, size=(n, m)) for n, m in zip(sizes, sizes[1:])]
biases = [np.zeros(m) for m in sizes[1:]]

# The scalar model: one of your Values per weight and per bias.
W_values = [[[Value(w) for w in row] for row in W] for W in weights]
b_values = [[Value(b) for b in bias] for bias in biases]
value_params = [v for W in W_values for row in W for v in row] + [v for b in b_values for v in b]


def value_forward(x):
    """One point through the scalar MLP: neuron j computes b[j] + sum_i h[i] * W[i][j]."""
    h = x
    for k, (W, b) in enumerate(zip(W_values, b_values)):
        h = [sum((W[i][j] * h[i] for i in range(len(h))), b[j]) for j in range(len(b))]
        if k < len(W_values) - 1:
            h = [v.relu() for v in h]
    return h[0]


def value_step(X, Y):
    """Forward and backward with Values: a mean squared error over the batch."""
    loss = Value(0.0)
    for x, y in zip(X.tolist(), Y.tolist(), strict=True):
        loss = loss + (value_forward(x) - y) ** 2
    loss = loss * (1.0 / len(X))
    for p in value_params:
        p.grad = 0.0
    loss.backward()
    return loss


v_loss = value_step(X, Y)
print(f"loss with Values:  {v_loss.data:.6f}")

# %% [markdown]
# The same network with tensors: a whole batch goes through a layer as `x @ W + b`, one row
# per point. Two words of the package's `Tensor` that yours will not need:
# `requires_grad=True` marks a tensor whose gradient we want (a parameter; the data `X` gets
# none), and `p.grad = None` clears a parameter's gradient before the step, as
# `p.grad = 0.0` did for the `Value`s.

# %%
W_tensors = [autograd.Tensor(W, requires_grad=True) for W in weights]
b_tensors = [autograd.Tensor(b, requires_grad=True) for b in biases]


def tensor_step(X, Y):
    """Forward and backward with autograd.Tensor: the whole batch at once."""
    h = autograd.Tensor(X)
    for k, (W, b) in enumerate(zip(W_tensors, b_tensors)):
        h = h @ W + b
        if k < len(W_tensors) - 1:
            h = h.relu()
    loss = ((h - autograd.Tensor(Y[:, None])) ** 2).mean()
    for p in W_tensors + b_tensors:
        p.grad = None
    loss.backward()
    return loss


t_loss = tensor_step(X, Y)
print(f"loss with Tensors: {t_loss.item():.6f}")


def value_grads():
    """The scalar model's gradients, arranged like the tensors' W and b."""
    Ws = [np.array([[v.grad for v in row] for row in W]) for W in W_values]
    bs = [np.array([v.grad for v in b]) for b in b_values]
    return Ws + bs


pairs = list(zip(value_grads(), W_tensors + b_tensors, strict=True))
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
print(f"parameters (shared by all points): {len(value_params)}")

# %% [markdown]
# The scalar engine builds **21,972** nodes for one step: a node for every multiplication,
# every addition, every ReLU and every input number, for each of the 32 points. The tensor
# engine builds **19**: per layer one `@` and one `+` for the bias, a `relu` between layers,
# plus the inputs, the parameters and a few nodes for the loss. Double the batch and the first
# count nearly doubles, to 43,604 (only the 337 parameters are shared by all points;
# everything else is built again for each point); the second stays 19.
#
# And the clock? Timings change from run to run and machine to machine, so the chart shows
# this run's numbers and the printed line only says which power of ten the ratio exceeds.


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

i32 = batch_sizes.index(32)
ratio = t_value[i32] / t_tensor[i32]
bound = max((b for b in (1, 10, 100) if ratio > b), default=None)
print(f"one step, batch of 32: Values take more than {bound} times as long as Tensors")

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.6))
bars = [1000 * t_value[i32], 1000 * t_tensor[i32]]
ax1.bar(["Values", "Tensors"], bars, color=["C0", "C1"])
for k, ms in enumerate(bars):
    ax1.annotate(f"{ms:.3g} ms", (k, ms), ha="center", va="bottom")
ax1.set_yscale("log")
ax1.set_ylim(bottom=0.01, top=10 * max(bars))
ax1.set_ylabel("time for one step (ms, log scale)")
ax1.set_title(f"One forward + backward, batch of 32: {ratio:.0f}× here")
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
# Note the **log scale**: each grid line is ten times the one below, so read the times from
# the numbers on the bars, not from the bars' heights. One step with `Value`s takes more than
# a hundred times as long as with tensors (the printed line; the title gives this run's exact
# ratio). On the right, the `Value` line climbs steeply with the batch (twice the points,
# twice the nodes, about twice the time), while the `Tensor` line stays almost flat: numpy
# does the extra work in compiled code, and the Python overhead stays the same 19 nodes.
# (On a busy computer the lines wobble; run the cell again if they look odd.)
#
# That is the whole reason for tensors. Everything else — `backward()`, the backward order,
# `+=` into gradients — stays as it was. Time to build one.

# %% [markdown]
# ## The code
#
# ### Your `Tensor`: the given part
#
# Here is the start of **your** tensor class. It follows the node protocol of your `Value`
# — `data`, `grad`, `_prev`, `_op`, `_backward`, `label` — with two differences:
#
# * `data` is a numpy array of float64 numbers, and `grad` is an array **of the same shape**,
#   starting at zeros: one partial derivative per number;
# * `backward()` seeds the output's gradient with **ones** (for a one-number loss this is the
#   usual dL/dL = 1), or with any array `grad` you pass; more on that below.
#
# `backward()` is your lesson-05 sweep (an iterative topological order, intermediate grads
# reset, leaf grads accumulate). `_wrap` turns a number into a `Tensor`, and `-`, `2 + t`,
# `2 * t` are made of `+` and `*`, which you write next. Run the cell.

# %%
import numpy as np


class Tensor:
    """A node of the graph that holds a whole numpy array: the `Value` idea, one array per node.

    The protocol is the one your `Value` follows: `data`, `grad`, `_prev` (the inputs, in
    argument order), `_op`, `_backward` (None for a leaf; an op sets a zero-argument closure)
    and `label`. Every array is float64, and `grad` always has the shape of `data`.
    """

    def __init__(self, data, _prev=(), _op="", label=""):
        self.data = np.asarray(data, dtype=np.float64)
        self.grad = np.zeros_like(self.data)  # one partial derivative per number
        self._prev = tuple(_prev)
        self._op = _op
        self._backward = None
        self.label = label

    @property
    def shape(self):
        return self.data.shape

    def __repr__(self):
        label = f"{self.label}, " if self.label else ""
        data = f", data={self.data.round(4).tolist()}" if self.data.size <= 6 else ""
        return f"Tensor({label}shape={self.shape}{data})"

    def backward(self, grad=None):
        """Fill in the gradient of this tensor in every node it depends on.

        The seed is all ones (for a one-number loss: the usual dL/dL = 1), or `grad` if
        given; then the result in every input is grad^T J, a vector-Jacobian product.
        """
        order, seen, stack = [], set(), [(self, False)]
        while stack:  # iterative depth-first search: every node after its inputs
            node, expanded = stack.pop()
            if expanded:
                order.append(node)
            elif id(node) not in seen:
                seen.add(id(node))
                stack.append((node, True))
                stack.extend((p, False) for p in reversed(node._prev))
        for node in order:
            if node._prev:  # intermediate grads are scratch space; leaf grads accumulate
                node.grad = np.zeros_like(node.data)
        seed = np.ones_like(self.data) if grad is None else np.asarray(grad, dtype=np.float64)
        self.grad = np.broadcast_to(seed, self.shape).copy()
        for node in reversed(order):
            if node._backward is not None:
                node._backward()

    @staticmethod
    def _wrap(x):
        """A number (or array) becomes a leaf Tensor; a Tensor stays as it is."""
        return x if isinstance(x, Tensor) else Tensor(x)

    def __radd__(self, other):  # 2 + t
        return self + other

    def __rmul__(self, other):  # 2 * t
        return self * other

    def __neg__(self):  # -t
        return self * -1.0

    def __sub__(self, other):  # t - u
        return self + (-self._wrap(other))

    def __rsub__(self, other):  # 2 - t
        return self._wrap(other) + (-self)


# %%
t = Tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], label="t")
print(t)
print("t.grad =\n", t.grad)

# %% [markdown]
# ### Broadcasting
#
# A layer adds its bias `b`, of shape `(3,)`, to a batch `z` of shape `(4, 3)`: one row per
# example. numpy **broadcasts**: it uses the same `b` for every row, as if `b` had been
# copied four times.

# %%
z_np = np.arange(12.0).reshape(4, 3)  # a batch: 4 rows, 3 features
b_np = np.array([100.0, 200.0, 300.0])
print("z =\n", z_np)
print("z + b =\n", z_np + b_np)

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
# What is the gradient of `b`? Say the rest of the network sends back a gradient `G` for
# `y = z + b`. `b[0]` was **used four times**: in `y[0, 0]`, `y[1, 0]`, `y[2, 0]` and
# `y[3, 0]`. Each use sends back its own gradient, and — exactly as in lesson 03, where a
# value used twice collected the sum of both — the gradients add up. So `b`'s gradient is
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
# | `(2, 1, 3)` | `(5, 2, 4, 3)` | axis 0 (added), and axis 2 of the grad = axis 1 of the input (size 1) |
#
# ## Exercise 1 · `unbroadcast`
#
# ✏️ Write `unbroadcast(grad, shape)`: given the gradient `grad` of a broadcast result,
# return the gradient of the input that had shape `shape`. Two steps:
#
# 1. sum over the **extra leading axes** (the ones broadcasting added on the left);
# 2. sum, with `keepdims=True`, over every axis where `shape` has a **1** (and `grad` does
#    not). After step 1 the gradient has as many axes as the input, so axis `i` of one is
#    axis `i` of the other: for `(2, 1, 3)` above, step 1 leaves shape `(2, 4, 3)`, and step 2
#    sums its axis 1.
#
# Hint: `np.sum(x, axis=...)` takes a tuple of axes, and `axis=()` sums over nothing.

# %% tags=["exercise"]
def unbroadcast(grad, shape):
    """Sum `grad` over the axes that broadcasting stretched, so the result has `shape`."""
    # ✏️ Exercise: step 1, then step 2, then return the result.
    raise NotImplementedError("write unbroadcast(grad, shape)")


# %% [markdown]
# `check_unbroadcast(unbroadcast)` compares your function with an answer found **without**
# the rule, by bookkeeping: it numbers every element of the input, lets numpy broadcast the
# *numbers*, and adds up the gradient at each position under the number it came from. It
# tries fixed shapes (the table above) and fresh random ones of each kind. As shipped,
# `unbroadcast` is still a stub, so all four parts of the check fail; once your function
# is right, the line turns to ✓:

# %%
check_unbroadcast(unbroadcast)

# %% [markdown]
# **Solution** (open only if stuck). Run this cell either way: if your function passed the
# check, it keeps **yours**; otherwise the lesson goes on with the solution.

# %% tags=["solution"] jupyter={"source_hidden": true}
### BEGIN SOLUTION
def unbroadcast(grad, shape):
    """Sum `grad` over the axes that broadcasting stretched, so the result has `shape`."""
    extra = grad.ndim - len(shape)
    grad = np.sum(grad, axis=tuple(range(extra)))  # 1. the axes broadcasting added on the left
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    return np.sum(grad, axis=stretched, keepdims=True)  # 2. the size-1 axes it stretched
### END SOLUTION
prefer_yours("08.unbroadcast")

# %% [markdown]
# ## Exercise 2 · `+` and `*`, with broadcasting
#
# The rules of lesson 03, one array at a time. For `out = self + other` the local derivative
# is 1 for both inputs; for `out = self * other` each input receives **the other** input
# times `out.grad`, now element by element. The one new step: each gradient has the shape
# of `out`, so bring it back to its input's shape with your `unbroadcast`:
#
# ```python
# self.grad += unbroadcast(<gradient for self>, self.shape)
# ```
#
# ✏️ Complete both backward rules (the forward part is given). Keep `+=`: a tensor used
# twice, as in `a * a` or `a * b + a`, collects the gradients of both uses.

# %% tags=["exercise"]
def __add__(self, other):
    other = self._wrap(other)  # lets you write t + 1
    out = Tensor(self.data + other.data, (self, other), "+")  # forward (given)

    def _backward():
        # ✏️ Exercise: d(out)/d(self) = 1, d(out)/d(other) = 1, then un-broadcast
        raise NotImplementedError("write the backward rule of +")

    out._backward = _backward
    return out


def __mul__(self, other):
    other = self._wrap(other)  # lets you write t * 2
    out = Tensor(self.data * other.data, (self, other), "*")  # forward (given)

    def _backward():
        # ✏️ Exercise: each input gets the OTHER one's data times out.grad, then un-broadcast
        raise NotImplementedError("write the backward rule of *")

    out._backward = _backward
    return out


Tensor.__add__ = __add__
Tensor.__mul__ = __mul__

# %% [markdown]
# `check_tensor_add_mul(Tensor)` builds small expressions on fresh random arrays — equal
# shapes, broadcast pairs like `(4, 1) * (1, 3)` and `(2, 3) * ()`, numbers (`a + 2.5`: the
# number becomes a `Tensor` of shape `()`, broadcast like any other), re-used inputs
# (`a * a`), and both ops together (`a * b + a`, `2 - a * b`) — and compares
# every input's gradient with central differences, computed on plain numpy without your
# code. It seeds each output's gradient with a **random** array, not with ones, so a rule
# that forgets to multiply by `out.grad` cannot pass.

# %%
check_tensor_add_mul(Tensor)

# %% [markdown]
# **Solution** (open only if stuck). Run this cell either way: if your code passed the check
# it keeps yours; otherwise the lesson goes on with the solution.

# %% tags=["solution"] jupyter={"source_hidden": true}
### BEGIN SOLUTION
def __add__(self, other):
    other = self._wrap(other)
    out = Tensor(self.data + other.data, (self, other), "+")

    def _backward():
        self.grad += unbroadcast(out.grad, self.shape)
        other.grad += unbroadcast(out.grad, other.shape)

    out._backward = _backward
    return out


def __mul__(self, other):
    other = self._wrap(other)
    out = Tensor(self.data * other.data, (self, other), "*")

    def _backward():
        self.grad += unbroadcast(other.data * out.grad, self.shape)
        other.grad += unbroadcast(self.data * out.grad, other.shape)

    out._backward = _backward
    return out


Tensor.__add__ = __add__
Tensor.__mul__ = __mul__
### END SOLUTION
prefer_yours("08.add_mul")

# %% [markdown]
# Your `+` at work on the bias example. Instead of building a whole network, we pass the
# gradient `G` that "the rest of the network" would send back straight to `backward`:

# %%
z = Tensor(z_np, label="z")
b = Tensor(b_np, label="b")
y = z + b
G = np.arange(1.0, 13.0).reshape(4, 3)
y.backward(grad=G)
print("G = dL/dy =\n", G)
print("b.grad         =", b.grad)
print("G.sum(axis=0)  =", G.sum(axis=0))

# %% [markdown]
# `b.grad[0]` collects the four uses of `b[0]`: `1 + 4 + 7 + 10 = 22`.
#
# ## Reverse mode is a vector–Jacobian product
#
# What does `y.backward(grad=G)` compute, exactly? Take a function from $n$ numbers to $m$
# numbers. Its **Jacobian** $J$ is the $m \times n$ matrix of all partial derivatives: row
# $i$ holds the derivatives of output $i$, column $j$ the effect of input $j$. Seeded with a
# vector $v$ of $m$ numbers (the gradient of the loss with respect to the outputs),
# backward fills each input's `grad` with
#
# $$v^\top J, \qquad \text{element } j: \; \sum_i v_i \, \frac{\partial y_i}{\partial x_j}$$
#
# — the chain rule for one step, all outputs at once. That is a **vector–Jacobian
# product** (VJP), and every backward rule you write is one: a recipe for $v^\top J$ that
# never builds $J$.
#
# Let's build one $J$ anyway, for `y = x * w` with `x` of shape `(2, 3)` and `w` of shape
# `(3,)`: 6 outputs, 3 inputs in `w`, so $J$ is $6 \times 3$. Central differences give it
# column by column; your `backward`, seeded with the unit vector $e_i$, gives its row $i$
# (because $e_i^\top J$ *is* row $i$).

# %%
x_np = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
w_np = np.array([0.5, -1.0, 2.0])


def f(w):
    return x_np * w  # plain numpy: no Tensors, no backward rules


eps = 1e-6
J = np.stack(
    [((f(w_np + eps * e) - f(w_np - eps * e)) / (2 * eps)).ravel() for e in np.eye(3)], axis=1
)
print("J = dy/dw by central differences, shape", J.shape, "\n", J.round(6))

rows = []
for i in range(6):
    w = Tensor(w_np)
    y = Tensor(x_np) * w
    y.backward(grad=np.eye(6)[i].reshape(2, 3))  # seed: 1 at output i, 0 elsewhere
    rows.append(w.grad)
print("rows from your backward, one per seed e_i, equal J:", np.allclose(np.array(rows), J))

v = np.array([[1.0, -1.0, 0.5], [2.0, 0.0, 1.0]])
w = Tensor(w_np)
(Tensor(x_np) * w).backward(grad=v)
print("one backward seeded with v:  w.grad =", w.grad)
print("v (flattened) @ J            =", (v.ravel() @ J).round(6))

# %% [markdown]
# Three facts in one picture:
#
# * Row $i$ of $J$ has a single non-zero entry, in column `i % 3`: `y[r, c]` depends only
#   on `w[c]`, through the factor `x[r, c]`. Most of $J$ is zeros.
# * $v^\top J$ is `(v * x).sum(axis=0)`: exactly what your `*` rule computes,
#   `unbroadcast(other.data * out.grad, self.shape)`, in one pass over the numbers.
# * The Jacobian of a layer would be huge: for `x @ W` with a batch of 128 rows, 784
#   inputs and 10 outputs, $J$ with respect to `W` has (128 · 10) × (784 · 10) entries:

# %%
print(f"{128 * 10 * 784 * 10:,} numbers in J, for {784 * 10:,} numbers in W.grad")

# %% [markdown]
# Reverse mode never builds that matrix: the rule of `@` (next) gets $v^\top J$ with one
# matrix product. And one backward pass gives the gradient with respect to **every** input
# at once, because a loss is one number: $v$ is the single number 1. (Forward mode, lesson
# 06, computes $J u$ instead: one column direction per pass.)
#
# ## Exercise 3 · the matrix product `@`
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
# So **`dL/dA = G @ B.T`** and **`dL/dB = A.T @ G`**: two more matrix products — the
# vector–Jacobian product of `@`, computed without its Jacobian.
#
# **The shape argument** — a way to remember them without any algebra. `dL/dA` must have
# `A`'s shape `(n, k)`, and it can only be made from `G (n, m)` and `B (k, m)`. The only
# product of the two that has shape `(n, k)` is `(n, m) @ (m, k)`, that is `G @ B.T`. In the
# same way `(k, n) @ (n, m)`, that is `A.T @ G`, is the only way to get `B`'s shape `(k, m)`.
#
# ✏️ Write the backward rule of `@` (2-D arrays only; `G` is `out.grad`).

# %% tags=["exercise"]
def __matmul__(self, other):
    other = self._wrap(other)
    out = Tensor(self.data @ other.data, (self, other), "@")  # forward (given)

    def _backward():
        # ✏️ Exercise: add into self.grad and other.grad (two matrix products)
        raise NotImplementedError("write the backward rule of @")

    out._backward = _backward
    return out


Tensor.__matmul__ = __matmul__

# %% [markdown]
# `check_tensor_matmul(Tensor)` uses rectangular shapes with all sizes different (so a
# product in the wrong order cannot even run) and square ones (where it runs and gives the
# wrong numbers), `a @ a`, a chain `(a @ b) @ c`, and a layer `x @ W + b`.

# %%
check_tensor_matmul(Tensor)

# %% [markdown]
# **Solution** (open only if stuck). Run this cell either way: if your code passed the check
# it keeps yours; otherwise the lesson goes on with the solution.

# %% tags=["solution"] jupyter={"source_hidden": true}
### BEGIN SOLUTION
def __matmul__(self, other):
    other = self._wrap(other)
    out = Tensor(self.data @ other.data, (self, other), "@")

    def _backward():
        self.grad += out.grad @ other.data.T  # (n, m) @ (m, k): the shape of self
        other.grad += self.data.T @ out.grad  # (k, n) @ (n, m): the shape of other

    out._backward = _backward
    return out


Tensor.__matmul__ = __matmul__
### END SOLUTION
prefer_yours("08.matmul")

# %% [markdown]
# A tiny 2×2 example. We take `L = sum(G * C)`, so that `dL/dC` is exactly `G`; the sum is
# the next exercise, so for now we seed `C`'s gradient with `G` directly:

# %%
A_np = np.array([[1.0, 2.0], [3.0, 4.0]])
B_np = np.array([[5.0, 6.0], [7.0, 8.0]])
G = np.array([[1.0, -1.0], [2.0, 0.5]])

A = Tensor(A_np, label="A")
B = Tensor(B_np, label="B")
(A @ B).backward(grad=G)
print("your engine  dL/dA =", A.grad.tolist(), "  dL/dB =", B.grad.tolist())
print("formula    G @ B.T =", (G @ B_np.T).tolist(), "  A.T @ G =", (A_np.T @ G).tolist())


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
print("numeric      dL/dA =", dA.round(6).tolist(), "  dL/dB =", dB.round(6).tolist())

# %% [markdown]
# Three ways, one answer: `dL/dA = [[-1, -1], [13, 18]]` and `dL/dB = [[7, 0.5], [10, 0]]`.
# Check one entry by hand: $A_{00}$ appears in $C_{00}$ (times $B_{00} = 5$) and in
# $C_{01}$ (times $B_{01} = 6$), so its gradient is $G_{00}·5 + G_{01}·6 = 5 - 6 = -1$.
#
# ## Exercise 4 · `sum` and `mean`
#
# A loss is one number, so somewhere the arrays must be reduced: `sum` and `mean`, over all
# elements or along some axes. Their rules are the **mirror image** of broadcasting: a sum
# in the forward pass is a **broadcast** in the backward pass. Every number counts once in
# its sum, so each gets that sum's gradient, copied:
#
# * `out = x.sum(axis=0)` for `x` of shape `(4, 3)`: `out` has shape `(3,)`, and each
#   column's gradient goes to all 4 numbers of the column;
# * first put the summed axes back with size 1, `np.expand_dims(out.grad, axis)` (unless
#   `keepdims=True` kept them), then `np.broadcast_to(grad, self.shape)`. (Without the first
#   step numpy would line the shapes up from the right, and for `axis=1` of a square array
#   it would copy along the wrong axis — no error, wrong numbers.) With `axis=None` the
#   gradient is one number, copied everywhere;
# * a **mean** is a sum divided by `n`, the number of elements each mean averages
#   (`self.data.size // out.data.size`), so its rule is the sum's, divided by `n`.
#
# ✏️ Complete both rules. (The methods are called `tensor_sum` and `tensor_mean` here, so
# that Python's own `sum()` keeps working in this notebook; on the class they are
# `Tensor.sum` and `Tensor.mean`.)

# %% tags=["exercise"]
def tensor_sum(self, axis=None, keepdims=False):
    out = Tensor(self.data.sum(axis=axis, keepdims=keepdims), (self,), "sum")  # given

    def _backward():
        # ✏️ Exercise: put the summed axes back (unless keepdims), broadcast to self.shape
        raise NotImplementedError("write the backward rule of sum")

    out._backward = _backward
    return out


def tensor_mean(self, axis=None, keepdims=False):
    out = Tensor(self.data.mean(axis=axis, keepdims=keepdims), (self,), "mean")  # given
    n = self.data.size // out.data.size  # how many numbers each mean averages

    def _backward():
        # ✏️ Exercise: like sum, divided by n
        raise NotImplementedError("write the backward rule of mean")

    out._backward = _backward
    return out


Tensor.sum = tensor_sum
Tensor.mean = tensor_mean

# %% [markdown]
# `check_tensor_reduce(Tensor)` reduces over everything, over axis 0, 1 and -1 (on square
# arrays too), over `(0, 2)`, with `keepdims=True`, nested (`a.sum(axis=0).sum()`), and
# re-used (`a - a.mean(axis=0)`).

# %%
check_tensor_reduce(Tensor)

# %% [markdown]
# **Solution** (open only if stuck). Run this cell either way: if your code passed the check
# it keeps yours; otherwise the lesson goes on with the solution.

# %% tags=["solution"] jupyter={"source_hidden": true}
### BEGIN SOLUTION
def tensor_sum(self, axis=None, keepdims=False):
    out = Tensor(self.data.sum(axis=axis, keepdims=keepdims), (self,), "sum")

    def _backward():
        grad = out.grad
        if axis is not None and not keepdims:
            grad = np.expand_dims(grad, axis)  # put the summed axes back, with size 1
        self.grad += np.broadcast_to(grad, self.shape)  # every number counted once

    out._backward = _backward
    return out


def tensor_mean(self, axis=None, keepdims=False):
    out = Tensor(self.data.mean(axis=axis, keepdims=keepdims), (self,), "mean")
    n = self.data.size // out.data.size  # how many numbers each mean averages

    def _backward():
        grad = out.grad
        if axis is not None and not keepdims:
            grad = np.expand_dims(grad, axis)
        self.grad += np.broadcast_to(grad, self.shape) / n  # each counted 1/n times

    out._backward = _backward
    return out


Tensor.sum = tensor_sum  # (named tensor_sum so that Python's own sum() stays usable)
Tensor.mean = tensor_mean
### END SOLUTION
prefer_yours("08.reduce")

# %% [markdown]
# Forward sum, backward broadcast: each number of a column of `z` gets that column's
# gradient.

# %%
z = Tensor(z_np, label="z")
z.sum(axis=0).backward(grad=np.array([1.0, 10.0, 100.0]))
print("z.grad =\n", z.grad)

# %% [markdown]
# ## Exercise 5 · `relu`
#
# `relu(x) = max(x, 0)`, element by element. Its derivative is 1 where `x > 0` and 0 where
# `x < 0`, so the rule lets the gradient through where the input was positive and blocks it
# elsewhere.
#
# ✏️ Write `relu`, forward and backward (`np.maximum(x, 0.0)` is the forward).

# %% tags=["exercise"]
def relu(self):
    # ✏️ Exercise: out = Tensor(<forward>, (self,), "relu"), its _backward, return out
    raise NotImplementedError("write relu")


Tensor.relu = relu

# %% [markdown]
# `check_tensor_relu(Tensor)` uses random shapes with numbers of both signs (all well away
# from the kink at 0, where relu has no derivative), a relu of a relu, a re-used input
# (`a.relu() * a`) and a relu after a product (`(a * b).relu()`).

# %%
check_tensor_relu(Tensor)

# %% [markdown]
# **Solution** (open only if stuck). Run this cell either way: if your code passed the check
# it keeps yours; otherwise the lesson goes on with the solution.

# %% tags=["solution"] jupyter={"source_hidden": true}
### BEGIN SOLUTION
def relu(self):
    out = Tensor(np.maximum(self.data, 0.0), (self,), "relu")

    def _backward():
        self.grad += (self.data > 0) * out.grad  # passes where the input was positive

    out._backward = _backward
    return out


Tensor.relu = relu
### END SOLUTION
prefer_yours("08.relu")

# %% [markdown]
# ## Exercise 6 · `exp` and `log`
#
# The classifier of lesson 09 turns scores into probabilities with `exp` and `log`. Both are
# element-wise, like `relu`:
#
# * `out = exp(x)`: the derivative is `exp(x)` itself, which is `out.data`, already computed;
# * `out = log(x)` (for `x > 0`): the derivative is `1 / x`.
#
# ✏️ Write both, forward and backward.

# %% tags=["exercise"]
def exp(self):
    # ✏️ Exercise: forward with np.exp, backward with the derivative exp(x) = out.data
    raise NotImplementedError("write exp")


def log(self):
    # ✏️ Exercise: forward with np.log, backward with the derivative 1 / x
    raise NotImplementedError("write log")


Tensor.exp = exp
Tensor.log = log

# %%
check_tensor_exp_log(Tensor)

# %% [markdown]
# **Solution** (open only if stuck). Run this cell either way: if your code passed the check
# it keeps yours; otherwise the lesson goes on with the solution.

# %% tags=["solution"] jupyter={"source_hidden": true}
### BEGIN SOLUTION
def exp(self):
    out = Tensor(np.exp(self.data), (self,), "exp")

    def _backward():
        self.grad += out.data * out.grad  # d exp(x)/dx = exp(x), already computed

    out._backward = _backward
    return out


def log(self):
    out = Tensor(np.log(self.data), (self,), "log")

    def _backward():
        self.grad += out.grad / self.data  # d log(x)/dx = 1/x

    out._backward = _backward
    return out


Tensor.exp = exp
Tensor.log = log
### END SOLUTION
prefer_yours("08.exp_log")

# %% [markdown]
# ## The picture
#
# Here is one layer as a graph of **your** tensors: a batch `x` of 4 rows with 3 features,
# weights `W` of shape `(3, 2)`, a bias `b` of shape `(2,)`, a ReLU, and `loss = h.sum()`.
# Each box now shows a **shape**, and a short summary of the array: its values if there are
# at most three, otherwise its *norm* (its length, as one long vector). `params=[W, b]` tells
# the picture which leaves are parameters, the ones training changes (drawn in green; the
# data `x` is blue).

# %%
rng = np.random.default_rng(0)
x = Tensor(rng.normal(size=(4, 3)).round(1), label="x")
W = Tensor(rng.normal(size=(3, 2)).round(1), label="W")
b = Tensor([0.5, -0.5], label="b")
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
# boxes would change. Press ▶ and watch the gradient flow back. Each step's caption writes
# the rule out with its shapes: at the `+`, `b.grad` is `z.grad` un-broadcast from `(4, 2)`
# to `(2,)`; at the `@`, the shapes of `xW.grad @ W.T` and `x.T @ xW.grad` fit together.

# %%
animation = animate_backward(loss, params=[W, b])
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
# ## Your `Tensor` takes the training step
#
# Back to the MLP of the start: the same weights, the same batch, now in **your** `Tensor`.
# Its `-` is your `+` and `*` (the scaffold's `__sub__`), the squared error is `d * d`, and
# the mean is yours.

# %%
W_mine = [Tensor(W) for W in weights]
b_mine = [Tensor(b) for b in biases]


def my_tensor_step(X, Y):
    """Forward and backward with your Tensor."""
    h = Tensor(X)
    for k, (W, b) in enumerate(zip(W_mine, b_mine)):
        h = h @ W + b
        if k < len(W_mine) - 1:
            h = h.relu()
    d = h - Tensor(Y[:, None])
    loss = (d * d).mean()
    for p in W_mine + b_mine:
        p.grad = np.zeros_like(p.data)  # leaf grads accumulate: start from zero
    loss.backward()
    return loss


my_loss = my_tensor_step(X, Y)
v_loss = value_step(X, Y)
print(f"loss with your Values:  {v_loss.data:.6f}")
print(f"loss with your Tensor:  {float(my_loss.data):.6f}")
mine = list(zip(value_grads(), W_mine + b_mine, strict=True))
print(f"same gradients in all {len(mine)} parameter arrays:",
      all(np.allclose(g, p.grad, rtol=0, atol=1e-12) for g, p in mine))  # fmt: skip
print(f"nodes: {count_nodes(v_loss):,} with your Values, {count_nodes(my_loss)} with your Tensor")

# %% [markdown]
# The two engines you wrote agree to twelve decimals, and your `Tensor` needs 21 nodes where
# your `Value` needs 21,972. (Two more than the 19 of `autograd.Tensor`: the scaffold's
# `a - b` is `a + b * -1`, one extra `*` node and one for the `-1`.) That is the engine
# lesson 09 trains on handwritten digits.

# %% [markdown]
# ## Try it
#
# * **Predict, then run.** In the bias cell after Exercise 2, replace `b` by a single number,
#   `Tensor(0.0)`, or by a row, `Tensor(np.zeros((1, 3)))`, and re-run it. What shape and
#   what numbers will `b.grad` have? Check your guess against the table above.
# * **Break a rule on purpose.** In your `__mul__`, use `self.data` instead of `other.data`,
#   run the cell and `print(check_tensor_add_mul(Tensor))`: which expression fails first,
#   and what does the hint say? Then put `other.data` back and use `=` instead of `+=` in
#   `__mul__`. `c = a * a` fails, as you would expect; which other expressions fail, and
#   why, when your `+` is still right? (`[f.expression for f in
#   check_tensor_add_mul(Tensor).failures]` lists them.) Broadcasting uses `b` in many rows,
#   so why do the broadcast cases still pass? (Run the solution cell again afterwards, or
#   fix your rule, before going on.)
# * **The Jacobian of `@`.** Build $J$ of `C = A @ B` with respect to `B` for `A` of shape
#   `(2, 3)` and `B` of shape `(3, 2)`, the way the Jacobian cell does (seed your
#   `backward` with each $e_i$), and check that `G.ravel() @ J` equals `(A.T @ G).ravel()`.
# * **Widen the network.** Change `sizes` to `[2, 32, 32, 1]` and re-run the first cells.
#   The middle layer now has four times as many weights: what happens to the `Value` node
#   count, and to the `Tensor` count?

# %% [markdown]
# ## Quiz
#
# Pick an answer: a wrong one tells you the misconception behind it, the right one why it is
# right. The last question is about the **Try it** list above. Your answers are saved (see
# `progress()` in [00 · Start here](00_start_here.ipynb)).

# %%
quiz("08")

# %% [markdown]
# ## Study this lesson with an AI
#
# Three prompts, to use in order: explain the idea, walk through this lesson's demo, quiz me
# on the try-it list. Copy one into the assistant of your choice (nothing is sent anywhere
# from here). Once you have saved some exercise code, the walkthrough prompt includes it.

# %%
study_with_ai("08")

# %% [markdown]
# ## Summary
#
# * The scalar engine pays Python's overhead **per number**: one training step of a small
#   MLP builds 21,972 `Value` nodes, against 19 `Tensor` nodes for the same computation.
# * Your `Tensor` follows the same protocol as your `Value`; `.grad` has the shape of
#   `.data`.
# * **Broadcasting** reuses an input along some axes; its gradient is **summed** over those
#   axes (*un-broadcasting*), the `+=` of a value used many times. Forward sum ⇄ backward
#   broadcast.
# * Every backward rule is a **vector–Jacobian product** $v^\top J$, computed without
#   building $J$; one backward pass from a one-number loss gives every input's gradient.
# * For `C = A @ B`: **`dL/dA = G @ B.T`** and **`dL/dB = A.T @ G`** — and the shapes allow
#   no other answer.
# * Central differences still referee every rule, one array element at a time.
#
# **[Next: 09 · Real digits](09_digits.ipynb)** — a classifier for handwritten digits,
# trained with **your** tensors in a few seconds.
