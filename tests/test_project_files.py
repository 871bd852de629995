"""The set-up files agree with each other: pyproject.toml, environment.yml (conda/Binder),
the Binder ``postBuild`` and ``start`` files, ``jupyter_config/``, the README, and the lesson
sources vs the committed notebooks."""

from __future__ import annotations

import json
import re
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import build_notebooks  # noqa: E402

# conda-forge names that differ from PyPI's
CONDA_TO_PYPI = {"python-graphviz": "graphviz", "matplotlib-base": "matplotlib"}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[;]", requirement.strip(), maxsplit=1)[0].lower()


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _conda_dependencies() -> tuple[set[str], list[str]]:
    """conda package names (as PyPI names) and the pip entries of environment.yml."""
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda, pip = set(), []
    for item in env["dependencies"]:
        if isinstance(item, dict):
            pip.extend(item.get("pip", []))
        else:
            name = _name(item.split("=", 1)[0] if "=" in item and ">" not in item else item)
            conda.add(CONDA_TO_PYPI.get(name, name))
    return conda, pip


def test_environment_yml_lists_the_runtime_dependencies_of_pyproject():
    runtime = {_name(r) for r in _pyproject()["project"]["dependencies"]}
    conda, pip = _conda_dependencies()
    assert runtime, "pyproject.toml lists no dependencies"
    assert runtime <= conda, f"missing from environment.yml: {sorted(runtime - conda)}"
    # A local pip entry makes repo2docker copy the repository before it builds the
    # environment: every commit would rebuild it. postBuild installs the package instead.
    local = [e for e in pip if e.split()[-1] in (".", "./") or e.startswith(("-e", "file:"))]
    assert not local, f"environment.yml must not install the repository itself: {local}"


def test_postbuild_installs_the_package_without_dependencies():
    post = ROOT / "postBuild"
    assert post.stat().st_mode & 0o111, "postBuild must be executable"
    commands = [ln.strip() for ln in post.read_text().splitlines() if ln.strip()]
    assert commands[0].startswith("#!"), "postBuild needs a shebang line"
    installs = [c for c in commands if "pip install" in c and not c.startswith("#")]
    assert len(installs) == 1, installs
    words = installs[0].split()
    # --no-deps: environment.yml already holds every dependency (conda-forge builds, with dot)
    assert "--no-deps" in words and words[-2:] == ["-e", "."], installs[0]


def test_environment_yml_uses_matplotlib_base_not_the_qt_metapackage():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    names = {_name(d) for d in env["dependencies"] if isinstance(d, str)}
    assert "matplotlib-base" in names and "matplotlib" not in names


def test_jupyterlab_is_an_extra_not_a_runtime_dependency():
    """Installing the package into a kernel (JupyterHub, Colab, JupyterLite) must not drag in
    a server; `make lab` and `make test` install the `lab` extra."""
    project = _pyproject()["project"]
    assert "jupyterlab" not in {_name(r) for r in project["dependencies"]}
    assert "jupyterlab" in {_name(r) for r in project["optional-dependencies"]["lab"]}
    makefile = (ROOT / "Makefile").read_text()
    install = next(ln for ln in makefile.splitlines() if "pip install" in ln and "-e" in ln)
    extras = re.search(r"\.\[([\w,]+)\]", install).group(1).split(",")
    assert {"lab", "test"} <= set(extras), install


def test_environment_yml_lists_nothing_pyproject_does_not_know():
    project = _pyproject()["project"]
    known = {_name(r) for r in project["dependencies"]}
    for extra in project["optional-dependencies"].values():
        known |= {_name(r) for r in extra}
    conda, _ = _conda_dependencies()
    unknown = conda - known - {"python", "pip"}
    assert not unknown, f"environment.yml has packages pyproject.toml does not list: {unknown}"


def test_environment_yml_uses_conda_forge_and_brings_dot():
    text = (ROOT / "environment.yml").read_text()
    assert yaml.safe_load(text)["channels"] == ["conda-forge"]
    conda, _ = _conda_dependencies()
    assert "graphviz" in conda  # via python-graphviz, which brings the dot executable
    assert "python-graphviz" in text


def test_distribution_name_is_not_pypis_autograd():
    project = _pyproject()["project"]
    assert project["name"].lower() != "autograd"
    setuptools = _pyproject()["tool"]["setuptools"]
    assert setuptools["packages"] == ["autograd", "autograd.course"]
    assert setuptools["package-data"] == {"autograd.course": ["solutions/*.py"]}


def test_a_built_wheel_carries_the_course_and_its_reference_solutions(tmp_path):
    """A non-editable install (a wheel, as JupyterLite or a JupyterHub image would use) has
    every module and every reference solution the lessons load."""
    import subprocess
    import zipfile

    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
         "-w", str(tmp_path), str(ROOT)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    (wheel,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in (ROOT / "autograd").rglob("*.py"):
        assert str(path.relative_to(ROOT)) in names, f"the wheel lacks {path.relative_to(ROOT)}"


def test_binder_start_exports_the_config_path_and_execs():
    start = ROOT / "start"
    text = start.read_text()
    assert start.stat().st_mode & 0o111, "start must be executable"
    assert "JUPYTER_CONFIG_PATH" in text and "jupyter_config" in text
    lines = [ln for ln in text.strip().splitlines() if ln.strip() and not ln.startswith("#")]
    assert lines[-1].strip() == 'exec "$@"'


def test_no_binder_folder_hides_the_root_config():
    assert not (ROOT / "binder").exists(), "a binder/ folder makes repo2docker ignore root files"


def test_jupyter_config_has_no_ip_or_token():
    for path in (ROOT / "jupyter_config").rglob("*.json"):
        data = json.loads(path.read_text())  # also proves every file is valid JSON
        flat = json.dumps(data).lower()
        for forbidden in ('"ip"', '"token"', '"password"'):
            assert forbidden not in flat, f"{path.name} sets {forbidden}: Binder passes its own"


def test_readme_binder_badge_opens_the_start_notebook_in_lab():
    readme = (ROOT / "README.md").read_text()
    urls = re.findall(r"https://mybinder\.org/v2/gh/[^\s)\]]+", readme)
    assert urls, "README needs a Binder badge"
    for url in urls:
        assert "urlpath=lab/tree/notebooks/00_start_here.ipynb" in url, url


def test_readme_lists_every_lesson():
    readme = (ROOT / "README.md").read_text()
    for notebook in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        assert f"notebooks/{notebook.name}" in readme, f"README does not link {notebook.name}"


def test_ci_runs_make_test():
    assert "make test" in (ROOT / ".ci" / "run").read_text()


LESSON_SOURCES = sorted((ROOT / "lessons").glob("[0-9][0-9]_*.py"))


@pytest.mark.parametrize("source", LESSON_SOURCES, ids=[s.stem for s in LESSON_SOURCES])
def test_notebook_is_built_from_its_lesson_source(source):
    """A notebook edited without its source (or a source edited without rebuilding) is stale:
    run `make notebooks LESSONS=NN` (or edit lessons/NN_name.py, not the .ipynb)."""
    notebook_path = build_notebooks.notebook_for(source)
    assert notebook_path.exists(), f"{notebook_path.name} missing: run make notebooks"
    expected = build_notebooks.read_lesson(source)
    actual = json.loads(notebook_path.read_text())

    def shape(cells):
        return [
            (c["cell_type"], "".join(c["source"]), sorted(c.get("metadata", {}).get("tags", [])))
            for c in cells
        ]

    assert shape(actual["cells"]) == shape(expected.cells), (
        f"{notebook_path.name} is stale against lessons/{source.name}: run "
        f"`make notebooks LESSONS={source.name[:2]}`"
    )


def test_every_notebook_has_a_lesson_source():
    sources = {s.stem for s in LESSON_SOURCES}
    for notebook in (ROOT / "notebooks").glob("*.ipynb"):
        assert notebook.stem in sources, f"{notebook.name} has no lessons/{notebook.stem}.py"


def test_every_notebook_was_executed_top_to_bottom():
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(notebook.read_text())["cells"]
        counts = [c["execution_count"] for c in cells if c["cell_type"] == "code"]
        assert counts == list(range(1, len(counts) + 1)), f"{notebook.name}: re-run make notebooks"


def test_make_lab_serves_the_start_notebook_on_loopback_with_a_token():
    import subprocess

    dry_run = subprocess.run(
        ["make", "--dry-run", "lab", "PORT=8765"],  # prints the commands, runs none
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    joined = dry_run.replace("\\\n", " ")  # join the recipe's continuation lines
    command = next(line for line in joined.splitlines() if "jupyter lab" in line)
    assert "--ServerApp.ip=127.0.0.1" in command and "--ServerApp.port=8765" in command
    assert "/lab/tree/notebooks/00_start_here.ipynb" in command
    assert "token" not in command.lower()  # the server's own generated token stays on
    makefile = (ROOT / "Makefile").read_text()
    assert "export JUPYTER_CONFIG_PATH := $(CURDIR)/jupyter_config" in makefile


def test_cell_ids_are_stable_across_rebuilds():
    """A rebuild of an unchanged lesson must not touch a line it need not: cell ids are derived
    from the lesson and the cell's position, not drawn at random."""
    for source in sorted((ROOT / "lessons").glob("[0-9][0-9]_*.py"))[:2]:
        first = [c.id for c in build_notebooks.read_lesson(source).cells]
        again = [c.id for c in build_notebooks.read_lesson(source).cells]
        assert first == again and len(set(first)) == len(first)
        assert first[0] == f"{source.name[:2]}-000"
