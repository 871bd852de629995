"""Tests for ``autograd.draw_dot``: what the picture says, how it is coloured, that it is
deterministic and escaped, and that it fails clearly (too big, no ``dot`` program)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from autograd import GraphView, Value, draw_dot
from autograd.draw import COLOURS

ROOT = Path(__file__).resolve().parent.parent
NBVAL_REGEX = r"<svg[\s\S]*?</svg>"  # the regex recommended for tests/nbval_sanitize.cfg


def abab():
    """``c = a * b + a`` with a = 2, b = -3; after backward, dc/da = b + 1 = -2, dc/db = a = 2."""
    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    c = a * b + a
    c.label = "c"
    return a, b, c


def node_lines(source: str) -> dict[str, str]:
    """DOT node statements by node name (``v0 [label=...]`` -> {"v0": "[label=...]"})."""
    lines = {}
    for line in source.splitlines():
        m = re.match(r"\s*(\w+) \[(.*)\]$", line)
        if m and m.group(1) not in ("node", "edge", "graph"):
            lines[m.group(1)] = m.group(2)
    return lines


def edges(source: str) -> list[tuple[str, str, str]]:
    """(tail, head, label) of every DOT edge, in order."""
    out = []
    for line in source.splitlines():
        m = re.match(r"\s*(\w+) -> (\w+)(?: \[label=\"? ?(\w*) ?\"?\])?$", line)
        if m:
            out.append((m.group(1), m.group(2), m.group(3) or ""))
    return out


# ----------------------------------------------------------------------------- content
def test_value_boxes_show_label_data_and_grad():
    a, b, c = abab()
    c.backward()
    src = draw_dot(c).source
    assert "a | data 2.0000 | grad -2.0000" in src
    assert "b | data -3.0000 | grad 2.0000" in src
    assert "c | data -4.0000 | grad 1.0000" in src
    # the unlabelled product a*b is the third value made: n2
    assert "n2 | data -6.0000 | grad 1.0000" in src


def test_each_op_is_its_own_node_feeding_its_output():
    a, b, c = abab()
    src = draw_dot(c).source
    nodes = node_lines(src)
    ops = {k: v for k, v in nodes.items() if k.startswith("op")}
    assert len(ops) == 2
    assert 'label="×"' in ops["op2"] and "shape=circle" in ops["op2"]
    assert 'label="+"' in ops["op3"]
    e = edges(src)
    assert ("op2", "v2", "") in e and ("op3", "v3", "") in e
    assert ("v0", "op2", "") in e and ("v1", "op2", "") in e  # a, b -> ×
    assert ("v2", "op3", "") in e and ("v0", "op3", "") in e  # a*b, a -> +


def test_repr_is_deterministic_text():
    _, _, c = abab()
    view = draw_dot(c)
    assert repr(view) == "<computation graph: 4 values, 2 ops>"
    assert repr(draw_dot(Value(1.0))) == "<computation graph: 1 value, 0 ops>"


def test_kinds_are_coloured_inputs_params_inner_output():
    w = Value(0.5, label="w")
    x = Value(2.0, label="x")
    y = (w * x).tanh()
    nodes = node_lines(draw_dot(y, params=[w]).source)
    fill = {
        name: re.search(r'fillcolor="([^"]+)"', attrs).group(1) for name, attrs in nodes.items()
    }
    assert fill["v0"] == COLOURS["param"][0]  # w (a parameter)
    assert fill["v1"] == COLOURS["input"][0]  # x (an input)
    assert fill["v2"] == COLOURS["inner"][0]  # w*x
    assert fill["v3"] == COLOURS["output"][0]  # tanh: the output
    assert len({fill["v0"], fill["v1"], fill["v2"], fill["v3"]}) == 4
    # without params=, every leaf is an input
    nodes = node_lines(draw_dot(y).source)
    assert COLOURS["input"][0] in nodes["v0"] and COLOURS["input"][0] in nodes["v1"]


def test_legend_lists_only_the_kinds_present_and_can_be_turned_off():
    _, _, c = abab()
    src = draw_dot(c).source
    assert ">input<" in src and ">output<" in src and ">parameter<" not in src
    assert ">input<" not in draw_dot(c, legend=False).source


@pytest.mark.parametrize(
    ("make", "labels"),
    [
        (lambda a, b: a - b, ["left", "right"]),
        (lambda a, b: a / b, ["left", "right"]),
        (lambda a, b: a**b, ["base", "exp"]),
        (lambda a, b: a + b, ["", ""]),
        (lambda a, b: a * b, ["", ""]),
    ],
)
def test_edges_into_non_commutative_ops_say_which_argument(make, labels):
    a = Value(2.0, label="a")
    b = Value(3.0, label="b")
    for x, y in ((a, b), (b, a)):  # the labels follow the argument order, not the names
        src = draw_dot(make(x, y)).source
        name = {attrs.split('"')[1][0]: n for n, attrs in node_lines(src).items()}  # a/b -> vK
        into_op = [e for e in edges(src) if e[1] == "op2"]
        first, second = name[x.label], name[y.label]
        assert into_op == [(first, "op2", labels[0]), (second, "op2", labels[1])]


def test_unary_ops_have_unlabelled_edges():
    x = Value(0.5, label="x")
    src = draw_dot(x.tanh().exp()).source
    assert all(label == "" for _, _, label in edges(src))
    assert "label=tanh" in src and "label=exp" in src


def test_array_nodes_show_shape_and_missing_grad():
    class ArrayNode:  # the node protocol with numpy data (like autograd's Tensor)
        def __init__(self, data, label="", prev=(), op=""):
            self.data, self.grad, self.label = np.asarray(data, dtype=float), None, label
            self._prev, self._op, self._backward = prev, op, None

    w = ArrayNode(np.ones((3, 4)), "W")
    x = ArrayNode([1.0, 2.0], "x")
    y = ArrayNode(np.ones(3), "y", (w, x), "@")
    y.grad = np.array([1.0, 0.0, 0.0])
    nodes = node_lines(draw_dot(y).source)
    assert "W | shape (3, 4) | data norm 3.4641 | grad —" in nodes["v0"]  # sqrt(12)
    assert "x | shape (2,) | data [1.0000 2.0000] | grad —" in nodes["v1"]
    assert "grad [1.0000 0.0000 0.0000]" in nodes["v2"]


def test_real_tensors_draw():
    tensor = pytest.importorskip("autograd.tensor")
    W = tensor.Tensor(np.ones((3, 4)), requires_grad=True, label="W")
    loss = (W * 2.0).sum()
    src = draw_dot(loss, params=[W]).source
    assert "W | shape (3, 4)" in src and "grad —" in src


# ----------------------------------------------------------------------------- escaping
def test_user_labels_are_escaped_in_records():
    x = Value(1.5, label='x{1}|<y>"q\\z')
    y = x * 2.0
    view = draw_dot(y)
    assert r"x\{1\}\|\<y\>\"q\\z | data 1.5000" in view.source
    svg = view.svg()  # Graphviz accepts it (an unescaped | or { is "bad label format")
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert "x{1}|&lt;y&gt;&quot;q\\z" in texts or 'x{1}|&lt;y&gt;"q\\z' in texts
    assert "data 1.5000" in texts  # still three separate fields


def test_label_looking_like_html_is_not_html():
    x = Value(1.0, label="<b>bold</b>")
    svg = draw_dot(x).svg()
    assert "&lt;b&gt;bold&lt;/b&gt;" in svg


# ----------------------------------------------------------------------------- determinism
DOT_SCRIPT = """
from autograd import Value, draw_dot
a = Value(2.0, label="a"); b = Value(-3.0, label="b"); w = Value(0.5, label="w")
c = ((a * b + a) * w).tanh() - b / a
c.backward()
print(draw_dot(c, params=[w]).source, end="")
"""


def test_dot_text_is_identical_across_processes_and_hash_seeds():
    sources = []
    for seed in ("1", "4242"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        result = subprocess.run(
            [sys.executable, "-c", DOT_SCRIPT],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        sources.append(result.stdout)
    assert sources[0] == sources[1]
    namespace: dict = {}
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(DOT_SCRIPT, namespace)
    assert out.getvalue() == sources[0]
    assert "0x" not in sources[0] and "id(" not in sources[0]


def test_same_graph_twice_gives_same_svg():
    _, _, c1 = abab()
    _, _, c2 = abab()
    assert draw_dot(c1).svg() == draw_dot(c2).svg()


# ----------------------------------------------------------------------------- SVG output
def test_svg_is_one_clean_element_for_notebook_tests():
    _, _, c = abab()
    view = draw_dot(c)
    svg = view.svg()
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "<!--" not in svg and "Generated by" not in svg and "<?xml" not in svg
    assert re.sub(NBVAL_REGEX, "SVG", svg) == "SVG"
    # the sanitizer the project's nbval config uses blanks it whole too
    cfg = (ROOT / "tests" / "nbval_sanitize.cfg").read_text()
    rules = re.findall(r"^regex: (.*)$\n^replace: (.*)$", cfg, flags=re.M)
    inline = [(regex, replace) for regex, replace in rules if regex.startswith("(?s)<svg")]
    assert inline, "the nbval config has a rule for inline SVG"
    for regex, replace in inline:
        assert re.sub(regex, replace, svg) == replace


def test_mimebundle_has_svg_and_deterministic_text():
    _, _, c = abab()
    bundle = draw_dot(c)._repr_mimebundle_()
    assert set(bundle) == {"image/svg+xml", "text/plain"}
    assert bundle["text/plain"].splitlines()[0] == "<computation graph: 4 values, 2 ops>"
    assert bundle["image/svg+xml"].startswith("<svg")
    assert 'xmlns="http://www.w3.org/2000/svg"' in bundle["image/svg+xml"]  # for <img> use


def test_save_svg_and_png(tmp_path):
    _, _, c = abab()
    view = draw_dot(c)
    svg_path = view.save(tmp_path / "g.svg")
    assert svg_path.read_text(encoding="utf-8") == view.svg()
    png_path = view.save(tmp_path / "g.png")
    assert png_path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_graphview_exposes_the_digraph():
    _, _, c = abab()
    view = draw_dot(c, rankdir="TB")
    assert isinstance(view, GraphView)
    assert view.graph.source == view.source
    assert "rankdir=TB" in view.source
    # in TB layouts the fields are wrapped in braces so they still stack top to bottom
    assert "{a | data 2.0000 | grad 0.0000}" in view.source


# ----------------------------------------------------------------------------- failures
def test_too_big_graph_raises_a_clear_error():
    x = Value(1.0, label="x")
    y = x
    for _ in range(300):
        y = y * 1.0  # 2 new values each time: the product and the constant 1.0
    with pytest.raises(ValueError, match=r"601 values, more than max_nodes=500"):
        draw_dot(y)
    assert draw_dot(y, max_nodes=601).n_values == 601


def test_very_deep_graph_refused_without_recursion():
    y = Value(0.0)
    for _ in range(50_000):
        y = y + 1.0
    with pytest.raises(ValueError, match="max_nodes"):
        draw_dot(y)


def test_missing_dot_program_gives_install_hint(monkeypatch, tmp_path):
    _, _, c = abab()
    view = draw_dot(c)  # building the DOT text needs no program
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no `dot` anywhere
    assert view.source.startswith("digraph")
    with pytest.raises(RuntimeError, match="apt-get install graphviz") as info:
        view.svg()
    message = str(info.value)
    assert "conda install -c conda-forge python-graphviz" in message
    assert "brew install graphviz" in message
    with pytest.raises(RuntimeError, match="Graphviz 'dot' program"):
        view._repr_mimebundle_()


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"root": 3.0}, TypeError, "needs a Value"),
        ({"rankdir": "XY"}, ValueError, "rankdir"),
        ({"max_nodes": 0}, ValueError, "max_nodes"),
        ({"params": "w"}, None, None),  # a str is iterable: nothing matches, no error
    ],
)
def test_bad_arguments(kwargs, error, match):
    _, _, c = abab()
    kwargs = {"root": c, **kwargs}
    if error is None:
        draw_dot(**kwargs)
    else:
        with pytest.raises(error, match=match):
            draw_dot(**kwargs)


def test_single_node_as_params_is_refused():
    w = Value(1.0, label="w")
    with pytest.raises(TypeError, match="iterable of nodes"):
        draw_dot(w * 2.0, params=w)


def test_text_repr_lists_every_value_with_its_formula_and_grad():
    """The text/plain that nbval compares carries the picture's numbers."""
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b + a
    c.label = "c"
    c.backward()  # dc/da = b + 1 = -2, dc/db = a = 2
    lines = draw_dot(c).text().splitlines()
    assert lines == [
        "<computation graph: 4 values, 2 ops>",
        "a | data 2.0000 | grad -2.0000",
        "b | data -3.0000 | grad 2.0000",
        "n2 | data -6.0000 | grad 1.0000  = a × b",
        "c | data -4.0000 | grad 1.0000  = n2 + a",
    ]
    assert draw_dot(a.tanh()).text().splitlines()[-1].endswith("= tanh(a)")


def test_a_wide_graph_is_shrunk_to_fit_a_notebook_but_a_small_one_is_not_enlarged():
    xs = [Value(float(i)) for i in range(30)]
    wide = draw_dot(sum(x * x for x in xs)).svg()
    small = draw_dot(Value(1.0) + Value(2.0)).svg()

    def width_pt(svg: str) -> float:
        return float(re.search(r'<svg width="([\d.]+)pt"', svg).group(1))

    assert width_pt(wide) <= 9.5 * 72 + 0.5
    assert width_pt(small) < 9.5 * 72 / 2
