# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # 07 · A neural net
#
# Everything so far, put to work: a few hundred `Value`s learn to tell two interleaved
# moons apart — trained by nothing but `backward()` and a one-line update.
#
# **Goals**
#
# * Build a neural network from neurons and layers (`Neuron`, `Layer`, `MLP`).
# * Write a loss and train the network with **gradient descent**: forward, backward, update.
# * Watch it learn (loss and accuracy curves, the decision boundary) and test it on points
#   it has **never seen**.
#
# **Builds on:** [05 · How backward works](05_how_backward_works.ipynb) (one `backward()`
# fills in every gradient) and [04 · More operations](04_more_ops.ipynb) (`relu`).

# %% [markdown]
# ## The idea
#
# A **neuron** takes inputs `x₀, x₁, …`, multiplies each by a **weight**, adds a **bias**,
# and bends the result with `relu` (negative numbers become 0):
#
# `out = relu(w₀·x₀ + w₁·x₁ + … + b)`
#
# A **layer** is a row of neurons reading the same inputs. A **multi-layer perceptron**
# (MLP) feeds each layer's outputs into the next one. All weights and biases are `Value`s:
# the network's **parameters**.
#
# Training is a loop of four steps:
#
# 1. **forward**: run the network on the training points and compute one number, the
#    **loss**, that is small when the predictions are good;
# 2. **zero the gradients** (they accumulate, remember);
# 3. **backward**: `loss.backward()` gives every parameter's `grad` — which way, and how
#    strongly, it pushes the loss up;
# 4. **update**: move every parameter a small step **against** its gradient,
#    `p.data -= learning_rate * p.grad`.
#
# ## The code
#
# ### The data: two moons
#
# Two interleaved half circles, with some noise: a classic toy problem, because no straight
# line separates them. We generate them with numpy (seeded, so every run gets the same
# points): label `+1` for the upper moon, `-1` for the lower one.

# %%
import math
import random

import matplotlib.pyplot as plt
import numpy as np


def make_moons(n, noise, rng):
    """n points on two interleaved half circles plus Gaussian noise; labels +1 / -1."""
    t = rng.uniform(0, math.pi, n)  # the angle along each half circle
    upper = np.stack([np.cos(t), np.sin(t)], axis=1)  # centre (0, 0), the top half
    lower = np.stack([1 - np.cos(t), 0.5 - np.sin(t)], axis=1)  # centre (1, 0.5), bottom half
    is_upper = np.arange(n) < n // 2
    X = np.where(is_upper[:, None], upper, lower) + rng.normal(0.0, noise, (n, 2))
    y = np.where(is_upper, 1.0, -1.0)
    order = rng.permutation(n)  # shuffle, so the split below gets both classes
    return X[order], y[order]


rng = np.random.default_rng(0)
X, y = make_moons(400, noise=0.1, rng=rng)
N_TRAIN = 100
X_train, y_train = X[:N_TRAIN], y[:N_TRAIN]  # the network learns from these
X_test, y_test = X[N_TRAIN:], y[N_TRAIN:]  # held out: used only to test it
print(
    f"{len(X_train)} training points ({int((y_train > 0).sum())} upper, "
    f"{int((y_train < 0).sum())} lower), {len(X_test)} held-out points"
)


# %%
def plot_points(ax, X, y, **style):
    ax.scatter(X[y > 0, 0], X[y > 0, 1], c="tab:orange", label="upper moon (+1)", **style)
    ax.scatter(X[y < 0, 0], X[y < 0, 1], c="tab:blue", label="lower moon (−1)", **style)


fig, ax = plt.subplots(figsize=(6, 3.6))
plot_points(ax, X_train, y_train, s=25, edgecolors="black", linewidths=0.5)
ax.set_title("The training set")
ax.set_aspect("equal")
ax.legend(loc="upper right", fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# One preparation step: we **centre and scale** the inputs, so that each coordinate has
# mean 0 and spread 1 on the training set. The neurons start with bias 0, so at first each
# one splits the plane with a line through the origin; centring puts the data where those
# lines are, and training starts from a much better place. (We compute the mean and spread
# on the training points only, then apply the same numbers to every point.)

# %%
MEAN, STD = X_train.mean(axis=0), X_train.std(axis=0)


def inputs(X):
    """The network's inputs for the points X: centred and scaled like the training set."""
    return (X - MEAN) / STD


print("mean of the scaled training inputs:", inputs(X_train).mean(axis=0).round(6) + 0.0)
print("spread of the scaled training inputs:", inputs(X_train).std(axis=0).round(6))

# %% [markdown]
# ### One neuron, and its graph
#
# `Neuron(2)` has two weights (random, between −1 and 1) and a bias (0). We pass `rng` to
# seed it, so its weights are the same in every run. Called on a point, it builds the graph
# of `relu(w₀·x₀ + w₁·x₁ + b)`:

# %%
from autograd import MLP, Neuron, Value, draw_dot

neuron = Neuron(2, rng=random.Random(1))
w0, w1, b = neuron.parameters()
print(f"w0 = {w0.data:.4f}, w1 = {w1.data:.4f}, b = {b.data}")
x0, x1 = Value(0.5, label="x0"), Value(1.0, label="x1")
out = neuron([x0, x1])
out.label = "out"
out.backward()
print(f"out = {out.data:.4f}")
print(f"grads: w0 {w0.grad:.4f} (= x0), w1 {w1.grad:.4f} (= x1), b {b.grad} (= 1, relu is on)")
draw_dot(out, params=neuron.parameters())

# %% [markdown]
# Green boxes are the **parameters** (what training will change), blue ones the **inputs**
# (the data, fixed). Because the weighted sum is positive, `relu` lets the gradient
# through, so `∂out/∂wᵢ = xᵢ`: a weight's gradient is the input it multiplies.
#
# ### The network
#
# Our network: 2 inputs → 16 neurons → 16 neurons → 1 output. The last neuron is
# *linear* (no `relu`), so its output, the **score**, can be any number: positive means
# "upper moon", negative means "lower moon".

# %%
model = MLP(2, [16, 16, 1], rng=random.Random(0))
for i, layer in enumerate(model.layers):
    print(f"layer {i}: {len(layer.neurons):>2} × {layer.neurons[0]!r}")
print("parameters:", len(model.parameters()), "= (2+1)·16 + (16+1)·16 + (16+1)·1")

# %% [markdown]
# ### The loss
#
# For each point with label `y = ±1` and score `s`, we use the **hinge loss**
# `relu(1 − y·s)`:
#
# * a point on the right side with a safety margin (`y·s ≥ 1`) costs **0** — nothing to fix;
# * otherwise it costs `1 − y·s`, more the further it is on the wrong side.
#
# We average over the training points and add a small penalty on large weights,
# `α·Σ p²` (*L2 regularisation*), which keeps the boundary smooth. The **accuracy** counts
# the points whose score has the right sign.

# %%
ALPHA = 1e-4  # strength of the L2 penalty


def loss_and_accuracy(model, X, y):
    scores = [model([float(a), float(b)]) for a, b in inputs(X)]
    hinge = [(1 - float(yi) * s).relu() for yi, s in zip(y, scores)]
    data_loss = sum(hinge) * (1.0 / len(hinge))
    l2 = ALPHA * sum(p * p for p in model.parameters())
    accuracy = sum((s.data > 0) == (yi > 0) for yi, s in zip(y, scores)) / len(y)
    return data_loss + l2, accuracy


loss, accuracy = loss_and_accuracy(model, X_train, y_train)
print(f"before training: loss = {loss.data:.4f}, accuracy = {accuracy:.0%}")

# %% [markdown]
# That single `loss` is the output of one big graph: every training point's trip through
# the network, the hinge terms, the sum and the penalty. How big?

# %%
from autograd import topological_order

nodes = topological_order(loss)
n_ops = sum(1 for node in nodes if node._prev)
print(f"the graph of one loss: {len(nodes):,} values, {n_ops:,} operations")
n_neuron = len(topological_order(out))
n_point = len(topological_order(model([0.5, 1.0]))) - len(model.parameters())
print(f"one neuron (the picture above): {n_neuron} values")
print(f"one point through the network: {n_point} values, besides the parameters")
try:
    draw_dot(loss)
except ValueError as err:
    print(str(err).split(";")[0])

# %% [markdown]
# Far too big to draw. The one-neuron picture has 10 values; one point's trip through the
# network adds 672 (the first layer alone has 16 neurons like the one above), and there are
# 100 training points — `draw_dot` refuses. Yet one `backward()` runs through all of it.
#
# ### Training
#
# One detail first. In lesson 05 we saw that our graph has **no reference cycles**, so
# Python frees each step's graph the moment it is dropped. Python's cycle collector does
# not know that: while the big graph is being built it keeps stopping to search it for
# cycles, and here that can take longer than the maths itself. So we pause the collector while
# training (`gc.disable()`) and switch it back on afterwards — safe exactly because there
# is nothing for it to find.

# %%
import gc

from tqdm.auto import tqdm

STEPS = 100
history = []  # (step, loss, training accuracy)
gc.disable()
try:
    for step in tqdm(range(STEPS), desc="training"):
        loss, accuracy = loss_and_accuracy(model, X_train, y_train)  # 1. forward
        model.zero_grad()  # 2. zero the gradients
        loss.backward()  # 3. backward
        learning_rate = 1.0 - 0.9 * step / STEPS  # 4. update, with steps that shrink
        for p in model.parameters():
            p.data -= learning_rate * p.grad
        history.append((step, loss.data, accuracy))
finally:
    gc.enable()

for step, loss_value, accuracy in history[::20] + history[-1:]:
    print(f"step {step:>3}: loss {loss_value:.4f}, training accuracy {accuracy:.0%}")

gc.disable()
final_loss, final_accuracy = loss_and_accuracy(model, X_train, y_train)
gc.enable()
l2_part = ALPHA * sum(p.data**2 for p in model.parameters())
print(
    f"after training: loss {final_loss.data:.4f} = hinge {final_loss.data - l2_part:.4f} "
    f"+ L2 penalty {l2_part:.4f}; training accuracy {final_accuracy:.0%}"
)

# %% [markdown]
# The loss falls and the training accuracy climbs to 100 %. By the end, the hinge part of
# the loss is 0: every training point is on the right side, with its margin. All that is
# left is the small L2 penalty.
#
# But the real question is whether the network learned the **shape** of the moons or just
# memorised 100 points. The held-out points answer that: the network has never seen them.


# %%
def predict(model, X):
    """The network's scores for the points X (forward only: no loss, no backward)."""
    gc.disable()  # as above: nothing for the cycle collector to find
    try:
        return np.array([model([float(a), float(b)]).data for a, b in inputs(X)])
    finally:
        gc.enable()


test_scores = predict(model, X_test)
correct = int(((test_scores > 0) == (y_test > 0)).sum())
print(f"held-out accuracy: {correct / len(y_test):.1%} ({correct} of {len(y_test)} points)")

# %% [markdown]
# **98.7 %**: the network classifies 296 of the 300 held-out points correctly, points it
# never trained on. It learned the shape of the moons, not a list of answers.
#
# ## The picture
#
# The loss and the accuracy on the training set, step by step:

# %%
steps = [h[0] for h in history]
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.2))
ax1.plot(steps, [h[1] for h in history])
ax1.set_xlabel("step")
ax1.set_ylabel("loss")
ax1.set_yscale("log")
ax1.set_title("loss (log scale)")
ax2.plot(steps, [100 * h[2] for h in history], color="C2")
ax2.set_xlabel("step")
ax2.set_ylabel("training accuracy (%)")
ax2.set_title("accuracy on the training points")
fig.tight_layout()
plt.show()

# %% [markdown]
# And what the network has learned: the colour shows the sign of its score at every point
# of the plane, the black line is where the score is 0 (the **decision boundary**). Circles
# are training points; crosses are held-out points.

# %%
GRID = 40
xs = np.linspace(-1.6, 2.6, GRID)
ys = np.linspace(-1.1, 1.6, GRID)
grid = np.array([(a, b) for b in ys for a in xs])
scores = predict(model, grid).reshape(GRID, GRID)

fig, ax = plt.subplots(figsize=(7, 4.5))
ax.contourf(xs, ys, scores, levels=[-1e9, 0, 1e9], colors=["#cfe2f3", "#fde2c8"])
ax.contour(xs, ys, scores, levels=[0], colors="black", linewidths=1.5)
plot_points(ax, X_train, y_train, s=28, edgecolors="black", linewidths=0.5)
ax.scatter(
    X_test[:, 0],
    X_test[:, 1],
    c=np.where(y_test > 0, "tab:orange", "tab:blue"),
    marker="x",
    s=18,
    linewidths=1,
    label="held-out points",
)
ax.set_aspect("equal")
ax.set_title(f"Decision boundary — held-out accuracy {correct / len(y_test):.1%}")
ax.legend(loc="upper right", fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Exercise
#
# ✏️ Write the **update step** yourself. `sgd_step(params, learning_rate)` must, for every
# parameter `p`:
#
# 1. move it against its gradient: `p.data` decreases by `learning_rate * p.grad`;
# 2. then reset its gradient to 0, ready for the next `backward()`.
#
# (This is what PyTorch's `optimizer.step()` followed by `optimizer.zero_grad()` does;
# *SGD* stands for *stochastic gradient descent*.)


# %%
def sgd_step(params, learning_rate):
    for p in params:
        pass  # ✏️ your code here: update p.data, then reset p.grad


# %% [markdown]
# The check trains a small fresh network, `MLP(2, [8, 1])`, with your `sgd_step` on 40
# points for 30 steps. After the first step it compares every parameter with the value it
# should have; then it checks that the loss went down.


# %%
def check_sgd_step(step_fn):
    small = MLP(2, [8, 1], rng=random.Random(1))
    params = small.parameters()
    X_small, y_small = X_train[:40], y_train[:40]
    learning_rate = 0.1

    loss, _ = loss_and_accuracy(small, X_small, y_small)
    small.zero_grad()
    loss.backward()
    before = [(p.data, p.grad) for p in params]
    step_fn(params, learning_rate)
    for i, (p, (data, grad)) in enumerate(zip(params, before)):
        expected = data - learning_rate * grad
        if not math.isclose(p.data, expected, rel_tol=1e-12, abs_tol=1e-15):
            hint = (
                " (moved along the gradient instead of against it?)"
                if math.isclose(p.data, data + learning_rate * grad)
                else ""
            )
            print(
                f"❌ parameter {i} ({p.label}): data got {p.data:.6f}, expected "
                f"{expected:.6f} = {data:.6f} - {learning_rate} * {grad:.6f}{hint}"
            )
            return
        if p.grad != 0.0:
            print(
                f"❌ parameter {i} ({p.label}): grad got {p.grad:.6f} after the step, expected 0.0"
            )
            return

    losses = [loss.data]
    for _ in range(29):
        loss, _ = loss_and_accuracy(small, X_small, y_small)
        loss.backward()  # no zero_grad here: your sgd_step reset the grads
        step_fn(params, learning_rate)
        losses.append(loss.data)
    if not losses[-1] < losses[0]:
        print(f"❌ the loss did not go down: {losses[0]:.4f} → {losses[-1]:.4f}")
        return
    print(
        f"✅ every parameter updated and reset; loss over 30 steps: "
        f"{losses[0]:.4f} → {losses[-1]:.4f}"
    )


check_sgd_step(sgd_step)

# %% [markdown]
# **Solution** (open only if stuck)


# %% jupyter={"source_hidden": true}
def sgd_step(params, learning_rate):
    for p in params:
        p.data -= learning_rate * p.grad  # downhill: against the gradient
        p.grad = 0.0  # ready for the next backward()


# %%
check_sgd_step(sgd_step)

# %% [markdown]
# ## Try it
#
# Change one thing in the training cell (or in the data cell) and run everything below it
# again:
#
# * **Forget to zero the gradients**: comment out `model.zero_grad()`. Each step then
#   adds the new gradient to all the old ones — watch the loss curve.
# * **A smaller network**: `MLP(2, [4, 1])`. Can 4 neurons bend the boundary enough?
# * **More noise**: `noise=0.25` in `make_moons`. The moons overlap; the held-out accuracy
#   drops, and a boundary that wiggles around single training points is a sign of
#   *overfitting*.
# * **Too big a step**: start the learning rate at `5.0` instead of `1.0`.
# * **Skip the scaling**: use `X` instead of `inputs(X)` in `loss_and_accuracy` and
#   `predict`. Training still works, but starts from a worse place.
# * **Keep the cycle collector on**: remove `gc.disable()` and time the training cell
#   (`%%time` on its first line).
#
# ## Quiz

# %%
from autograd import Quiz

Quiz(
    "What goes wrong if the training loop never calls `model.zero_grad()`?",
    [
        "Nothing: backward() overwrites the gradients",
        "Each backward() adds to the gradients of all earlier steps, so the updates use a "
        "sum of old gradients instead of the current one",
        "backward() raises an error",
        "The parameters are reset to their initial values",
    ],
    1,
    "Backward rules use +=, and leaves keep their grad between calls (like PyTorch), so "
    "gradients pile up unless you reset them.",
)

# %%
Quiz(
    "Why do we measure accuracy on held-out points, not only on the training points?",
    [
        "Held-out points are easier",
        "The training accuracy can be high even if the network only memorised those points; "
        "new points show whether it learned the pattern",
        "The training accuracy cannot be computed",
        "To make training faster",
    ],
    1,
    "What we care about is new data. A network that memorises its training set (overfits) "
    "does well on it and badly on anything else.",
)

# %%
Quiz(
    "Why is it safe to pause Python's cycle collector (`gc.disable()`) while training "
    "with this engine?",
    [
        "Because the graph has no reference cycles: reference counting frees each step's "
        "graph on its own",
        "Because the cycle collector is never useful",
        "Because numpy frees the memory",
        "It is not safe: the memory use grows every step",
    ],
    0,
    "The backward rules receive `out` as an argument instead of capturing it (lesson 05), "
    "so nothing points back and each old graph is freed as soon as `loss` is replaced.",
)

# %% [markdown]
# ## Summary
#
# * A **neuron** is `relu(w·x + b)`; a **layer** is a row of neurons; an **MLP** chains
#   layers. All weights and biases are `Value`s: `model.parameters()`.
# * Training repeats **forward → zero_grad → backward → update** (`p.data -= lr · p.grad`).
# * The **hinge loss** `relu(1 − y·s)` is 0 for points classified with a margin, and the
#   L2 penalty keeps the weights small.
# * One loss here is a graph of tens of thousands of values — too big to draw, no problem
#   for one `backward()`.
# * Always test on **held-out** points: that is where a model shows what it has learned.
#
# Scalars were perfect for seeing every gradient; they are slow for real data. Next, a
# numpy `Tensor` does the same with whole arrays at once.
#
# [Next: 08 · Tensors](08_tensors.ipynb)
