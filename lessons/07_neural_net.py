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
# Everything so far, put to work: you build a neural network out of **your own `Value`**,
# and train it to tell two interleaved moons apart — with nothing but your `backward()` and
# a one-line update.
#
# **Goals**
#
# * Write a neural network from neurons and layers: `Neuron`, `Layer` and `MLP`, each
#   listing its `parameters()`; layers and networks also reset their gradients with
#   `zero_grad()`.
# * Write the **training step** — forward, zero the gradients, backward, update — and
#   train with **minibatch stochastic gradient descent**.
# * See what happens when the gradients are *not* reset (the forgotten `zero_grad()`).
# * Test the network on points it has **never seen**.
#
# **Builds on:** [05 · How backward works](05_how_backward_works.ipynb) (your `backward()`,
# and what reference cycles cost) and [04 · More operations](04_more_ops.ipynb) (`relu`).

# %% [markdown]
# This lesson runs on **your** `Value`, the one you built in lessons 03 to 05. The next cell
# loads it (your own code where it passed its check, the reference solution elsewhere) and
# says which. Every network below is made of it, and it is what does the training. The cell
# also says whether you have finished lesson 06 (its exercise passed, its quiz answered
# right); go on either way.

# %%
from autograd import (
    check_layer,
    check_mlp,
    check_neuron,
    check_training,
    prefer_yours,
    quiz,
    start_lesson,
    study_with_ai,
)

engine = start_lesson("07")  # your code from lessons 03-05 where it passed, else the reference
Value = engine.Value
engine

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
# Training repeats one **step** of four parts:
#
# 1. **forward**: run the network on some training points and compute one number, the
#    **loss**, that is small when the predictions are good;
# 2. **zero the gradients**: `backward()` *adds* to the parameters' `grad` (the rules use
#    `+=`), so the last step's gradients must go first;
# 3. **backward**: `loss.backward()` gives every parameter's `grad` — which way, and how
#    strongly, it pushes the loss up;
# 4. **update**: move every parameter a small step **against** its gradient,
#    `p.data -= learning_rate * p.grad`.
#
# Each step uses a small random **minibatch** of the training points, not all of them. Its
# gradient is then a noisy estimate of the gradient over the whole training set — the
# "stochastic" in *stochastic gradient descent* (SGD) — but a step costs only as much as
# its batch, so the network takes many more steps for the same work.
#
# ## The data: two moons
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
X, y = make_moons(460, noise=0.1, rng=rng)
N_TRAIN = 160
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
# ## Exercise 1: a neuron
#
# ✏️ Complete the class `Neuron`. `Neuron(nin, nonlin=True, rng=random)` is a neuron with
# `nin` inputs:
#
# * `self.w` — a list of `nin` weights, each `Value(rng.uniform(-1, 1))`. Draw them from
#   `rng`, so that a seeded `rng=random.Random(0)` gives the same neuron in every run;
# * `self.b` — the bias, `Value(0.0)`;
# * `self.nonlin` — whether the neuron applies `relu` (the last layer of a network does not);
# * `neuron(x)` — for a list `x` of `nin` numbers or `Value`s, the `Value`
#   `relu(w₀·x₀ + w₁·x₁ + … + b)`, or just `w₀·x₀ + … + b` when `nonlin` is false. Compute it
#   with your `Value`'s `+` and `*` (never with `.data`): the graph that builds is what lets
#   `backward()` reach the weights;
# * `parameters()` — the weights, then the bias: `self.w + [self.b]`, the `Value`s
#   themselves (training changes them through this list).
#
# The check writes its own random weights into `w` and `b`, compares your outputs with
# plain-float arithmetic, and runs `backward()` through your neuron to compare every
# gradient (weights, bias, inputs) with central differences.

# %% tags=["exercise"]
class Neuron:
    """One neuron: relu(w·x + b), or just w·x + b when nonlin=False."""

    def __init__(self, nin, nonlin=True, rng=random):
        # ✏️ self.w: nin Values drawn with rng.uniform(-1, 1); self.b = Value(0.0); self.nonlin
        raise NotImplementedError("Neuron.__init__: create self.w, self.b and self.nonlin")

    def __call__(self, x):
        # ✏️ b + w0·x0 + w1·x1 + ..., built from Values; then relu() if self.nonlin
        raise NotImplementedError("Neuron.__call__: return relu(w·x + b) as a Value")

    def parameters(self):
        # ✏️ the weights, then the bias
        raise NotImplementedError("Neuron.parameters: return self.w + [self.b]")


# %%
check_neuron(Neuron)

# %% [markdown]
# **Solution** (open only if stuck). Run this cell either way: if your `Neuron` passed the
# check above, its last line keeps yours; otherwise the lesson goes on with this one.

# %% tags=["solution"] jupyter={"source_hidden": true}
### BEGIN SOLUTION
class Neuron:
    """One neuron: relu(w·x + b), or just w·x + b when nonlin=False."""

    def __init__(self, nin, nonlin=True, rng=random):
        self.w = [Value(rng.uniform(-1, 1)) for _ in range(nin)]  # one weight per input
        self.b = Value(0.0)  # the bias starts at 0
        self.nonlin = nonlin

    def __call__(self, x):
        act = self.b
        for wi, xi in zip(self.w, x, strict=True):  # strict: as many inputs as weights
            act = act + wi * xi  # b + w0·x0 + w1·x1 + ...: a graph of Values
        return act.relu() if self.nonlin else act

    def parameters(self):
        return self.w + [self.b]


### END SOLUTION
prefer_yours("07.neuron")

# %% [markdown]
# ### One neuron, and its graph
#
# `Neuron(2)` has two weights (random, between −1 and 1) and a bias (0). Called on a point,
# it builds the graph of `relu(w₀·x₀ + w₁·x₁ + b)`, and `backward()` runs through it:

# %%
from autograd import draw_dot

neuron = Neuron(2, rng=random.Random(1))
w0, w1, b = neuron.parameters()
w0.label, w1.label, b.label = "w0", "w1", "b"
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
# ## Exercise 2: a layer
#
# ✏️ Complete the class `Layer`. `Layer(nin, nout, nonlin=True, rng=random)` is `nout`
# neurons side by side, each reading the same `nin` inputs:
#
# * `self.neurons` — a list of `nout` `Neuron`s (pass `nonlin` and `rng` on to each);
# * `layer(x)` — the list of the neurons' outputs, one `Value` per neuron;
# * `parameters()` — every neuron's parameters, **neuron by neuron**, in one flat list;
# * `zero_grad()` — set the `grad` of every parameter to 0 (and leave its `data` alone).
#
# The check gives your layer its own weights, compares every output, and fills every
# parameter's `grad` before calling your `zero_grad()`.

# %% tags=["exercise"]
class Layer:
    """nout neurons side by side, each reading the same nin inputs."""

    def __init__(self, nin, nout, nonlin=True, rng=random):
        # ✏️ self.neurons: a list of nout Neurons with nin inputs each
        raise NotImplementedError("Layer.__init__: create self.neurons")

    def __call__(self, x):
        # ✏️ one output per neuron, in a list
        raise NotImplementedError("Layer.__call__: return a list of the neurons' outputs")

    def parameters(self):
        # ✏️ one flat list: the parameters of neuron 0, then of neuron 1, ...
        raise NotImplementedError("Layer.parameters: every neuron's parameters, in order")

    def zero_grad(self):
        # ✏️ every parameter's grad back to 0
        raise NotImplementedError("Layer.zero_grad: set p.grad = 0.0 for every parameter")


# %%
check_layer(Layer)

# %% [markdown]
# **Solution** (open only if stuck). Run this cell either way: if your `Layer` passed the
# check above, its last line keeps yours; otherwise the lesson goes on with this one.

# %% tags=["solution"] jupyter={"source_hidden": true}
### BEGIN SOLUTION
class Layer:
    """nout neurons side by side, each reading the same nin inputs."""

    def __init__(self, nin, nout, nonlin=True, rng=random):
        self.neurons = [Neuron(nin, nonlin=nonlin, rng=rng) for _ in range(nout)]

    def __call__(self, x):
        return [n(x) for n in self.neurons]  # one output per neuron

    def parameters(self):
        return [p for n in self.neurons for p in n.parameters()]  # neuron by neuron

    def zero_grad(self):
        for p in self.parameters():
            p.grad = 0.0


### END SOLUTION
prefer_yours("07.layer")

# %% [markdown]
# ## Exercise 3: the network
#
# ✏️ Complete the class `MLP`. `MLP(nin, nouts, rng=random)` chains one layer per size in
# `nouts`: `MLP(2, [8, 8, 1])` reads 2 inputs, has two hidden layers of 8 neurons and one
# output neuron.
#
# * `self.layers` — layer `i` has `nouts[i]` neurons, each reading the outputs of the layer
#   before it (the first layer reads the `nin` inputs). Every layer uses `relu` **except
#   the last**: the last one is *linear* (`nonlin=False`), so the network's output can be
#   any number, positive or negative;
# * `model(x)` — feed `x` through the layers, each layer's outputs into the next; return
#   the last layer's list, or **its single `Value`** when the last layer has one neuron (so
#   that `model(x)` is a score);
# * `parameters()` — layer by layer; `zero_grad()` — as in `Layer`.
#
# The check builds networks of random sizes, compares their outputs with plain floats, and
# compares the gradient of every parameter after `backward()` with central differences.

# %% tags=["exercise"]
class MLP:
    """Layers of sizes nouts, one after another; every layer but the last with relu."""

    def __init__(self, nin, nouts, rng=random):
        # ✏️ self.layers: Layer(nin, nouts[0]), Layer(nouts[0], nouts[1]), ...; the last linear
        raise NotImplementedError("MLP.__init__: create self.layers")

    def __call__(self, x):
        # ✏️ each layer's outputs are the next layer's inputs
        raise NotImplementedError("MLP.__call__: run the layers one after another")

    def parameters(self):
        raise NotImplementedError("MLP.parameters: every layer's parameters, in order")

    def zero_grad(self):
        raise NotImplementedError("MLP.zero_grad: set p.grad = 0.0 for every parameter")


# %%
check_mlp(MLP)

# %% [markdown]
# **Solution** (open only if stuck). Run this cell either way: if your `MLP` passed the
# check above, its last line keeps yours; otherwise the lesson goes on with this one.

# %% tags=["solution"] jupyter={"source_hidden": true}
### BEGIN SOLUTION
class MLP:
    """Layers of sizes nouts, one after another; every layer but the last with relu."""

    def __init__(self, nin, nouts, rng=random):
        sizes = [nin] + list(nouts)  # layer i reads sizes[i] numbers and makes sizes[i + 1]
        last = len(nouts) - 1
        self.layers = [
            Layer(sizes[i], sizes[i + 1], nonlin=i != last, rng=rng) for i in range(len(nouts))
        ]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)  # each layer's outputs are the next layer's inputs
        return x[0] if len(x) == 1 else x  # one output neuron: return the score itself

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]

    def zero_grad(self):
        for p in self.parameters():
            p.grad = 0.0


### END SOLUTION
prefer_yours("07.mlp")

# %% [markdown]
# ### Our network
#
# 2 inputs → 8 neurons → 8 neurons → 1 output. A positive score means "upper moon", a
# negative one "lower moon". The seeded `rng` makes its starting weights the same in every
# run.

# %%
model = MLP(2, [8, 8, 1], rng=random.Random(0))
sizes = [2, 8, 8, 1]
for i, layer in enumerate(model.layers):
    kind = "linear neuron" if i == len(model.layers) - 1 else "relu neurons"
    print(f"layer {i}: {len(layer.neurons)} {kind}, each reading {sizes[i]} inputs")
print("parameters:", len(model.parameters()), "= (2+1)·8 + (8+1)·8 + (8+1)·1")

# %% [markdown]
# ### The loss
#
# For each point with label `y = ±1` and score `s`, we use the **hinge loss**
# `relu(1 − y·s)`:
#
# * a point on the correct side with a safety margin (`y·s ≥ 1`) costs **0**: nothing to
#   fix;
# * otherwise it costs `1 − y·s`, more the further it is on the wrong side.
#
# We average over the points and add a small penalty on large weights, `α·Σ p²`
# (*L2 regularisation*), which keeps the boundary smooth. The **accuracy** counts the points
# whose score has the right sign.

# %%
ALPHA = 1e-4  # strength of the L2 penalty


def hinge_loss(model, X, y):
    """The mean hinge loss of the model on the points X (labels y), plus the L2 penalty."""
    scores = [model([float(a), float(b)]) for a, b in inputs(X)]
    hinge = [(1 - float(yi) * s).relu() for yi, s in zip(y, scores)]
    data_loss = sum(hinge) * (1.0 / len(hinge))
    l2 = ALPHA * sum(p * p for p in model.parameters())
    return data_loss + l2


def predict(model, X):
    """The network's scores for the points X (forward only: no loss, no backward)."""
    return np.array([model([float(a), float(b)]).data for a, b in inputs(X)])


def accuracy(model, X, y):
    return float(np.mean((predict(model, X) > 0) == (y > 0)))


loss = hinge_loss(model, X_train, y_train)
print(f"before training: loss = {loss.data:.4f}, accuracy = {accuracy(model, X_train, y_train):.0%}")

# %% [markdown]
# That single `loss` is the output of one big graph: every training point's trip through
# the network, the hinge terms, the sum and the penalty. How big?

# %%
from autograd import topological_order

BATCH = 16  # the points in one minibatch
n_neuron = len(topological_order(out))
n_point = len(topological_order(model([0.5, 1.0]))) - len(model.parameters())
batch_loss = hinge_loss(model, X_train[:BATCH], y_train[:BATCH])
print(f"one neuron (the picture above): {n_neuron} values")
print(f"one point through the network: {n_point} values, besides the parameters")
print(f"the loss of a batch of {BATCH} points: {len(topological_order(batch_loss)):,} values")
print(f"the loss of all {N_TRAIN} training points: {len(topological_order(loss)):,} values")
try:
    draw_dot(batch_loss)
except ValueError as err:
    print(str(err).split(";")[0])

# %% [markdown]
# Far too big to draw, even for one batch — yet one `backward()` runs through all of it.
#
# ### Gradients pile up
#
# Before we train, look at the detail that step 2 is for. Call `backward()` twice on the
# same loss, without resetting anything in between:

# %%
w = model.layers[0].neurons[0].w[0]  # one of the parameters
model.zero_grad()
batch_loss.backward()
first = w.grad
batch_loss.backward()
print(f"after one backward():  w.grad = {first:.6f}")
print(f"after a second one:    w.grad = {w.grad:.6f}  ({w.grad / first:.1f} × the first)")
model.zero_grad()
print(f"after model.zero_grad(): w.grad = {w.grad}")

# %% [markdown]
# Every backward rule *adds* its share into the inputs' `grad` (`+=`), and the parameters
# are leaves of the graph: nothing resets them. So the second `backward()` adds the same
# gradient again, and the grad doubles. In training, each step has a new loss, but without
# `zero_grad()` its gradient would be *added* to all the earlier ones. (Intermediate values
# are reset by `backward()` itself: they are scratch space for one pass.)
#
# ## Exercise 4: the training step
#
# ✏️ Complete `train_step(model, loss_fn, X, y, learning_rate)`: one step of gradient
# descent on the points `X` with labels `y`.
#
# 1. forward: `loss = loss_fn(model, X, y)`, a `Value`;
# 2. zero the model's gradients;
# 3. backward, from the loss;
# 4. update: for every parameter `p`, `p.data -= learning_rate * p.grad`;
#
# and return the loss as a number, `loss.data` (the loss *before* the update).
#
# The check runs your step on a tiny model of its own whose parameters start with stale
# gradients, left over as if from an earlier step. It compares how far every parameter
# moved with `-learning_rate × gradient`, then runs 30 steps and checks that the loss falls.

# %% tags=["exercise"]
def train_step(model, loss_fn, X, y, learning_rate):
    """One step of gradient descent on the points X, y; returns the loss before the step."""
    # ✏️ 1. forward  2. zero_grad  3. backward  4. update every parameter; return loss.data
    raise NotImplementedError("train_step: forward, zero_grad, backward, update")


# %%
check_training(train_step)

# %% [markdown]
# **Solution** (open only if stuck). Run this cell either way: if your `train_step` passed
# the check above, its last line keeps yours; otherwise the lesson goes on with this one.

# %% tags=["solution"] jupyter={"source_hidden": true}
### BEGIN SOLUTION
def train_step(model, loss_fn, X, y, learning_rate):
    """One step of gradient descent on the points X, y; returns the loss before the step."""
    loss = loss_fn(model, X, y)  # 1. forward: one number for the whole batch
    model.zero_grad()  # 2. forget the gradients of the last step
    loss.backward()  # 3. backward: every parameter's grad
    for p in model.parameters():  # 4. update: a small step downhill
        p.data -= learning_rate * p.grad
    return loss.data


### END SOLUTION
prefer_yours("07.training")

# %% [markdown]
# ## Training
#
# The loop below shuffles the training points at the start of every **epoch** (one pass
# over the training set) and walks through them in minibatches of 16: 10 steps per epoch.
# The learning rate shrinks from 1.0 to 0.1 along the way, so the last steps fine-tune.
#
# One more detail, about memory and time. In lesson 05 you saw that your `Value`'s
# closures make every node built by an operation a **reference cycle** (the node holds its
# rule, the rule holds the node; only the leaves have no rule), so a dropped graph is freed
# only by Python's cycle collector. Left to itself, the collector runs after every few
# hundred new objects — in the middle of building a step's graph. Each run finds little to free there
# (the graph is still in use), moves what it looked at to an "older generation", and every
# so often searches *every* object of the program again. So during training we switch the
# automatic runs off (`gc.disable()`) and run the collector ourselves once per step, right
# after the step, when its graph has just become garbage: `gc.collect(0)` searches only the
# objects made since the last collection — that graph — and frees it. Memory stays flat,
# and no time goes into searching graphs that are still in use.
#
# (Lesson 05 timed what the collector costs your `Value`; the last *Try it* below times it
# on this training.)

# %%
import gc

EPOCHS = 25
STEPS = EPOCHS * (N_TRAIN // BATCH)


def learning_rate(step):
    return 1.0 - 0.9 * step / STEPS  # from 1.0 down to 0.1


def train(model, step_fn, epochs, report_every=5, seed=0):
    """Minibatch SGD: returns the loss of every step. Prints progress every few epochs."""
    order_rng = np.random.default_rng(seed)  # the order of the points in each epoch
    losses = []
    gc.disable()  # no automatic collections while a step's graph is being built
    try:
        for epoch in range(1, epochs + 1):
            order = order_rng.permutation(N_TRAIN)
            for start in range(0, N_TRAIN, BATCH):
                batch = order[start : start + BATCH]
                lr = learning_rate(len(losses))
                losses.append(step_fn(model, hinge_loss, X_train[batch], y_train[batch], lr))
                gc.collect(0)  # free the graph of the step just done
            if epoch % report_every == 0:
                recent = np.mean(losses[-(N_TRAIN // BATCH) :])
                train_accuracy = accuracy(model, X_train, y_train)
                print(
                    f"epoch {epoch:>2} (step {len(losses):>3}): mean batch loss {recent:.4f}, "
                    f"training accuracy {train_accuracy:.1%}"
                )
    finally:
        gc.enable()
    return losses


model = MLP(2, [8, 8, 1], rng=random.Random(0))  # a fresh network
history = train(model, train_step, EPOCHS)
print(f"{len(history)} steps of {BATCH} points each")

# %% [markdown]
# The loss falls and the training accuracy climbs. From epoch 20 on, the mean batch loss
# stays at 0.0051, and that is no accident: it is the L2 penalty alone. Every training point
# now has a margin `y·s` of at least 1, so every hinge term is 0:

# %%
margins = y_train * predict(model, X_train)
penalty = ALPHA * sum(p.data**2 for p in model.parameters())
print(f"smallest margin y·s of the {N_TRAIN} training points: {margins.min():.3f}")
print(f"the L2 penalty α·Σ p² of the trained network: {penalty:.4f}")

# %% [markdown]
# But the real question is whether the network learned the **shape** of the moons or just
# memorised 160 points. The held-out points answer that: the network has never seen them.

# %%
test_scores = predict(model, X_test)
correct = int(((test_scores > 0) == (y_test > 0)).sum())
print(f"held-out accuracy: {correct / len(y_test):.1%} ({correct} of {len(y_test)} points)")

# %% [markdown]
# **100 %**: the network classifies all 300 held-out points correctly, points it never
# trained on. It learned the shape of the moons, not a list of answers — and every
# gradient it learned from was computed by your `backward()`.
#
# ## The picture
#
# The loss of every step (light) and its mean over each epoch (dark). Each step's loss is
# measured on a different minibatch, hence the noise:

# %%
per_epoch = np.array(history).reshape(EPOCHS, -1).mean(axis=1)
fig, ax = plt.subplots(figsize=(7, 3.2))
ax.plot(np.arange(1, len(history) + 1), history, color="C0", alpha=0.35, label="one step")
epoch_ends = np.arange(1, EPOCHS + 1) * (N_TRAIN // BATCH)
ax.plot(epoch_ends, per_epoch, "o-", color="C0", label="mean of an epoch")
ax.set_xlabel("step")
ax.set_ylabel("loss")
ax.set_yscale("log")
ax.set_title("Training loss (log scale)")
ax.legend()
fig.tight_layout()
plt.show()

# %% [markdown]
# And what the network has learned: the colour shows the sign of its score at every point
# of the plane, the black line is where the score is 0 (the **decision boundary**). Circles
# are training points; crosses are held-out points.

# %%
GRID = 30
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
# ## What if you forget `zero_grad()`?
#
# The most common bug in a training loop, made on purpose: the same step without its
# second line. We train a fresh copy of the same network (same starting weights, same
# minibatches) for 5 epochs and compare.


# %%
def train_step_without_zero_grad(model, loss_fn, X, y, learning_rate):
    loss = loss_fn(model, X, y)
    loss.backward()  # the grads still hold every earlier step's gradients: this adds to them
    for p in model.parameters():
        p.data -= learning_rate * p.grad
    return loss.data


forgetful = MLP(2, [8, 8, 1], rng=random.Random(0))
forgetful_history = train(forgetful, train_step_without_zero_grad, 5, report_every=1)
forgetful_epochs = np.array(forgetful_history).reshape(5, -1).mean(axis=1)
print("\nmean batch loss per epoch:")
print(f"{'':7}  {'with zero_grad':>14}  {'without':>9}")
for epoch in range(5):
    print(f"epoch {epoch + 1}  {per_epoch[epoch]:>14.4f}  {forgetful_epochs[epoch]:>9.4g}")
largest = max(abs(p.data) for p in forgetful.parameters())
trained = max(abs(p.data) for p in model.parameters())
print(f"largest weight after 5 epochs without zero_grad: {largest:.1f}")
print(f"largest weight of the network trained above, after {EPOCHS} epochs: {trained:.1f}")

# %% [markdown]
# Without `zero_grad()`, step *k* moves the parameters by the **sum** of all *k* gradients
# so far. The first steps still go roughly downhill — epoch 1's mean batch loss, 1.1611, is
# below the starting 1.7632 — but each step overshoots more than the last: the loss falls
# for a few steps, then explodes, the weights grow into the thousands and the training
# accuracy falls to about a coin toss.
# No error message, no warning — only a loss that misbehaves. When a loss behaves like this,
# check `zero_grad()` first.
#
# ## Try it
#
# Change one thing and run the cells below it again:
#
# * **Other training bugs**: in `train_step_without_zero_grad` above, put
#   `model.zero_grad()` back, *between* `loss.backward()` and the update loop; or update
#   with `+=` instead of `-=`. What does the loss do now? (To try such a bug on your own
#   `train_step` instead: after editing an exercise, run its check and then its Solution
#   cell. Until you do, the lesson trains with the version you defined last, even one that
#   fails its check.)
# * **A smaller network**: `MLP(2, [4, 1])` in the training cell. Can 4 neurons bend the
#   boundary enough?
# * **Full-batch gradient descent**: add `BATCH = N_TRAIN` at the top of the training cell
#   (it overrides the `BATCH = 16` of the graph-size cell): one step per epoch. The same
#   work per epoch, but 10 times fewer steps: how far does the loss get in the same 25
#   epochs?
# * **More noise**: `noise=0.25` in `make_moons`. The moons overlap; the held-out accuracy
#   drops, and a boundary that wiggles around single training points is a sign of
#   *overfitting*.
# * **Too big a step**: start the learning rate at `5.0` instead of `1.0`: in
#   `learning_rate`, return `5.0 - 4.5 * step / STEPS` (from 5.0 down to 0.5) instead of
#   `1.0 - 0.9 * step / STEPS`.
# * **Skip the scaling**: use `X` instead of `inputs(X)` in `hinge_loss` and `predict`.
#   Training still works, but starts from a worse place.
# * **Leave the collector alone**: remove `gc.disable()` and `gc.collect(0)` from `train`,
#   and time the training cell (put `%%time` on its first line), with and without them.
#
# ## Quiz
#
# Pick an answer: a wrong one tells you the misconception behind it, the right one why it is
# right. The last question is about the **Try it** list above. Your answers are saved (see
# `progress()` in [00 · Start here](00_start_here.ipynb)).

# %%
quiz("07")

# %% [markdown]
# ## Study this lesson with an AI
#
# Three prompts, to use in order: explain the idea, walk through this lesson's demo, quiz me
# on the try-it list. Copy one into the assistant of your choice (nothing is sent anywhere
# from here). Once you have saved some exercise code, the walkthrough prompt includes it.

# %%
study_with_ai("07")

# %% [markdown]
# ## Summary
#
# * A **neuron** is `relu(w·x + b)`; a **layer** is a row of neurons; an **MLP** chains
#   layers, the last one linear. All weights and biases are `Value`s: `model.parameters()`.
# * Training repeats **forward → zero_grad → backward → update** (`p.data -= lr · p.grad`),
#   here on minibatches of 16 points: *stochastic* gradient descent.
# * Gradients **accumulate** in the parameters: forget `zero_grad()` and every step uses the
#   sum of all earlier gradients — the loss explodes, silently.
# * The **hinge loss** `relu(1 − y·s)` is 0 for points classified with a margin, and the
#   L2 penalty keeps the weights small.
# * Always test on **held-out** points: that is where a model shows what it has learned.
#
# Your scalar `Value` was perfect for seeing every gradient; it is slow for real data: every
# number is an object. Next, a numpy `Tensor` does the same with whole arrays at once.
#
# [Next: 08 · Tensors](08_tensors.ipynb)
