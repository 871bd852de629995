"""Fixtures for the browser tests: one JupyterLab server and one Chromium for the whole session,
a fresh browser context (clean cookies, storage and page) for every test.

* ``lab``: ``jupyter lab`` started from this environment with ``JUPYTER_CONFIG_PATH`` set to
  the repository's ``jupyter_config/`` -- the settings learners get from ``make lab`` and
  Binder. Stopped (terminate, then kill) at the end of the session.
* ``browser``: Debian's Chromium (``/usr/bin/chromium``, or ``$AUTOGRAD_CHROMIUM``), headless,
  driven by Playwright.
  Playwright's own browser downloads are never used. Missing Chromium: the tests fail in CI
  (``CI=true``) and are skipped elsewhere, with the command that installs it.
* ``page``: a new context and page; when the test fails, a screenshot of the page is kept in
  ``artifacts/screenshots/FAILED-<test>.png``. Afterwards every kernel is shut down.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from lab_helpers import CHROMIUM, CHROMIUM_ARGS, ROOT, SCREENSHOTS, Lab, start_lab, stop_lab
from playwright.sync_api import Browser, Page, sync_playwright

INSTALL_HINT = (
    f"The browser tests need Chromium at {CHROMIUM}. Install Debian's with "
    "`apt-get install chromium` (as root; `sudo apt-get install chromium` otherwise), or run "
    "`make test` as root, which installs it; or point AUTOGRAD_CHROMIUM at another Chromium "
    "or Chrome executable. Playwright's own browser download is not used."
)


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> object:
    """Remember each phase's report on the test item, so ``page`` can tell a failure."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def chromium_executable() -> Path:
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        if in_ci():
            pytest.fail(INSTALL_HINT, pytrace=False)
        pytest.skip(INSTALL_HINT)
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium_executable: Path) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        # launch() gives a fresh, temporary user-data dir each time; headless needs no display.
        chromium = playwright.chromium.launch(
            executable_path=str(chromium_executable), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """A JupyterLab server on 127.0.0.1 serving the repository (notebooks/ is under it)."""
    tmp = tmp_path_factory.mktemp("jupyterlab")
    for old in SCREENSHOTS.glob("FAILED-*.png"):  # from an earlier run: would mislead
        old.unlink()
    server = start_lab(ROOT, tmp)
    try:
        yield server
    finally:
        stop_lab(server)


def _open_page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A new browser context and page; screenshot it if the test failed, then close it."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.errors = []  # uncaught JavaScript exceptions, for tests that want none
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    try:
        yield page
    finally:
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            name = re.sub(r"[^\w.-]+", "_", request.node.name)
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            try:
                page.screenshot(path=str(SCREENSHOTS / f"FAILED-{name}.png"))
            except Exception:  # a screenshot must not hide the real failure
                pass
        context.close()


@pytest.fixture
def page(browser: Browser, lab: Lab, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh page for JupyterLab; every kernel is shut down afterwards."""
    log_before = len(lab.log_path.read_text(errors="replace"))
    try:
        yield from _open_page(browser, request)
    finally:
        lab.shutdown_kernels()
    # The tests turn autosave off and never save: a notebook written by the browser run would
    # change the committed lessons behind the author's back.
    log = lab.log_path.read_text(errors="replace")[log_before:]
    saved = re.findall(r"Saving file at (\S+)", log)
    assert not saved, f"the browser test saved files into the repository: {saved}"


@pytest.fixture
def browser_page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh page with no JupyterLab server involved (for files opened from disk)."""
    yield from _open_page(browser, request)
