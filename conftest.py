"""Point the learner's store at an empty temporary folder for every test and every notebook,
so no output ever depends on what a learner saved on this machine, nor on what an earlier
notebook of the same run recorded."""

import os
import tempfile

import pytest

os.environ["AUTOGRAD_HOME"] = tempfile.mkdtemp(prefix="autograd-home-")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    # nbval starts a notebook's kernel when its first cell is set up; the kernel inherits
    # the environment at that moment: give each notebook a store of its own.
    notebook = item.parent
    if type(notebook).__name__ == "IPyNbFile" and not hasattr(notebook, "_autograd_home"):
        notebook._autograd_home = tempfile.mkdtemp(prefix="autograd-home-")
        os.environ["AUTOGRAD_HOME"] = notebook._autograd_home
