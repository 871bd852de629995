"""Grade a folder of submitted lesson notebooks: ``make grade SUBMISSIONS=folder``.

    python tools/grade.py submissions/ --out grades.csv --timeout 600 --jobs 2

Every ``*.ipynb`` under the folder (sub-folders too, e.g. one per student) is run top to
bottom in a fresh kernel, with errors allowed (a learner's unfinished exercise must not hide
the ones after it), in a fresh temporary folder, with a learner's store of its own
(``AUTOGRAD_HOME``, empty at the start). The lesson is read from the file name:
``03_build_the_value.ipynb``, ``alice/03_build_the_value.ipynb`` or
``alice_03_build_the_value.ipynb`` are lesson 03.

The lesson's own check cells call the packaged checkers, and these record every verdict in
that store's ``progress.json``; the grader reads it back and writes one CSV row per exercise
of the lesson (``autograd.course.registry.exercises()``)::

    file,lesson,exercise,passed,code,run,detail
    alice/03_build_the_value.ipynb,03,03.add_mul,True,own,completed,2 cells raised

``code`` says whose code passed (``own``, or ``reference`` when it is the reference
solution). ``run`` is one of

* ``completed``: ran to the end (errors in cells included: ``detail`` counts them);
* ``timeout``: stopped after ``--timeout`` seconds for the whole notebook, kernel start-up
  included (what passed before still counts);
* ``kernel died``, ``runner failed``;
* ``invalid notebook``: not a readable notebook file (nothing ran);
* ``unknown lesson``: no lesson ``NN_`` of the series in the file name (nothing ran).

A broken submission is recorded and the run goes on.

Submissions run code from learners on this machine, with the rights of whoever runs the
grader: grade in a container or a throw-away account, never as root on a machine you care
about.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
FIELDS = ["file", "lesson", "exercise", "passed", "code", "run", "detail"]
LESSON = re.compile(r"(?:^|[^0-9A-Za-z])(\d\d)_[A-Za-z]")


@dataclass
class Outcome:
    """How one submission's run ended."""

    run: str  # completed | timeout | kernel died | invalid notebook | unknown lesson | ...
    detail: str = ""
    progress: dict | None = None  # the store's progress.json after the run


def lesson_of(path: Path) -> str | None:
    """The two-digit lesson of a submission, from its file name."""
    match = LESSON.search(path.name)
    return match.group(1) if match else None


def lesson_exercises(lesson: str) -> list[str] | None:
    """The exercise ids of a lesson, in order; None for a lesson the series does not have."""
    from autograd.course.registry import LESSONS, exercises

    if lesson not in LESSONS:
        return None
    return [ex.id for ex in exercises() if ex.lesson == lesson]


# --------------------------------------------------------------------------- one notebook
def run_notebook(notebook: Path, workdir: Path, status_file: Path, timeout: int) -> None:
    """Execute one notebook (in this process, which the grader runs as a child); write how
    it ended to ``status_file`` as JSON, and the kernel's process group to
    ``status_file.with_suffix(".kernel")`` (the kernel runs in a session of its own: on a
    timeout the grader stops it through that)."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    nb = nbformat.read(notebook, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        allow_errors=True,
        record_timing=False,
        resources={"metadata": {"path": str(workdir)}},
    )

    def remember_kernel(**_: object) -> None:
        provisioner = getattr(client.km, "provisioner", None)
        group = getattr(provisioner, "pgid", None) or getattr(provisioner, "pid", None)
        if group:
            status_file.with_suffix(".kernel").write_text(str(group))

    client.on_notebook_start = remember_kernel
    status: dict = {"run": "completed", "detail": ""}
    try:
        client.execute()
    except DeadKernelError as exc:
        status = {"run": "kernel died", "detail": str(exc).splitlines()[0][:200]}
    except CellTimeoutError:
        status = {"run": "timeout", "detail": f"a cell ran longer than {timeout} s"}
    errors = sum(
        1
        for cell in nb.cells
        if cell.cell_type == "code" and any(o.output_type == "error" for o in cell.outputs)
    )
    if errors and status["run"] == "completed":
        status["detail"] = f"{errors} cell{'s' if errors != 1 else ''} raised"
    status_file.write_text(json.dumps(status))


def _kill_group(group: int) -> None:
    try:
        os.killpg(group, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def grade_one(path: Path, timeout: int) -> Outcome:
    """Run one submission in a child process with a fresh store and working folder, and
    stop it (and its kernel) when it takes longer than ``timeout`` seconds; never raises."""
    try:
        # Lenient: editors (Colab, VS Code) save small schema deviations that still run.
        nb = nbformat.read(path, as_version=4)
        if not isinstance(nb.get("cells"), list):
            raise ValueError("no list of cells")
    except Exception as exc:  # not JSON, not a notebook, unreadable file, ...
        return Outcome("invalid notebook", f"{type(exc).__name__}: {str(exc)[:200]}".strip())
    with tempfile.TemporaryDirectory(prefix="autograd-grade-") as tmp:
        tmp_path = Path(tmp)
        home, workdir = tmp_path / "autograd-home", tmp_path / "work"
        workdir.mkdir()
        status_file = tmp_path / "status.json"
        env = dict(os.environ, AUTOGRAD_HOME=str(home), PYTHONHASHSEED="0")
        command = [sys.executable, __file__, "--run-one", str(path), str(workdir),
                   str(status_file), str(timeout)]  # fmt: skip
        child = subprocess.Popen(
            command,
            env=env,
            cwd=workdir,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        output, outcome = b"", None
        try:
            output, _ = child.communicate(timeout=timeout)  # kernel start-up included
        except subprocess.TimeoutExpired:
            outcome = Outcome("timeout", f"stopped after {timeout} s")
            _kill_group(child.pid)  # still running, so the group is still the child's
            try:  # the kernel runs in a session of its own
                _kill_group(int(status_file.with_suffix(".kernel").read_text()))
            except (OSError, ValueError):
                pass
            child.wait()
        if outcome is None:
            try:
                outcome = Outcome(**json.loads(status_file.read_text()))
            except (OSError, ValueError, TypeError):
                tail = output.decode(errors="replace").strip().splitlines()[-1:]
                outcome = Outcome(
                    "runner failed", f"exit code {child.returncode}: {' '.join(tail)[:200]}"
                )
        try:
            outcome.progress = json.loads((home / "progress.json").read_text())
        except FileNotFoundError:
            outcome.progress = None
        except (OSError, ValueError) as exc:
            outcome.detail = (outcome.detail + f"; progress.json unreadable: {exc}").lstrip("; ")
    return outcome


def rows_for(path: Path, name: str, timeout: int) -> list[dict[str, str]]:
    lesson = lesson_of(path)
    ids = None if lesson is None else lesson_exercises(lesson)
    if ids is None:
        why = "no NN_ lesson number in the file name" if lesson is None else "no such lesson"
        return [dict(file=name, lesson=lesson or "", exercise="", passed="False", code="",
                     run="unknown lesson", detail=why)]  # fmt: skip
    outcome = grade_one(path, timeout)
    recorded = ((outcome.progress or {}).get("exercises")) or {}
    if not ids:
        return [dict(file=name, lesson=lesson, exercise="", passed="", code="",
                     run=outcome.run, detail=outcome.detail or "no graded exercises")]  # fmt: skip
    rows = []
    for ex_id in ids:
        entry = recorded.get(ex_id) or {}
        passed = bool(entry.get("passed")) if isinstance(entry, dict) else False
        rows.append(
            dict(
                file=name,
                lesson=lesson,
                exercise=ex_id,
                passed=str(passed),
                code=(entry.get("code") or "") if passed else "",
                run=outcome.run,
                detail=outcome.detail,
            )
        )
    return rows


def grade(folder: Path, out: Path, timeout: int, jobs: int = 1) -> list[dict[str, str]]:
    """Grade every notebook under ``folder``; write the CSV to ``out``; return its rows."""
    submissions = sorted(p for p in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    names = [p.relative_to(folder).as_posix() for p in submissions]

    def one(item: tuple[Path, str]) -> list[dict[str, str]]:
        path, name = item
        start = time.perf_counter()
        rows = rows_for(path, name, timeout)
        passed = sum(r["passed"] == "True" for r in rows)
        graded = sum(1 for r in rows if r["exercise"])
        print(f"{name}: {passed}/{graded} passed, {rows[0]['run']} "
              f"({time.perf_counter() - start:.0f} s)", flush=True)  # fmt: skip
        return rows

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        results = list(pool.map(one, zip(submissions, names, strict=True)))
    rows = [row for result in results for row in result]
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    return rows


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--run-one"]:  # the child process of grade_one
        notebook, workdir, status_file, timeout = argv[1:5]
        run_notebook(Path(notebook), Path(workdir), Path(status_file), int(timeout))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("submissions", type=Path, help="folder of submitted notebooks")
    parser.add_argument("--out", type=Path, default=Path("grades.csv"), help="the CSV to write")
    parser.add_argument(
        "--timeout", type=int, default=600, help="seconds allowed per notebook (default 600)"
    )
    parser.add_argument("--jobs", type=int, default=1, help="notebooks run at once (default 1)")
    args = parser.parse_args(argv)
    if not args.submissions.is_dir():
        print(f"{args.submissions} is not a folder", file=sys.stderr)
        return 2
    rows = grade(args.submissions, args.out, args.timeout, args.jobs)
    print(f"wrote {args.out} ({len(rows)} rows)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
