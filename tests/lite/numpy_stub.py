"""A stand-in for numpy in the Pyodide tests: npm's ``pyodide`` (the core runtime) has no
numpy. Enough for the scalar (``Value``) paths of ``draw.py`` and ``animate.py``, which only
ask ``isinstance(x, np.ndarray)``; anything else says clearly that it is missing."""


class ndarray:  # noqa: N801 - numpy's name
    pass


class integer:  # noqa: N801 - numpy's name
    pass


def __getattr__(name: str):
    raise AttributeError(f"numpy stand-in (tests/lite/numpy_stub.py): no {name!r} here")
