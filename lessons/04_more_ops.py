# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # 04 · More operations
#
# *Every operation is the same two halves: a forward number and a local derivative.* Add a
# few more, and your engine can differentiate almost any formula.
#
# **Goals**
#
# * see why every backward rule must use `+=`, never `=`;
# * write the power rule `x ** n` yourself, so `L = (w*x - y)**2` works in your engine;
# * build `-a`, `a - b` and `a / b` **from operations you already have**, and compare with
#   giving them rules of their own;
# * write `exp`, `log`, `tanh`, `relu` and `sigmoid`, each with its local derivative;
# * see with numbers why gradients **vanish** through a chain of `sigmoid`s.
#
# **Builds on:** [03 · Build the Value](03_build_the_value.ipynb) (your `Value` with `+`,
# `*` and `backward()`).

# %% [markdown]
# This lesson works on **your** `Value` from lesson 03: the given part plus your `+` and
# `*` if they passed `check_add_mul`, otherwise the reference solution. The cell below
# puts it together and says which it used. It also says whether you have finished lesson 03
# (its exercise passed, its quiz answered right); go on either way.

# %%
import matplotlib.pyplot as plt
import numpy as np

import autograd
from autograd import (
    animate_backward,
    check_arith,
    check_funcs,
    check_pow,
    draw_dot,
    numerical_grad,
    prefer_yours,
    quiz,
    start_lesson,
    study_with_ai,
)

engine = start_lesson("04")  # your code from lesson 03 where it passed, else the reference
Value = engine.Value
engine

# %% [markdown]
# ## The idea
#
# Any function whose derivative you know becomes an operation in two halves:
#
# * **forward:** `out = f(x)`;
# * **backward:** `x.grad += f'(x) * out.grad` — the local derivative times the gradient
#   that arrived, **added** into the input's grad.
#
# | operation | forward | local derivative | in terms of `out` |
# |-----------|---------|------------------|-------------------|
# | `x ** n` (n a number) | $x^n$ | $n\,x^{n-1}$ | |
# | `x.exp()` | $e^x$ | $e^x$ | `out` |
# | `x.log()` | $\ln x$ | $1/x$ | |
# | `x.tanh()` | $\tanh x$ | $1 - \tanh^2 x$ | `1 - out²` |
# | `x.relu()` | $\max(0, x)$ | $1$ if $x > 0$, else $0$ | `1 if out > 0 else 0` |
# | `x.sigmoid()` | $\sigma(x) = \frac{1}{1 + e^{-x}}$ | $\sigma(x)(1 - \sigma(x))$ | `out · (1 - out)` |
#
# The last column is a small gift: for `exp`, `tanh`, `relu` and `sigmoid` the derivative
# can be computed from the **result** of the forward pass, which the node already stores.
#
# Some operations need no new rule at all, because they can be **built from others**:
# $-a = a \cdot (-1)$, $\;a - b = a + (-b)$, $\;a / b = a \cdot b^{-1}$. Their gradients then
# come out right automatically, by the chain rule through the pieces.

# %% [markdown]
# ## The code
#
# ### Why `+=` and not `=`
#
# Take `b = a + a`. Then $b = 2a$, so $\frac{db}{da} = 2$. Here is a deliberately **wrong**
# class whose rules overwrite (`=`) instead of adding (`+=`):


# %%
class WrongValue(Value):
    """Like Value, but its backward rules use = instead of +=.  Don't do this!"""

    def __add__(self, other):
        out = WrongValue(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad = out.grad  # ✗ overwrites whatever was there
            other.grad = out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        out = WrongValue(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad = other.data * out.grad  # ✗
            other.grad = self.data * out.grad

        out._backward = _backward
        return out


for cls in [WrongValue, Value]:
    a = cls(3.0)
    b = a + a
    b.backward()
    print(f"{cls.__name__:>10}:  b = a + a     a.grad = {a.grad}")

# %% [markdown]
# In `a + a`, `self` and `other` are **the same object**. With `=`, the second line
# overwrites the first: the gradient of one use is lost, and `a.grad` is 1 instead of 2.
# With `+=` both uses add their share: $0 + 1 + 1 = 2$.
#
# The same loss happens when the two uses sit in **different** operations. In
# `c = a * b + a` (from lesson 03), the `×` rule runs after the `+` rule and wipes out the
# `+1` that `+` had sent to `a`:

# %%
for cls in [WrongValue, Value]:
    a, b = cls(2.0), cls(-3.0)
    c = a * b + a
    c.backward()
    print(f"{cls.__name__:>10}:  c = a * b + a  a.grad = {a.grad}   (b + 1 = {b.data + 1})")

# %% [markdown]
# The wrong engine is silently wrong: no error, just a bad number. That is why every rule
# uses `+=`, and why every checker includes expressions that use a value twice.
#
# Back to `b = a + a`, with your (correct) `Value`. Press ▶: in the one step of the `+`
# rule, `a` receives two shares, and its grad goes $0 \to 1 \to 2$.

# %%
a = Value(3.0, label="a")
b = a + a
b.label = "b"
twice = animate_backward(b)
twice

# %%
print(twice.steps[-1].caption)

# %% [markdown]
# ## The picture
#
# ### Functions and their slopes
#
# Each solid curve is a function; the dashed curve is its local derivative — the number its
# backward rule multiplies by (the table above, drawn). For `exp` the two are the same
# curve. Note `tanh` and `sigmoid`: their slopes are largest at 0 and fade to almost nothing
# far from it. A tiny slope lets only a tiny gradient through, as the section on vanishing
# gradients at the end shows with numbers.

# %%
xs = np.linspace(-3, 3, 301)
sig = 1 / (1 + np.exp(-xs))
curves = [
    ("exp", xs, np.exp(xs), np.exp(xs)),
    ("log", xs[xs > 0.05], np.log(xs[xs > 0.05]), 1 / xs[xs > 0.05]),
    ("tanh", xs, np.tanh(xs), 1 - np.tanh(xs) ** 2),
    ("relu", xs, np.maximum(xs, 0), (xs > 0).astype(float)),
    ("sigmoid", xs, sig, sig * (1 - sig)),
]
fig, axes = plt.subplots(1, 5, figsize=(14, 2.9))
for ax, (name, x_plot, y_plot, dy) in zip(axes, curves):
    ax.axhline(0, color="#cbd5e1", lw=0.8)
    ax.axvline(0, color="#cbd5e1", lw=0.8)
    ax.plot(x_plot, y_plot, color="#2563eb", lw=2, label=name)
    ax.plot(x_plot, dy, "--", color="#ea580c", lw=1.5, label="slope")
    ax.set_ylim(-2, 4)
    ax.set_title(name)
    ax.legend(loc="upper left", fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Exercise 1: the power rule
#
# ✏️ Complete the backward rule of `x ** n`, for a plain number `n` (like `2`, `-1` or
# `0.5`). The local derivative is the power rule, $\frac{d\,x^n}{dx} = n\,x^{n-1}$. The
# forward half is given; the operation's name `f"**{n:g}"` reads `**2` in the pictures.
# As in lesson 03, `_backward()` is a closure: it can use `self`, `n` and `out`.


# %% tags=["exercise"]
def __pow__(self, n):
    assert isinstance(n, (int, float)), "only a plain number exponent is supported"
    out = Value(self.data**n, (self,), f"**{n:g}")  # forward (given)

    def _backward():
        # ✏️ Exercise: the backward rule of x ** n.   d(x**n)/dx = n * x**(n-1)
        raise NotImplementedError("write the backward rule of **")

    out._backward = _backward
    return out


Value.__pow__ = __pow__

# %% [markdown]
# `check_pow(Value)` tries `a ** 2`, `a ** 3`, `a ** -1`, `a ** 0.5` and more, alone and
# inside bigger expressions, on fresh random numbers. (It first re-checks a few `+` and `*`
# expressions, so that a problem there is not blamed on `**`.) As shipped, the rule is a
# stub:

# %%
check_pow(Value)

# %% [markdown]
# **Solution** (open only if stuck). Run this cell either way: if your `**` passed the
# check, it keeps **yours**; otherwise the lesson goes on with the solution.

# %% tags=["solution"] jupyter={"source_hidden": true}
### BEGIN SOLUTION
def __pow__(self, n):
    assert isinstance(n, (int, float)), "only a plain number exponent is supported"
    out = Value(self.data**n, (self,), f"**{n:g}")

    def _backward():
        self.grad += n * self.data ** (n - 1) * out.grad  # power rule × incoming gradient

    out._backward = _backward
    return out


Value.__pow__ = __pow__
### END SOLUTION
prefer_yours("04.pow")

# %% [markdown]
# ## Exercise 2: `-a`, `a - b` and `a / b` from what you have
#
# ✏️ Negation is multiplication by $-1$, subtraction is adding a negation, and division is
# multiplying by a power $-1$. Write each of the five methods below as **one line** built
# from `*`, `+` and `**` — no new backward rule needed: the rules of `*`, `+` and `**`
# already know theirs. (`__rsub__` and `__rtruediv__` are for a plain number on the left:
# `5 - a` asks `a.__rsub__(5)`, and `2 / a` asks `a.__rtruediv__(2)`.)


# %% tags=["exercise"]
def __neg__(self):  # -a
    raise NotImplementedError("write -a using *")


def __sub__(self, other):  # a - b
    raise NotImplementedError("write a - b using + and -")


def __rsub__(self, other):  # 5 - a: other is the number 5
    raise NotImplementedError("write 5 - a using + and -")


def __truediv__(self, other):  # a / b
    raise NotImplementedError("write a / b using * and **")


def __rtruediv__(self, other):  # 2 / a: other is the number 2
    raise NotImplementedError("write 2 / a using * and **")


Value.__neg__ = __neg__
Value.__sub__ = __sub__
Value.__rsub__ = __rsub__
Value.__truediv__ = __truediv__
Value.__rtruediv__ = __rtruediv__

# %% [markdown]
# `check_arith(Value)` checks `-a`, `a - b`, `b - a`, `a - a`, `a - 2`, `3 - a`, `a / b`,
# `a / a`, `a / 4`, `2 / a` and bigger expressions around them. (Rules of their own are
# fine too: the check only looks at the gradients.)

# %%
check_arith(Value)

# %% [markdown]
# **Solution** (open only if stuck). Run this cell either way: if your methods passed the
# check, it keeps **yours**; otherwise the lesson goes on with the solution.

# %% tags=["solution"] jupyter={"source_hidden": true}
### BEGIN SOLUTION
def __neg__(self):  # -a = a * (-1)
    return self * -1


def __sub__(self, other):  # a - b = a + (-b)
    return self + (-other)


def __rsub__(self, other):  # 5 - a = 5 + (-a)
    return other + (-self)


def __truediv__(self, other):  # a / b = a * b**-1
    return self * other**-1


def __rtruediv__(self, other):  # 2 / a = 2 * a**-1
    return other * self**-1


Value.__neg__ = __neg__
Value.__sub__ = __sub__
Value.__rsub__ = __rsub__
Value.__truediv__ = __truediv__
Value.__rtruediv__ = __rtruediv__
### END SOLUTION
prefer_yours("04.arith")

# %% [markdown]
# ### Payoff: lesson 02's loss, written as in lesson 02
#
# With `**` and `-`, your engine now takes the loss exactly as you would write it on paper,
# $L = (wx - y)^2$ at $w = 3$, $x = 2$, $y = 5$. Lesson 02 found `dL/dw = 4`, `dL/dx = 6`,
# `dL/dy = -2`:

# %%
w = Value(3.0, label="w")
x = Value(2.0, label="x")
y = Value(5.0, label="y")
diff = w * x - y
diff.label = "diff"
L = diff**2
L.label = "L"
L.backward()
print(f"L = {L.data},  dL/dw = {w.grad},  dL/dx = {x.grad},  dL/dy = {y.grad}")

# %%
draw_dot(L)

# %% [markdown]
# As in lesson 03, a value you did not name is drawn as `n` and its place in the graph.
# `n4`, with data -1, is the constant that `-y = y * -1` multiplies by: a leaf, so it receives
# a gradient too (10.0), which nothing uses.
#
# ### Two graphs for the same subtraction
#
# Built from `+` and `*`, `a - b` takes more than one node. The packaged `autograd.Value`
# gives `-` a rule of its own (`b.grad -= out.grad`), so there `a - b` is one node. Here are
# both, for a small formula with both operations, $\frac{a - b}{a + b}$ (if you gave your
# operations rules of their own, your count is smaller):

# %%
a, b = Value(5.0, label="a"), Value(2.0, label="b")
mine = (a - b) / (a + b)
mine.backward()
a2, b2 = autograd.Value(5.0, label="a"), autograd.Value(2.0, label="b")
packaged = (a2 - b2) / (a2 + b2)
packaged.backward()
print(f"your Value      : {draw_dot(mine)}   a.grad = {a.grad:.6f}, b.grad = {b.grad:.6f}")
print(f"autograd.Value  : {draw_dot(packaged)}   a.grad = {a2.grad:.6f}, b.grad = {b2.grad:.6f}")

# %%
draw_dot(Value(5.0, label="a") - Value(2.0, label="b"))

# %%
draw_dot(autograd.Value(5.0, label="a") - autograd.Value(2.0, label="b"))

# %% [markdown]
# Same gradients, different sizes. Which is better? Building from existing operations means
# **less code and nothing new to get wrong**. Own rules mean **smaller graphs**: less
# memory, and fewer rules to run in `backward()`. On one formula that hardly matters; in a
# neural network with millions of operations it does. Real libraries give common operations
# their own rules; while you are learning, composing is the safer choice.

# %% [markdown]
# ## Exercise 3: `exp`, `log`, `tanh`, `relu`, `sigmoid`
#
# ✏️ These five need rules of their own (they cannot be built from `+`, `*` and `**`).
# The forward halves are given; complete each `_backward()` with the local derivative from
# the table at the top, times `out.grad`, **added** into `self.grad`. Remember the gift:
# for `exp`, `tanh` and `sigmoid` the derivative is easiest written with `out.data`.


# %% tags=["exercise"]
import math


def exp(self):
    out = Value(math.exp(self.data), (self,), "exp")  # forward (given)

    def _backward():
        raise NotImplementedError("write the backward rule of exp")  # ✏️ d exp(x)/dx = exp(x)

    out._backward = _backward
    return out


def log(self):
    out = Value(math.log(self.data), (self,), "log")  # forward (given)

    def _backward():
        raise NotImplementedError("write the backward rule of log")  # ✏️ d log(x)/dx = 1/x

    out._backward = _backward
    return out


def tanh(self):
    out = Value(math.tanh(self.data), (self,), "tanh")  # forward (given)

    def _backward():
        raise NotImplementedError("write the backward rule of tanh")  # ✏️ 1 - tanh(x)²

    out._backward = _backward
    return out


def relu(self):
    out = Value(max(self.data, 0.0), (self,), "relu")  # forward (given)

    def _backward():
        raise NotImplementedError("write the backward rule of relu")  # ✏️ 1 if x > 0, else 0

    out._backward = _backward
    return out


def sigmoid(self):
    out = Value(1 / (1 + math.exp(-self.data)), (self,), "sigmoid")  # forward (given)

    def _backward():
        raise NotImplementedError("write the backward rule of sigmoid")  # ✏️ σ(x)(1 - σ(x))

    out._backward = _backward
    return out


Value.exp = exp
Value.log = log
Value.tanh = tanh
Value.relu = relu
Value.sigmoid = sigmoid

# %% [markdown]
# `check_funcs(Value)` tries each function alone, re-used (`a.tanh() + a`: is it `+=`?) and
# inside a bigger expression (`a.tanh() * b`: is `out.grad` used?), `log` on positive
# numbers only and `relu` on both sides of 0.

# %%
check_funcs(Value)

# %% [markdown]
# **Solution** (open only if stuck). Run this cell either way: if your functions passed the
# check, it keeps **yours**; otherwise the lesson goes on with the solution.

# %% tags=["solution"] jupyter={"source_hidden": true}
### BEGIN SOLUTION
import math


def exp(self):
    out = Value(math.exp(self.data), (self,), "exp")

    def _backward():
        self.grad += out.data * out.grad  # d exp(x)/dx = exp(x), which is out.data

    out._backward = _backward
    return out


def log(self):
    out = Value(math.log(self.data), (self,), "log")

    def _backward():
        self.grad += out.grad / self.data  # d log(x)/dx = 1/x

    out._backward = _backward
    return out


def tanh(self):
    out = Value(math.tanh(self.data), (self,), "tanh")

    def _backward():
        self.grad += (1 - out.data**2) * out.grad  # d tanh(x)/dx = 1 - tanh(x)²

    out._backward = _backward
    return out


def relu(self):
    out = Value(max(self.data, 0.0), (self,), "relu")

    def _backward():
        self.grad += (1.0 if self.data > 0 else 0.0) * out.grad  # slope 1 for x > 0, else 0

    out._backward = _backward
    return out


def sigmoid(self):
    out = Value(1 / (1 + math.exp(-self.data)), (self,), "sigmoid")

    def _backward():
        self.grad += out.data * (1 - out.data) * out.grad  # σ'(x) = σ(x)(1 - σ(x))

    out._backward = _backward
    return out


Value.exp = exp
Value.log = log
Value.tanh = tanh
Value.relu = relu
Value.sigmoid = sigmoid
### END SOLUTION
prefer_yours("04.funcs")

# %% [markdown]
# ### Your engine against central differences
#
# A last look, without any checker: for each function, the gradient from **your**
# `backward()` next to a central difference (lesson 01), at a few points. For `relu` we
# stay away from $x = 0$, where its slope jumps from 0 to 1 and has no derivative.

# %%
def backprop(f, x0):
    x = Value(x0)
    f(x).backward()
    return x.grad


def numeric(f, x0):
    return numerical_grad(lambda t: f(Value(t)).data, [x0])[0]


functions = [
    ("exp", lambda x: x.exp(), 0.5),
    ("log", lambda x: x.log(), 2.0),
    ("tanh", lambda x: x.tanh(), 0.5),
    ("relu", lambda x: x.relu(), 1.5),
    ("relu", lambda x: x.relu(), -1.5),
    ("sigmoid", lambda x: x.sigmoid(), -1.0),
]
print(f"{'op':>8} {'x':>5}   {'backprop':>9}  {'numeric':>9}")
for name, fn, x0 in functions:
    print(f"{name:>8} {x0:>5}   {backprop(fn, x0):>9.6f}  {numeric(fn, x0):>9.6f}")

# %% [markdown]
# They also combine freely. One formula that uses all of today's operations, at
# $a = 0.3$, $b = 1.7$:

# %%
def formula(a, b):
    return (a * b).tanh() + a.exp().log() * b.relu() + (a - b).sigmoid() / b**2


a, b = Value(0.3), Value(1.7)
formula(a, b).backward()
da, db = numerical_grad(lambda p, q: formula(Value(p), Value(q)).data, [0.3, 1.7])
print(f"d/da:  backprop {a.grad:.6f}   numeric {da:.6f}")
print(f"d/db:  backprop {b.grad:.6f}   numeric {db:.6f}")

# %% [markdown]
# ## Vanishing gradients, in numbers
#
# First, how flat the two S-curves of the picture, `tanh` and `sigmoid`, get. Their slopes
# at a few points, from your `backward()`:

# %%
print(f"{'x':>4} {'tanh slope':>11} {'sigmoid slope':>14}")
for x0 in [0.0, 1.0, 2.0, 3.0, 5.0]:
    print(f"{x0:>4} {backprop(lambda v: v.tanh(), x0):>11.4f} "
          f"{backprop(lambda v: v.sigmoid(), x0):>14.4f}")

# %% [markdown]
# At $x = 0$ the sigmoid's slope is its largest, 0.25; by $x = 5$ it is 0.0066, and tanh's
# is 0.0002. A unit whose input lands out there (it *saturates*) passes back almost nothing.
#
# Now stack them. A network applies one function after another, and by the chain rule the
# gradient that reaches the input is the **product** of every slope on the way. The
# sigmoid's slope is never more than 0.25, so each sigmoid divides the gradient by at least
# 4. Here is $d\,\text{out}/dx$ at $x = 0.5$ through a chain of `depth` copies of the same
# function, from your engine:

# %%
def through_chain(name, depth, x0=0.5):
    x = Value(x0)
    out = x
    for _ in range(depth):
        out = getattr(out, name)()
    out.backward()
    return x.grad


depths = [1, 2, 5, 10, 20]
print(f"{'depth':>8}" + "".join(f"{d:>11}" for d in depths))
for name in ["sigmoid", "tanh", "relu"]:
    print(f"{name:>8}" + "".join(f"{through_chain(name, d):>11.3g}" for d in depths))

# %% [markdown]
# Through 10 sigmoids the gradient is about $3.5 \times 10^{-7}$, through 20 about
# $10^{-13}$: the first layers of such a network would learn nothing. This is the
# **vanishing gradient** problem. `tanh` fades more slowly here (0.107 after 20), because
# its slope is 1 at 0 and the repeated tanh drifts towards 0, but a saturated tanh is just
# as flat. `relu`'s slope is exactly 1 wherever it is active, so the gradient arrives
# unchanged (1 at every depth) — one reason deep networks mostly use `relu`. (Its own
# weakness: where its input is negative the slope is 0, and no gradient passes at all.)

# %% [markdown]
# ## Try it
#
# On paper first: for $z = (a + b) \cdot c$ with $a = 2$, $b = -3$, $c = 4$, the `×` sends
# $c \cdot 1 = 4$ to the sum, and the `+` copies it to both inputs:
# $\frac{\partial z}{\partial a} = \frac{\partial z}{\partial b} = c = 4$, and
# $\frac{\partial z}{\partial c} = a + b = -1$. Now check your engine:

# %%
a, b, c = Value(2.0, label="a"), Value(-3.0, label="b"), Value(4.0, label="c")
z = (a + b) * c
z.backward()
print(f"z = {z.data}:  dz/da = {a.grad},  dz/db = {b.grad},  dz/dc = {c.grad}")

# %% [markdown]
# Then change it and predict before you run:
#
# * `z = (a + b) * a` — now `a` is used twice. Work out $\frac{\partial z}{\partial a}$ on
#   paper first.
# * `z = (a - b) ** 2 / c` — uses `-`, `**` and `/` from today.
# * **Give `-` a rule of its own.** Rewrite `__sub__` with its own `_backward()`
#   (`self.grad += out.grad`, `other.grad -= out.grad`; wrap `other` first, as in
#   `__add__`, so that `a - 2` works), run `check_arith(Value)` again, and count the values of
#   `draw_dot((a - b) / (a + b))`.
# * **Saturate a tanh.** In the chain above, start at `x0=3.0` instead of 0.5: how small is
#   the tanh gradient after 5 layers now?

# %% [markdown]
# ## Quiz
#
# Pick an answer: a wrong one tells you the misconception behind it, the right one why it is
# right. The last question is about the **Try it** list above. Your answers are saved (see
# `progress()` in [00 · Start here](00_start_here.ipynb)).

# %%
quiz("04")

# %% [markdown]
# ## Study this lesson with an AI
#
# Three prompts, to use in order: explain the idea, walk through this lesson's demo, quiz me
# on the try-it list. Copy one into the assistant of your choice (nothing is sent anywhere
# from here). Once you have saved some exercise code, the walkthrough prompt includes it.

# %%
study_with_ai("04")

# %% [markdown]
# ## Summary
#
# * Every operation = a **forward** number + a **local derivative**; the backward rule adds
#   `local derivative × out.grad` into each input.
# * Always `+=`: a value used twice collects both shares. With `=`, `b = a + a` gives
#   `a.grad = 1` instead of 2, silently.
# * The power rule, `self.grad += n * self.data**(n-1) * out.grad`, makes `(w*x - y)**2`
#   work in your own engine.
# * `-a`, `a - b`, `a / b` can be **built** from `*`, `+`, `**`: correct for free, but bigger
#   graphs than with rules of their own.
# * `exp`, `log`, `tanh`, `relu`, `sigmoid`: derivatives $e^x$, $1/x$, $1 - \text{out}^2$,
#   $[x > 0]$, $\text{out}(1 - \text{out})$ — several computed from the forward result.
# * Through a chain of sigmoids the gradient shrinks at least 4× per layer (it
#   **vanishes**); through active `relu`s it passes unchanged.
#
# **[Next: 05 · How backward works](05_how_backward_works.ipynb)** — the topological order,
# deep graphs, and what `loss.backward()` really does.
