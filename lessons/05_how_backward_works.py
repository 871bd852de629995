# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # 05 · How backward works
#
# Each local rule is easy. The hard part is running them **in the right order** — get it
# wrong and the gradients come out wrong, with no error message.
#
# **Goals**
#
# * See why the backward rules must run in a **topological order**, on a graph where a
#   naive recursive walk gives the wrong numbers.
# * Understand why our engine sorts the graph **without recursion**, and watch a recursive
#   sort fail on a deep graph.
# * Follow `loss.backward()` step by step — it is the same three steps in PyTorch.
# * See why each backward rule takes its output node `out` as an argument.
#
# **Builds on:** [04 · More operations](04_more_ops.ipynb) (every op's local rule, and why
# the rules use `+=`).

# %% [markdown]
# ## The idea
#
# Each backward rule takes the gradient of its output, `out.grad`, and adds its share to
# its inputs' gradients. That is only right if `out.grad` is **complete** when the rule runs.
# A node used in two places gets gradient from **both** places. So its rule must wait until
# **every** node that uses it has run its own rule.
#
# Here is the smallest graph where this matters, a *diamond*. The value `m` is used twice,
# by `a` and by `b`:
#
# ```
#              ┌─ a = m·2 ─┐
# x ── m = x·x ┤           ├─ L = a + b
#              └─ b = m·3 ─┘
# ```
#
# So `L = 2m + 3m = 5m = 5x²`, and by hand **dL/dx = 10x = 30** at `x = 3`.

# %%
from autograd import Value, draw_dot

x = Value(3.0, label="x")
m = x * x
m.label = "m"
a = m * 2
a.label = "a"
b = m * 3
b.label = "b"
L = a + b
L.label = "L"
L.backward()
print(f"L = {L.data},  dL/dx = {x.grad}  (by hand: 10·x = {10 * x.data})")
draw_dot(L)

# %% [markdown]
# The engine gets 30. (The boxes `n2` and `n4` are the constants 2 and 3: a plain number in
# `m * 2` becomes a leaf `Value`, named after its position in the graph. They get a gradient
# too, which nobody uses.)
#
# Now let us see how easy it is to get this wrong.
#
# ## The code
#
# ### Three ways to walk the graph
#
# To experiment freely, we write a tiny value class right here, in the style of
# [micrograd](https://github.com/karpathy/micrograd): each operation stores its backward
# rule as a small function (a *closure*) with no arguments. Only `+` and `*`, nothing else.


# %%
class Tiny:
    """A minimal micrograd-style value: + and * only."""

    def __init__(self, data, prev=(), label=""):
        self.data = data
        self.grad = 0.0
        self._prev = prev
        self.label = label
        self._backward = lambda: None  # a leaf has nothing to pass on

    def __add__(self, other):
        other = other if isinstance(other, Tiny) else Tiny(other)
        out = Tiny(self.data + other.data, (self, other))

        def _backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Tiny) else Tiny(other)
        out = Tiny(self.data * other.data, (self, other))

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out


def diamond():
    """x, and L = x·x·2 + x·x·3 (the diamond above)."""
    x = Tiny(3.0, label="x")
    m = x * x
    L = m * 2 + m * 3
    return x, m, L


# %% [markdown]
# **Walk 1 — run a rule every time you reach a node.** Start at `L`, run its rule, then
# recurse into each input. That is the first idea most people have:


# %%
def backward_every_reach(root):
    root.grad = 1.0

    def visit(node):
        node._backward()
        for inp in node._prev:
            visit(inp)

    visit(root)


x, m, L = diamond()
backward_every_reach(L)
print(f"walk 1 (every reach): m.grad = {m.grad},  x.grad = {x.grad}")


# %% [markdown]
# 42 instead of 30! The walk reaches `m` **twice** (once from `a`, once from `b`), so `m`'s
# rule runs twice. The first time, `m.grad` holds only `a`'s share (2); the second time it
# holds both shares (2 + 3 = 5). The rule passes on `2·x·2 = 12` and then `2·x·5 = 30`:
# the part from `a` is counted twice.
#
# **Walk 2 — run each rule once, the first time you reach it.** Remember the visited nodes:


# %%
def backward_first_reach(root):
    root.grad = 1.0
    seen = set()

    def visit(node):
        if node in seen:
            return
        seen.add(node)
        node._backward()
        for inp in node._prev:
            visit(inp)

    visit(root)


x, m, L = diamond()
backward_first_reach(L)
print(f"walk 2 (first reach): m.grad = {m.grad},  x.grad = {x.grad}")


# %% [markdown]
# Now 12: too small. `m`'s rule ran once, but **too early**, when only `a` had sent its
# share. When `b` added its share later, nobody passed it on to `x`. Notice that `m.grad`
# itself ends up right (5) in both walks — the bug is *when* the rule ran, not what it does.
#
# **Walk 3 — topological order.** First list the nodes so that every node comes **after
# its inputs** (a *topological order*: the order the forward pass could have computed them).
# Then run the rules in **reverse**: from the output back, so each node runs only after every
# node that uses it.


# %%
def topo_recursive(root):
    """Every node after its inputs, by depth-first search (like micrograd)."""
    order, seen = [], set()

    def visit(node):
        if node not in seen:
            seen.add(node)
            for inp in node._prev:
                visit(inp)
            order.append(node)  # appended only after all its inputs

    visit(root)
    return order


def backward_topological(root):
    root.grad = 1.0
    for node in reversed(topo_recursive(root)):
        node._backward()


x, m, L = diamond()
backward_topological(L)
print(f"walk 3 (topological): m.grad = {m.grad},  x.grad = {x.grad}")

# %% [markdown]
# 30, right. Side by side:

# %%
print(f"{'walk':<24}{'x.grad':>8}")
for name, walk in [
    ("1. every reach", backward_every_reach),
    ("2. first reach", backward_first_reach),
    ("3. topological order", backward_topological),
]:
    x, m, L = diamond()
    walk(L)
    verdict = "right" if x.grad == 30.0 else "WRONG"
    print(f"{name:<24}{x.grad:>8}   {verdict}")

# %% [markdown]
# On a graph **without** sharing (a tree), all three walks agree, so the naive walks can
# pass simple tests and still be wrong. Neural networks share everywhere: every input feeds
# every neuron of the first layer.
#
# ### Recursion has a depth limit
#
# `topo_recursive` calls itself once per level of the graph. Python allows only so many
# nested calls, then raises `RecursionError`:

# %%
import sys

print("Python's recursion limit:", sys.getrecursionlimit())


def chain(depth):
    """A chain of `depth` operations: y = ((x·1.001)·1.001)·..."""
    y = Value(1.0, label="x")
    for _ in range(depth):
        y = y * 1.001
    return y


for depth in [100, 500, 2_000, 5_000]:
    try:
        n = len(topo_recursive(chain(depth)))
        print(f"depth {depth:>5}: recursive sort OK, {n} nodes")
    except RecursionError as err:
        print(f"depth {depth:>5}: {type(err).__name__}")

# %% [markdown]
# A couple of thousand levels is not much: any loop that computes step after step — a
# simulation with 10,000 time steps, a network reading a long text one word at a time —
# builds a graph deeper than that. (Raising the limit with `sys.setrecursionlimit` only
# moves the wall, and past a point crashes Python itself.)
#
# The engine's sort is **iterative**: it does the same depth-first walk as `topo_recursive`,
# but keeps the chain of "calls in progress" in its own list, `path`, instead of on
# Python's call stack:
#
# 1. look at the last node on `path`, and find an input of it not seen yet;
# 2. if there is one, mark it seen and push it on `path` (that is the "recursive call");
# 3. if all its inputs are seen, they are already in the order: pop the node and append it
#    to the order (that is the "return").
#
# A list can grow to millions of entries; the call stack cannot. The result is a topological
# order (inputs first); backward runs it in reverse. The packaged functions are
# `topological_order(root)` and `backward_order(root)` (the reverse):

# %%
from autograd import backward_order, topological_order

x = Value(1.0, label="x")
deep = x
for _ in range(100_000):
    deep = deep * 1.001
print("nodes in the topological order:", len(topological_order(deep)))
deep.backward()
print(f"d(x·1.001^100000)/dx = {x.grad:.6g}   (1.001^100000 = {1.001**100_000:.6g})")

# %% [markdown]
# A 100,000-deep graph, no trouble.
#
# ### What `loss.backward()` does, step by step
#
# Here is a model small enough to follow by hand: a one-weight linear model and its squared
# error, `L = (w·x + b)²`. Three operations: `*`, `+`, `**2`.

# %%
x = Value(3.0, label="x")
w = Value(-2.0, label="w")
b = Value(1.0, label="b")
z = w * x
z.label = "z"
y = z + b
y.label = "y"
L = y**2
L.label = "L"
print(f"forward: z = w·x = {z.data},  y = z + b = {y.data},  L = y² = {L.data}")

# %% [markdown]
# **Step 1 — the forward pass built a graph.** Each result remembers its inputs (`_prev`)
# and the operation that made it (`_op`). No extra work was needed to get it: the graph is a
# side effect of computing.

# %%
for node in topological_order(L):
    inputs = ", ".join(p.label for p in node._prev) or "—"
    print(f"{node.label}: op {node._op or '(leaf)':<7} inputs: {inputs}")

# %% [markdown]
# **Step 2 — sort.** `backward_order` lists the nodes outputs first:

# %%
print("backward order:", " → ".join(node.label for node in backward_order(L)))

# %% [markdown]
# **Step 3 — seed and run each rule once, in that order.** The seed is `L.grad = 1`
# (dL/dL = 1). Each op's rule is a function `rule(out)` that reads the inputs from
# `out._prev`. Let us call the rules by hand, exactly as `backward()` does, and print every
# gradient after each step:

# %%
order = backward_order(L)
for node in order:
    node.grad = 0.0
L.grad = 1.0
names = ["L", "y", "z", "b", "w", "x"]
nodes = {node.label: node for node in order}
print("after seeding".ljust(18), "  ".join(f"{n}={nodes[n].grad:>5g}" for n in names))
for node in order:
    if node._backward is not None:  # leaves have no rule
        node._backward(node)
        step = f"rule of {node.label} ({node._op})"
        print(step.ljust(18), "  ".join(f"{n}={nodes[n].grad:>5g}" for n in names))

# %% [markdown]
# Read it column by column: `dL/dy = 2y = -10`, then `+` copies -10 to both `z` and `b`,
# then `*` sends `x·(-10) = -30` to `w` and `w·(-10) = 20` to `x`. The one-call version
# agrees:

# %%
for node in order:
    node.grad = 0.0
L.backward()
print(f"L.backward():  w.grad = {w.grad},  b.grad = {b.grad},  x.grad = {x.grad}")

# %% [markdown]
# ### The same three steps in PyTorch
#
# PyTorch works the same way, in C++ and on tensors. The forward pass records a graph: each
# result carries a `grad_fn` (for example `MulBackward0`), which points to the `grad_fn`s of
# its inputs (`next_functions`). `loss.backward()` first counts how many gradients each
# function must wait for, then runs a function only once all of them have arrived (a
# different way to get the same guarantee as our reversed topological order). Leaves you created with `requires_grad=True` collect
# their gradient in `.grad`, and, like ours, they **accumulate** across calls.
#
# ```python
# # Not run here: PyTorch is not needed for this course.
# import torch
#
# x = torch.tensor(3.0)
# w = torch.tensor(-2.0, requires_grad=True)
# b = torch.tensor(1.0, requires_grad=True)
# L = (w * x + b) ** 2
# print(L.grad_fn)                  # <PowBackward0 ...>: the last op, which made L
# print(L.grad_fn.next_functions)   # ((<AddBackward0 ...>, 0),): the op before it
# L.backward()
# print(w.grad, b.grad)             # tensor(-30.) tensor(-10.)
# ```
#
# One difference: to save memory, PyTorch frees the graph's saved values after
# `backward()`, so a second `L.backward()` raises an error unless you pass
# `retain_graph=True`. Our graph stays, so you can call `backward()` again.
#
# ### Why the rules take `out` as an argument
#
# In `Tiny` (and in micrograd) each rule is a closure that *captures* `out`, and `out`
# stores that closure in `out._backward`. So every node points to itself: a **reference
# cycle**. Python frees most objects the moment nothing refers to them (reference counting),
# but a cycle always refers to itself. Such objects are freed only when Python's **cycle
# collector** runs and searches for them — and to find them it has to look through every
# object that could be part of a cycle, which is slow when memory holds a big graph.
#
# The packaged engine's rules are plain functions that receive `out` as an argument
# (`Value._mul_backward(out)`), so the graph has no cycles. Let us count what the cycle
# collector has to find after we drop a graph of 20,000 operations:

# %%
import gc


def garbage_left_behind(make_leaf, n_ops=10_000):
    """Build y = ((y·x + x)·x + x)... with 2·n_ops operations, drop it, and count the objects
    only the cycle collector can free."""
    gc.collect()
    gc.disable()  # no automatic collection in the middle of the experiment
    x, y = make_leaf(1.0), make_leaf(0.5)
    for _ in range(n_ops):
        y = y * x + x
    del x, y  # drop the graph
    found = gc.collect()  # returns the number of unreachable objects it found
    gc.enable()
    return found


for name, make_leaf in [("Tiny (closures)", Tiny), ("autograd.Value", Value)]:
    found = garbage_left_behind(make_leaf)
    print(
        f"{name:<16}: {found:>6} objects left for the cycle collector "
        f"({found / 20_000:.0f} per node)"
    )

# %% [markdown]
# With closures, every node leaves 7 objects (the node, its closure, the closure's cells,
# ...) that only the cycle collector can free. With `out` passed as an argument, **0**: the
# whole graph was freed the moment we dropped it. In a training loop you drop one graph per
# step, so this matters: the memory comes back at once, and the collector has no graph-sized
# heap of garbage to search. (PyTorch takes the same care: when an operation saves its own
# output for the backward pass, it stores it without the link back to the operation, to
# avoid exactly this cycle.)
#
# ## The picture
#
# Here is the backward pass of `L = (w·x + b)²` as an animation. Press ▶ or drag the
# slider: frame 1 seeds `L.grad = 1`, then each rule runs **in backward order**, and the
# caption shows the rule with its numbers — the same rows as the table above.

# %%
from autograd import animate_backward

animation = animate_backward(L)  # it resets every grad, then replays backward()
animation

# %% [markdown]
# The captions, as text (the same as under the picture, one frame after another):

# %%
for step in animation.steps:
    print(f"frame {step.index}: " + step.caption.replace("\n", "\n         "))

# %% [markdown]
# And on the diamond, watch `m`: its rule runs only after **both** `a` and `b` have added
# their share.

# %%
x = Value(3.0, label="x")
m = x * x
m.label = "m"
a = m * 2
a.label = "a"
b = m * 3
b.label = "b"
L_diamond = a + b
L_diamond.label = "L"
# name each node as the picture does: its label, or n<position in the topological order>
names = {node: node.label or f"n{i}" for i, node in enumerate(topological_order(L_diamond))}
print("backward order:", " → ".join(names[node] for node in backward_order(L_diamond)))
animate_backward(L_diamond)

# %% [markdown]
# ## Exercise
#
# ✏️ Write **your own iterative topological sort**: `my_topological_order(root)` returns a
# list with every node that `root` depends on (and `root` itself), each **after** all its
# inputs — without recursion.
#
# Hints: `topo_recursive` above is correct but recursive. Replace Python's call stack with
# your own list used as a stack. One way is to push `(node, False)` to mean "visit this
# node", and `(node, True)` to mean "all its inputs are done: append it to the order". Or
# count each node's uses first, then release a node when its count reaches 0 (*Kahn's
# algorithm*, which gives outputs first: reverse its result).


# %%
def my_topological_order(root):
    order = []
    # ✏️ your code here: fill `order` with every node, each after all of its inputs
    return order


# %% [markdown]
# The check builds 200 random graphs (with sharing, constants, unused nodes, and one
# 20,000-deep chain) and compares your order with `topological_order`. Many different orders
# are correct, so it does not ask for the **same** order: it checks that you list the same
# nodes, each once, and every node after its inputs.

# %%
import random


def random_graph(rng):
    """A random graph of +, *, tanh; returns its output. Some nodes are not used by it."""
    pool = [Value(rng.uniform(-2, 2), label=f"x{i}") for i in range(rng.randint(1, 4))]
    for _ in range(rng.randint(0, 12)):
        kind = rng.choice(["+", "*", "tanh", "const"])
        u, v = rng.choice(pool), rng.choice(pool)
        new = {"+": u + v, "*": u * v, "tanh": u.tanh(), "const": u * 0.5}[kind]
        new.label = f"n{len(pool)}"
        pool.append(new)
    return rng.choice(pool[len(pool) // 2 :])


def check_topological_order(fn):
    rng = random.Random(0)
    graphs = [("a single leaf", Value(1.0, label="x0"))]
    graphs += [(f"random graph {k}", random_graph(rng)) for k in range(1, 199)]
    graphs.append(("a 20,000-deep chain", chain(20_000)))
    for what, root in graphs:
        expected = topological_order(root)
        try:
            got = fn(root)
        except RecursionError:
            print(f"❌ {what}: RecursionError — your sort must not be recursive")
            return
        if not isinstance(got, list):
            print(f"❌ {what}: got a {type(got).__name__}, expected a list")
            return
        if len(got) != len(expected):
            print(f"❌ {what}: got {len(got)} nodes, expected {len(expected)}")
            return
        position = {}
        for i, node in enumerate(got):
            if node in position:
                print(f"❌ {what}: node {node.label or node._op!r} appears twice")
                return
            position[node] = i
        missing = [n for n in expected if n not in position]
        if missing:
            print(f"❌ {what}: node {missing[0].label!r} is missing from your order")
            return
        for node in got:
            for inp in node._prev:
                if position[inp] > position[node]:
                    print(
                        f"❌ {what}: {node.label!r} (op {node._op}) is at position "
                        f"{position[node]}, before its input {inp.label or 'a constant'!r} "
                        f"at position {position[inp]}"
                    )
                    return
    print(
        f"✅ all {len(graphs)} graphs passed: same nodes as topological_order, each after "
        "its inputs"
    )


check_topological_order(my_topological_order)

# %% [markdown]
# **Solution** (open only if stuck)


# %% jupyter={"source_hidden": true}
def my_topological_order(root):
    order, seen = [], set()
    stack = [(root, False)]
    while stack:
        node, inputs_done = stack.pop()
        if inputs_done:
            order.append(node)  # every input was appended before we got here
            continue
        if node in seen:
            continue
        seen.add(node)
        stack.append((node, True))  # come back to it after its inputs
        for inp in node._prev:
            if inp not in seen:
                stack.append((inp, False))
    return order


# %%
check_topological_order(my_topological_order)

# %% [markdown]
# Your order is probably not the same as `topological_order`'s, and that is fine: on the
# diamond, `a` and `b` can come in either order, as neither uses the other.

# %%
x = Value(3.0, label="x")
m = x * x
m.label = "m"
a = m * 2
a.label = "a"
b = m * 3
b.label = "b"
L = a + b
L.label = "L"
print("yours:            ", [node.label or "const" for node in my_topological_order(L)])
print("topological_order:", [node.label or "const" for node in topological_order(L)])

# %% [markdown]
# ## Try it
#
# * In the side-by-side table, change the diamond so that `m` is used by **one** node only
#   (e.g. `L = m * 5`): all three walks agree. Sharing is what breaks the naive walks.
# * Make the diamond wider: `L = m * 2 + m * 3 + m * 4`. How wrong does walk 1 get? (It
#   reaches `m` three times.)
# * Run `topo_recursive(chain(depth))` with growing `depth` to find where it breaks on your
#   machine; then `len(my_topological_order(chain(1_000_000)))` — it takes a few seconds,
#   and no recursion limit applies.
#
# ## Quiz

# %%
from autograd import Quiz

Quiz(
    "In the diamond, walk 2 ran m's rule once, yet x.grad was 12 instead of 30. Why?",
    [
        "m's rule is wrong for values used twice",
        "m's rule ran before b had added its share to m.grad",
        "x.grad should have been reset to 0 first",
        "Walk 2 forgot to seed L.grad = 1",
    ],
    1,
    "A rule passes on whatever out.grad holds when it runs. It must run only after every "
    "user of the node has added its share: that is what the topological order guarantees.",
)

# %%
Quiz(
    "Why does the engine sort the graph with a loop and its own stack instead of recursion?",
    [
        "Loops are always faster than recursion in Python",
        "Recursion would visit shared nodes twice",
        "Each level of recursion uses one Python call, and Python raises RecursionError "
        "after about a thousand: deep graphs would fail",
        "Recursion gives a different, wrong order",
    ],
    2,
    "The recursive sort is correct, but its recursion is as deep as the graph. A 2,000-deep "
    "chain already hit the limit above; the iterative sort handled 100,000.",
)

# %%
Quiz(
    "Why do the engine's backward rules receive `out` as an argument instead of capturing "
    "it in a closure?",
    [
        "So that a node does not refer to itself: without reference cycles, a dropped graph "
        "is freed at once, without Python's cycle collector",
        "Closures cannot use +=",
        "Closures give wrong gradients on diamonds",
        "It is required by PyTorch",
    ],
    0,
    "A closure that captures out, stored in out._backward, is a cycle: out → rule → out. "
    "Above, closures left 7 objects per node for the cycle collector; the engine left 0.",
)

# %% [markdown]
# ## Summary
#
# * A node's rule may run only when its `grad` is **complete**: after every node that uses
#   it. Running rules as you reach nodes double-counts (42) or runs too early (12) on a
#   diamond; the right answer there is 30.
# * A **topological order** lists each node after its inputs; backward runs the rules in its
#   **reverse**.
# * Sorting recursively hits Python's recursion limit on deep graphs; the engine uses an
#   iterative depth-first sort (its own stack, not Python's) and handles a 100,000-deep chain.
# * `loss.backward()`, here and in PyTorch: the forward pass builds the graph, backward
#   sorts it, seeds `grad = 1` at the output, and runs each op's rule once.
# * Rules take `out` as an argument, so the graph has no reference cycles and is freed as
#   soon as you drop it.
#
# [Next: 06 · Forward vs reverse mode](06_forward_vs_reverse.ipynb)
