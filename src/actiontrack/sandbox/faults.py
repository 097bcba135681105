"""Fault injection: rules that make chosen requests fail the way real networks and trackers do.

Spec grammar (also accepted by the CLI's --faults and the admin endpoint)::

    SPEC    := RULE ("," RULE)*
    RULE    := TRACKER ":" METHOD ":" PATH "=" ACTION ["@" TRIGGER]
    TRACKER := "jira" | "github" | "confluence" | "*"
    METHOD  := "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "*"
    PATH    := fnmatch glob on the path below the tracker base, e.g. /rest/api/2/issue/bulk, /repos/*
    ACTION  := STATUS [":" RETRY_AFTER] | "secondary" | "drop"
             | "timeout-after-commit" [":hold" | ":close"] | "delay:" MS
    TRIGGER := PROBABILITY (0 < p <= 1, e.g. 0.2) | "#" N (only the Nth match) | K "+" (K-th match on)
"""

from __future__ import annotations

import random
import re
import threading
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any, Literal

ActionKind = Literal["status", "secondary", "drop", "timeout-after-commit", "delay"]
TRACKERS = ("jira", "github", "confluence", "*")


class FaultSpecError(ValueError):
    """A fault spec string could not be parsed."""


@dataclass(frozen=True)
class FaultAction:
    """What happens to a request a rule fires on."""

    kind: ActionKind
    status: int = 0
    retry_after: int | None = None
    close: bool = False
    delay_ms: float = 0.0

    def describe(self) -> str:
        """The action in spec syntax."""
        if self.kind == "status":
            suffix = f":{self.retry_after}" if self.retry_after is not None else ""
            return f"{self.status}{suffix}"
        if self.kind == "timeout-after-commit":
            return "timeout-after-commit:close" if self.close else "timeout-after-commit"
        if self.kind == "delay":
            return f"delay:{self.delay_ms:g}"
        return self.kind


@dataclass
class FaultRule:
    """One rule; `nth` fires only on that match, `from_nth` on every match from it on."""

    tracker: str
    method: str
    path: str
    action: FaultAction
    probability: float = 1.0
    nth: int | None = None
    from_nth: int | None = None
    seen: int = field(default=0, compare=False)

    def matches(self, tracker: str, method: str, path: str) -> bool:
        """Whether a request falls under this rule (before the trigger is considered)."""
        return (
            self.tracker in ("*", tracker)
            and self.method in ("*", method)
            and fnmatchcase(path, self.path)
        )

    def describe(self) -> str:
        """The rule in spec syntax."""
        text = f"{self.tracker}:{self.method}:{self.path}={self.action.describe()}"
        if self.nth is not None:
            return f"{text}@#{self.nth}"
        if self.from_nth is not None:
            return f"{text}@{self.from_nth}+"
        if self.probability < 1.0:
            return f"{text}@{self.probability:g}"
        return text

    def as_dict(self) -> dict[str, Any]:
        """JSON view for the admin endpoint."""
        return {"rule": self.describe(), "seen": self.seen}


_STATUS_RE = re.compile(r"^(\d{3})(?::(\d+))?$")


def parse_action(text: str) -> FaultAction:
    """Parse the ACTION part of a rule."""
    text = text.strip().lower()
    status = _STATUS_RE.match(text)
    if status:
        code = int(status.group(1))
        if not 400 <= code <= 599:
            raise FaultSpecError(f"fault status must be 4xx/5xx: {text}")
        retry = int(status.group(2)) if status.group(2) else None
        return FaultAction("status", status=code, retry_after=retry)
    if text in ("secondary", "drop"):
        return FaultAction(text)  # type: ignore[arg-type]
    if text in ("timeout-after-commit", "timeout-after-commit:hold"):
        return FaultAction("timeout-after-commit")
    if text == "timeout-after-commit:close":
        return FaultAction("timeout-after-commit", close=True)
    if text.startswith("delay:"):
        try:
            return FaultAction("delay", delay_ms=float(text[6:]))
        except ValueError as exc:
            raise FaultSpecError(f"bad delay: {text}") from exc
    raise FaultSpecError(f"unknown fault action: {text}")


def _apply_trigger(rule: FaultRule, trigger: str) -> None:
    trigger = trigger.strip()
    try:
        if trigger.startswith("#"):
            rule.nth = int(trigger[1:])
        elif trigger.endswith("+"):
            rule.from_nth = int(trigger[:-1])
        else:
            rule.probability = float(trigger)
    except ValueError as exc:
        raise FaultSpecError(f"bad trigger: {trigger}") from exc
    if (rule.nth is not None and rule.nth < 1) or (rule.from_nth is not None and rule.from_nth < 1):
        raise FaultSpecError(f"trigger counts start at 1: {trigger}")
    if not 0.0 < rule.probability <= 1.0:
        raise FaultSpecError(f"probability must be in (0, 1]: {trigger}")


def parse_rule(text: str) -> FaultRule:
    """Parse one RULE."""
    target, sep, rest = text.strip().partition("=")
    if not sep:
        raise FaultSpecError(f"rule needs '=ACTION': {text}")
    parts = target.split(":", 2)
    if len(parts) != 3:
        raise FaultSpecError(f"rule target must be TRACKER:METHOD:PATH: {target}")
    tracker, method, path = parts[0].strip().lower(), parts[1].strip().upper(), parts[2].strip()
    if tracker not in TRACKERS:
        raise FaultSpecError(f"tracker must be jira, github or *: {tracker}")
    action_text, _, trigger = rest.partition("@")
    rule = FaultRule(tracker, method, path or "*", parse_action(action_text))
    if trigger:
        _apply_trigger(rule, trigger)
    return rule


def parse_spec(spec: str) -> list[FaultRule]:
    """Parse a whole SPEC (comma or semicolon separated rules); empty means no faults."""
    pieces = [p for p in re.split(r"[,;]", spec) if p.strip()]
    return [parse_rule(p) for p in pieces]


class FaultSet:
    """The live rule list; thread-safe and replaceable at runtime."""

    def __init__(self, rules: list[FaultRule] | None = None, seed: int = 0) -> None:
        self._rules = list(rules or [])
        self._random = random.Random(seed)
        self._lock = threading.Lock()

    def replace(self, rules: list[FaultRule]) -> None:
        """Swap in a new rule list (match counters start from zero)."""
        with self._lock:
            self._rules = list(rules)

    def add(self, rule: FaultRule) -> None:
        """Append a rule."""
        with self._lock:
            self._rules.append(rule)

    def clear(self) -> None:
        """Remove every rule."""
        self.replace([])

    def rules(self) -> list[FaultRule]:
        """A snapshot of the rules."""
        with self._lock:
            return list(self._rules)

    def pick(self, tracker: str, method: str, path: str) -> FaultRule | None:
        """Count the request against every matching rule; return the first rule that fires."""
        fired: FaultRule | None = None
        with self._lock:
            for rule in self._rules:
                if not rule.matches(tracker, method, path):
                    continue
                rule.seen += 1
                if fired is None and self._fires(rule):
                    fired = rule
        return fired

    def _fires(self, rule: FaultRule) -> bool:
        if rule.nth is not None:
            return rule.seen == rule.nth
        if rule.from_nth is not None:
            return rule.seen >= rule.from_nth
        return rule.probability >= 1.0 or self._random.random() < rule.probability


def parse_latency(text: str) -> float | tuple[float, float]:
    """Parse `--latency-ms`: a fixed `50` or a uniform range `20-80`."""
    low, sep, high = text.partition("-")
    if sep:
        return (float(low), float(high))
    return float(text)


class Latency:
    """Per-request delay, fixed or uniformly random in a range."""

    def __init__(self, spec: float | tuple[float, float], seed: int = 0) -> None:
        self.spec = spec
        self._random = random.Random(seed)
        self._lock = threading.Lock()

    def seconds(self) -> float:
        """How long the next request should wait."""
        if isinstance(self.spec, tuple):
            with self._lock:
                return self._random.uniform(*self.spec) / 1000.0
        return float(self.spec) / 1000.0
