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
# * watch the same computation run backward through a graph, step by step.
#
# **Builds on:** [01 · Derivatives](01_derivatives.ipynb) (the derivative as the slope of a
# tiny nudge, and checking it with central differences).

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
from autograd import Quiz, Value, animate_backward, draw_dot, numerical_grad

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
# right, because `p - y` is not `y - p`. No gradients yet: every `grad` is 0.

# %%
draw_dot(L)

# %% [markdown]
# `L.backward()` runs the backward sweep for us:

# %%
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
# ## Exercise
#
# ✏️ Give the model a **bias** $b$: the prediction is now $wx + b$ and the loss is
#
# $$L = (w x + b - y)^2$$
#
# Work out $\frac{\partial L}{\partial w}$ and $\frac{\partial L}{\partial b}$ with the chain
# rule (hint: name the steps, as above; what is the local derivative of $wx + b$ with respect
# to $b$?). Then write them as formulas in the cell below, replacing the `raise` line.


# %%
def grads_by_hand(w, x, b, y):
    # ✏️ Exercise: return (dL/dw, dL/db) for L = (w*x + b - y)**2
    raise NotImplementedError("write your two formulas here")


# %% [markdown]
# Run the check: it compares your formulas with `numerical_grad` at four points.


# %%
def check_bias_grads(grads_by_hand):
    """Compare (dL/dw, dL/db) from `grads_by_hand` with central differences."""
    points = [
        (3.0, 2.0, -2.0, 5.0),
        (-1.0, 4.0, 0.5, 2.0),
        (0.5, -3.0, 1.0, 0.0),
        (2.0, 1.5, 0.5, 1.0),
    ]

    def loss_with_bias(w, x, b, y):
        return (w * x + b - y) ** 2

    try:
        yours = [tuple(grads_by_hand(*pt)) for pt in points]
    except NotImplementedError:
        print("Not yet: grads_by_hand still raises NotImplementedError. Fill in the ✏️ cell,")
        print("run it, then run this cell again.")
        return
    print(
        f"{'w, x, b, y':>22}  {'dL/dw yours':>11} {'numeric':>8}  {'dL/db yours':>11} {'numeric':>8}"
    )
    wrong = set()
    for pt, (gw, gb) in zip(points, yours):
        nw, _, nb, _ = numerical_grad(loss_with_bias, list(pt))
        ok_w = abs(gw - nw) <= 1e-5 + 1e-4 * abs(nw)
        ok_b = abs(gb - nb) <= 1e-5 + 1e-4 * abs(nb)
        if not ok_w:
            wrong.add("dL/dw")
        if not ok_b:
            wrong.add("dL/db")
        print(
            f"{str(pt):>22}  {gw:>9.4f} {'✓' if ok_w else '✗'} {nw:>8.4f}"
            f"  {gb:>9.4f} {'✓' if ok_b else '✗'} {nb:>8.4f}"
        )
    if wrong:
        print(f"Not yet: {' and '.join(sorted(wrong))} differ. Check the local derivatives.")
    else:
        print("Both formulas match at every point. 🎉")


check_bias_grads(grads_by_hand)

# %% [markdown]
# **Solution** (open only if stuck)


# %% jupyter={"source_hidden": true}
def grads_by_hand(w, x, b, y):
    # steps: p = w*x,  s = p + b,  d = s - y,  L = d**2
    # dL/dd = 2d;  ds/dp = 1, ds/db = 1;  dd/ds = 1;  dp/dw = x
    d = w * x + b - y
    dL_dw = 2 * d * x  # 2d · 1 · 1 · x
    dL_db = 2 * d  # 2d · 1 · 1: a bias just passes the gradient through
    return dL_dw, dL_db


# %%
check_bias_grads(grads_by_hand)

# %% [markdown]
# Notice that $\frac{\partial L}{\partial b} = 2d$ is exactly the gradient that arrives at
# the sum: **`+` passes its gradient through unchanged** to both of its inputs. Keep that in
# mind for lesson 03.

# %% [markdown]
# ## Try it
#
# * In the cell that builds `w = Value(3.0, label="w")`, change `3.0` to `2.5`, then re-run
#   down to `L.backward()`. Now $wx = y$ exactly, the loss is 0, and **every gradient is 0**:
#   you are at the bottom of the valley, and no nudge helps.
# * Try `w = 2.0`: the prediction is too small, and `w.grad` turns **negative** — the
#   gradient tells you to increase `w`.
# * Replace `L = d**2` by `L = d**3` and predict `w.grad` before you run it
#   ($\frac{dL}{dd} = 3d^2$).

# %% [markdown]
# ## Quiz

# %%
Quiz(
    "After `L.backward()`, `w.grad` is 4. What does that mean?",
    [
        "`w` should be changed to 4",
        "`L` is 4 times bigger than `w`",
        "`w` was used 4 times in the computation",
        "if `w` grows by a small amount ε, `L` grows by about 4ε",
    ],
    3,
    "A grad is a derivative of the output: dL/dw = 4 says L moves about 4× as much as a small "
    "nudge of w, in the same direction (the sign is positive).",
)

# %%
Quiz(
    "Why is `dL/dy` negative (-2) while `dL/dw` is positive (4)?",
    [
        "because `y` enters through `d = p - y`, whose local derivative with respect to `y` is -1",
        "because `y = 5` is bigger than `w = 3`",
        "because backward always makes the last input negative",
        "it is a rounding error",
    ],
    0,
    "The chain rule multiplies local derivatives: dL/dy = dL/dd · ∂d/∂y = 2 · (-1). Raising y "
    "makes d smaller, and here (d = 1 > 0) a smaller d means a smaller loss.",
)

# %%
Quiz(
    "In the backward sweep, why go from the output towards the inputs?",
    [
        "Python evaluates code from the bottom up",
        "so that each value's grad is complete before it is passed on, and is computed only once",
        "because the forward pass destroyed the inputs",
        "there is no reason; any order gives the same result",
    ],
    1,
    "A value's grad is needed by every step that made it. Going from the output back, each grad "
    "is finished before it is used, so p.grad is computed once and reused for both w and x. "
    "(Lesson 05 looks at this order in detail.)",
)

# %% [markdown]
# ## Summary
#
# * Split a formula into small steps; each step has an easy **local derivative**.
# * The **chain rule**: multiply local derivatives along the path from the output to an
#   input. For $L = (wx - y)^2$ at $w = 3, x = 2, y = 5$: `dL/dw = 4`, `dL/dx = 6`,
#   `dL/dy = -2`.
# * A value's **grad** is the derivative of the output with respect to it. Going **backward**
#   from `grad = 1` at the output computes every grad once: that is backpropagation.
# * `Value` records the steps as a graph; `backward()` fills in every `grad`, and
#   `animate_backward` lets you watch it happen.
#
# **[Next: 03 · Build the Value](03_build_the_value.ipynb)** — write `+` and `*` and their
# backward rules yourself.
