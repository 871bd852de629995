"""Lesson 03's checker: the backward rules of ``+`` and ``*`` in your own ``Value``.

Call it on your class (the class itself, not an instance)::

    check_add_mul(Value)

It builds small expressions (``a + b``, ``a * a``, ``(a + b) * c``, ``a + 2``, ...) on fresh
random numbers, runs your rules, and compares every gradient with a central difference (see
:mod:`autograd.course.value_rules` for how it decides). The report is truthy iff every check
passed; ``print(report)`` shows an example and a hint for each rule that failed.

The module also holds the lesson's quiz (``QUIZ``, shown by ``quiz("03")``) and the context of
its AI study prompts (``STUDY``, shown by ``study_with_ai("03")``).
"""

from __future__ import annotations

from .carry import finish
from .quizbank import Choice, Question
from .registry import Exercise
from .report import CheckReport
from .study import Study
from .value_rules import add_mul_cases, check_class, run_cases

__all__ = ["check_add_mul"]

EXERCISES = [
    Exercise("03.add_mul", "+ and *", "check_add_mul", chain="value",
             provides=("Value.__add__", "Value.__mul__")),
]  # fmt: skip


def check_add_mul(
    value_cls: type, *, seed: int | None = None, save: bool = True, rounds: int = 1
) -> CheckReport:
    """Check lesson 03: your ``Value``'s ``+`` and ``*`` and their backward rules.

    ``value_cls`` is your class: ``Value(number)`` must make a leaf with ``.data`` and
    ``.grad``; ``a + b`` and ``a * b`` (Values, or a Value and a plain number) must return a
    new Value that remembers its inputs in ``_prev`` and its rule in ``_backward``. Each call
    uses fresh random numbers (``seed`` repeats a run exactly; ``rounds`` runs every
    expression that many times). With ``save=False`` nothing is recorded.

    >>> check_add_mul(Value)  # doctest: +SKIP
    ✓ All 70 checks passed — your + and * send gradients backward correctly.
    """
    cls = check_class(value_cls, "check_add_mul")
    report = run_cases(
        "+ and *",
        "your + and * send gradients backward correctly.",
        add_mul_cases(),
        cls,
        seed,
        rounds,
    )
    objects = {"Value.__add__": getattr(cls, "__add__", None),
               "Value.__mul__": getattr(cls, "__mul__", None)}  # fmt: skip
    return finish("03.add_mul", report, objects, save=save)


# --------------------------------------------------------------------------- quiz
# Every number a `why` quotes is printed by the lesson (or by the check it asks to run):
# f = (a + b) * c at a = 1.5, b = 0.5, c = -2 gives s.grad = -2, c.grad = 2; in the two-copy L
# (w = 3, x = 2, y = 5) u = v = 1, w.grad = 2 + 2 = 4, and a second backward() makes it 8.
# With `=` in the rule of + only, check_add_mul fails `c = a + a` (expected 2.0, got 1.0) and
# `d = (a + b) + a`, cannot judge `e = (a + b) * (a * c)` ("it also uses +, which needs fixing
# first"), and passes `d = a * b + a` (tests/course/test_lesson03_quiz.py runs exactly that).
QUIZ = [
    Question(
        "03.mul_rule",
        "In `out = a * b`, what does the backward rule add to `a.grad`?",
        [
            Choice(
                "`out.grad`",
                "That is the rule of `+`, whose local derivatives are both 1. A product's are "
                "not: ∂(a·b)/∂a = b, so the gradient that arrived must be multiplied by b.",
            ),
            Choice(
                "`a.data * out.grad`",
                "That multiplies by a's own value, the slip the checker names (\"You "
                "multiplied by a's own value\"). If a moves by ε, a·b moves by b·ε: a's local "
                "derivative is b, the *other* factor.",
            ),
            Choice(
                "`b.data * out.grad`",
                "∂(a·b)/∂a = b, and the chain rule multiplies the local derivative by the "
                "gradient that arrived at out: `a.grad += b.data * out.grad`. Each factor "
                "receives the other factor's value (in the lesson's f = s · c, "
                "s.grad += c · f.grad = -2).",
            ),
            Choice(
                "`b.grad * out.grad`",
                "`b.grad` is a gradient, d(output)/db, which backward() is still filling in "
                "while the rules run (for `c = a * b` it is 0 at that moment). The local "
                "derivative the rule needs is b's value, `b.data`.",
            ),
        ],
        answer=2,
    ),
    Question(
        "03.order",
        "`backward()` lists the values in topological order and runs the rules in reverse. "
        "Why that order, rather than, say, breadth-first from the output (nearest values "
        "first, each rule run once too)?",
        [
            Choice(
                "So the leaves' rules run first: inputs need their grads before anything else",
                "The rules run from the output back to the inputs, and a leaf (an input) has no "
                "rule at all: its `_backward` is None. The leaves' grads are the last to be "
                "finished, not the first.",
            ),
            Choice(
                "So a value's rule runs only once every use of it has added its share",
                "A rule passes its node's grad on to the node's inputs. In reverse topological "
                "order a node comes after everything that uses it, so its grad is complete "
                "when its rule runs. (Lesson 05 looks at this order closely.)",
            ),
            Choice(
                "So no rule runs twice: otherwise a value used twice would run its rule twice",
                "The `visited` set is what lists each value once, and any walk with such a "
                "set (breadth-first from the output, say) runs every rule once. But it can run "
                "a node's rule before a later use has added its share, and pass on an "
                "incomplete gradient.",
            ),
            Choice(
                "So the forward computations can be redone in order, step by step",
                "backward() never recomputes a value: each node stored its number in `.data` "
                "during the forward pass, and the rules read it there (`other.data`, "
                "`self.data`).",
            ),
        ],
        answer=1,
    ),
    Question(
        "03.two_copies",
        "In `L = (w*x + Value(-1)*y) * (w*x + Value(-1)*y)` at w = 3, x = 2, y = 5, each copy "
        "of `w*x` sends 2 to `w`, yet one `L.backward()` leaves `w.grad` at 4. Why?",
        [
            Choice(
                "`backward()` ran twice, and leaf gradients add up across calls",
                "That cell calls `L.backward()` once, on a new graph whose leaves start at 0. "
                "Calls do accumulate (the lesson's second call takes w.grad from 4 to 8), but "
                "that is a different effect.",
            ),
            Choice(
                "The last `*` doubles every gradient that passes through it",
                "The last `×` sends each factor the other factor's value times L.grad: "
                "u.grad = v = 1 and v.grad = u = 1. Here it multiplies by 1, since "
                "u = v = wx - y = 1.",
            ),
            Choice(
                "It is a bug: `w` is in one formula, wx - y, so its gradient is 2",
                "Lesson 02 worked it out by hand: dL/dw = 2(wx - y)·x = 2·1·2 = 4, and the "
                "engine agrees. 2 is only one copy's share.",
            ),
            Choice(
                "`w` feeds both copies, and each copy adds its share with `+=`",
                "L depends on w along two paths, one through each copy of w*x (w's box turns "
                "red twice in the animation). `+=` sums the shares, 2 + 2 = 4: the product "
                "rule, d(uv)/dw = u'v + uv', falling out of `+=`.",
            ),
        ],
        answer=3,
    ),
    Question(
        "03.assign",
        "From the Try it list: you use `=` instead of `+=` in the rule of `+` only (the rule "
        "of `*` stays right) and run the check. Which of these still gets the right "
        "gradients?",
        [
            Choice(
                "`d = a * b + a`",
                "The `+` is the last operation, so its rule runs first, while a.grad is still "
                "0: `=` and `+=` both leave 1 there. Then the rule of `*` adds b with its own "
                "`+=`: a.grad = b + 1. A value used twice breaks `=` only when a share is "
                "already there to be overwritten.",
            ),
            Choice(
                "`c = a + a`",
                "Here `self` and `other` are the same object, a: the rule sets a.grad = 1, then "
                "sets it to 1 again. One share is lost, and the check reports a.grad = 1.0 "
                "where it expected 2.0.",
            ),
            Choice(
                "`d = (a + b) + a`",
                "Both `+`s write to a: the outer one runs first and sets a.grad = 1, then the "
                "inner one sets it to 1 again instead of adding. The check lists it among the "
                "failures of `+`.",
            ),
            Choice(
                "`e = (a + b) * (a * c)`",
                "backward() runs the rule of `a * c` before that of `a + b`, so the `+` "
                "overwrites the share a already got from `*`: a.grad = a·c instead of "
                'a·c + (a + b)·c. The check says it "could not be judged" (it also uses +, '
                "which needs fixing first).",
            ),
        ],
        answer=0,
        try_it=True,
    ),
]

# --------------------------------------------------------------------------- study with an AI
STUDY = Study(
    goals=[
        "know the six things a `Value` stores (the sixth, `label`, only for pictures), and "
        "why each is there",
        "write the backward rules of `+` and `*` — the chain rule, one operation at a time",
        "run backpropagation through your own class, and watch it",
        "see why a value used twice collects the sum of its gradients",
        "see that gradients accumulate when you call `backward()` twice, and how to reset them",
    ],
    formulas=[
        "a Value stores data, grad, _prev (its inputs), _op (its operation) and _backward "
        "(its rule), plus an optional label",
        "out = a + b: a.grad += out.grad, b.grad += out.grad (d(a+b)/da = d(a+b)/db = 1: + "
        "copies the gradient)",
        "out = a * b: a.grad += b.data * out.grad, b.grad += a.data * out.grad (d(a*b)/da = b: "
        "each input gets the other one's value)",
        "a value used several times: its grad is the sum of the shares from every use, so "
        "every rule uses +=",
        "backward(): topological order, reset the intermediate grads, seed output.grad = 1, "
        "run the rules from the output back to the inputs; leaf grads accumulate across calls",
    ],
    demo=(
        "An animation of f = (a + b) * c at a = 1.5, b = 0.5, c = -2 in the packaged engine "
        "(the × sends s.grad = c = -2 and c.grad = s = 2, the + copies -2 to a and b), then "
        "your own Value on c = a * b + a at a = 2, b = -3 (a.grad = b + 1 = -2, b.grad = 2). "
        "Then lesson 02's loss L = (wx - y)² at w = 3, x = 2, y = 5 built from + and * alone "
        "(dL/dw = 4, dL/dx = 6, dL/dy = -2; written with two copies of w*x the graph has 12 "
        "values, and w.grad collects 2 + 2; with the factor d built once, 8 values), and a "
        "second backward() that doubles the leaves' grads to 8, 12, -4 until zero_grad resets "
        "them."
    ),
    try_it=[
        "Break a rule on purpose. In the exercise cell, paste the solution but write "
        "self.grad += self.data * out.grad in *, run it, and print(check_add_mul(Value)): "
        "which rule does it name, and which mistake does it guess?",
        "Use = instead of += in the rule of + and run the check: which expressions fail, and "
        "why does a value used twice not always make one fail?",
        "Forget zero_grad. After the zero_grad cell, call L.backward() three more times, then "
        "print w.grad: predict the number first",
    ],
)
