"""Transport-neutral request/response values passed between the HTTP layer and the API modules."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

JSON = Any


@dataclass
class Request:
    """One parsed HTTP request, with the path made relative to its tracker's base URL."""

    method: str
    path: str
    raw_query: str
    headers: dict[str, str]
    body: bytes
    base_url: str
    params: dict[str, str] = field(default_factory=dict)

    @property
    def query(self) -> dict[str, list[str]]:
        """All query values, repeated keys kept (jira sends `fields=a&fields=b`)."""
        return parse_qs(self.raw_query, keep_blank_values=True)

    def arg(self, name: str) -> str | None:
        """The last value of a query parameter, or None."""
        values = self.query.get(name)
        return values[-1] if values else None

    def arg_list(self, name: str) -> list[str]:
        """A list parameter given either repeated or comma-separated."""
        out: list[str] = []
        for value in self.query.get(name, []):
            out.extend(v.strip() for v in value.split(",") if v.strip())
        return out

    def header(self, name: str) -> str | None:
        """Case-insensitive header lookup."""
        return self.headers.get(name.lower())

    def json(self) -> JSON:
        """The body parsed as JSON; raises ValueError on malformed input."""
        if not self.body.strip():
            return None
        return json.loads(self.body.decode("utf-8"))


@dataclass
class Response:
    """What an API handler answers; `body` is JSON-serialisable or None (no content)."""

    status: int
    body: JSON = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None
    content_type: str = "application/json;charset=UTF-8"

    def encoded(self) -> bytes:
        """The body as bytes (empty for None); `raw` wins for non-JSON bodies."""
        if self.raw is not None:
            return self.raw
        if self.body is None:
            return b""
        return json.dumps(self.body, separators=(",", ":")).encode("utf-8")


class HttpError(Exception):
    """Raised inside a handler to answer with a specific error response."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status)
        self.response = response
