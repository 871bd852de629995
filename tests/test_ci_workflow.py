"""The GitHub Actions workflow that a fork of the series gets: validated offline against
GitHub's workflow schema (``check-jsonschema --builtin-schema vendor.github-workflows``
ships the schema; no network), and checked for what it must do: run ``.ci/run`` in a Debian
Python 3.11 container as root on push, pull request and once a week, and keep the browser
tests' screenshots when it fails."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "ci.yml"


def _check_jsonschema() -> str:
    exe = Path(sys.executable).with_name("check-jsonschema")
    if exe.exists():
        return str(exe)
    found = shutil.which("check-jsonschema")
    if found is None:
        pytest.skip("check-jsonschema is missing: pip install -e '.[test]' installs it")
    return found


def _validate(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [_check_jsonschema(), "--builtin-schema", "vendor.github-workflows", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def workflow() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text())
    # YAML 1.1 reads the key `on` as the boolean True
    data["on"] = data.pop(True, data.get("on"))
    return data


def test_workflow_is_valid_against_githubs_schema():
    done = _validate(WORKFLOW)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_schema_check_rejects_a_broken_workflow(tmp_path):
    """The validation above can fail: a misspelt event and a job without runs-on."""
    broken = tmp_path / "broken.yml"
    broken.write_text("name: CI\non: pussh\njobs:\n  test:\n    steps:\n      - run: make\n")
    done = _validate(broken)
    assert done.returncode != 0
    assert "pussh" in done.stdout and "runs-on" in done.stdout


def test_workflow_runs_on_push_pull_request_and_weekly(workflow):
    on = workflow["on"]
    assert "push" in on and "pull_request" in on
    (cron,) = [entry["cron"] for entry in on["schedule"]]
    minute, hour, day, month, weekday = cron.split()
    assert day == "*" and month == "*" and weekday not in ("*", ""), f"not weekly: {cron}"


def test_job_runs_ci_run_as_root_in_a_debian_python_311_container(workflow):
    (job,) = workflow["jobs"].values()
    container = job["container"]
    image = container if isinstance(container, str) else container["image"]
    # the official python images are Debian; root by default, so make installs apt packages
    assert image.startswith("python:3.11-") and image.split("-")[-1] in ("bookworm", "trixie")
    options = container.get("options", "") if isinstance(container, dict) else ""
    assert "--user" not in options  # root, as in the image
    assert job["env"]["CI"] == "true"  # the browser tests fail (not skip) without Chromium
    runs = [step.get("run", "") for step in job["steps"]]
    assert any(".ci/run" in run for run in runs), runs
    assert job["steps"][0]["uses"].startswith("actions/checkout@")


def test_screenshots_are_uploaded_when_the_job_fails(workflow):
    (job,) = workflow["jobs"].values()
    uploads = [s for s in job["steps"] if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert uploads, "no upload-artifact step"
    (upload,) = uploads
    assert "failure()" in upload["if"]
    # where tests/browser keeps them
    assert upload["with"]["path"].rstrip("/") == "artifacts/screenshots"
    helpers = (ROOT / "tests" / "browser" / "lab_helpers.py").read_text()
    assert 'SCREENSHOTS = ROOT / "artifacts" / "screenshots"' in helpers
    ci_run = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci_run


def test_browser_tests_take_chromium_from_autograd_chromium(tmp_path):
    """A machine without Debian's Chromium points the browser tests at another build."""
    fake = tmp_path / "chrome"
    probe = "import lab_helpers; print(lab_helpers.CHROMIUM)"
    env_run = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT / "tests" / "browser",
        env={**os.environ, "AUTOGRAD_CHROMIUM": str(fake)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert env_run.returncode == 0, env_run.stderr
    assert env_run.stdout.strip() == str(fake)
    default = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT / "tests" / "browser",
        env={k: v for k, v in os.environ.items() if k != "AUTOGRAD_CHROMIUM"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert default.stdout.strip() == "/usr/bin/chromium"
    # make test passes the same variable on (and checks that executable)
    dry = subprocess.run(
        ["make", "--dry-run", "--always-make", "chromium", f"AUTOGRAD_CHROMIUM={fake}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    assert f'test -x "{fake}"' in dry
