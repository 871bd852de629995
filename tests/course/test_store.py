"""The learner's store: AUTOGRAD_HOME, atomic writes, unreadable files kept, reset to trash."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from autograd.course import store as store_module
from autograd.course.store import FORMAT, Store, StoreError, home


def test_home_follows_autograd_home(empty_store):
    assert home() == empty_store
    assert Store().root == empty_store


def test_home_defaults_to_the_per_user_data_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("AUTOGRAD_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert home() == tmp_path / "data" / "autograd-from-scratch"
    monkeypatch.delenv("XDG_DATA_HOME")
    assert home() == Path("~/.local/share/autograd-from-scratch").expanduser()


def test_an_empty_store_reads_as_no_progress_and_writes_nothing(empty_store):
    assert Store().read()["exercises"] == {}
    assert Store().result("03.add_mul") is None
    assert not empty_store.exists()


def test_record_keeps_the_first_pass(empty_store):
    s = Store()
    s.record("03.add_mul", False, None, 10)
    assert s.result("03.add_mul")["passed"] is False
    s.record("03.add_mul", True, "own", 10)
    first = s.result("03.add_mul")["first_passed"]
    s.record("03.add_mul", False, None, 10)
    r = s.result("03.add_mul")
    assert r["passed"] is True and r["first_passed"] == first and r["last_passed"] is False
    data = json.loads((empty_store / "progress.json").read_text())
    assert data["format"] == FORMAT and data["version"] == 1


def test_writes_are_atomic_a_failed_write_leaves_the_old_file(empty_store, monkeypatch):
    s = Store()
    s.record("03.add_mul", True, "own")
    before = (empty_store / "progress.json").read_text()

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(store_module.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        s.record("04.pow", True, "own")
    monkeypatch.undo()
    assert (empty_store / "progress.json").read_text() == before
    assert [p.name for p in empty_store.iterdir()] == ["progress.json"]  # no temp file left


@pytest.mark.parametrize(
    "text, why",
    [
        ("{not json", "not valid JSON"),
        ('{"some": "other program"}', "not an autograd-from-scratch progress file"),
        ("[1, 2]", "not an autograd-from-scratch progress file"),
        (json.dumps({"format": FORMAT, "version": 1, "exercises": []}), "not a JSON object"),
    ],
)
def test_an_unreadable_progress_file_is_moved_aside_never_lost(empty_store, text, why):
    empty_store.mkdir()
    (empty_store / "progress.json").write_text(text)
    s = Store()
    assert s.read()["exercises"] == {}
    (message,) = s.messages
    assert why in message and "was kept as" in message
    kept = [p for p in empty_store.iterdir() if p.name.startswith("progress.json.unreadable-")]
    assert len(kept) == 1 and kept[0].read_text() == text
    s.record("03.add_mul", True, "own")  # and the store works again
    assert Store().result("03.add_mul")["passed"]


def test_a_newer_format_is_refused_and_left_untouched(empty_store):
    empty_store.mkdir()
    text = json.dumps({"format": FORMAT, "version": 99, "exercises": {}})
    (empty_store / "progress.json").write_text(text)
    with pytest.raises(StoreError, match="newer version of the course"):
        Store().read()
    assert (empty_store / "progress.json").read_text() == text


def test_save_code_keeps_every_earlier_version(empty_store):
    s = Store()
    s.save_code("03.add_mul", "v1\n")
    s.save_code("03.add_mul", "v1\n")  # the same text: nothing to keep
    s.save_code("03.add_mul", "v2\n")
    s.save_code("03.add_mul", "v3\n")
    assert s.code("03.add_mul") == "v3\n"
    history = sorted(p.read_text() for p in (empty_store / "code" / "history").iterdir())
    assert history == ["v1\n", "v2\n"]


def test_reset_of_one_lesson_keeps_the_others(empty_store):
    s = Store()
    s.save_code("03.add_mul", "mine\n")
    s.record("03.add_mul", True, "own")
    s.save_code("04.pow", "mine too\n")
    s.record("04.pow", True, "own")
    trash = s.reset("03")
    assert s.code("03.add_mul") is None and s.result("03.add_mul") is None
    assert s.code("04.pow") == "mine too\n" and s.result("04.pow")["passed"]
    assert (trash / "code" / "03.add_mul.py").read_text() == "mine\n"
    removed = json.loads((trash / "progress-removed.json").read_text())
    assert removed["exercises"]["03.add_mul"]["passed"] is True


def test_reset_of_everything_moves_all_to_the_trash(empty_store):
    s = Store()
    s.save_code("03.add_mul", "mine\n")
    s.record("03.add_mul", True, "own")
    trash = s.reset()
    assert s.read()["exercises"] == {}
    assert sorted(p.name for p in trash.iterdir()) == ["code", "progress.json"]
    assert s.reset() is None  # nothing left to reset


def test_no_partial_files_are_left_by_atomic_write(tmp_path):
    target = tmp_path / "deep" / "file.txt"
    store_module.atomic_write(target, "hello")
    assert target.read_text() == "hello"
    assert os.listdir(target.parent) == ["file.txt"]
