"""A learner's class may write its backward rules as closures (``def _backward():``, the
micrograd form lesson 03 teaches) or as ``_backward(out)`` (the cycle-free form of lesson 05):
the pictures, the animation and ``run_rule`` handle both, with the same numbers."""

from __future__ import annotations

import pytest

from autograd import Value, animate_backward, draw_dot
from autograd.engine import run_rule


class Closure:
    def __init__(self, data, _prev=(), _op="", label=""):
        self.data, self.grad = float(data), 0.0
        self._prev, self._op, self._backward, self.label = tuple(_prev), _op, None, label

    def __add__(self, other):
        out = Closure(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        out = Closure(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out


class OutForm(Closure):
    def __add__(self, other):
        out = OutForm(self.data + other.data, (self, other), "+")

        def _backward(out):
            a, b = out._prev
            a.grad += out.grad
            b.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        out = OutForm(self.data * other.data, (self, other), "*")

        def _backward(out):
            a, b = out._prev
            a.grad += b.data * out.grad
            b.grad += a.data * out.grad

        out._backward = _backward
        return out


@pytest.mark.parametrize("cls", [Closure, OutForm, Value], ids=lambda c: c.__name__)
def test_animation_of_either_form_ends_with_the_true_gradients(cls):
    a, b = cls(2.0, label="a"), cls(-3.0, label="b")
    c = a * b + a
    anim = animate_backward(c)
    assert len(anim.steps) == 4  # start, seed, one per rule
    assert (a.grad, b.grad) == (-2.0, 2.0)  # b + 1 and a
    last = anim.steps[-1].caption
    assert "a.grad += b · " in last and "(a.grad: 1.0 → -2.0)" in last


@pytest.mark.parametrize("cls", [Closure, OutForm], ids=lambda c: c.__name__)
def test_draw_dot_of_either_form_lists_every_value(cls):
    a, b = cls(2.0, label="a"), cls(-3.0, label="b")
    text = str(draw_dot(a * b + a))
    assert text.startswith("<computation graph: 4 values, 2 ops>")


@pytest.mark.parametrize("cls", [Closure, OutForm], ids=lambda c: c.__name__)
def test_run_rule_calls_each_form_correctly(cls):
    a, b = cls(2.0), cls(5.0)
    out = a * b
    out.grad = 1.0
    run_rule(out)
    assert (a.grad, b.grad) == (5.0, 2.0)


def test_run_rule_passes_the_node_to_a_bound_method_rule():
    class Node:
        def __init__(self):
            self.seen = None
            self._backward = self.rule

        def rule(self, out):
            self.seen = out

    n = Node()
    run_rule(n)
    assert n.seen is n
