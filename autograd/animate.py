"""Watch gradients flow: ``animate_backward(root)`` replays ``backward()`` one node at a time.

``root.backward()`` does all its work in one go. This module runs *the same steps* slowly:

1. every ``grad`` is set to 0 (frame 0: "before");
2. the output's grad is seeded with 1, because d(root)/d(root) = 1 (frame 1);
3. the nodes are visited in ``backward_order`` (every node before its inputs), and each
   node's local rule ``_backward(node)`` adds "local derivative × node.grad" into its
   inputs' grads -- one frame per rule, with a caption that writes the rule out with numbers.

>>> from autograd import Value, animate_backward
>>> a = Value(2.0, label="a"); b = Value(-3.0, label="b")
>>> c = a * b + a; c.label = "c"
>>> anim = animate_backward(c)
>>> anim                       # in Jupyter: a player with a slider
<BackwardAnimation: 4 frames>
>>> print(anim.steps[3].caption)
n2 = a · b    (∂n2/∂a = b, ∂n2/∂b = a)
a.grad += b · n2.grad = -3.0 · 1.0 = -3.0    (a.grad: 1.0 → -2.0)
b.grad += a · n2.grad = 2.0 · 1.0 = 2.0    (b.grad: 0.0 → 2.0)

Look at ``a``: it is used twice, so it receives gradient twice. After the ``+`` rule its
grad is 1.0; the ``·`` rule then *adds* -3.0, giving -2.0. That is why every rule uses ``+=``.

When the animation is built, the graph holds exactly the gradients ``c.backward()`` would
have given from zero grads (the same rules ran in the same order). Note: it first resets
*every* grad to 0, leaves included, so gradients accumulated by earlier ``backward()``
calls are gone.

How the pictures stay still: Graphviz lays the graph out **once** (``dot -Tplain`` gives
each box's position and each edge's curve); every frame is then drawn as SVG from those same
positions, so between frames only colours and numbers change. The frames are made in
advance, which makes moving the slider instant. ``save_html(path)`` writes the whole
animation into one web page that plays in any browser, without Python.
"""

from __future__ import annotations

import base64
import html
import json
import math
import shlex
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import graphviz
import numpy as np

from .draw import (
    COLOURS,
    EDGE_COLOUR,
    FONT,
    TEXT_COLOUR,
    edge_labels,
    format_array,
    grad_text,
    graph_nodes,
    is_array,
    node_name,
    op_symbol,
    render,
    value_kinds,
    value_rows,
)
from .engine import run_rule

__all__ = ["BackwardAnimation", "GradChange", "Step", "animate_backward"]

# ----------------------------------------------------------------------------- look
ACTIVE = "#7c3aed"  # violet: the node whose rule runs in this step
ACTIVE_DARK = "#5b21b6"
FLOW = "#dc2626"  # red: gradient travelling along an edge, and grads that just changed
FLOW_BG = "#fee2e2"
FONT_STACK = "Helvetica, Arial, 'DejaVu Sans', 'Liberation Sans', sans-serif"
FONT_SIZE = 12.0
ROW_H = 17.0  # height of one text row in a value box
PAD_X = 9.0  # space left and right of the text in a box
MIN_BOX_W = 84.0
MARGIN = 10.0  # white space around the picture
SCALE = 4 / 3  # layout units are points (1/72 inch); shown as CSS px at Graphviz's own scale

_SVG_STYLE = (
    "<style>"
    ".ag-flow{stroke-dasharray:7 4;animation:ag-flow .9s linear infinite}"
    "@keyframes ag-flow{to{stroke-dashoffset:11}}"
    "@media (prefers-reduced-motion:reduce){.ag-flow{animation:none}}"
    "</style>"
)


# ----------------------------------------------------------------------------- records
@dataclass(frozen=True, eq=False)
class GradChange:
    """One grad that a step changed: ``node.grad`` went from ``old`` to ``new``."""

    node: Any
    name: str
    old: Any  # a float, or a copy of an array
    new: Any


@dataclass(frozen=True, eq=False)
class Step:
    """What frame ``index`` shows.

    ``kind`` is ``"start"`` (frame 0, before backward), ``"seed"`` (the output's grad set to 1)
    or ``"rule"`` (``node._backward(node)`` ran). ``caption`` is the rule written out with
    numbers (lines separated by ``\\n``); ``changes`` lists every grad that changed.
    """

    index: int
    kind: str
    node: Any | None
    name: str
    op: str
    caption: str
    changes: tuple[GradChange, ...]


# ----------------------------------------------------------------------------- numbers
def _num(x: float) -> str:
    """A short number for captions: ``-3.0``, ``0.6667``, ``1.2e-05``."""
    x = float(x)
    if x == 0.0:
        return "0.0"
    if not math.isfinite(x) or abs(x) >= 1e5 or abs(x) < 1e-4:
        return f"{x:.4g}"
    s = f"{x:.4f}".rstrip("0")
    return s + "0" if s.endswith(".") else s


def _factor(x: float) -> str:
    """A number used as a factor after ``·``: negative ones get parentheses."""
    s = _num(x)
    return f"({s})" if s.startswith("-") else s


def _summary(x: Any) -> str:
    """A grad for a caption: a number, an array summary, or ``—`` (None)."""
    if x is None:
        return "—"
    if is_array(x):
        return format_array(x)
    return _num(x)


def _copy(grad: Any) -> Any:
    return grad.copy() if is_array(grad) else grad


def _changed(old: Any, new: Any) -> bool:
    if old is None or new is None:
        return old is not new
    if is_array(old) or is_array(new):
        return not np.array_equal(old, new)
    return bool(old != new)


# ----------------------------------------------------------------------------- captions
def _local_derivatives(out: Any, name: Any) -> tuple[str, list[tuple[Any, str, float]]] | None:
    """The formula of ``out`` and, per input, its local derivative (as text and as a number).

    Returns None for an operation this table does not know (or for array data); the caption
    then just reports which grads changed.
    """
    op, ins = out._op, out._prev
    if is_array(out.data) or any(is_array(p.data) for p in ins):
        return None
    o = name(out)
    if len(ins) == 2:
        x, y = ins
        xn, yn, xd, yd = name(x), name(y), x.data, y.data
        if op == "+":
            return f"{o} = {xn} + {yn}", [(x, "1", 1.0), (y, "1", 1.0)]
        if op == "-":
            return f"{o} = {xn} - {yn}", [(x, "1", 1.0), (y, "-1", -1.0)]
        if op == "*":
            return f"{o} = {xn} · {yn}", [(x, yn, yd), (y, xn, xd)]
        if op == "/":
            return f"{o} = {xn} / {yn}", [
                (x, f"1/{yn}", 1.0 / yd),
                (y, f"-{o}/{yn}", -out.data / yd),
            ]
        if op == "**":
            d_exp = out.data * math.log(xd) if xd > 0.0 else 0.0
            return f"{o} = {xn} ** {yn}", [
                (x, f"{yn} · {xn}**({yn} - 1)", yd * xd ** (yd - 1)),
                (y, f"{o} · log({xn})", d_exp),
            ]
        return None
    if len(ins) != 1:
        return None
    (x,) = ins
    xn, xd, od = name(x), x.data, out.data
    if op.startswith("**"):
        n = getattr(out, "_ctx", None)
        n = float(op[2:]) if n is None else n
        return f"{o} = {xn}**{n:g}", [(x, f"{n:g} · {xn}**{n - 1:g}", n * xd ** (n - 1))]
    unary = {
        "neg": (f"{o} = -{xn}", "-1", -1.0),
        "relu": (f"{o} = relu({xn})", f"(1 if {xn} > 0 else 0)", 1.0 if od > 0.0 else 0.0),
        "tanh": (f"{o} = tanh({xn})", f"(1 - {o}²)", 1.0 - od * od),
        "exp": (f"{o} = exp({xn})", o, od),
        "log": (f"{o} = log({xn})", f"1/{xn}", 1.0 / xd if xd != 0.0 else math.nan),
        "sigmoid": (f"{o} = sigmoid({xn})", f"{o} · (1 - {o})", od * (1.0 - od)),
    }
    if op not in unary:
        return None
    formula, sym, value = unary[op]
    return formula, [(x, sym, value)]


_INFIX = {"+": "+", "-": "-", "*": "·", "/": "/", "@": "@", "**": "**"}


def _rule_caption(out: Any, name: Any, changes: Sequence[GradChange]) -> str:
    """Write out the local rule of ``out`` with numbers (see the module docstring)."""
    if is_array(out.data) or any(is_array(p.data) for p in out._prev):
        return _array_rule_caption(out, name, changes)
    table = _local_derivatives(out, name)
    o = name(out)
    if table is None:  # an op this table does not know: say what ran and what changed
        args = [name(p) for p in out._prev]
        if len(args) == 2 and out._op in _INFIX:
            formula = f"{o} = {args[0]} {_INFIX[out._op]} {args[1]}"
        else:
            formula = f"{o} = {out._op}({', '.join(args)})"
        lines = [f"{formula}    runs its local rule (chain rule)"]
        lines += [f"{c.name}.grad: {_summary(c.old)} → {_summary(c.new)}" for c in changes]
        if not changes:
            lines.append("no grad changed in this step")
        return "\n".join(lines)
    formula, parts = table
    derivs = ", ".join(f"∂{o}/∂{name(p)} = {sym}" for p, sym, _ in parts)
    lines = [f"{formula}    ({derivs})"]
    g = float(out.grad)
    running: dict[Any, float] = {}  # grads as they accumulate within this step (a + a)
    old = {c.node: c.old for c in changes}
    for p, sym, value in parts:
        pn = name(p)
        before = running.get(p, old.get(p, float(p.grad)))
        contribution = value * g
        running[p] = before + contribution
        if sym == "1":
            rule = f"{pn}.grad += {o}.grad = {_num(contribution)}"
        elif sym == "-1":
            rule = f"{pn}.grad += -{o}.grad = {_num(contribution)}"
        else:
            if " " in sym and not (sym.startswith("(") and sym.endswith(")")):
                sym = f"({sym})"  # (2 · x**1) · out.grad, not 2 · x**1 · out.grad
            rule = f"{pn}.grad += {sym} · {o}.grad = {_num(value)} · {_factor(g)}"
            rule += f" = {_num(contribution)}"
        lines.append(f"{rule}    ({pn}.grad: {_num(before)} → {_num(running[p])})")
    return "\n".join(lines)


def _shape(x: Any) -> str:
    return str(tuple(int(n) for n in np.shape(x)))


def _summed_axes(grad_shape: tuple[int, ...], shape: tuple[int, ...]) -> tuple[int, ...]:
    """The axes un-broadcasting sums to turn a ``grad_shape`` gradient into ``shape``."""
    lead = len(grad_shape) - len(shape)
    return tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(shape) if n == 1 and grad_shape[lead + i] != 1
    )


def _axes_text(axes: tuple[int, ...]) -> str:
    return f"axis {axes[0]}" if len(axes) == 1 else f"axes {axes}"


def _array_rule(out: Any, name: Any, k: int) -> tuple[str, str]:
    """The local rule for input ``k`` of an array op: (what ``+=`` adds to its grad, a note
    on how the shapes fit), e.g. ``("xW.grad @ W.T", "(4, 2) @ (2, 3) → (4, 3)")``."""
    op, ins = out._op, out._prev
    o, og = name(out), f"{name(out)}.grad"
    x = ins[k]
    other = name(ins[1 - k]) if len(ins) == 2 else ""
    if op in ("+", "-", "*", "/"):
        if op == "+":
            local = og
        elif op == "-":
            local = og if k == 0 else f"-{og}"
        elif op == "*":
            local = f"{other} · {og}"
        elif k == 0:
            local = f"{og} / {other}"
        else:
            local = f"-{og} · {name(ins[0])} / {name(x)}²"
        axes = _summed_axes(np.shape(out.data), np.shape(x.data))
        if axes:  # the input was broadcast: its gradient is summed back to its shape
            note = f"{_shape(out.data)} summed over {_axes_text(axes)} to {_shape(x.data)}"
            return f"unbroadcast({local}, {_shape(x.data)})", note
        return local, f"shape {_shape(x.data)}"
    if op == "@":
        a, b = ins
        if k == 0:
            return f"{og} @ {name(b)}.T", (
                f"{_shape(out.data)} @ {_shape(b.data.T)} → {_shape(a.data)}"
            )
        return f"{name(a)}.T @ {og}", f"{_shape(a.data.T)} @ {_shape(out.data)} → {_shape(b.data)}"
    if op == "sum":
        return og, f"copied to every summed number, {_shape(out.data)} → {_shape(x.data)}"
    if op == "mean":
        n = max(1, x.data.size // max(1, out.data.size))
        return f"{og} / {n}", (
            f"copied to every averaged number, {_shape(out.data)} → {_shape(x.data)}"
        )
    if op == "relu":
        on = int(np.count_nonzero(x.data > 0))
        return f"({name(x)} > 0) · {og}", f"passes at {on} of {x.data.size} entries"
    if op.startswith("**"):
        n = getattr(out, "_ctx", None)
        n = float(op[2:]) if n is None else n
        return f"{n:g} · {name(x)}**{n - 1:g} · {og}", f"shape {_shape(x.data)}"
    unary = {
        "neg": f"-{og}",
        "exp": f"{o} · {og}",
        "log": f"{og} / {name(x)}",
        "tanh": f"(1 - {o}²) · {og}",
        "sigmoid": f"{o} · (1 - {o}) · {og}",
        "max": f"{og} at each maximum, 0 elsewhere",
        "reshape": f"{og}.reshape{_shape(x.data)}",
        "T": f"{og}.T",
        "log_softmax": f"{og} - softmax({name(x)}) · {og}.sum(axis)",
    }
    return unary.get(op, f"the local rule of {op!r}"), f"shape {_shape(x.data)}"


def _array_rule_caption(out: Any, name: Any, changes: Sequence[GradChange]) -> str:
    """A tensor op's rule with shapes and numbers: one line per input with its rule, what it
    added (a short summary: up to 3 numbers, else the norm), how the shapes fit, and the grad
    before → after."""
    o, ins = name(out), out._prev
    shapes = [_shape(p.data) for p in ins]
    if len(ins) == 2 and out._op in _INFIX:
        formula = f"{o} = {name(ins[0])} {_INFIX[out._op]} {name(ins[1])}"
        fit = f"{shapes[0]} {_INFIX[out._op]} {shapes[1]} → {_shape(out.data)}"
    else:
        formula = f"{o} = {op_symbol(out._op)}({', '.join(name(p) for p in ins)})"
        fit = f"{', '.join(shapes)} → {_shape(out.data)}"
    lines = [f"{formula}    (shapes {fit}; {o}.grad = {_summary(out.grad)})"]
    changed = {c.node: c for c in changes}
    for p in dict.fromkeys(ins):  # an input used twice (a * a) gets both rules, added
        parts = [_array_rule(out, name, k) for k, q in enumerate(ins) if q is p]
        rules = " + ".join(rule for rule, _ in parts)
        change = changed.get(p)
        pn = name(p)
        if change is None:
            why = "needs no gradient" if getattr(p, "requires_grad", True) is False else "unchanged"
            lines.append(f"{pn}: {why}")
            continue
        added = change.new if change.old is None else change.new - change.old
        lines.append(
            f"{pn}.grad += {rules} = {_summary(added)}    ({parts[0][1]}; "
            f"{pn}.grad: {_summary(change.old)} → {_summary(change.new)})"
        )
    return "\n".join(lines)


def _caption_html(caption: str) -> str:
    """A caption as HTML: the first line bold, every line on its own row, spaces kept."""
    lines = caption.split("\n")
    style = "white-space:pre-wrap;line-height:1.45"
    head = f'<div style="{style};font-weight:bold">{html.escape(lines[0])}</div>'
    rest = "".join(f'<div style="{style}">{html.escape(line)}</div>' for line in lines[1:])
    return f'<div class="ag-caption-text">{head}{rest}</div>'


def _swatch(fill: str, border: str, text: str, dashed: bool = False) -> str:
    style = "dashed" if dashed else "solid"
    return (
        f'<span style="display:inline-block;width:.9em;height:.9em;vertical-align:-.1em;'
        f'background:{fill};border:2px {style} {border};border-radius:3px;margin:0 .3em 0 .9em">'
        f"</span>{text}"
    )


# A one-line colour key shown under the caption (in the player and in the saved page).
LEGEND_HTML = (
    '<div style="font-size:.85em;color:#334155">'
    + _swatch(COLOURS["input"][0], COLOURS["input"][1], "input")
    + _swatch(COLOURS["param"][0], COLOURS["param"][1], "parameter")
    + _swatch(COLOURS["output"][0], COLOURS["output"][1], "output")
    + _swatch("#ffffff", ACTIVE, "its rule runs now")
    + _swatch(FLOW_BG, FLOW, "grad just changed")
    + _swatch("#ffffff", FLOW, "gradient flowing", dashed=True)
    + "</div>"
)


# ----------------------------------------------------------------------------- layout
def _text_width(text: str, size: float = FONT_SIZE) -> float:
    """A generous estimate of how wide ``text`` is in a sans-serif font (DejaVu Sans is the
    widest common one), so the boxes Graphviz places are big enough for every frame's text."""
    width = 0.0
    for ch in text:
        if ch.isdigit():
            width += 0.64
        elif ch in ".,:;|!il'":
            width += 0.33
        elif ch in " -()[]":
            width += 0.4
        elif ch.isupper() or ch in "mwMW—":
            width += 0.8
        else:
            width += 0.64
    return width * size


@dataclass
class _Layout:
    width: float
    height: float
    nodes: dict[str, tuple[float, float]]  # centre of each box / ellipse
    edges: dict[tuple[str, str], tuple[list[tuple[float, float]], tuple[float, float] | None]]


def _layout(graph: graphviz.Digraph) -> _Layout:
    """Run ``dot -Tplain`` once and read positions (y flipped to grow downwards, in px)."""
    text = render(graph, "plain").decode("utf-8")
    width = height = 0.0
    nodes: dict[str, tuple[float, float]] = {}
    edges: dict[tuple[str, str], Any] = {}
    for line in text.splitlines():
        parts = shlex.split(line)
        if not parts:
            continue
        if parts[0] == "graph":
            width, height = float(parts[2]) * 72, float(parts[3]) * 72
        elif parts[0] == "node":
            x, y = float(parts[2]) * 72, float(parts[3]) * 72
            nodes[parts[1]] = (x + MARGIN, height - y + MARGIN)
        elif parts[0] == "edge":
            n = int(parts[3])
            coords = [float(v) * 72 for v in parts[4 : 4 + 2 * n]]
            points = [
                (coords[2 * k] + MARGIN, height - coords[2 * k + 1] + MARGIN) for k in range(n)
            ]
            rest = parts[4 + 2 * n :]
            label_pos = None
            if len(rest) == 5:  # label x y style colour
                label_pos = (float(rest[1]) * 72 + MARGIN, height - float(rest[2]) * 72 + MARGIN)
            edges[(parts[1], parts[2])] = (points, label_pos)
    return _Layout(width + 2 * MARGIN, height + 2 * MARGIN, nodes, edges)


def _f(x: float) -> str:
    return f"{x:.1f}"


def _arrowhead(points: Sequence[tuple[float, float]], size: float) -> str:
    """The triangle at the end of an edge, pointing along its last segment."""
    tip = points[-1]
    for prev in reversed(points[:-1]):
        dx, dy = tip[0] - prev[0], tip[1] - prev[1]
        length = math.hypot(dx, dy)
        if length > 1e-6:
            break
    else:
        dx, dy, length = 1.0, 0.0, 1.0
    ux, uy = dx / length, dy / length
    bx, by = tip[0] - ux * size, tip[1] - uy * size
    half = size * 0.45
    corners = [tip, (bx - uy * half, by + ux * half), (bx + uy * half, by - ux * half)]
    return " ".join(f"{_f(x)},{_f(y)}" for x, y in corners)


# ----------------------------------------------------------------------------- the animation
class BackwardAnimation:
    """The backward pass of one graph as a sequence of pictures (frames) with captions.

    Attributes:
        frames: one SVG string per frame (frame 0: before; frame 1: seed; then one per rule).
        steps: one ``Step`` per frame: which node's rule ran, its caption, the grads it changed.

    ``show(k)`` shows frame ``k`` in the widget; ``widget`` is the player (Play button,
    slider, step counter, caption, picture); ``save_html(path)`` writes a page that plays
    without Python. In Jupyter, the object displays itself as the player.
    """

    def __init__(self, frames: list[str], steps: list[Step], title: str, interval_ms: int) -> None:
        self.frames = frames
        self.steps = steps
        self.title = title
        self.interval_ms = interval_ms
        self._captions_html = [_caption_html(s.caption) for s in steps]
        self._widget: Any = None
        self._parts: dict[str, Any] = {}

    def __len__(self) -> int:
        return len(self.frames)

    def __repr__(self) -> str:
        return f"<BackwardAnimation: {len(self.frames)} frames>"

    def _counter(self, k: int) -> str:
        return f"step {k} / {len(self.frames) - 1}"

    # --------------------------------------------------------------- the Jupyter player
    @property
    def widget(self) -> Any:
        """The player: a Play button linked (in the browser) to a slider; moving the slider
        calls ``show``, which swaps the picture and the caption."""
        if self._widget is None:
            self._widget = self._build_widget()
        return self._widget

    def _build_widget(self) -> Any:
        import ipywidgets as widgets  # only the player needs ipywidgets

        last = len(self.frames) - 1
        play = widgets.Play(
            value=0, min=0, max=last, step=1, interval=self.interval_ms, description="Play"
        )
        slider = widgets.IntSlider(
            value=0, min=0, max=last, step=1, readout=False, description="step"
        )
        # jslink: the browser itself keeps them in step (Play runs without a kernel round trip)
        link = widgets.jslink((play, "value"), (slider, "value"))
        counter = widgets.Label(value=self._counter(0), layout=widgets.Layout(margin="0 0 0 14px"))
        caption = widgets.HTML(
            value=self._captions_html[0],
            layout=widgets.Layout(min_height="5.6em"),  # room for 3 lines: no jumping
        )
        picture = widgets.HTML(value=self.frames[0])
        slider.observe(lambda change: self.show(change["new"]), names="value")
        self._parts = {
            "play": play,
            "slider": slider,
            "counter": counter,
            "caption": caption,
            "picture": picture,
            "link": link,
        }
        controls = widgets.HBox([play, slider, counter])
        legend = widgets.HTML(value=LEGEND_HTML)
        return widgets.VBox([controls, caption, picture, legend])

    def show(self, k: int) -> None:
        """Show frame ``k`` (0 ≤ k < len(frames)) in the player: picture, caption, counter.

        The slider calls this; calling it yourself also moves the slider.
        """
        if not isinstance(k, (int, np.integer)) or isinstance(k, bool):
            raise TypeError(f"frame index must be an int, got {type(k).__name__}: {k!r}")
        if not 0 <= k < len(self.frames):
            raise IndexError(
                f"frame {k} does not exist: this animation has frames 0..{len(self) - 1}"
            )
        k = int(k)
        self.widget  # noqa: B018 -- build the player on first use
        parts = self._parts
        parts["picture"].value = self.frames[k]
        parts["caption"].value = self._captions_html[k]
        parts["counter"].value = self._counter(k)
        if parts["slider"].value != k:
            parts["slider"].value = k  # its observer calls show(k) again: a cheap no-op

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = dict(self.widget._repr_mimebundle_(**kwargs))
        bundle["text/plain"] = repr(self)  # deterministic (the widget's repr is long)
        # Where no kernel runs the player (GitHub, nbviewer, nbconvert, a notebook opened
        # without running it), viewers fall back to this still picture.
        bundle["text/html"] = self.static_html()
        return bundle

    def static_html(self) -> str:
        """The animation as one still picture, for viewers that cannot run the player: the
        last frame (every gradient filled in) with its caption.

        The frame is an ``<img>`` with the SVG inside its ``data:`` address, so that HTML
        sanitizers that strip inline ``<svg>`` (JupyterLab's, for a notebook that was not run
        here) still show it.
        """
        last = len(self.frames) - 1
        data = base64.b64encode(self.frames[last].encode("utf-8")).decode("ascii")
        alt = html.escape(f"{self.title}: {self._counter(last)}", quote=True)
        return (
            '<div class="ag-static">'
            f"<p><b>{html.escape(self.title)}</b>, {html.escape(self._counter(last))} "
            "(the last step; run the cell to play every step)</p>"
            f"{self._captions_html[last]}"
            f'<img src="data:image/svg+xml;base64,{data}" alt="{alt}" style="max-width:100%">'
            "</div>"
        )

    # --------------------------------------------------------------- a page without Python
    def save_html(self, path: str | Path) -> Path:
        """Write one self-contained HTML page (no network, no external files) that plays the
        animation in any browser: all frames inline, a Play/Pause button, a slider (the
        arrow keys work too) and the step counter. Returns the path."""
        path = Path(path)
        last = len(self.frames) - 1
        xmlns = ' xmlns="http://www.w3.org/2000/svg"'  # not needed inside HTML
        frames = "\n".join(
            f'<div class="ag-frame"{"" if k == 0 else " hidden"}>{svg.replace(xmlns, "", 1)}</div>'
            for k, svg in enumerate(self.frames)
        )
        captions = "\n".join(
            f'<div class="ag-caption"{"" if k == 0 else " hidden"}>{cap}</div>'
            for k, cap in enumerate(self._captions_html)
        )
        page = _PAGE.format(
            title=html.escape(self.title),
            last=last,
            counter=html.escape(self._counter(0)),
            captions=captions,
            frames=frames,
            interval=json.dumps(int(self.interval_ms)),
            font=FONT_STACK,
            legend=LEGEND_HTML,
        )
        path.write_text(page, encoding="utf-8")
        return path


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: {font}; color: #0f172a; background: #ffffff; margin: 1.2em; }}
h1 {{ font-size: 1.25em; margin: 0 0 .6em 0; }}
.ag-controls {{ display: flex; align-items: center; gap: .8em; margin-bottom: .5em; }}
.ag-controls button {{ font: inherit; padding: .25em .9em; min-width: 6.5em; cursor: pointer; }}
.ag-controls input {{ flex: 1; max-width: 28em; }}
.ag-captions {{ min-height: 5.6em; font-size: .95em; line-height: 1.45;
  font-variant-numeric: tabular-nums; }}
.ag-frame svg {{ max-width: 100%; height: auto; }}
</style>
</head>
<body>
<h1>{title}</h1>
<div class="ag-controls">
<button type="button" id="ag-play">&#9654; Play</button>
<input type="range" id="ag-slider" min="0" max="{last}" value="0" step="1" aria-label="step">
<span id="ag-counter">{counter}</span>
</div>
<div class="ag-captions">
{captions}
</div>
<div class="ag-frames">
{frames}
</div>
{legend}
<script>
(function () {{
  var frames = document.querySelectorAll(".ag-frame");
  var captions = document.querySelectorAll(".ag-caption");
  var slider = document.getElementById("ag-slider");
  var button = document.getElementById("ag-play");
  var counter = document.getElementById("ag-counter");
  var last = frames.length - 1, timer = null;
  function show(k) {{
    for (var i = 0; i <= last; i++) {{
      frames[i].hidden = i !== k;
      captions[i].hidden = i !== k;
    }}
    slider.value = k;
    counter.textContent = "step " + k + " / " + last;
  }}
  function stop() {{
    if (timer !== null) {{ clearInterval(timer); timer = null; }}
    button.innerHTML = "&#9654; Play";
  }}
  function play() {{
    if (+slider.value >= last) show(0);
    button.innerHTML = "&#10074;&#10074; Pause";
    timer = setInterval(function () {{
      var k = +slider.value + 1;
      if (k > last) {{ stop(); return; }}
      show(k);
    }}, {interval});
  }}
  button.addEventListener("click", function () {{ if (timer === null) play(); else stop(); }});
  slider.addEventListener("input", function () {{ stop(); show(+slider.value); }});
  show(0);
}})();
</script>
</body>
</html>
"""


# ----------------------------------------------------------------------------- building it
class _Painter:
    """Draws frames as SVG from one fixed layout: only colours and text change per frame."""

    def __init__(
        self,
        nodes: Sequence[Any],
        kinds: Sequence[str],
        rows_per_frame_max: Sequence[list[str]],
        rankdir: str,
    ) -> None:
        self.nodes = nodes
        self.kinds = kinds
        self.index = {node: i for i, node in enumerate(nodes)}
        n_rows = [len(r) for r in rows_per_frame_max]
        self.box = [
            (
                max(MIN_BOX_W, max(_text_width(t) for t in rows) + 2 * PAD_X),
                n * ROW_H + 4.0,
            )
            for rows, n in zip(rows_per_frame_max, n_rows, strict=True)
        ]
        self.op_size = {}
        for i, node in enumerate(nodes):
            if node._prev:
                sym = op_symbol(node._op or "?")
                self.op_size[i] = (max(26.0, _text_width(sym, 13.0) + 14.0), 26.0)
        self._keys = self._edge_keys()
        self.layout = _layout(self._layout_graph(rankdir))
        self._edges = self._edge_list()

    def _edge_keys(self) -> list[tuple[int, str, str, str]]:
        """(op index, tail, head, label) for every edge, one per pair of nodes.

        A value used twice by one op (``a + a``, ``a - a``) gets one edge, labelled with
        both roles if the order matters (``left, right``); the caption tells the rest.
        """
        keys = []
        for i, node in enumerate(self.nodes):
            if not node._prev:
                continue
            keys.append((i, f"op{i}", f"v{i}", ""))
            merged: dict[str, list[str]] = {}
            for p, lab in zip(node._prev, edge_labels(node._op, len(node._prev)), strict=True):
                merged.setdefault(f"v{self.index[p]}", []).append(lab)
            for tail, labs in merged.items():
                keys.append((i, tail, f"op{i}", ", ".join(lab for lab in labs if lab)))
        return keys

    def _layout_graph(self, rankdir: str) -> graphviz.Digraph:
        g = graphviz.Digraph("layout")
        g.attr(rankdir=rankdir, nodesep="0.25", ranksep="0.35")
        g.attr("node", label="", fixedsize="true")
        g.attr("edge", arrowhead="none", fontname=FONT, fontsize="10")
        for i, node in enumerate(self.nodes):
            w, h = self.box[i]
            g.node(f"v{i}", shape="box", width=f"{w / 72:.4f}", height=f"{h / 72:.4f}")
            if node._prev:
                w, h = self.op_size[i]
                g.node(f"op{i}", shape="ellipse", width=f"{w / 72:.4f}", height=f"{h / 72:.4f}")
        for _, tail, head, lab in self._keys:
            if lab:
                g.edge(tail, head, label=f" {lab} ")
            else:
                g.edge(tail, head)
        return g

    def _edge_list(self) -> list[tuple[int, str, str]]:
        """(op index, SVG normal, SVG active) per edge, in a fixed order."""
        return [
            (i, self._edge_svg(tail, head, lab, False), self._edge_svg(tail, head, lab, True))
            for i, tail, head, lab in self._keys
        ]

    def _edge_svg(self, tail: str, head: str, label: str, active: bool) -> str:
        points, label_pos = self.layout.edges[(tail, head)]
        d = f"M{_f(points[0][0])},{_f(points[0][1])}"
        for k in range(1, len(points) - 2, 3):
            (x1, y1), (x2, y2), (x3, y3) = points[k : k + 3]
            d += f" C{_f(x1)},{_f(y1)} {_f(x2)},{_f(y2)} {_f(x3)},{_f(y3)}"
        colour, width = (FLOW, "2.4") if active else (EDGE_COLOUR, "1.2")
        cls = ' class="ag-flow"' if active else ""
        svg = (
            f'<g class="ag-edge" data-edge="{tail}-{head}">'
            f'<path{cls} d="{d}" fill="none" stroke="{colour}" stroke-width="{width}"/>'
            f'<polygon points="{_arrowhead(points, 9.0 if active else 7.5)}" fill="{colour}"/>'
        )
        if label and label_pos is not None:
            weight = ' font-weight="bold"' if active else ""
            svg += (
                f'<text x="{_f(label_pos[0])}" y="{_f(label_pos[1] + 3.5)}" text-anchor="middle"'
                f' font-size="10" fill="{colour}"{weight}>{html.escape(label)}</text>'
            )
        return svg + "</g>"

    def _op_svg(self, i: int, active: bool) -> str:
        x, y = self.layout.nodes[f"op{i}"]
        w, h = self.op_size[i]
        fill, border = COLOURS["op"]
        text = TEXT_COLOUR
        if active:
            fill, border, text = ACTIVE, ACTIVE_DARK, "#ffffff"
        sym = op_symbol(self.nodes[i]._op or "?")
        size = 16 if len(sym) == 1 else 13  # a lone symbol (+, ×) reads better a bit bigger
        sym = html.escape(sym)
        return (
            f'<g class="ag-op" data-node="op{i}" transform="translate({_f(x)},{_f(y)})">'
            f'<ellipse rx="{_f(w / 2)}" ry="{_f(h / 2)}" fill="{fill}" stroke="{border}"'
            f' stroke-width="{2 if active else 1}"/>'
            f'<text y="5" text-anchor="middle" font-size="{size}" fill="{text}">{sym}</text></g>'
        )

    def _value_svg(self, i: int, rows: Sequence[str], active: bool, changed: bool) -> str:
        x, y = self.layout.nodes[f"v{i}"]
        w, h = self.box[i]
        fill, border = COLOURS[self.kinds[i]]
        stroke_w = "1.2"
        if changed:
            border, stroke_w = FLOW, "2"
        if active:
            border, stroke_w = ACTIVE, "3"
        left, top = -w / 2, -h / 2
        parts = [
            f'<g class="ag-value" data-node="v{i}" transform="translate({_f(x)},{_f(y)})">',
            f'<rect x="{_f(left)}" y="{_f(top)}" width="{_f(w)}" height="{_f(h)}" rx="6"'
            f' fill="{fill}" stroke="{border}" stroke-width="{stroke_w}"/>',
        ]
        last = len(rows) - 1
        if changed:  # a light red band behind the grad row
            band_top = top + 2 + last * ROW_H
            parts.append(
                f'<rect x="{_f(left + 2)}" y="{_f(band_top)}" width="{_f(w - 4)}"'
                f' height="{_f(ROW_H)}" rx="3" fill="{FLOW_BG}"/>'
            )
        for r, text in enumerate(rows):
            base = top + 2 + (r + 1) * ROW_H - 4.5
            attrs = ""
            if r == 0:
                attrs = ' font-weight="bold"'
            elif r == last and changed:
                attrs = f' font-weight="bold" fill="{FLOW}"'
            parts.append(
                f'<text y="{_f(base)}" text-anchor="middle"{attrs}>{html.escape(text)}</text>'
            )
            if r == 0:
                sep = top + 2 + ROW_H
                parts.append(
                    f'<path d="M{_f(left)},{_f(sep)} H{_f(-left)}" stroke="{border}"'
                    f' stroke-opacity=".45"/>'
                )
        parts.append("</g>")
        return "".join(parts)

    def frame(
        self,
        rows: Sequence[Sequence[str]],
        active: int | None,
        rule_ran: bool,
        changed: set[int],
    ) -> str:
        """One frame: ``active`` is the node whose rule runs (or the seeded output);
        ``rule_ran`` lights up its op and edges; ``changed`` lists grads that changed."""
        lay = self.layout
        out = [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{_f(lay.width * SCALE)}"'
            f' height="{_f(lay.height * SCALE)}" viewBox="0 0 {_f(lay.width)} {_f(lay.height)}"'
            f' font-family="{FONT_STACK}" font-size="{FONT_SIZE:g}" fill="{TEXT_COLOUR}"'
            f' style="max-width:100%;height:auto">',
            _SVG_STYLE,
            '<rect width="100%" height="100%" fill="#ffffff"/>',
        ]
        flowing = active if rule_ran else None
        out += [off for owner, off, _ in self._edges if owner != flowing]
        out += [on for owner, _, on in self._edges if owner == flowing]  # drawn on top
        for i, node in enumerate(self.nodes):
            if node._prev:
                out.append(self._op_svg(i, rule_ran and i == active))
        for i in range(len(self.nodes)):
            out.append(self._value_svg(i, rows[i], i == active, i in changed))
        out.append("</svg>")
        return "".join(out)


def animate_backward(
    root: Any,
    params: Iterable[Any] | None = None,
    rankdir: str = "LR",
    max_nodes: int = 150,
    interval_ms: int = 1200,
) -> BackwardAnimation:
    """Replay ``root.backward()`` one local rule at a time and return the animation.

    Args:
        root: the output node (a ``Value``, or a ``Tensor``).
        params: nodes to colour as parameters (green), as in ``draw_dot``.
        rankdir: ``"LR"`` (inputs left, output right) or ``"TB"`` etc., as in ``draw_dot``.
        max_nodes: refuse (ValueError) graphs with more values than this: the frames would
            be unreadable and slow to make.
        interval_ms: time per frame when the Play button runs.

    Side effect: every grad in the graph is reset (to 0.0 for a Value, to None for the
    package's Tensor, to zeros for a Tensor class without ``requires_grad``, such as the one
    built in lesson 08) and then filled in exactly as ``root.backward()`` from that state
    would fill it.

    Frames: 0 = before backward, 1 = seed ``root.grad = 1``, then one per node whose local
    rule runs, in ``backward_order`` -- so ``a * b + a`` gives 4 frames.
    """
    if rankdir not in ("LR", "RL", "TB", "BT"):
        raise ValueError(f"rankdir must be one of 'LR', 'RL', 'TB', 'BT', got {rankdir!r}")
    if not isinstance(interval_ms, int) or interval_ms <= 0:
        raise ValueError(f"interval_ms must be a positive int, got {interval_ms!r}")
    nodes = graph_nodes(root, max_nodes, "animate_backward")  # inputs first
    kinds = value_kinds(nodes, root, params)
    names = [node_name(node, i) for i, node in enumerate(nodes)]
    index = {node: i for i, node in enumerate(nodes)}

    def name(node: Any) -> str:
        return names[index[node]]

    arrays = is_array(root.data)
    if arrays:  # the Tensor protocol: backward() needs a one-element output
        if not getattr(root, "requires_grad", True):
            raise ValueError(
                "animate_backward: this tensor does not require grad (no input was created "
                "with requires_grad=True), so backward() has nothing to do"
            )
        if root.data.size != 1:
            raise ValueError(
                f"animate_backward needs a one-element output (a loss), got shape "
                f"{tuple(root.data.shape)}; reduce it first (e.g. .sum())"
            )

    # Before backward: Values start from grad 0.0; the package's Tensors from grad None ("no
    # grad yet"); a Tensor class without requires_grad (a learner's) from zeros of its shape.
    zeros = arrays and not hasattr(root, "requires_grad")
    for node in nodes:
        if zeros:
            node.grad = np.zeros_like(node.data)
        else:
            node.grad = None if is_array(node.data) else 0.0
    rows = [value_rows(node, names[i]) for i, node in enumerate(nodes)]
    widest = [list(r) for r in rows]  # per box, its longest texts over all frames (for sizes)

    # For each frame: (rows of every box, active node, did a rule run?, boxes whose grad changed)
    states: list[tuple[list[list[str]], int | None, bool, set[int]]] = []
    steps: list[Step] = []

    def record(step: Step, active: int | None, rule_ran: bool) -> None:
        touched = set()
        for change in step.changes:
            i = index[change.node]
            rows[i] = rows[i][:-1] + [grad_text(change.node.grad)]
            if _text_width(rows[i][-1]) > _text_width(widest[i][-1]):
                widest[i][-1] = rows[i][-1]
            touched.add(i)
        steps.append(step)
        states.append((list(rows), active, rule_ran, touched))

    r = name(root)
    start = "no grad yet (grad —)" if arrays and not zeros else "every grad is 0"
    record(
        Step(
            0,
            "start",
            None,
            "",
            "",
            f"Before backward: {start}.\n"
            f"Press play: the gradient of {r} will flow backward, one node at a time.",
            (),
        ),
        None,
        False,
    )

    # The seed, as in backward(): d r / d r = 1.
    old = root.grad
    root.grad = np.ones(root.data.shape, root.data.dtype) if arrays else old + 1.0
    seed = GradChange(root, r, old, _copy(root.grad))
    caption = (
        f"Seed: {r}.grad = 1.0, because ∂{r}/∂{r} = 1.\n"
        "Now each node's local rule passes the gradient on to its inputs (chain rule)."
    )
    record(Step(1, "seed", root, r, root._op, caption, (seed,)), index[root], False)

    for node in reversed(nodes):  # = backward_order(root): every node before its inputs
        if not node._prev or node._backward is None or node.grad is None:
            # a leaf (even one a learner's class gives a no-op rule), or no gradient reached it
            continue
        inputs = list(dict.fromkeys(node._prev))  # distinct, in argument order (a + a: once)
        before = [_copy(p.grad) for p in inputs]
        run_rule(node)  # the engine's own rule (either form): the numbers are the real ones
        changes = tuple(
            GradChange(p, name(p), b, _copy(p.grad))
            for p, b in zip(inputs, before, strict=True)
            if _changed(b, p.grad)
        )
        caption = _rule_caption(node, name, changes)
        step = Step(len(steps), "rule", node, name(node), node._op, caption, changes)
        record(step, index[node], True)

    painter = _Painter(nodes, kinds, widest, rankdir)
    frames = [painter.frame(*state) for state in states]
    return BackwardAnimation(frames, steps, f"Backward pass of {r}", interval_ms)
