# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # 01 · Derivatives
#
# *Nudge the input a little. How much does the output move?* That one number is the
# derivative, and everything in this series is built on it.
#
# **Goals**
#
# * read a derivative as the slope of a tiny nudge (a limit);
# * estimate it with **forward** and **central** differences (you write the central one), and
#   see why central is better;
# * find out why the step `h` can be too big *and* too small (truncation vs round-off);
# * check a derivative you work out by hand against the computer's estimate.
#
# **Builds on:** [00 · Start here](00_start_here.ipynb), Python, and high-school calculus.

# %% [markdown]
# ## The idea
#
# Take a function, say $f(x) = x^3 - 2x$, and a point, $x = 2$. Move $x$ by a small step
# $h$ and look at how much $f$ moves, *per unit of step*:
#
# $$\frac{f(x+h) - f(x)}{h}$$
#
# That is the slope of the straight line through two points of the curve (a *secant*).
# As $h$ shrinks, the two points slide together and the secant turns into the *tangent*.
# Its slope is the **derivative**:
#
# $$f'(x) = \lim_{h \to 0} \frac{f(x+h) - f(x)}{h}$$
#
# For $x^3 - 2x$ the rules of calculus give $f'(x) = 3x^2 - 2$, so $f'(2) = 10$: near
# $x = 2$, the output moves about **10 times** as much as the input.

# %%
import matplotlib.pyplot as plt
import numpy as np

from autograd import (
    check_central_difference,
    check_dg,
    gradcheck,
    numerical_grad,
    prefer_yours,
    quiz,
    study_with_ai,
)


def f(x):
    return x * x * x - 2 * x  # x³ - 2x, with plain multiplications (see below)


def f_prime(x):  # worked out by hand: d/dx (x³ - 2x) = 3x² - 2
    return 3 * x * x - 2


x0 = 2.0
print(f"f({x0}) = {f(x0)},  f'({x0}) = {f_prime(x0)}")
for h in [1.0, 0.5, 0.1]:
    slope = (f(x0 + h) - f(x0)) / h
    print(f"h = {h:<4}  secant slope = {slope:.6g}")

# %% [markdown]
# The secant slopes 17, 13.25, 10.61 close in on 10. Here is the same thing as a picture:
# the shorter the step, the closer the secant hugs the tangent.

# %%
xs = np.linspace(0.8, 3.2, 200)
fig, ax = plt.subplots(figsize=(6.5, 4))
ax.plot(xs, f(xs), color="black", lw=2, label="$f(x) = x^3 - 2x$")
for h, colour in [(1.0, "#f59e0b"), (0.5, "#10b981"), (0.1, "#3b82f6")]:
    slope = (f(x0 + h) - f(x0)) / h
    ax.plot(xs, f(x0) + slope * (xs - x0), color=colour, lw=1.2, label=f"secant, h = {h}")
    ax.plot([x0 + h], [f(x0 + h)], "o", color=colour)
ax.plot(xs, f(x0) + f_prime(x0) * (xs - x0), "--", color="#dc2626", lw=1.5, label="tangent")
ax.plot([x0], [f(x0)], "ko")
ax.set_ylim(-5, 25)
ax.set_xlabel("x")
ax.set_title("Secants turn into the tangent as h shrinks")
ax.legend(loc="upper left", fontsize=9)
plt.show()

# %% [markdown]
# A computer cannot take a limit. It can only pick a small `h` and compute the fraction:
# a **finite difference**. How small should `h` be? Let's find out.

# %% [markdown]
# ## The code
#
# ### Forward and central differences
#
# The formula above steps only forward, so it is called the **forward difference**.
# The **central difference** steps both ways and divides by the full width $2h$:
#
# $$\text{forward: } \frac{f(x+h) - f(x)}{h} \qquad\qquad
#   \text{central: } \frac{f(x+h) - f(x-h)}{2h}$$
#
# Here is the forward difference in Python:


# %%
def forward_difference(f, x, h):
    return (f(x + h) - f(x)) / h


# %% [markdown]
# ### ✏️ Exercise: the central difference
#
# Write `central_difference(f, x, h)`, the second formula, in the cell below (replace the
# `raise` line). `f` is any function of one number, `x` the point, `h` the step.

# %% tags=["exercise"]
def central_difference(f, x, h):
    # ✏️ return the central difference of f at x with step h
    raise NotImplementedError("write the central difference here")


# %% [markdown]
# Run the check. It calls your function on four functions ($x^3 - 2x$, $\sin$, $\exp$,
# $1/(1+x^2)$) at random points with fairly *big* steps, fresh every time you run it, and
# compares with the formula. (Big steps on purpose: with them, a forward difference or a
# division by `h` instead of `2h` gives a clearly different number, and the report says
# which slip it looks like.)

# %%
check_central_difference(central_difference)

# %% [markdown]
# **Solution** (open only if stuck). Run this cell either way: if your function passed the
# check, it keeps **yours**; otherwise the lesson goes on with the solution.

# %% tags=["solution"] jupyter={"source_hidden": true}
### BEGIN SOLUTION
def central_difference(f, x, h):
    # step h both ways, then divide by the distance between the two points, 2h
    return (f(x + h) - f(x - h)) / (2 * h)
### END SOLUTION
prefer_yours("01.central_difference")

# %% [markdown]
# From here on the lesson uses `central_difference`: yours if it passed the check, otherwise
# the solution (the cell above says which). How do the two differences compare?

# %%
exact = f_prime(x0)
print(f"exact f'(2) = {exact}\n")
print(f"{'h':>6} | {'forward':>10} {'error':>8} | {'central':>10} {'error':>8}")
for h in [0.1, 0.01, 0.001]:
    fwd = forward_difference(f, x0, h)
    cen = central_difference(f, x0, h)
    print(f"{h:>6} | {fwd:>10.6f} {abs(fwd - exact):>8.1e} | {cen:>10.6f} {abs(cen - exact):>8.1e}")

# %% [markdown]
# Each time `h` shrinks 10×, the forward error shrinks 10× (0.61 → 0.06 → 0.006), but the
# central error shrinks **100×** (0.01 → 0.0001 → 0.000001).
#
# **Why?** Write out $f(x \pm h)$ as a **Taylor series**: near $x$, $f$ is a polynomial in
# the step $h$ whose coefficients are the derivatives of $f$ at $x$. (If that is new to you,
# take the line below on trust: only its first few terms matter here.)
#
# $$f(x \pm h) = f(x) \pm h\,f'(x) + \tfrac{h^2}{2} f''(x) \pm \tfrac{h^3}{6} f'''(x) + \dots$$
#
# * Forward: $\frac{f(x+h) - f(x)}{h} = f'(x) + \tfrac{h}{2} f''(x) + \dots$ — the error is
#   about $\tfrac{h}{2} f''(x)$, **proportional to $h$**.
# * Central: in $f(x+h) - f(x-h)$ the $h^2$ terms are equal and **cancel**, leaving
#   $f'(x) + \tfrac{h^2}{6} f'''(x) + \dots$ — the error is **proportional to $h^2$**.
#
# For our $f$, $f''(x) = 6x$ and $f'''(x) = 6$. So at $x = 2$ the theory predicts a forward
# error of about $\tfrac{h}{2} \cdot 12 = 6h$ and a central error of about
# $\tfrac{h^2}{6} \cdot 6 = h^2$. Compare with the table above:

# %%
for h in [0.1, 0.01, 0.001]:
    print(f"h = {h:<6} predicted forward error 6h = {6 * h:.1e},  central error h² = {h**2:.1e}")

# %% [markdown]
# This error, from cutting the Taylor series short, is the **truncation error**. So: make `h`
# tiny and be done? Try it.

# %%
h = 1e-15
print(f"h = {h}:  forward = {forward_difference(f, x0, h):.6f}   (exact: {exact})")

# %% [markdown]
# With `h = 1e-15` the forward difference says 8.88 instead of 10 — worse than with
# `h = 0.1`! The culprit is **round-off**. A float holds about 16 significant digits, so
# `f(x + h)` and `f(x)` each carry a rounding error of about $10^{-16}$ times their size.
# Their difference is tiny, and dividing it by a tiny `h` blows the rounding error up:
# the round-off error grows like $\varepsilon / h$, where $\varepsilon \approx 2.2 \times
# 10^{-16}$ is the float's relative precision.

# %%
print(f"float precision eps = {np.finfo(float).eps:.2e}")
print(f"2 + 1e-15 is stored as {2 + 1e-15!r}: the step became {(2 + 1e-15) - 2:.3e}")

# %% [markdown]
# Even the step itself got rounded: we asked for $10^{-15}$ and got $0.888 \times 10^{-15}$,
# which is exactly why the forward difference came out as 8.88.
#
# ### The error as a function of `h`
#
# Two errors pull in opposite directions: **truncation** wants a small `h`, **round-off**
# wants a large one. Let's measure both differences for `h` from $10^{-1}$ down to
# $10^{-16}$ (ten steps per factor of ten), at the point $x = 1.3$, where $f'(1.3) = 3.07$.
# (Any point works; a "round" point like 2 just makes round-off look unusually tidy.)
#
# A detail that keeps this study honest: `f` uses plain multiplications (`x * x * x`, not
# `x**3`). The basic operations `+ - * /` round the same way on every computer, so the
# jagged round-off results below come out identical everywhere.

# %%
x1 = 1.3
exact1 = f_prime(x1)
# step sizes m / 10**k for k = 1..16: ten per factor of ten
mantissas = [1, 1.25, 1.6, 2, 2.5, 3.2, 4, 5, 6.3, 8]
steps = sorted((m / 10**k for k in range(1, 17) for m in mantissas), reverse=True)
forward_errors = [abs(forward_difference(f, x1, h) - exact1) for h in steps]
central_errors = [abs(central_difference(f, x1, h) - exact1) for h in steps]

best_fwd = min(range(len(steps)), key=lambda i: forward_errors[i])
best_cen = min(range(len(steps)), key=lambda i: central_errors[i])
print(f"f'({x1}) = {exact1:.2f},  {len(steps)} step sizes tried")
print(f"forward: best h = {steps[best_fwd]:.0e}, smallest error = {forward_errors[best_fwd]:.0e}")
print(f"central: best h = {steps[best_cen]:.0e}, smallest error = {central_errors[best_cen]:.0e}")

# %% [markdown]
# ## The picture
#
# On a log-log plot, an error proportional to $h^p$ is a straight line of slope $p$. Read the
# plot from left (big `h`) to right (tiny `h`):

# %%
f2, f3 = 6 * x1, 6.0  # f'' and f''' at x = x1
eps = np.finfo(float).eps
hs = np.array(steps)
fig, ax = plt.subplots(figsize=(7, 4.5))
ax.loglog(steps, forward_errors, "o-", ms=3, color="#2563eb", label="forward difference")
ax.loglog(steps, central_errors, "s-", ms=3, color="#ea580c", label="central difference")
# dashed/dotted guides: the theory, each drawn where that error dominates, on top of the data
fwd_h, cen_h, tiny_h = hs[hs > 3e-9], hs[hs > 1e-6], hs[hs < 1e-4]
guide = {"lw": 2, "alpha": 0.9, "zorder": 3}
ax.loglog(fwd_h, f2 / 2 * fwd_h, "--", color="#1e3a8a", **guide)
ax.loglog(cen_h, f3 / 6 * cen_h**2, "--", color="#9a3412", **guide)
roundoff = eps * abs(f(x1)) / tiny_h
ax.loglog(tiny_h, roundoff, ":", color="black", label="round-off ≈ ε·|f|/h", **guide)
# labels that stay clear of the curves for any x1 (the first just above its guide line)
ax.annotate("truncation ∝ h", (1e-3, f2 / 2 * 1e-3), (0, 40), textcoords="offset points",
            color="#2563eb")
ax.text(0.03, 0.3, "truncation ∝ h²", transform=ax.transAxes, color="#ea580c")
errors = [e for e in forward_errors + central_errors if e > 0]
ax.set_ylim(min(errors) / 10, max(errors) * 10)  # from the data, so any x1 fits
ax.invert_xaxis()  # big steps on the left, tiny steps on the right
ax.set_xlabel("step size h")
ax.set_ylabel("|estimate - exact|")
ax.set_title(f"Error of finite differences for f'({x1})")
ax.legend(loc="lower left", fontsize=9)
plt.show()

# %% [markdown]
# * **Left half (truncation):** straight lines, right on the dashed theory. The forward
#   error drops one factor of ten per factor of ten in `h` (∝ h); the central error drops
#   two (∝ h²), so its line is twice as steep.
# * **Right half (round-off):** both curves turn around and climb along the dotted line
#   $\varepsilon|f|/h$, jagged because rounding is a bit random.
# * **The valley:** the best `h` is where the two errors are about equal. For the forward
#   difference, $\tfrac{h}{2}|f''| = \varepsilon|f|/h$ gives
#   $h^* \approx \sqrt{2\varepsilon|f|/|f''|}$; for the central difference,
#   $\tfrac{h^2}{6}|f'''| = \varepsilon|f|/h$ gives
#   $h^* \approx \sqrt[3]{3\varepsilon|f|/|f'''|}$. Here that predicts about $5 \times 10^{-9}$
#   and $4 \times 10^{-6}$ (printed below), close to the $10^{-8}$ and $6 \times 10^{-6}$ the
#   search found. And the central valley is far deeper: compare the two smallest errors
#   printed above.
#
# Both valleys lie near $\sqrt{\varepsilon} \approx 10^{-8}$ and
# $\sqrt[3]{\varepsilon} \approx 6 \times 10^{-6}$, but only because $|f|$, $f''$ and $f'''$
# are all of size about 1 here: ε alone does not set them. For such numbers, gradient
# checkers use the central difference with `h` around $10^{-6}$: here its error is about
# $2 \times 10^{-10}$ (printed below), some ten correct digits, at the cost of two
# evaluations of `f` per input.

# %%
best_fwd_h = (2 * eps * abs(f(x1)) / abs(f2)) ** 0.5  # where h/2·|f''| = ε·|f|/h
best_cen_h = (3 * eps * abs(f(x1)) / abs(f3)) ** (1 / 3)  # where h²/6·|f'''| = ε·|f|/h
print(f"predicted best h: forward {best_fwd_h:.0e}, central {best_cen_h:.0e}")
print(f"the search found: forward {steps[best_fwd]:.0e}, central {steps[best_cen]:.0e}")
print(f"sqrt(eps) = {eps**0.5:.1e}   cube root of eps = {eps ** (1 / 3):.1e}")
error_1e6 = abs(central_difference(f, x1, 1e-6) - exact1)
print(f"central difference at h = 1e-6: error {error_1e6:.0e} (f'({x1}) = {exact1:.2f})")

# %% [markdown]
# ## Exercise
#
# ### Check a derivative you derive by hand
#
# Mistakes in derivatives are easy to make and hard to see. The cure is to **check** every
# derivative you derive against a central difference. The `autograd` package has one ready:
# `numerical_grad(f, xs)` returns the central-difference slope of `f` with respect to each of
# its inputs (with `h = 1e-6`).

# %%
slope = numerical_grad(f, [2.0])  # a list: one slope per input of f
print(f"numerical_grad: {slope[0]:.8f}   exact: {f_prime(2.0)}")

# %% [markdown]
# ✏️ **Your turn.** Work out, on paper, the derivative of
#
# $$g(x) = x^4 - 3x^2 + \frac{1}{x}$$
#
# (hint: $\frac{1}{x} = x^{-1}$) and write it in `dg` below, replacing the `raise` line.


# %%
def g(x):
    return x**4 - 3 * x**2 + 1 / x


# %% tags=["exercise"]
def dg(x):
    # ✏️ Exercise: return the derivative of g at x
    raise NotImplementedError("write the derivative of g here")


# %% [markdown]
# Now run the check. It compares your `dg` with `numerical_grad(g, [x])` at twelve random
# points (fresh every run, both signs, away from 0). If they differ, it also works out
# *which term* of $g$ the difference comes from: a slip in one term leaves its own powers of
# $x$ behind (a wrong $x^4$ term leaves an $x^3$, a wrong $\frac{1}{x}$ term an $x^{-2}$), and
# the report names it.

# %%
check_dg(dg)

# %% [markdown]
# **Solution** (open only if stuck). Run this cell either way: if your `dg` passed the
# check, it keeps **yours**; otherwise the lesson goes on with the solution.

# %% tags=["solution"] jupyter={"source_hidden": true}
### BEGIN SOLUTION
def dg(x):
    # power rule on each term: x⁴ → 4x³,  3x² → 6x,  x⁻¹ → -x⁻²
    return 4 * x**3 - 6 * x - 1 / x**2
### END SOLUTION
prefer_yours("01.dg")

# %% [markdown]
# The derivative in use (yours if it passed) next to the central difference, at a few points:

# %%
for x in [-2.0, -0.5, 0.7, 1.0, 3.0]:
    print(f"x = {x:>4}:  dg(x) = {dg(x):>9.5f}   numerical_grad = {numerical_grad(g, [x])[0]:>9.5f}")

# %% [markdown]
# ### The same check, for a whole computation
#
# From lesson 03 on, derivatives will come from **backpropagation** through `Value`s instead
# of from your pen. `gradcheck(f, xs)` checks those the same way: it runs `f` on `Value`s,
# calls `backward()` to get the *analytic* gradient, and compares it with the *numeric*
# central difference. A sneak preview. (In its header, `eps` is the step `h` of the central
# difference, not the float precision ε from above; `atol` and `rtol` say how close the
# two gradients must be.)

# %%
gradcheck(lambda x: x * x * x - 2 * x, [2.0])

# %% [markdown]
# ## Try it
#
# * In the ✏️ `dg` cell, make a deliberate mistake — say `+ 1 / x**2` instead of
#   `- 1 / x**2` — and re-run the check. Which points does it catch? Which term does it
#   name, and by how much does it say your `dg` is off?
# * In the ✏️ `central_difference` cell, write the forward difference instead, or divide by
#   `h` instead of `2 * h`, and re-run its check: `print(check_central_difference(
#   central_difference))` shows an example with the numbers and the hint for that slip.
# * In the step-size study, change `x1 = 1.3` to `x1 = 100.0` and re-run that cell and the
#   plot. Do the best steps grow or shrink, and why? (The last quiz question asks; its
#   answer is the reason real gradient checkers scale `h` with `|x|`.)
# * Redefine `f = np.sin` and `f_prime = np.cos` in a new cell, then re-run the study and
#   the plot: the valleys move a little but keep their V shape. (The dashed guide lines are
#   for $x^3 - 2x$ only; ignore them.)

# %% [markdown]
# ## Quiz
#
# Pick an answer: a wrong one tells you the misconception behind it, the right one why it is
# right. The last question is about the **Try it** list above. Your answers are saved (see
# `progress()` in [00 · Start here](00_start_here.ipynb)).

# %%
quiz("01")

# %% [markdown]
# ## Study this lesson with an AI
#
# Three prompts, to use in order: explain the idea, walk through this lesson's demo, quiz me
# on the try-it list. Copy one into the assistant of your choice (nothing is sent anywhere
# from here). Once you have saved some exercise code, the walkthrough prompt includes it.

# %%
study_with_ai("01")

# %% [markdown]
# ## Summary
#
# * The derivative $f'(x)$ is the limit of the slope $\frac{f(x+h) - f(x)}{h}$ as $h \to 0$:
#   how much the output moves per unit nudge of the input.
# * A computer estimates it with a **finite difference**. The **forward** difference has an
#   error ∝ h; the **central** difference $\frac{f(x+h) - f(x-h)}{2h}$ has an error ∝ h².
# * Too small an `h` is as bad as too big: **round-off** error grows like ε·|f|/h. The best
#   step balances the two errors, $h^* \approx \sqrt[3]{3\varepsilon|f|/|f'''|}$ for the
#   central difference: around $10^{-5}$–$10^{-6}$ when $f$ and its derivatives are of size
#   about 1.
# * Always **check** a derivative derived by hand (or by code) against a central
#   difference: `numerical_grad` and `gradcheck` do it for you.
#
# **[Next: 02 · The chain rule](02_chain_rule.ipynb)** — derivatives of functions built
# from other functions, one step at a time.
