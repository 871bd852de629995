"""Tests for ``autograd.animate_backward``: the frames replay backward() faithfully, the
captions state the chain rule with the right numbers (checked by central differences), the
layout never moves, and the player and the saved page work."""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from autograd import BackwardAnimation, Value, animate_backward
from autograd.animate import ACTIVE, FLOW

ROOT = Path(__file__).resolve().parent.parent
NBVAL_REGEX = r"<svg[\s\S]*?</svg>"


def abab():
    """``c = a * b + a`` with a = 2, b = -3 (dc/da = b + 1 = -2, dc/db = a = 2)."""
    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    c = a * b + a
    c.label = "c"
    return a, b, c


def neuron():
    """A small neuron with a loss: every kind of op the scalar engine has, and re-use."""
    x1, x2 = Value(2.0, label="x1"), Value(-1.0, label="x2")
    w1, w2, b = Value(-0.5, label="w1"), Value(0.75, label="w2"), Value(0.3, label="b")
    z = x1 * w1 + x2 * w2 + b
    h = z.tanh()
    s = (z * 0.5).sigmoid() + z.relu() + (-h).exp() + (h + 2.0).log()
    t = Value(1.5, label="t")
    loss = (s - t) ** 2 / Value(2.0, label="two") + (w1 * w1 + 1.0) ** Value(0.5, label="p")
    loss.label = "loss"
    return [x1, x2, w1, w2, b, t], loss


def positions(svg: str) -> dict[str, str]:
    """``data-node`` -> its ``transform`` (where the box or circle is drawn)."""
    return dict(re.findall(r'data-node="([^"]+)" transform="([^"]+)"', svg))


def edge_paths(svg: str) -> dict[str, str]:
    """``data-edge`` -> the curve ``d`` of its path."""
    return dict(re.findall(r'data-edge="([^"]+)"><path[^>]* d="([^"]+)"', svg))


def node_svg(svg: str, name: str) -> str:
    """The SVG group of one node (``v3`` or ``op3``)."""
    m = re.search(rf'<g class="ag-\w+" data-node="{name}".*?</g>', svg)
    assert m, name
    return m.group(0)


# ----------------------------------------------------------------------------- frames
def test_frame_count_is_start_seed_and_one_per_rule():
    _, _, c = abab()
    anim = animate_backward(c)
    assert isinstance(anim, BackwardAnimation)
    assert len(anim.frames) == len(anim.steps) == len(anim) == 4
    assert [s.kind for s in anim.steps] == ["start", "seed", "rule", "rule"]
    assert [s.index for s in anim.steps] == [0, 1, 2, 3]
    assert [s.name for s in anim.steps] == ["", "c", "c", "n2"]  # backward order
    assert [s.op for s in anim.steps[2:]] == ["+", "*"]


def test_frames_start_at_zero_and_end_with_the_real_gradients():
    leaves, loss = neuron()
    for v in leaves:
        v.grad = 123.0  # stale grads from an earlier pass must not leak in
    anim = animate_backward(loss)
    assert "grad 123" not in anim.frames[0]
    assert len(re.findall(r">grad 0\.0000<", anim.frames[0])) == len(positions(anim.frames[0])) - (
        len(anim.frames) - 2
    )  # every value box (the op circles have no grad)
    got = [v.grad for v in leaves]
    fresh_leaves, fresh_loss = neuron()
    fresh_loss.backward()
    assert got == [v.grad for v in fresh_leaves]  # bit for bit: the same rules, same order
    last = anim.frames[-1]
    for v in fresh_leaves:
        assert f"grad {v.grad:.4f}<" in node_svg(last, _node_id(last, v.label))


def _node_id(svg: str, label: str) -> str:
    m = re.search(rf'data-node="(v\d+)"[^>]*>(?:(?!</g>).)*?>{re.escape(label)}</text>', svg)
    assert m, label
    return m.group(1)


def test_intermediate_grads_also_match_backward():
    _, loss = neuron()
    animate_backward(loss)
    from autograd.engine import topological_order

    animated = [n.grad for n in topological_order(loss)]
    _, fresh = neuron()
    fresh.backward()
    assert animated == [n.grad for n in topological_order(fresh)]


def test_calling_twice_gives_identical_frames():
    _, _, c = abab()
    first = animate_backward(c)
    second = animate_backward(c)  # resets the grads, so the replay is the same
    assert first.frames == second.frames
    assert [s.caption for s in first.steps] == [s.caption for s in second.steps]
    _, _, c2 = abab()
    assert animate_backward(c2).frames == first.frames  # an identical graph: identical frames


ANIM_SCRIPT = """
import hashlib
from autograd import Value, animate_backward
a = Value(2.0, label="a"); b = Value(-3.0, label="b")
c = (a * b + a).tanh() * b
anim = animate_backward(c)
print(hashlib.sha256("".join(anim.frames).encode()).hexdigest())
"""


def test_frames_are_identical_across_processes():
    digests = {
        subprocess.run(
            [sys.executable, "-c", ANIM_SCRIPT],
            env=dict(os.environ, PYTHONHASHSEED=seed),
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("0", "987")
    }
    assert len(digests) == 1


def test_layout_is_identical_in_every_frame():
    _, loss = neuron()
    anim = animate_backward(loss)
    first_nodes, first_edges = positions(anim.frames[0]), edge_paths(anim.frames[0])
    assert len(first_nodes) > 20 and len(first_edges) > 20
    sizes = re.findall(r'<svg [^>]*width="([^"]+)" height="([^"]+)"', anim.frames[0])
    for frame in anim.frames:
        assert positions(frame) == first_nodes
        assert edge_paths(frame) == first_edges
        assert re.findall(r'<svg [^>]*width="([^"]+)" height="([^"]+)"', frame) == sizes
        # every box keeps its size too
        assert re.findall(r'<g class="ag-value"[^>]*><rect ([^/]*) fill', frame) == re.findall(
            r'<g class="ag-value"[^>]*><rect ([^/]*) fill', anim.frames[0]
        )


def test_each_frame_highlights_its_step():
    _, _, c = abab()
    anim = animate_backward(c)
    f0, f1, f2, f3 = anim.frames
    assert 'class="ag-flow"' not in f0 and FLOW not in f0 and ACTIVE not in f0
    # seed: the output's box is active and its grad changed; no edge carries gradient yet
    assert ACTIVE in node_svg(f1, "v3") and f'fill="{FLOW}">grad 1.0000' in node_svg(f1, "v3")
    assert 'class="ag-flow"' not in f1
    # the + rule: its op circle is active, gradient flows into both inputs, both grads change
    assert f'fill="{ACTIVE}"' in node_svg(f2, "op3")
    flowing = re.findall(r'data-edge="([^"]+)"><path class="ag-flow"', f2)
    assert sorted(flowing) == ["op3-v3", "v0-op3", "v2-op3"]
    assert f'fill="{FLOW}">grad 1.0000' in node_svg(f2, "v0")  # a
    assert f'fill="{FLOW}">grad 1.0000' in node_svg(f2, "v2")  # n2
    assert FLOW not in node_svg(f2, "v1")  # b: untouched so far
    # the * rule: a accumulates 1 + (-3) = -2 and b gets 2
    flowing = re.findall(r'data-edge="([^"]+)"><path class="ag-flow"', f3)
    assert sorted(flowing) == ["op2-v2", "v0-op2", "v1-op2"]
    assert f'fill="{FLOW}">grad -2.0000' in node_svg(f3, "v0")
    assert f'fill="{FLOW}">grad 2.0000' in node_svg(f3, "v1")
    assert FLOW not in node_svg(f3, "v3")


def test_svg_frames_are_clean_single_elements():
    _, _, c = abab()
    for frame in animate_backward(c).frames:
        assert frame.startswith("<svg") and frame.endswith("</svg>")
        assert re.sub(NBVAL_REGEX, "SVG", frame) == "SVG"
        assert "<!--" not in frame and " id=" not in frame  # no ids that could clash in a page


# ----------------------------------------------------------------------------- re-use
def test_reused_value_accumulates():
    a = Value(3.0, label="a")
    s = a + a
    anim = animate_backward(s)
    assert len(anim.frames) == 3
    step = anim.steps[2]
    assert [(ch.name, ch.old, ch.new) for ch in step.changes] == [("a", 0.0, 2.0)]
    assert "(a.grad: 0.0 → 1.0)" in step.caption
    assert "(a.grad: 1.0 → 2.0)" in step.caption
    assert a.grad == 2.0


def test_reuse_across_steps_is_visible_in_the_records():
    a, _, c = abab()
    anim = animate_backward(c)
    history = [(ch.old, ch.new) for s in anim.steps for ch in s.changes if ch.node is a]
    assert history == [(0.0, 1.0), (1.0, -2.0)]
    assert "(a.grad: 1.0 → -2.0)" in anim.steps[3].caption


# ----------------------------------------------------------------------------- captions
CONTRIB = re.compile(r"^(\S+)\.grad \+= .* = (-?[\d.e+-]+)    \(", re.M)


def contributions(caption: str) -> list[tuple[str, float]]:
    """(input name, amount added) for every ``x.grad += ... = amount`` line."""
    return [(name, float(num)) for name, num in CONTRIB.findall(caption)]


def central_difference(f, x: float, h: float = 1e-6) -> float:
    return (f(x + h) - f(x - h)) / (2 * h)


UNARY = [
    ("neg", lambda v: -v, lambda x: -x, 0.7),
    ("relu", lambda v: v.relu(), lambda x: max(x, 0.0), 0.7),
    ("relu", lambda v: v.relu(), lambda x: max(x, 0.0), -0.7),
    ("tanh", lambda v: v.tanh(), math.tanh, 0.7),
    ("exp", lambda v: v.exp(), math.exp, 0.7),
    ("log", lambda v: v.log(), math.log, 0.7),
    ("sigmoid", lambda v: v.sigmoid(), lambda x: 1 / (1 + math.exp(-x)), 0.7),
    ("**3", lambda v: v**3, lambda x: x**3, 0.7),
    ("**-1", lambda v: v**-1, lambda x: x**-1, 0.7),
]


@pytest.mark.parametrize(("op", "make", "f", "x0"), UNARY)
def test_unary_captions_state_the_local_derivative(op, make, f, x0):
    x = Value(x0, label="x")
    y = make(x) * 3.0  # so the gradient arriving at the op is 3, not 1
    anim = animate_backward(y)
    step = anim.steps[3]  # start, seed, the * 3 rule, then the op's rule
    assert step.op == op
    assert step.caption.startswith("n1 = ")
    [(name, amount)] = contributions(step.caption)
    expected = 3.0 * central_difference(f, x0)
    assert name == "x"
    assert amount == pytest.approx(expected, abs=1e-3)
    assert x.grad == pytest.approx(expected, abs=1e-6)
    assert "· n1.grad" in step.caption or "-n1.grad" in step.caption
    assert "3.0" in step.caption  # the incoming gradient appears in the numbers


@pytest.mark.parametrize(
    ("op", "make", "f"),
    [
        ("+", lambda a, b: a + b, lambda a, b: a + b),
        ("-", lambda a, b: a - b, lambda a, b: a - b),
        ("*", lambda a, b: a * b, lambda a, b: a * b),
        ("/", lambda a, b: a / b, lambda a, b: a / b),
        ("**", lambda a, b: a**b, lambda a, b: a**b),
    ],
)
def test_binary_captions_state_both_local_derivatives(op, make, f):
    a0, b0 = 1.5, -0.8
    a, b = Value(a0, label="a"), Value(b0, label="b")
    anim = animate_backward(make(a, b))
    step = anim.steps[2]
    assert step.op == op
    got = dict(contributions(step.caption))
    assert got["a"] == pytest.approx(central_difference(lambda t: f(t, b0), a0), abs=1e-3)
    assert got["b"] == pytest.approx(central_difference(lambda t: f(a0, t), b0), abs=1e-3)


def test_caption_examples_read_like_the_chain_rule():
    _, _, c = abab()
    anim = animate_backward(c)
    assert anim.steps[1].caption.startswith("Seed: c.grad = 1.0")
    plus, times = anim.steps[2].caption, anim.steps[3].caption
    assert plus.splitlines()[0].startswith("c = n2 + a")
    assert "a.grad += c.grad = 1.0" in plus
    assert times.splitlines()[0].startswith("n2 = a · b")
    assert "a.grad += b · n2.grad = -3.0 · 1.0 = -3.0" in times
    assert "b.grad += a · n2.grad = 2.0 · 1.0 = 2.0" in times


def test_relu_blocking_the_gradient_changes_nothing():
    x = Value(-2.0, label="x")
    anim = animate_backward(x.relu())
    step = anim.steps[2]
    assert step.changes == ()
    assert "= 0.0 · 1.0 = 0.0" in step.caption
    assert FLOW not in re.sub(r'<g class="ag-edge".*?</g>', "", anim.frames[2])


def test_unlabelled_nodes_get_the_same_names_as_in_draw_dot():
    from autograd import draw_dot

    x = Value(2.0)
    y = (x * 3.0).tanh()
    anim = animate_backward(y)
    src = draw_dot(y).source
    for step in anim.steps[1:]:
        assert f"{step.name} | data" in src
    assert anim.steps[2].caption.startswith("n3 = tanh(n2)")


# ----------------------------------------------------------------------------- the player
def test_slider_drives_show():
    _, _, c = abab()
    anim = animate_backward(c)
    anim.widget  # noqa: B018 -- build the player
    parts = anim._parts
    slider, picture, caption, counter = (
        parts["slider"],
        parts["picture"],
        parts["caption"],
        parts["counter"],
    )
    assert picture.value == anim.frames[0] and counter.value == "step 0 / 3"
    slider.value = 2
    assert picture.value == anim.frames[2]
    assert "c = n2 + a" in caption.value
    assert counter.value == "step 2 / 3"
    anim.show(3)  # and show() moves the slider
    assert slider.value == 3 and picture.value == anim.frames[3]


def test_widget_has_play_linked_to_slider():
    import ipywidgets as widgets

    _, _, c = abab()
    anim = animate_backward(c)
    box = anim.widget
    assert isinstance(box, widgets.VBox)
    controls = box.children[0]
    play, slider, counter = controls.children
    assert isinstance(play, widgets.Play) and isinstance(slider, widgets.IntSlider)
    assert (play.min, play.max, slider.min, slider.max) == (0, 3, 0, 3)
    assert isinstance(counter, widgets.Label)
    link = anim._parts["link"]
    assert link._model_name == "LinkModel"  # a jslink: Play moves the slider in the browser
    assert link.source == (play, "value") and link.target == (slider, "value")
    assert anim.widget is box  # built once


def test_show_rejects_bad_frames():
    _, _, c = abab()
    anim = animate_backward(c)
    with pytest.raises(IndexError, match="frames 0..3"):
        anim.show(4)
    with pytest.raises(IndexError):
        anim.show(-1)
    with pytest.raises(TypeError, match="int"):
        anim.show("2")


def test_repr_and_mimebundle_are_deterministic():
    _, _, c = abab()
    anim = animate_backward(c)
    assert repr(anim) == "<BackwardAnimation: 4 frames>"
    bundle = anim._repr_mimebundle_()
    assert bundle["text/plain"] == "<BackwardAnimation: 4 frames>"
    assert "application/vnd.jupyter.widget-view+json" in bundle


# ----------------------------------------------------------------------------- saved page
def test_saved_page_is_self_contained(tmp_path):
    _, loss = neuron()
    anim = animate_backward(loss)
    page = anim.save_html(tmp_path / "anim.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    low = page.lower()
    for loader in ("<link", "@import", "url(", " src=", " href=", "//cdn", "http:", "https:"):
        assert loader not in low, loader
    assert low.count("<script") == 1  # one inline script, and it has no src
    assert page.count('<div class="ag-frame"') == len(anim.frames)
    assert page.count('<div class="ag-caption"') == len(anim.frames)
    assert page.count(" hidden>") == 2 * (len(anim.frames) - 1)  # only frame 0 shows at first
    last = len(anim) - 1
    assert f'<input type="range" id="ag-slider" min="0" max="{last}"' in page
    assert 'id="ag-play"' in page and f"step 0 / {last}" in page
    for frame in anim.frames:  # every frame is inline (without its xmlns, not needed in HTML)
        assert frame.replace(' xmlns="http://www.w3.org/2000/svg"', "") in page


def test_saved_page_escapes_user_text(tmp_path):
    x = Value(1.0, label="</script><script>alert(1)</script>")
    anim = animate_backward(x * 2.0)
    page = anim.save_html(tmp_path / "a.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in page
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in page


# ----------------------------------------------------------------------------- tensors
def test_tensor_graphs_animate_like_backward():
    tensor = pytest.importorskip("autograd.tensor")
    rng = np.random.default_rng(0)

    def build():
        W = tensor.Tensor(rng.normal(size=(3, 4)), requires_grad=True, label="W")
        x = tensor.Tensor(rng.normal(size=4), label="x")
        loss = (W @ x).tanh().sum()
        loss.label = "loss"
        return W, x, loss

    rng = np.random.default_rng(0)
    W, x, loss = build()
    anim = animate_backward(loss, params=[W])
    assert len(anim.frames) == 2 + 3  # @, tanh, sum
    assert "shape (3, 4)" in anim.frames[0] and "grad —" in anim.frames[0]
    assert "W.grad: — → norm" in anim.steps[-1].caption
    assert x.grad is None  # x does not require grad: nothing reaches it
    rng = np.random.default_rng(0)
    W2, _, loss2 = build()
    loss2.backward()
    np.testing.assert_array_equal(W.grad, W2.grad)
    assert positions(anim.frames[0]) == positions(anim.frames[-1])


def test_tensor_output_must_be_one_element():
    tensor = pytest.importorskip("autograd.tensor")
    W = tensor.Tensor(np.ones((2, 2)), requires_grad=True)
    with pytest.raises(ValueError, match=r"one-element output.*\(2, 2\)"):
        animate_backward(W * 2.0)


# ----------------------------------------------------------------------------- limits
def test_too_big_graph_is_refused():
    y = Value(1.0)
    for _ in range(100):
        y = y * 1.0
    with pytest.raises(ValueError, match=r"201 values, more than max_nodes=150"):
        animate_backward(y)
    assert len(animate_backward(y, max_nodes=201).frames) == 102


def test_bad_arguments():
    _, _, c = abab()
    with pytest.raises(TypeError, match="needs a Value"):
        animate_backward([c])
    with pytest.raises(ValueError, match="rankdir"):
        animate_backward(c, rankdir="up")
    with pytest.raises(ValueError, match="interval_ms"):
        animate_backward(c, interval_ms=0)


class _LearnerValue:
    """A learner's own class, as lesson 03/04 builds it: no ``_ctx``, leaves with a no-op rule."""

    def __init__(self, data, _prev=(), _op=""):
        self.data, self.grad, self._prev, self._op, self.label = data, 0.0, _prev, _op, ""
        self._backward = lambda out: None

    def __mul__(self, other):
        out = _LearnerValue(self.data * other.data, (self, other), "*")

        def _backward(out):
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __pow__(self, n):
        out = _LearnerValue(self.data**n, (self,), f"**{n}")

        def _backward(out):
            self.grad += n * self.data ** (n - 1) * out.grad

        out._backward = _backward
        return out


def test_a_learners_class_without_ctx_animates_and_leaves_get_no_frames():
    a, b = _LearnerValue(3.0), _LearnerValue(-2.0)
    loss = (a * b) ** 2  # d/da = 2(ab)·b = 24, d/db = 2(ab)·a = -36
    anim = animate_backward(loss)
    assert len(anim.frames) == 4  # before, seed, **2, *  (no frames for the two leaves)
    assert "2 ·" in anim.steps[2].caption
    assert (a.grad, b.grad) == (24.0, -36.0)
