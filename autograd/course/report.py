"""The one report every checker returns: truthy iff every check passed.

A checker groups its checks into *rules* (one row each: "add", "topological order",
"Linear.__call__", ...). A rule either passes all its checks, or fails with concrete
:class:`Failure` examples (got vs expected, and a hint for the likely mistake), or could not
be judged because something it depends on is broken first.

Checkers that run expression cases use :mod:`autograd.course.value_rules`; any other checker
builds its report with :class:`ReportBuilder`::

    b = ReportBuilder("backward()", "your backward() fills in every gradient.", seed)
    order = b.rule("topological order")
    order.check(ok, "for the diamond graph: expected ..., got ...", hint="...")
    report = b.build()
"""

from __future__ import annotations

import html
import math
import os
import sys
from dataclasses import dataclass, field
from numbers import Real

__all__ = ["CheckReport", "Failure", "ReportBuilder", "Rule"]


# --------------------------------------------------------------------------- the report
@dataclass(frozen=True)
class Failure:
    """One failed check: which rule, on which expression, what was expected and what came."""

    rule: str
    expression: str
    message: str  # a full sentence with the numbers (or the error)
    hint: str = ""  # the likely mistake, when it can be told
    inputs: dict[str, float] = field(default_factory=dict)
    quantity: str = ""  # e.g. "a.grad" or "c.data"; "" for an error
    expected: float | None = None
    got: object = None
    aspect: str = ""
    kind: str = "grad"  # "grad", "data" or "error"

    def __str__(self) -> str:
        return f"✗ {self.rule}: {self.message}" + (f"\n  hint: {self.hint}" if self.hint else "")


@dataclass
class Rule:
    name: str
    checks: int = 0
    passed: int = 0
    failures: list[Failure] = field(default_factory=list)
    blocked: list[Failure] = field(default_factory=list)
    blocked_by: set[str] = field(default_factory=set)
    blocked_checks: int = 0

    @property
    def ok(self) -> bool:
        return not self.failures and not self.blocked


_OP_SYMBOLS = {
    "add": "+",
    "mul": "*",
    "pow": "**",
    "neg": "-a",
    "sub": "a - b",
    "div": "/",
    "exp": "exp",
    "tanh": "tanh",
}


class CheckReport:
    """The verdict of a checker: truthy iff every check passed.

    * ``repr(report)`` is one line (the verdict and which rules failed), the same on every
      run, so it is safe in a saved notebook;
    * ``print(report)`` / ``report.details`` add, for each failing rule, a concrete example
      (random numbers, different on every run) and a hint;
    * ``report.failures`` lists every failed check as a :class:`Failure`;
    * in Jupyter the report shows as a small table.
    """

    def __init__(self, title: str, praise: str, rules: list[Rule], seed: int) -> None:
        self.title = title
        self._praise = praise
        self._rules = rules
        self.seed = seed  # check_xxx(cls, seed=...) repeats this run exactly

    @property
    def rules(self) -> list[str]:
        return [r.name for r in self._rules]

    @property
    def failed_rules(self) -> list[str]:
        return [r.name for r in self._rules if r.failures]

    @property
    def failures(self) -> list[Failure]:
        return [f for r in self._rules for f in r.failures]

    @property
    def checks(self) -> int:
        return sum(r.checks for r in self._rules)

    @property
    def passed(self) -> int:
        return sum(r.passed for r in self._rules)

    def __bool__(self) -> bool:
        return bool(self._rules) and all(r.ok for r in self._rules)

    def verdict(self, pointer: bool = True) -> str:
        """The one-line verdict (``pointer`` adds where to find the details when failing)."""
        if not self._rules:
            return f"✗ Nothing to check yet: {self._praise}"
        if self:
            if self.checks == 1:
                return f"✓ The check passed — {self._praise}"
            return f"✓ All {self.checks} checks passed — {self._praise}"
        failed = self.failed_rules
        n = len(self._rules)
        if failed:
            more = " — print the report to see an example and a hint." if pointer else ""
            part = "part" if n == 1 else "parts"
            return f"✗ {len(failed)} of {n} {part} failed: {', '.join(failed)}{more}"
        return "✗ Some checks could not be judged" + (" — print the report to see why." * pointer)

    def __repr__(self) -> str:
        return self.verdict()

    def _rule_lines(self, r: Rule) -> tuple[str, list[str]]:
        if r.ok:
            return f"✓ {r.name}: {r.checks} check{'s' if r.checks != 1 else ''} passed", []
        if r.failures:
            head = f"✗ {r.name}: {r.passed} of {_checks(r.checks)} passed"
            first = _pick(r.failures)
            lines = [first.message]
            if first.hint:
                lines.append(f"hint: {first.hint}")
            return head, lines
        symbols = [_OP_SYMBOLS.get(op, op) for op in sorted(r.blocked_by)]
        them = " and ".join(symbols) + (", which need" if len(symbols) > 1 else ", which needs")
        return (
            f"• {r.name}: {r.passed} of {_checks(r.checks)} passed",
            [
                f"{r.blocked_checks} check{'s' if r.blocked_checks != 1 else ''} could not be "
                f"judged: {'they' if r.blocked_checks != 1 else 'it'} also "
                f"use{'s' if r.blocked_checks == 1 else ''} {them} fixing first."
            ],
        )

    @property
    def details(self) -> list[str]:
        """The verdict, then one line per rule (and an example and hint for failing ones)."""
        lines = [self.verdict()]
        for r in self._rules:
            head, more = self._rule_lines(r)
            lines.append(head)
            lines.extend(f"    {m}" for m in more)
        return lines

    def __str__(self) -> str:
        return "\n".join(self.details)

    def _repr_html_(self) -> str:
        good, bad, cell = "#137333", "#c5221f", "padding:3px 10px;text-align:left"
        colour = good if self else bad
        rows = []
        for r in self._rules:
            _, more = self._rule_lines(r)
            icon = "✓" if r.ok else ("✗" if r.failures else "•")
            tint = "#e6f4ea" if r.ok else ("#fce8e6" if r.failures else "#fef7e0")
            count = f"{r.passed}/{r.checks}"
            extra = "<br>".join(_html_text(m) for m in more)
            rows.append(
                f'<tr style="background:{tint}"><td style="{cell}">{icon}</td>'
                f'<td style="{cell}"><b>{html.escape(r.name)}</b></td>'
                f'<td style="{cell}">{count}</td><td style="{cell}">{extra}</td></tr>'
            )
        table = f'<table style="border-collapse:collapse">{"".join(rows)}</table>' if rows else ""
        return (
            f'<div><p style="color:{colour};font-weight:bold">'
            f"{html.escape(self.verdict(pointer=False))}"
            f"</p>{table}</div>"
        )


def _checks(n: int) -> str:
    return f"{n} check" if n == 1 else f"{n} checks"


def _html_text(text: str) -> str:
    """Escape, then show `code` spans as <code>."""
    parts = html.escape(text).split("`")
    return "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts))


_PRIORITY = {"error": 0, "data": 1}
_ASPECT_ORDER = {"basic": 0, "order": 1, "re-use": 2, "nested": 3, "together": 4}


def _pick(failures: list[Failure]) -> Failure:
    """The most telling failure: errors first, then wrong forward values, then the simplest."""
    return min(failures, key=lambda f: (_PRIORITY.get(f.kind, 2), _ASPECT_ORDER.get(f.aspect, 5)))


def _num(x: object) -> str:
    """A short, readable number: 6 significant digits, always with a decimal point."""
    if isinstance(x, bool) or not isinstance(x, Real):
        return repr(x)
    x = float(x)
    if not math.isfinite(x):
        return repr(x)
    s = f"{x:.6g}"
    if s == "-0":
        s = "0"
    return s if ("." in s or "e" in s) else s + ".0"


_LIB_DIRS = tuple(
    {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix) if p}
)
_PACKAGE = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))


def _where(exc: BaseException) -> str:
    """Name the method of the learner's class that raised, e.g. "__add__" or "backward()"."""
    codes = []
    tb = exc.__traceback__
    while tb is not None:
        codes.append(tb.tb_frame.f_code)
        tb = tb.tb_next
    outside = [
        c for c in codes if not os.path.realpath(c.co_filename).startswith(_PACKAGE + os.sep)
    ]
    own = [c for c in outside if not os.path.realpath(c.co_filename).startswith(_LIB_DIRS)]
    picks = own or outside
    if not picks:
        return ""
    code = picks[-1]
    parts = [p for p in getattr(code, "co_qualname", code.co_name).split(".") if p != "<locals>"]
    if len(parts) >= 2 and "backward" in parts[-1] and parts[-2] != "backward":
        return f"the {parts[-1]} of {parts[-2]}"
    if "backward" in parts:
        return "backward()"
    return parts[-1]


class RuleBuilder:
    """One row of a report under construction (see :class:`ReportBuilder`)."""

    def __init__(self, rule: Rule) -> None:
        self._rule = rule

    def check(
        self,
        ok: bool,
        message: str = "",
        hint: str = "",
        *,
        expression: str = "",
        quantity: str = "",
        expected: object = None,
        got: object = None,
        aspect: str = "basic",
        kind: str = "grad",
    ) -> bool:
        """Count one check; when ``ok`` is false record ``message`` (got vs expected) and
        ``hint``. Returns ``ok``, so a checker can stop early."""
        self._rule.checks += 1
        if ok:
            self._rule.passed += 1
        else:
            self._rule.failures.append(
                Failure(
                    self._rule.name,
                    expression,
                    message,
                    hint,
                    {},
                    quantity,
                    expected,
                    got,
                    aspect,
                    kind,
                )  # fmt: skip
            )
        return bool(ok)

    def error(self, stage: str, exc: BaseException, checks: int = 1, hint: str = "") -> None:
        """Record that the learner's code raised ``exc`` while ``stage`` ran."""
        self._rule.checks += checks
        self._rule.failures.append(error_failure(self._rule.name, stage, exc, hint=hint))

    def blocked(self, by: str, checks: int = 1) -> None:
        """These checks could not be judged: ``by`` (another rule) must be fixed first."""
        self._rule.checks += checks
        self._rule.blocked_checks += checks
        self._rule.blocked_by.add(by)
        self._rule.blocked.append(Failure(self._rule.name, "", f"needs {by}", kind="blocked"))

    @property
    def ok(self) -> bool:
        return self._rule.ok


class ReportBuilder:
    """Build a :class:`CheckReport` row by row, for checkers that are not expression tables."""

    def __init__(self, title: str, praise: str, seed: int) -> None:
        self.title, self.praise, self.seed = title, praise, seed
        self._rules: dict[str, Rule] = {}

    def rule(self, name: str) -> RuleBuilder:
        return RuleBuilder(self._rules.setdefault(name, Rule(name)))

    def build(self) -> CheckReport:
        return CheckReport(self.title, self.praise, list(self._rules.values()), self.seed)


def error_failure(rule: str, stage: str, exc: BaseException, hint: str = "") -> Failure:
    """A Failure for an exception raised by the learner's code, with a hint for the usual
    causes (a stub left in, a missing ``return out``, a plain number where a Value belongs, a
    backward rule with the wrong signature)."""
    where = _where(exc)
    name = type(exc).__name__
    text = str(exc)
    said = f"{name}: {text}" if text else name
    if isinstance(exc, NotImplementedError):
        message = f"{where or stage} raised {said} — complete the stub."
        hint = hint or "Replace `raise NotImplementedError` with your code."
    else:
        message = f"while {stage}: {where + ' raised ' if where else ''}{said}"
        if hint:
            pass
        elif "_backward()" in text and ("positional argument" in text or "missing" in text):
            hint = signature_hint(text)
        elif "NoneType" in text:
            hint = "One of your methods returned None: did you forget `return out`?"
        elif isinstance(exc, AttributeError) and text.startswith(("'int' ", "'float' ")):
            hint = (
                f"A plain number reached {where or 'an operation'}, which expects a Value. "
                "Wrap numbers first, e.g. `other = other if isinstance(other, Value) "
                "else Value(other)`."
            )
        elif isinstance(exc, AttributeError):
            hint = (
                "Check the names: the checker uses the class's constructor, .data, .grad and "
                "backward(), and your methods may only use what they define."
            )
        else:
            hint = "Fix the error above, then run the check again."
    return Failure(rule, stage, message, hint, kind="error")


def signature_hint(text: str) -> str:
    """The targeted hint for a backward rule whose signature does not fit the scaffold."""
    if "takes 0 positional arguments but 1 was given" in text:
        return (
            "Your `_backward` takes no argument (a closure, `def _backward():`), but this "
            "backward() calls it as `node._backward(node)`. Either write `def _backward(out):` "
            "and use its `out`, or call `node._backward()` in backward()."
        )
    return (
        "Your `_backward` expects an argument (`def _backward(out):`), but this lesson's "
        "backward() calls `node._backward()` with none. Write it as the stub does, "
        "`def _backward():`, using the `out` of the method around it."
    )
