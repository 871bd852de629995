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
# *From made-up points to real handwriting.* You write the last four pieces of your tensor
# engine, and then **your** `Tensor` learns to read handwritten digits, in a few seconds, and
# gets almost all of them right.
#
# **Goals**
#
# * load a real data set, look at it, and split it into a **training** and a **test** set;
# * **derive** the gradient of softmax + cross-entropy, `(softmax − onehot) / N` (onehot: 1
#   for the true class, 0 for the others), and check the formula numerically;
# * write `Tensor.log_softmax`, a one-node `cross_entropy`, a `Linear` layer and an `SGD`
#   optimizer, each graded;
# * train an MLP on your engine with mini-batches, read the **loss and accuracy curves**, look
#   at the mistakes, and check with a second seed that the result is not luck.
#
# **Builds on:** [08 · Tensors](08_tensors.ipynb) (your `Tensor`, broadcasting and the
# matmul gradient) and [07 · A neural net](07_neural_net.ipynb) (the training loop).

# %% [markdown]
# This lesson works on **your** `Tensor`, the class you built in lesson 08. The next cell
# loads it (your own code where it passed its check, the reference solution elsewhere) and
# says which. Its first line says whether you have finished lesson 08 (its exercises passed,
# its quiz answered right); go on either way.

# %%
from autograd import start_lesson

engine = start_lesson("09")  # your code from lesson 08 where it passed, else the reference
Tensor = engine.Tensor
engine

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
import time

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from threadpoolctl import threadpool_limits

from autograd import check_cross_entropy, check_linear, check_log_softmax, check_sgd
from autograd import draw_dot, prefer_yours, quiz, study_with_ai

# One thread for numpy's matrix products: with several, the order in which partial sums are
# added depends on the machine, and the printed losses could differ in the last digits from
# one computer to another.
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
# Next: flatten each image into a row of 64 numbers and scale them to the range 0 to 1
# (small inputs keep the first steps of training gentle). Your `Tensor` stores every array as
# `float64`, so we keep them that way. Then shuffle with a **seeded** random generator and
# set 360 images aside for testing.

# %%
X = images.reshape(len(images), 64) / 16.0
y = labels
order = np.random.default_rng(0).permutation(len(X))
test, train = order[:360], order[360:]
X_train, y_train, X_test, y_test = X[train], y[train], X[test], y[test]
print("training set:", X_train.shape, X_train.dtype, "  test set:", X_test.shape)

# %% [markdown]
# ### Softmax and cross-entropy: the gradient, derived
#
# Take one image with scores $s_1, \dots, s_C$ and true class $y$. Its loss is
# $\ell = -\log p_y$ with $p_k = e^{s_k} / \sum_j e^{s_j}$. We want $\partial \ell /
# \partial s_i$ for every score $i$, in four short steps.
#
# 1. **Take the log first.** $\log p_k = s_k - \log \sum_j e^{s_j}$. This is the
#    *log-softmax*; the second term, "log-sum-exp", is the same for every $k$.
# 2. **Differentiate log-sum-exp.** By the chain rule ($\frac{d}{du} \log u = 1/u$, then
#    $\frac{\partial}{\partial s_i} e^{s_i} = e^{s_i}$):
#    $$\frac{\partial}{\partial s_i} \log \sum_j e^{s_j} = \frac{e^{s_i}}{\sum_j e^{s_j}} = p_i .$$
# 3. **So every log-probability depends on every score:**
#    $$\frac{\partial \log p_k}{\partial s_i} = [i = k] - p_i ,$$
#    where $[i = k]$ is 1 when $i = k$ and 0 otherwise.
# 4. **The loss picks $k = y$ and flips the sign:**
#    $$\frac{\partial \ell}{\partial s_i} = p_i - [i = y], \qquad\text{as a vector: }\;
#    p - \text{onehot}(y) ,$$
#    where $\text{onehot}(y)$ is the vector of $C$ numbers with a 1 at position $y$ and 0
#    everywhere else (the $[i = y]$ for every $i$).
#
# A batch's loss is the **mean** of $N$ such terms. Each row of scores appears in only one
# of them, with weight $1/N$, so
#
# $$\frac{\partial\, \text{loss}}{\partial\, \text{scores}} =
# \frac{\text{softmax}(\text{scores}) - \text{onehot}(\text{labels})}{N} .$$
#
# Read it: raising the right class's score lowers the loss at a rate $1 - p_y$; raising a
# wrong class's score raises it at a rate $p_i$. A derivation can hide a slip, so let's
# check the formula against central differences (lesson 01) on two examples with 3 classes,
# in plain numpy:

# %%
scores = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]])
targets = np.array([0, 2])  # the first is right, the second is wrong


def mean_cross_entropy(s):
    """The loss on plain numbers: the mean over the rows of -log softmax(row)[target]."""
    p = np.exp(s) / np.exp(s).sum(axis=1, keepdims=True)
    return -np.log(p[np.arange(len(targets)), targets]).mean()


h = 1e-6
numeric = np.zeros_like(scores)
for i in range(scores.shape[0]):
    for j in range(scores.shape[1]):
        up, down = scores.copy(), scores.copy()
        up[i, j] += h
        down[i, j] -= h
        numeric[i, j] = (mean_cross_entropy(up) - mean_cross_entropy(down)) / (2 * h)

probs = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
formula = (probs - np.eye(3)[targets]) / len(targets)
print("probabilities:\n", probs.round(3))
print(f"loss = {mean_cross_entropy(scores):.4f}")
print("central differences:\n", numeric.round(4))
print("(softmax - onehot) / N:\n", formula.round(4))
print("the same to 8 decimals:", np.allclose(numeric, formula, rtol=0, atol=1e-8))

# %% [markdown]
# The formula and the measurement agree. The first example is already right (p = 0.659 for
# class 0), so its gradient is small. The second puts only 0.089 on the true class 2: its
# gradient, −0.4555, is negative, so gradient descent pushes that score up, while the wrong
# favourite, class 1 (p = 0.802), gets +0.4012 and is pushed down.
#
# ### Computing it without overflow
#
# `exp` grows fast: a float64 holds at most about $e^{709}$. A network that is very sure can
# produce a score of 1000, and then $e^{1000}$ is `inf` and the loss is `nan`. The fix costs
# nothing: subtract each row's largest score $m$ first. Softmax does not change,
# $e^{s_k - m} / \sum_j e^{s_j - m} = e^{s_k} / \sum_j e^{s_j}$ (the $e^{-m}$ cancels), every
# exponent is now $\le 0$, and the sum is at least 1 (the largest term is $e^0$), so its log
# is safe:
#
# $$\log p_k = (s_k - m) - \log \sum_j e^{s_j - m} .$$

# %%
big = np.array([1000.0, 999.0, 990.0])
with np.errstate(over="ignore"):  # (numpy would warn about the overflow)
    print("exp(s):    ", np.exp(big))
shifted = big - big.max()
print("exp(s - m):", np.exp(shifted).round(6))
print("log softmax:", (shifted - np.log(np.exp(shifted).sum())).round(6))

# %% [markdown]
# ## Exercise 1 ✏️ `log_softmax`
#
# Add `Tensor.log_softmax(axis=-1)`: the log-probabilities along `axis` (the last one by
# default: one row of class scores per example), as **one** new node.
#
# * **Forward**, in numpy on `self.data`: subtract the max along `axis` (with
#   `keepdims=True`, so it broadcasts back), then subtract the log of the sum of the
#   exponentials.
# * **Backward.** The node receives `out.grad`, one number $g_k$ per log-probability. By the
#   chain rule, score $i$ gets $\sum_k g_k \,\partial \log p_k / \partial s_i = \sum_k g_k
#   ([i = k] - p_i)$, that is
#   $$g_i - p_i \sum_k g_k ,$$
#   with the sum taken along `axis`. The softmax is just `np.exp(out.data)`: the forward pass
#   has already computed it. Add the result into `self.grad` with `+=`, as every rule of
#   your `Tensor` does.
#
# The rule of lesson 08 applies: `def _backward():` closes over `out`, and
# `out._backward = _backward`.

# %% tags=["exercise"]
def log_softmax(self, axis=-1):
    # ✏️ your code here: the forward (stable, along `axis`), a new Tensor, its _backward
    raise NotImplementedError("write Tensor.log_softmax")


Tensor.log_softmax = log_softmax

# %% [markdown]
# The check tries random shapes (1-D, 2-D, 3-D, the default axis and `axis=0`), scores in
# the thousands (with one row far below the others: *each row's* max matters), a random
# gradient arriving at the output, and a tensor used twice. It compares your values with
# numpy and your gradients with central differences.

# %%
check_log_softmax(Tensor)

# %% [markdown]
# **Solution** (open only if stuck). Run this cell either way: if your code passed the check
# it keeps yours; otherwise the lesson goes on with the solution.

# %% tags=["solution"] jupyter={"source_hidden": true}
### BEGIN SOLUTION
def log_softmax(self, axis=-1):
    shifted = self.data - self.data.max(axis=axis, keepdims=True)  # largest is 0: no overflow
    logp = shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))
    out = Tensor(logp, (self,), "log_softmax")

    def _backward():
        p = np.exp(out.data)  # the softmax, from the saved output
        self.grad += out.grad - p * out.grad.sum(axis=axis, keepdims=True)  # g - p (sum of g)

    out._backward = _backward
    return out


Tensor.log_softmax = log_softmax
### END SOLUTION
prefer_yours("09.log_softmax")

# %% [markdown]
# ## Exercise 2 ✏️ `cross_entropy`, as one node
#
# With `log_softmax`, the loss is already within reach: pick each row's log-probability of
# its true class, average, flip the sign. Built from your ops, that is four operations:
# `log_softmax`, `*` by a one-hot array, `sum`, and a multiplication by $-1/N$. But we derived
# the gradient of the whole thing in one go, so write it as **one node** with that rule.
#
# Its arguments: `logits`, the batch's scores, of shape `(N, C)` (*logits* is what every
# library calls the raw scores a network outputs, before softmax turns them into
# probabilities), and `targets`, N class numbers (a numpy array or a list:
# `np.asarray(targets)` turns either into an array).
#
# * **Forward**, in numpy: the stable log-softmax of each row (`axis=1`), then
#   `-logp[np.arange(n), targets].mean()` (row `r`'s entry in column `targets[r]`). The
#   node's only input is `logits`: `Tensor(..., (logits,), "cross_entropy")`.
# * **Backward**: `logits.grad += out.grad * (p - onehot) / n`, with `p = np.exp(logp)` and
#   `onehot = np.eye(c)[targets]` (row `r` of the identity matrix is the one-hot of class
#   `r`). The `out.grad` factor is 1 when the loss is what you call `backward()` on, but the
#   loss may also be part of a bigger expression.

# %% tags=["exercise"]
def cross_entropy(logits, targets):
    """The mean over the batch of -log softmax(logits)[true class], as one node."""
    # ✏️ your code here: the forward in numpy, a new Tensor, its _backward
    raise NotImplementedError("write cross_entropy")


# %% [markdown]
# The check compares your loss with numpy and your gradient with central differences, on
# random batches (N from 1 to 6, C from 2 to 7), with scores in the thousands, a loss used
# inside a bigger expression, and logits used by two losses; and it makes sure that the loss
# is one node whose only input is `logits`.

# %%
check_cross_entropy(cross_entropy)

# %% [markdown]
# **Solution** (open only if stuck). Run this cell either way: if your code passed the check
# it keeps yours; otherwise the lesson goes on with the solution.

# %% tags=["solution"] jupyter={"source_hidden": true}
### BEGIN SOLUTION
def cross_entropy(logits, targets):
    """The mean over the batch of -log softmax(logits)[true class], as one node."""
    n, c = logits.shape
    targets = np.asarray(targets)
    shifted = logits.data - logits.data.max(axis=1, keepdims=True)  # each row's max is 0
    logp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))  # log softmax, per row
    out = Tensor(-logp[np.arange(n), targets].mean(), (logits,), "cross_entropy")

    def _backward():
        p = np.exp(logp)  # softmax
        onehot = np.eye(c)[targets]  # a 1 at each row's true class
        logits.grad += out.grad * (p - onehot) / n  # the derivation above, times out.grad

    out._backward = _backward
    return out
### END SOLUTION
prefer_yours("09.cross_entropy")

# %% [markdown]
# ### Fused or composed: the same gradient
#
# The fused rule is the `log_softmax` rule with the incoming gradient filled in: the mean of
# $-\log p_y$ sends $g = -\text{onehot}/N$ back to the log-probabilities, whose sum along a
# row is $-1/N$, so $g_i - p_i \sum_k g_k = (p_i - [i = y]) / N$. Your engine agrees, on the
# two examples from above:


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


fused_scores, composed_scores = Tensor(scores), Tensor(scores)
fused = cross_entropy(fused_scores, targets)
onehot = np.eye(3)[targets]
composed = (composed_scores.log_softmax() * onehot).sum() * (-1.0 / len(targets))
fused.backward()
composed.backward()
print(f"loss: fused {float(fused.data):.4f}, composed {float(composed.data):.4f}")
print("gradients equal:", np.allclose(fused_scores.grad, composed_scores.grad, rtol=0, atol=1e-12))
print("nodes in the graph: fused", count_nodes(fused), " composed", count_nodes(composed))

# %% [markdown]
# The composed graph has to store and walk every intermediate array, and multiplies a whole
# `(N, C)` array by a mostly-zero one-hot array. The answer is the same; the fused node is
# just cheaper. Real libraries fuse the most common patterns for exactly that reason.
#
# ## Exercise 3 ✏️ A `Linear` layer
#
# A layer of 64 neurons with 64 inputs each, for a whole batch at once: `x @ W + b`, exactly
# as in lesson 08. Write `Linear(n_in, n_out, rng)`:
#
# * `self.W`: a `Tensor` of shape `(n_in, n_out)`, one column of weights per neuron, so that
#   a batch `x` of shape `(N, n_in)` gives `x @ W` of shape `(N, n_out)`;
# * `self.b`: a `Tensor` of shape `(n_out,)`, broadcast over the batch (your `+` sums its
#   gradient back over the rows);
# * both drawn from `rng`, uniformly in $[-k, k]$ with $k = 1/\sqrt{n_{in}}$ (PyTorch's
#   default): **W first**, `rng.uniform(-k, k, (n_in, n_out))`, **then b**,
#   `rng.uniform(-k, k, n_out)`. Any random start would train; this one, in this order, gives
#   exactly the numbers this lesson quotes, so the check compares your draws with it. Each
#   output is a sum of `n_in` terms;
#   with weights of size $1/\sqrt{n_{in}}$ it starts about as large as an input, however
#   wide the layer. Random, not equal: equal weights would make every neuron compute, and
#   learn, the same thing;
# * `__call__(x)` returns `x @ self.W + self.b`, and `parameters()` returns `[self.W,
#   self.b]`: what an optimizer will update.

# %% tags=["exercise"]
class Linear:
    """y = x @ W + b: every output is a weighted sum of all the inputs, plus a bias."""

    def __init__(self, n_in, n_out, rng):
        # ✏️ your code here: self.W and self.b, random from rng
        raise NotImplementedError("make self.W and self.b")

    def __call__(self, x):
        raise NotImplementedError("return x @ W + b")

    def parameters(self):
        raise NotImplementedError("return the layer's parameters")


# %% [markdown]
# The check makes layers of random sizes, looks at what `parameters()` returns and at the
# initial weights (the exact draws above), then compares `layer(x)` with numpy and the
# gradients of `x`, `W` and `b` with central differences.

# %%
check_linear(Linear)

# %% [markdown]
# **Solution** (open only if stuck). Run this cell either way: if your code passed the check
# it keeps yours; otherwise the lesson goes on with the solution.

# %% tags=["solution"] jupyter={"source_hidden": true}
### BEGIN SOLUTION
class Linear:
    """y = x @ W + b: every output is a weighted sum of all the inputs, plus a bias."""

    def __init__(self, n_in, n_out, rng):
        k = 1.0 / np.sqrt(n_in)  # keeps each output's size independent of n_in
        self.W = Tensor(rng.uniform(-k, k, (n_in, n_out)), label="W")  # (n_in, n_out)
        self.b = Tensor(rng.uniform(-k, k, n_out), label="b")  # (n_out,): one per output

    def __call__(self, x):
        return x @ self.W + self.b  # (N, n_in) @ (n_in, n_out) + (n_out,) -> (N, n_out)

    def parameters(self):
        return [self.W, self.b]
### END SOLUTION
prefer_yours("09.linear")

# %% [markdown]
# ### The model
#
# An MLP with 64 inputs, one hidden layer of 64 ReLU units, and 10 outputs: two of your
# layers and your `relu`. (`hidden` sets the width of the hidden layer; 64 unless you say
# otherwise.)


# %%
class MLP:
    """64 pixels -> `hidden` ReLU units -> 10 scores, one per digit."""

    def __init__(self, rng, hidden=64):
        self.hidden = Linear(64, hidden, rng)
        self.output = Linear(hidden, 10, rng)

    def __call__(self, x):
        return self.output(self.hidden(x).relu())

    def parameters(self):
        return self.hidden.parameters() + self.output.parameters()


rng = np.random.default_rng(0)  # seeded: the same initial weights in every run
model = MLP(rng)
print("parameters:", [p.shape for p in model.parameters()])
print("numbers to learn:", sum(p.data.size for p in model.parameters()))

# %% [markdown]
# Before any training the network guesses at random. With 10 classes, a random guess is right
# 10 % of the time, and the cross-entropy of a clueless network, which gives every digit
# probability 1/10, is $-\log(1/10) = \log 10 \approx 2.30$. Let's check both.


# %%
def accuracy(model, X, y):
    """The fraction of images whose highest score is the right digit."""
    scores = model(Tensor(X)).data
    return float((scores.argmax(axis=1) == y).mean())


start_loss = float(cross_entropy(model(Tensor(X_train)), y_train).data)
print(
    f"before training: loss {start_loss:.2f} (log 10 = {np.log(10):.2f}), "
    f"test accuracy {accuracy(model, X_test, y_test):.1%}"
)

# %% [markdown]
# Loss 2.30 and 7.5 % right: as clueless as predicted. (With only 360 test images, "about
# 10 %" can easily come out as 7.5 %.)
#
# ## Exercise 4 ✏️ An optimizer: `SGD`
#
# Training repeats: compute the loss, `backward()`, move every weight a little against its
# gradient. An **optimizer** holds the list of parameters and does the last part, so the
# loop does not have to know how many layers there are. Write two methods:
#
# * `step()`: for every parameter, `p.data -= lr * p.grad`;
# * `zero_grad()`: for every parameter, `p.grad = np.zeros_like(p.data)`. Your `backward()`
#   lets leaf gradients **accumulate** (lesson 05), so without this every step would add the
#   new gradient to all the old ones. And it must be an array of zeros, not `None`: your
#   rules add into it with `+=`.

# %% tags=["exercise"]
class SGD:
    """Gradient descent: every step moves each parameter a little against its gradient."""

    def __init__(self, params, lr):
        self.params = list(params)
        self.lr = lr

    def step(self):
        raise NotImplementedError("move every parameter against its gradient")

    def zero_grad(self):
        raise NotImplementedError("reset every parameter's gradient")


# %% [markdown]
# The check gives your optimizer Tensors with known gradients and a random learning rate,
# checks one `step()` and one `zero_grad()`, then runs six steps of descent on a bowl whose
# exact path is known.

# %%
check_sgd(SGD)

# %% [markdown]
# **Solution** (open only if stuck). Run this cell either way: if your code passed the check
# it keeps yours; otherwise the lesson goes on with the solution.

# %% tags=["solution"] jupyter={"source_hidden": true}
### BEGIN SOLUTION
class SGD:
    """Gradient descent: every step moves each parameter a little against its gradient."""

    def __init__(self, params, lr):
        self.params = list(params)
        self.lr = lr

    def step(self):
        for p in self.params:
            p.data -= self.lr * p.grad  # downhill: against the gradient

    def zero_grad(self):
        for p in self.params:
            p.grad = np.zeros_like(p.data)  # leaves accumulate: start each step from 0
### END SOLUTION
prefer_yours("09.sgd")

# %% [markdown]
# ### Training
#
# One **epoch** is one pass over the 1,437 training images, in a fresh random order, in
# **mini-batches** of 32: each step computes the loss on 32 images, backpropagates, and lets
# the optimizer move every weight a little. Each step sees a different random batch, so
# this is **stochastic** gradient descent, the "S" in SGD: as in lesson 07, now with batches
# of 32.
#
# Everything random — the initial weights and the order of the batches — comes from one
# seed, so a run can be repeated exactly. Six times per run (here every five epochs), the
# loop prints how it is doing. Its other arguments are for the **Try it** list at the end:
# the width of the hidden layer, the optimizer's class, and the training images. It also
# notes how many nodes one step's graph has, and how long the run took (in
# `history["seconds"]`, not printed: it differs from run to run and machine to machine).


# %%
def train(seed, epochs=30, batch_size=32, lr=0.2, hidden=64, optimizer_class=SGD,
          train_images=X_train, train_labels=y_train):  # fmt: skip
    """Train a fresh 64-hidden-10 MLP with your engine on `train_images` (the
    training set unless you say otherwise); return it and its history (per epoch)."""
    began = time.perf_counter()
    rng = np.random.default_rng(seed)
    model = MLP(rng, hidden)
    optimizer = optimizer_class(model.parameters(), lr)
    history = {"loss": [], "train_acc": [], "test_acc": []}
    for epoch in range(1, epochs + 1):
        shuffled = rng.permutation(len(train_images))
        total = 0.0
        for start in range(0, len(shuffled), batch_size):
            batch = shuffled[start : start + batch_size]
            scores = model(Tensor(train_images[batch]))  # (batch, 10): one row of scores per image
            labels = train_labels[batch]
            loss = cross_entropy(scores, labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += float(loss.data) * len(batch)
        history["loss"].append(total / len(train_images))  # the epoch's mean training loss
        history["train_acc"].append(accuracy(model, train_images, train_labels))
        history["test_acc"].append(accuracy(model, X_test, y_test))
        if epoch % max(1, epochs // 6) == 0:
            print(
                f"seed {seed}, epoch {epoch:>2}/{epochs}: training loss {history['loss'][-1]:.4f}, "
                f"test accuracy {history['test_acc'][-1]:.1%}"
            )
    history["nodes"] = count_nodes(loss)  # the graph of one training step
    history["seconds"] = time.perf_counter() - began  # (not printed: it is never the same)
    return model, history


model, history = train(seed=0)
n_right = round(history["test_acc"][-1] * len(X_test))
print(f"test accuracy: {history['test_acc'][-1]:.1%}  ({n_right} of {len(X_test)} right)")
print(f"one training step's graph: {history['nodes']} nodes")

# %% [markdown]
# **97.5 %** of the test images — 351 of 360, digits the network has never seen — are read
# correctly, after a few seconds of training. (These are the numbers of the reference
# solutions. With your own pieces, the run can round differently in the last digits of some
# step, and then end a few images away: about 97 % either way.) And that is **your engine**: your `+`, `*`,
# `@`, `relu` and `unbroadcast` from lesson 08, your `cross_entropy`, `Linear` and `SGD`
# from this lesson (or the reference solution, where the first cell says so), and the same
# `backward()` as in lesson 05, with arrays instead of numbers.
#
# One training step is a small graph. Here it is for a batch of 32, after its backward
# pass, with the parameters in green:

# %%
model.hidden.W.label, model.hidden.b.label = "W1", "b1"
model.output.W.label, model.output.b.label = "W2", "b2"
batch = np.arange(32)
step_loss = cross_entropy(model(Tensor(X_train[batch], label="images")), y_train[batch])
step_loss.label = "loss"
SGD(model.parameters(), lr=0.2).zero_grad()  # forget the last training step's gradients
step_loss.backward()
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
ticks = [1, 5, 10, 15, 20, 25, 30]
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.6))
ax1.plot(epochs, history["loss"], "o-", ms=3)
ax1.set_yscale("log")
ax1.set_xlabel("epoch")
ax1.set_ylabel("training loss (log scale)")
ax1.set_title("Cross-entropy on the training set")
ax2.plot(epochs, 100 * np.array(history["train_acc"]), "o-", ms=3, label="training set")
ax2.plot(epochs, 100 * np.array(history["test_acc"]), "s-", ms=3, label="test set")
ax2.set_ylim(top=100.5)  # the bottom from the data: the first epoch's points too
ax2.set_xlabel("epoch")
ax2.set_ylabel("accuracy (%)")
for ax in (ax1, ax2):
    ax.set_xticks(ticks)
ax2.set_title("Accuracy")
ax2.legend(loc="lower right")
fig.tight_layout()
plt.show()

# %%
print(
    f"after the last epoch: training accuracy {history['train_acc'][-1]:.1%}, "
    f"test accuracy {history['test_acc'][-1]:.1%}"
)

# %% [markdown]
# * The **loss** falls fast in the first epochs, then keeps creeping down (the log scale
#   shows the slow part).
# * **Training accuracy** climbs to 99.3 %: the network gets almost every training image
#   right.
# * **Test accuracy** levels off a little lower. The gap is normal — these are new images —
#   and it is the honest number to report.
#
# ### The mistakes
#
# Which test images does the network get wrong? Here are all of them, with the right label
# and the network's guess:

# %%
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
ax2.set_ylim(top=100.5)  # the bottom from the data: the first epoch's points too
ax2.set_xlabel("epoch")
ax2.set_ylabel("test accuracy (%)")
ax2.set_title("Test accuracy, two seeds")
for ax in (ax1, ax2):
    ax.set_xticks(ticks)
    ax.legend()
fig.tight_layout()
plt.show()

# %%
for name, h in [("seed 0", history), ("seed 1", history_2)]:
    right = round(h["test_acc"][-1] * len(X_test))
    print(f"{name}: final test accuracy {h['test_acc'][-1]:.1%}  ({right} of {len(X_test)})")
predicted_2 = model_2(Tensor(X_test)).data.argmax(axis=1)
wrong_2 = np.flatnonzero(predicted_2 != y_test)
print(
    f"images both runs get wrong: {len(np.intersect1d(wrong, wrong_2))} "
    f"(seed 0 misses {len(wrong)}, seed 1 misses {len(wrong_2)})"
)

# %% [markdown]
# The two runs are **different in detail**: their curves wiggle in different places, and
# their mistakes only partly overlap, because they started from different weights and saw
# the batches in a different order. But they **agree in outcome**: the same fast fall of the
# loss, and test accuracy levelling off at about the same height. Whenever you report a
# result, a second seed is the cheapest test that it is real.

# %% [markdown]
# ## Try it
#
# * **Train with the composed loss.** In `train`, replace
#   `loss = cross_entropy(scores, labels)` by
#   `loss = (scores.log_softmax() * np.eye(10)[labels]).sum() * (-1 / len(labels))`
#   and run the cell again. The accuracy should come out about the same; one step's graph
#   has more nodes, and the run takes a bit longer: compare `history["seconds"]` before and
#   after.
# * **Forget `zero_grad`.** Comment out `optimizer.zero_grad()` in `train` and train again:
#   every step now adds the new gradient to all the old ones. What happens to the loss?
# * **Momentum.** Write `class Momentum(SGD)` whose `step()` keeps a velocity `v` per
#   parameter (zeros at first): `v = 0.9 * v + p.grad`, then `p.data -= self.lr * v`. Train
#   with `train(seed=0, optimizer_class=Momentum, lr=0.05)`: how do the curves change?
# * **Less data.** Train on only the first 200 training images, for longer:
#   `train(seed=0, train_images=X_train[:200], train_labels=y_train[:200], epochs=150)`.
#   Training accuracy climbs to 100 %; what happens to test accuracy? The gap between the
#   two is called *overfitting*.
# * **A wider or narrower network.** `train(seed=0, hidden=16)` or `hidden=256`: a hidden
#   layer of 16 or of 256 units.

# %% [markdown]
# ## Quiz
#
# Pick an answer: a wrong one tells you the misconception behind it, the right one why it is
# right. The last question is about the **Try it** list above. Your answers are saved (see
# `progress()` in [00 · Start here](00_start_here.ipynb)).

# %%
quiz("09")

# %% [markdown]
# ## Study this lesson with an AI
#
# Three prompts, to use in order: explain the idea, walk through this lesson's demo, quiz me
# on the try-it list. Copy one into the assistant of your choice (nothing is sent anywhere
# from here). Once you have saved some exercise code, the walkthrough prompt includes it.

# %%
study_with_ai("09")

# %% [markdown]
# ## Summary
#
# * A **test set** kept out of training is the honest judge of a network.
# * For classification, the network outputs one **score** per class; **cross-entropy**
#   charges $-\log p_{\text{true}}$ after softmax. Its gradient, derived in four steps and
#   checked by central differences, is **(softmax − onehot) / N**.
# * Subtracting each row's **max** before `exp` changes nothing but makes it overflow-proof.
# * A fused node (`cross_entropy`) and a composition of ops (`log_softmax`, `*`, `sum`) give
#   the same gradient; the fused one is smaller and faster.
# * `Linear` holds `W` and `b`; an optimizer holds the parameters: `zero_grad()`,
#   `backward()`, `step()` is the training loop of every framework.
# * A 64-64-10 MLP on **your** tensor engine reads **97.5 %** of unseen handwritten digits
#   after a few seconds of training; a second **seed** changes the details, not the outcome.
#
# **[Next: 10 · Memory and compute](10_memory_and_compute.ipynb)** — what backward costs,
# why it needs memory, and how checkpointing trades compute for it.
