"""Shared by tests/test_lite.py and tests/test_lite_pyodide.py: one JupyterLite site build per
test session (``built_site``), and a way to run Python in Pyodide under Node (``run_pyodide``).

What they need: the ``lite`` extra (jupyterlite-core, jupyterlite-pyodide-kernel) and Node with
``node_modules`` (``npm ci``); ``make test`` installs both. Without them the tests skip, except
under CI (``CI=true``), where they fail: CI must not pass by skipping the in-browser build.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "node_modules"
RUNNER = Path(__file__).with_name("pyodide_runner.mjs")


def missing(what: str) -> None:
    message = f"{what} (`make test` installs it: the lite extra and `npm ci`)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


def build_lite_module():
    spec = importlib.util.spec_from_file_location("build_lite", ROOT / "tools" / "build_lite.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@functools.cache
def _build() -> tuple[Path, float, str]:
    scratch = Path(tempfile.mkdtemp(prefix="autograd-lite-"))
    # Offline: no package index for pip, and every HTTP(S) request sent to a closed port.
    dead = "http://127.0.0.1:9"
    env = {**os.environ, "PIP_NO_INDEX": "1", "NO_PROXY": "", "no_proxy": ""}
    env.update({k: dead for k in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")})
    env.update({k.lower(): dead for k in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")})
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_lite.py"), "--out", str(scratch / "_site")]
        + ["--work", str(scratch / "work")],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"build_lite.py failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return scratch / "_site", seconds, done.stdout


def built_site() -> tuple[Path, float, str]:
    """(site folder, seconds the build took, its log), built once per session."""
    if importlib.util.find_spec("jupyterlite_core") is None:
        missing("jupyterlite-core is not installed")
    if importlib.util.find_spec("jupyterlite_pyodide_kernel") is None:
        missing("jupyterlite-pyodide-kernel is not installed")
    if not (NODE_MODULES / "@viz-js" / "viz" / "dist" / "viz.js").exists():
        missing("node_modules/@viz-js/viz is missing")
    return _build()


def node() -> str:
    exe = shutil.which("node")
    if exe is None:
        missing("Node.js is not installed")
    if not (NODE_MODULES / "pyodide" / "pyodide.mjs").exists():
        missing("node_modules/pyodide is missing")
    return exe


def run_pyodide(job: dict, tmp: Path, timeout: int = 300) -> str:
    """Run ``job`` (see pyodide_runner.mjs) in Pyodide under Node; the script's result text."""
    job_file = tmp / "job.json"
    job_file.write_text(json.dumps(job))
    done = subprocess.run(
        [node(), str(RUNNER), str(job_file)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=tmp,
    )
    assert done.returncode == 0, f"Pyodide run failed:\n{done.stdout[-4000:]}\n{done.stderr}"
    marker = "=== result ===\n"
    assert marker in done.stdout, done.stdout
    return done.stdout.split(marker, 1)[1].strip()
