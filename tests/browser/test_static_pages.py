"""What a reader sees where no kernel runs, in a real browser.

* A lesson exported with ``jupyter nbconvert --to html`` (what GitHub's renderer and nbviewer
  show), opened with JavaScript **disabled**: every animation cell shows its still picture (an
  image that loads, with a size), not a blank widget placeholder.
* A committed, executed lesson opened in JupyterLab without running it (the kernel starts,
  nothing runs): no "Error displaying widget" and no endless "Loading widget...", and every
  animation shows its still picture. Running the cell brings the live player back (the
  walkthrough tests check the player).

Screenshots of the still pictures go to ``artifacts/screenshots/static-*.png``.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from lab_helpers import NOTEBOOKS, Lab, kernel_round_trip, open_notebook, screenshot
from playwright.sync_api import Browser, Page, expect

LESSONS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def animation_cell_ids(path: Path) -> list[str]:
    nb = nbformat.read(path, as_version=4)
    return [
        cell.id
        for cell in nb.cells
        if cell.cell_type == "code"
        and any(
            "".join(o.get("data", {}).get("text/plain", "")).startswith("<BackwardAnimation")
            for o in cell.outputs
        )
    ]


ANIMATED = [p for p in LESSONS if animation_cell_ids(p)]


@pytest.fixture
def page_without_javascript(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1200, "height": 900}
    )
    context.set_default_timeout(30_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def _loaded(image) -> tuple[int, int]:
    """(natural width, natural height) of an ``<img>``: (0, 0) if it did not load."""
    return tuple(image.evaluate("img => [img.naturalWidth, img.naturalHeight]"))


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The animated lessons exported with ``jupyter nbconvert --to html``, in one run."""
    out = tmp_path_factory.mktemp("html")
    command = [sys.executable, "-m", "jupyter", "nbconvert", "--to", "html"]
    command += ["--output-dir", str(out), *map(str, ANIMATED)]
    subprocess.run(command, check=True, capture_output=True, timeout=600)
    return out


@pytest.mark.parametrize("path", ANIMATED, ids=[p.stem for p in ANIMATED])
def test_exported_lesson_shows_every_animation_without_javascript(
    path: Path, page_without_javascript: Page, exported: Path
) -> None:
    page = page_without_javascript
    page.goto((exported / f"{path.stem}.html").as_uri())
    for k, cell_id in enumerate(animation_cell_ids(path)):
        cell = page.locator(f'[id="cell-id={cell_id}"]')
        image = cell.locator(".jp-OutputArea-output img")
        expect(image).to_have_count(1)
        image.scroll_into_view_if_needed()
        expect(image).to_be_visible()
        width, height = _loaded(image)
        assert width > 100 and height > 50, f"{path.name}: animation {k} shows no picture"
        screenshot(cell.locator(".jp-OutputArea"), f"static-export-{path.stem}-{k}")


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_lab_shows_an_unrun_lesson_without_widget_errors(path: Path, page: Page, lab: Lab) -> None:
    open_notebook(page, lab, path.name)  # the kernel starts; no cell runs
    kernel_round_trip(page)  # the widget manager has asked the kernel for its widgets by now
    panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    expect(panel.locator(".jp-OutputArea-output").first).to_be_attached()
    for text in ("Error displaying widget", "Loading widget"):
        expect(panel).not_to_contain_text(text)
    pictures = panel.locator(".jp-OutputArea-output .ag-static img")
    ids = animation_cell_ids(path)
    expect(pictures).to_have_count(len(ids))
    for k in range(len(ids)):
        image = pictures.nth(k)
        image.scroll_into_view_if_needed()
        expect(image).to_be_visible()
        width, height = _loaded(image)
        assert width > 100 and height > 50, f"{path.name}: animation {k} shows no picture"
    if ids:
        screenshot(pictures.first, f"static-lab-{path.stem}")
    # nothing ran: every prompt is still the stored execution count
    assert page.locator(".jp-InputPrompt", has_text="[*]").count() == 0
