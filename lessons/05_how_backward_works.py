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
#   naive walk gives the wrong numbers.
# * Watch a recursive sort fail on a deep graph, and write a sort **without recursion**.
# * Write **`backward()`** yourself — sort, reset, seed, sweep — so your `Value` handles a
#   graph of any depth.
# * Follow `loss.backward()` step by step (sort, reset, seed, sweep), and see that PyTorch
#   takes the same steps.
# * Measure what Python's garbage collector costs your engine, and remove the cost by
#   giving each rule its output node `out` as an argument.
#
# **Builds on:** [04 · More operations](04_more_ops.ipynb) (every op's local rule, and why
# the rules use `+=`).

# %% [markdown]
# This lesson works on **your** `Value`: the class you built in lessons 03 and 04. The next
# cell loads it (your own code where it passed its check, the reference solution
# elsewhere) and says which. It also says whether you have finished lesson 04 (its exercises
# passed, its quiz answered right); go on either way.

# %%
from autograd import (
    check_backward,
    check_cycle_free,
    check_topological_order,
    prefer_yours,
    quiz,
    start_lesson,
    study_with_ai,
)

engine = start_lesson("05")  # your code from lessons 03-04 where it passed, else the reference
Value = engine.Value
engine

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
# So `L = 2m + 3m = 5m = 5x²`, and by hand **dL/dx = 10x = 30** at `x = 3`. Your `Value`,
# with the `backward()` given in lesson 03:

# %%
from autograd import draw_dot

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
# It gets 30. (The boxes `n2` and `n4` are the constants 2 and 3: a plain number in
# `m * 2` becomes a leaf `Value`, named after its position in the graph. They get a gradient
# too, which nobody uses.)
#
# Now let us see how easy it is to get this wrong.
#
# ## The code
#
# ### Three ways to walk the graph
#
# Each node of your `Value` keeps its inputs in `_prev` and its backward rule in
# `_backward`: a small function with no arguments (a *closure*: it remembers the `self`,
# `other` and `out` of the operation that made it). A leaf has no rule (`None`). So a walk
# of the graph can run the rules itself:


# %%
def run_rule(node):
    """Run the node's backward rule (a leaf has none)."""
    if node._backward is not None:
        node._backward()


def diamond():
    """x, m, and L = m·2 + m·3 with m = x·x (the diamond above), on your Value."""
    x = Value(3.0, label="x")
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
        run_rule(node)
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
        run_rule(node)
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
# node that uses it. This is what the `backward()` given in lesson 03 does.


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
        run_rule(node)


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
# `topo_recursive`, like the `backward()` given in lesson 03 (the one your `Value` has now),
# calls itself once per level of the graph. Python allows only so many nested calls, then
# raises `RecursionError`:

# %%
import sys

print("Python's recursion limit:", sys.getrecursionlimit())


def chain(depth):
    """A chain of `depth` operations on your Value: y = ((x·1.001)·1.001)·..."""
    y = Value(1.0, label="x")
    for _ in range(depth):
        y = y * 1.001
    return y


for depth in [100, 500, 2_000, 5_000]:
    try:
        chain(depth).backward()
        print(f"depth {depth:>5}: the backward() given in lesson 03 works")
    except RecursionError as err:
        print(f"depth {depth:>5}: {type(err).__name__}")

# %% [markdown]
# A thousand or so levels is not much: any loop that computes step after step — a simulation
# with 10,000 time steps, a network reading a long text one word at a time — builds a graph
# deeper than that. (Raising the limit with `sys.setrecursionlimit` only moves the wall, and
# past a point crashes Python itself.)
#
# The cure is to do the same depth-first walk as `topo_recursive`, but keep the "calls in
# progress" in **your own list**, used as a stack, instead of on Python's call stack. One
# way: push `(node, False)` to mean "visit this node", and `(node, True)` to mean "all its
# inputs are done: append it to the order".
#
# 1. pop an entry; if it is `(node, True)`, append `node` to the order (that is the
#    "return" of the recursive version);
# 2. if it is `(node, False)` and `node` was not seen yet, mark it seen, push
#    `(node, True)`, then push `(inp, False)` for each input not seen yet (those are the
#    "recursive calls": they are popped, and finished, before `(node, True)` comes back up).
#
# A list can grow to millions of entries; the call stack cannot. The package has such a
# sort, `topological_order(root)`, and `backward_order(root)` (the reverse), which we use
# below to look at graphs. Now you write one.
#
# ## Exercise 1: a sort without recursion
#
# ✏️ Write `my_topological_order(root)`: it returns a list with every node that `root`
# depends on (and `root` itself), each **after** all its inputs — without recursion.
#
# Hints: `topo_recursive` above is correct but recursive; replace Python's call stack with
# your own list, as described. (Another way: count each node's users first, then release a
# node when its count reaches 0 — *Kahn's algorithm*, which gives outputs first: reverse
# its result.)

# %% tags=["exercise"]
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
check_topological_order(my_topological_order)

# %% [markdown]
# **Solution** (open only if stuck). Run this cell either way: if your code passed the check
# it keeps yours; otherwise the lesson goes on with the solution.

# %% tags=["solution"] jupyter={"source_hidden": true}
### BEGIN SOLUTION
def my_topological_order(root):
    order, seen = [], set()
    stack = [(root, False)]  # (node, are its inputs already in the order?)
    while stack:
        node, inputs_done = stack.pop()
        if inputs_done:
            order.append(node)  # every input was appended before we got back here
        elif node not in seen:
            seen.add(node)
            stack.append((node, True))  # come back to it once its inputs are done
            for inp in node._prev:
                if inp not in seen:
                    stack.append((inp, False))
    return order
### END SOLUTION
prefer_yours("05.topo")

# %% [markdown]
# Your order is probably not the same as `topological_order`'s, and that is fine: on the
# diamond, `a` and `b` can come in either order, as neither uses the other.

# %%
from autograd import topological_order

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
# ## Exercise 2: your own `backward()`
#
# Now put it to work. ✏️ Write `backward(self)` for your `Value`, in three steps:
#
# 1. **sort**: list every node `self` depends on in a topological order, **without
#    recursion**: the loop of your sort from exercise 1, **copied into** `backward()`. Do
#    not call `my_topological_order` from it: only this cell is saved for later lessons,
#    which load your `backward()` without the rest of this notebook, so there that name
#    would not exist;
# 2. **reset and seed**: set the `grad` of every node that has inputs (`node._prev`) to 0
#    — those hold only one pass's gradients — but leave the **leaves** alone: their
#    gradients **accumulate** across calls, as in PyTorch (lesson 07 resets them with
#    `zero_grad()`). Then seed `self.grad = 1.0` (d self / d self = 1);
# 3. **sweep**: run every node's rule once, **outputs first** (the reverse of your order);
#    a leaf's `_backward` is `None`.
#
# The last line attaches it to your class, replacing the recursive one.

# %% tags=["exercise"]
def backward(self):
    # ✏️ 1. sort: every node after its inputs, with your own stack
    # ✏️ 2. reset the grad of every node that has inputs; seed self.grad = 1.0
    # ✏️ 3. run each node's rule, outputs first
    raise NotImplementedError("write backward(): sort, reset, seed, sweep")


Value.backward = backward


# %% [markdown]
# The check runs your `backward()` on the diamond, on 25 random graphs where values are used
# several times, and on a 10,000-deep chain; it calls it twice to see that leaves accumulate
# and intermediate nodes are reset. It compares every gradient with central differences and
# with its own correct sweep, and it watches each rule run: a rule that runs twice, or
# before its node's gradient is complete, is named.

# %%
check_backward(Value)

# %% [markdown]
# **Solution** (open only if stuck). Run this cell either way: if your code passed the check
# it keeps yours; otherwise the lesson goes on with the solution.

# %% tags=["solution"] jupyter={"source_hidden": true}
### BEGIN SOLUTION
def backward(self):
    # 1. a topological order: every node after all of its inputs, with our own stack
    order, seen = [], set()
    stack = [(self, False)]  # (node, are its inputs already in the order?)
    while stack:
        node, inputs_done = stack.pop()
        if inputs_done:
            order.append(node)  # every input was appended before we got back here
        elif node not in seen:
            seen.add(node)
            stack.append((node, True))  # come back to it once its inputs are done
            for inp in node._prev:
                if inp not in seen:
                    stack.append((inp, False))
    # 2. intermediate grads are scratch space: reset them (leaves keep theirs: they accumulate)
    for node in order:
        if node._prev:
            node.grad = 0.0
    self.grad = 1.0  # the seed: d self / d self = 1
    # 3. each rule once, outputs first: a node's grad is complete when its rule runs
    for node in reversed(order):
        if node._backward is not None:  # a leaf has no rule
            node._backward()


Value.backward = backward
### END SOLUTION
prefer_yours("05.backward")

# %% [markdown]
# From here on your `Value` has this `backward()` (yours if it passed the check), and so
# does every later lesson that starts from your engine. The depth that broke the recursive
# version is no trouble now, and neither is one twenty times deeper:

# %%
for depth in [5_000, 100_000]:
    x = Value(1.0, label="x")
    deep = x
    for _ in range(depth):
        deep = deep * 1.001
    deep.backward()
    print(f"depth {depth:>6}: d(x·1.001^{depth})/dx = {x.grad:.6g}   "
          f"(1.001^{depth} = {1.001**depth:.6g})")  # fmt: skip
del x, deep  # free the big graph

# %% [markdown]
# ### What `loss.backward()` does, step by step
#
# Here is a model small enough to follow by hand: a one-weight linear model, prediction
# `z = w·x`, and its squared error against the target 3, `L = (w·x − 3)²`. Three
# operations: `*`, `−`, `**2`.

# %%
x = Value(2.0, label="x")
w = Value(0.5, label="w")
z = w * x
z.label = "z"
e = z - 3  # the error: prediction minus target
e.label = "e"
L = e**2
L.label = "L"
print(f"forward: z = w·x = {z.data},  e = z − 3 = {e.data},  L = e² = {L.data}")

# %% [markdown]
# **Step 1 — the forward pass built a graph.** Each result remembers its inputs (`_prev`)
# and the operation that made it (`_op`). No extra work was needed to get it: the graph is a
# side effect of computing. (The reference `-` of lesson 04 computes `z − 3` as
# `z + (−3)`, so the target shows up as a constant leaf holding -3, and the operation as
# `+`.) Nodes without a label are named as the pictures name them: `n` and their position
# in the order.

# %%
names = {node: node.label or f"n{i}" for i, node in enumerate(topological_order(L))}
for node in topological_order(L):
    inputs = ", ".join(names[p] for p in node._prev) or "—"
    print(f"{names[node]:>2}: op {node._op or '(leaf)':<7} data {node.data:>4g}   inputs: {inputs}")

# %% [markdown]
# **Step 2 — sort.** `backward_order` lists the nodes outputs first:

# %%
from autograd import backward_order

print("backward order:", " → ".join(names[node] for node in backward_order(L)))

# %% [markdown]
# **Step 3 — reset, seed, and run each rule once, in that order.** The seed is
# `L.grad = 1` (dL/dL = 1). Let us do by hand exactly what your `backward()` does (reset
# the nodes that have inputs, leave the leaves alone), and print every gradient after each
# step:

# %%
order = backward_order(L)
for node in order:
    if node._prev:  # the leaves keep their grads (still 0 here: no backward() ran yet)
        node.grad = 0.0
L.grad = 1.0
shown = [node for node in order if node.label]  # L, e, z and the leaves x, w
print("after seeding".ljust(18), "  ".join(f"{n.label}={n.grad:>5g}" for n in shown))
for node in order:
    if node._backward is not None:  # leaves have no rule
        node._backward()
        step = f"rule of {node.label} ({node._op})"
        print(step.ljust(18), "  ".join(f"{n.label}={n.grad:>5g}" for n in shown))

# %% [markdown]
# Read it column by column: `dL/de = 2e = -4`, then `+` copies -4 to `z` (and to the
# constant), then `*` sends `x·(-4) = -8` to `w` and `w·(-4) = -2` to `x`. The one-call
# version agrees:

# %%
for node in order:
    node.grad = 0.0
L.backward()
print(f"L.backward():       w.grad = {w.grad},  x.grad = {x.grad},  e.grad = {e.grad}")
L.backward()
print(f"L.backward() again: w.grad = {w.grad},  x.grad = {x.grad},  e.grad = {e.grad}")

# %% [markdown]
# Called twice, the leaves' gradients double: each call **adds** its gradients to them.
# That is on purpose (a training loop can add up gradients over several batches), and it is
# why a training loop resets them before every step (`zero_grad()`, lesson 07). The
# intermediate node `e` does not double: `backward()` resets it (and `z`) first.
#
# ### The same steps in PyTorch
#
# PyTorch works the same way, in C++ and on tensors. The forward pass records a graph: each
# result carries a `grad_fn` (for example `MulBackward0`), which points to the `grad_fn`s of
# its inputs (`next_functions`). `loss.backward()` first counts how many gradients each
# function must wait for, then runs a function only once all of them have arrived (a
# different way to get the same guarantee as our reversed topological order). Leaves you
# created with `requires_grad=True` collect their gradient in `.grad`, and, like ours, they
# **accumulate** across calls.
#
# ```python
# # Not run here: PyTorch is not needed for this course.
# import torch
#
# x = torch.tensor(2.0)
# w = torch.tensor(0.5, requires_grad=True)
# L = (w * x - 3) ** 2
# print(L.grad_fn)                  # <PowBackward0 ...>: the last op, which made L
# print(L.grad_fn.next_functions)   # ((<SubBackward0 ...>, 0),): the op before it
# L.backward()
# print(w.grad)                     # tensor(-8.)
# ```
#
# One difference: to save memory, PyTorch frees the graph's saved values after
# `backward()`, so a second `L.backward()` raises an error unless you pass
# `retain_graph=True`. Our graph stays, so you can call `backward()` again.
#
# ## The picture
#
# Here is the backward pass of `L = (w·x − 3)²` as an animation. Press ▶ or drag the
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
# ## Extension: reference cycles, what the closures cost
#
# The backward pass is complete. This last part goes one step beyond it, into how Python
# manages memory: what the closures of your rules cost, and a way to avoid the cost
# (exercise 3).
#
# Each rule of your `Value` is a closure that *captures* `out`, and `out` stores that
# closure in `out._backward`. So every node points to itself: a **reference cycle**
# (`out → out._backward → out`). Python frees most objects the moment nothing refers to
# them (reference counting), but a cycle always refers to itself. Such objects are freed
# only when Python's **cycle collector** runs and searches for them — and it runs
# automatically, every few hundred new objects, looking through the objects that could be
# part of a cycle. A big graph is a lot of objects to look through.
#
# The cure: give the rule its node as an argument, `_backward(out)`, instead of capturing
# it. The rule is then a plain function stored on the class (`FreeValue._mul_backward`),
# which holds no node, and reads the inputs from `out._prev`. `backward()` calls it as
# `node._backward(node)`. (The package's `autograd.Value` is written this way.)
#
# ## Exercise 3: rules without cycles
#
# ✏️ Complete `FreeValue`, your `Value` with cycle-free rules for `+` and `*` (the other
# operations are not needed for the experiment). `__add__` shows the pattern; write the body
# of its rule `_add_backward`, then `__mul__` and `_mul_backward`. The
# `backward()` is yours from exercise 2 with one change, marked at the end.

# %% tags=["exercise"]
class FreeValue(Value):
    """Your Value, with rules of the form `_backward(out)`: no closure, so no cycle."""

    def __add__(self, other):
        other = other if isinstance(other, FreeValue) else FreeValue(other)
        out = FreeValue(self.data + other.data, (self, other), "+")
        out._backward = FreeValue._add_backward  # a plain function: it holds no node
        return out

    @staticmethod
    def _add_backward(out):
        # ✏️ read the inputs from out._prev (a, b = out._prev), then add out.grad into both
        raise NotImplementedError("write FreeValue._add_backward")

    def __mul__(self, other):
        # ✏️ like __add__, with the rule FreeValue._mul_backward
        raise NotImplementedError("write FreeValue.__mul__")

    @staticmethod
    def _mul_backward(out):
        # ✏️ each input gets the other one's data times out.grad
        raise NotImplementedError("write FreeValue._mul_backward")

    def backward(self):
        # your backward() from above, with one change at the end
        order, seen = [], set()
        stack = [(self, False)]
        while stack:
            node, inputs_done = stack.pop()
            if inputs_done:
                order.append(node)
            elif node not in seen:
                seen.add(node)
                stack.append((node, True))
                for inp in node._prev:
                    if inp not in seen:
                        stack.append((inp, False))
        for node in order:
            if node._prev:
                node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            if node._backward is not None:
                node._backward(node)  # the change: give the rule its node


# %% [markdown]
# The check tests your `+` and `*` as lesson 03's check did (central differences on random
# numbers, values used twice, nested expressions), through your `backward()`. Then it
# builds small graphs, drops them with the cycle collector paused, and checks that nothing
# was left for the collector.

# %%
check_cycle_free(FreeValue)

# %% [markdown]
# **Solution** (open only if stuck). Run this cell either way: if your code passed the check
# it keeps yours; otherwise the lesson goes on with the solution.

# %% tags=["solution"] jupyter={"source_hidden": true}
### BEGIN SOLUTION
class FreeValue(Value):
    """Your Value, with rules of the form `_backward(out)`: no closure, so no cycle."""

    def __add__(self, other):
        other = other if isinstance(other, FreeValue) else FreeValue(other)
        out = FreeValue(self.data + other.data, (self, other), "+")
        out._backward = FreeValue._add_backward  # a plain function: it holds no node
        return out

    @staticmethod
    def _add_backward(out):
        a, b = out._prev  # the inputs, read from the node the rule is given
        a.grad += out.grad
        b.grad += out.grad

    def __mul__(self, other):
        other = other if isinstance(other, FreeValue) else FreeValue(other)
        out = FreeValue(self.data * other.data, (self, other), "*")
        out._backward = FreeValue._mul_backward
        return out

    @staticmethod
    def _mul_backward(out):
        a, b = out._prev
        a.grad += b.data * out.grad
        b.grad += a.data * out.grad

    def backward(self):
        # your backward() from above, with one change at the end
        order, seen = [], set()
        stack = [(self, False)]
        while stack:
            node, inputs_done = stack.pop()
            if inputs_done:
                order.append(node)
            elif node not in seen:
                seen.add(node)
                stack.append((node, True))
                for inp in node._prev:
                    if inp not in seen:
                        stack.append((inp, False))
        for node in order:
            if node._prev:
                node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            if node._backward is not None:
                node._backward(node)  # the change: give the rule its node
### END SOLUTION
prefer_yours("05.cycle_free")

# %% [markdown]
# ### Measuring it
#
# First, count. Build a graph of 2,000 operations (`y = y·x + x`, 1,000 times) with each
# class, drop it, and ask the cycle collector how many objects only it could free
# (`gc.collect()` returns that number). The collector is paused during the experiment, so
# the count is exact:

# %%
import gc


def garbage_left_behind(cls, n_ops=1_000):
    """Objects per node that only the cycle collector can free, after dropping a graph."""
    gc.collect()
    gc.disable()  # no automatic collection in the middle of the experiment
    x, y = cls(1.0), cls(0.5)
    for _ in range(n_ops):
        y = y * x + x
    del x, y  # drop the graph
    found = gc.collect()  # the number of unreachable objects it found
    gc.enable()
    return found / (2 * n_ops)


for name, cls in [("Value (closures)", Value), ("FreeValue (rules take out)", FreeValue)]:
    print(f"{name:<27}: {garbage_left_behind(cls):.0f} objects per node left for the collector")

# %% [markdown]
# Which 7 objects? Drop a single node `c = a * b` and ask the collector to keep what it
# finds (`gc.DEBUG_SAVEALL` puts it in the list `gc.garbage`, instead of freeing it):


# %%
def left_for_the_collector(cls):
    """What only the cycle collector can free after dropping one node c = a * b (a, b live)."""
    a, b = cls(2.0), cls(3.0)
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)  # keep what the collector finds, in gc.garbage
    c = a * b
    rule = c._backward
    cell_names = {  # which name each cell holds (keyed by id, so as not to keep it alive)
        id(cell): name for cell, name in zip(rule.__closure__ or (), rule.__code__.co_freevars)
    }
    del c, rule
    gc.collect()
    found = list(gc.garbage)
    gc.garbage.clear()
    gc.set_debug(0)
    gc.enable()

    def describe(obj):
        if isinstance(obj, cls):
            return 0, f"the node c itself (a {type(obj).__name__})"
        if isinstance(obj, tuple) and obj and all(isinstance(o, cls) for o in obj):
            return 1, "c._prev, the tuple of its inputs (a, b)"
        if callable(obj):
            return 2, "c._backward, its rule: a function made inside __mul__"
        if isinstance(obj, tuple):
            return 3, f"the rule's __closure__: a tuple of {len(obj)} cells"
        if id(obj) in cell_names:
            return 4, f"a cell holding `{cell_names[id(obj)]}`, a name the rule uses"
        return 5, f"a {type(obj).__name__}"

    return sorted(describe(obj) for obj in found)


found = left_for_the_collector(Value)
print(f"one dropped node c = a * b leaves {len(found)} objects for the collector:")
for _, what in found:
    print("  " + what)
print("with FreeValue:", len(left_for_the_collector(FreeValue)), "objects")

# %% [markdown]
# With closures, every node leaves those 7 objects that only the cycle collector can free:
# the node, its `_prev` tuple, its rule, the rule's tuple of cells, and one cell for each
# name the rule uses from the method that made it. Without closures, **0**: the whole
# graph was freed the moment we dropped it.
#
# Now the clock. A training loop builds a graph, runs `backward()`, and drops the graph,
# step after step. Let us time exactly that — 4 steps on a graph of 7,500 operations — for
# both classes, with the cycle collector **on** (as always) and **off** (`gc.disable()`).
# Each of the four is timed 3 times, taking turns, and we keep the fastest of each (the run
# least disturbed by whatever else the machine was doing). We also count the objects the
# collector had to find and free along the way.

# %%
import time

import matplotlib.pyplot as plt


def training_like(cls, steps=4, n_ops=2_500):
    """Build a graph of 3·n_ops operations, run backward(), drop it; `steps` times."""
    for _ in range(steps):
        x, y = cls(1.0), cls(0.5)
        for _ in range(n_ops):
            y = y * x + x * 0.5
        y.backward()


def freed_by_the_collector(cls):
    """How many objects the cycle collector freed during (and right after) the loop."""
    freed = []

    def note(phase, info):
        if phase == "stop":
            freed.append(info["collected"])

    gc.collect()
    gc.callbacks.append(note)
    try:
        training_like(cls)
        gc.collect()  # whatever garbage is left at the end
    finally:
        gc.callbacks.remove(note)
    return sum(freed)


classes = {"Value (closures)": Value, "FreeValue": FreeValue}
best = {(name, on): float("inf") for name in classes for on in (True, False)}
for _ in range(3):
    for name, cls in classes.items():
        for on in (True, False):
            gc.collect()
            if not on:
                gc.disable()
            start = time.perf_counter()
            training_like(cls)
            best[name, on] = min(best[name, on], time.perf_counter() - start)
            gc.enable()

for name, cls in classes.items():
    freed = freed_by_the_collector(cls)
    print(f"{name:<17}: the collector had to find and free {round(freed, -4):,} objects (rounded)")
faster = best["Value (closures)", True] / best["FreeValue", True]
cost = {name: best[name, True] / best[name, False] for name in classes}  # collector on / off
print("With the collector on, FreeValue is faster than Value:", faster > 1.5)
print("The collector slows Value down more than FreeValue:", cost["Value (closures)"] > 1.3 * cost["FreeValue"])

fig, ax = plt.subplots(figsize=(6.5, 3))
labels = [f"{name}\ncollector {'on' if on else 'off'}" for name, on in best]
bars = ax.barh(labels, [1000 * t for t in best.values()], color=["C3", "C1", "C0", "C2"])
ax.bar_label(bars, fmt="%.0f ms", padding=3)
ax.invert_yaxis()
ax.set_xlabel("time for 4 steps of build + backward (ms, fastest of 3)")
ax.set_title(f"The closure form with the collector on: {faster:.1f}× the cycle-free form")
ax.set_xlim(0, 1300 * max(best.values()))
fig.tight_layout()
plt.show()

# %% [markdown]
# The chart shows the times measured when this notebook ran (they vary from machine to
# machine and run to run; the title gives the ratio). Two things to read off it:
#
# * **The collector costs the closure form the most.** Turn it off, and `Value` gets much
#   faster: its running time was largely the collector searching the graphs for cycles,
#   and freeing the garbage that only it could find.
# * **Without cycles, the same work is cheaper with the collector on.** `FreeValue` gives
#   the collector nothing to free: every graph is freed the moment it is dropped, by
#   reference counting. The collector still runs now and then (it cannot know there are no
#   cycles without looking), which is the small difference between its two bars.
#
# Switching the collector off is not a fix: with closures, memory would then grow with every
# step, since nothing frees the cycles. Passing `out` as an argument fixes it at the root:
# the memory comes back at once, and the collector has no graph-sized heap of garbage to
# search. (PyTorch takes the same care: when an operation saves its own output for the
# backward pass, it stores it without the link back to the operation, to avoid exactly this
# cycle.)
#
# ## Try it
#
# * In the cell that defines `diamond()`, change the diamond so that `m` is used by **one**
#   node only (e.g. `L = m * 5`, still `5x²`), then run the side-by-side table again: all
#   three walks agree. Sharing is what breaks the naive walks.
# * Make the diamond wider in the same cell: `L = m * 2 + m * 3 + m * 4`. How wrong does
#   walk 1 get? (It reaches `m` three times. The table still compares with 30; the right
#   answer is now `9 · 2x = 54`.)
# * Run `topo_recursive(chain(depth))` with growing `depth` to find where it breaks on your
#   machine; then `len(my_topological_order(chain(300_000)))`: no recursion limit applies.
#   (Mind your memory: that graph alone takes a few hundred megabytes, and a much longer
#   chain can fill a small machine's memory.)
# * In the timing cell, make the graphs bigger (`n_ops=10_000`) or smaller (`n_ops=100`):
#   the bigger the graph, the more the collector costs the closure form.
#
# ## Quiz
#
# Pick an answer: a wrong one tells you the misconception behind it, the right one why it is
# right. The last question is about the **Try it** list above. Your answers are saved (see
# `progress()` in [00 · Start here](00_start_here.ipynb)).

# %%
quiz("05")

# %% [markdown]
# ## Study this lesson with an AI
#
# Three prompts, to use in order: explain the idea, walk through this lesson's demo (here:
# what `loss.backward()` does, step by step, on `L = (w·x − 3)²`), quiz me on the try-it list.
# Copy one into the assistant of your choice (nothing is sent anywhere from here). Once you
# have saved some exercise code, the walkthrough prompt includes it.

# %%
study_with_ai("05")

# %% [markdown]
# ## Summary
#
# * A node's rule may run only when its `grad` is **complete**: after every node that uses
#   it. Running rules as you reach nodes double-counts (42) or runs too early (12) on a
#   diamond; the right answer there is 30.
# * A **topological order** lists each node after its inputs; backward runs the rules in its
#   **reverse**.
# * Sorting recursively hits Python's recursion limit on deep graphs; your `backward()` now
#   sorts with its own stack and handles a 100,000-deep chain.
# * `loss.backward()`, here and in PyTorch: the forward pass builds the graph, backward
#   sorts it, resets the intermediate gradients, seeds `grad = 1` at the output, and runs
#   each op's rule once. Leaves **accumulate** their gradients across calls.
# * Closures that capture `out` make every node a reference cycle, which only the cycle
#   collector can free, at a cost you measured. Rules that take `out` as an argument leave
#   no cycles: a dropped graph is freed at once.
#
# [Next: 06 · Forward vs reverse mode](06_forward_vs_reverse.ipynb)
