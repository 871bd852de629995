"""Binder builds the series with repo2docker. Checked here without Docker: ``repo2docker
--no-build --debug`` prints the Dockerfile it would build, and the order of its steps decides
what Binder can cache.

The conda environment (``environment.yml``) must be installed *before* the repository is
copied into the image: then a commit that only changes a lesson reuses the cached
environment layer, and a Binder launch after a typo fix takes seconds, not a full rebuild.
The package itself is installed afterwards by ``postBuild`` (``pip install --no-deps -e .``),
and ``start`` runs at every launch.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def dockerfile(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    repo2docker = Path(sys.executable).with_name("repo2docker")
    if not repo2docker.exists():
        found = shutil.which("repo2docker")
        if found is None:
            pytest.skip("repo2docker is missing: pip install -e '.[test]' installs it")
        repo2docker = Path(found)
    # Run from an empty folder: repo2docker only reads the repository.
    done = subprocess.run(
        [str(repo2docker), "--no-build", "--no-run", "--debug", str(ROOT)],
        cwd=tmp_path_factory.mktemp("repo2docker"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return (done.stdout + done.stderr).splitlines()


def _index(lines: list[str], *needles: str) -> int:
    hits = [i for i, line in enumerate(lines) if all(n in line for n in needles)]
    assert hits, f"no Dockerfile line contains {needles}"
    return hits[0]


def test_repo2docker_uses_the_root_environment_yml_with_python_311(dockerfile):
    assert any("Building conda environment for python=3.11" in ln for ln in dockerfile)
    _index(dockerfile, "env update", "environment.yml")


def test_conda_environment_is_built_before_the_repository_is_copied(dockerfile):
    env_update = _index(dockerfile, "env update", "environment.yml")
    copy_repo = _index(dockerfile, "COPY", "src/ ${REPO_DIR}/")
    assert env_update < copy_repo, (
        "repo2docker installs environment.yml after copying the repository: every commit "
        "rebuilds the environment on Binder (is there a local pip entry like `- -e .`?)"
    )


def test_postbuild_installs_the_package_after_the_copy_and_start_runs_at_launch(dockerfile):
    copy_repo = _index(dockerfile, "COPY", "src/ ${REPO_DIR}/")
    post_build = _index(dockerfile, "RUN ./postBuild")
    start = _index(dockerfile, "R2D_ENTRYPOINT", "${REPO_DIR}/start")
    assert copy_repo < post_build < start
