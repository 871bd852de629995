"""Point the learner's store at an empty temporary folder for every test and notebook run,
so no output ever depends on what a learner saved on this machine."""

import os
import tempfile

os.environ["AUTOGRAD_HOME"] = tempfile.mkdtemp(prefix="autograd-home-")
