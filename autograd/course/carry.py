"""Your code, carried from lesson to lesson.

When one of your exercises passes its check, the checker calls :func:`finish`, which

1. remembers the objects you wrote (for :func:`prefer_yours`, in this kernel);
2. finds the notebook cell they were written in, and saves that cell's definitions to your
   store (:mod:`autograd.course.store`) — unless they are the reference solution;
3. records the verdict in ``progress.json``.

A later lesson starts with ``engine = start_lesson("07")``: :func:`build` puts your engine
together again, piece by piece in lesson order — the given part of the class (the
*scaffold*), then each exercise — taking **your** saved code where it exists and still
passes its check, and the **reference solution** everywhere else, and says which it used.
"""

from __future__ import annotations

import ast
import html
import importlib.resources
import linecache
import math
import os
import random
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .registry import Exercise, exercise, exercises
from .report import CheckReport
from .store import Store, StoreError

__all__ = [
    "LessonStart",
    "build",
    "finish",
    "prefer_yours",
    "reference_source",
    "reset_progress",
    "start_lesson",
]

# chain -> (its scaffold, its class, what it is, the last lesson that starts from it)
CHAINS = {
    "value": ("value_scaffold.py", "Value", "your scalar engine (lessons 03-05)", "08"),
    "tensor": ("tensor_scaffold.py", "Tensor", "your tensor engine (lessons 08-09)", "10"),
}

# exercise id -> the objects that passed its check in this kernel
_PASSED: dict[str, dict[str, Any]] = {}


# --------------------------------------------------------------------------- sources
def reference_source(name: str) -> str:
    """The text of a reference solution (``"03.add_mul"``) or scaffold file."""
    filename = name if name.endswith(".py") else exercise(name).solution_file
    return (importlib.resources.files(__package__) / "solutions" / filename).read_text("utf-8")


_KEPT = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
         ast.Assign, ast.AnnAssign)  # fmt: skip


def definitions(source: str) -> str:
    """The top-level definitions of a cell (imports, functions, classes, assignments), without
    the rest (prints, demo calls, checks), in their original text."""
    tree = ast.parse(source)
    lines = source.splitlines()
    parts = []
    for node in tree.body:
        if isinstance(node, _KEPT):
            first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
            parts.append("\n".join(lines[first - 1 : node.end_lineno]))
    return "\n\n".join(parts) + "\n" if parts else ""


def _normal(source: str) -> str:
    """The code's meaning without its layout and comments (to compare with the reference)."""
    try:
        return ast.dump(ast.parse(definitions(source)))
    except SyntaxError:
        return source


def _code_files(obj: Any) -> list[str]:
    """The files the functions of ``obj`` (a function, or a class's own methods) come from."""
    found = []
    if isinstance(obj, type):
        members = list(vars(obj).values())
    else:
        members = [obj]
    for m in members:
        m = getattr(m, "__func__", m)  # staticmethod / classmethod / bound method
        m = getattr(m, "fget", m)  # property
        code = getattr(m, "__code__", None)
        if code is not None and code.co_filename not in found:
            found.append(code.co_filename)
    return found


def _is_cell(filename: str) -> bool:
    """Code typed in a notebook cell: its "file" exists only in linecache, not on disk."""
    return not os.path.exists(filename) and bool(linecache.getlines(filename))


def _cell_source(objects: dict[str, Any]) -> str | None:
    """The definitions in the cells the objects were written in (None: not from cells)."""
    files: list[str] = []
    for obj in objects.values():
        for f in _code_files(obj):
            if f not in files:
                files.append(f)
    cells = [f for f in files if _is_cell(f)]
    if not cells or len(cells) != len(files):
        return None
    try:
        return "\n".join(definitions("".join(linecache.getlines(f))) for f in cells)
    except SyntaxError:
        return None


# --------------------------------------------------------------------------- finish
def _say(text: str) -> None:
    print(text)


def finish(
    exercise_id: str, report: CheckReport, objects: dict[str, Any], *, save: bool = True
) -> CheckReport:
    """Called by every checker with its verdict and the objects it checked.

    ``objects`` maps the notebook names the exercise provides (``"Value.__add__"``,
    ``"Neuron"``) to what the learner wrote. With ``save=False`` (used when a lesson
    re-checks saved code, and by graders) nothing is remembered or written.
    """
    ex = exercise(exercise_id)
    report.exercise = ex.id  # type: ignore[attr-defined]
    if not save:
        return report
    passed = bool(report)
    code: str | None = None
    source = _cell_source(objects) if passed else None
    alone = ""
    if passed:
        _PASSED[ex.id] = dict(objects)
        if source is not None:
            code = "reference" if _normal(source) == _normal(reference_source(ex.id)) else "own"
        if code == "own" and ex.chain:
            alone = _why_not_alone(ex, source)  # type: ignore[arg-type]
            if alone:
                code = "own, needs other cells"
    else:
        _PASSED.pop(ex.id, None)
    if alone:
        _say(
            f"Note: your code passes here, but later lessons load only this cell (on top of the "
            f"given part of the class), and then {alone}. Until this cell stands on its own, "
            f"later lessons use the reference solution for {ex.title}."
        )
    store = Store()
    try:
        if code and code.startswith("own") and source is not None:
            header = (
                f"# Your code for exercise {ex.id} ({ex.title}): it passed {ex.checker} on "
                f"{time.strftime('%Y-%m-%d %H:%M')}.\n"
            )
            store.save_code(ex.id, header + source)
        store.record(ex.id, passed, code, report.checks)
    except (OSError, StoreError) as exc:
        _say(f"(Your result could not be saved in {store.root}: {exc})")
    for message in store.messages:
        _say(message)
    return report


def _why_not_alone(ex: Exercise, source: str) -> str:
    """Why the learner's cell, loaded on its own as a later lesson loads it, would not pass
    (on top of the reference for every earlier piece of its chain); "" when it would."""
    earlier = []
    for other in exercises():
        if other.id == ex.id:
            break
        if other.chain == ex.chain:
            earlier.append((other, reference_source(other.id), False))
    try:
        namespace, failed, why = _assemble(ex.chain, [*earlier, (ex, source, True)])  # type: ignore[arg-type]
    except Exception as exc:  # the reference itself failing is a course bug: say so plainly
        return f"the given code raised {type(exc).__name__}: {exc}"
    if failed is not None:
        if why.startswith("it raised NameError"):
            name = why.split("'")[1] if "'" in why else "a name"
            return f"it uses {name!r}, which is defined in another cell"
        return why
    failed, why = _first_failing(namespace, [(ex, source, True)])
    return why if failed is not None else ""


def prefer_yours(exercise_id: str) -> None:
    """End of a solution cell: keep the learner's own code if it passed the check.

    If the learner's code passed this exercise's check in this kernel, put it back in place
    of the reference solution that the cell just defined (a method back on its class, a
    class or function back under its name). Otherwise leave the reference in use. Either
    way, say which.
    """
    ex = exercise(exercise_id)
    namespace = sys._getframe(1).f_globals
    yours = _PASSED.get(ex.id)
    if yours is None:
        _say(
            f"Using the reference solution for {ex.title} from here on: your code has not "
            f"passed {ex.checker} yet. Once it passes, run this cell again to switch back."
        )
        return
    for name, obj in yours.items():
        owner, _, attr = name.partition(".")
        if attr:
            target = namespace.get(owner)
            if target is not None:
                setattr(target, attr, obj)
        else:
            namespace[name] = obj
    _say(f"Keeping your own code for {ex.title}: it passed {ex.checker}.")


# --------------------------------------------------------------------------- build
@dataclass
class Piece:
    """Where one exercise of a built engine came from."""

    exercise: Exercise
    yours: bool
    note: str


def _exec(source: str, namespace: dict[str, Any], filename: str) -> None:
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), namespace)  # noqa: S102 - the course's own code


def _fresh_namespace(chain: str) -> dict[str, Any]:
    import numpy as np

    return {"__name__": f"your_{chain}_engine", "math": math, "random": random, "np": np}


def _checker(ex: Exercise) -> Callable[..., CheckReport]:
    import importlib

    return getattr(importlib.import_module(__package__), ex.checker)


def _check_args(ex: Exercise, namespace: dict[str, Any]) -> list[Any]:
    owners = dict.fromkeys(name.partition(".")[0] for name in ex.provides)
    return [namespace[o] for o in owners]


def _assemble(
    chain: str, pieces: list[tuple[Exercise, str, bool]]
) -> tuple[dict[str, Any], int | None, str]:
    """Run the scaffold, then every piece in order. Returns the namespace and, if one of the
    learner's pieces raised while it ran, its index and the error."""
    scaffold = CHAINS[chain][0]
    namespace = _fresh_namespace(chain)
    _exec(reference_source(scaffold), namespace, f"<given part: {scaffold}>")
    for i, (ex, source, yours) in enumerate(pieces):
        who = "your code" if yours else "reference solution"
        try:
            _exec(source, namespace, f"<{ex.id}: {who}>")
        except Exception as exc:
            if not yours:
                raise
            return namespace, i, f"it raised {type(exc).__name__}: {exc}"
    return namespace, None, ""


def _first_failing(
    namespace: dict[str, Any], pieces: list[tuple[Exercise, str, bool]]
) -> tuple[int | None, str]:
    """The first of the learner's pieces that does not pass its check in this engine."""
    for i, (ex, _, yours) in enumerate(pieces):
        if not yours:
            continue
        try:
            report = _checker(ex)(*_check_args(ex, namespace), save=False)
        except Exception as exc:
            return i, f"checking it raised {type(exc).__name__}: {exc}"
        if not report:
            first = report.failures[0].message if report.failures else ""
            missing = re.search(r"NameError: name '(\w+)' is not defined", first)
            if missing:
                return i, f"it uses {missing.group(1)!r}, which is defined in another cell"
            return i, f"it no longer passes {ex.checker}" + (f" ({first})" if first else "")
    return None, ""


def build(
    chain: str, before: str, *, store: Store | None = None
) -> tuple[dict[str, Any], list[Piece]]:
    """Assemble the learner's ``chain`` ("value" or "tensor") from every exercise of a lesson
    before ``before``: their saved code where it exists and still passes, else the reference.
    Returns the namespace (``Value``, ``Tensor``, ...) and where each piece came from."""
    if chain not in CHAINS:
        raise ValueError(f"chain must be one of {sorted(CHAINS)}, got {chain!r}")
    store = store or Store()
    chosen: list[tuple[Exercise, str, bool]] = []
    notes: dict[str, str] = {}
    for ex in exercises():
        if ex.chain != chain or ex.lesson >= before:
            continue
        result = store.result(ex.id) or {}
        saved = store.code(ex.id) if result.get("code") == "own" else None
        if saved is not None:
            chosen.append((ex, saved, True))
            when = str(result.get("last_pass", "?"))[:16].replace("T", " ")
            notes[ex.id] = f"your code (passed {when})"
        else:
            chosen.append((ex, reference_source(ex.id), False))
            notes[ex.id] = (
                "reference solution (you passed it with the reference code)"
                if result.get("passed")
                else "reference solution (not passed yet)"
            )
    # Put the engine together and re-check the learner's pieces in it; a piece that raises
    # or fails is replaced by the reference, and the rest are checked again.
    while True:
        namespace, failed, why = _assemble(chain, chosen)
        if failed is None:
            failed, why = _first_failing(namespace, chosen)
        if failed is None:
            break
        ex = chosen[failed][0]
        chosen[failed] = (ex, reference_source(ex.id), False)
        notes[ex.id] = f"reference solution (your saved code was not used: {why})"
    pieces = [Piece(ex, yours, notes[ex.id]) for ex, _, yours in chosen]
    return namespace, pieces


class LessonStart:
    """What a lesson starts from: ``engine.Value``, ``engine.Tensor``, ... and their origin."""

    def __init__(
        self,
        lesson: str,
        namespace: dict[str, Any],
        chains: dict[str, list[Piece]],
        banner: tuple[str, str] = ("", ""),
    ) -> None:
        self.lesson = lesson
        self._namespace = namespace
        self.pieces = chains
        self.banner, self._banner_html = banner  # the previous lesson: finished or not

    def __getattr__(self, name: str) -> Any:
        namespace = self.__dict__.get("_namespace", {})
        if name in namespace and not name.startswith("__"):
            return namespace[name]
        names = sorted(k for k in namespace if not k.startswith("_") and k not in
                       ("math", "random", "np"))  # fmt: skip
        raise AttributeError(
            f"lesson {self.lesson}'s engine has no {name!r}; it has: {', '.join(names)}"
        )

    def _example_lesson(self) -> str:
        return self.lesson

    @property
    def yours(self) -> list[str]:
        """The exercises whose code is the learner's own."""
        return [p.exercise.id for ps in self.pieces.values() for p in ps if p.yours]

    def _lines(self) -> list[tuple[str, str, str, bool]]:
        rows = []
        for chain, ps in self.pieces.items():
            for p in ps:
                rows.append((CHAINS[chain][1], f"{p.exercise.id} {p.exercise.title}", p.note,
                             p.yours))  # fmt: skip
        return rows

    def __repr__(self) -> str:
        head = [self.banner] if self.banner else []
        if not self.pieces:
            return "\n".join(head + [f"Lesson {self.lesson} needs no code from earlier lessons."])
        lines = head + [f"Lesson {self.lesson} starts from the engine you built so far:"]
        for chain, ps in self.pieces.items():
            yours = sum(p.yours for p in ps)
            lines.append(
                f"  {CHAINS[chain][1]}: {CHAINS[chain][2]} — {yours} of {len(ps)} "
                f"piece{'s' if len(ps) != 1 else ''} your own"
            )
            for p in ps:
                mark = "✓" if p.yours else "·"
                lines.append(f"    {mark} {p.exercise.id:<16} {p.exercise.title:<30} {p.note}")
        lines.append(
            "Pass an exercise's check and this lesson uses your code for it the next time it "
            "starts. To start this lesson afresh: `from autograd import reset_progress`, then "
            f"`reset_progress({self._example_lesson()!r})` (it shows what it would move; add "
            "`confirm=True` to go ahead)."
        )
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        if not self.pieces:
            alone = f"Lesson {self.lesson} needs no code from earlier lessons."
            return f"<div>{self._banner_html}<p>{html.escape(alone)}</p></div>"
        rows = "".join(
            f'<tr><td style="padding:2px 8px">{"✓" if yours else "·"}</td>'
            f'<td style="padding:2px 8px"><code>{html.escape(cls)}</code></td>'
            f'<td style="padding:2px 8px;text-align:left">{html.escape(what)}</td>'
            f'<td style="padding:2px 8px;text-align:left">{html.escape(note)}</td></tr>'
            for cls, what, note, yours in self._lines()
        )
        return (
            f"<div>{self._banner_html}<p><b>Lesson {html.escape(self.lesson)} starts from the "
            "engine you built so far</b> — your own code where it passed its check, the "
            f"reference solution elsewhere:</p><table>{rows}</table>"
            "<p style='font-size:90%'>Pass an exercise's check and this lesson uses your code "
            "for it the next time it starts. To start this lesson afresh: "
            "<code>from autograd import reset_progress</code>, then "
            f"<code>reset_progress({self._example_lesson()!r})</code> (it shows what it would "
            "move; add <code>confirm=True</code> to go ahead).</p></div>"
        )


def start_lesson(lesson: str) -> LessonStart:
    """The engine lesson ``lesson`` starts from: every chain with exercises before it, built
    from the learner's saved code where it passes and the reference solution elsewhere."""
    lesson = f"{int(lesson):02d}" if str(lesson).isdigit() else str(lesson)
    namespace: dict[str, Any] = {}
    chains: dict[str, list[Piece]] = {}
    store = Store()
    for chain, (*_, last) in CHAINS.items():
        if lesson <= last and any(ex.chain == chain and ex.lesson < lesson for ex in exercises()):
            ns, pieces = build(chain, lesson, store=store)
            namespace.update(ns)
            chains[chain] = pieces
    from .status import previous_lesson_note

    banner = previous_lesson_note(lesson, store.read(), carries=bool(chains))
    for message in store.messages:
        _say(message)
    return LessonStart(lesson, namespace, chains, banner)


def reset_progress(lesson: str | None = None, *, confirm: bool = False) -> None:
    """Start a lesson (or the whole series) afresh: its saved code and results move to the
    store's ``trash/`` folder (nothing is deleted). Asks for ``confirm=True`` first."""
    store = Store()
    what = f"lesson {lesson}" if lesson is not None else "the whole series"
    files = store.matching(lesson)
    if not confirm:
        _say(
            f"This would move your saved code and results for {what} ({len(files)} file(s) in "
            f"{store.root}) to its trash folder. Nothing is deleted. To go ahead, run "
            f"reset_progress({'' if lesson is None else repr(lesson) + ', '}confirm=True)."
        )
        return
    trash = store.reset(lesson)
    if lesson is None:
        _PASSED.clear()
    else:
        for k in [k for k in _PASSED if k.split(".", 1)[0] == lesson]:
            del _PASSED[k]
    _say(f"Nothing to reset for {what}." if trash is None else
         f"Reset {what}: the files are kept in {trash}.")  # fmt: skip
