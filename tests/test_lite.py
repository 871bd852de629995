"""The in-browser site (``make lite``: JupyterLite, Python on Pyodide): it builds offline, from
a fresh checkout's files, and holds what the lessons need there.

One build per test session (tests/lite/helpers.py), with no package index and every HTTP(S)
request sent to a closed port. What runs *in* the browser's Python is tested in
tests/test_lite_pyodide.py; the GitHub Pages workflow that deploys the site is checked here too.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

import nbformat
import pytest
import yaml
from lite.helpers import ROOT, build_lite_module, built_site
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from autograd import graphviz_backend

NOTEBOOKS = ROOT / "notebooks"
PAGES = ROOT / ".github" / "workflows" / "pages.yml"
PYPI = "pypi"
KERNEL_PYPI = "extensions/@jupyterlite/pyodide-kernel-extension/static/pypi"
KERNEL_PLUGIN = "@jupyterlite/pyodide-kernel-extension:kernel"
# how Pyodide's Python answers environment markers (PEP 508)
PYODIDE_MARKERS = {
    **default_environment(),
    "python_version": "3.14",
    "python_full_version": "3.14.2",
    "sys_platform": "emscripten",
    "platform_system": "Emscripten",
    "platform_machine": "wasm32",
    "os_name": "posix",
    "extra": "",
}


@pytest.fixture(scope="module")
def build() -> tuple[Path, float, str]:
    return built_site()


@pytest.fixture(scope="module")
def site(build) -> Path:
    return build[0]


@pytest.fixture(scope="module")
def config(site) -> dict:
    return json.loads((site / "jupyter-lite.json").read_text())["jupyter-config-data"]


def wheel_metadata(path: Path) -> dict:
    with zipfile.ZipFile(path) as whl:
        (name,) = [n for n in whl.namelist() if n.endswith(".dist-info/METADATA")]
        return Parser().parsestr(whl.read(name).decode())


def runtime_requirements(path: Path) -> list[Requirement]:
    """The requirements piplite installs with a wheel in Pyodide (no extras)."""
    reqs = [Requirement(r) for r in wheel_metadata(path).get_all("Requires-Dist") or []]
    return [r for r in reqs if r.marker is None or r.marker.evaluate(PYODIDE_MARKERS)]


def test_the_build_log_and_time(build):
    site, seconds, log = build
    assert "[lite] site:" in log
    # One build for the whole session; it takes seconds here (about 7 s), far below the 60 s
    # at which it would deserve a marker of its own.
    assert seconds < 120, f"the site build took {seconds:.0f} s"


def test_every_lesson_is_in_the_site_with_a_setup_cell_first(site):
    lessons = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))
    served = site / "files" / "notebooks"
    assert sorted(p.name for p in served.glob("*.ipynb")) == lessons
    index = json.loads((site / "api" / "contents" / "notebooks" / "all.json").read_text())
    assert sorted(c["name"] for c in index["content"]) == lessons
    for name in lessons:
        original = nbformat.read(NOTEBOOKS / name, as_version=4)
        lite = nbformat.read(served / name, as_version=4)
        nbformat.validate(lite)
        setup, *rest = lite.cells
        assert "jupyterlite-setup" in setup.metadata["tags"]
        assert "%pip install -q autograd-from-scratch" in setup.source
        assert "await autograd.graphviz_backend.load()" in setup.source
        # everything else exactly as committed, outputs included
        assert [c.source for c in rest] == [c.source for c in original.cells]
        assert [c.get("outputs") for c in rest] == [c.get("outputs") for c in original.cells]
        assert lite.metadata.kernelspec.name == "python"  # the Pyodide kernel's name


def test_the_package_wheel_is_indexed_for_piplite_with_every_module(site):
    index = json.loads((site / PYPI / "all.json").read_text())
    assert "autograd-from-scratch" in index
    (wheel,) = (site / PYPI).glob("autograd_from_scratch-*-py3-none-any.whl")
    (release,) = index["autograd-from-scratch"]["releases"].values()
    assert release[0]["filename"] == wheel.name
    assert release[0]["digests"]["sha256"] == hashlib.sha256(wheel.read_bytes()).hexdigest()
    names = set(zipfile.ZipFile(wheel).namelist())
    sources = {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "autograd").rglob("*.py")
        if "__pycache__" not in p.parts
    }
    assert sources <= names, sorted(sources - names)
    assert "autograd/graphviz_backend.py" in names
    assert not [n for n in names if n.endswith(".pyc")]


def test_the_package_wheel_does_not_require_jupyterlab(site):
    (wheel,) = (site / PYPI).glob("autograd_from_scratch-*.whl")
    runtime = {canonicalize_name(r.name) for r in runtime_requirements(wheel)}
    assert runtime, "no runtime requirements read"
    assert not {"jupyterlab", "notebook", "jupyter-server"} & runtime
    every = [Requirement(r) for r in wheel_metadata(wheel).get_all("Requires-Dist")]
    lab = [r for r in every if canonicalize_name(r.name) == "jupyterlab"]
    assert lab and all(r.marker is not None and "extra" in str(r.marker) for r in lab)


def test_every_requirement_is_in_the_site_or_in_pyodide(site):
    """piplite finds each requirement of the package (and of those) in the site's wheels, in
    the kernel's own wheels, or in Pyodide's lock file (numpy, matplotlib, ... from its CDN):
    nothing comes from PyPI at run time."""
    lock = json.loads((ROOT / "node_modules" / "pyodide" / "pyodide-lock.json").read_text())
    in_pyodide = {canonicalize_name(n) for n in lock["packages"]}
    in_pyodide |= {canonicalize_name(p["name"]) for p in lock["packages"].values()}
    wheels = {}
    for folder in (site / PYPI, site / KERNEL_PYPI):
        for whl in folder.glob("*.whl"):
            wheels[canonicalize_name(wheel_metadata(whl)["Name"])] = whl
    # the kernel installs these itself at start-up (ipykernel and pyodide-kernel are its own)
    kernel = {"comm", "ipython", "jedi", "pyodide-kernel", "ipykernel", "piplite"}
    todo, seen, missing = ["autograd-from-scratch"], set(), []
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        if name in wheels:
            todo += [canonicalize_name(r.name) for r in runtime_requirements(wheels[name])]
        elif name not in in_pyodide and name not in kernel:
            missing.append(name)
    assert not missing, f"not in the site nor in Pyodide: {missing}"
    for name in ("numpy", "matplotlib", "scikit-learn", "tqdm", "threadpoolctl", "ipython"):
        assert canonicalize_name(name) in in_pyodide
    for name in ("graphviz", "ipywidgets", "comm", "jupyterlab-widgets"):
        assert canonicalize_name(name) in wheels


def test_the_sites_pyodide_is_the_version_the_tests_run(site):
    from jupyterlite_pyodide_kernel import constants

    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/pyodide"]["version"] == constants.PYODIDE_VERSION


def test_ipywidgets_front_end_and_kernel_only(config, site):
    extensions = sorted(e["name"] for e in config["federated_extensions"])
    assert extensions == [
        "@jupyter-widgets/jupyterlab-manager",
        "@jupyterlite/pyodide-kernel-extension",
    ]
    for name in extensions:
        assert (site / "extensions" / name / "package.json").exists()
    assert "ipywidgets" in json.loads((site / PYPI / "all.json").read_text())


def test_the_lab_settings_of_jupyter_config_are_the_sites(config, site):
    labconfig = ROOT / "jupyter_config" / "labconfig"
    overrides = json.loads((labconfig / "default_setting_overrides.json").read_text())
    assert json.loads((site / "overrides.json").read_text()) == overrides
    assert config["settingsOverrides"] == overrides
    disabled = json.loads((labconfig / "page_config.json").read_text())["disabledExtensions"]
    assert set(config["disabledExtensions"]) == {k for k, v in disabled.items() if v}


def test_the_kernel_keeps_the_learners_store_on_the_browser_storage_drive(config):
    kernel = config["litePluginSettings"][KERNEL_PLUGIN]
    home = kernel["loadPyodideOptions"]["env"]["AUTOGRAD_HOME"]
    assert home.startswith("/drive/")  # the kernel mounts the file browser's storage there
    assert any(url.startswith("./pypi/all.json") for url in kernel["pipliteUrls"])


def test_graphviz_in_webassembly_is_shipped_inside_the_site(site):
    viz = site / graphviz_backend.VIZ_SITE_PATH
    assert graphviz_backend.VIZ_SITE_PATH == build_lite_module().VIZ_SITE_PATH
    shipped = ROOT / "node_modules" / "@viz-js" / "viz" / "dist" / "viz.js"
    assert viz.read_bytes() == shipped.read_bytes()
    text = viz.read_text(encoding="utf-8", errors="replace")
    assert "WebAssembly.instantiate" in text and viz.stat().st_size > 1_000_000  # wasm inside
    assert "export" in text and "instance" in text  # the ES module that the back end imports
    pinned = json.loads((ROOT / "package-lock.json").read_text())
    version = pinned["packages"]["node_modules/@viz-js/viz"]["version"]
    assert json.loads((viz.parent / "package.json").read_text())["version"] == version


CDNS = ("unpkg.com", "jsdelivr.net", "cdnjs.", "esm.sh", "skypack.dev", "jspm.")


def test_nothing_fetches_graphviz_from_a_cdn(site):
    """No URL in the site points at a Graphviz/viz-js script or WebAssembly elsewhere (the
    only CDN the site uses is Pyodide's, for the Python runtime itself)."""
    url = re.compile(r"https?://[^\s\"'<>)`]+")
    suspicious, cdn_hosts = [], set()
    for path in site.rglob("*"):
        if path.suffix not in {".js", ".json", ".html", ".ipynb", ".mjs"} or not path.is_file():
            continue
        for found in url.findall(path.read_text(encoding="utf-8", errors="replace")):
            graphviz = re.search(r"viz|graphviz", found, re.I)
            if any(cdn in found for cdn in CDNS):
                cdn_hosts.add(found.split("/")[2])
                if graphviz:
                    suspicious.append(f"{path.relative_to(site)}: {found}")
            elif graphviz and re.search(r"\.(m?js|wasm)([?#]|$)", found):
                suspicious.append(f"{path.relative_to(site)}: {found}")
    assert not suspicious, suspicious
    assert {"cdn.jsdelivr.net"} >= cdn_hosts, cdn_hosts  # Pyodide's runtime (see the README)


def test_readme_jupyterlite_badge_opens_the_start_notebook_next_to_binders(site):
    readme = (ROOT / "README.md").read_text()
    binder, lite = readme.splitlines()[2:4]
    assert binder.startswith("[![Launch on Binder]")
    match = re.fullmatch(r"\[!\[Open in the browser \(JupyterLite\)\]\([^)]+\)\]\(([^)]+)\)", lite)
    assert match, lite
    url = match.group(1)
    assert re.fullmatch(r"https://[\w-]+\.github\.io/[\w-]+/lab/index\.html\?path=(.+)", url)
    path = url.split("?path=")[1]
    assert (site / "files" / path).exists() and (site / "lab" / "index.html").exists()
    home = build_lite_module().BROWSER_AUTOGRAD_HOME
    assert f"`{home}`" in readme  # the README says where progress is kept


def test_the_source_tree_ignores_the_builds():
    ignored = (ROOT / ".gitignore").read_text().split()
    for entry in ("_site/", "node_modules/", "build/"):
        assert entry in ignored
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert lock["lockfileVersion"] >= 2
    assert "resolved" not in (ROOT / "package-lock.json").read_text()  # names no host


def test_make_lite_installs_what_it_needs():
    dry = subprocess.run(
        ["make", "--dry-run", "--always-make", "lite"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    assert "npm ci" in dry
    assert ".[lite]" in dry
    assert "tools/build_lite.py" in dry
    test_deps = subprocess.run(
        ["make", "--dry-run", "--always-make", "test"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    assert "npm ci" in test_deps and ".[lite]" in test_deps


# --------------------------------------------------------------------------- Pages workflow


@pytest.fixture(scope="module")
def pages() -> dict:
    data = yaml.safe_load(PAGES.read_text())
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as True
    return data


def test_pages_workflow_is_valid_against_githubs_schema():
    """Offline: check-jsonschema ships GitHub's workflow schema (as in test_ci_workflow.py)."""
    exe = Path(sys.executable).with_name("check-jsonschema")
    if not exe.exists():
        pytest.skip("check-jsonschema is missing: pip install -e '.[test]' installs it")
    done = subprocess.run(
        [str(exe), "--builtin-schema", "vendor.github-workflows", str(PAGES)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_pages_workflow_builds_with_make_lite_and_deploys_site(pages):
    on = pages["on"]
    assert "workflow_dispatch" in on
    assert "main" in on["push"]["branches"]
    assert pages["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    build, deploy = pages["jobs"]["build"], pages["jobs"]["deploy"]
    runs = " ".join(step.get("run", "") for step in build["steps"])
    assert "make lite" in runs
    uses = [step.get("uses", "") for step in build["steps"]]
    assert uses[0].startswith("actions/checkout@")
    assert any(u.startswith("actions/setup-node@") for u in uses)
    (upload,) = [s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages")]
    assert upload["with"]["path"].rstrip("/") == "_site"
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
