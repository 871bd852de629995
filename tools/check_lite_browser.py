"""By hand (like the benchmarks, never part of `make test`): the built JupyterLite site in a
real browser, headless Chromium, with the kernel's Pyodide served from this machine.

    make lite && .venv/bin/python tools/check_lite_browser.py [--site _site]

The site's kernel normally downloads Pyodide from its CDN, which this machine cannot reach. So
the check serves, next to a copy of the site, npm's ``pyodide`` core (node_modules/) plus the
pure-Python wheels of Pyodide's lock file that the kernel loads when it starts (micropip,
IPython, jedi ...; fetched once with pip into build/lite-browser/wheels, later runs are
offline), and points the copy's kernel settings at it (``pyodideUrl``; PyPI fallback off).

What it checks, in the real JupyterLite kernel (a module Web Worker) and page:

* the lessons open with the set-up cell first; the service worker runs (the kernel's drive);
* the kernel gets ``AUTOGRAD_HOME`` from the site's settings and works in /drive/notebooks;
* piplite installs the package's wheel and ``graphviz`` from the site's own index;
* Graphviz (WebAssembly) loads from the site's ``vendor/viz-js/viz.js``, found from the
  kernel's address; a picture drawn before it loaded (Pyodide's ``run_sync``, where the
  browser has JavaScript Promise Integration) or after; ``draw_dot`` shows as an SVG image;
* ``%pip install ipywidgets`` from the site's index (comm, jupyterlab_widgets) and the
  backward animation as a widget: the slider changes the frame (a kernel round trip);
* the learner's store on the browser-storage drive: written by the kernel, seen by the file
  browser's contents manager, still there after a kernel restart and a page reload.

What it cannot check: numpy, matplotlib and scikit-learn come from Pyodide's CDN (not in the
npm core), so ``%pip install autograd-from-scratch`` with its requirements cannot run here;
the check installs the package with ``--no-deps``, imports its modules without the package's
``__init__`` (which needs numpy) and gives the kernel a numpy stand-in. A screenshot of the
animation goes to artifacts/screenshots/lite_animation.png.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import http.server
import json
import re
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "build" / "lite-browser"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
PYODIDE = ROOT / "node_modules" / "pyodide"
KERNEL_PLUGIN = "@jupyterlite/pyodide-kernel-extension:kernel"
#: what the kernel loads from Pyodide's lock file when it starts (and what those need)
KERNEL_START = ("micropip", "jedi", "ipython", "packaging")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

# --------------------------------------------------------------------------- kernel code

SETUP = r"""
%pip install --no-deps autograd-from-scratch graphviz
import importlib.util, os, sys, types
os.makedirs("/tmp/stub/numpy", exist_ok=True)
with open("/tmp/stub/numpy/__init__.py", "w") as f:  # numpy stand-in (see the docstring)
    f.write(
        "class _D:\n def __init__(self, *a, **k): pass\n def __call__(self, *a, **k): return self\n"
        " def __getattr__(self, n): return _D()\n"
        "class ndarray: pass\nclass integer: pass\n"
        "def __getattr__(name):\n c = type(name, (_D,), {}); globals()[name] = c; return c\n"
    )
sys.path.insert(0, "/tmp/stub")
spec = importlib.util.find_spec("autograd")  # the package, without running its __init__
package = types.ModuleType("autograd")
package.__path__ = list(spec.submodule_search_locations)
sys.modules["autograd"] = package
print("CHECK", {"cwd": os.getcwd(), "home": os.environ.get("AUTOGRAD_HOME")})
"""

EARLY = r"""
import autograd.graphviz_backend as backend
from pyodide.ffi import can_run_sync
from autograd.engine import Value
from autograd.draw import draw_dot
a = Value(2.0, label="a"); b = Value(-3.0, label="b"); c = a * b + a; c.label = "c"
try:
    early = "drawn: " + draw_dot(c).svg()[:4]
except RuntimeError as err:
    early = f"error: {err}"
print("CHECK", {"can_run_sync": can_run_sync(), "early": early})
"""

LOAD = r"""
print("CHECK", {"graphviz": await backend.load(), "viz_url": backend.viz_url()})
draw_dot(c)
"""

ANIMATION = r"""
%pip install -q ipywidgets
from autograd.animate import animate_backward
c.backward()
animation = animate_backward(c)
animation
"""

STORE = r"""
import importlib.util, os
path = os.path.join(list(sys.modules["autograd"].__path__)[0], "course", "store.py")
spec = importlib.util.spec_from_file_location("learner_store", path)
store = importlib.util.module_from_spec(spec); spec.loader.exec_module(store)
s = store.Store()
s.record("03.add_mul", True, "own")
s.save_code("03.add_mul", "def add(a, b):\n    return a + b\n")
s.save_code("03.add_mul", "def add(a, b):\n    return b + a\n")
files = sorted(str(p.relative_to(s.root)) for p in s.root.rglob("*") if p.is_file())
passed = store.Store().result("03.add_mul")["passed"]
print("CHECK", {"root": str(s.root), "files": files, "passed": passed})
"""

READ_BACK = r"""
import os
root = os.environ["AUTOGRAD_HOME"]
files = sorted(os.path.relpath(os.path.join(d, f), root) for d, _, fs in os.walk(root) for f in fs)
print("CHECK", {"files": files, "code": open(os.path.join(root, "code", "03.add_mul.py")).read()})
"""

# --------------------------------------------------------------------------- serving


def kernel_wheels() -> list[dict]:
    """The lock entries the kernel loads at start, with everything they depend on."""
    lock = json.loads((PYODIDE / "pyodide-lock.json").read_text())["packages"]
    by_name = {re.sub(r"[-_.]+", "-", k).lower(): k for k in lock}
    todo, seen = list(KERNEL_START), []
    while todo:
        name = by_name[re.sub(r"[-_.]+", "-", todo.pop()).lower()]
        if name not in seen:
            seen.append(name)
            todo += lock[name]["depends"]
    return [{**lock[name], "key": name} for name in seen]


def stage(site: Path, port: int) -> Path:
    """The folder to serve: site/ (a copy of the site, kernel settings pointed at the local
    Pyodide) and pyodide/ (npm's core plus the kernel's wheels, with their hashes)."""
    wheels = WORK / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    needed = kernel_wheels()
    missing = [e for e in needed if not (wheels / e["file_name"]).exists()]
    if missing:
        specs = [f"{e['name']}=={e['version']}" for e in missing]
        print(f"[check] fetching {len(specs)} wheels of Pyodide's lock with pip (once)")
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps"]
            + ["--only-binary=:all:", "--python-version", "3.14", "-d", str(wheels), *specs],
            check=True,
        )
    serve = WORK / "serve"
    if serve.exists():
        shutil.rmtree(serve)
    shutil.copytree(PYODIDE, serve / "pyodide")
    lock = json.loads((PYODIDE / "pyodide-lock.json").read_text())
    for entry in needed:
        data = (wheels / entry["file_name"]).read_bytes()  # pip's wheel, not Pyodide's build
        (serve / "pyodide" / entry["file_name"]).write_bytes(data)
        lock["packages"][entry["key"]]["sha256"] = hashlib.sha256(data).hexdigest()
    (serve / "pyodide" / "pyodide-lock.json").write_text(json.dumps(lock))
    shutil.copytree(site, serve / "site")
    config_file = serve / "site" / "jupyter-lite.json"
    config = json.loads(config_file.read_text())
    data = config["jupyter-config-data"]
    data["exposeAppInBrowser"] = True  # window.jupyterapp, for driving the app
    kernel = data["litePluginSettings"][KERNEL_PLUGIN]
    kernel["pyodideUrl"] = f"http://127.0.0.1:{port}/pyodide/pyodide.mjs"
    kernel["disablePyPIFallback"] = True
    config_file.write_text(json.dumps(config, indent=1))
    return serve


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------- the page

IDLE = """() => {
    const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
    const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
    return !!k && k.status === 'idle' && (window.__done === undefined || window.__done);
}"""


def run_cell(page, code: str, timeout: int = 300_000) -> list[dict]:
    """Put ``code`` in the active cell, run it, add a cell below; the outputs."""
    page.evaluate(
        """async (code) => {
            const app = window.jupyterapp;
            const nb = app.shell.currentWidget.content;
            nb.activeCell.model.sharedModel.setSource(code);
            window.__cell = nb.activeCellIndex;
            window.__done = false;
            await app.commands.execute('notebook:run-cell');
            window.__done = true;
        }""",
        code,
    )
    page.wait_for_function(IDLE, timeout=timeout)
    outputs = page.evaluate(
        """async () => {
            const app = window.jupyterapp;
            const nb = app.shell.currentWidget.content;
            const outputs = nb.widgets[window.__cell].model.outputs.toJSON();
            nb.activeCellIndex = window.__cell;
            await app.commands.execute('notebook:insert-cell-below');
            return JSON.stringify(outputs);
        }"""
    )
    return json.loads(outputs)


def checks(outputs: list[dict]) -> dict:
    """The ``CHECK {...}`` line the cell printed; an error output fails loudly."""
    found: dict = {}
    for out in outputs:
        if out["output_type"] == "error":
            tb = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(out.get("traceback", [])))
            raise AssertionError(f"{out['ename']}: {out['evalue']}\n{tb[-2000:]}")
        if out["output_type"] == "stream":
            text = out["text"] if isinstance(out["text"], str) else "".join(out["text"])
            for line in text.splitlines():
                if line.startswith("CHECK "):
                    found.update(eval(line[6:], {}))  # noqa: S307 - our own kernel's repr
    return found


def check(label: str, ok: bool, detail: object = "") -> bool:
    print(f"[check] {'ok  ' if ok else 'FAIL'} {label}" + (f": {detail}" if detail != "" else ""))
    return ok


def run(site: Path, chromium: str) -> bool:
    port = free_port()
    serve = stage(site, port)
    handler = functools.partial(_Quiet, directory=str(serve))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{port}/site/"
    home = json.loads((site / "jupyter-lite.json").read_text())["jupyter-config-data"]
    home = home["litePluginSettings"][KERNEL_PLUGIN]["loadPyodideOptions"]["env"]["AUTOGRAD_HOME"]
    results = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            page = browser.new_context(service_workers="allow").new_page()
            page.goto(base + "lab/index.html?path=notebooks/00_start_here.ipynb")
            page.wait_for_function("() => !!window.jupyterapp", timeout=120_000)
            page.wait_for_function(IDLE, timeout=300_000)
            first = page.evaluate(
                "() => window.jupyterapp.shell.currentWidget.content.widgets[0]"
                ".model.sharedModel.getSource()"
            )
            results.append(check("the lesson opens with the set-up cell", "%pip install" in first))
            worker = page.evaluate("() => !!navigator.serviceWorker.controller")
            results.append(check("the service worker runs (the kernel's drive)", worker))
            page.evaluate(
                """async () => {
                    const app = window.jupyterapp;
                    app.shell.currentWidget.content.activeCellIndex = 0;
                    await app.commands.execute('notebook:insert-cell-above');
                }"""
            )
            got = checks(run_cell(page, SETUP))
            results.append(check("AUTOGRAD_HOME from the site's settings", got["home"] == home))
            results.append(check("the kernel works in /drive", got["cwd"] == "/drive/notebooks"))
            got = checks(run_cell(page, EARLY))
            results.append(check("picture before load()", True, got))
            outs = run_cell(page, LOAD)
            got = checks(outs)
            expected = base + "vendor/viz-js/viz.js"
            results.append(check("Graphviz (WebAssembly) loads", bool(got["graphviz"]), got))
            results.append(
                check("viz.js found from the kernel's address", got["viz_url"] == expected)
            )
            svg = [o for o in outs if "image/svg+xml" in o.get("data", {})]
            results.append(check("draw_dot shows as image/svg+xml", bool(svg)))
            images = page.locator("img[src^='data:image/svg+xml']")
            results.append(check("the picture is on the page", images.count() >= 1))
            outs = run_cell(page, ANIMATION)
            views = [
                o for o in outs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})
            ]
            results.append(check("the animation is a widget", bool(views)))
            boxes = page.locator(".widget-html svg g.ag-value")
            boxes.first.wait_for(timeout=60_000)
            results.append(
                check("its frame shows the graph's boxes", boxes.count() == 4, boxes.count())
            )
            picture = page.locator(".widget-html").filter(has=page.locator("svg g.ag-value")).first
            before = picture.inner_html()
            handle = page.locator(".widget-slider .noUi-handle").first
            handle.focus()
            handle.press("ArrowRight")
            page.wait_for_function(
                "(before) => { const el = [...document.querySelectorAll('.widget-html')]"
                ".find(e => e.querySelector('svg g.ag-value'));"
                " return el && el.innerHTML !== before; }",
                arg=before,
                timeout=60_000,
            )
            results.append(check("the slider moves the animation on (kernel round trip)", True))
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "lite_animation.png"))
            got = checks(run_cell(page, STORE))
            files = got["files"]
            ok = got["root"] == home and got["passed"] and "progress.json" in files
            results.append(check("the store writes on the drive", ok, files))
            listing = page.evaluate(
                """async (folder) => {
                    const contents = window.jupyterapp.serviceManager.contents;
                    const model = await contents.get(folder, {content: true});
                    return model.content.map((m) => m.name).sort();
                }""",
                home.removeprefix("/drive/"),
            )
            results.append(
                check("the file browser's storage holds it", "progress.json" in listing, listing)
            )
            page.evaluate(
                "async () => { await window.jupyterapp.shell.currentWidget"
                ".sessionContext.session.kernel.restart(); }"
            )
            page.wait_for_function(IDLE, timeout=300_000)
            got = checks(run_cell(page, READ_BACK))
            ok = got["files"] == files and "b + a" in got["code"]
            results.append(check("the store survives a kernel restart", ok, got["files"]))
            page.reload()
            page.wait_for_function("() => !!window.jupyterapp", timeout=120_000)
            listing = page.evaluate(
                """async (folder) => {
                    const contents = window.jupyterapp.serviceManager.contents;
                    await window.jupyterapp.serviceManager.ready;
                    const model = await contents.get(folder + '/code', {content: true});
                    return model.content.map((m) => m.name).sort();
                }""",
                home.removeprefix("/drive/"),
            )
            results.append(check("and a page reload", "03.add_mul.py" in listing, listing))
            browser.close()
    finally:
        server.shutdown()
    return all(results)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "_site")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args(argv)
    if not (args.site / "jupyter-lite.json").exists():
        parser.error(f"no site in {args.site}: run `make lite` first")
    ok = run(args.site.resolve(), args.chromium)
    print("[check] all passed" if ok else "[check] some checks FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
