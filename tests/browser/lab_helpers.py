"""Helpers for driving a real JupyterLab in a real Chromium (used by ``conftest.py`` and the tests).

Two halves:

* **the server** -- :func:`start_lab` runs ``jupyter lab`` from this environment with the
  repository's ``jupyter_config/`` (exactly as ``make lab`` and Binder do), on a free loopback
  port with a random token, and keeps every file JupyterLab would write (user settings,
  workspaces, checkpoints, runtime files) in a temporary folder, never in the repository;
* **the page** -- open a notebook, run all its cells the way a learner would (the app's command
  registry, or the *Run* menu), wait until the kernel has finished, and read what is on the
  screen: error outputs, SVG pictures, widgets.

Everything waits with Playwright's retrying ``expect`` / ``wait_for_function``: no sleeps.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"

# Debian's Chromium by default; AUTOGRAD_CHROMIUM=/path/to/chromium picks another build (any
# Chromium or Chrome that Playwright can drive), e.g. on a machine without Debian's package.
CHROMIUM = Path(os.environ.get("AUTOGRAD_CHROMIUM") or "/usr/bin/chromium")
# Without the networking flags Chromium keeps trying to reach Google's hosts (updates, sync,
# field trials), which a CI machine cannot reach: slow start-up and noisy logs.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

# How long one notebook may take to run all its cells in the browser (the slowest lessons
# train a small network).
RUN_TIMEOUT_MS = 300_000
STDERR_MIME = "application/vnd.jupyter.stderr"


# --------------------------------------------------------------------------- the server


@dataclass
class Lab:
    """A running JupyterLab server: where it is, its token, and how to talk to its REST API."""

    url: str
    token: str
    process: subprocess.Popen
    log_path: Path
    settings_dir: Path

    def notebook_url(self, name: str) -> str:
        """The address that opens ``notebooks/<name>`` in a fresh (reset) workspace."""
        path = urllib.parse.quote(f"notebooks/{name}")
        return f"{self.url}/lab/tree/{path}?token={self.token}&reset"

    def api(self, path: str, method: str = "GET") -> Any:
        """Call the server's REST API (``/api/...`` or ``/lab/api/...``) and decode the JSON."""
        request = urllib.request.Request(
            f"{self.url}{path}",
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> None:
        """Stop every session's kernel (the repo's settings keep kernels alive when a notebook
        closes, so without this each test would leave one running)."""
        for session in self.api("/api/sessions"):
            try:
                self.api(f"/api/sessions/{session['id']}", method="DELETE")
            except urllib.error.HTTPError:
                pass  # already gone

    def log_tail(self, n: int = 40) -> str:
        lines = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(lines[-n:])


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_lab(root_dir: Path, tmp: Path, startup_timeout: float = 120.0) -> Lab:
    """Start ``jupyter lab`` on ``root_dir`` with the repository's settings; wait until it answers.

    User settings, workspaces, checkpoints and runtime files go to ``tmp`` (the repository's
    settings live in ``jupyter_config/`` and are read through ``JUPYTER_CONFIG_PATH``, as in
    ``make lab``).
    One user setting is added for the tests: autosave off, so that running a notebook in the
    browser never rewrites the committed ``.ipynb`` file.
    """
    token = secrets.token_hex(24)
    port = free_port()
    settings_dir = tmp / "user-settings"
    docmanager = settings_dir / "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings"
    docmanager.parent.mkdir(parents=True)
    docmanager.write_text(json.dumps({"autosave": False}))
    # Checkpoints of <root>/<dir>/x.ipynb go to <tmp>/checkpoints/<dir>/.ipynb_checkpoints/;
    # that folder's parent must exist, or the server falls back to a shared system temp dir.
    checkpoints = tmp / "checkpoints"
    for folder in [root_dir, *(p for p in root_dir.iterdir() if p.is_dir())]:
        (checkpoints / folder.relative_to(root_dir)).mkdir(parents=True, exist_ok=True)
    env = dict(
        os.environ,
        JUPYTER_CONFIG_PATH=str(ROOT / "jupyter_config"),
        PYTHONHASHSEED="0",
        JUPYTERLAB_SETTINGS_DIR=str(settings_dir),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp / "workspaces"),
        JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
        # The learner's store: empty, and never the real one of whoever runs the tests.
        AUTOGRAD_HOME=str(tmp / "autograd-home"),
    )
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root_dir}",
        # JupyterLab makes a checkpoint (a copy) of each notebook it opens: keep those in tmp.
        f"--FileCheckpoints.root_dir={checkpoints}",
        # window.jupyterapp: lets the tests use the app's command registry, as Galata does.
        "--LabApp.expose_app_in_browser=True",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log_path = tmp / "jupyterlab.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command,
            cwd=root_dir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopping it stops its kernels too
        )
    lab = Lab(f"http://127.0.0.1:{port}", token, process, log_path, settings_dir)
    deadline = time.monotonic() + startup_timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(
                f"jupyter lab exited with code {process.returncode} before answering.\n"
                f"command: {' '.join(command)}\nlog:\n{lab.log_tail()}"
            )
        try:
            lab.api("/api/status")
            return lab
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            stop_lab(lab)
            raise RuntimeError(
                f"jupyter lab did not answer on {lab.url} within {startup_timeout:.0f} s.\n"
                f"log:\n{lab.log_tail()}"
            )
        time.sleep(0.25)  # polling a starting server, not waiting for the page


def stop_lab(lab: Lab) -> None:
    """Ask the server to stop (it shuts its kernels down); kill its process group if it hangs."""
    if lab.process.poll() is None:
        lab.process.terminate()
        try:
            lab.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(lab.process.pid, signal.SIGKILL)
            lab.process.wait(timeout=15)
    # Kernels are in the server's process group; make sure none outlives it.
    try:
        os.killpg(lab.process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


# --------------------------------------------------------------------------- the page


def open_notebook(page: Page, lab: Lab, name: str, wait_for_kernel: bool = True) -> None:
    """Open ``notebooks/<name>`` in JupyterLab and wait until its kernel is ready.

    Running cells before the kernel is connected makes JupyterLab ask which kernel to use (a
    "Select Kernel" dialog), so wait for a connected, idle kernel first.
    """
    page.goto(lab.notebook_url(name))
    panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    expect(panel).to_have_count(1, timeout=60_000)
    expect(panel.locator(".jp-Cell").first).to_be_visible(timeout=60_000)
    if not wait_for_kernel:
        return
    if has_app(page):
        page.wait_for_function(
            """() => {
                const widget = window.jupyterapp.shell.currentWidget;
                const kernel = widget?.sessionContext?.session?.kernel;
                return !!kernel && kernel.status === 'idle'
                    && kernel.connectionStatus === 'connected';
            }""",
            timeout=90_000,
        )
    else:
        # The status bar reads "Python 3 (ipykernel) | Idle" once the kernel is up.
        expect(page.locator(".jp-StatusBar-Widget", has_text="| Idle")).to_have_count(
            1, timeout=90_000
        )


def has_app(page: Page) -> bool:
    """Whether the page exposes JupyterLab's application object (``window.jupyterapp``)."""
    return page.evaluate("() => typeof window.jupyterapp === 'object' && !!window.jupyterapp")


def run_all_cells(page: Page, via: str = "auto") -> None:
    """Run every cell as a learner would, and wait until the kernel has finished.

    ``via="command"`` uses the app's command registry (the commands behind the menus);
    ``via="menu"`` clicks through the menu bar; ``"auto"`` uses the commands when the page
    exposes the app. First *Edit ▸ Clear Outputs of All Cells*: the committed notebooks
    already show outputs and execution numbers, so without clearing, a run that never
    happened would look finished.
    """
    if via == "auto":
        via = "command" if has_app(page) else "menu"
    if via == "command":
        page.evaluate(
            """() => {
                const commands = window.jupyterapp.commands;
                window.__runAll = 'running';
                commands.execute('notebook:clear-all-cell-outputs')
                    .then(() => commands.execute('notebook:run-all-cells'))
                    .then(ok => { window.__runAll = ok ? 'ok' : 'failed'; },
                          err => { window.__runAll = 'error: ' + err; });
            }"""
        )
        # The command's promise settles when the last cell's execution reply has arrived.
        page.wait_for_function("() => window.__runAll !== 'running'", timeout=RUN_TIMEOUT_MS)
        state = page.evaluate("() => window.__runAll")
        assert not state.startswith("error"), f"Run All Cells did not run: {state}"
    elif via == "menu":
        menu(page, "Edit", "Clear Outputs of All Cells")
        panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
        expect(panel.locator(".jp-OutputArea-output")).to_have_count(0)
        expect(panel.locator(".jp-InputPrompt", has_text=re.compile(r"\d"))).to_have_count(0)
        menu(page, "Run", "Run All Cells")
    else:
        raise ValueError(f"via must be 'auto', 'command' or 'menu', got {via!r}")
    wait_until_executed(page)


def menu(page: Page, top: str, item: str) -> None:
    """Click ``top ▸ item`` in JupyterLab's menu bar."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{re.escape(top)}$")).click()
    entry = page.locator(".lm-Menu-item:not(.lm-mod-disabled) .lm-Menu-itemLabel")
    entry.filter(has_text=re.compile(f"^{re.escape(item)}$")).click()


def wait_until_executed(page: Page) -> None:
    """Wait until every non-empty code cell shows an execution number and the kernel is idle,
    or until an error output appears (JupyterLab stops running the remaining cells then)."""
    page.wait_for_function(
        """(stderr) => {
            const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
            if (!panel) return false;
            const status = panel.querySelector('.jp-Notebook-ExecutionIndicator');
            if (!status || status.getAttribute('data-status') !== 'idle') return false;
            const cells = [...panel.querySelectorAll('.jp-CodeCell')];
            if (cells.some(c => (c.querySelector('.jp-InputPrompt')?.textContent || '')
                                   .includes('*'))) return false;
            if (panel.querySelector('.jp-OutputArea-output[data-mime-type="' + stderr + '"]'))
                return true;
            return cells.every(c => {
                const prompt = c.querySelector('.jp-InputPrompt')?.textContent || '';
                const source = c.querySelector('.cm-content')?.textContent || '';
                return /\\[\\d+\\]/.test(prompt) || source.trim() === '';
            });
        }""",
        arg=STDERR_MIME,
        timeout=RUN_TIMEOUT_MS,
    )


def error_outputs(page: Page) -> list[str]:
    """The text of every stderr stream and error (traceback) output in the open notebook."""
    panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    return panel.locator(f'.jp-OutputArea-output[data-mime-type="{STDERR_MIME}"]').all_inner_texts()


def assert_no_errors(page: Page, name: str) -> None:
    errors = error_outputs(page)
    assert not errors, f"{name}: {len(errors)} error/stderr output(s); first:\n{errors[0][:2000]}"


def assert_all_executed(page: Page, name: str) -> None:
    """Every code cell with source ran (has ``[n]:``) -- i.e. no cell was left out."""
    missing = page.evaluate(
        """() => {
            const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
            return [...panel.querySelectorAll('.jp-CodeCell')].map((c, i) => [
                i,
                c.querySelector('.jp-InputPrompt')?.textContent || '',
                (c.querySelector('.cm-content')?.textContent || '').trim().slice(0, 60),
            ]).filter(([i, prompt, src]) => src !== '' && !/\\[\\d+\\]/.test(prompt));
        }"""
    )
    assert not missing, f"{name}: code cells that did not run: {missing}"


def svg_images(page: Page) -> list[str]:
    """The decoded SVG text of every ``image/svg+xml`` output (JupyterLab 4 shows them as
    ``<img src="data:image/svg+xml,...">``)."""
    outputs = '.jp-OutputArea-output[data-mime-type="image/svg+xml"] img'
    sources = page.locator(f".jp-NotebookPanel:not(.lm-mod-hidden) {outputs}").evaluate_all(
        "imgs => imgs.map(i => i.getAttribute('src'))"
    )
    return [decode_data_url(s) for s in sources]


def decode_data_url(url: str) -> str:
    """``data:image/svg+xml,<percent-encoded>`` or ``...;base64,<b64>`` -> the SVG text."""
    header, _, payload = url.partition(",")
    if not header.startswith("data:"):
        raise ValueError(f"not a data: URL: {url[:60]!r}")
    if header.endswith(";base64"):
        import base64

        return base64.b64decode(payload).decode("utf-8")
    return urllib.parse.unquote(payload)


def screenshot(target: Any, name: str) -> Path:
    """Save a screenshot of a page or an element as ``artifacts/screenshots/<name>.png``."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    target.screenshot(path=str(path))
    return path


def kernel_round_trip(page: Page) -> None:
    """Wait until the kernel has handled everything the page sent it so far.

    Widget events (a click on a radio button) reach the kernel as messages, and the kernel's
    answer (new feedback text) comes back as another. An empty execution sent afterwards is
    handled after them, and its "idle" arrives after their answers: waiting for it is a
    barrier with no timing guess. Needs ``window.jupyterapp``.
    """
    page.evaluate(
        """() => {
            const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
            window.__barrier = 'waiting';
            kernel.requestExecute({code: '', silent: true, store_history: false}).done.then(
                () => { window.__barrier = 'done'; },
                err => { window.__barrier = 'error: ' + err; });
        }"""
    )
    # (An awaited page.evaluate has no time limit; wait_for_function has.)
    page.wait_for_function("() => window.__barrier !== 'waiting'", timeout=60_000)
    state = page.evaluate("() => window.__barrier")
    assert state == "done", f"the kernel did not answer: {state}"


def type_into_tagged_cell(page: Page, tag: str, source: str, nth: int = 0) -> int:
    """Replace the code of the ``nth`` cell tagged ``tag`` (as a learner editing it would end
    up with) and return that cell's index. Needs ``window.jupyterapp``."""
    index = page.evaluate(
        """([tag, nth, source]) => {
            const notebook = window.jupyterapp.shell.currentWidget.content;
            const tagged = notebook.widgets
                .map((cell, i) => [cell, i])
                .filter(([cell]) => (cell.model.getMetadata('tags') || []).includes(tag));
            if (tagged.length <= nth) return -1;
            const [cell, i] = tagged[nth];
            cell.model.sharedModel.setSource(source);
            return i;
        }""",
        [tag, nth, source],
    )
    assert index >= 0, f"no cell number {nth} tagged {tag!r} in this notebook"
    return index


def run_cells(page: Page, *indices: int) -> None:
    """Run these cells, one after the other, and wait until each has finished."""
    for index in indices:
        page.evaluate(
            """(index) => {
                const app = window.jupyterapp;
                const panel = app.shell.currentWidget;
                panel.content.activeCellIndex = index;
                window.__runCell = 'running';
                app.commands.execute('notebook:run-cell')
                    .then(() => { window.__runCell = 'ok'; },
                          err => { window.__runCell = 'error: ' + err; });
            }""",
            index,
        )
        page.wait_for_function("() => window.__runCell !== 'running'", timeout=RUN_TIMEOUT_MS)
        assert page.evaluate("() => window.__runCell") == "ok"
        kernel_round_trip(page)
