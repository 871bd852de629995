# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # 06 · Forward vs reverse mode
#
# There is another way to compute derivatives automatically: carry them **forward**, right
# next to the numbers, with no graph at all. So why does every deep-learning library run
# backward?
#
# **Goals**
#
# * Write the rules of **dual numbers** yourself, and compute derivatives in **forward mode**
#   with them: one pass, no graph.
# * Measure the cost of a gradient of `f: Rⁿ → R`: forward mode needs **n passes**, reverse
#   mode **one**.
# * See why **symbolic differentiation** is not the answer either: its formulas swell.
# * Know when forward mode **wins**: few inputs, many outputs.
#
# **Builds on:** [05 · How backward works](05_how_backward_works.ipynb) (the graph, and the
# backward pass that walks it once).

# %% [markdown]
# This lesson compares forward mode with the reverse mode of **your** `Value` (lessons
# 03-05): the next cell loads it, and says whose code each piece is. It also says whether you
# have finished lesson 05 (its exercises passed, its quiz answered right); go on either way.

# %%
import math

from autograd import check_dual, prefer_yours, quiz, start_lesson, study_with_ai

engine = start_lesson("06")  # your code from lessons 03-05 where it passed, else the reference
Value = engine.Value
engine

# %% [markdown]
# ## The idea
#
# Reverse mode (your `Value`) works in two passes: compute forward while recording a graph,
# then walk the graph backward to get `dL/d(everything)`.
#
# Forward mode does it in **one pass, as it goes**. Every number carries a second number:
# its rate of change. Write a number as `a + a'·ε`, where `ε` is a new symbol with
# **`ε² = 0`** (think of a nudge so tiny that its square vanishes). Multiply two of them:
#
# `(a + a'ε)·(b + b'ε) = ab + (a'b + ab')ε + a'b'ε² = ab + (a'b + ab')ε`
#
# The `ε` part is the **product rule**, for free! These numbers are called **dual numbers**.
# To get `f'(x)`, feed `f` the dual number `x + 1·ε` ("x changes at rate 1"), and read the
# `ε` part of the answer.
#
# ## Exercise: your dual numbers
#
# ✏️ Complete the class `Dual`: a dual number `value + deriv·ε`. Each operation computes
# the `value` as with plain numbers, and the `deriv` (the ε part) by the algebra above,
# which comes out as a rule of differentiation. `__add__` is done as the example; write:
#
# * `__sub__`: `(a + a'ε) − (b + b'ε)`;
# * `__mul__`: the product rule, from the line above;
# * `__truediv__`: the quotient rule, `(a/b)' = (a'·b − a·b') / b²`;
# * `__pow__(n)` for a plain number `n`: `(aⁿ)' = n·aⁿ⁻¹·a'`;
# * `exp` and `tanh`: `exp' = exp` and `tanh' = 1 − tanh²`, each times `a'` (the chain
#   rule: `f(a + a'ε) = f(a) + f'(a)·a'ε`).
#
# A plain number `c` is the constant `c + 0·ε` (`Dual.wrap`), so `2 * x` and `1 - x` work
# too (the methods at the end, given).

# %% tags=["exercise"]
class Dual:
    """A dual number value + deriv·ε, where ε² = 0: a number and its rate of change."""

    def __init__(self, value, deriv=0.0):
        self.value = float(value)
        self.deriv = float(deriv)

    def __repr__(self):
        return f"Dual(value={self.value:.4g}, deriv={self.deriv:.4g})"

    @staticmethod
    def wrap(x):
        """A plain number c is the constant c + 0·ε."""
        return x if isinstance(x, Dual) else Dual(x, 0.0)

    def __add__(self, other):  # (a + a'ε) + (b + b'ε) = (a + b) + (a' + b')ε
        other = Dual.wrap(other)
        return Dual(self.value + other.value, self.deriv + other.deriv)

    def __sub__(self, other):
        # ✏️ like __add__
        raise NotImplementedError("write Dual.__sub__")

    def __mul__(self, other):
        # ✏️ the product rule: (ab)' = a'b + ab'
        raise NotImplementedError("write Dual.__mul__")

    def __truediv__(self, other):
        # ✏️ the quotient rule: (a/b)' = (a'b - ab') / b²
        raise NotImplementedError("write Dual.__truediv__")

    def __pow__(self, n):
        # ✏️ n is a plain number: (aⁿ)' = n·aⁿ⁻¹·a'
        raise NotImplementedError("write Dual.__pow__")

    def exp(self):
        # ✏️ exp' = exp, times the inner derivative a'
        raise NotImplementedError("write Dual.exp")

    def tanh(self):
        # ✏️ tanh' = 1 - tanh², times a'
        raise NotImplementedError("write Dual.tanh")

    # a plain number on the left: 2 * x, 1 - x, 1 / x
    def __radd__(self, other):
        return Dual.wrap(other) + self

    def __rmul__(self, other):
        return Dual.wrap(other) * self

    def __rsub__(self, other):
        return Dual.wrap(other) - self

    def __rtruediv__(self, other):
        return Dual.wrap(other) / self


# %% [markdown]
# The check gives every input a random value **and a random rate** (`Dual(a, a')` with
# `a'` not 1): think of `a(t) = a + a'·t`. The ε part of `f(a, b)` must then be the
# derivative of `f(a(t), b(t))` at `t = 0`, which the check gets from central differences on
# plain floats. Each operation is checked alone, with plain numbers, and inside bigger
# expressions; then two whole gradients, one pass per input.

# %%
check_dual(Dual)

# %% [markdown]
# **Solution** (open only if stuck). Run this cell either way: if your code passed the check
# it keeps yours; otherwise the lesson goes on with the solution.

# %% tags=["solution"] jupyter={"source_hidden": true}
### BEGIN SOLUTION
class Dual:
    """A dual number value + deriv·ε, where ε² = 0: a number and its rate of change."""

    def __init__(self, value, deriv=0.0):
        self.value = float(value)
        self.deriv = float(deriv)

    def __repr__(self):
        return f"Dual(value={self.value:.4g}, deriv={self.deriv:.4g})"

    @staticmethod
    def wrap(x):
        """A plain number c is the constant c + 0·ε."""
        return x if isinstance(x, Dual) else Dual(x, 0.0)

    def __add__(self, other):  # (a + a'ε) + (b + b'ε) = (a + b) + (a' + b')ε
        other = Dual.wrap(other)
        return Dual(self.value + other.value, self.deriv + other.deriv)

    def __sub__(self, other):
        other = Dual.wrap(other)
        return Dual(self.value - other.value, self.deriv - other.deriv)

    def __mul__(self, other):  # the product rule: (ab)' = a'b + ab'
        other = Dual.wrap(other)
        return Dual(self.value * other.value, self.deriv * other.value + self.value * other.deriv)

    def __truediv__(self, other):  # the quotient rule: (a/b)' = (a'b - ab') / b²
        other = Dual.wrap(other)
        a, b = self.value, other.value
        return Dual(a / b, (self.deriv * b - a * other.deriv) / b**2)

    def __pow__(self, n):  # n a plain number: (aⁿ)' = n·aⁿ⁻¹·a'
        return Dual(self.value**n, n * self.value ** (n - 1) * self.deriv)

    def exp(self):  # exp' = exp, times the inner derivative (chain rule)
        e = math.exp(self.value)
        return Dual(e, e * self.deriv)

    def tanh(self):  # tanh' = 1 - tanh²
        t = math.tanh(self.value)
        return Dual(t, (1 - t**2) * self.deriv)

    # a plain number on the left: 2 * x, 1 - x, 1 / x
    def __radd__(self, other):
        return Dual.wrap(other) + self

    def __rmul__(self, other):
        return Dual.wrap(other) * self

    def __rsub__(self, other):
        return Dual.wrap(other) - self

    def __rtruediv__(self, other):
        return Dual.wrap(other) / self
### END SOLUTION
prefer_yours("06.dual")

# %% [markdown]
# ## The code
#
# ### Forward mode with your dual numbers
#
# Take `f(x) = x³ + 2x` at `x = 2`. By hand, `f(2) = 12` and `f'(x) = 3x² + 2 = 14`:

# %%
x = Dual(2.0, 1.0)  # x = 2, changing at rate dx/dx = 1
y = x * x * x + 2 * x
print(y)

# %% [markdown]
# One pass, no graph, no backward: the derivative 14 rode along with the value 12.
# `derivative(f, x)` wraps those steps, and reverse mode (your `Value`) agrees:


# %%
def derivative(f, x):
    """f'(x) in one forward pass: seed x + 1·ε, read the ε part of the result."""
    return f(Dual(x, 1.0)).deriv


def f(x):
    return x * x * x + 2 * x


xv = Value(2.0)
f(xv).backward()
print("forward mode:", derivative(f, 2.0))
print("reverse mode:", xv.grad)

# %% [markdown]
# Each operation's `ε` part follows the chain rule, so compositions work out by themselves.
# For example `d/dx tanh(x²) = 2x·(1 − tanh²(x²))`:

# %%
print("forward mode:", derivative(lambda x: (x**2).tanh(), 0.5))
print("by hand:     ", 2 * 0.5 * (1 - math.tanh(0.5**2) ** 2))

# %% [markdown]
# ### Many inputs: n passes vs one
#
# A dual number carries **one** rate of change: the derivative with respect to the input
# we seeded with `1`. For a function of `n` inputs, the full gradient needs `n` forward
# passes: pass `i` seeds input `i` with 1 and the others with 0. `forward_gradient` below
# does exactly that.
#
# Let us take `f(x₀, …, xₙ₋₁) = x₀x₁ + x₁x₂ + … + xₙ₋₁x₀` (each input times the next, in a
# ring), whose gradient is `∂f/∂xᵢ = xᵢ₋₁ + xᵢ₊₁`. Both modes agree:

# %%
import random


def forward_gradient(f, xs):
    """The gradient by forward mode: one pass per input, seeding that input's rate with 1."""
    grad = []
    for i in range(len(xs)):
        duals = [Dual(x, 1.0 if j == i else 0.0) for j, x in enumerate(xs)]
        grad.append(f(*duals).deriv)
    return grad


def ring(*xs):
    """x0·x1 + x1·x2 + ... + x(n-1)·x0: works on Duals and on Values."""
    n = len(xs)
    total = xs[0] * xs[1 % n]
    for i in range(1, n):
        total = total + xs[i] * xs[(i + 1) % n]
    return total


def reverse_gradient(f, xs):
    """The gradient by reverse mode: one forward pass building the graph, one backward."""
    values = [Value(x) for x in xs]
    f(*values).backward()
    return [v.grad for v in values]


xs = [1.0, 2.0, 3.0, 4.0, 5.0]
print("forward mode:", forward_gradient(ring, xs))
print("reverse mode:", reverse_gradient(ring, xs))
print("by hand:     ", [xs[i - 1] + xs[(i + 1) % 5] for i in range(5)])

# %% [markdown]
# Now count the work. `ring` of `n` inputs does `2n − 1` operations. Forward mode runs it
# `n` times. Reverse mode runs it once, then runs one backward rule per operation:

# %%
from autograd import topological_order


def count_ops(f, n):
    """How many operations one evaluation of f does: the non-leaf nodes of its graph."""
    out = f(*[Value(1.0) for _ in range(n)])
    return sum(1 for node in topological_order(out) if node._prev)


print(
    f"{'n':>6} {'ops in f':>9} {'forward: passes':>16} {'ops run':>10} "
    f"{'reverse: passes':>16} {'ops run':>8}"
)
for n in [1, 10, 100, 1000]:
    ops = count_ops(ring, n)
    print(f"{n:>6} {ops:>9} {n:>16} {n * ops:>10,} {'1 fwd + 1 bwd':>16} {2 * ops:>8,}")

# %% [markdown]
# Forward mode's work grows like `n²` here, reverse mode's like `n`. A neural network has
# one loss and **millions** of inputs (its parameters): forward mode would need millions of
# passes per training step.
#
# The clocks agree. (Timings vary from run to run, so they are only plotted.) Each point is
# the fastest of a few runs, with Python's garbage collector paused, as Python's `timeit`
# does: otherwise a collection that happens to start during one size's runs puts a kink in
# the curve.

# %%
import gc
import time

import matplotlib.pyplot as plt


def seconds(fn, repeats=5):
    """The fastest of a few runs: the least disturbed by whatever else the machine does."""
    best = float("inf")
    gc.disable()  # no garbage-collector pauses at random moments (like Python's timeit)
    try:
        for _ in range(repeats):
            start = time.perf_counter()
            fn()
            best = min(best, time.perf_counter() - start)
    finally:
        gc.enable()
    return best


sizes = [10, 25, 50, 75, 100, 150, 200]
rng = random.Random(0)
t_forward, t_reverse = [], []
gc.collect()  # start the measurements with no garbage left over
for n in sizes:
    point = [rng.uniform(-1, 1) for _ in range(n)]
    t_forward.append(seconds(lambda point=point: forward_gradient(ring, point)))
    t_reverse.append(seconds(lambda point=point: reverse_gradient(ring, point)))

fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(sizes, [1000 * t for t in t_forward], "o-", label="forward mode (n passes)")
ax.plot(sizes, [1000 * t for t in t_reverse], "s-", label="reverse mode (1 pass + backward)")
ax.set_xlabel("n, the number of inputs")
ax.set_ylabel("time for the full gradient (ms)")
ax.set_title("Gradient of ring(x₀, …, xₙ₋₁)")
ax.legend()
fig.tight_layout()
plt.show()

# %% [markdown]
# The forward-mode curve bends upward (a parabola: `n` passes of `2n − 1` operations), while
# reverse mode stays a nearly flat line at the bottom.
#
# ### Why not just differentiate the formula?
#
# A third option is what you learned at school, done by a computer: **symbolic
# differentiation**. Turn the formula into a tree, apply the rules (`d(u+v) = du + dv`,
# `d(u·v) = du·v + u·dv`), get a new formula. Here is a complete one for `+` and `*`:


# %%
class Expr:
    """A formula as a tree. Leaves are variables and constants; inner nodes are + and *."""

    def __add__(self, other):
        return Add(self, wrap(other))

    def __radd__(self, other):
        return Add(wrap(other), self)

    def __mul__(self, other):
        return Mul(self, wrap(other))

    def __rmul__(self, other):
        return Mul(wrap(other), self)


class Var(Expr):
    def __init__(self, name):
        self.name = name

    def __str__(self):
        return self.name


class Const(Expr):
    def __init__(self, value):
        self.value = value

    def __str__(self):
        return f"{self.value:g}"


class Add(Expr):
    def __init__(self, a, b):
        self.a, self.b = a, b

    def __str__(self):
        return f"({self.a} + {self.b})"


class Mul(Expr):
    def __init__(self, a, b):
        self.a, self.b = a, b

    def __str__(self):
        return f"{self.a}·{self.b}"


def wrap(x):
    return x if isinstance(x, Expr) else Const(x)


def d(e, var):
    """The derivative of the formula e with respect to the variable named var."""
    if isinstance(e, Var):
        return Const(1 if e.name == var else 0)
    if isinstance(e, Const):
        return Const(0)
    if isinstance(e, Add):
        return d(e.a, var) + d(e.b, var)
    return d(e.a, var) * e.b + e.a * d(e.b, var)  # product rule


def size(e):
    """How many symbols the formula has when written out: its number of tree nodes."""
    if isinstance(e, (Add, Mul)):
        return 1 + size(e.a) + size(e.b)
    return 1


def evaluate(e, env):
    if isinstance(e, Var):
        return env[e.name]
    if isinstance(e, Const):
        return e.value
    if isinstance(e, Add):
        return evaluate(e.a, env) + evaluate(e.b, env)
    return evaluate(e.a, env) * evaluate(e.b, env)


x = Var("x")
p3 = (x + 1) * (x + 2) * (x + 3)
print("p(x)  =", p3)
print("p'(x) =", d(p3, "x"))
print("p'(2) =", evaluate(d(p3, "x"), {"x": 2.0}), "  (by hand: 3·2² + 12·2 + 11 = 47)")

# %% [markdown]
# Correct, but look at the length! A computer algebra system would tidy up the `0`s and
# `1`s. Even then, the derivative of a product of `n` factors is a sum of `n` products of
# `n − 1` factors each: it grows like **n²**.
#
# Let us count, for the product `(x + 1)(x + 2)…(x + n)`:
#
# * the size of the formula `p` and of its derivative `d(p)`, as written out;
# * the graph that reverse mode uses: the nodes of the forward graph of `p` (built once),
#   and the number of backward rules it runs to get `p'`.


# %%
def product_formula(n):
    x = Var("x")
    p = x + 1
    for k in range(2, n + 1):
        p = p * (x + k)
    return p


def product_graph(n):
    x = Value(2.0, label="x")
    p = x + 1
    for k in range(2, n + 1):
        p = p * (x + k)
    return x, p


print(
    f"{'n':>4} {'size of p':>10} {'size of dp/dx':>14}   {'graph nodes':>11} {'backward rules':>15}"
)
for n in [2, 4, 8, 16, 32, 64]:
    p = product_formula(n)
    dp = d(p, "x")
    x_, p_graph = product_graph(n)
    nodes = topological_order(p_graph)
    rules = sum(1 for node in nodes if node._prev)
    print(f"{n:>4} {size(p):>10} {size(dp):>14,}   {len(nodes):>11} {rules:>15}")

# %% [markdown]
# The formula for `p` grows by 4 symbols per factor, but its derivative grows much faster:
# double `n` and it roughly **quadruples** (64 factors: over 8,000 symbols, even before
# expanding anything). The autodiff graph doubles when `n` doubles, and backward runs one
# rule per operation.
#
# Why the difference? The symbolic derivative writes out the same sub-products again and
# again in every term. Autodiff never writes a formula: it keeps **numbers**, computes each
# intermediate result **once**, and reuses it. (The two agree, of course:)

# %%
x_, p_graph = product_graph(8)
p_graph.backward()
print("autodiff:", x_.grad)
print("symbolic:", evaluate(d(product_formula(8), "x"), {"x": 2.0}))

# %% [markdown]
# Swell gets worse with **repeated composition**, the shape of every deep network. Apply
# `g(u) = u·u + x` again and again: a program computes `u` once per step, but a formula
# must write `u` out twice at each step, so its size **doubles** every step:

# %%
print(f"{'steps':>5} {'size of formula':>16} {'size of derivative':>19}   {'graph nodes':>11}")
for steps in [1, 2, 4, 8, 12]:
    x = Var("x")
    u = x
    for _ in range(steps):
        u = u * u + x  # the same u object is used twice: the tree repeats it
    xv = Value(0.5, label="x")
    uv = xv
    for _ in range(steps):
        uv = uv * uv + xv
    nodes = len(topological_order(uv))
    print(f"{steps:>5} {size(u):>16,} {size(d(u, 'x')):>19,}   {nodes:>11}")

# %% [markdown]
# Twelve steps: a formula of over 16,000 symbols and a derivative of nearly 200,000,
# against a graph of 25 nodes.
#
# ### When forward mode wins
#
# Reverse mode gives **all inputs' derivatives of one output** per backward pass. Forward
# mode gives **one input's derivative of all outputs** per pass. So the winner depends on
# the shape of `f: Rⁿ → Rᵐ`:
#
# | | forward mode | reverse mode |
# |---|---|---|
# | passes for the full Jacobian (all m × n derivatives) | n | m |
# | best when | **few inputs**, many outputs | **many inputs**, few outputs (a loss!) |
# | memory | nothing extra | the whole graph, until backward is done |
#
# A typical forward-mode case: a simulation with **one** parameter and **many** outputs. A
# population grows by `x ← x + r·x·(1 − x)` each year, with growth rate `r`. How does each
# year's population change with `r`? One forward pass answers for all years at once:


# %%
def population(r, years=40):
    """Logistic growth from x = 0.1: the population in each year (a list of `years` values)."""
    x = 0.1
    history = []
    for _ in range(years):
        x = x + r * x * (1 - x)
        history.append(x)
    return history


r = Dual(0.3, 1.0)  # seed: d r / d r = 1
history = population(r)
print("passes: 1 (forward mode)")
for year in [10, 40]:
    h = history[year - 1]
    print(f"year {year}: x = {h.value:.4f}, dx/dr = {h.deriv:.4f}")

# Reverse mode needs one backward pass per output: one per year.
r_v = Value(0.3)
history_v = population(r_v)
rules_run = 0
derivs_reverse = []
for out in history_v:
    r_v.grad = 0.0
    out.backward()
    rules_run += sum(1 for node in topological_order(out) if node._prev)
    derivs_reverse.append(r_v.grad)
print(f"passes: {len(history_v)} backward passes (reverse mode), {rules_run:,} rules run")
print("same derivatives:", all(math.isclose(h.deriv, g) for h, g in zip(history, derivs_reverse)))

# %%
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.2))
years = range(1, len(history) + 1)
ax1.plot(years, [h.value for h in history], "o-", ms=3)
ax1.set_xlabel("year")
ax1.set_ylabel("population x")
ax1.set_title("x, with r = 0.3")
ax2.plot(years, [h.deriv for h in history], "o-", ms=3, color="C1")
ax2.set_xlabel("year")
ax2.set_ylabel("dx / dr")
ax2.set_title("its sensitivity to r: one forward pass")
fig.tight_layout()
plt.show()

# %% [markdown]
# The sensitivity rises while the population grows (a faster rate gets there sooner), then
# falls back to 0: every growth rate ends at the same population, 1.
#
# **Jacobian-vector products.** Seeding the inputs with any direction `v` (not just
# `0, …, 1, …, 0`) gives the derivative of `f` **along `v`** in one pass: `Σᵢ vᵢ·∂f/∂xᵢ`,
# a *Jacobian-vector product*. Methods that probe a function one direction at a time (some
# equation solvers do) get each probe from forward mode for the cost of about one evaluation.
# Checked against the reverse-mode gradient:

# %%
xs = [1.0, 2.0, 3.0, 4.0, 5.0]
v = [0.5, -1.0, 0.0, 2.0, 1.0]
jvp = ring(*[Dual(x, vi) for x, vi in zip(xs, v)]).deriv
grad = reverse_gradient(ring, xs)
print("forward mode, one pass:       ", jvp)
print("reverse gradient · v:         ", sum(g * vi for g, vi in zip(grad, v)))

# %% [markdown]
# ## The picture
#
# The two modes walk the **same graph** in opposite directions, and fill in different
# numbers. Here is `f(a, b) = a·b + a` at `a = 2, b = −3`:
#
# * **forward mode** (seed `a' = 1, b' = 0`) pushes rates **from the inputs to the output**:
#   every node learns how fast **it** changes when `a` changes. That gives `∂f/∂a` only;
#   `∂f/∂b` needs a second pass.
# * **reverse mode** pulls gradients **from the output to the inputs**: every node learns
#   how fast **the output** changes when **it** changes, so one pass fills in both `∂f/∂a`
#   and `∂f/∂b`.

# %%
a = Value(2.0, label="a")
b = Value(-3.0, label="b")
ab = a * b
ab.label = "ab"
out = ab + a
out.label = "f"
out.backward()  # reverse mode: the grads in the picture below

a_d, b_d = Dual(2.0, 1.0), Dual(-3.0, 0.0)  # forward mode, seeded for a
ab_d = a_d * b_d
f_d = ab_d + a_d

print("node  value   forward: d(node)/da   reverse: df/d(node)")
for name, v, dual in [("a", a, a_d), ("b", b, b_d), ("ab", ab, ab_d), ("f", out, f_d)]:
    print(f"{name:<4} {v.data:>6g} {dual.deriv:>21g} {v.grad:>22g}")

# the same graph twice: arrows the way each mode sends its numbers
positions = {"a": (0.0, 1.0), "b": (0.0, 0.0), "ab": (1.3, 0.3), "f": (2.6, 0.8)}
edges = [("a", "ab"), ("b", "ab"), ("ab", "f"), ("a", "f")]
nodes = {"a": (a, a_d), "b": (b, b_d), "ab": (ab, ab_d), "f": (out, f_d)}
fig, axes = plt.subplots(1, 2, figsize=(10, 3.4))
for ax, mode, colour in [(axes[0], "forward", "C0"), (axes[1], "reverse", "C1")]:
    boxes = {}
    for name, (node, dual) in nodes.items():
        if mode == "forward":
            rate = f"d{name}/da = {dual.deriv:g}"
        else:
            rate = f"df/d{name} = {node.grad:g}"
        box = dict(boxstyle="round", fc="white", ec=colour)
        label = f"{name} = {node.data:g}\n{rate}"
        boxes[name] = ax.text(*positions[name], label, ha="center", va="center", bbox=box)
    for u, v in edges:
        if mode == "reverse":
            u, v = v, u  # the gradient flows from the output back
        ax.annotate("", xy=positions[v], xytext=positions[u], arrowprops=dict(
            arrowstyle="-|>", mutation_scale=14, color=colour, lw=1.5,
            patchA=boxes[u].get_bbox_patch(), patchB=boxes[v].get_bbox_patch()))  # fmt: skip
    ax.set_xlim(-0.5, 3.1)
    ax.set_ylim(-0.35, 1.35)
    ax.axis("off")
axes[0].set_title("forward mode (seed a' = 1, b' = 0):\nd(node)/da, from the inputs to f")
axes[1].set_title("reverse mode (seed df/df = 1):\ndf/d(node), from f to the inputs")
fig.tight_layout()
plt.show()

# %% [markdown]
# Same graph, same values, different questions. On the left, each node answers "if `a`
# changes, how fast do **I** change?"; on the right, "if **I** change, how fast does `f`
# change?". Both give `∂f/∂a = -2`: forward mode at `f`, reverse mode at `a`. Reverse mode
# also has `∂f/∂b = 2` from the same pass; forward mode needs a second pass for it, seeded
# `a' = 0, b' = 1`.

# %% [markdown]
# ## Try it
#
# * Compute `derivative(lambda x: x.exp() / (1 + x * x), 0.5)` with your `Dual` and check
#   it against your `Value` and `.backward()`. (At `x = 1` this derivative is exactly 0: a fine answer, but
#   a weak test.)
# * In the cost plot, add larger sizes (400, 600): the forward-mode curve keeps bending up.
# * Give your `Dual` a `log` (`log' = 1/x`) or a `sin` (`sin' = cos`), and compare
#   `derivative` with the rule you know.
# * Change `g(u) = u·u + x` to `g(u) = u·x + 1`, which uses `u` only once per step: the
#   formula no longer doubles. Sharing is what makes formulas swell.
# * Seed `Dual(0.3, 1.0)` with a different `r` (try 0.1 and 0.8) and watch the peak of
#   `dx/dr` move.
#
# ## Quiz
#
# Pick an answer: a wrong one tells you the misconception behind it, the right one why it is
# right. The last question is about the **Try it** list above. Your answers are saved (see
# `progress()` in [00 · Start here](00_start_here.ipynb)).

# %%
quiz("06")

# %% [markdown]
# ## Study this lesson with an AI
#
# Three prompts, to use in order: explain the idea (here: reverse mode, forward mode with
# dual numbers, and symbolic differentiation, compared), walk through this lesson's demo,
# quiz me on the try-it list. Copy one into the assistant of your choice
# (nothing is sent anywhere from here). Once you have saved some exercise code, the
# walkthrough prompt includes it.

# %%
study_with_ai("06")

# %% [markdown]
# ## Summary
#
# * **Forward mode**: dual numbers `a + a'ε` with `ε² = 0` carry each derivative along with
#   its value. The product rule falls out of the algebra, and you wrote the rules of `-`,
#   `*`, `/`, `**`, `exp` and `tanh` from it. No graph, no extra memory.
# * One forward pass gives the derivatives with respect to **one** input (or along one
#   direction `v`: a Jacobian-vector product). A gradient of `f: Rⁿ → R` needs **n passes**;
#   reverse mode needs **one** forward and **one** backward pass, whatever `n` is.
# * **Symbolic differentiation** writes formulas, which swell: the derivative of a
#   64-factor product has over 8,000 symbols, and repeated composition doubles the size at
#   each step. Autodiff computes numbers and reuses every intermediate result.
# * Forward mode wins with **few inputs and many outputs**; reverse mode with many inputs
#   and **one output** — the loss of a neural network.
#
# [Next: 07 · A neural net](07_neural_net.ipynb)
