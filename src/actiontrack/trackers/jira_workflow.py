"""Choosing the transition that closes an issue, from `GET /issue/{key}/transitions`.

Transition ids and names belong to each workflow, so the choice is made from what the
server offers: the target status category decides "done"; a transition or resolution
named like one of `done_resolutions_dropped` ("Won't Do") decides "dropped".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from actiontrack.trackers.jira_kind import JiraSettings

_DONE_NAMES = ("done", "fixed", "resolved", "complete", "completed")


@dataclass(frozen=True, slots=True)
class Closing:
    """The transition to POST and the screen fields to send with it (None: send none)."""

    transition_id: str
    name: str
    fields: dict[str, Any] | None = None
    dropped: bool = False  # whether the result will read back as dropped


class NoClosingTransition(LookupError):
    """The workflow offers no suitable transition from the issue's current status."""


def choose(transitions: Sequence[Mapping[str, Any]], *, dropped: bool, settings: JiraSettings) -> Closing:
    """Pick how to close: raises NoClosingTransition with the names on offer when none fits."""
    drop_names = {name.casefold() for name in settings.done_resolutions_dropped}
    to_done = [t for t in transitions if _category(t) == "done"]
    drops = [t for t in to_done if _named(t, drop_names)]
    plain = [t for t in to_done if not _named(t, drop_names)]
    if dropped and drops:
        return Closing(str(drops[0]["id"]), str(drops[0].get("name")), dropped=True)
    if plain:
        chosen = _prefer_done(plain)
        resolution = _resolution(chosen, dropped, settings)
        return Closing(str(chosen["id"]), str(chosen.get("name")), resolution, dropped=dropped and bool(resolution))
    offered = ", ".join(str(t.get("name")) for t in transitions) or "none"
    want = "to a done status" if dropped else "to a done status that is not a won't-do"
    raise NoClosingTransition(f"no transition {want}; the workflow offers: {offered}")


def _category(transition: Mapping[str, Any]) -> str | None:
    target = transition.get("to") or {}
    return (target.get("statusCategory") or {}).get("key")


def _named(transition: Mapping[str, Any], names: set[str]) -> bool:
    target = transition.get("to") or {}
    return any(str(n).casefold() in names for n in (transition.get("name"), target.get("name")) if n)


def _prefer_done(candidates: Sequence[Mapping[str, Any]]) -> Mapping[str, Any]:
    for candidate in candidates:
        if str(candidate.get("name", "")).casefold() in _DONE_NAMES:
            return candidate
    return candidates[0]


def _resolution(transition: Mapping[str, Any], dropped: bool, settings: JiraSettings) -> dict[str, Any] | None:
    """A resolution when the transition screen has the field (from expand=transitions.fields)."""
    field = (transition.get("fields") or {}).get("resolution")
    if not isinstance(field, Mapping):
        return None
    allowed = [str(v.get("name")) for v in field.get("allowedValues") or () if isinstance(v, Mapping)]
    if dropped:
        wanted = [n for n in settings.done_resolutions_dropped if not allowed or n in allowed]
    elif field.get("required"):
        drop = {n.casefold() for n in settings.done_resolutions_dropped}
        wanted = sorted((n for n in allowed if n.casefold() not in drop),
                        key=lambda n: n.casefold() not in _DONE_NAMES)
    else:
        wanted = []
    return {"resolution": {"name": wanted[0]}} if wanted else None
