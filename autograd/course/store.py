"""The learner's store: which exercises passed, and the code that passed them.

Everything lives in one folder per user, ``AUTOGRAD_HOME`` if that environment variable is
set (the tests point it at an empty temporary folder), otherwise
``$XDG_DATA_HOME/autograd-from-scratch`` (``~/.local/share/autograd-from-scratch``)::

    progress.json            what each check said, and when (one JSON object)
    code/03.add_mul.py       your code that passed exercise 03.add_mul (latest version)
    code/history/...         every earlier version you replaced, kept
    trash/<time>/...         what a reset removed, kept until you delete it yourself

Rules that keep a learner's work safe:

* every write is atomic (a temporary file in the same folder, then ``os.replace``), so a
  crash or a full disk never leaves half a file;
* nothing is ever deleted: a new version of your code moves the old one to ``history/``, a
  reset moves files to ``trash/``, and an unreadable ``progress.json`` is moved aside (with a
  message saying where) instead of being overwritten;
* only *your own* code is saved: code that is the reference solution is recorded as such.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

__all__ = ["FORMAT", "Store", "StoreError", "home"]

FORMAT = "autograd-from-scratch progress"
VERSION = 1


class StoreError(RuntimeError):
    """The store cannot be used as it is (the message says what to do)."""


def home() -> Path:
    """The learner's folder: ``$AUTOGRAD_HOME``, else the per-user data folder."""
    explicit = os.environ.get("AUTOGRAD_HOME")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or os.path.join("~", ".local", "share")
    return Path(base).expanduser() / "autograd-from-scratch"


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S")


def _stamp() -> str:
    return time.strftime("%Y%m%d-%H%M%S") + f"-{time.time_ns() % 1_000_000:06d}"


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the new one, never a
    half-written one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _empty() -> dict[str, Any]:
    return {"format": FORMAT, "version": VERSION, "exercises": {}, "quizzes": {}}


class Store:
    """The learner's store in folder ``root`` (default: :func:`home`)."""

    def __init__(self, root: Path | str | None = None) -> None:
        self.root = Path(root) if root is not None else home()
        self.messages: list[str] = []  # what the store had to tell (a file moved aside, ...)

    # ------------------------------------------------------------------ paths
    @property
    def progress_file(self) -> Path:
        return self.root / "progress.json"

    def code_file(self, exercise_id: str) -> Path:
        return self.root / "code" / f"{exercise_id}.py"

    # ------------------------------------------------------------------ progress
    def read(self) -> dict[str, Any]:
        """The progress record. A missing file is an empty record; a file that is not ours or
        not readable is moved aside (never lost) and the learner is told where it went."""
        path = self.progress_file
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return _empty()
        except OSError as exc:
            raise StoreError(f"cannot read {path}: {exc}") from exc
        problem = ""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            problem = f"it is not valid JSON ({exc.msg}, line {exc.lineno})"
        else:
            if not isinstance(data, dict) or data.get("format") != FORMAT:
                problem = "it is not an autograd-from-scratch progress file"
            elif not isinstance(data.get("version"), int) or data["version"] > VERSION:
                problem = (
                    f"it was written by a newer version of the course (format version "
                    f"{data.get('version')!r}); update the course to read it"
                )
                raise StoreError(f"{path}: {problem}. Nothing was changed.")
            elif not isinstance(data.get("exercises"), dict):
                problem = "its 'exercises' entry is not a JSON object"
        if problem:
            aside = path.with_name(f"{path.name}.unreadable-{_stamp()}")
            os.replace(path, aside)
            self.messages.append(
                f"Your progress file {path} could not be used: {problem}. It was kept as "
                f"{aside.name} in the same folder, and a new one was started."
            )
            return _empty()
        data.setdefault("quizzes", {})
        return data

    def write(self, data: dict[str, Any]) -> None:
        atomic_write(self.progress_file, json.dumps(data, indent=1, sort_keys=True) + "\n")

    def result(self, exercise_id: str) -> dict[str, Any] | None:
        """What the store knows of one exercise: ``passed`` (bool), ``first_passed``,
        ``last_checked`` (times), ``code`` ("own", "reference" or None), ``checks``."""
        return self.read()["exercises"].get(exercise_id)

    def record(self, exercise_id: str, passed: bool, code: str | None, checks: int = 0) -> None:
        """Record one check's verdict. A pass is never forgotten: ``first_passed`` stays."""
        data = self.read()
        entry = data["exercises"].setdefault(exercise_id, {})
        now = _now()
        entry["last_checked"] = now
        entry["last_passed"] = bool(passed)
        entry["checks"] = int(checks)
        if passed:
            entry["passed"] = True
            entry.setdefault("first_passed", now)
            entry["last_pass"] = now
            entry["code"] = code
        else:
            entry.setdefault("passed", False)
        self.write(data)

    def record_quiz(self, question_id: str, choice: int, right: bool) -> None:
        """Record one answer to a quiz question. Once answered right, it stays right."""
        data = self.read()
        entry = data["quizzes"].setdefault(question_id, {"right": False, "attempts": 0})
        now = _now()
        entry["attempts"] = int(entry.get("attempts", 0)) + 1
        entry["last_answer"] = int(choice)
        entry["last_answered"] = now
        if right:
            entry["right"] = True
            entry.setdefault("first_right", now)
        self.write(data)

    # ------------------------------------------------------------------ code
    def code(self, exercise_id: str) -> str | None:
        """The learner's latest saved code for this exercise, or None."""
        try:
            return self.code_file(exercise_id).read_text(encoding="utf-8")
        except FileNotFoundError:
            return None

    def save_code(self, exercise_id: str, source: str) -> Path:
        """Save the learner's code; an earlier, different version moves to ``history/``."""
        path = self.code_file(exercise_id)
        old = self.code(exercise_id)
        if old is not None and old == source:
            return path
        if old is not None:
            keep = path.parent / "history" / f"{exercise_id}.{_stamp()}.py"
            keep.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, keep)
        atomic_write(path, source)
        return path

    # ------------------------------------------------------------------ reset
    def matching(self, lesson: str | None = None) -> list[Path]:
        """The files a reset of ``lesson`` (or of everything) would move to the trash."""
        if not self.root.exists():
            return []
        if lesson is None:
            return sorted(p for p in self.root.iterdir() if p.name != "trash")
        found = []
        code = self.root / "code"
        if code.exists():
            found += sorted(code.glob(f"{lesson}.*.py"))
        return found

    def reset(self, lesson: str | None = None) -> Path | None:
        """Move this lesson's saved code and results (or everything) to ``trash/<time>/``.
        Returns the trash folder, or None when there was nothing to reset."""
        files = self.matching(lesson)
        data = self.read()
        dropped = {k: v for k, v in data["exercises"].items() if lesson is None or
                   k.split(".", 1)[0] == lesson}  # fmt: skip
        dropped_quizzes = {k: v for k, v in data["quizzes"].items() if lesson is None or
                           k.split(".", 1)[0] == lesson}  # fmt: skip
        if not files and not dropped and not dropped_quizzes:
            return None
        trash = self.root / "trash" / _stamp()
        trash.mkdir(parents=True)
        for f in files:
            target = trash / f.relative_to(self.root)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(f, target)
        if lesson is not None and (dropped or dropped_quizzes):
            for k in dropped:
                del data["exercises"][k]
            for k in dropped_quizzes:
                del data["quizzes"][k]
            atomic_write(
                trash / "progress-removed.json",
                json.dumps({"exercises": dropped, "quizzes": dropped_quizzes}, indent=1),
            )
            self.write(data)
        return trash
