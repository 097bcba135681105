"""The Confluence REST API, Cloud and Data Center, through one hardened `requests` session.

Why not atlassian-python-api: its CQL walk joins `_links.next` to the site root instead of
`_links.base` (a 404 on Cloud), its v2 `update_page` omits `status`, and its session
retries writes. `requests` is already here (the jira client brings it), and the session
gets the same guard as the trackers (trackers/http.py: a total deadline per request and
per run, fail-fast naming `sources.confluence.url`) and the same RetryPolicy
(trackers/retry.py: Retry-After honoured, backoff with jitter, a write never repeated
blindly).

Routes (Cloud's base URL ends in /wiki):
* search: `GET {base}/rest/api/search?cql=…` (v1: v2 has no CQL), following `_links.next`,
  which is relative to `_links.base`, until it is absent;
* bodies: Cloud `GET {base}/api/v2/pages?id=…&body-format=storage` (250 ids a request) and
  `GET /api/v2/pages/{id}`; Data Center `GET /rest/api/content/search?cql=id in (…)&expand=body.storage,version,space`
  and `GET /rest/api/content/{id}`;
* update: Cloud `PUT /api/v2/pages/{id}` {id, status, title, body, version}; Data Center
  `PUT /rest/api/content/{id}` {id, type, title, body.storage, version}; 409 = a stale version;
* people: Cloud `POST /api/v2/users-bulk` {accountIds}; Data Center `GET /rest/api/user?key=`.
"""

from __future__ import annotations

import email.utils
import json
import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests

from actiontrack.errors import AuthenticationError, ConfigError, TrackerError, WrongTargetError
from actiontrack.sources.confluence.page import PageConflict, PageData, PageGone, PageRefused
from actiontrack.sources.confluence.settings import KEY, ConfluenceSettings
from actiontrack.trackers.retry import RetryPolicy, Transient
from actiontrack.urls import strip_credentials

log = logging.getLogger("actiontrack.confluence")
NAME = "confluence"
BODY_BATCH = 250  # v2 GET /pages takes up to 250 ids (its limit's maximum)
DC_BODY_BATCH = 50  # ids per `id in (…)` CQL on Data Center, kept well under URL limits
SEARCH_LIMIT = 100  # CQL search's cap
MAX_PAGES = 10_000  # a guard against a cursor that never ends


@dataclass(frozen=True, slots=True)
class Hit:
    """One CQL search result: which page, and when it was last changed (server clock)."""

    id: str
    title: str
    last_modified: str


@dataclass(frozen=True, slots=True)
class Search:
    """A walk through CQL results: the hits, the total the server counted, its clock."""

    hits: list[Hit]
    total: int | None
    server_now: float | None  # the Date header of the first answer (epoch seconds)


class _Status(Exception):
    """A non-2xx answer, raised inside an operation so the retry policy can judge it."""

    def __init__(self, response: requests.Response) -> None:
        super().__init__(response.status_code)
        self.response = response
        self.status = response.status_code


class _Secret:
    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "<secret>"

    __str__ = __repr__


class ConfluenceClient:
    """One Confluence site, Cloud (`auth = "cloud"`) or Data Center (`auth = "pat"`)."""

    def __init__(self, settings: ConfluenceSettings, *, token: str, email: str | None,
                 retry: RetryPolicy | None = None, timeout: float = 30.0) -> None:
        if not settings.url:
            raise ConfigError("set the Confluence site URL", key=f"{KEY}.url")
        self.settings = settings
        self.cloud = settings.is_cloud
        self.base_url = strip_credentials(settings.url.rstrip("/"))
        self._retry = retry or RetryPolicy()
        self._timeout = timeout
        self._token = _Secret(token)
        self.session = requests.Session()
        if self.cloud:
            self.session.auth = (email or "", token)
        else:
            self.session.headers["Authorization"] = f"Bearer {token}"
        self.session.headers["Accept"] = "application/json"
        if self._retry.guard is not None:
            self._retry.guard.harden(self.session)

    def __repr__(self) -> str:
        return f"ConfluenceClient(base_url={self.base_url!r})"

    @property
    def site(self) -> str:
        return urlsplit(self.base_url).netloc

    # -- search ----------------------------------------------------------------------------------

    def search(self, cql: str, *, newer_than: float | None = None) -> Search:
        """Pages matching `cql`, newest first; with `newer_than` (seconds before the server's
        now), the walk stops at the first older page: the rest did not change."""
        params = {"cql": f"({cql}) and type = page order by lastmodified desc", "limit": str(SEARCH_LIMIT)}
        url: str | None = f"{self.base_url}/rest/api/search"
        hits: list[Hit] = []
        total: int | None = None
        server_now: float | None = None
        for number in range(1, MAX_PAGES + 1):
            assert url is not None
            response = self._send("GET", url, params=params, what=f"search pages (CQL, page {number})",
                                  cql=True)
            data = _json(response)
            if number == 1:
                total = data.get("totalSize") if isinstance(data.get("totalSize"), int) else None
                server_now = _date(response)
            found = [_hit(raw) for raw in data.get("results") or () if isinstance(raw, Mapping)]
            page = [hit for hit in found if hit is not None]
            if newer_than is not None and server_now is not None:
                fresh = [h for h in page if _epoch(h.last_modified) >= server_now - newer_than]
                hits += fresh
                if len(fresh) < len(page):
                    return Search(hits, total, server_now)
            else:
                hits += page
            url = _next(data, self.base_url)
            params = {}
            if url is None:
                return Search(hits, total, server_now)
        raise TrackerError(f"CQL search did not end after {MAX_PAGES} pages", tracker=NAME, url=self.base_url)

    # -- pages -----------------------------------------------------------------------------------

    def pages(self, ids: Sequence[str]) -> list[PageData]:
        """The pages with these ids, bodies included, in as few requests as the API allows."""
        out: list[PageData] = []
        batch = BODY_BATCH if self.cloud else DC_BODY_BATCH
        for start in range(0, len(ids), batch):
            chunk = list(ids[start : start + batch])
            out += self._cloud_pages(chunk) if self.cloud else self._dc_pages(chunk)
        return out

    def _cloud_pages(self, ids: list[str]) -> list[PageData]:
        url: str | None = f"{self.base_url}/api/v2/pages"
        params: dict[str, str] = {"id": ",".join(ids), "body-format": "storage", "limit": str(BODY_BATCH)}
        out: list[PageData] = []
        while url is not None:
            data = _json(self._send("GET", url, params=params, what=f"read {len(ids)} pages (GET /api/v2/pages)"))
            base = _base(data, self.base_url)
            out += [_v2_page(raw, base) for raw in data.get("results") or () if isinstance(raw, Mapping)]
            url, params = _next(data, self.base_url), {}
        return out

    def _dc_pages(self, ids: list[str]) -> list[PageData]:
        url: str | None = f"{self.base_url}/rest/api/content/search"
        params = {"cql": f"id in ({','.join(ids)})", "expand": "body.storage,version,space",
                  "limit": str(len(ids))}
        out: list[PageData] = []
        while url is not None:
            data = _json(self._send("GET", url, params=params, what=f"read {len(ids)} pages (content search)"))
            base = _base(data, self.base_url)
            out += [_v1_page(raw, base) for raw in data.get("results") or () if isinstance(raw, Mapping)]
            url, params = _next(data, self.base_url), {}
        return out

    def fetch_page(self, page_id: str) -> PageData | None:
        """One page with its body; None when it does not exist (or was deleted)."""
        if not page_id.isdigit():
            return None
        if self.cloud:
            url, params = f"{self.base_url}/api/v2/pages/{page_id}", {"body-format": "storage"}
        else:
            url, params = f"{self.base_url}/rest/api/content/{page_id}", {"expand": "body.storage,version,space"}
        try:
            data = _json(self._send("GET", url, params=params, what=f"read page {page_id}", missing_ok=True))
        except PageGone:
            return None
        if str(data.get("status", "current")) != "current":
            return None
        base = _base(data, self.base_url)
        return _v2_page(data, base) if self.cloud else _v1_page(data, base)

    def update_page(self, page: PageData, storage: str) -> int:
        """Store a new version; 409 (a stale version) is checked once against the page, since
        Confluence also answers 409 when two saves race inside it."""
        for attempt in (1, 2):
            try:
                self._put(page, storage)
                return page.version + 1
            except PageConflict:
                now = self.fetch_page(page.id)
                if now is None:
                    raise PageGone() from None
                if now.version != page.version or attempt == 2:
                    raise PageConflict(now.version) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _put(self, page: PageData, storage: str) -> None:
        version = {"number": page.version + 1, "message": "actiontrack: issue keys of the actions"}
        if self.cloud:
            url = f"{self.base_url}/api/v2/pages/{page.id}"
            body: dict[str, Any] = {"id": page.id, "status": "current", "title": page.title,
                                    "body": {"representation": "storage", "value": storage}, "version": version}
        else:
            url = f"{self.base_url}/rest/api/content/{page.id}"
            body = {"id": page.id, "type": "page", "title": page.title,
                    "body": {"storage": {"value": storage, "representation": "storage"}}, "version": version}
        self._send("PUT", url, body=body, what=f"update page {page.id} to version {page.version + 1}",
                   idempotent=False, write=True)

    # -- people ----------------------------------------------------------------------------------

    def user_names(self, keys: Sequence[str]) -> dict[str, str]:
        """Display names of mentioned people (Cloud account ids, Data Center user keys)."""
        names: dict[str, str] = {}
        if not keys:
            return names
        if self.cloud:
            for start in range(0, len(keys), 100):
                chunk = list(keys[start : start + 100])
                data = _json(self._send("POST", f"{self.base_url}/api/v2/users-bulk", body={"accountIds": chunk},
                                        what=f"look up {len(chunk)} mentioned people"))
                for user in data.get("results") or ():
                    if isinstance(user, Mapping) and user.get("accountId"):
                        names[str(user["accountId"])] = str(user.get("displayName") or user.get("publicName") or "")
            return {k: v for k, v in names.items() if v}
        for key in keys:
            try:
                data = _json(self._send("GET", f"{self.base_url}/rest/api/user", params={"key": key},
                                        what="look up a mentioned person", missing_ok=True))
            except PageGone:
                continue
            if data.get("displayName"):
                names[key] = str(data["displayName"])
        return names

    # -- requests --------------------------------------------------------------------------------

    def _send(self, method: str, url: str, *, what: str, params: Mapping[str, str] | None = None,
              body: Any = None, idempotent: bool = True, write: bool = False, missing_ok: bool = False,
              cql: bool = False) -> requests.Response:
        data = None if body is None else json.dumps(body)
        headers = {"Content-Type": "application/json"} if body is not None else None

        def send() -> requests.Response:
            response = self.session.request(method, url, params=params, data=data, headers=headers,
                                            timeout=self._timeout)
            if response.status_code >= 400:
                raise _Status(response)
            return response

        try:
            return self._retry.run(send, what=what, tracker=NAME, url=self.base_url, idempotent=idempotent,
                                   classify=classify)
        except _Status as failed:
            error = self._error(failed.response, what=what, write=write, missing_ok=missing_ok, cql=cql)
        except requests.exceptions.RequestException as exc:
            error = TrackerError(f"{what} failed: {type(exc).__name__}", tracker=NAME, url=self.base_url)
        raise error

    def _error(self, response: requests.Response, *, what: str, write: bool, missing_ok: bool,
               cql: bool) -> Exception:
        status = response.status_code
        message = error_text(response)
        if status in (401, 403) and not (write and status == 403):
            who = (f"{self.settings.email_env} and {self.settings.token_env} (Atlassian account email and API token)"
                   if self.cloud else f"{self.settings.token_env} (a Data Center personal access token)")
            return AuthenticationError(f"{what}: check {who}: the credentials were refused (HTTP {status})",
                                       tracker=NAME, url=self.base_url, status=status,
                                       hint=f"Also check {KEY}.url and {KEY}.auth (now {self.settings.auth!r}).")
        if write and status == 409:
            return PageConflict()
        if (write or missing_ok) and status in (404, 410):
            return PageGone()
        if write and status in (400, 403):
            return PageRefused(message or f"HTTP {status}")
        if cql and status == 400:
            keys = f"{KEY}.cql" if self.settings.cql else f"{KEY}.space / {KEY}.label"
            return ConfigError(f"Confluence refused the CQL: {message or 'HTTP 400'}", key=keys)
        if status == 404 and cql:
            return WrongTargetError(f"{what}: no Confluence REST API at this address (HTTP 404)", tracker=NAME,
                                    key=f"{KEY}.url", url=self.base_url, status=404,
                                    hint=f"Check {KEY}.url: Cloud sites end in /wiki "
                                         "(https://SITE.atlassian.net/wiki).")
        return TrackerError(f"{what} failed (HTTP {status}): {message or response.reason}", tracker=NAME,
                            url=self.base_url, status=status)


def classify(exc: Exception) -> Transient | None:
    """429 and 503 were not applied (retry after Retry-After); other 5xx and a lost answer may
    have been; refused connections were not."""
    if isinstance(exc, _Status):
        if exc.status in (429, 503):
            return Transient(f"HTTP {exc.status}", retry_after=retry_after(exc.response))
        if exc.status in (500, 502, 504):
            return Transient(f"HTTP {exc.status}", ambiguous=True)
        return None
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return Transient("connection timed out before sending")
    if isinstance(exc, requests.exceptions.ConnectionError):
        refused = "refused" in str(exc).lower() or "NewConnectionError" in repr(exc)
        return Transient("connection refused") if refused else Transient("connection dropped", ambiguous=True)
    if isinstance(exc, requests.exceptions.Timeout | requests.exceptions.ChunkedEncodingError):
        return Transient("no complete answer", ambiguous=True)
    return None


def retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        try:
            return max(email.utils.parsedate_to_datetime(value).timestamp() - time.time(), 0.0)
        except (TypeError, ValueError):
            return None


def error_text(response: requests.Response) -> str:
    """Confluence's own explanation: v1 `message`, v2 `errors[].title`."""
    try:
        data = response.json()
    except ValueError:
        return ""
    if not isinstance(data, Mapping):
        return ""
    errors = data.get("errors")
    if isinstance(errors, list):
        titles = [str(e.get("title") or e.get("detail") or "") for e in errors if isinstance(e, Mapping)]
        return "; ".join(t for t in titles if t)
    return str(data.get("message") or "")


def _json(response: requests.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        raise TrackerError(f"answer to {response.request.method} was not JSON (HTTP {response.status_code})",
                           tracker=NAME, url=strip_credentials(str(response.url).split("?")[0])) from None
    return data if isinstance(data, dict) else {}


def _date(response: requests.Response) -> float | None:
    value = response.headers.get("Date")
    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return None


def _epoch(value: str) -> float:
    import datetime as dt

    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return float("inf")  # unreadable: treat as new, so it is read rather than missed
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.timestamp()


def _hit(raw: Mapping[str, Any]) -> Hit | None:
    content = raw.get("content")
    if not isinstance(content, Mapping) or content.get("type", "page") != "page" or not content.get("id"):
        return None
    return Hit(str(content["id"]), str(content.get("title") or raw.get("title") or ""),
               str(raw.get("lastModified") or ""))


def _base(data: Mapping[str, Any], fallback: str) -> str:
    links = data.get("_links")
    base = links.get("base") if isinstance(links, Mapping) else None
    return str(base).rstrip("/") if base else fallback


def _next(data: Mapping[str, Any], fallback: str) -> str | None:
    """The next page's URL. v1's `_links.next` is relative to `_links.base` (which ends in /wiki
    on Cloud: joined to the site root it 404s); v2's carries the base's path itself
    (`/wiki/api/v2/pages?cursor=…`), so it is joined to the site root."""
    links = data.get("_links")
    following = links.get("next") if isinstance(links, Mapping) else None
    if not following:
        return None
    following = str(following)
    if "://" in following:
        return following
    base = _base(data, fallback)
    parts = urlsplit(base)
    if parts.path and following.startswith(parts.path.rstrip("/") + "/"):
        return f"{parts.scheme}://{parts.netloc}{following}"
    return base + "/" + following.lstrip("/")


def _webui(raw: Mapping[str, Any], base: str) -> str:
    links = raw.get("_links")
    webui = links.get("webui") if isinstance(links, Mapping) else None
    if not webui:
        return f"{base}/pages/viewpage.action?pageId={raw.get('id')}"
    return strip_credentials(urljoin(base + "/", str(webui).lstrip("/")))


def _v2_page(raw: Mapping[str, Any], base: str) -> PageData:
    body, version = _mapping(raw, "body"), _mapping(raw, "version")
    storage = body.get("storage")
    value = storage.get("value") if isinstance(storage, Mapping) else ""
    return PageData(str(raw.get("id")), str(raw.get("title") or ""), int(version.get("number") or 1),
                    str(value or ""), _webui(raw, base), str(raw.get("spaceId") or ""))


def _v1_page(raw: Mapping[str, Any], base: str) -> PageData:
    body, version, space = _mapping(raw, "body"), _mapping(raw, "version"), _mapping(raw, "space")
    storage = body.get("storage")
    value = storage.get("value") if isinstance(storage, Mapping) else ""
    return PageData(str(raw.get("id")), str(raw.get("title") or ""), int(version.get("number") or 1),
                    str(value or ""), _webui(raw, base), str(space.get("key") or ""))



def _mapping(raw: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = raw.get(key)
    return value if isinstance(value, Mapping) else {}
