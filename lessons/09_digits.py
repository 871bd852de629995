# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # 09 · Real digits
#
# *From made-up points to real handwriting.* Your tensor engine learns to read handwritten
# digits, in a few seconds, and gets almost all of them right.
#
# **Goals**
#
# * load a real data set, look at it, and split it into a **training** and a **test** set;
# * train an MLP with **cross-entropy**, mini-batches and the **Adam** optimizer;
# * read the **loss and accuracy curves**, and look at the mistakes the network makes;
# * check that the result is not luck, with a second run from another seed.
#
# **Builds on:** [08 · Tensors](08_tensors.ipynb) (the `Tensor` engine, broadcasting and the
# matmul gradient) and [07 · A neural net](07_neural_net.ipynb) (the training loop).

# %% [markdown]
# ## The idea
#
# scikit-learn ships a small set of **1,797 handwritten digits**, scanned at 8×8 pixels.
# Each image is 64 numbers, so a network reads it as a vector of 64 inputs and answers with
# **10 scores**, one per digit. The highest score is its guess.
#
# Training needs a loss that says how wrong the scores are. **Cross-entropy** turns the 10
# scores into probabilities with *softmax*, $p_k = e^{s_k} / \sum_j e^{s_j}$, and charges
# $-\log p_{\text{true}}$: almost 0 when the network is sure and right, large when it is sure
# and wrong.
#
# And one rule that matters more than any other in machine learning: **judge the network on
# images it never trained on.** Anyone can memorise 1,437 pictures; the question is whether
# it learned to read. So we keep 360 images aside as a **test set**.

# %% [markdown]
# ## The code
#
# ### The data

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from threadpoolctl import threadpool_limits
from tqdm.auto import tqdm

from autograd import Quiz, Tensor, draw_dot, functional, no_grad
from autograd import Adam, Linear, ReLU, Sequential

# One thread for numpy's matrix products: with several, the order in which partial sums are
# added depends on the machine, and float32 results (so, the printed accuracies) could
# differ in the last digits from one computer to another.
_ = threadpool_limits(limits=1)

digits = load_digits()  # bundled with scikit-learn: no download
images, labels = digits.images, digits.target
print("images:", images.shape, " labels:", labels.shape)
print("pixel values from", images.min(), "to", images.max())
print("images per digit:", np.bincount(labels).tolist())

# %%
fig, axes = plt.subplots(2, 10, figsize=(10, 2.4))
for ax, image, label in zip(axes.ravel(), images, labels, strict=False):
    ax.imshow(image, cmap="gray_r")
    ax.set_title(str(label))
    ax.axis("off")
fig.suptitle("The first 20 digits of the data set, with their labels")
fig.tight_layout()
plt.show()

# %% [markdown]
# Blurry, but readable: 8×8 is not much. Each pixel is a whole number from 0 (white) to 16
# (black), and the ten digits appear about equally often.
#
# Next: flatten each image into a row of 64 numbers, scale them to the range 0 to 1 (small
# inputs keep the first steps of training gentle), and store
# them as `float32`, the usual type for neural networks: half the memory of `float64`, and
# plenty of precision. Then shuffle with a **seeded** random generator and set 360 images
# aside for testing.

# %%
X = (images.reshape(len(images), 64) / 16.0).astype(np.float32)
y = labels
order = np.random.default_rng(0).permutation(len(X))
test, train = order[:360], order[360:]
X_train, y_train, X_test, y_test = X[train], y[train], X[test], y[test]
print("training set:", X_train.shape, X_train.dtype, "  test set:", X_test.shape)

# %% [markdown]
# ### The model
#
# An MLP with 64 inputs, one hidden layer of 64 ReLU units, and 10 outputs. `Linear(64, 64)`
# holds a weight matrix `W` of shape `(64, 64)` and a bias `b` of shape `(64,)`: exactly the
# `x @ W + b` of lesson 08, for a whole batch of images at once.

# %%
rng = np.random.default_rng(0)  # seeded: the same initial weights in every run
model = Sequential(Linear(64, 64, rng=rng), ReLU(), Linear(64, 10, rng=rng))
print(model)
print("parameters:", [p.shape for p in model.parameters()])
print("numbers to learn:", sum(p.size for p in model.parameters()))

# %% [markdown]
# Before any training the network guesses at random. With 10 classes, a random guess is right
# 10 % of the time, and the cross-entropy of a clueless network, which gives every digit
# probability 1/10, is $-\log(1/10) = \log 10 \approx 2.30$. Let's check both.


# %%
def accuracy(model, X, y):
    """The fraction of images whose highest score is the right digit."""
    with no_grad():  # no graph needed: we only look
        scores = model(Tensor(X)).data
    return float((scores.argmax(axis=1) == y).mean())


with no_grad():
    start_loss = functional.cross_entropy(model(Tensor(X_train)), y_train).item()
print(
    f"before training: loss {start_loss:.2f} (log 10 = {np.log(10):.2f}), "
    f"test accuracy {accuracy(model, X_test, y_test):.1%}"
)

# %% [markdown]
# Loss 2.30 and 7.5 % right: as clueless as predicted. (With only 360 test images, "about
# 10 %" can easily come out as 7.5 %.)
#
# ### Cross-entropy and its gradient
#
# `functional.cross_entropy(scores, labels)` takes a batch of scores (shape `(N, 10)`) and
# the right digits (`N` integers), and returns the mean of $-\log p_{\text{true}}$. Its
# gradient is a classic result worth remembering:
#
# $$\frac{\partial\, \text{loss}}{\partial\, \text{scores}} = \frac{\text{softmax}(\text{scores})
# - \text{onehot}(\text{labels})}{N}$$
#
# Raising the right class's score lowers the loss at a rate $1 - p$ (per example, before
# dividing by $N$); raising a wrong class's score raises it at a rate $p$. Here it is on
# two examples with 3 classes:

# %%
scores = Tensor([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]], requires_grad=True)
targets = np.array([0, 2])  # the first is right, the second is wrong
loss = functional.cross_entropy(scores, targets)
loss.backward()
probs = np.exp(scores.data) / np.exp(scores.data).sum(axis=1, keepdims=True)
onehot = np.eye(3)[targets]
print("probabilities:\n", probs.round(3))
print(f"loss = {loss.item():.4f}")
print("scores.grad:\n", scores.grad.round(4))
print("(softmax - onehot) / N:\n", ((probs - onehot) / 2).round(4))

# %% [markdown]
# The first example is already right (p = 0.659 for class 0), so its gradient is small. The
# second puts only 0.089 on the true class 2: its gradient, −0.4555, is negative, so gradient
# descent pushes that score up, while the wrong favourite, class 1 (p = 0.802), gets
# +0.4012 and is pushed down.
#
# ### Training
#
# One **epoch** is one pass over the 1,437 training images, in a fresh random order, in
# **mini-batches** of 32: each step computes the loss on 32 images, backpropagates, and lets
# the optimizer move every weight a little. **Adam** (from `autograd`) scales each
# weight's step by how large its gradients usually are, which makes it forgiving about the
# learning rate.
#
# Everything random — the initial weights and the order of the batches — comes from one
# seed, so a run can be repeated exactly.


# %%
def train(seed, epochs=20, batch_size=32, lr=3e-3):
    """Train a fresh 64-64-10 MLP; return it and its history (one entry per epoch)."""
    rng = np.random.default_rng(seed)
    model = Sequential(Linear(64, 64, rng=rng), ReLU(), Linear(64, 10, rng=rng))
    optimizer = Adam(model.parameters(), lr=lr)
    history = {"loss": [], "train_acc": [], "test_acc": []}
    for _ in tqdm(range(epochs), desc=f"seed {seed}"):
        shuffled = rng.permutation(len(X_train))
        total = 0.0
        for start in range(0, len(shuffled), batch_size):
            batch = shuffled[start : start + batch_size]
            loss = functional.cross_entropy(model(Tensor(X_train[batch])), y_train[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(batch)
        history["loss"].append(total / len(X_train))  # the epoch's mean training loss
        history["train_acc"].append(accuracy(model, X_train, y_train))
        history["test_acc"].append(accuracy(model, X_test, y_test))
    return model, history


model, history = train(seed=0)
n_right = round(history["test_acc"][-1] * len(X_test))
print(f"final training loss: {history['loss'][-1]:.4f}")
print(f"test accuracy: {history['test_acc'][-1]:.1%}  ({n_right} of {len(X_test)} right)")

# %% [markdown]
# **98.1 %** of the test images — 353 of 360, digits the network has never seen — are read
# correctly, after a few seconds of training. That is your engine: the same `backward()`
# as in lesson 05, with arrays instead of numbers.
#
# One training step is a small graph. Here it is for a batch of 32, with the parameters in
# green:

# %%
model.zero_grad()  # forget the last training step's gradients
for k, layer in [(1, model[0]), (2, model[2])]:
    layer.W.label, layer.b.label = f"W{k}", f"b{k}"
batch = np.arange(32)
step_loss = functional.cross_entropy(model(Tensor(X_train[batch], label="images")), y_train[batch])
step_loss.label = "loss"
picture = draw_dot(step_loss, params=model.parameters())
picture

# %% [markdown]
# ## The picture
#
# ### Learning curves
#
# The history holds one number per epoch. Plotting them is the quickest way to see whether
# training went well.

# %%
epochs = np.arange(1, len(history["loss"]) + 1)
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.6))
ax1.plot(epochs, history["loss"], "o-", ms=3)
ax1.set_yscale("log")
ax1.set_xlabel("epoch")
ax1.set_ylabel("training loss (log scale)")
ax1.set_title("Cross-entropy on the training set")
ax2.plot(epochs, 100 * np.array(history["train_acc"]), "o-", ms=3, label="training set")
ax2.plot(epochs, 100 * np.array(history["test_acc"]), "s-", ms=3, label="test set")
ax2.set_ylim(85, 100.5)
ax2.set_xlabel("epoch")
ax2.set_ylabel("accuracy (%)")
for ax in (ax1, ax2):
    ax.set_xticks([1, 5, 10, 15, 20])
ax2.set_title("Accuracy")
ax2.legend(loc="lower right")
fig.tight_layout()
plt.show()

# %% [markdown]
# * The **loss** falls fast in the first epochs, then keeps creeping down (the log scale
#   shows the slow part).
# * **Training accuracy** climbs to 99.4 %: the network gets almost every training image
#   right.
# * **Test accuracy** levels off a little lower. The gap is normal — these are new images —
#   and it is the honest number to report.

# %%
print(
    f"after the last epoch: training accuracy {history['train_acc'][-1]:.1%}, "
    f"test accuracy {history['test_acc'][-1]:.1%}"
)

# %% [markdown]
# ### The mistakes
#
# Which test images does the network get wrong? Here are all of them, with the right label
# and the network's guess:

# %%
with no_grad():
    predicted = model(Tensor(X_test)).data.argmax(axis=1)
wrong = np.flatnonzero(predicted != y_test)
print(
    f"{len(wrong)} mistakes (true → guessed):",
    ", ".join(f"{y_test[i]}→{predicted[i]}" for i in wrong),
)

rows = max(1, -(-len(wrong) // 8))  # 8 images per row
fig, axes = plt.subplots(rows, 8, figsize=(10, 1.9 * rows), squeeze=False)
axes = axes.ravel()
for ax in axes:
    ax.axis("off")
for ax, i in zip(axes, wrong, strict=False):
    ax.imshow(X_test[i].reshape(8, 8), cmap="gray_r")
    ax.set_title(f"true {y_test[i]}\nguess {predicted[i]}", fontsize=10)
fig.tight_layout()
plt.show()

# %% [markdown]
# Some of these you might get wrong too: at 8×8 pixels, a sloppy digit can really look like
# another one.
#
# ### Was it luck? A second run
#
# A different seed gives different initial weights and a different order of batches. If the
# result depended on a lucky draw, a second run would show it. Train again with seed 1 and
# plot both runs:

# %%
model_2, history_2 = train(seed=1)

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.6))
for h, name, style in [(history, "seed 0", "o-"), (history_2, "seed 1", "s--")]:
    ax1.plot(epochs, h["loss"], style, ms=3, label=name)
    ax2.plot(epochs, 100 * np.array(h["test_acc"]), style, ms=3, label=name)
ax1.set_yscale("log")
ax1.set_xlabel("epoch")
ax1.set_ylabel("training loss (log scale)")
ax1.set_title("Training loss, two seeds")
ax2.set_ylim(85, 100.5)
ax2.set_xlabel("epoch")
ax2.set_ylabel("test accuracy (%)")
ax2.set_title("Test accuracy, two seeds")
for ax in (ax1, ax2):
    ax.set_xticks([1, 5, 10, 15, 20])
    ax.legend()
fig.tight_layout()
plt.show()

# %%
for name, h in [("seed 0", history), ("seed 1", history_2)]:
    right = round(h["test_acc"][-1] * len(X_test))
    print(f"{name}: final test accuracy {h['test_acc'][-1]:.1%}  ({right} of {len(X_test)})")
with no_grad():
    predicted_2 = model_2(Tensor(X_test)).data.argmax(axis=1)
wrong_2 = np.flatnonzero(predicted_2 != y_test)
print(
    f"images both runs get wrong: {len(np.intersect1d(wrong, wrong_2))} "
    f"(seed 0 misses {len(wrong)}, seed 1 misses {len(wrong_2)})"
)

# %% [markdown]
# The two runs are **different in detail**: their curves wiggle in different places, and
# their mistakes only partly overlap (6 images fool both; seed 0 misses 7 in all, seed 1
# misses 8), because they started from different weights and saw the batches in a
# different order. But they **agree in outcome**: the same fast fall of the loss, and
# test accuracy levelling off at the same height, 98.1 % and 97.8 % (one image apart).
# Whenever you report a result, a second seed is the cheapest test that it is real.

# %% [markdown]
# ## Exercise
#
# ✏️ **Your turn.** `functional.cross_entropy` is one node with a hand-written backward rule
# (`softmax - onehot`). You can also build it from ops your engine already has, and let
# backpropagation find the gradient by itself. Write `my_cross_entropy(scores, targets)`:
#
# 1. `logp = scores.log_softmax()` gives $\log p$ for every class, shape `(N, C)`;
# 2. a **one-hot** array `onehot = np.eye(C)[targets]` has a 1 at each example's true class;
# 3. `(logp * onehot).sum()` picks out $\log p_{\text{true}}$ for every example and adds them:
#    the loss is minus that, divided by `N`.


# %%
def my_cross_entropy(scores, targets):
    """Mean of -log softmax(scores)[true class], built from Tensor ops."""
    # ✏️ Exercise: steps 1-3 above.
    raise NotImplementedError("write my_cross_entropy(scores, targets)")


# %% [markdown]
# The checker tries random batches, including scores so large that a naive
# `exp(scores)` would overflow. It compares your **loss** and your **gradient** (found by
# backpropagating through your ops) with the fused `functional.cross_entropy`.


# %%
def check_cross_entropy(fn, trials=50, seed=0):
    rng = np.random.default_rng(seed)
    for trial in range(trials):
        n, c = int(rng.integers(1, 6)), int(rng.integers(2, 7))
        scale = 1000.0 if trial % 10 == 9 else 3.0  # every tenth batch: huge scores
        raw = rng.standard_normal((n, c)) * scale
        targets = rng.integers(0, c, size=n)
        mine, ref = Tensor(raw, requires_grad=True), Tensor(raw, requires_grad=True)
        try:
            got = fn(mine, targets)
            got.backward()
        except NotImplementedError as err:
            print(f"not yet: {err}")
            return
        except Exception as err:
            print(f"✗ scores of shape {(n, c)}: raised {err!r}")
            if isinstance(err, OverflowError):
                print("hint: exp() of a large score overflows; log_softmax() avoids it")
            return
        expected = functional.cross_entropy(ref, targets)
        expected.backward()
        if not np.allclose(got.data, expected.data, rtol=1e-6, atol=1e-9):
            print(f"✗ loss for scores of shape {(n, c)}, targets {targets.tolist()}:")
            print(f"got {got.item():.6g}, expected {expected.item():.6g}")
            return
        if not np.allclose(mine.grad, ref.grad, rtol=1e-6, atol=1e-9):
            print(f"✗ gradient for scores of shape {(n, c)}, targets {targets.tolist()}:")
            print(
                f"got\n{mine.grad.round(4)}\nexpected (softmax - onehot) / N\n{ref.grad.round(4)}"
            )
            return
    print(f"✓ loss and gradient match functional.cross_entropy on {trials} random batches")


# %%
check_cross_entropy(my_cross_entropy)

# %% [markdown]
# **Solution** (open only if stuck)


# %% jupyter={"source_hidden": true}
def my_cross_entropy(scores, targets):
    """Mean of -log softmax(scores)[true class], built from Tensor ops."""
    n, c = scores.shape
    logp = scores.log_softmax()  # shape (N, C), computed stably
    onehot = np.eye(c)[targets]  # 1 at the true class, 0 elsewhere
    return -(logp * onehot).sum() / n


# %%
check_cross_entropy(my_cross_entropy)

# %% [markdown]
# Your version runs five operations (`log_softmax`, `*`, `sum`, a minus and `/`) where the
# fused one runs one, and it multiplies a whole `(N, C)` array by a mostly-zero one-hot
# array. The answer is the same; the fused rule is just cheaper. Real libraries fuse the
# most common patterns for exactly that reason.

# %% [markdown]
# ## Try it
#
# * **Train with your own loss.** In `train`, replace `functional.cross_entropy` with
#   `my_cross_entropy` and re-run. The accuracy should be the same; the time a bit longer.
# * **Change the optimizer.** Import `SGD` from `autograd` and use
#   `SGD(model.parameters(), lr=0.1, momentum=0.9)`. How do the curves change?
# * **Less data.** Train on only the first 200 training images
#   (`X_train, y_train = X_train[:200], y_train[:200]`). Training accuracy stays high; what
#   happens to test accuracy? The gap between the two is called *overfitting*.
# * **A wider or narrower network.** Try a hidden layer of 16 or of 256 units.

# %% [markdown]
# ## Quiz

# %%
Quiz(
    "Why do we report the accuracy on the 360 test images, not on the training images?",
    [
        "the test set is bigger",
        "the network never trained on them, so they show whether it learned to read "
        "rather than to memorise",
        "training accuracy cannot be computed",
        "the test images are easier",
    ],
    1,
    "Training accuracy reached 99.4 % here, higher than on the test set. Only "
    "images held out from training measure how well the network generalises.",
)

# %%
Quiz(
    "Before training, the loss was about 2.30. Why that number?",
    [
        "it is a random number",
        "it is 10 %, the chance of a random guess",
        "it is log 10: a network that gives each of the 10 digits probability 1/10 pays "
        "−log(1/10) per image",
        "the weights start at 2.30",
    ],
    2,
    "Small random weights give almost equal scores, so softmax gives each class about 1/10, "
    "and cross-entropy charges −log(1/10) = log 10 ≈ 2.30.",
)

# %%
Quiz(
    "The network gives the true class probability 0.9 for one image of a batch of N. What "
    "is the gradient of the loss with respect to that class's score?",
    ["(0.9 − 1) / N = −0.1 / N", "0.9 / N", "−log(0.9) / N", "0"],
    0,
    "The gradient is (softmax − onehot) / N: p − 1 for the true class. It is negative, so "
    "gradient descent raises the true class's score, and it is small because 0.9 is "
    "already close to 1.",
)

# %% [markdown]
# ## Summary
#
# * A **test set** kept out of training is the honest judge of a network.
# * For classification, the network outputs one **score** per class; **cross-entropy**
#   charges $-\log p_{\text{true}}$ after softmax, and its gradient is
#   **(softmax − onehot) / N**.
# * Training = epochs of shuffled **mini-batches**: forward, `backward()`, optimizer step.
# * A 64-64-10 MLP on your tensor engine reads **98.1 %** of unseen handwritten digits
#   after a few seconds of training.
# * A second **seed** changes the details (curves, mistakes) but not the outcome: that is
#   how you know a result is real.
#
# **[Next: 10 · Memory and compute](10_memory_and_compute.ipynb)** — what backward costs,
# why it needs memory, and how checkpointing trades compute for it.
