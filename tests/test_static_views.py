"""Static views of the lessons: GitHub, nbviewer and ``jupyter nbconvert --to html`` run no
kernel and no JavaScript. There, every animation must still show a picture.

* The committed notebooks carry no saved widget state (``metadata.widgets``) and no widget
  views: with saved state nbconvert shows every widget as a placeholder that needs
  JavaScript (a blank cell), and a view without state can only fail to display.
* Every animation output holds a still picture next to the player: ``text/html`` with the
  last frame as an ``<img>`` of an SVG.
* Exported with nbconvert, each animation's output area holds that ``<img>`` (or an
  ``<svg>``). ``tests/browser/test_static_views.py`` opens the export with JavaScript off.
"""

from __future__ import annotations

import base64
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import build_notebooks  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
SVG_DATA = re.compile(r'<img\b[^>]*\bsrc="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"')


def animation_cells(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    """The code cells whose output is an animation (``animate_backward``'s player)."""
    return [
        cell
        for cell in nb.cells
        if cell.cell_type == "code"
        and any(
            "".join(o.get("data", {}).get("text/plain", "")).startswith("<BackwardAnimation")
            for o in cell.outputs
        )
    ]


def still_pictures(html: str) -> list[str]:
    """The SVG documents inside ``<img src="data:image/svg+xml;base64,...">`` of some HTML."""
    return [base64.b64decode(data).decode("utf-8") for data in SVG_DATA.findall(html)]


def assert_is_an_animation_frame(svg: str) -> None:
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    values = [g for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "ag-value"]
    assert values, "the picture shows no value boxes"


# --------------------------------------------------------------------------- the notebook files
def test_the_build_drops_saved_widget_state_and_widget_views():
    nb = nbformat.v4.new_notebook()
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    cell = nbformat.v4.new_code_cell("anim")
    view = {"model_id": "abc", "version_major": 2, "version_minor": 0}
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data", data={WIDGET_VIEW: view, "text/plain": "x", "text/html": "<b>x</b>"}
        ),
        nbformat.v4.new_output("display_data", data={WIDGET_VIEW: view}),  # nothing else: kept
    ]
    nb.cells = [cell]
    built = build_notebooks.for_static_viewers(nb)
    assert "widgets" not in built.metadata
    assert built.cells[0].outputs[0].data == {"text/plain": "x", "text/html": "<b>x</b>"}
    assert WIDGET_VIEW in built.cells[0].outputs[1].data


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_committed_notebook_has_no_saved_widget_state(path):
    nb = json.loads(path.read_text())
    hint = f"rebuild it: make notebooks LESSONS={path.name[:2]}"
    assert "widgets" not in nb["metadata"], f"{path.name} carries saved widget state; {hint}"
    views = [
        "".join(o["data"].get("text/plain", ""))[:60]
        for c in nb["cells"]
        for o in c.get("outputs", [])
        if WIDGET_VIEW in o.get("data", {}) and len(o["data"]) > 1
    ]
    assert not views, f"{path.name} stores widget views {views}; {hint}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_animation_output_carries_a_still_picture(path):
    nb = nbformat.read(path, as_version=4)
    for cell in animation_cells(nb):
        (output,) = [o for o in cell.outputs if "text/plain" in o.get("data", {})]
        pictures = still_pictures("".join(output.data.get("text/html", "")))
        assert len(pictures) == 1, (
            f"{path.name}: the animation in {cell.source!r} has no still picture; rebuild it "
            f"(make notebooks LESSONS={path.name[:2]})"
        )
        assert_is_an_animation_frame(pictures[0])


# --------------------------------------------------------------------------- nbconvert's export
@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    """Every lesson exported with ``jupyter nbconvert --to html`` (what GitHub's renderer and
    nbviewer do), in one run."""
    out = tmp_path_factory.mktemp("html")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "jupyter",
            "nbconvert",
            "--to",
            "html",
            "--output-dir",
            str(out),
            *map(str, NOTEBOOKS),
        ],  # fmt: skip
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return out


def cell_html(page: str, cell_id: str) -> str:
    """The part of an exported page that renders one cell (nbconvert's lab template marks
    each cell with ``id="cell-id=..."``)."""
    marker = f'id="cell-id={cell_id}"'
    assert page.count(marker) == 1, f"cell {cell_id} not found once in the export"
    start = page.index(marker)
    following = page.find('id="cell-id=', start + len(marker))
    return page[start : following if following != -1 else len(page)]


def output_area(chunk: str) -> str:
    at = chunk.find("jp-Cell-outputWrapper")
    assert at != -1, "the cell has no output area in the export"
    return chunk[at:]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_nbconvert_export_shows_every_animation_as_a_picture(path, exported):
    page = (exported / f"{path.stem}.html").read_text(encoding="utf-8")
    assert 'type="application/vnd.jupyter.widget-view+json"' not in page, (
        f"{path.name}: the export holds widget placeholders (blank without JavaScript)"
    )
    nb = nbformat.read(path, as_version=4)
    for cell in animation_cells(nb):
        area = output_area(cell_html(page, cell.id))
        pictures = still_pictures(area)
        assert pictures or "<svg" in area, (
            f"{path.name}: the animation in {cell.source!r} exports without a picture"
        )
        for svg in pictures:
            assert_is_an_animation_frame(svg)


def test_the_series_has_animations_to_check():
    """The tests above would pass vacuously without animations."""
    found = sum(len(animation_cells(nbformat.read(p, as_version=4))) for p in NOTEBOOKS)
    assert found >= 5, f"only {found} animation outputs in the notebooks"


# --------------------------------------------------------------------------- the picture itself
def test_an_animation_bundle_has_its_last_frame_as_a_still_picture():
    from autograd import Value, animate_backward

    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b + a
    c.label = "c"
    anim = animate_backward(c)
    bundle = anim._repr_mimebundle_()
    assert WIDGET_VIEW in bundle  # the player, where a kernel runs
    (picture,) = still_pictures(bundle["text/html"])
    assert picture == anim.frames[-1]
    assert_is_an_animation_frame(picture)
    assert "step 3 / 3" in bundle["text/html"]
    assert "a.grad += b · n2.grad" in bundle["text/html"]  # the last step's caption
    assert anim.static_html() == animate_backward(c).static_html()  # deterministic
