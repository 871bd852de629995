"""What tests/test_lite_pyodide.py checks, run twice: in Pyodide under Node (Graphviz compiled
to WebAssembly, the site's copy of @viz-js/viz) and in CPython (the ``dot`` program). Each run
returns one JSON text; the test compares the two.

Not a test module itself (pytest does not collect it): ``main()`` is a coroutine, awaited by
``tests/lite/pyodide_runner.mjs`` in Pyodide and by ``asyncio.run`` in CPython.

Only pure-Python paths: npm's ``pyodide`` has no numpy, so the graphs are ``Value`` graphs and
the Pyodide run gets a stand-in ``numpy`` module (``numpy_stub.py``).
"""

from __future__ import annotations

import html
import json
import os
import re
import sys

IN_PYODIDE = sys.platform == "emscripten"


def lesson_00_graph():
    """The first graph of lessons/00_start_here.py: ``c = a * b + a``."""
    from autograd.engine import Value

    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    c = a * b + a
    c.label = "c"
    return c


def neuron_graph():
    """A tanh neuron as in lesson 02, with parameters (green) and edge labels (``-``)."""
    from autograd.engine import Value

    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2, b = Value(-3.0, label="w1"), Value(1.0, label="w2"), Value(6.88, label="b")
    n = x1 * w1 + x2 * w2 + b
    n.label = "n"
    o = (n - Value(0.5, label="shift")).tanh()
    o.label = "o"
    return o, [w1, w2, b]


_TITLE = re.compile(r"<title>(.*?)</title>")
_TEXT = re.compile(r"<text\b[^>]*>(.*?)</text>", re.DOTALL)
_IN_TAG = re.compile(r"<[^>]*>")
_GEOMETRY = re.compile(r'\b(d|points)="[^"]*"')
# a number, but not inside a colour (#0f172a) or a name (op2, v0); after a path command (M12) yes
_NUMBER = re.compile(r"(?:(?<=[MCLHV])|(?<![#\w.]))-?\d+(?:\.\d+)?(?:e-?\d+)?")


def svg_summary(svg: str) -> dict:
    """What a picture shows, whatever the Graphviz version's coordinates and styling."""
    return {
        "starts": svg[:4],
        "ends": svg[-6:],
        "nodes": svg.count('class="node"'),
        "edges": svg.count('class="edge"'),
        "titles": _TITLE.findall(svg),
        "texts": [html.unescape(t.strip()) for t in _TEXT.findall(svg)],
    }


def frame_shape(svg: str) -> str:
    """An animation frame with every number inside a tag (coordinates, sizes) blanked: the
    text, the colours, the node names and the structure stay; the layout's numbers go."""
    svg = _GEOMETRY.sub(r'\1="#"', svg)  # how many spline segments is the layout's business
    return _IN_TAG.sub(lambda m: _NUMBER.sub("#", m.group(0)), svg)


def plain_summary(plain: str) -> dict:
    lines = [line.split() for line in plain.splitlines() if line.strip()]
    return {
        "first": lines[0][0],
        "last": lines[-1][0],
        "nodes": sorted(parts[1] for parts in lines if parts[0] == "node"),
        "edges": sorted((parts[1], parts[2]) for parts in lines if parts[0] == "edge"),
    }


async def main(store_module: str | None = None) -> str:
    from autograd import graphviz_backend as backend
    from autograd.animate import animate_backward
    from autograd.draw import draw_dot, render

    out: dict = {"platform": sys.platform, "use_wasm": backend.use_wasm()}

    if backend.use_wasm():
        # importing the module started loading Graphviz; nothing awaited it yet
        try:
            draw_dot(lesson_00_graph()).svg()
            out["before_load"] = "drawn"
        except RuntimeError as err:
            out["before_load"] = str(err)
        out["graphviz"] = await backend.load()

    c = lesson_00_graph()
    view = draw_dot(c)
    out["lesson_before"] = svg_summary(view.svg())
    out["lesson_text_before"] = view.text()
    c.backward()
    after = draw_dot(c)
    out["lesson_after"] = svg_summary(after.svg())
    out["lesson_text_after"] = after.text()
    out["plain"] = plain_summary(render(after.graph, "plain").decode())

    o, params = neuron_graph()
    neuron = draw_dot(o, params=params, rankdir="TB")
    out["neuron"] = svg_summary(neuron.svg())
    out["neuron_text"] = neuron.text()

    animation = animate_backward(c)
    out["frames"] = [frame_shape(f) for f in animation.frames]
    out["captions"] = [step.caption for step in animation.steps]
    big = animate_backward(o, params=params, rankdir="TB")
    out["neuron_frames"] = [frame_shape(f) for f in big.frames]

    if backend.use_wasm():
        out["errors"] = errors(backend, view)
        out["viz_url"] = site_url(backend)
    if store_module:
        out["store"] = store_checks(store_module)
    return json.dumps(out)


def errors(backend, view) -> dict:
    found = {}
    try:
        view.save("/tmp/picture.png")
        found["png"] = "saved"
    except RuntimeError as err:
        found["png"] = str(err)
    try:
        backend.render_wasm("digraph { a -> ", "svg")
        found["bad_dot"] = "rendered"
    except RuntimeError as err:
        found["bad_dot"] = str(err)
    return found


def site_url(backend) -> dict:
    """Where the back end looks for viz.js in a JupyterLite site: from the kernel's address."""
    import js
    from pyodide.ffi import to_js

    worker = (
        "https://teacher.github.io/autograd-from-scratch/extensions/@jupyterlite/"
        "pyodide-kernel-extension/static/comlink.worker.c654f1f92d96ff96.js"
    )
    explicit = os.environ.pop(backend.VIZ_URL_ENV)
    location = to_js({"href": worker}, dict_converter=js.Object.fromEntries)
    js.globalThis.location = location
    try:
        derived = backend.viz_url()
        os.environ[backend.VIZ_URL_ENV] = "../../../../vendor/viz-js/viz.js"
        relative = backend.viz_url()
    finally:
        os.environ[backend.VIZ_URL_ENV] = explicit
        js.eval("delete globalThis.location")
    return {"derived": derived, "relative": relative}


def store_checks(path: str) -> dict:
    """The learner's store (autograd/course/store.py) on Pyodide's file system."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("learner_store", path)
    store = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(store)
    found = {"home": str(store.home()), "HOME": os.environ.get("HOME")}
    s = store.Store()
    s.record("03.add_mul", True, "own")
    s.save_code("03.add_mul", "def add(a, b):\n    return a + b\n")
    s.save_code("03.add_mul", "def add(a, b):\n    return b + a\n")  # the first moves to history
    again = store.Store()
    found["passed"] = again.result("03.add_mul")["passed"]
    found["code"] = again.code("03.add_mul")
    found["files"] = sorted(str(p.relative_to(s.root)) for p in s.root.rglob("*") if p.is_file())
    saved = os.environ.pop("AUTOGRAD_HOME", None)
    try:
        found["default_home"] = str(store.home())
    finally:
        if saved is not None:
            os.environ["AUTOGRAD_HOME"] = saved
    return found
