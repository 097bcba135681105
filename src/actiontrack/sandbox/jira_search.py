"""Jira search: Cloud's enhanced `/search/jql` (cursor, lagging index) and DC's `/search`."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from actiontrack.sandbox import jql
from actiontrack.sandbox.jira_errors import UNBOUNDED, fail
from actiontrack.sandbox.jira_render import Renderer
from actiontrack.sandbox.jira_state import JiraStore
from actiontrack.sandbox.wire import HttpError, Request

ENHANCED_CAP = 5000  # documented maximum; with many fields Jira pages fewer


@dataclass
class SearchParams:
    """Search input, from the query string (GET) or the JSON body (POST)."""

    jql: str
    max_results: int | None
    token: str | None
    fields: list[str] | None
    properties: list[str]
    reconcile: list[int]
    start_at: int


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [v.strip() for v in str(value).split(",") if v.strip()]


def _as_int(value: Any, name: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise fail(400, f"Invalid value for '{name}'.")
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise fail(400, f"Invalid value for '{name}'.") from exc


def _body_getter(req: Request) -> Callable[[str], Any]:
    try:
        body = req.json() or {}
    except ValueError as exc:
        raise fail(400, "Invalid request payload. Refer to the REST API documentation and "
                   "try again.") from exc
    if not isinstance(body, dict):
        raise fail(400, "Invalid request payload.")
    return body.get


def _query_getter(req: Request) -> Callable[[str], Any]:
    def get(name: str) -> Any:
        values = req.arg_list(name)
        return ",".join(values) if values else req.arg(name)

    return get


def read_params(req: Request) -> SearchParams:
    """Read search parameters the same way for GET and POST."""
    get = _body_getter(req) if req.method == "POST" else _query_getter(req)
    has_fields = get("fields") is not None or "fields" in req.query
    fields = _as_list(get("fields")) if has_fields else None
    reconcile = [_as_int(v, "reconcileIssues") for v in _as_list(get("reconcileIssues"))]
    return SearchParams(
        jql=str(get("jql") or ""),
        max_results=_as_int(get("maxResults"), "maxResults"),
        token=get("nextPageToken") or None,
        fields=fields,
        properties=_as_list(get("properties")),
        reconcile=[r for r in reconcile if r is not None],
        start_at=_as_int(get("startAt"), "startAt") or 0,
    )


def _query_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def encode_token(offset: int, query: str) -> str:
    """An opaque cursor bound to the query it came from."""
    raw = json.dumps({"o": offset, "q": _query_hash(query)}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_token(token: str, query: str) -> int:
    """The offset inside a cursor; 400 when forged or reused with another query."""
    try:
        padded = token + "=" * (-len(token) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if data["q"] != _query_hash(query):
            raise ValueError("query changed")
        return int(data["o"])
    except (ValueError, KeyError, TypeError) as exc:
        raise fail(400, "The provided next page token is invalid or expired.") from exc


class Searcher:
    """Runs JQL over the store and shapes the results."""

    def __init__(self, store: JiraStore, cloud: bool) -> None:
        self.store = store
        self.cloud = cloud

    def _context(self) -> jql.JqlContext:
        return jql.JqlContext(
            now=self.store.clock.now(),
            projects=self.store.projects,
            users=self.store.users,
            api_user=self.store.api_user,
            cloud=self.cloud,
            key_exists=self.store.key_exists,
            key_of_id=self.store.key_of_id,
        )

    def run(
        self, text: str, reconcile: set[int], lagged: bool, bounded: bool
    ) -> list[dict[str, Any]]:
        """Matching issue snapshots in result order."""
        try:
            query = jql.parse(text)
            if bounded and query.where is None:
                raise fail(400, UNBOUNDED)
            if bounded and len(query.order_by) > 7:
                raise fail(400, "The ORDER BY clause can contain at most 7 fields.")
            predicate = jql.compile_query(query, self._context())
            snaps = (
                self.store.visible_versions(reconcile)
                if lagged
                else [i.view() for i in self.store.ordered()]
            )
            live = set(self.store.issues)
            matching = [s for s in snaps if s["id"] in live and predicate(s)]
            return jql.sort_snapshots(matching, query.order_by)
        except jql.JqlError as exc:
            raise fail(400, str(exc)) from exc

    def _check_reconcile(self, ids: list[int]) -> None:
        if len(ids) > 50:
            raise fail(400, "The number of issues to reconcile can't exceed 50.")
        missing = [str(i) for i in ids if i not in self.store.issues]
        if missing:
            raise fail(400, f"Issues to reconcile must exist: {', '.join(missing)}.")

    def enhanced(self, params: SearchParams, render: Renderer) -> dict[str, Any]:
        """One page of POST/GET /search/jql."""
        offset = decode_token(params.token, params.jql) if params.token else 0
        size = 50 if params.max_results is None else params.max_results
        if not 1 <= size <= ENHANCED_CAP:
            raise fail(400, "The max results parameter has to be between 1 and 5,000.")
        if len(params.properties) > 5:
            raise fail(400, "You can request at most 5 issue properties.")
        self._check_reconcile(params.reconcile)
        heavy = any(f not in ("id", "key") for f in params.fields or [])
        size = min(size, 100) if heavy else size
        snaps = self.run(params.jql, set(params.reconcile), lagged=True, bounded=True)
        page = snaps[offset : offset + size]
        users = self.store.users
        body: dict[str, Any] = {
            "issues": [
                render.issue(s, users, params.fields, params.properties, id_only_default=True)
                for s in page
            ]
        }
        if offset + size < len(snaps):
            body["nextPageToken"] = encode_token(offset + size, params.jql)
            body["isLast"] = False
        else:
            body["isLast"] = True
        return body

    def classic(self, params: SearchParams, render: Renderer, cap: int) -> dict[str, Any]:
        """Data Center's GET/POST /search with startAt/maxResults/total."""
        size = 50 if params.max_results is None else max(params.max_results, 0)
        size = min(size, cap)
        snaps = self.run(params.jql, set(), lagged=False, bounded=False)
        page = snaps[params.start_at : params.start_at + size]
        return {
            "expand": "schema,names",
            "startAt": params.start_at,
            "maxResults": size,
            "total": len(snaps),
            "issues": [render.issue(s, self.store.users, params.fields, params.properties)
                       for s in page],
        }

    def count(self, text: str) -> int:
        """POST /search/approximate-count."""
        return len(self.run(text, set(), lagged=True, bounded=True))


__all__ = ["HttpError", "SearchParams", "Searcher", "read_params"]
