"""Every unit test gets an empty learner's store of its own, and forgets what an earlier
test's checks passed."""

import pytest

from autograd.course import carry


@pytest.fixture(autouse=True)
def empty_store(tmp_path, monkeypatch):
    home = tmp_path / "autograd-home"
    monkeypatch.setenv("AUTOGRAD_HOME", str(home))
    saved = dict(carry._PASSED)
    carry._PASSED.clear()
    yield home
    carry._PASSED.clear()
    carry._PASSED.update(saved)
