"""Pictures of a computation graph: ``draw_dot(root)`` shows what ``backward()`` walks through.

Every number you compute with ``Value`` remembers where it came from, so the computation is a
graph. ``draw_dot`` draws it with Graphviz, left to right, in the order the numbers were made:

* a **box** for every value, with its name, its ``data`` and its ``grad``;
* a small **circle** for every operation (``+``, ``×``, ``tanh`` ...), feeding the value it made;
* **colours** telling the kinds of value apart: *inputs* (leaves: nobody computed them) in
  blue, *parameters* (the leaves you pass as ``params=``, the ones training will change) in
  green, the *output* (the root, where ``backward()`` starts) in orange, and everything in
  between in grey;
* for operations whose argument order matters (``a - b``, ``a / b``, ``a ** b``), edge labels
  saying which input is which (``left``/``right``, ``base``/``exp``).

>>> from autograd import Value, draw_dot
>>> a = Value(2.0, label="a"); b = Value(-3.0, label="b")
>>> c = a * b + a; c.label = "c"
>>> view = draw_dot(c)
>>> view                        # in Jupyter this shows the picture
<computation graph: 4 values, 2 ops>
>>> print(view.source[:7])      # the DOT text Graphviz lays out
digraph

Values without a label are called ``n<k>``, where k is their position when the graph is
listed inputs first (``engine.topological_order``); ``animate_backward`` uses the same names,
so a caption like ``n3.grad += ...`` points at the box titled ``n3``.

A ``GraphView`` is a snapshot: the numbers are read when ``draw_dot`` is called. After
``backward()``, call ``draw_dot`` again to see the new gradients.

Tensors follow the same protocol; when ``data`` is a numpy array the box shows its ``shape``
and a short summary (the values if there are at most three, otherwise the norm).

Drawing needs the Graphviz ``dot`` program (the Python ``graphviz`` package only writes the
DOT text). Building a ``GraphView`` never calls it; showing or saving the picture does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import graphviz
import numpy as np

from . import graphviz_backend
from .engine import topological_order

__all__ = ["GraphView", "draw_dot"]

FONT = "Helvetica"  # Graphviz maps it to a close sans-serif where Helvetica is missing

# (fill, border) per kind of value; chosen to stay readable on light and dark notebook themes
# (the picture has its own white background).
COLOURS: Mapping[str, tuple[str, str]] = {
    "input": ("#dbeafe", "#2563eb"),  # light blue: leaves nobody computed
    "param": ("#dcfce7", "#16a34a"),  # light green: leaves that training updates
    "output": ("#ffedd5", "#ea580c"),  # light orange: the root, where backward starts
    "inner": ("#f8fafc", "#64748b"),  # near white: intermediate results
    "op": ("#f1f5f9", "#94a3b8"),  # operation circles
}
LEGEND_NAMES: Mapping[str, str] = {
    "input": "input",
    "param": "parameter",
    "inner": "intermediate",
    "output": "output",
}
TEXT_COLOUR = "#0f172a"
EDGE_COLOUR = "#64748b"

# How operations are written inside their circle (anything else is shown as it is).
OP_SYMBOLS: Mapping[str, str] = {"+": "+", "*": "×", "-": "−", "/": "÷", "**": "xʸ", "neg": "−x"}
# Operations where swapping the inputs gives the same result: their edges need no labels.
COMMUTATIVE = frozenset({"+", "*"})

_INSTALL_HINT = (
    "Drawing needs the Graphviz 'dot' program, which the Python package 'graphviz' does not "
    "include. Install it with one of: 'apt-get install graphviz' (Debian/Ubuntu), "
    "'conda install -c conda-forge python-graphviz' (conda), 'brew install graphviz' (macOS); "
    "then restart the kernel."
)


# --------------------------------------------------------------------------- shared helpers
# (animate.py uses these too, so a node looks and is named the same in both pictures)


def graph_nodes(root: Any, max_nodes: int, what: str = "draw_dot") -> list[Any]:
    """Every node ``root`` depends on, inputs first; refuse a graph too big to look at."""
    if not hasattr(root, "_prev"):
        raise TypeError(
            f"{what} needs a Value (or Tensor) node, got {type(root).__name__}: {root!r}"
        )
    if not isinstance(max_nodes, int) or isinstance(max_nodes, bool) or max_nodes < 1:
        raise ValueError(f"max_nodes must be a positive int, got {max_nodes!r}")
    nodes = topological_order(root)
    if len(nodes) > max_nodes:
        raise ValueError(
            f"{what}: this graph has {len(nodes)} values, more than max_nodes={max_nodes}; "
            "a picture that big is unreadable (and slow to lay out). Draw a smaller part of "
            "the computation (e.g. one neuron, or a smaller network), or pass "
            f"max_nodes={len(nodes)} if you really want it."
        )
    return nodes


def node_name(node: Any, index: int) -> str:
    """What to call a node: its label, or ``n<index>`` (its position in the forward order)."""
    return node.label if node.label else f"n{index}"


def is_array(x: object) -> bool:
    """True for numpy arrays (Tensor data and grads); False for plain numbers."""
    return isinstance(x, np.ndarray)


def format_number(x: float) -> str:
    """A number as the boxes show it: 4 decimals (``-2.0000``)."""
    return f"{float(x):.4f}"


def format_array(x: np.ndarray) -> str:
    """A short summary of an array: one value as a number, up to 3 values in brackets,
    else the norm (the length of the array seen as one long vector)."""
    if x.size == 1:
        return format_number(x.ravel()[0])
    if x.size <= 3:
        return "[" + " ".join(format_number(v) for v in x.ravel()) + "]"
    return f"norm {format_number(np.linalg.norm(x))}"


def format_shape(shape: Sequence[int]) -> str:
    """``(3, 4)``, ``(3,)`` or ``()`` -- Python's tuple notation, the way numpy prints it."""
    return str(tuple(int(n) for n in shape))


def grad_text(grad: object) -> str:
    """The box's grad row: ``grad -2.0000``, ``grad norm 1.2345`` or ``grad —`` (no grad)."""
    if grad is None:
        return "grad —"
    if is_array(grad):
        return f"grad {format_array(grad)}"
    return f"grad {format_number(grad)}"  # type: ignore[arg-type]


def value_rows(node: Any, name: str) -> list[str]:
    """The text rows of a value's box, top to bottom.

    A scalar: ``[name, "data 2.0000", "grad -2.0000"]``.
    An array: ``[name, "shape (3, 4)", "data norm 5.4772", "grad —"]``.
    """
    data = node.data
    if is_array(data):
        return [name, f"shape {format_shape(data.shape)}", f"data {format_array(data)}"] + [
            grad_text(node.grad)
        ]
    return [name, f"data {format_number(data)}", grad_text(node.grad)]


def value_kinds(nodes: Sequence[Any], root: Any, params: Iterable[Any] | None) -> list[str]:
    """The kind of each node: ``"output"``, ``"param"``, ``"input"`` or ``"inner"``."""
    param_set = _param_set(params)
    kinds = []
    for node in nodes:
        if node is root:
            kinds.append("output")
        elif node._prev:
            kinds.append("inner")
        elif node in param_set:
            kinds.append("param")
        else:
            kinds.append("input")
    return kinds


def _param_set(params: Iterable[Any] | None) -> set[Any]:
    if params is None:
        return set()
    if hasattr(params, "_prev"):  # a single node passed by mistake
        raise TypeError("params must be an iterable of nodes (e.g. [w, b]), not a single node")
    return set(params)


def op_symbol(op: str) -> str:
    """How an operation is written in its circle: ``*`` → ``×``, ``**2`` → ``**2`` ..."""
    return OP_SYMBOLS.get(op, op)


def edge_labels(op: str, n_inputs: int) -> list[str]:
    """Names for the edges into an op, or empty strings where the order does not matter.

    ``a - b`` and ``a / b`` get ``left``/``right``; ``a ** b`` gets ``base``/``exp``;
    ``+`` and ``*`` (commutative) and one-input ops get no labels.
    """
    if n_inputs < 2 or op in COMMUTATIVE:
        return [""] * n_inputs
    if op == "**" and n_inputs == 2:
        return ["base", "exp"]
    if n_inputs == 2:
        return ["left", "right"]
    return [f"arg{i}" for i in range(n_inputs)]


def render(graph: graphviz.Digraph, fmt: str) -> bytes:
    """Run Graphviz on ``graph``; turn a missing ``dot`` program into a clear RuntimeError.

    The one place the pictures meet Graphviz. In the browser (Pyodide, JupyterLite), where
    there is no ``dot`` program, Graphviz compiled to WebAssembly lays out the same DOT text
    instead (``autograd.graphviz_backend``).
    """
    if graphviz_backend.use_wasm():
        return graphviz_backend.render_wasm(graph.source, fmt, engine=graph.engine)
    try:
        return graph.pipe(format=fmt)
    except graphviz.ExecutableNotFound as err:
        raise RuntimeError(_INSTALL_HINT) from err


_SVG_BODY = re.compile(r"<svg\b.*</svg>", re.DOTALL)
_XML_COMMENT = re.compile(r"<!--.*?-->\n?", re.DOTALL)


def clean_svg(svg: str) -> str:
    """Keep only ``<svg ...> ... </svg>``: drop the XML prolog, DOCTYPE and all comments.

    Graphviz writes its version into a comment; removing it (and everything outside the
    ``svg`` element) makes the text depend only on the layout, and makes it easy to blank
    out in notebook tests with one regex: ``<svg[\\s\\S]*?</svg>``.
    """
    match = _SVG_BODY.search(svg)
    if match is None:
        raise RuntimeError(f"Graphviz did not produce an SVG picture: {svg[:200]!r}")
    return _XML_COMMENT.sub("", match.group(0))


# --------------------------------------------------------------------------- draw_dot


def _escape_record(text: str) -> str:
    r"""Escape text for a Graphviz record field: ``{ } | < >`` and ``\`` are special there.

    (Double quotes are escaped by the ``graphviz`` package when it quotes the label.)
    """
    text = text.replace("\\", "\\\\").replace("\n", " ").replace("\r", " ")
    for ch in "{}|<>":
        text = text.replace(ch, "\\" + ch)
    return text


MAX_WIDTH_INCHES = 9.5  # about the width of a JupyterLab output area
MAX_HEIGHT_INCHES = 40


class GraphView:
    """A drawn computation graph. In Jupyter it displays as an SVG picture.

    Attributes:
        graph: the ``graphviz.Digraph`` (change attributes or render it yourself).
        n_values: how many value boxes the picture has.
        n_ops: how many operation circles.

    ``source`` is the DOT text; ``svg()`` the picture as SVG text (runs ``dot``);
    ``save(path)`` writes ``.svg`` (or any format Graphviz knows, by the file's suffix).
    """

    def __init__(
        self, graph: graphviz.Digraph, n_values: int, n_ops: int, lines: Sequence[str] = ()
    ) -> None:
        self.graph = graph
        self.n_values = n_values
        self.n_ops = n_ops
        self.lines = list(lines)  # one line per value, inputs first: the picture as text
        self._svg: str | None = None

    @property
    def source(self) -> str:
        """The DOT text: the same in every run and every process."""
        return self.graph.source

    def svg(self) -> str:
        """The picture as SVG text, from ``<svg`` to ``</svg>`` (no prolog, no comments)."""
        if self._svg is None:
            self._svg = clean_svg(render(self.graph, "svg").decode("utf-8"))
        return self._svg

    def save(self, path: str | Path) -> Path:
        """Write the picture to ``path``: ``.svg`` as text, other suffixes (``.png``, ``.pdf``)
        through Graphviz. Returns the path."""
        path = Path(path)
        suffix = path.suffix.lower().lstrip(".")
        if suffix in ("", "svg"):
            path.write_text(self.svg(), encoding="utf-8")
        else:
            path.write_bytes(render(self.graph, suffix))
        return path

    def __repr__(self) -> str:
        values = f"{self.n_values} value{'s' if self.n_values != 1 else ''}"
        ops = f"{self.n_ops} op{'s' if self.n_ops != 1 else ''}"
        return f"<computation graph: {values}, {ops}>"

    def text(self) -> str:
        """The picture as text: a header, then one line per value (inputs first), e.g.
        ``c | data -4.0000 | grad 1.0000  = n2 + a``. Deterministic, so notebooks can be
        checked by nbval through it while the SVG differs between Graphviz versions."""
        return "\n".join([repr(self), *self.lines])

    def _repr_mimebundle_(
        self, include: Iterable[str] | None = None, exclude: Iterable[str] | None = None
    ) -> dict[str, str]:
        return {"image/svg+xml": self.svg(), "text/plain": self.text()}


def draw_dot(
    root: Any,
    rankdir: str = "LR",
    params: Iterable[Any] | None = None,
    max_nodes: int = 500,
    legend: bool = True,
) -> GraphView:
    """Draw the computation graph that produced ``root``.

    Args:
        root: the output node (a ``Value``, or a ``Tensor``); every node it depends on is drawn.
        rankdir: ``"LR"`` (inputs on the left, output on the right) or ``"TB"`` (top to
            bottom); also ``"RL"``/``"BT"``.
        params: nodes to colour as parameters (green), e.g. ``model.parameters()``.
            By default every leaf counts as an input (blue).
        max_nodes: refuse (ValueError) a graph with more values than this: it would be an
            unreadable picture and slow to lay out.
        legend: add a one-line colour key under the picture.

    Returns:
        A ``GraphView``; Jupyter displays it as a picture, ``.source`` is the DOT text.
    """
    if rankdir not in ("LR", "RL", "TB", "BT"):
        raise ValueError(f"rankdir must be one of 'LR', 'RL', 'TB', 'BT', got {rankdir!r}")
    nodes = graph_nodes(root, max_nodes, "draw_dot")
    kinds = value_kinds(nodes, root, params)
    index = {node: i for i, node in enumerate(nodes)}
    # In LR/RL layouts Graphviz stacks a record's fields top to bottom; in TB/BT it puts them
    # side by side unless the fields are wrapped in braces. Either way: one field per row.
    wrap = ("{", "}") if rankdir in ("TB", "BT") else ("", "")

    g = graphviz.Digraph("computation_graph")
    g.attr(rankdir=rankdir, bgcolor="white", fontname=FONT, nodesep="0.25", ranksep="0.35")
    # Shrink (never enlarge) a wide graph to fit a notebook's output area: JupyterLab shows
    # an SVG at its natural size, so a wider one would need sideways scrolling.
    g.attr(size=f"{MAX_WIDTH_INCHES},{MAX_HEIGHT_INCHES}")
    g.attr("node", fontname=FONT, fontsize="11", fontcolor=TEXT_COLOUR, style="filled")
    g.attr("edge", color=EDGE_COLOUR, arrowsize="0.7", fontname=FONT, fontsize="9")
    g.attr("edge", fontcolor=EDGE_COLOUR)

    n_ops = 0
    lines = []
    names = [node_name(node, i) for i, node in enumerate(nodes)]
    for i, (node, kind) in enumerate(zip(nodes, kinds, strict=True)):
        name = names[i]
        rows = value_rows(node, name)
        lines.append(" | ".join(rows) + (_formula(node, names, index) if node._prev else ""))
        label = wrap[0] + " | ".join(_escape_record(r) for r in rows) + wrap[1]
        fill, border = COLOURS[kind]
        g.node(
            f"v{i}",
            graphviz.nohtml(label),
            shape="Mrecord",
            fillcolor=fill,
            color=border,
            tooltip=graphviz.nohtml(", ".join(rows).replace("\\", "\\\\")),
        )
        if node._prev:
            n_ops += 1
            symbol = op_symbol(node._op or "?")
            fill, border = COLOURS["op"]
            g.node(
                f"op{i}",
                graphviz.nohtml(symbol.replace("\\", "\\\\")),
                shape="circle" if len(symbol) <= 2 else "ellipse",
                fillcolor=fill,
                color=border,
                fontsize="12",
                width="0.3",
                height="0.3",
                margin="0.03",
            )
            g.edge(f"op{i}", f"v{i}")
            labels = edge_labels(node._op, len(node._prev))
            for parent, edge_label in zip(node._prev, labels, strict=True):
                if edge_label:
                    g.edge(f"v{index[parent]}", f"op{i}", label=f" {edge_label} ")
                else:
                    g.edge(f"v{index[parent]}", f"op{i}")

    if legend:
        present = [k for k in ("input", "param", "inner", "output") if k in kinds]
        cells = "".join(
            f'<td bgcolor="{COLOURS[k][0]}" color="{COLOURS[k][1]}" border="1" cellpadding="3">'
            f'<font point-size="9">{LEGEND_NAMES[k]}</font></td>'
            for k in present
        )
        g.attr(
            label=f'<<table border="0" cellspacing="4"><tr>{cells}</tr></table>>',
            labelloc="b",
            labeljust="l",
        )
    return GraphView(g, len(nodes), n_ops, lines)


def _formula(node: Any, names: Sequence[str], index: dict[Any, int]) -> str:
    """How a value was made, as text: ``"  = a * b"`` or ``"  = tanh(n3)"``."""
    inputs = [names[index[parent]] for parent in node._prev]
    symbol = op_symbol(node._op or "?")
    if len(inputs) == 2:
        return f"  = {inputs[0]} {symbol} {inputs[1]}"
    if node._op.startswith("**"):
        return f"  = {inputs[0]}{symbol}"
    return f"  = {symbol}({', '.join(inputs)})"
