# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # 03 · Build the Value
#
# *A number that remembers how it was computed.* In this lesson you write the heart of an
# autograd engine yourself: the backward rules of `+` and `*`.
#
# **Goals**
#
# * know the five things a `Value` stores, and why each is there;
# * write the **backward rules** of `+` and `*` — the chain rule, one operation at a time;
# * run backpropagation through **your own class**, and watch it;
# * see why a value used twice collects the **sum** of its gradients.
#
# **Builds on:** [02 · The chain rule](02_chain_rule.ipynb) (local derivatives, and the
# backward sweep from the output to the inputs).

# %% [markdown]
# ## The idea
#
# In lesson 02 you ran the backward sweep by hand. You needed two things:
#
# 1. **the steps, in order** — which values were computed from which;
# 2. for every step, **its local derivatives** — how to pass a gradient to its inputs.
#
# A `Value` records both while it computes. Every operation has two halves:
#
# * the **forward** half computes the new number, and remembers its inputs (`_prev`) and
#   the operation's name (`_op`);
# * the **backward** half is a small function `_backward(out)`: it takes the gradient that
#   arrived at the result, `out.grad`, multiplies it by each local derivative, and **adds**
#   it to that input's `grad`.
#
# For `+` and `*` the local derivatives are easy:
#
# | operation | local derivatives | backward rule |
# |-----------|-------------------|---------------|
# | `out = a + b` | 1 for `a`, 1 for `b` | `a.grad += out.grad` <br> `b.grad += out.grad` |
# | `out = a * b` | `b` for `a`, `a` for `b` | `a.grad += b.data * out.grad` <br> `b.grad += a.data * out.grad` |
#
# So `+` **copies** the incoming gradient to both inputs, and `*` sends each input the
# incoming gradient times **the other** input. That's the whole engine, really.
#
# Why `+=` and not `=`? A value can be used more than once (like `a` in `a * b + a`), and
# then its gradient is the **sum** of what comes back along each use. Each rule adds its
# share. (Lesson 04 shows what goes wrong with `=`.)

# %% [markdown]
# ## The code
#
# ### The given part
#
# Here is the part of `Value` that is not about any particular operation: what it stores,
# how it prints, and `backward()`, which runs the rules in the right order. Read it
# top to bottom; the comments say why each line is there.

# %%
import autograd
from autograd import Quiz, animate_backward, check_add_mul, draw_dot


class Value:
    """A number that remembers how it was computed."""

    def __init__(self, data, _prev=(), _op="", label=""):
        self.data = float(data)  # the number itself
        self.grad = 0.0  # d(output)/d(this value): filled in by backward()
        self._prev = tuple(_prev)  # the Values this one was computed from, in order
        self._op = _op  # the operation that made it: "+", "*"; "" for an input
        self._backward = None  # its backward rule, a function of `out`; inputs have none
        self.label = label  # an optional name, shown in pictures

    def __repr__(self):
        return f"Value(data={self.data:.4g}, grad={self.grad:.4g})"

    def backward(self):
        """Fill in .grad of every value that this one depends on."""
        # 1. List every value in the graph, each one AFTER all of its inputs
        #    (a "topological order"), by visiting the inputs first.
        order, visited = [], set()

        def visit(node):
            if node not in visited:
                visited.add(node)
                for inp in node._prev:
                    visit(inp)
                order.append(node)  # all of node's inputs are already in the list

        visit(self)
        # 2. Start from zero, and seed the output: d(self)/d(self) = 1.
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        # 3. Run each backward rule, from the output back to the inputs. A node comes
        #    after everything that uses it, so its grad is complete when its rule runs.
        for node in reversed(order):
            if node._backward is not None:
                node._backward(node)

    # With a plain number on the left, `2 * a` asks a.__rmul__(2): reuse * (and +).
    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other


# %% [markdown]
# A value made by hand, like `Value(2.0)`, is an **input** (a *leaf*): no `_prev`, no
# operation, no rule. That is all the class can do so far:

# %%
a = Value(2.0, label="a")
print(a, a._prev, repr(a._op), a._backward)

# %% [markdown]
# ## The picture
#
# Before you write the two rules, watch them work in the finished engine, `autograd.Value`,
# on `f = (a + b) * c`. Press ▶ and follow the numbers: the `×` step sends each input
# **the other input's value** times `f.grad`; the `+` step **copies** the gradient it got,
# `s.grad = -2`, to both of its inputs.

# %%
a = autograd.Value(1.5, label="a")
b = autograd.Value(0.5, label="b")
c = autograd.Value(-2.0, label="c")
s = a + b
s.label = "s"
f = s * c
f.label = "f"
rules = animate_backward(f)
rules

# %% [markdown]
# The same steps as text (the captions of the frames):

# %%
for step in rules.steps[1:]:
    print(f"step {step.index}: {step.caption}\n")

# %% [markdown]
# ## Exercise
#
# ✏️ **Your turn.** Complete the backward rules of `+` and `*` below. The forward halves are
# given; replace each `raise NotImplementedError(...)` line with two lines that add into
# `self.grad` and `other.grad`. (Inside the methods, `self` is the left input `a` and
# `other` the right input `b`.)
#
# The two methods are written outside the class and then attached to it
# (`Value.__add__ = __add__`), so that this cell holds only your work. Python lets you add
# methods to a class at any time.
#
# > **Why does `_backward` take `out` as an argument?** The well-known
# > [micrograd](https://github.com/karpathy/micrograd) writes `def _backward():` and lets
# > the function pick up `out` from the method around it (a *closure*). But that function is
# > then stored *on* `out`: `out` refers to the function and the function refers back to
# > `out`, a **reference cycle** in every node, which Python can only free with its slower
# > cycle collector. Handing `out` in as an argument avoids the cycle (lesson 05 explains
# > why that matters). It is also how the packaged `autograd.Value` works, so `draw_dot`
# > and `animate_backward` work on **your** class too.


# %%
def __add__(self, other):
    other = other if isinstance(other, Value) else Value(other)  # lets you write a + 1
    out = Value(self.data + other.data, (self, other), "+")  # forward (given)

    def _backward(out):
        # ✏️ Exercise: the backward rule of +.  d(out)/d(self) = 1,  d(out)/d(other) = 1
        raise NotImplementedError("write the backward rule of +")

    out._backward = _backward
    return out


def __mul__(self, other):
    other = other if isinstance(other, Value) else Value(other)  # lets you write a * 2
    out = Value(self.data * other.data, (self, other), "*")  # forward (given)

    def _backward(out):
        # ✏️ Exercise: the backward rule of *.  d(out)/d(self) = other,  d(out)/d(other) = self
        raise NotImplementedError("write the backward rule of *")

    out._backward = _backward
    return out


Value.__add__ = __add__
Value.__mul__ = __mul__

# %% [markdown]
# Now check your rules. `check_add_mul(Value)` builds small expressions (`a + b`,
# `a * a`, `(a + b) * c`, ...) from fresh random numbers, runs **your** `backward()`, and
# compares every gradient with a central difference. Until everything is right, it names
# the rule that fails; `print(report)` shows an example with the value it expected and the
# value it got, and a hint.
#
# As shipped, the rules are still stubs, so the check says *not yet*:

# %%
report = check_add_mul(Value)
report

# %% [markdown]
# **Solution** (open only if stuck)


# %% jupyter={"source_hidden": true}
def __add__(self, other):
    other = other if isinstance(other, Value) else Value(other)
    out = Value(self.data + other.data, (self, other), "+")

    def _backward(out):
        self.grad += out.grad  # + copies the incoming gradient...
        other.grad += out.grad  # ...to both inputs

    out._backward = _backward
    return out


def __mul__(self, other):
    other = other if isinstance(other, Value) else Value(other)
    out = Value(self.data * other.data, (self, other), "*")

    def _backward(out):
        self.grad += other.data * out.grad  # each input gets the OTHER one's value
        other.grad += self.data * out.grad

    out._backward = _backward
    return out


Value.__add__ = __add__
Value.__mul__ = __mul__

# %%
report = check_add_mul(Value)
report

# %% [markdown]
# ### Press Run: your engine at work
#
# Here is the example from the start page, `c = a * b + a`, built with **your** `Value`.
# On paper: $\frac{\partial c}{\partial a} = b + 1 = -2$ and
# $\frac{\partial c}{\partial b} = a = 2$.

# %%
a = Value(2.0, label="a")
b = Value(-3.0, label="b")
c = a * b + a
c.label = "c"
c.backward()
print(f"a.grad = {a.grad}   (b + 1 = {b.data + 1})")
print(f"b.grad = {b.grad}   (a     = {a.data})")
print(type(c).__module__, type(c).__name__)  # yes: your class, defined in this notebook

# %%
draw_dot(c)

# %% [markdown]
# Press ▶. Watch `a`: it is used twice, so it receives gradient twice — first `+1` from
# the `+`, then `-3` from the `×` — and ends at `-2`. That is the `+=` at work.

# %%
animate_backward(c)

# %% [markdown]
# ### A worked example: lesson 02's loss, with your engine
#
# Your `Value` has only `+` and `*` so far, but that is enough for lesson 02's loss
# $L = (wx - y)^2$: write $wx - y$ as `w*x + Value(-1)*y`, and the square as a product.

# %%
w = Value(3.0, label="w")
x = Value(2.0, label="x")
y = Value(5.0, label="y")
L = (w * x + Value(-1) * y) * (w * x + Value(-1) * y)
L.label = "L"
u, v = L._prev  # the two factors of the last *
u.label, v.label = "u", "v"
u._prev[0].label, v._prev[0].label = "wx_u", "wx_v"  # the two copies of w*x
L.backward()
print(f"L = {L.data}")
print(f"dL/dw = {w.grad},  dL/dx = {x.grad},  dL/dy = {y.grad}")

# %% [markdown]
# The chain rule of lesson 02 said $\frac{\partial L}{\partial w} = 2(wx - y) \cdot x = 4$,
# $\frac{\partial L}{\partial x} = 6$ and $\frac{\partial L}{\partial y} = -2$. Your engine
# agrees. But look at *how* it got there. Python evaluated `w * x + Value(-1) * y` **twice**,
# so the graph has two separate copies of it, `u` and `v`, that share only the inputs
# `w`, `x`, `y`:

# %%
picture = draw_dot(L)
print(picture)  # how many boxes and circles
picture

# %% [markdown]
# So `w` is used twice: once inside `u`, once inside `v`.
#
# * The last `×` (`L = u · v`) sends `u.grad = v = 1` and `v.grad = u = 1`.
# * Inside each factor, the `×` that computed `w · x` (`wx_u` in `u`, `wx_v` in `v`) sends
#   `w` the other factor, `x = 2`, times the gradient arriving there, 1. That happens
#   **twice**, once per copy.
# * `w.grad` adds up both shares: $2 + 2 = 4$. This is the product rule,
#   $\frac{d(uv)}{dw} = u'v + uv'$, falling out of `+=`.
#
# Press ▶ and follow `w`'s box: it turns red twice.

# %%
animation = animate_backward(L)
animation

# %%
for step in animation.steps:
    for line in step.caption.split("\n"):
        if line.startswith("w.grad"):
            print(f"step {step.index}: {line}")

# %% [markdown]
# ## Try it
#
# * **Build the factor once.** Replace the long line by `d = w * x + Value(-1) * y` and
#   `L = d * d`, and re-run the cells below it. The gradients stay the same, the picture
#   shrinks (one copy of `d` instead of two), and `d.grad` becomes 2: `d` is used twice by
#   the same `×`, and its rule adds `d · L.grad` twice.
# * **Break a rule on purpose.** In the ✏️ cell, paste the solution but write
#   `self.grad += self.data * out.grad` in `*`, run it, and run the check with
#   `print(check_add_mul(Value))`. It names the rule, shows the numbers, and guesses the
#   mistake.
# * **Use `=` instead of `+=`** in the rule of `+` and run the check: which expressions
#   fail? (The ones where a value is used twice.)

# %% [markdown]
# ## Quiz

# %%
Quiz(
    "In `out = a * b`, what does the backward rule add to `a.grad`?",
    ["`out.grad`", "`a.data * out.grad`", "`b.grad * out.grad`", "`b.data * out.grad`"],
    3,
    "∂(a·b)/∂a = b, and the chain rule multiplies it by the gradient that arrived at out: "
    "a.grad += b.data * out.grad. Each factor receives the *other* factor.",
)

# %%
Quiz(
    "Why does `backward()` sort the values before running the rules?",
    [
        "to print them in a nice order",
        "so that a value's rule runs only after every use of that value has added its share "
        "to its grad",
        "because Python sets are unordered",
        "sorting makes the forward pass faster",
    ],
    1,
    "A rule passes on its node's grad. If it ran before some later use of the node had added "
    "its share, it would pass on an incomplete gradient. Lesson 05 looks at this order closely.",
)

# %%
Quiz(
    "In `L = (w*x + Value(-1)*y) * (w*x + Value(-1)*y)`, each copy of `w*x` sends 2 to `w`. "
    "Why does `w.grad` end at 4?",
    [
        "`backward()` ran twice",
        "the last `*` doubles every gradient",
        "`w` is used twice (once per copy), and each rule adds its share with `+=`",
        "it is a bug: it should be 2",
    ],
    2,
    "w feeds both copies, so the output depends on w along two paths. The chain rule sums the "
    "paths: 2 + 2 = 4, exactly 2(wx - y)·x from lesson 02.",
)

# %% [markdown]
# ## Summary
#
# * A `Value` stores `data`, `grad`, its inputs `_prev`, its operation `_op`, and its
#   backward rule `_backward(out)` (plus an optional `label`, used only in pictures).
# * Each operation has a **forward** half (compute, remember the inputs) and a **backward**
#   half (local derivative × `out.grad`, added into each input's grad).
# * `+` copies the gradient to both inputs; `*` sends each input the *other* input's value
#   times the gradient.
# * `backward()` puts the values in topological order, seeds the output with 1, and runs
#   the rules from the output back to the inputs.
# * Rules use `+=`: a value used several times collects the **sum** of its gradients.
#
# **[Next: 04 · More operations](04_more_ops.ipynb)** — `**`, `exp`, `tanh`, `relu`…, and
# what goes wrong with `=`.
