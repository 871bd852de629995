"""Build the series as a JupyterLite site: JupyterLab and Python (Pyodide) running entirely in
the learner's browser, served as static files (GitHub Pages, any web server).

    python tools/build_lite.py                 # writes _site/ (what `make lite` runs)
    python tools/build_lite.py --out DIR

Offline, from what the virtual environment and ``node_modules`` hold (``make lite`` installs
both: the ``lite`` extra of pyproject.toml, and ``npm ci``). The site holds:

* ``files/notebooks/``: the executed lessons, each with one cell added at the top that
  installs the package into the browser's Python (``%pip install``, i.e. piplite) and loads
  Graphviz for the pictures; the repository's notebooks are not changed;
* ``pypi/``: the package as a wheel (built by its own build back end; its requirements have
  no JupyterLab), plus the pure-Python wheels it needs that Pyodide does not have
  (``graphviz``, ``ipywidgets``, ``comm``, ``jupyterlab_widgets``, repacked from what this
  environment installed), indexed for piplite (``pypi/all.json``, in the kernel's settings);
  numpy, matplotlib, scikit-learn, tqdm and threadpoolctl come with Pyodide (its lock file);
* the ipywidgets front end (``@jupyter-widgets/jupyterlab-manager``) and the Pyodide kernel,
  and no other JupyterLab extension of the environment;
* the lab settings of ``jupyter_config/`` (``overrides.json``, and the disabled extensions of
  ``page_config.json``), and the kernel's: ``AUTOGRAD_HOME`` (loadPyodide's ``env``) puts the
  learner's store on the browser-storage drive, ``/drive/.autograd-from-scratch``;
* ``vendor/viz-js/viz.js``: Graphviz compiled to WebAssembly (npm ``@viz-js/viz``; one ES
  module with the WebAssembly binary inside), which ``autograd.graphviz_backend`` imports in
  the browser. Nothing of Graphviz comes from a CDN.

The learner's browser still downloads the Pyodide runtime and its numpy/matplotlib/... wheels
from Pyodide's CDN the first time (that is how jupyterlite-pyodide-kernel works); the browser
caches them.
"""

from __future__ import annotations

import argparse
import base64
import csv
import hashlib
import importlib.metadata
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
JUPYTER_CONFIG = ROOT / "jupyter_config"
NODE_MODULES = ROOT / "node_modules"
VIZ_PACKAGE = NODE_MODULES / "@viz-js" / "viz"
WORK = ROOT / "build" / "lite"  # git-ignored scratch space (build/)
DEFAULT_OUT = ROOT / "_site"

#: where the site serves Graphviz-in-WebAssembly (autograd.graphviz_backend.VIZ_SITE_PATH)
VIZ_SITE_PATH = "vendor/viz-js/viz.js"
#: pure-Python requirements of the package that Pyodide's lock file does not provide
EXTRA_WHEELS = ("graphviz", "ipywidgets", "comm", "jupyterlab_widgets")
#: the JupyterLab extensions the site needs (nothing else from the environment)
LAB_EXTENSIONS = ("@jupyterlite/pyodide-kernel-extension", "@jupyter-widgets/jupyterlab-manager")
KERNEL_PLUGIN = "@jupyterlite/pyodide-kernel-extension:kernel"
#: where the learner's store lives in the browser: on the drive the kernel mounts at /drive
#: (the file browser's storage, kept by the browser), in a hidden folder so that tidying the
#: file browser does not delete it by accident (see the README)
BROWSER_AUTOGRAD_HOME = "/drive/.autograd-from-scratch"

SETUP_TAG = "jupyterlite-setup"
SETUP_CELL = """\
# In the browser (JupyterLite): Python runs inside this page. Run this cell first (after every
# kernel restart too): it installs the course's package into this kernel and loads Graphviz
# (compiled to WebAssembly) for the pictures. The very first time takes a little longer.
%pip install -q autograd-from-scratch
import autograd.graphviz_backend

graphviz_version = await autograd.graphviz_backend.load()
print(f"Ready: the course's package, and Graphviz {graphviz_version} for the pictures.")
"""


def log(message: str) -> None:
    print(f"[lite] {message}", flush=True)


# --------------------------------------------------------------------------- wheels


def build_package_wheel(dest: Path) -> Path:
    """The package as a wheel, built by its own build back end (setuptools) from a clean copy
    of the sources, so nothing stale in ``build/`` can end up in it."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        src.mkdir()
        for name in ("pyproject.toml", "README.md", "LICENSE"):
            if (ROOT / name).exists():
                shutil.copy2(ROOT / name, src / name)
        shutil.copytree(
            ROOT / "autograd",
            src / "autograd",
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
        )
        out = Path(tmp) / "wheel"
        cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet"]
        cmd += ["--disable-pip-version-check", "--no-build-isolation", "-w", str(out), str(src)]
        subprocess.run(cmd, check=True)
        (wheel,) = out.glob("*.whl")
        target = dest / wheel.name
        shutil.copy2(wheel, target)
    return target


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return f"sha256={digest.decode()}"


def repack_installed(name: str, dest: Path) -> Path:
    """A wheel of an installed pure-Python distribution, made from the files it installed
    (its RECORD), so the site ships exactly the versions the tests ran with, offline.

    Files installed outside site-packages (e.g. a JupyterLab extension under ``share/``) are
    left out: the browser's kernel needs only the Python side.
    """
    dist = importlib.metadata.distribution(name)
    info = next(f for f in dist.files if f.parts[0].endswith(".dist-info"))
    info_dir = info.parts[0]
    wheel_meta = (dist.read_text("WHEEL") or "").splitlines()
    tags = [line.split(":", 1)[1].strip() for line in wheel_meta if line.startswith("Tag:")]
    if not any(t.endswith("-none-any") for t in tags):
        raise SystemExit(f"{name} is not a pure-Python wheel (tags {tags}); piplite needs one")
    skip = {"RECORD", "INSTALLER", "REQUESTED", "direct_url.json"}
    project = dist.metadata["Name"].replace("-", "_").replace(".", "_").lower()
    target = dest / f"{project}-{dist.version}-py3-none-any.whl"
    records = []
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as whl:
        for rel in sorted(dist.files, key=str):
            parts = rel.parts
            if parts[0] == ".." or "__pycache__" in parts or rel.suffix == ".pyc":
                continue
            if parts[0] == info_dir and parts[-1] in skip:
                continue
            path = Path(dist.locate_file(rel))
            if not path.is_file():
                continue
            data = path.read_bytes()
            arcname = "/".join(parts)
            whl.writestr(zipfile.ZipInfo(arcname, (2020, 2, 2, 0, 0, 0)), data)
            records.append((arcname, _record_hash(data), str(len(data))))
        record_name = f"{info_dir}/RECORD"
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerows(records)
        writer.writerow((record_name, "", ""))
        whl.writestr(zipfile.ZipInfo(record_name, (2020, 2, 2, 0, 0, 0)), buf.getvalue())
    return target


def build_wheels(dest: Path) -> list[Path]:
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    wheels = [build_package_wheel(dest)]
    wheels += [repack_installed(name, dest) for name in EXTRA_WHEELS]
    return wheels


# --------------------------------------------------------------------------- contents


def setup_cell() -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(SETUP_CELL.rstrip("\n"))
    cell.metadata["tags"] = [SETUP_TAG]
    cell["id"] = SETUP_TAG  # fixed, so the site is the same from build to build
    return cell


def lite_notebook(path: Path) -> nbformat.NotebookNode:
    """A lesson as the site serves it: the setup cell first, everything else as committed."""
    nb = nbformat.read(path, as_version=4)
    cells = [c for c in nb.cells if SETUP_TAG not in c.get("metadata", {}).get("tags", [])]
    nb.cells = [setup_cell(), *cells]
    # the browser's kernel is Pyodide's; JupyterLite starts it for a python3 kernelspec
    nb.metadata["kernelspec"] = {
        "display_name": "Python (Pyodide)",
        "language": "python",
        "name": "python",
    }
    return nb


def stage_contents(dest: Path) -> list[Path]:
    if dest.exists():
        shutil.rmtree(dest)
    folder = dest / "notebooks"
    folder.mkdir(parents=True)
    written = []
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        target = folder / path.name
        nbformat.write(lite_notebook(path), target)
        written.append(target)
    return written


# --------------------------------------------------------------------------- configuration


def lite_config() -> dict:
    """``jupyter-lite.json``: the page settings of jupyter_config/ and the kernel's set-up."""
    page = json.loads((JUPYTER_CONFIG / "labconfig" / "page_config.json").read_text())
    disabled = sorted(k for k, v in page.get("disabledExtensions", {}).items() if v)
    return {
        "jupyter-lite-schema-version": 0,
        "jupyter-config-data": {
            "appName": "Autograd from scratch",
            "disabledExtensions": disabled,
            "litePluginSettings": {
                KERNEL_PLUGIN: {
                    # loadPyodide's `env`: the learner's store goes to the browser-storage
                    # drive (/drive, what the file browser shows), not to the in-memory
                    # home folder that a kernel restart wipes
                    "loadPyodideOptions": {"env": {"AUTOGRAD_HOME": BROWSER_AUTOGRAD_HOME}}
                }
            },
        },
    }


def build_config(out: Path, work: Path, wheels: list[Path]) -> dict:
    """``jupyter_lite_config.json``: what ``jupyter lite build`` puts in the site."""
    ext_root = work / "site-config" / "labextensions"
    return {
        "LiteBuildConfig": {
            "output_dir": str(out),
            "contents": [str(work / "contents")],
            "settings_overrides": [str(work / "site-config" / "overrides.json")],
            "apps": ["lab"],
            "no_sourcemaps": True,
            # JupyterLab extensions: only those staged in ext_root, not all of sys.prefix's
            "ignore_sys_prefix": ["federated_extensions"],
        },
        "FederatedExtensionAddon": {"extra_labextensions_path": [str(ext_root)]},
        "PipliteAddon": {"piplite_urls": [str(w) for w in wheels]},
    }


def stage_lite_dir(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "jupyter-lite.json").write_text(json.dumps(lite_config(), indent=2) + "\n")
    overrides = JUPYTER_CONFIG / "labconfig" / "default_setting_overrides.json"
    shutil.copy2(overrides, dest / "overrides.json")
    # only the extensions the site needs, copied from the environment
    ext_root = dest / "labextensions"
    if ext_root.exists():
        shutil.rmtree(ext_root)
    installed = Path(sys.prefix) / "share" / "jupyter" / "labextensions"
    for name in LAB_EXTENSIONS:
        src = installed / name
        if not (src / "package.json").exists():
            raise SystemExit(f"JupyterLab extension {name} is not installed in {sys.prefix}")
        shutil.copytree(src, ext_root / name)
    return ext_root


def copy_viz(site: Path) -> Path:
    module = VIZ_PACKAGE / "dist" / "viz.js"
    if not module.exists():
        raise SystemExit(f"{module} is missing: run `npm ci` (make lite does)")
    target = site / VIZ_SITE_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(module, target)
    shutil.copy2(VIZ_PACKAGE / "package.json", target.parent / "package.json")  # name, licence
    return target


def size_of(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def build(out: Path, work: Path = WORK) -> Path:
    """Build the site into ``out``, using ``work`` as scratch space; return ``out``."""
    out, work = out.resolve(), work.resolve()
    wheels = build_wheels(work / "wheels")
    log("wheels: " + ", ".join(w.name for w in wheels))
    notebooks = stage_contents(work / "contents")
    log(f"{len(notebooks)} notebooks, each with a set-up cell for the browser")
    lite_dir = work / "site-config"
    stage_lite_dir(lite_dir)
    if out.exists():
        shutil.rmtree(out)
    config = build_config(out, work, wheels)
    (lite_dir / "jupyter_lite_config.json").write_text(json.dumps(config, indent=2) + "\n")
    jupyter = str(Path(sys.executable).with_name("jupyter"))
    cmd = [jupyter, "lite", "build", "--lite-dir", str(lite_dir), "--output-dir", str(out)]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    log("jupyter lite build ...")
    subprocess.run(cmd, check=True, cwd=lite_dir, env=env)
    copy_viz(out)
    log(f"site: {out} ({size_of(out) / 1e6:.1f} MB)")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the site's folder")
    parser.add_argument("--work", type=Path, default=WORK, help="scratch space")
    args = parser.parse_args(argv)
    build(args.out, args.work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
