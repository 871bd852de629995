"""The Graphviz back end for the browser, run where it runs: in Pyodide (under Node, with npm's
``pyodide`` core runtime), using the files the JupyterLite site ships: the package's wheel,
its ``graphviz`` wheel and its copy of ``@viz-js/viz`` (Graphviz compiled to WebAssembly).

A lesson's graph, a bigger one, and the backward animation's frames are made in Pyodide and in
CPython (``dot``) and compared: the same nodes, edges, texts and colours; only the layout's
coordinates may differ (two Graphviz versions). Also: a picture asked for before Graphviz has
loaded, errors, where the site's viz.js is found from the kernel's address, and the learner's
store on Pyodide's file system.

Pure-Python paths only: the core runtime has no numpy, so the graphs are ``Value`` graphs, the
package is reduced to the modules they need (``engine``, ``draw``, ``animate``,
``graphviz_backend``), and ``numpy`` is a stand-in (tests/lite/numpy_stub.py).
"""

from __future__ import annotations

import asyncio
import json
import re
import runpy
import threading
import zipfile
from pathlib import Path

import pytest
from lite.helpers import built_site, run_pyodide

HERE = Path(__file__).resolve().parent
CHECKS = HERE / "lite" / "pyodide_checks.py"
MODULES = ("engine", "draw", "animate", "graphviz_backend")
PY_HOME = "/home/pyodide"


def _wheel(site: Path, prefix: str) -> Path:
    (wheel,) = (site / "pypi").glob(f"{prefix}-*.whl")
    return wheel


@pytest.fixture(scope="module")
def site() -> Path:
    return built_site()[0]


@pytest.fixture(scope="module")
def configured_home(site) -> str:
    config = json.loads((site / "jupyter-lite.json").read_text())["jupyter-config-data"]
    kernel = config["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]
    return kernel["loadPyodideOptions"]["env"]["AUTOGRAD_HOME"]


@pytest.fixture(scope="module")
def pyodide(site, configured_home, tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("pyodide")
    pkg = tmp / "autograd"
    pkg.mkdir()
    files = [[f"{PY_HOME}/pkg/autograd/__init__.py", str(pkg / "__init__.py")]]
    (pkg / "__init__.py").write_text("")  # the real one imports numpy-based modules
    with zipfile.ZipFile(_wheel(site, "autograd_from_scratch")) as whl:
        for name in [f"autograd/{m}.py" for m in MODULES] + ["autograd/course/store.py"]:
            target = tmp / name.replace("/", "_")
            target.write_bytes(whl.read(name))
            dest = f"{PY_HOME}/work/store.py" if "course" in name else f"{PY_HOME}/pkg/{name}"
            files.append([dest, str(target)])
    files.append([f"{PY_HOME}/lib/numpy/__init__.py", str(HERE / "lite" / "numpy_stub.py")])
    files.append([f"{PY_HOME}/work/pyodide_checks.py", str(CHECKS)])
    script = tmp / "main.py"
    script.write_text(
        "import runpy\n"
        f"checks = runpy.run_path('{PY_HOME}/work/pyodide_checks.py')\n"
        f"await checks['main']('{PY_HOME}/work/store.py')\n"
    )
    job = {
        "files": files,
        "unzip": [[str(_wheel(site, "graphviz")), f"{PY_HOME}/lib"]],
        "env": {
            "AUTOGRAD_VIZ_URL": (site / "vendor" / "viz-js" / "viz.js").as_uri(),
            "AUTOGRAD_HOME": configured_home,  # as the site's kernel settings set it
        },
        "path": [f"{PY_HOME}/pkg", f"{PY_HOME}/lib"],
        "script": str(script),
    }
    return json.loads(run_pyodide(job, tmp))


def _run_in_own_loop(make_coroutine) -> str:
    """``asyncio.run`` in a thread of its own: the session may already have an event loop
    running in this thread (Playwright's, for the browser tests)."""
    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["value"] = asyncio.run(make_coroutine())
        except BaseException as exc:  # re-raised in the test's thread
            outcome["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]


@pytest.fixture(scope="module")
def cpython() -> dict:
    return json.loads(_run_in_own_loop(runpy.run_path(str(CHECKS))["main"]))


def test_pyodide_uses_graphviz_in_webassembly_and_cpython_uses_dot(pyodide, cpython):
    assert pyodide["platform"] == "emscripten" and pyodide["use_wasm"] is True
    assert cpython["use_wasm"] is False
    assert re.fullmatch(r"\d+\.\d+\.\d+", pyodide["graphviz"])


def test_a_picture_before_graphviz_has_loaded_says_what_to_do(pyodide):
    # under Node there is no JavaScript Promise Integration, so run_sync cannot wait for it
    assert "still loading" in pyodide["before_load"]
    assert "run this cell again" in pyodide["before_load"]


@pytest.mark.parametrize("key", ["lesson_before", "lesson_after", "neuron"])
def test_draw_dot_gives_the_same_picture(pyodide, cpython, key):
    ours, reference = pyodide[key], cpython[key]
    assert ours["starts"] == "<svg" and ours["ends"] == "</svg>"
    assert ours == reference


def test_the_pictures_show_the_lessons_numbers(pyodide, cpython):
    texts = pyodide["lesson_after"]["texts"]
    for expected in ("c", "data -4.0000", "grad 1.0000", "a", "grad -2.0000", "×", "+"):
        assert expected in texts
    assert pyodide["lesson_text_after"] == cpython["lesson_text_after"]
    assert pyodide["neuron_text"] == cpython["neuron_text"]
    assert pyodide["lesson_before"]["nodes"] == 6  # 4 values, 2 ops


def test_plain_layout_has_every_node_and_edge(pyodide, cpython):
    assert pyodide["plain"]["first"] == "graph" and pyodide["plain"]["last"] == "stop"
    assert pyodide["plain"] == cpython["plain"]


@pytest.mark.parametrize("key", ["frames", "neuron_frames"])
def test_animation_frames_match_up_to_coordinates(pyodide, cpython, key):
    assert len(pyodide[key]) == len(cpython[key]) > 3
    for k, (ours, reference) in enumerate(zip(pyodide[key], cpython[key], strict=True)):
        assert ours == reference, f"frame {k} differs"
    assert pyodide["captions"] == cpython["captions"]


def test_errors_are_clear(pyodide):
    assert "text formats only" in pyodide["errors"]["png"]
    assert "save the picture as .svg" in pyodide["errors"]["png"]
    assert "could not lay out this graph" in pyodide["errors"]["bad_dot"]
    assert "syntax error" in pyodide["errors"]["bad_dot"]


def test_the_sites_viz_js_is_found_from_the_kernels_address(pyodide):
    site = "https://teacher.github.io/autograd-from-scratch/"
    assert pyodide["viz_url"]["derived"] == site + "vendor/viz-js/viz.js"
    assert pyodide["viz_url"]["relative"] == site + "vendor/viz-js/viz.js"


def test_the_learners_store_works_on_pyodides_file_system(pyodide, configured_home):
    """Under Node the configured folder (/drive/...) is Pyodide's in-memory file system: no
    browser-storage drive is mounted there. In the browser the kernel mounts it (see the README)."""
    store = pyodide["store"]
    assert store["home"] == configured_home
    assert store["passed"] is True
    assert store["code"] == "def add(a, b):\n    return b + a\n"
    files = store["files"]
    assert "progress.json" in files and "code/03.add_mul.py" in files
    assert [f for f in files if f.startswith("code/history/03.add_mul.")], files
    # without AUTOGRAD_HOME: the home folder, which in JupyterLite is in memory only
    assert store["HOME"] == "/home/pyodide"
    assert store["default_home"] == "/home/pyodide/.local/share/autograd-from-scratch"


def test_the_choice_of_back_end_is_automatic(monkeypatch):
    """In CPython: ``dot`` whatever happens; in the browser without ``dot``: the WebAssembly
    back end gets the same DOT text and format that ``dot`` would have."""
    from autograd import graphviz_backend
    from autograd.draw import draw_dot
    from autograd.engine import Value

    calls = []

    def fake(source: str, fmt: str, engine: str = "dot") -> bytes:
        calls.append((source, fmt, engine))
        return b'<?xml version="1.0"?>\n<!-- Generated by graphviz -->\n<svg a="1"></svg>\n'

    monkeypatch.setattr(graphviz_backend, "render_wasm", fake)
    assert graphviz_backend.use_wasm() is False
    view = draw_dot(Value(1.0, label="x") * 2)
    assert view.svg().startswith("<svg") and not calls  # CPython: the dot program
    monkeypatch.setattr(graphviz_backend, "IN_BROWSER", True)
    assert graphviz_backend.use_wasm() is (graphviz_backend.shutil.which("dot") is None)
    monkeypatch.setattr(graphviz_backend.shutil, "which", lambda name: None)
    assert graphviz_backend.use_wasm() is True
    view = draw_dot(Value(1.0, label="x") * 2)
    assert view.svg() == '<svg a="1"></svg>'  # cleaned as dot's output is
    assert calls == [(view.source, "svg", "dot")]
