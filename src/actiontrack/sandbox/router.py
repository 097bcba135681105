"""Route templates such as `/rest/api/2/issue/{issueIdOrKey}` matched against request paths.

The template string doubles as the endpoint name used in request counters.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote

from actiontrack.sandbox.wire import Request, Response

Handler = Callable[[Request], Response]


@dataclass(frozen=True)
class Route:
    """One method + template bound to a handler."""

    method: str
    template: str
    pattern: re.Pattern[str]
    handler: Handler


def _compile(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", template)
    regex = "".join(
        f"(?P<{p[1:-1]}>[^/]+)" if p.startswith("{") else re.escape(p) for p in parts
    )
    return re.compile(f"^{regex}/?$")


class Router:
    """Ordered routes; the first template matching path and method wins."""

    def __init__(self) -> None:
        self._routes: list[Route] = []

    def add(self, method: str, template: str, handler: Handler) -> None:
        """Register a handler for a method and path template."""
        self._routes.append(Route(method, template, _compile(template), handler))

    def routes(self) -> list[Route]:
        """All registered routes, in match order."""
        return list(self._routes)

    def match(self, method: str, path: str) -> tuple[Route | None, dict[str, str], bool]:
        """Find the route; the bool says whether the path exists under another method."""
        path_known = False
        for route in self._routes:
            found = route.pattern.match(path)
            if found is None:
                continue
            path_known = True
            if route.method == method:
                return route, {k: unquote(v) for k, v in found.groupdict().items()}, True
        return None, {}, path_known

    def endpoint_name(self, method: str, path: str) -> str:
        """The template a path belongs to (or the raw path), for counters."""
        route, _, _ = self.match(method, path)
        if route is not None:
            return route.template
        for candidate in self._routes:
            if candidate.pattern.match(path):
                return candidate.template
        return path
