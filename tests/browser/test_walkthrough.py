"""The lessons as a learner meets them: real JupyterLab, real Chromium, cells run from the UI.

What is checked here cannot be checked by nbval (which never renders anything): that the
pictures show up with the right numbers, that the widgets appear and respond to the mouse and
the keyboard, that the exported animation plays without Python, and that the repository's
JupyterLab settings are in force.

Expected numbers come from the lessons' own arithmetic, worked out by hand in the comments
(for ``c = a * b + a`` with ``a = 2``, ``b = -3``: ``∂c/∂a = b + 1 = -2`` and ``∂c/∂b = a = 2``),
not from running the code under test.

Screenshots of the key states go to ``artifacts/screenshots/`` (git-ignored).
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from lab_helpers import (
    NOTEBOOKS,
    Lab,
    assert_all_executed,
    assert_no_errors,
    kernel_round_trip,
    open_notebook,
    run_all_cells,
    run_cells,
    screenshot,
    svg_images,
    type_into_tagged_cell,
)
from playwright.sync_api import Locator, Page, expect

START = "00_start_here.ipynb"
LESSON_03 = "03_build_the_value.ipynb"
QUIZ_LESSON = "01_derivatives.ipynb"  # the first lesson with quizzes
# Notebooks whose walkthrough test below already runs them in full (and checks for errors);
# the parametrised test runs every other notebook, so each runs once per session.
WALKED_THROUGH = {START, LESSON_03, QUIZ_LESSON}

SVG_NS = "{http://www.w3.org/2000/svg}"
COUNTER = re.compile(r"^step (\d+) / (\d+)$")


def need(name: str) -> None:
    """Skip when a lesson's notebook has not been built yet (only then)."""
    if not (NOTEBOOKS / name).is_file():
        pytest.skip(f"notebooks/{name} does not exist yet (build it with `make notebooks`)")


def code_cell(page: Page, source_text: str, nth: int = 0) -> Locator:
    """The ``nth`` code cell whose source contains ``source_text``."""
    cells = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell").filter(
        has=page.locator(".jp-InputArea", has_text=source_text)
    )
    return cells.nth(nth)


# --------------------------------------------------------------------------- reading pictures


def graphviz_boxes(svg: str) -> dict[str, list[str]]:
    """The value boxes of a ``draw_dot`` picture: ``{name: ["data 2.0000", "grad 0.0000"]}``.

    Graphviz writes each node as ``<g class="node">`` with one ``<text>`` per record field;
    operation circles have a single text (``+``, ``×``) and are left out.
    """
    boxes = {}
    for group in ET.fromstring(svg).iter(f"{SVG_NS}g"):
        if group.get("class") != "node":
            continue
        texts = [(t.text or "").strip() for t in group.iter(f"{SVG_NS}text")]
        if len(texts) >= 3:
            boxes[texts[0]] = texts[1:]
    return boxes


def player_boxes(player: Locator) -> dict[str, list[str]]:
    """The value boxes of the frame an animation player shows now (inline SVG, one
    ``g.ag-value`` per value: its name, then its data and grad rows)."""
    return player.locator(".widget-html svg").first.evaluate(
        """svg => Object.fromEntries([...svg.querySelectorAll('g.ag-value')].map(g => {
            const rows = [...g.querySelectorAll('text')].map(t => t.textContent.trim());
            return [rows[0], rows.slice(1)];
        }))"""
    )


def grad_row(scope: Locator, name: str) -> Locator:
    """The grad row (last text) of the value box called ``name`` in an animation frame."""
    title = scope.page.locator("text", has_text=re.compile(f"^{re.escape(name)}$"))
    return scope.locator("g.ag-value").filter(has=title).locator("text").last


def grads(boxes: dict[str, list[str]]) -> dict[str, str]:
    return {name: rows[-1] for name, rows in boxes.items()}


# --------------------------------------------------------------------------- the player


def player_in(cell: Locator) -> Locator:
    """The backward-animation player in a cell's output: the widget box holding a Play."""
    player = cell.locator(".jp-OutputArea .widget-vbox").filter(
        has=cell.page.locator(".widget-play")
    )
    return player.first


def counter(player: Locator) -> Locator:
    return player.locator(".widget-label").filter(has_text=COUNTER)


def expect_player_ready(player: Locator) -> int:
    """Wait until the player is drawn at frame 0; return its last frame's number."""
    expect(player.locator(".widget-html svg g.ag-value").first).to_be_visible(timeout=60_000)
    expect(counter(player)).to_have_text(COUNTER)
    match = COUNTER.match(counter(player).inner_text().strip())
    assert match, "the player's step counter is missing"
    assert match.group(1) == "0", f"the player should start at frame 0: {match.group(0)!r}"
    return int(match.group(2))


# --------------------------------------------------------------------------- 1. start here


def test_start_here_runs_and_draws_the_graph(page: Page, lab: Lab) -> None:
    need(START)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    open_notebook(page, lab, START)
    screenshot(page, "00_start_here-opened")
    run_all_cells(page, via="command")
    assert_no_errors(page, START)
    assert_all_executed(page, START)

    # draw_dot(c) before and after c.backward(): c = a*b + a with a = 2, b = -3, so c = -4;
    # the backward pass gives a.grad = b + 1 = -2, b.grad = a = 2, c.grad = 1.
    pictures = [graphviz_boxes(svg) for svg in svg_images(page)]
    assert len(pictures) >= 2, f"expected the graph twice (before/after backward): {pictures}"
    before, after = pictures[0], pictures[1]
    assert {"a", "b", "c"} <= set(before), f"boxes a, b, c missing: {sorted(before)}"
    assert before["a"] == ["data 2.0000", "grad 0.0000"]
    assert before["b"] == ["data -3.0000", "grad 0.0000"]
    assert before["c"] == ["data -4.0000", "grad 0.0000"]
    assert after["a"] == ["data 2.0000", "grad -2.0000"]
    assert after["b"] == ["data -3.0000", "grad 2.0000"]
    assert after["c"] == ["data -4.0000", "grad 1.0000"]
    graph = code_cell(page, "draw_dot(c)").locator(".jp-OutputArea-output img")
    graph.scroll_into_view_if_needed()
    expect(graph).to_be_visible()
    assert graph.evaluate("img => img.naturalWidth") > 0, "the graph image did not load"
    screenshot(graph, "00_start_here-graph")

    # The animation player renders (inline SVG in an HTML widget), at frame 0: all grads 0.
    player = player_in(code_cell(page, "animation = animate_backward(c)"))
    player.scroll_into_view_if_needed()
    expect_player_ready(player)
    assert set(grads(player_boxes(player)).values()) == {"grad 0.0000"}
    screenshot(player, "00_start_here-animation")

    # jupyter_config/ in force in the page: the announcements plugin (news, update checks)
    # is disabled, so no notification toast and no request for news or updates; and no
    # windowing, so every cell of the notebook is in the page.
    config = page.evaluate(
        "() => JSON.parse(document.getElementById('jupyter-config-data').textContent)"
    )
    disabled = config.get("disabledExtensions", [])
    assert "@jupyterlab/apputils-extension:announcements" in disabled, disabled
    expect(page.locator(".Toastify__toast")).to_have_count(0)
    asked = [u for u in requests if re.search(r"/lab/api/(news|update)", u)]
    assert not asked, f"JupyterLab fetched news/updates despite jupyter_config: {asked}"
    notebook = "window.jupyterapp.shell.currentWidget.content"
    assert page.evaluate(f"() => {notebook}.notebookConfig.windowingMode") == "none"
    cells_in_model = page.evaluate(f"() => {notebook}.model.cells.length")
    expect(page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell")).to_have_count(
        cells_in_model
    )
    screenshot(page, "00_start_here-ran")


# --------------------------------------------------------------------------- 2. lesson 03


def test_lesson_03_animation_plays_and_checker_reports(page: Page, lab: Lab) -> None:
    need(LESSON_03)
    open_notebook(page, lab, LESSON_03)
    run_all_cells(page, via="command")
    assert_no_errors(page, LESSON_03)
    assert_all_executed(page, LESSON_03)

    # The first player: f = (a + b) * c with a = 1.5, b = 0.5, c = -2, s = a + b = 2.
    # By hand: f.grad = 1; the × rule gives s.grad = c = -2 and c.grad = s = 2; the + rule
    # copies s.grad to a and b: a.grad = b.grad = -2.
    player = player_in(code_cell(page, "rules = animate_backward(f)"))
    player.scroll_into_view_if_needed()
    last = expect_player_ready(player)
    assert last >= 3, f"f = (a + b) * c needs at least 4 frames (start, seed, ×, +): {last}"
    start = grads(player_boxes(player))
    assert set(start) >= {"a", "b", "c", "s", "f"}, f"boxes missing: {sorted(start)}"
    assert set(start.values()) == {"grad 0.0000"}, f"frame 0 must show zero grads: {start}"
    screenshot(player, "03-animation-frame0")

    # Keyboard: focus the slider's handle and press →: frame 1 seeds f.grad = 1.
    handle = player.locator(".widget-slider .noUi-handle, .widget-hslider .noUi-handle").first
    handle.focus()
    handle.press("ArrowRight")
    expect(counter(player)).to_have_text(f"step 1 / {last}")
    expect(grad_row(player, "f")).to_have_text("grad 1.0000")
    seeded = grads(player_boxes(player))
    assert seeded["f"] == "grad 1.0000" and seeded["a"] == "grad 0.0000", seeded
    screenshot(player, "03-animation-frame1")

    # Play: the browser steps the slider (jslink) and the kernel swaps the frames, up to the
    # last one, which shows the finished backward pass.
    player.locator(".widget-play button").first.click()
    expect(counter(player)).to_have_text(f"step {last} / {last}", timeout=30_000)
    final = {"a": "grad -2.0000", "b": "grad -2.0000", "c": "grad 2.0000", "s": "grad -2.0000"}
    for name, grad in final.items():
        expect(grad_row(player, name)).to_have_text(grad)
    # The last caption writes out the + rule, which sends s.grad on to a and b.
    expect(player.locator(".widget-html").filter(has_text="a.grad").first).to_be_visible()
    screenshot(player, "03-animation-last")

    # The checker's report: as shipped, the stubs are not done yet ("not yet", a table naming
    # the rules). Then a learner writes the two rules in the exercise cell and checks again.
    check = code_cell(page, "check_add_mul(Value)", 0)
    report = check.locator(".jp-OutputArea-output")
    expect(report.locator("table")).to_be_visible()
    expect(report).to_contain_text("✗")
    report.scroll_into_view_if_needed()
    screenshot(report, "03-checker-not-yet")

    from autograd.course.carry import reference_source

    mine = reference_source("03.add_mul").replace(
        "self.grad += out.grad", "self.grad += 1.0 * out.grad"
    )  # the learner's own words: not the reference solution, the same rule
    exercise = type_into_tagged_cell(page, "exercise", mine)
    check_index = page.evaluate(
        """() => window.jupyterapp.shell.currentWidget.content.widgets.findIndex(
            c => c.model.type === 'code' && c.model.sharedModel.getSource().trim()
                 === 'check_add_mul(Value)')"""
    )
    assert check_index > exercise, "the check cell comes after the exercise cell"
    run_cells(page, exercise, check_index)
    expect(report).to_contain_text(re.compile(r"✓ All \d+ checks passed"))
    report.scroll_into_view_if_needed()
    screenshot(report, "03-checker-passed")

    # The solution cell (collapsed) now keeps the learner's code (it passed), not the reference.
    solution_index = page.evaluate(
        """() => window.jupyterapp.shell.currentWidget.content.widgets.findIndex(
            c => c.model.sharedModel.getSource().includes('prefer_yours("03.add_mul")'))"""
    )
    run_cells(page, solution_index)
    solution = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell").nth(solution_index)
    expect(solution.locator(".jp-OutputArea-output")).to_contain_text(
        "Keeping your own code for + and *"
    )

    # And the start page's progress view shows lesson 03's exercise done (the same store).
    open_notebook(page, lab, START)
    run_all_cells(page, via="command")
    view = code_cell(page, "progress()", 0).locator(".jp-OutputArea-output")
    expect(view).to_contain_text(re.compile(r"03 · Build the Value\s*1 of 1 exercise passed"))
    expect(view.locator("li", has_text=re.compile(r"^✓ \+ and \* \("))).to_have_count(1)
    view.scroll_into_view_if_needed()
    screenshot(view, "00-progress-after-03")


# --------------------------------------------------------------------------- 3. a quiz


def test_quiz_gives_feedback(page: Page, lab: Lab) -> None:
    """Lesson 01's quiz, from the question bank: picking each option gives that option's own
    feedback (the misconception behind a wrong one, the reason for the right one)."""
    from autograd.course.registry import lesson_module

    need(QUIZ_LESSON)
    open_notebook(page, lab, QUIZ_LESSON)
    run_all_cells(page, via="menu")  # the learner's way: Run ▸ Run All Cells
    assert_no_errors(page, QUIZ_LESSON)
    assert_all_executed(page, QUIZ_LESSON)

    bank = lesson_module(QUIZ_LESSON[:2]).QUIZ
    # one question = a box whose own children are the question, the options and the feedback
    quizzes = page.locator(
        "xpath=//div[contains(@class,'jp-OutputArea')]//div[contains(@class,'widget-vbox')]"
        "[./div[contains(concat(' ', @class, ' '), ' widget-radio ')]]"
    )
    expect(quizzes.first).to_be_visible(timeout=60_000)
    assert quizzes.count() == len(bank), f"expected the {len(bank)} questions of the bank"
    for q, question in enumerate(bank):
        quiz = quizzes.nth(q)
        quiz.scroll_into_view_if_needed()
        options = quiz.locator(".widget-radio-box label")
        feedback = quiz.locator(".widget-html").last
        expect(feedback).to_have_text("")  # nothing before the learner picks
        assert options.count() == len(question.choices)
        for i, choice in enumerate(question.choices):
            options.nth(i).click()
            expect(options.nth(i).locator("input")).to_be_checked()
            kernel_round_trip(page)  # the feedback now answers this click, not the last one
            if i == question.answer:
                wanted = f"✓ Right — {choice.why}"
            else:
                wanted = f"✗ Not quite — {choice.why} Try another answer."
            expect(feedback).to_have_text(wanted.replace("`", ""))
            if q == 0 and i in (question.answer, (question.answer + 1) % len(question.choices)):
                screenshot(quiz, f"01-quiz-{'right' if i == question.answer else 'wrong'}")


def test_study_prompt_copy_button_puts_the_prompt_on_the_clipboard(page: Page, lab: Lab) -> None:
    """The "Study this lesson with an AI" section: each Copy button copies its own prompt."""
    from autograd.course.study import study_with_ai

    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=lab.url)
    need(QUIZ_LESSON)
    open_notebook(page, lab, QUIZ_LESSON)
    run_all_cells(page, via="command")
    cell = code_cell(page, f'study_with_ai("{QUIZ_LESSON[:2]}")', 0)
    buttons = cell.locator("button.autograd-copy")
    expect(buttons).to_have_count(3)
    prompts = study_with_ai(QUIZ_LESSON[:2])
    for i in (0, 2):  # the idea, the try-it quiz (the walkthrough carries the learner's code)
        buttons.nth(i).scroll_into_view_if_needed()
        buttons.nth(i).click()
        expect(buttons.nth(i)).to_have_text("Copied ✓")
        copied = page.evaluate("() => navigator.clipboard.readText()")
        assert copied.strip() == prompts[i].strip()
    screenshot(cell, "01-study-with-an-ai")


# --------------------------------------------------------------------------- 4. exported page


def test_exported_animation_plays_without_a_kernel(browser_page: Page, tmp_path: Path) -> None:
    page = browser_page
    path = tmp_path / "a_times_b_plus_a.html"
    script = textwrap.dedent(
        f"""
        from autograd import Value, animate_backward
        a = Value(2.0, label="a"); b = Value(-3.0, label="b")
        c = a * b + a; c.label = "c"
        animate_backward(c, interval_ms=200).save_html({str(path)!r})
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)

    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    counter_ = page.locator("#ag-counter")
    expect(counter_).to_have_text(COUNTER)
    last = int(COUNTER.match(counter_.inner_text()).group(2))
    assert last >= 3, f"a * b + a has at least 4 frames (start, seed, +, ×): {last}"
    frame = page.locator(".ag-frame:visible")
    expect(frame).to_have_count(1)
    expect(frame.locator("g.ag-value")).to_have_count(4)  # a, b, n2 = a·b, c
    screenshot(page, "exported-animation-frame0")

    expect(grad_row(frame, "c")).to_have_text("grad 0.0000")
    # The slider by keyboard: → shows frame 1, the seed c.grad = 1.
    page.locator("#ag-slider").focus()
    page.keyboard.press("ArrowRight")
    expect(counter_).to_have_text(f"step 1 / {last}")
    expect(grad_row(frame, "c")).to_have_text("grad 1.0000")
    # Play runs to the end: a.grad = b + 1 = -2, b.grad = a = 2.
    page.locator("#ag-play").click()
    expect(counter_).to_have_text(f"step {last} / {last}", timeout=30_000)
    expect(grad_row(frame, "a")).to_have_text("grad -2.0000")
    expect(grad_row(frame, "b")).to_have_text("grad 2.0000")
    expect(page.locator(".ag-caption:visible")).to_have_count(1)
    expect(page.locator(".ag-caption:visible")).to_contain_text("a.grad")
    screenshot(page, "exported-animation-last")

    assert not page.errors, f"JavaScript errors in the exported page: {page.errors}"
    remote = [u for u in requests if not u.startswith(("file:", "data:"))]
    assert not remote, f"the exported page must be self-contained, but it fetched: {remote}"


# --------------------------------------------------------------------------- settings


def test_jupyter_config_settings_are_in_force(lab: Lab) -> None:
    """The server hands the page the repository's settings (jupyter_config/labconfig):
    no news or update checks, and no windowing (every cell stays in the page). The start
    notebook's test checks that the page applies them."""
    notification = effective_settings(lab, "@jupyterlab/apputils-extension:notification")
    assert notification["checkForUpdates"] is False
    assert notification["fetchNews"] == "false"
    tracker = effective_settings(lab, "@jupyterlab/notebook-extension:tracker")
    assert tracker["windowingMode"] == "none", tracker["windowingMode"]


def effective_settings(lab: Lab, plugin: str) -> dict:
    """A plugin's settings as the page sees them: the user's settings over the defaults.

    The server folds ``default_setting_overrides.json`` into the schema's defaults, so that
    is where the repository's settings show up (the tests write no user settings for these).
    """
    answer = lab.api(f"/lab/api/settings/{plugin}")
    defaults = {k: v.get("default") for k, v in answer["schema"]["properties"].items()}
    return {**defaults, **answer["settings"]}


# --------------------------------------------------------------------------- 5. every lesson


def _other_notebooks() -> list[str]:
    return sorted(p.name for p in NOTEBOOKS.glob("*.ipynb") if p.name not in WALKED_THROUGH)


@pytest.mark.parametrize("name", _other_notebooks())
def test_notebook_runs_in_jupyterlab(page: Page, lab: Lab, name: str) -> None:
    open_notebook(page, lab, name)
    run_all_cells(page, via="command")
    assert_no_errors(page, name)
    assert_all_executed(page, name)
    # Every widget found its model (a widget whose kernel side is missing says so in red).
    panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    expect(panel.get_by_text("Error displaying widget")).to_have_count(0)
    expect(panel.get_by_text("Loading widget...")).to_have_count(0, timeout=30_000)
    screenshot(page, f"{Path(name).stem}-ran")
    # For a person to look at: the lesson's first picture (a graph or an animation player).
    pictures = panel.locator(
        ".jp-OutputArea-output:has(> img[src^='data:image/svg']), "
        ".jp-OutputArea-output:has(.widget-html svg)"
    )
    if pictures.count():
        pictures.first.scroll_into_view_if_needed()
        screenshot(pictures.first, f"{Path(name).stem}-first-picture")
