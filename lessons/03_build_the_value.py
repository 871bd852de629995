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
# * know the six things a `Value` stores (the sixth, `label`, only for pictures), and why
#   each is there;
# * write the **backward rules** of `+` and `*` — the chain rule, one operation at a time;
# * run backpropagation through **your own class**, and watch it;
# * see why a value used twice collects the **sum** of its gradients;
# * see that gradients **accumulate** when you call `backward()` twice, and how to reset them.
#
# **Builds on:** [02 · The chain rule](02_chain_rule.ipynb) (local derivatives, and the
# backward sweep from the output to the inputs). The cell below says whether you have
# finished lesson 02 (its exercises passed, its quiz answered right); go on either way.

# %%
from autograd import start_lesson

start_lesson("03")

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
# * the **forward** half computes the new number `out`, and remembers its inputs (`_prev`)
#   and the operation's name (`_op`);
# * the **backward** half is a small function `_backward()`, written *inside* the operation
#   and stored on `out`. It takes the gradient that arrived at the result, `out.grad`,
#   multiplies it by each local derivative, and **adds** it to that input's `grad`.
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
# First the tools this lesson uses:

# %%
import autograd
from autograd import animate_backward, check_add_mul, draw_dot, prefer_yours, quiz, study_with_ai

# %% [markdown]
# Here is the part of `Value` that is not about any particular operation: what it stores,
# how it prints, and `backward()`, which runs the rules in the right order. Read it
# top to bottom; the comments say why each line is there.

# %%
class Value:
    """A number that remembers how it was computed."""

    def __init__(self, data, _prev=(), _op="", label=""):
        self.data = float(data)  # the number itself
        self.grad = 0.0  # d(output)/d(this value): filled in by backward()
        self._prev = tuple(_prev)  # the Values this one was computed from, in order
        self._op = _op  # the operation that made it: "+", "*"; "" for an input
        self._backward = None  # its backward rule (set by the operation); inputs have none
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
        # 2. Reset the values computed along the way (they hold only this pass's
        #    gradients), and seed the output: d(self)/d(self) = 1. The inputs (leaves)
        #    are NOT reset: a second backward() adds to their grads.
        for node in order:
            if node._prev:
                node.grad = 0.0
        self.grad = 1.0
        # 3. Run each backward rule, from the output back to the inputs. A node comes
        #    after everything that uses it, so its grad is complete when its rule runs.
        for node in reversed(order):
            if node._backward is not None:
                node._backward()

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
# ### ✏️ The backward rules of `+` and `*`
#
# Complete the backward rules of `+` and `*` below. The forward halves are given; replace
# each `raise NotImplementedError(...)` line with two lines that add into `self.grad` and
# `other.grad`. (Inside the methods, `self` is the left input `a` and `other` the right
# input `b`.)
#
# `_backward` takes no argument: it is defined inside the method, so it can use the
# method's `self`, `other` and `out` directly (a *closure*: a function that keeps the
# variables around it). `out._backward = _backward` stores it on the new value, and
# `backward()` later calls `node._backward()` for every node.
#
# The two methods are written outside the class and then attached to it
# (`Value.__add__ = __add__`), so that this cell holds only your work. Python lets you add
# methods to a class at any time.


# %% tags=["exercise"]
def __add__(self, other):
    other = other if isinstance(other, Value) else Value(other)  # lets you write a + 1
    out = Value(self.data + other.data, (self, other), "+")  # forward (given)

    def _backward():
        # ✏️ Exercise: the backward rule of +.  d(out)/d(self) = 1,  d(out)/d(other) = 1
        raise NotImplementedError("write the backward rule of +")

    out._backward = _backward
    return out


def __mul__(self, other):
    other = other if isinstance(other, Value) else Value(other)  # lets you write a * 2
    out = Value(self.data * other.data, (self, other), "*")  # forward (given)

    def _backward():
        # ✏️ Exercise: the backward rule of *.  d(out)/d(self) = other,  d(out)/d(other) = self
        raise NotImplementedError("write the backward rule of *")

    out._backward = _backward
    return out


Value.__add__ = __add__
Value.__mul__ = __mul__

# %% [markdown]
# Now check your rules. `check_add_mul(Value)` builds small expressions (`a + b`, `a * a`,
# `(a + b) * c`, `a + 2`, ...) from fresh random numbers, runs **your** rules, and compares
# every gradient with a central difference. It also runs your class's own `backward()`
# once per rule, to be sure the two fit together. Until everything is right, it names the
# rule that fails; `print(check_add_mul(Value))` shows an example with the value it
# expected and the value it got, and a hint.
#
# As shipped, the rules are still stubs, so the check says *not yet*:

# %%
check_add_mul(Value)

# %% [markdown]
# **Solution** (open only if stuck). Run this cell either way: if your rules passed the
# check, it keeps **yours**; otherwise the lesson goes on with the solution.

# %% tags=["solution"] jupyter={"source_hidden": true}
### BEGIN SOLUTION
def __add__(self, other):
    other = other if isinstance(other, Value) else Value(other)  # lets you write a + 1
    out = Value(self.data + other.data, (self, other), "+")

    def _backward():
        self.grad += out.grad  # + copies the incoming gradient...
        other.grad += out.grad  # ...to both inputs

    out._backward = _backward
    return out


def __mul__(self, other):
    other = other if isinstance(other, Value) else Value(other)  # lets you write a * 2
    out = Value(self.data * other.data, (self, other), "*")

    def _backward():
        self.grad += other.data * out.grad  # each input gets the OTHER one's value
        other.grad += self.data * out.grad

    out._backward = _backward
    return out


Value.__add__ = __add__
Value.__mul__ = __mul__
### END SOLUTION
prefer_yours("03.add_mul")

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
print(type(c).__name__, "defined in", type(c).__module__)  # your class, not autograd's

# %%
draw_dot(c)

# %% [markdown]
# A value you did not name is drawn as `n` and its place in the graph: `n2` is `a * b`.
#
# Press ▶. Watch `a`: it is used twice, so it receives gradient twice — first `+1` from
# the `+`, then `-3` from the `×` — and ends at `-2`. That is the `+=` at work.

# %%
animate_backward(c)

# %% [markdown]
# ### A worked example: lesson 02's loss, with your engine
#
# Your `Value` has only `+` and `*` so far, but that is enough for lesson 02's loss
# $L = (wx - y)^2$ at $w = 3$, $x = 2$, $y = 5$: write $wx - y$ as `w*x + Value(-1)*y`, and
# the square as a product.

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
# (The unnamed values are drawn as `n` and their place in the graph. `n3` and `n8`, with
# data -1, are the two constants `Value(-1)`: leaves like `w`, so they too receive a
# gradient, 5.0 — `y`'s value times the 1 arriving — that nothing uses.)
#
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
# **Build the factor once.** Give the factor a name, `d = w*x + Value(-1)*y`, and square
# that: `L = d * d`. Same gradients, a smaller graph (one copy of `d` instead of two) — and
# now `d` is used twice by the *same* `×`, whose rule adds `d · L.grad` into `d.grad` twice,
# so `d.grad` becomes $2d = 2$:

# %%
w = Value(3.0, label="w")
x = Value(2.0, label="x")
y = Value(5.0, label="y")
d = w * x + Value(-1) * y
d.label = "d"
L = d * d
L.label = "L"
L.backward()
print(f"dL/dw = {w.grad},  dL/dx = {x.grad},  dL/dy = {y.grad}")
print(f"d = {d.data},  d.grad = {d.grad}")
print(f"one copy of d: {draw_dot(L)}   (two copies: {picture})")

# %% [markdown]
# ### Calling `backward()` twice
#
# What if you call `L.backward()` a second time, on the same graph? The values computed
# along the way (like `d`) are scratch space: `backward()` resets them first. But the
# **inputs** (the leaves `w`, `x`, `y`) are *not* reset: their rules add on top of what is
# already there, so every input's gradient **doubles**:

# %%
print(f"after one backward():   w.grad = {w.grad},  x.grad = {x.grad},  y.grad = {y.grad}")
L.backward()
print(f"after two backward()s:  w.grad = {w.grad},  x.grad = {x.grad},  y.grad = {y.grad}")

# %% [markdown]
# That is on purpose, and PyTorch does the same: gradients **accumulate** in the leaves, so
# you can add up the gradients of several losses (or several batches) before using them.
# The price: before each fresh `backward()` you must reset the leaves yourself. That reset
# is called `zero_grad`; in lesson 07 your neural network gets a `zero_grad()` method that
# does it for all its weights at once. Here it is for a few values:


# %%
def zero_grad(values):
    """Reset the gradients of these inputs to 0, before a fresh backward()."""
    for value in values:
        value.grad = 0.0


zero_grad([w, x, y])
L.backward()
print(f"zero_grad, then backward():  w.grad = {w.grad},  x.grad = {x.grad},  y.grad = {y.grad}")

# %% [markdown]
# The packaged engine, `autograd.Value`, behaves exactly the same way:

# %%
w2, x2, y2 = autograd.Value(3.0), autograd.Value(2.0), autograd.Value(5.0)
L2 = (w2 * x2 - y2) ** 2
L2.backward()
L2.backward()
print(f"autograd.Value, two backward()s:  w.grad = {w2.grad}")

# %% [markdown]
# ## Try it
#
# * **Break a rule on purpose.** In the ✏️ cell, paste the solution but write
#   `self.grad += self.data * out.grad` in `*`, run it, and run the check with
#   `print(check_add_mul(Value))`. It names the rule, shows the numbers, and guesses the
#   mistake.
# * **Use `=` instead of `+=`** in the rule of `+` and run the check: which expressions
#   fail? (`sorted({f.expression for f in check_add_mul(Value).failures})` lists them.) Each
#   of them uses a value twice, but not every expression that uses a value twice fails: why?
# * **Forget `zero_grad`.** After the `zero_grad` cell, call `L.backward()` three more
#   times, then print `w.grad`. Predict the number first. (Lesson 07 shows what a forgotten
#   `zero_grad` does to training.)
#
# The first two leave your `Value` broken for the cells below: when you are done, run the
# solution cell again (or fix your ✏️ cell and pass the check) to put working rules back.

# %% [markdown]
# ## Quiz
#
# Pick an answer: a wrong one tells you the misconception behind it, the right one why it is
# right. The last question is about the **Try it** list above. Your answers are saved (see
# `progress()` in [00 · Start here](00_start_here.ipynb)).

# %%
quiz("03")

# %% [markdown]
# ## Study this lesson with an AI
#
# Three prompts, to use in order: explain the idea, walk through this lesson's demo, quiz me
# on the try-it list. Copy one into the assistant of your choice (nothing is sent anywhere
# from here). Once you have saved some exercise code, the walkthrough prompt includes it.

# %%
study_with_ai("03")

# %% [markdown]
# ## Summary
#
# * A `Value` stores `data`, `grad`, its inputs `_prev`, its operation `_op`, and its
#   backward rule `_backward` (plus an optional `label`, used only in pictures).
# * Each operation has a **forward** half (compute, remember the inputs) and a **backward**
#   half: a closure `_backward()` that adds local derivative × `out.grad` into each input's
#   grad.
# * `+` copies the gradient to both inputs; `*` sends each input the *other* input's value
#   times the gradient.
# * `backward()` puts the values in topological order, resets the intermediate grads, seeds
#   the output with 1, and runs the rules from the output back to the inputs.
# * Rules use `+=`: a value used several times collects the **sum** of its gradients.
# * Leaf gradients **accumulate** across `backward()` calls (two calls, twice the
#   gradient): reset them with `zero_grad` before a fresh pass.
#
# **[Next: 04 · More operations](04_more_ops.ipynb)** — `**`, `-`, `/`, `exp`, `tanh`,
# `relu`…, and what goes wrong with `=`.
