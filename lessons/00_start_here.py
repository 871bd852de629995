# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # Autograd from scratch — start here
#
# Every time a neural network learns, a program answers one question millions of times:
# **if I nudge this number a little, how much does the loss change?** That answer is the
# *gradient*, and the program that computes it automatically is an *autograd engine* — the
# heart of PyTorch, JAX and TensorFlow.
#
# In this series you **build one yourself**, in plain Python, one idea per lesson:
#
# 1. a scalar `Value` that remembers how it was computed (like micrograd),
# 2. the backward pass that sends gradients from the output to every input,
# 3. a small neural network trained with it,
# 4. a numpy `Tensor` engine fast enough to learn real handwritten digits,
# 5. and the memory/compute trade-off behind gradient checkpointing.
#
# You will not just read about gradients flowing backward: you will **watch them flow**,
# step by step, through every graph you build.

# %% [markdown]
# ## The lessons
#
# | # | Lesson | You build / learn |
# |---|--------|-------------------|
# | 01 | [Derivatives](01_derivatives.ipynb) | the derivative as a limit; **your own** central difference and its errors |
# | 02 | [The chain rule](02_chain_rule.ipynb) | gradients by hand: a loss, the gate patterns, a tanh neuron |
# | 03 | [Build the Value](03_build_the_value.ipynb) | **your own** `+` and `*` with their backward rules |
# | 04 | [More operations](04_more_ops.ipynb) | **your own** `**`, `-`, `/`, `exp`, `log`, `tanh`, `relu`, `sigmoid` |
# | 05 | [How backward works](05_how_backward_works.ipynb) | **your own** `backward()`: topological order, and what `loss.backward()` does |
# | 06 | [Forward vs reverse mode](06_forward_vs_reverse.ipynb) | **your own** dual numbers, and why deep learning runs in reverse |
# | 07 | [A neural net](07_neural_net.ipynb) | **your own** `Neuron`, `Layer`, `MLP` and training step, on your `Value` |
# | 08 | [Tensors](08_tensors.ipynb) | **your own** numpy `Tensor`: broadcasting, the matmul gradient |
# | 09 | [Real digits](09_digits.ipynb) | cross-entropy, `Linear`, SGD: your `Tensor` learns handwritten digits |
# | 10 | [Memory and compute](10_memory_and_compute.ipynb) | why backward needs memory; **your own** gradient checkpointing |
#
# Each lesson follows the same path: **goals → idea → code → picture → exercise + check → try it
# → quiz → study with an AI → summary.**

# %% [markdown]
# ## How to use the exercises
#
# * Run a lesson top to bottom first (**Run ▸ Run All Cells**): every lesson runs without an
#   error as shipped. Each **check** cell then shows a red ✗ table — *not yet*: the exercise
#   is still a stub — and the collapsed **Solution** cell after it fills in the reference
#   solution, so the rest of the lesson works.
# * Then do the exercise yourself: edit the cell marked **✏️ Exercise**, run it, and run the
#   check cell right after it. The checker tries your code on fresh random examples and
#   compares every gradient with a numerical one; it names the part that is wrong, with the
#   value it expected and the value it got, and a hint. A row marked • "could not be judged"
#   waits for another part to be fixed first.
# * Then run the Solution cell too (open it only if you are stuck): once your code has passed
#   its check, that cell keeps **your** code in place; otherwise it puts in the reference. So
#   after editing an exercise, run its check and then its Solution cell.
# * Keep each exercise's code inside its ✏️ cell: later lessons load that cell on its own.
# * Quizzes give instant feedback: click an answer.
#
# ### Your engine carries forward
#
# The lessons build **one** engine: the `Value` of lessons 03–05 trains the neural net of
# lesson 07, and the `Tensor` of lesson 08 learns the digits in lesson 09. When a check
# passes, your code is saved in your own folder on this computer, and the next lessons start
# from it: their first cell says, piece by piece, whether it uses **your code** or the
# **reference solution** (for what you have not done yet, or for code that no longer passes).
# Nothing is sent anywhere.
#
# * Your folder is `~/.local/share/autograd-from-scratch` (or the folder named by the
#   environment variable `AUTOGRAD_HOME`). A newer passing version of an exercise keeps the
#   older one in `code/history/`.
# * To start a lesson afresh: `from autograd import reset_progress`, then
#   `reset_progress("03")` (or `reset_progress()` for the whole series). It first shows what it
#   would move; run it again with `confirm=True` to go ahead. It moves the files to a `trash/`
#   folder rather than deleting them.
# * On Binder, your folder lives only as long as the Binder session: download anything you
#   want to keep (your notebooks) before you close it.
#
# Everything you build also exists, finished and tested, in the `autograd` package next to
# these notebooks: the lessons use it for pictures and comparisons.

# %% [markdown]
# ## Your progress
#
# Each lesson from 02 on starts by telling you whether the lesson before it is finished
# (every exercise passed, every quiz question answered right), with a link back. That is a
# reminder, not a lock: you can always go on. Here is where you stand; run this cell again
# whenever you like:

# %%
from autograd import progress

progress()

# %% [markdown]
# ## A first taste
#
# Here is the whole idea in a few lines. We compute `c = a * b + a` with two `Value`s. Each
# `Value` remembers which operation made it and from which inputs, so the computation becomes
# a **graph**:

# %%
from autograd import Value, animate_backward, draw_dot

a = Value(2.0, label="a")
b = Value(-3.0, label="b")
c = a * b + a
c.label = "c"
print(c.data)

# %% [markdown]
# Blue boxes are the inputs, the orange box is the output, grey boxes are the values in
# between (here `a * b`, which gets an automatic name, `n2`, since we gave it none), and the
# small circles are the operations. Every box shows its `data` and its `grad` — all gradients
# are still 0:

# %%
draw_dot(c)

# %% [markdown]
# Now one call runs the **backward pass**: it fills in `grad`, the derivative of `c` with
# respect to each value. Work it out on paper first: `c = a·b + a`, so `∂c/∂a = b + 1` and
# `∂c/∂b = a`. (`∂c/∂a`, "the partial derivative of c with respect to a", is how much `c`
# changes per unit change of `a` while `b` stays put; lesson 01 starts from there.)

# %%
c.backward()
print(f"a.grad = {a.grad}   (b + 1 = {b.data + 1})")
print(f"b.grad = {b.grad}   (a     = {a.data})")

# %%
draw_dot(c)

# %% [markdown]
# Notice that `a` is used **twice** — once in `a * b` and once in `+ a` — so its gradient is
# the **sum** of what flows back along both paths: `-3 + 1 = -2`.
#
# ## Watch it flow
#
# Press ▶ (or drag the slider) to replay the backward pass one step at a time. Frame 0 is
# before backward; frame 1 seeds `c.grad = 1`; then each operation, from the output back to
# the inputs, applies its local rule — the caption shows the rule with its numbers.

# %%
animation = animate_backward(c)
animation

# %% [markdown]
# The same animation can be saved as a single HTML page that plays in any browser, with no
# Python running — handy for slides:
#
# ```python
# animation.save_html("a_times_b_plus_a.html")
# ```
#
# ## Ready?
#
# Start with **[lesson 01: derivatives](01_derivatives.ipynb)**. If you already know what a
# derivative and the chain rule are, jump to **[lesson 03](03_build_the_value.ipynb)** and
# build the engine.
