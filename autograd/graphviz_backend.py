"""Graphviz in the browser: the pictures' back end when the lessons run on Pyodide (JupyterLite).

``draw_dot`` and ``animate_backward`` hand their DOT text to one function,
``autograd.draw.render``. On a normal Python it runs Graphviz's ``dot`` program. In the browser
(Pyodide: ``sys.platform == "emscripten"``) there are no programs to run, so when ``dot`` is
absent there it uses this module instead: Graphviz compiled to WebAssembly (npm's
``@viz-js/viz``), which the JupyterLite site ships as one JavaScript file with the WebAssembly
inside, ``vendor/viz-js/viz.js``. Same DOT in, same output out: ``plain`` (the node positions
the animation reads) and ``svg`` (what ``draw_dot`` shows); ``render_wasm`` returns bytes, as
``graphviz``'s ``pipe`` does.

Loading the WebAssembly is asynchronous (the browser compiles it in the background), while a
picture is drawn synchronously. So importing this module in the browser starts the loading,
and ``await load()`` (the first cell of every notebook in the JupyterLite site) waits for it.
A picture asked for before it finished waits for it too where the browser can (Pyodide's
``run_sync``, with JavaScript Promise Integration); elsewhere it raises a RuntimeError that says
to run the cell again.

Where the file is: ``$AUTOGRAD_VIZ_URL`` if set (a URL, or a path relative to the kernel's
script), else ``vendor/viz-js/viz.js`` at the root of the JupyterLite site, which is found from
the address of the kernel's script (``<site>/extensions/@jupyterlite/...``).

This module imports nothing from the package and, outside the browser, nothing but the
standard library: it is never used there.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from typing import Any

__all__ = ["IN_BROWSER", "graphviz_version", "load", "render_wasm", "use_wasm"]

IN_BROWSER = sys.platform == "emscripten"
VIZ_URL_ENV = "AUTOGRAD_VIZ_URL"
# where the site keeps @viz-js/viz's ES module (tools/build_lite.py copies it there)
VIZ_SITE_PATH = "vendor/viz-js/viz.js"
# what the kernel's own script address looks like below the site's root
_EXTENSIONS = "/extensions/@jupyterlite/"
# the output formats of Graphviz-in-WebAssembly that are text (it writes no PNG or PDF)
WASM_FORMATS = frozenset({"svg", "plain", "plain-ext", "json", "json0", "dot", "xdot", "canon"})

_state: dict[str, Any] = {"viz": None, "promise": None, "error": None}


def use_wasm() -> bool:
    """True in the browser (Pyodide) when there is no ``dot`` program to run."""
    return IN_BROWSER and shutil.which("dot") is None


def viz_url() -> str:
    """The address of ``@viz-js/viz``'s module: ``$AUTOGRAD_VIZ_URL``, else the site's copy."""
    import js  # Pyodide's bridge to JavaScript's global scope

    location = getattr(js, "location", None)  # the kernel's script (a Web Worker), if any
    here = str(location.href) if location is not None else ""
    explicit = os.environ.get(VIZ_URL_ENV)
    if explicit:
        return str(js.URL.new(explicit, here).href) if here else explicit
    root, found, _ = here.rpartition(_EXTENSIONS)
    if not found:
        raise RuntimeError(
            "Graphviz for the browser: cannot tell where the JupyterLite site is from this "
            f"kernel's address ({here or 'none'}); set {VIZ_URL_ENV} to the URL of "
            f"{VIZ_SITE_PATH}."
        )
    return f"{root}/{VIZ_SITE_PATH}"


def _loaded(viz: Any) -> Any:
    _state["viz"] = viz
    return viz


def _failed(error: Any) -> None:
    _state["error"] = str(error)


def start_loading() -> Any:
    """Start loading Graphviz (WebAssembly) unless it is loaded or loading; return the
    JavaScript promise of the ``Viz`` instance (None once loaded)."""
    if _state["viz"] is not None:
        return None
    if _state["promise"] is None:
        from pyodide.code import run_js

        _state["error"] = None
        url = json.dumps(viz_url())
        promise = run_js(f"import({url}).then((module) => module.instance())")
        promise.then(_loaded, _failed)
        _state["promise"] = promise
    return _state["promise"]


async def load() -> str:
    """Load Graphviz (WebAssembly) and wait until it is ready; return its version.

    The JupyterLite copies of the lessons run ``await load()`` in their first cell, so every
    picture after it is drawn at once.
    """
    promise = start_loading()
    if promise is not None:
        try:
            _loaded(await promise)
        except Exception as err:
            _state["promise"] = None  # let a later call try again
            raise RuntimeError(f"Graphviz for the browser could not be loaded: {err}") from err
    return graphviz_version()


def _instance() -> Any:
    if _state["viz"] is not None:
        return _state["viz"]
    promise = start_loading()
    if _state["error"] is not None:
        error = _state["error"]
        _state["promise"] = None  # the next picture tries again
        raise RuntimeError(f"Graphviz for the browser could not be loaded: {error}")
    from pyodide.ffi import can_run_sync, run_sync

    if can_run_sync():  # the browser can pause Python until the promise settles
        return _loaded(run_sync(promise))
    raise RuntimeError(
        "Graphviz for the browser (WebAssembly) is still loading: run this cell again in a "
        "moment. (The notebook's first cell, `await autograd.graphviz_backend.load()`, waits "
        "for it.)"
    )


def graphviz_version() -> str:
    """The version of Graphviz compiled to WebAssembly (loading it if needed)."""
    return str(_instance().graphvizVersion)


def render_wasm(source: str, fmt: str, engine: str = "dot") -> bytes:
    """Lay out DOT ``source`` with Graphviz compiled to WebAssembly; the output as bytes
    (UTF-8 text), like ``graphviz.Digraph.pipe(format=fmt)``."""
    if fmt not in WASM_FORMATS:
        raise RuntimeError(
            f"In the browser, Graphviz (WebAssembly) writes text formats only "
            f"({', '.join(sorted(WASM_FORMATS))}), not {fmt!r}: save the picture as .svg."
        )
    viz = _instance()
    import js
    from pyodide.ffi import JsException, to_js

    options = to_js({"format": fmt, "engine": engine}, dict_converter=js.Object.fromEntries)
    try:
        out = viz.renderString(source, options)
    except JsException as err:
        raise RuntimeError(f"Graphviz (WebAssembly) could not lay out this graph: {err}") from None
    return str(out).encode("utf-8")


if use_wasm():  # in the browser: start loading now, so the first picture need not wait
    try:
        start_loading()
    except Exception:  # noqa: S110 - reported again (with the reason) by the first picture
        pass
