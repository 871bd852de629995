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
# * build `-a`, `a - b` and `a / b` **from operations you already have**, and compare with
#   giving them rules of their own;
# * meet `exp`, `log`, `tanh`, `relu` and `sigmoid` and their local derivatives;
# * write the power rule `x ** n` yourself, so `L = (w*x - y)**2` works in your engine.
#
# **Builds on:** [03 · Build the Value](03_build_the_value.ipynb) (your `Value` with `+`,
# `*` and `backward()`).

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
# ### Your Value from lesson 03
#
# Here is the `Value` you built in lesson 03 (the solution), now with `+` and `*` inside the
# class. Nothing new in this cell.

# %%
import matplotlib.pyplot as plt
import numpy as np

import autograd
from autograd import Quiz, animate_backward, check_more_ops, check_pow, draw_dot, gradcheck


class Value:
    """A number that remembers how it was computed (lesson 03)."""

    def __init__(self, data, _prev=(), _op="", label=""):
        self.data = float(data)
        self.grad = 0.0
        self._prev = tuple(_prev)
        self._op = _op
        self._backward = None
        self.label = label

    def __repr__(self):
        return f"Value(data={self.data:.4g}, grad={self.grad:.4g})"

    def backward(self):
        order, visited = [], set()

        def visit(node):
            if node not in visited:
                visited.add(node)
                for inp in node._prev:
                    visit(inp)
                order.append(node)

        visit(self)
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            if node._backward is not None:
                node._backward(node)

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward(out):
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward(out):
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other


# %% [markdown]
# ### Why `+=` and not `=`
#
# Take `b = a + a`. Then $b = 2a$, so $\frac{db}{da} = 2$. Here is a deliberately **wrong**
# class whose rules overwrite (`=`) instead of adding (`+=`):


# %%
class WrongValue(Value):
    """Like Value, but its backward rules use = instead of +=.  Don't do this!"""

    def __add__(self, other):
        out = WrongValue(self.data + other.data, (self, other), "+")

        def _backward(out):
            self.grad = out.grad  # ✗ overwrites whatever was there
            other.grad = out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        out = WrongValue(self.data * other.data, (self, other), "*")

        def _backward(out):
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
# uses `+=`, and why lesson 03's checker includes expressions that use a value twice.
#
# ### `-a` and `a - b` from operations you already have
#
# Negation is multiplication by $-1$, and subtraction is adding a negation. No new backward
# rule is needed: `*` and `+` already know theirs.


# %%
def __neg__(self):  # -a = a * (-1)
    return self * -1


def __sub__(self, other):  # a - b = a + (-b)
    return self + (-other)


def __rsub__(self, other):  # 5 - a = 5 + (-a)
    return other + (-self)


Value.__neg__ = __neg__
Value.__sub__ = __sub__
Value.__rsub__ = __rsub__

a = Value(5.0, label="a")
b = Value(2.0, label="b")
d = a - b
d.backward()
print(f"d = a - b = {d.data},  a.grad = {a.grad},  b.grad = {b.grad}")

# %% [markdown]
# The gradients are right ($\partial d/\partial a = 1$, $\partial d/\partial b = -1$)
# because the chain rule works through the pieces. The price is a **bigger graph**: the
# packaged `autograd.Value` gives `-` a rule of its own (`b.grad -= out.grad`), so `a - b` is
# one node there, but two here (plus a leaf for the constant $-1$):

# %%
a2 = autograd.Value(5.0, label="a")
b2 = autograd.Value(2.0, label="b")
print("built from + and * :", draw_dot(d))
print("own rule for -     :", draw_dot(a2 - b2))

# %% [markdown]
# Which is better? Building from existing operations means **less code and nothing new to
# get wrong**. Own rules mean **smaller graphs**: less memory, and fewer rules to run in
# `backward()`. Real libraries give common operations their own rules; while you are
# learning, composing is the safer choice.
#
# ### exp, log, tanh, relu, sigmoid
#
# The packaged `autograd.Value` has these five, each with its rule from the table above.
# Let's `gradcheck` each one (lesson 01: backprop against central differences). For `relu`
# we stay away from $x = 0$, where its slope jumps from 0 to 1 and has no derivative.

# %%
functions = [
    ("exp", lambda x: x.exp(), 0.5),
    ("log", lambda x: x.log(), 2.0),
    ("tanh", lambda x: x.tanh(), 0.5),
    ("relu", lambda x: x.relu(), 1.5),
    ("relu", lambda x: x.relu(), -1.5),
    ("sigmoid", lambda x: x.sigmoid(), -1.0),
]
print(f"{'op':>8} {'x':>5}   {'backprop':>9}  {'numeric':>9}   ok")
for name, fn, x0 in functions:
    result = gradcheck(fn, [x0])
    row = result.rows[0]
    print(
        f"{name:>8} {x0:>5}   {row.analytic:>9.6f}  {row.numeric:>9.6f}   {'✓' if result else '✗'}"
    )

# %% [markdown]
# They also combine freely. Here is one gradcheck of a formula that uses all five:

# %%
result = gradcheck(
    lambda a, b: (a * b).tanh() + a.exp().log() * b.relu() + (a - b).sigmoid(), [0.3, 1.7]
)
print(result.verdict())
for row in result.rows:
    print(f"d/d{row.name}:  backprop {row.analytic:.6f}   numeric {row.numeric:.6f}")

# %% [markdown]
# ## The picture
#
# ### Functions and their slopes
#
# Each solid curve is a function; the dashed curve is its local derivative — the number its
# backward rule multiplies by. For `exp` the two are the same curve. Note `tanh` and
# `sigmoid`: their slopes are largest at 0 and fade to almost nothing far from it. A tiny
# slope lets only a tiny gradient through — keep that in mind when you train networks.

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
for ax, (name, x, y, dy) in zip(axes, curves):
    ax.axhline(0, color="#cbd5e1", lw=0.8)
    ax.axvline(0, color="#cbd5e1", lw=0.8)
    ax.plot(x, y, color="#2563eb", lw=2, label=name)
    ax.plot(x, dy, "--", color="#ea580c", lw=1.5, label="slope")
    ax.set_ylim(-2, 4)
    ax.set_title(name)
    ax.legend(loc="upper left", fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# ### Watch `+=` at work
#
# Back to `b = a + a`, with your (correct) `Value`. Press ▶: in the one step of the `+` rule,
# `a` receives two shares, and its grad goes $0 \to 1 \to 2$.

# %%
a = Value(3.0, label="a")
b = a + a
b.label = "b"
twice = animate_backward(b)
twice

# %%
print(twice.steps[-1].caption)

# %% [markdown]
# ### Two graphs for the same subtraction
#
# First `a - b` built from `+` and `*` in your `Value`, then the packaged engine's own `−`
# rule. Same gradients, different sizes.

# %%
draw_dot(d)

# %%
draw_dot(a2 - b2)

# %% [markdown]
# ## Exercise
#
# ### The power rule
#
# ✏️ Complete the backward rule of `x ** n`, for a plain number `n` (like `2`, `-1` or
# `0.5`). The local derivative is the power rule, $\frac{d\,x^n}{dx} = n\,x^{n-1}$. The
# forward half is given; the operation's name `f"**{n:g}"` reads `**2` in the pictures.


# %%
def __pow__(self, n):
    assert isinstance(n, (int, float)), "only a plain number exponent is supported"
    out = Value(self.data**n, (self,), f"**{n:g}")  # forward (given)

    def _backward(out):
        # ✏️ Exercise: the backward rule of x ** n.   d(x**n)/dx = n * x**(n-1)
        raise NotImplementedError("write the backward rule of **")

    out._backward = _backward
    return out


Value.__pow__ = __pow__

# %% [markdown]
# `check_pow(Value)` tries `a ** 2`, `a ** 3`, `a ** -1`, `a ** 0.5` and more, alone and
# inside bigger expressions, on fresh random numbers. As shipped, the rule is a stub:

# %%
report = check_pow(Value)
report

# %% [markdown]
# **Solution** (open only if stuck)


# %% jupyter={"source_hidden": true}
def __pow__(self, n):
    assert isinstance(n, (int, float)), "only a plain number exponent is supported"
    out = Value(self.data**n, (self,), f"**{n:g}")

    def _backward(out):
        self.grad += n * self.data ** (n - 1) * out.grad  # power rule × incoming gradient

    out._backward = _backward
    return out


Value.__pow__ = __pow__

# %%
report = check_pow(Value)
report

# %% [markdown]
# ### Payoff: lesson 02's loss, written as in lesson 02
#
# With `**` and `-`, your engine now takes the loss exactly as you would write it on paper.
# Lesson 02 found `dL/dw = 4`, `dL/dx = 6`, `dL/dy = -2`:

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
# ### Division, built from `*` and `**`
#
# Now that `**` works, division is one line: $a / b = a \cdot b^{-1}$.


# %%
def __truediv__(self, other):  # a / b = a * b**-1
    return self * other**-1


def __rtruediv__(self, other):  # 2 / a = 2 * a**-1
    return other * self**-1


Value.__truediv__ = __truediv__
Value.__rtruediv__ = __rtruediv__

# %% [markdown]
# `check_more_ops(Value)` checks whichever of `-a`, `a - b`, `a / b`, `exp`, `tanh` your
# class has. You wrote no new backward rule for `-a`, `a - b` or `a / b` — and they pass:

# %%
check_more_ops(Value)

# %% [markdown]
# And the sizes, for a small formula with both operations, $\frac{a - b}{a + b}$:

# %%
a, b = Value(5.0, label="a"), Value(2.0, label="b")
mine = (a - b) / (a + b)
mine.backward()
a2, b2 = autograd.Value(5.0, label="a"), autograd.Value(2.0, label="b")
packaged = (a2 - b2) / (a2 + b2)
packaged.backward()
print(f"your Value      : {draw_dot(mine)}   a.grad = {a.grad:.6f}, b.grad = {b.grad:.6f}")
print(f"autograd.Value  : {draw_dot(packaged)}   a.grad = {a2.grad:.6f}, b.grad = {b2.grad:.6f}")

# %% [markdown]
# Same gradients; your graph has 8 values against 5. On one formula that hardly matters; in
# a neural network with millions of operations it does.

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
# * `z = (a + b) * a` — now `a` is used twice. (Paper: $\frac{\partial z}{\partial a} =
#   (a + b) + a = 1$.)
# * `z = (a - b) ** 2 / c` — uses everything you built today.
# * **Add `tanh` to your `Value`**, following the pattern: forward `math.tanh(self.data)`
#   (after `import math`), backward `self.grad += (1 - out.data**2) * out.grad`. Attach it
#   with `Value.tanh = tanh` and run `check_more_ops(Value)`: it now checks `tanh` too.

# %% [markdown]
# ## Quiz

# %%
Quiz(
    "`b = a + a`, with a backward rule that uses `=` instead of `+=`. "
    "What is `a.grad` after `b.backward()`?",
    ["2, as it should be", "1: the second assignment overwrites the first share", "0", "4"],
    1,
    "self and other are the same object a. With =, a.grad is set to 1 and then set to 1 again; "
    "one share is lost. With +=, 0 + 1 + 1 = 2 = db/da.",
)

# %%
Quiz(
    "`out = x.tanh()` and `out.data` is 0.5. What does the backward rule add to `x.grad` "
    "when `out.grad` is 1?",
    ["0.5", "0.25", "1.0", "0.75"],
    3,
    "d tanh(x)/dx = 1 - tanh(x)² = 1 - out² = 1 - 0.25 = 0.75. The rule needs only the "
    "forward result, which the node already stores.",
)

# %%
Quiz(
    "You build `a / b` as `a * b**-1` instead of writing a rule for `/`. What do you get?",
    [
        "the right gradients, with a bigger graph",
        "wrong gradients, because / has no rule",
        "a smaller graph",
        "an error in backward()",
    ],
    0,
    "The chain rule works through the pieces (* and **), so the gradients are right. The cost "
    "is an extra node for b**-1: more memory and more rules to run.",
)

# %% [markdown]
# ## Summary
#
# * Every operation = a **forward** number + a **local derivative**; the backward rule adds
#   `local derivative × out.grad` into each input.
# * Always `+=`: a value used twice collects both shares. With `=`, `b = a + a` gives
#   `a.grad = 1` instead of 2, silently.
# * `-a`, `a - b`, `a / b` can be **built** from `*`, `+`, `**`: correct for free, but bigger
#   graphs (8 values instead of 5 for $\frac{a - b}{a + b}$).
# * `exp`, `log`, `tanh`, `relu`, `sigmoid`: derivatives $e^x$, $1/x$, $1 - \text{out}^2$,
#   $[x > 0]$, $\text{out}(1 - \text{out})$ — several computed from the forward result.
# * The power rule, `self.grad += n * self.data**(n-1) * out.grad`, makes `(w*x - y)**2`
#   work in your own engine.
#
# **[Next: 05 · How backward works](05_how_backward_works.ipynb)** — the topological order,
# deep graphs, and what `loss.backward()` really does.
