# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # 02 · The chain rule
#
# *A gradient is a product of small, local slopes, multiplied along the path from an input
# to the output.* Once you see that, backpropagation is just bookkeeping.
#
# **Goals**
#
# * break a formula into small steps, each with an easy **local derivative**;
# * combine them with the **chain rule** to get a gradient by hand;
# * read `grad` as "how much the output moves per nudge of this value";
# * watch the same computation run backward through a graph, step by step;
# * write the three **gate patterns** yourself: `+` distributes, `*` swaps, `max` routes;
# * backpropagate **by hand** through a neuron, `tanh(x1·w1 + x2·w2 + b)`, one local
#   gradient at a time — and get exactly what the engine's `backward()` gets.
#
# **Builds on:** [01 · Derivatives](01_derivatives.ipynb) (the derivative as the slope of a
# tiny nudge, and checking it with central differences). The cell below says whether you
# have finished lesson 01 (its exercises passed, its quiz answered right); go on either way.

# %%
from autograd import start_lesson

start_lesson("02")

# %% [markdown]
# ## The idea
#
# Think of gears. If turning gear A by 1° turns gear B by 2°, and turning B by 1° turns C by
# 3°, then turning A by 1° turns C by $2 \times 3 = 6°$. Rates of change **multiply** along
# a chain:
#
# $$\frac{dC}{dA} = \frac{dC}{dB} \cdot \frac{dB}{dA}$$
#
# That is the **chain rule**. Its power: you never need the derivative of the whole formula
# at once. You only need the derivative of each small step *on its own* (its **local
# derivative**), and then you multiply.
#
# ### A tiny model, on paper
#
# A model predicts $p = w \cdot x$ from an input $x$ with a weight $w$. The right answer is
# $y$. The **loss** measures how wrong the prediction is:
#
# $$L = (w x - y)^2$$
#
# Take $w = 3$, $x = 2$, $y = 5$. Split the formula into three small steps. (A step with
# several inputs has one derivative per input; the curly $\partial$ in
# $\frac{\partial p}{\partial w}$ says "with respect to $w$, the other inputs held fixed".)
#
# | step | value | local derivatives |
# |------|-------|-------------------|
# | $p = w \cdot x$ | $3 \cdot 2 = 6$ | $\frac{\partial p}{\partial w} = x = 2$, $\frac{\partial p}{\partial x} = w = 3$ |
# | $d = p - y$ | $6 - 5 = 1$ | $\frac{\partial d}{\partial p} = 1$, $\frac{\partial d}{\partial y} = -1$ |
# | $L = d^2$ | $1^2 = 1$ | $\frac{dL}{dd} = 2d = 2$ |
#
# Now chain them, from $L$ back to each input:
#
# $$\frac{\partial L}{\partial w} = \frac{dL}{dd} \cdot \frac{\partial d}{\partial p} \cdot
#   \frac{\partial p}{\partial w} = 2 \cdot 1 \cdot 2 = 4 \qquad
#   \frac{\partial L}{\partial x} = 2 \cdot 1 \cdot 3 = 6 \qquad
#   \frac{\partial L}{\partial y} = 2 \cdot (-1) = -2$$
#
# Written as formulas:
# $\frac{\partial L}{\partial w} = 2(wx - y) \cdot x$, $\frac{\partial L}{\partial x} =
# 2(wx - y) \cdot w$ and $\frac{\partial L}{\partial y} = -2(wx - y)$.

# %% [markdown]
# ## The code
#
# The same steps in Python, with plain numbers. First forward, then the local derivatives,
# then the chain rule.

# %%
import math

from autograd import (
    Value,
    animate_backward,
    check_bias_grads,
    check_gates,
    check_neuron_grads,
    draw_dot,
    numerical_grad,
    prefer_yours,
    quiz,
    study_with_ai,
)

w, x, y = 3.0, 2.0, 5.0

# forward: compute the steps
p = w * x
d = p - y
L = d**2
print(f"forward:  p = {p},  d = {d},  L = {L}")

# local derivatives of each step on its own
dL_dd = 2 * d
dd_dp, dd_dy = 1.0, -1.0
dp_dw, dp_dx = x, w

# chain rule: multiply along the path from L to each input
dL_dw = dL_dd * dd_dp * dp_dw
dL_dx = dL_dd * dd_dp * dp_dx
dL_dy = dL_dd * dd_dy
print(f"chain rule:   dL/dw = {dL_dw},  dL/dx = {dL_dx},  dL/dy = {dL_dy}")
print(
    f"the formulas: 2(wx-y)·x = {2 * (w * x - y) * x},  2(wx-y)·w = {2 * (w * x - y) * w},"
    f"  -2(wx-y) = {-2 * (w * x - y)}"
)

# %% [markdown]
# ### Check it numerically
#
# As in lesson 01, never trust a derivative you have not checked. `numerical_grad` nudges
# each input in turn (central differences) and needs no calculus at all:


# %%
def loss(w, x, y):
    return (w * x - y) ** 2


numeric = numerical_grad(loss, [3.0, 2.0, 5.0])
for name, by_hand, num in zip(["w", "x", "y"], [dL_dw, dL_dx, dL_dy], numeric):
    print(f"dL/d{name}:  chain rule {by_hand:5.1f}   numeric {num:.6f}")

# %% [markdown]
# ### What the number means
#
# `dL/dw = 4` says: nudge $w$ a little, and $L$ moves about **4 times** as much. Nudge $w$
# from 3 to 3.01 and the loss should grow by about $4 \times 0.01 = 0.04$:

# %%
print(f"L(3.01) - L(3) = {loss(3.01, 2.0, 5.0) - loss(3.0, 2.0, 5.0):.4f}   (4 × 0.01 = 0.04)")

# %% [markdown]
# The sign matters too: `dL/dw > 0` means increasing `w` *increases* the loss. To make the
# model better, move `w` the other way. That is all gradient descent is (lesson 07).
#
# ### The backward sweep
#
# Here is the trick that makes this scale to millions of inputs. Instead of multiplying a
# whole path for each input separately, go through the steps **once, from the output
# backward**, and store at every value the derivative of $L$ with respect to it. Call it
# that value's **grad**:
#
# * start with `L.grad = 1` (since $dL/dL = 1$);
# * each step then passes its grad to its inputs, multiplied by its local derivative.
#
# Every value's grad is computed once and reused by everything before it. Below, `p_grad`
# is computed once and used for both `w` and `x`.

# %%
L_grad = 1.0
d_grad = 2 * d * L_grad  # L = d²:    dL/dd = 2d
p_grad = 1.0 * d_grad  # d = p - y:  dd/dp = 1
y_grad = -1.0 * d_grad  #            dd/dy = -1
w_grad = x * p_grad  # p = w·x:    dp/dw = x
x_grad = w * p_grad  #            dp/dx = w
print(f"L {L_grad}   d {d_grad}   p {p_grad}   y {y_grad}   w {w_grad}   x {x_grad}")

# %% [markdown]
# That is **backpropagation**, done by hand: the chain rule, applied from the output back
# to the inputs, one local step at a time.

# %% [markdown]
# ## The picture
#
# The `Value` class from the `autograd` package records every step as it computes, so the
# computation becomes a **graph**. (In lesson 03 you build `Value` yourself.) Same numbers,
# same three steps:

# %%
w = Value(3.0, label="w")
x = Value(2.0, label="x")
y = Value(5.0, label="y")
p = w * x
p.label = "p"
d = p - y
d.label = "d"
L = d**2
L.label = "L"
print(L)

# %% [markdown]
# Inputs are blue, the output orange. Each small circle is one step (an operation), feeding
# the value it made. For `−`, the edges say which input is on the left and which on the
# right, because `p - y` is not `y - p`. No gradients yet: every `grad` is 0 (the `print`
# above shows `L`'s).

# %%
draw_dot(L)

# %% [markdown]
# `L.backward()` runs the backward sweep for us. (The cell first sets the inputs' grads to 0:
# `backward()` *adds* into them, so without that line, running the cell a second time would
# double them. Lesson 03 explains why it adds.)

# %%
w.grad = x.grad = y.grad = 0.0  # start from 0, so re-running this cell gives the same numbers
L.backward()
for v in [L, d, p, y, w, x]:
    print(f"{v.label}.grad = {v.grad}")

# %% [markdown]
# Exactly the numbers from paper: `w.grad = 4`, `x.grad = 6`, `y.grad = -2`.

# %%
draw_dot(L)

# %% [markdown]
# ### Watch it flow
#
# Press ▶ (or drag the slider). Frame 1 seeds `L.grad = 1`. Then, from the output back to
# the inputs, each step lights up (violet) and sends its gradient along the red edges to its
# inputs, multiplied by its local derivative. The caption writes each rule out with its
# numbers.

# %%
animation = animate_backward(L)
animation

# %% [markdown]
# The captions, all in one place — compare them with the table in **The idea**:

# %%
for step in animation.steps[1:]:
    print(f"step {step.index}: {step.caption}\n")

# %% [markdown]
# Two things in the captions that lesson 03 explains in full. Each rule **adds** its share to
# an input's grad (`d.grad += ...`) rather than assigning it: a value used twice collects a
# share from each use. And `2 · d**1` is the power rule's way of writing $2d$, the local
# derivative of `d**2`.

# %% [markdown]
# ## Exercise: add a bias
#
# ✏️ Give the model a **bias** $b$: the prediction is now $wx + b$ and the loss is
#
# $$L = (w x + b - y)^2$$
#
# Work out $\frac{\partial L}{\partial w}$ and $\frac{\partial L}{\partial b}$ with the chain
# rule (hint: name the steps, as above; what is the local derivative of $wx + b$ with respect
# to $b$?). Then write them as formulas in the cell below, replacing the `raise` line.


# %% tags=["exercise"]
def grads_by_hand(w, x, b, y):
    # ✏️ Exercise: return (dL/dw, dL/db) for L = (w*x + b - y)**2
    raise NotImplementedError("write your two formulas here")


# %% [markdown]
# Run the check: it compares your formulas with `numerical_grad` at four random points
# (fresh every time), one row per gradient.

# %%
check_bias_grads(grads_by_hand)

# %% [markdown]
# **Solution** (open only if stuck). Run this cell either way: if your formulas passed the
# check, it keeps **yours**; otherwise the lesson goes on with the solution.

# %% tags=["solution"] jupyter={"source_hidden": true}
### BEGIN SOLUTION
def grads_by_hand(w, x, b, y):
    # steps: p = w*x,  s = p + b,  d = s - y,  L = d**2
    # dL/dd = 2d;  ds/dp = 1, ds/db = 1;  dd/ds = 1;  dp/dw = x
    d = w * x + b - y
    dL_dw = 2 * d * x  # 2d · 1 · 1 · x
    dL_db = 2 * d  # 2d · 1 · 1: a bias just passes the gradient through
    return dL_dw, dL_db
### END SOLUTION
prefer_yours("02.bias_grads")

# %% [markdown]
# At the worked example plus a bias of 0.5 ($w = 3, x = 2, b = 0.5, y = 5$, so $d = 1.5$):

# %%
d_bias = 3.0 * 2.0 + 0.5 - 5.0
dw, db = grads_by_hand(3.0, 2.0, 0.5, 5.0)
print(f"d = {d_bias},  dL/dw = {dw} (2d·x),  dL/db = {db} (2d)")

# %% [markdown]
# Notice that $\frac{\partial L}{\partial b} = 2d$ is exactly the gradient that arrives at
# the sum: **`+` passes its gradient through unchanged** to both of its inputs. That is the
# first of three patterns worth knowing by heart.

# %% [markdown]
# ## The gate patterns
#
# Every step of a graph is a small "gate": numbers flow in, one number flows out, and on the
# way back the gradient arriving at the output (call it `out_grad`) is sent to each input,
# multiplied by that input's local derivative. Three gates show the patterns you will meet
# again and again:
#
# * **`+` distributes.** For $out = a + b$ both local derivatives are 1, so *each* input
#   gets `out_grad`, unchanged — copied, not split.
# * **`*` swaps.** For $out = a \cdot b$, $\frac{\partial out}{\partial a} = b$ and
#   $\frac{\partial out}{\partial b} = a$: each input gets the *other* input's value times
#   `out_grad`. (That is why `w.grad` came out as $x \cdot$ `p.grad` above.)
# * **`max` routes.** For $out = \max(a, b)$ the slope is 1 for the input that won (the
#   larger) and 0 for the other: the whole gradient goes to the winner, the loser gets
#   nothing. Nudging the loser a little does not change the max at all. (ReLU, $\max(0, x)$,
#   is this gate; lesson 04 meets it.)
#
# ### ✏️ Exercise: the three gates
#
# Write each rule as a function of the inputs and the gradient arriving, returning the two
# input gradients `(a_grad, b_grad)`. For `max`, you may assume `a != b`.

# %% tags=["exercise"]
def add_backward(a, b, out_grad):
    # ✏️ out = a + b: return (a_grad, b_grad)
    raise NotImplementedError("write the rule for +")


def mul_backward(a, b, out_grad):
    # ✏️ out = a * b: return (a_grad, b_grad)
    raise NotImplementedError("write the rule for *")


def max_backward(a, b, out_grad):
    # ✏️ out = max(a, b): return (a_grad, b_grad)
    raise NotImplementedError("write the rule for max")


# %% [markdown]
# The check tries each gate at random inputs and gradients (for `max`, both orders) against
# central differences of `out_grad · gate(a, b)`; each gate has its own row.

# %%
check_gates(add_backward, mul_backward, max_backward)

# %% [markdown]
# **Solution** (open only if stuck). Run this cell either way: if your gates passed the
# check, it keeps **yours**; otherwise the lesson goes on with the solution.

# %% tags=["solution"] jupyter={"source_hidden": true}
### BEGIN SOLUTION
def add_backward(a, b, out_grad):
    # out = a + b: ∂out/∂a = 1, ∂out/∂b = 1, so + copies out_grad to both ("distributes")
    return out_grad, out_grad


def mul_backward(a, b, out_grad):
    # out = a * b: ∂out/∂a = b, ∂out/∂b = a, so each input gets the OTHER one ("swaps")
    return b * out_grad, a * out_grad


def max_backward(a, b, out_grad):
    # out = max(a, b): slope 1 for the input that won, 0 for the other ("routes")
    if a > b:
        return out_grad, 0.0
    return 0.0, out_grad
### END SOLUTION
prefer_yours("02.gates")

# %% [markdown]
# ### The patterns, with numbers
#
# The same inputs, $a = 2$ and $b = -3$, and the same gradient arriving, `out_grad` = 5,
# through each gate:

# %%
a, b, out_grad = 2.0, -3.0, 5.0
print(f"a = {a}, b = {b}, out_grad = {out_grad}\n")
print(f"{'gate':<10} {'out':>5} {'a_grad':>7} {'b_grad':>7}   pattern")
for name, out, backward_rule, pattern in [
    ("a + b", a + b, add_backward, "distributes: both get out_grad"),
    ("a * b", a * b, mul_backward, "swaps: a gets b·out_grad, b gets a·out_grad"),
    ("max(a, b)", max(a, b), max_backward, "routes: all of it to the winner, a"),
]:
    a_grad, b_grad = backward_rule(a, b, out_grad)
    print(f"{name:<10} {out:>5} {a_grad:>7} {b_grad:>7}   {pattern}")

# %% [markdown]
# `+` hands 5 to both; `*` hands $a$ the value of $b$ (times 5: −15) and $b$ the value of
# $a$ (times 5: 10); `max` hands all 5 to $a$, which won, and 0 to $b$.
#
# The engine's `Value` follows the same rules. To make 5 arrive at the gate, multiply its
# output by 5 ($L = 5 \cdot out$, so $\frac{dL}{d\,out} = 5$), then call `backward()`:

# %%
for name, gate in [("a + b", lambda a, b: a + b), ("a * b", lambda a, b: a * b)]:
    va, vb = Value(2.0, label="a"), Value(-3.0, label="b")
    L_gate = 5.0 * gate(va, vb)
    L_gate.backward()
    print(f"L = 5 · ({name}):  a.grad = {va.grad},  b.grad = {vb.grad}")

# %% [markdown]
# ## Backprop through a neuron, by hand
#
# One more computation, by hand, before the engine does it for us: a **neuron**, the unit
# that neural networks are made of (lesson 07 builds them). It weighs its inputs, adds a
# bias, and squashes the sum with $\tanh$:
#
# $$o = \tanh(x_1 w_1 + x_2 w_2 + b)$$
#
# With $x_1 = 2$, $x_2 = 0$, $w_1 = -3$, $w_2 = 1$ and the bias
# $b = 6 + \operatorname{atanh}(1/\sqrt{2})$, here it is as a graph (the engine's `Value`
# again, which also knows `tanh`). That odd-looking bias makes the numbers come out nicely:
# $x_1 w_1 + x_2 w_2 = -6$, so $n = \operatorname{atanh}(1/\sqrt{2}) = 0.8814$,
# $o = \tanh(n) = 1/\sqrt{2} = 0.7071$ and $1 - o^2 = 0.5$ (all printed below).

# %%
x1 = Value(2.0, label="x1")
x2 = Value(0.0, label="x2")
w1 = Value(-3.0, label="w1")
w2 = Value(1.0, label="w2")
b = Value(6.8813735870195432, label="b")
x1w1 = x1 * w1
x1w1.label = "x1w1"
x2w2 = x2 * w2
x2w2.label = "x2w2"
s = x1w1 + x2w2
s.label = "s"
n = s + b
n.label = "n"
o = n.tanh()
o.label = "o"
print(f"b = {b.data!r},  6 + atanh(1/√2) = {6 + math.atanh(1 / math.sqrt(2))!r}")
print(f"n = {n.data:.4f},  o = tanh(n) = {o.data:.4f},  1 - o² = {1 - o.data**2:.4f}")

# %%
draw_dot(o)

# %% [markdown]
# Going backward from `o.grad = 1`, every step is one of the gates above — except the last
# one, $\tanh$. Its local derivative is
#
# $$\frac{d}{dn}\tanh(n) = 1 - \tanh(n)^2 = 1 - o^2$$
#
# — conveniently written with the *output* $o$, which the forward pass already computed. Here
# $1 - o^2 = 0.5$ (printed above).
#
# ### ✏️ Exercise: every gradient of the neuron
#
# The forward pass is written out for you, one small step per line, with the same names as
# the graph. Replace each `None` by that value's gradient (the derivative of $o$ with
# respect to it), going from the output back to the inputs. Each one is *the gradient
# arriving from the step it feeds*, times *that step's local derivative*: for example
# `n_grad` uses `o_grad`, and `x1_grad` uses `x1w1_grad`.

# %% tags=["exercise"]
def neuron_grads(x1, w1, x2, w2, b):
    # forward, one small step at a time (as in the graph above)
    x1w1 = x1 * w1
    x2w2 = x2 * w2
    s = x1w1 + x2w2
    n = s + b
    o = math.tanh(n)
    # backward: ✏️ replace each None by that value's grad, from the output back to the inputs
    o_grad = 1.0  # do/do
    n_grad = None  # ✏️ o = tanh(n)
    b_grad = None  # ✏️ n = s + b
    s_grad = None
    x1w1_grad = None  # ✏️ s = x1w1 + x2w2
    x2w2_grad = None
    x1_grad = None  # ✏️ x1w1 = x1 * w1
    w1_grad = None
    x2_grad = None  # ✏️ x2w2 = x2 * w2
    w2_grad = None
    return {"n": n_grad, "b": b_grad, "s": s_grad, "x1w1": x1w1_grad, "x2w2": x2w2_grad,
            "x1": x1_grad, "w1": w1_grad, "x2": x2_grad, "w2": w2_grad}


# %% [markdown]
# The check runs your function on three random neurons and compares every gradient with a
# central difference (it nudges that one value and runs the rest of the neuron forward).
# Each gradient has its own row. A gradient that is right *given your gradient of the step
# it feeds* is not blamed when that one is wrong: its row says it cannot be judged yet, so
# fix the rows marked ✗ first, from the top.

# %%
check_neuron_grads(neuron_grads)

# %% [markdown]
# **Solution** (open only if stuck). Run this cell either way: if your gradients passed the
# check, it keeps **yours**; otherwise the lesson goes on with the solution.

# %% tags=["solution"] jupyter={"source_hidden": true}
### BEGIN SOLUTION
def neuron_grads(x1, w1, x2, w2, b):
    # forward, one small step at a time (as in the graph above)
    x1w1 = x1 * w1
    x2w2 = x2 * w2
    s = x1w1 + x2w2
    n = s + b
    o = math.tanh(n)
    # backward, from the output to the inputs: grad = (grad arriving) × (local derivative)
    o_grad = 1.0  # do/do
    n_grad = (1 - o**2) * o_grad  # o = tanh(n): tanh'(n) = 1 - tanh(n)² = 1 - o²
    b_grad = n_grad  # n = s + b: + passes the gradient on unchanged...
    s_grad = n_grad  # ...to both of its inputs
    x1w1_grad = s_grad  # s = x1w1 + x2w2: the same again
    x2w2_grad = s_grad
    x1_grad = w1 * x1w1_grad  # x1w1 = x1 * w1: each factor gets the OTHER one
    w1_grad = x1 * x1w1_grad
    x2_grad = w2 * x2w2_grad  # x2w2 = x2 * w2
    w2_grad = x2 * x2w2_grad
    return {"n": n_grad, "b": b_grad, "s": s_grad, "x1w1": x1w1_grad, "x2w2": x2w2_grad,
            "x1": x1_grad, "w1": w1_grad, "x2": x2_grad, "w2": w2_grad}
### END SOLUTION
prefer_yours("02.neuron_grads")

# %% [markdown]
# ### The engine agrees
#
# Now let the engine do the same: `o.backward()` on the graph drawn above, next to the
# gradients of `neuron_grads` (yours if it passed) at the same numbers. (As before, the inputs'
# grads are set to 0 first, so that running the cell again gives the same numbers.)

# %%
by_hand = neuron_grads(x1.data, w1.data, x2.data, w2.data, b.data)
for leaf in [x1, x2, w1, w2, b]:
    leaf.grad = 0.0  # start from 0: backward() adds into the inputs' grads
o.backward()
print(f"{'value':>6} {'by hand':>9} {'backward()':>11}")
for v in [n, b, s, x1w1, x2w2, x1, w1, x2, w2]:
    print(f"{v.label:>6} {by_hand[v.label]:>9.4f} {v.grad:>11.4f}")

# %% [markdown]
# Identical. Read the bottom rows like a story: $\tanh$ lets half of the gradient through
# (0.5); the two `+` steps pass that 0.5 on to `b`, `x1w1` and `x2w2`; then each `*` swaps.
# `w1.grad` is $x_1 \cdot 0.5 = 1$ and `x1.grad` is $w_1 \cdot 0.5 = -1.5$. And `w2.grad` is
# 0, because $x_2 = 0$: with this input, nudging $w_2$ changes nothing at all.

# %%
draw_dot(o)

# %% [markdown]
# ## Try it
#
# * In the cell that builds `w = Value(3.0, label="w")`, change `3.0` to `2.5`, then re-run
#   down to `L.backward()`. Now $wx = y$ exactly, the loss is 0, and **every gradient but
#   `L.grad` is 0** (`L.grad` is the seed, $dL/dL$, always 1): you are at the bottom of the
#   valley, and no nudge of `w`, `x` or `y` helps.
# * Try `w = 2.0`: the prediction is too small, and `w.grad` turns **negative** — the
#   gradient tells you to increase `w`.
# * Replace `L = d**2` by `L = d**3` and predict `w.grad` before you run it
#   ($\frac{dL}{dd} = 3d^2$).
# * In the neuron cell, change `x2 = Value(0.0, ...)` to `Value(1.0, ...)` and re-run down to
#   "The engine agrees" (its `neuron_grads` line reads the same numbers from the graph). Now
#   `w2.grad` is no longer 0 — and every other gradient changes too. Why? (Hint: what
#   happened to $n$, and so to $1 - o^2$?)
# * In your `max_backward`, send the gradient to the *smaller* input and re-run
#   `print(check_gates(add_backward, mul_backward, max_backward))`: the report names the
#   gate and the slip.

# %% [markdown]
# ## Quiz
#
# Pick an answer: a wrong one tells you the misconception behind it, the right one why it is
# right. The last question is about the **Try it** list above. Your answers are saved (see
# `progress()` in [00 · Start here](00_start_here.ipynb)).

# %%
quiz("02")

# %% [markdown]
# ## Study this lesson with an AI
#
# Three prompts, to use in order: explain the idea, walk through this lesson's demo, quiz me
# on the try-it list. Copy one into the assistant of your choice (nothing is sent anywhere
# from here). Once you have saved some exercise code, the walkthrough prompt includes it.

# %%
study_with_ai("02")

# %% [markdown]
# ## Summary
#
# * Split a formula into small steps; each step has an easy **local derivative**.
# * The **chain rule**: multiply local derivatives along the path from the output to an
#   input. For $L = (wx - y)^2$ at $w = 3, x = 2, y = 5$: `dL/dw = 4`, `dL/dx = 6`,
#   `dL/dy = -2`.
# * A value's **grad** is the derivative of the output with respect to it. Going **backward**
#   from `grad = 1` at the output computes every grad once: that is backpropagation.
# * Three gate patterns cover most of it: `+` **distributes** the gradient (copies it to
#   each input), `*` **swaps** (each input gets the other's value times the gradient),
#   `max` **routes** (all of it to the winner).
# * Through a neuron $o = \tanh(x_1 w_1 + x_2 w_2 + b)$ by hand: $\tanh$ contributes
#   $1 - o^2$, then the gates do the rest — exactly what `backward()` computes.
# * `Value` records the steps as a graph; `backward()` fills in every `grad`, and
#   `animate_backward` lets you watch it happen.
#
# **[Next: 03 · Build the Value](03_build_the_value.ipynb)** — write `+` and `*` and their
# backward rules yourself.
