"""GitLab issues (gitlab.com and self-managed, REST v4) behind the Tracker interface, via python-gitlab.

Requests go through python-gitlab's `Gitlab.http_request` (auth header, URL building,
JSON encoding, its refusal to follow a redirect that would turn a POST into a GET) with
exact payloads, one request per call: its retries are off because they repeat POSTs,
and every request runs under the project's RetryPolicy instead. A response hook keeps
the last response's headers, which GitlabHttpError drops (Retry-After, RateLimit-*).

Cost model (what the sync engine can rely on):
* list_issues / find_by_action_ids: ceil(n / 100) GETs (keyset pagination, following
  `Link: rel="next"`); find stops early. GitLab cannot filter by a description marker,
  so the check before a create (`look_for`) reads every labelled issue, not only those
  changed since the watermark; a first listing that leaves some of `look_for` unfound
  also reads the issues the token's user authored (a person may have removed the label).
  A closed issue that no drop label explains and someone else closed costs one notes GET
  (its closing note may say "won't do"); the token's username costs one GET /user, once.
* verify: one `iids[]` listing of up to 100 linked issues per turn: an iid not answered
  was deleted.
* create_many: one POST per item, paced under `creates_per_minute`; one GET /users per
  distinct owner and one milestone GET (when configured) per tracker instance.
* update / close: at most one PUT (labels are added and removed, never replaced, so no
  read comes first).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Collection, Iterator, Mapping, Sequence
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import gitlab
import requests
from gitlab.exceptions import GitlabError, RedirectError

from actiontrack import __version__
from actiontrack.errors import (
    AmbiguousWriteError,
    AuthenticationError,
    ConfigError,
    RateLimitedError,
    TrackerError,
)
from actiontrack.logs import register_secret
from actiontrack.model import IssueState
from actiontrack.trackers import gitlab_kind, markers
from actiontrack.trackers import gitlab_map as gm
from actiontrack.trackers.base import (
    Change,
    Created,
    IssueContent,
    IssueFields,
    IssueRef,
    OptionalField,
    RefusedFields,
    RemoteIssue,
    Rendered,
    TrackingContent,
    Verification,
    refusal,
)
from actiontrack.trackers.gitlab_failures import TRACKER, HttpFailure, classify, translate
from actiontrack.trackers.pacing import Pacer
from actiontrack.trackers.retry import RetryPolicy
from actiontrack.urls import strip_credentials

PER_PAGE = 100  # GitLab's maximum
MAX_PAGES = 10_000  # a guard against a `next` link that never ends
NOTES_PER_CLOSE = 20  # the newest notes are enough to find the one written with the close

Json = dict[str, Any]


class AmbiguousCreateError(AmbiguousWriteError):
    """An issue POST got no answer: it may exist. Carries the results of the items before it."""

    def __init__(self, cause: AmbiguousWriteError, *, action_id: str, created: list[Created]) -> None:
        super().__init__(f"creating the issue for {action_id}: no answer after sending; it may "
                         f"have been created ({cause.message})",
                         tracker=cause.tracker, url=cause.url, status=cause.status, hint=cause.hint)
        self.action_id = action_id
        self.created = created


class GitLabTracker:
    """Issues of one project; see the module docstring for the request cost of each method."""

    name = gitlab_kind.KIND.name
    # The issues list is read from the database; GitLab's load balancing keeps a user who
    # just wrote on the primary until the replicas catch up, so a create lists at once.
    groups_by_parent = False  # [sync] group = "parent" gets the tracking issue here
    listing_is_consistent = True
    create_batch_size = 1  # one POST per issue: the engine's progress and a stop follow each request

    def __init__(self, settings: gitlab_kind.GitLabSettings, *, token: str, retry: RetryPolicy | None = None,
                 timeout: float = 30.0) -> None:
        if not settings.project:
            raise ConfigError("set the project as group/name or its numeric id", key="gitlab.project")
        self.target: str = settings.project
        self.base_url: str = strip_credentials(settings.url.rstrip("/"))  # the token: env only
        self._settings = settings
        self._retry = retry or RetryPolicy()
        # A minute and a second: requests are counted when they arrive, and latency varies.
        self._pacer = Pacer(settings.creates_per_minute, 61.0, sleep=lambda seconds: self._retry.sleep(seconds))
        self._project = "/projects/" + quote(settings.project, safe="")
        self._token, self._timeout = token, timeout
        self._gl: gitlab.Gitlab | None = None
        self._last_headers: Mapping[str, str] = {}
        self._users: dict[str, int | None] = {}  # username → id (None: no such user)
        self._milestone: int | None = None
        self._me: str | None = None
        self._closes: dict[tuple[int, str], bool] = {}  # (iid, closed_at) → dropped, by its note
        register_secret(token)  # masked in every log line, also when used as a library

    def __repr__(self) -> str:
        return f"GitLabTracker(target={self.target!r}, base_url={self.base_url!r})"

    # -- rendering (the Tracker interface) ----------------------------------------------

    def render(self, content: IssueContent) -> Rendered:
        return gitlab_kind.render(content, self._settings)

    def render_tracking(self, content: TrackingContent) -> Rendered:
        return gitlab_kind.render_tracking(content)

    def is_managed_label(self, label: str, base_label: str) -> bool:
        return gitlab_kind.is_managed_label(label, base_label)

    # -- reading ---------------------------------------------------------------------------

    def check_auth(self) -> str:
        """GET /user: the username the token belongs to."""
        return self._whoami()

    def list_issues(
        self,
        *,
        label: str,
        updated_since: dt.datetime | None,
        look_for: Sequence[str] = (),
        known: Collection[str] = (),
        deep: bool = False,
    ) -> list[RemoteIssue]:
        """Issues with `label` (updated at or after `updated_since`), oldest first; see the
        module docstring for `look_for` and `deep` (every issue of the project)."""
        since = None if look_for or updated_since is None else gm.since_param(updated_since)
        found = {int(raw["iid"]): raw for raw in self._iter_raw(label, since)}
        named = {markers.action_id_in(raw.get("description")) for raw in found.values()}
        unfound = [a for a in look_for if a not in named]
        if deep or (unfound and updated_since is None):
            # Labels are people's to remove; the author is not. A store's first run looks
            # among the token user's issues for the actions the label did not find.
            author = None if deep else self._whoami()
            for raw in self._iter_raw(None, None, author=author):
                if markers.action_id_in(raw.get("description")):
                    found.setdefault(int(raw["iid"]), raw)
        return [self._remote(raw, label) for raw in found.values()]

    def verify(self, refs: Sequence[IssueRef], *, label: str, turn: int | None) -> Verification:
        """Which linked issues were deleted: GitLab answers an `iids[]` listing with the ones
        that exist. Turned: this turn's 100 (consecutive turns cover all); else all of them."""
        iids = sorted({int(ref.remote_id) for ref in refs if ref.remote_id.isdigit()})
        if not iids:
            return Verification(checked=0)
        chunks = [iids[start:start + PER_PAGE] for start in range(0, len(iids), PER_PAGE)]
        if turn is not None:
            chunks = [chunks[turn % len(chunks)]]
        gone: set[str] = set()
        found: list[RemoteIssue] = []
        for chunk in chunks:
            response = self._request("get", f"{self._project}/issues", what="checking that linked issues exist",
                                     params={"iids[]": chunk, "state": "all", "per_page": PER_PAGE})
            listed = {int(raw["iid"]): raw for raw in _json_list(response)}
            gone |= {str(iid) for iid in chunk if iid not in listed}
            found += [self._remote(raw, label) for raw in listed.values()]
        return Verification(checked=sum(len(c) for c in chunks), gone=frozenset(gone), found=tuple(found))

    def find_by_action_ids(self, action_ids: Sequence[str], *, label: str) -> dict[str, RemoteIssue]:
        """Scan the labelled issues (a consistent list) for the markers; the oldest issue
        wins when two carry the same marker, and the scan stops once all are found."""
        wanted = set(action_ids)
        found: dict[str, Json] = {}
        if wanted:
            for raw in self._iter_raw(label, None):
                action_id = markers.action_id_in(raw.get("description"))
                if action_id in wanted and action_id not in found:
                    found[action_id] = raw
                    if len(found) == len(wanted):
                        break
        return {action_id: self._remote(raw, label) for action_id, raw in found.items()}

    def _iter_raw(self, label: str | None, updated_after: str | None, *, author: str | None = None) -> Iterator[Json]:
        """Keyset pages ordered by creation: an edit during the walk cannot shift a page."""
        query: Json = {"state": "all", "order_by": "created_at", "sort": "asc", "pagination": "keyset",
                       "per_page": PER_PAGE}
        if label is not None:
            query["labels"] = label
        if updated_after is not None:
            query["updated_after"] = updated_after
        if author is not None:
            query["author_username"] = author
        url: str | None = f"{self._project}/issues"
        params: Json | None = query
        seen: set[int] = set()
        for _ in range(MAX_PAGES):
            if url is None:
                return
            response = self._request("get", url, params=params, what="listing issues")
            for raw in _json_list(response):
                if raw.get("iid") not in seen:
                    seen.add(raw.get("iid"))  # type: ignore[arg-type]
                    yield raw
            url, params = self._next_url(response), None
        raise TrackerError(f"listing issues did not end after {MAX_PAGES} pages", tracker=TRACKER,
                           url=self.base_url, hint="Nothing was changed; report this with the project name.")

    def _remote(self, raw: Json, label: str | None = None) -> RemoteIssue:
        """The issue as a RemoteIssue; a close no label explains is judged by its closing note."""
        dropped = False
        if raw.get("state") == "closed" and not gm.has_dropped_label(raw, self._settings):
            me = self._whoami() if isinstance(raw.get("closed_by"), dict) else None
            close = (int(raw["iid"]), str(raw.get("closed_at")))
            if close in self._closes:  # listed and verified in one run: its notes are read once
                dropped = self._closes[close]
            elif gm.needs_close_note(raw, self._settings, me):
                dropped = gm.dropped_by_notes(raw, self._notes(int(raw["iid"])), self._settings)
                self._closes[close] = dropped
        return gm.to_remote(raw, self._settings, dropped_by_note=dropped, label=label)

    def _notes(self, iid: int) -> list[Json]:
        response = self._request("get", f"{self._project}/issues/{iid}/notes",
                                 params={"sort": "desc", "order_by": "created_at", "per_page": NOTES_PER_CLOSE},
                                 what=f"reading the closing note of #{iid}")
        return _json_list(response)

    def _whoami(self) -> str:
        if self._me is None:
            data = self._request("get", "/user", what="checking the GitLab token").json()
            self._me = str(data.get("username") or "") if isinstance(data, dict) else ""
        return self._me

    # -- creating --------------------------------------------------------------------------

    def create_many(self, items: Sequence[IssueFields]) -> list[Created]:
        """Serial creates (GitLab has no bulk create); a refused item gets its error, an
        unanswered POST stops the batch with what was made before it."""
        results: list[Created] = []
        for item in items:
            try:
                results.append(self._create_one(item))
            except AmbiguousWriteError as exc:
                raise AmbiguousCreateError(exc, action_id=item.action_id, created=results) from exc
            except RateLimitedError as exc:
                exc.created = tuple(results)  # the engine saves these before it stops
                raise
            except AuthenticationError:
                raise
            except TrackerError as exc:
                results.append(Created(item.action_id, error=exc.message, refused=_refused(exc)))
        return results

    def _create_one(self, item: IssueFields) -> Created:
        assignee_id = self._user_id(item.assignee) if item.assignee else None
        if item.assignee and assignee_id is None:
            return Created(item.action_id, error=f"assignee: no GitLab user {item.assignee!r}",
                           refused=frozenset({"assignee"}))
        payload = gm.create_payload(item, self._settings, assignee_id=assignee_id,
                                    milestone_id=self._milestone_id())
        self._pacer.wait()
        response = self._request("post", f"{self._project}/issues", payload=payload, idempotent=False,
                                 what=f"creating the issue for {item.action_id}")
        return Created(item.action_id, issue=gm.to_remote(_json_object(response), self._settings))

    def _user_id(self, username: str) -> int | None:
        """GET /users?username= once per name (assignees are set by id)."""
        if username not in self._users:
            response = self._request("get", "/users", params={"username": username},
                                     what=f"looking up GitLab user {username!r}")
            matches = [u for u in _json_list(response) if str(u.get("username", "")).lower() == username.lower()]
            self._users[username] = int(matches[0]["id"]) if matches else None
        return self._users[username]

    def _milestone_id(self) -> int | None:
        title = self._settings.milestone
        if not title or self._milestone is not None:
            return self._milestone
        response = self._request("get", f"{self._project}/milestones", params={"title": title},
                                 what=f"looking up milestone {title!r}")
        matches = [m for m in _json_list(response) if m.get("title") == title]
        if not matches:
            raise ConfigError(f"project {self.target} has no milestone {title!r}", key="gitlab.milestone",
                              hint="Create it in GitLab, or remove gitlab.milestone.")
        self._milestone = int(matches[0]["id"])
        return self._milestone

    # -- changing --------------------------------------------------------------------------

    def update(self, issue: RemoteIssue, change: Change) -> None:
        """One PUT with only the changed fields; a repeated PUT is harmless, so it is retried."""
        assignee_id = None
        if change.assignee:
            assignee_id = self._user_id(change.assignee)
            if assignee_id is None:
                raise RefusedFields(TrackerError(f"assignee: no GitLab user {change.assignee!r} (from [owners])",
                                                 tracker=TRACKER, url=self.base_url), frozenset({"assignee"}))
        if change.restore_markers and issue.updated is None:  # rebuilt from the store: no body
            path = f"{self._project}/issues/{quote(issue.remote_id, safe='')}"
            issue = self._remote(_json_object(self._request("get", path, what=f"reading issue #{issue.key}")))
        payload = gm.edit_payload(change, self._settings, action_id=change.action_id or issue.action_id,
                                  assignee_id=assignee_id, current_body=issue.body)
        if not payload:
            return
        try:
            self._put(issue, payload, what=f"updating issue #{issue.key}")
            return
        except TrackerError as exc:
            error = refusal(exc, _refused(exc))
        raise error  # outside the handler: the client's exception stays out of __context__

    def close(self, issue: RemoteIssue, *, dropped: bool) -> None:
        """Close; a drop also gets the first of `dropped_labels`, which is how it reads back."""
        if issue.state == (IssueState.DROPPED if dropped else IssueState.DONE):
            return
        payload: Json = {"state_event": "close"}
        if dropped and self._settings.dropped_labels:
            payload["add_labels"] = self._settings.dropped_labels[0]
        self._put(issue, payload, what=f"closing issue #{issue.key}")

    def close_as_duplicate(self, issue: RemoteIssue, *, original: RemoteIssue, label: str) -> None:
        """One PUT: closed, described as a duplicate without the marker, the base label off
        and the `duplicate` drop label on (`actiontrack doctor --fix`)."""
        note = markers.duplicate_note(f"#{original.key}", html_comment=True)
        body = f"Duplicate of #{original.key}.\n\n" + markers.without_body_marker(issue.body, note=note)
        payload: Json = {"state_event": "close", "description": body, "remove_labels": label}
        drop = "duplicate" if "duplicate" in self._settings.dropped_labels else next(
            iter(self._settings.dropped_labels), None)
        if drop:
            payload["add_labels"] = drop
        self._put(issue, payload, what=f"closing issue #{issue.key} as a duplicate of #{original.key}")

    def _put(self, issue: RemoteIssue, payload: Json, *, what: str) -> None:
        self._request("put", f"{self._project}/issues/{quote(issue.remote_id, safe='')}", payload=payload, what=what)

    # -- one request -----------------------------------------------------------------------

    def _client(self) -> gitlab.Gitlab:
        """The one place the session is set up: auth, timeout, user agent, the header hook."""
        if self._gl is None:
            client = gitlab.Gitlab(self.base_url, private_token=self._token, timeout=self._timeout,
                                   user_agent=f"actiontrack/{__version__}", retry_transient_errors=False,
                                   keep_base_url=True)
            client.session.hooks["response"].append(self._remember)
            if self._retry.guard is not None:  # total deadlines, fail fast on a bad gitlab.url
                self._retry.guard.harden(client.session)
            self._gl = client
        return self._gl

    def _remember(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        self._last_headers = response.headers

    def _request(self, verb: str, path: str, *, what: str, params: Json | None = None,
                 payload: Json | None = None, idempotent: bool = True) -> requests.Response:
        """One request under RetryPolicy; permanent failures become TrackerError subclasses."""
        client = self._client()

        def call() -> requests.Response:
            self._last_headers = {}
            try:
                response: requests.Response = client.http_request(
                    verb, path, query_data=params, post_data=payload,
                    obey_rate_limit=False, retry_transient_errors=False, max_retries=0)
                return response
            except RedirectError:
                raise
            except GitlabError as exc:  # GitlabHttpError, or GitlabAuthenticationError for a 401
                raise HttpFailure(exc.response_code or 0, _body(exc.response_body), self._last_headers) from None

        judge = functools.partial(classify, write=verb != "get", max_wait=self._retry.budget_seconds)
        try:
            return self._retry.run(call, what=what, tracker=TRACKER, url=self.base_url,
                                   idempotent=idempotent, classify=judge)
        except RedirectError:
            raise TrackerError(f"{what}: GitLab redirected a write", tracker=TRACKER, url=self.base_url,
                               hint="Check gitlab.url: write the address GitLab answers on (https, no "
                                    "trailing path unless GitLab runs under one).") from None
        except (HttpFailure, requests.RequestException) as exc:
            raise translate(exc, what=what, url=self.base_url, token_env=self._settings.token_env,
                            project=self.target) from exc

    def _next_url(self, response: requests.Response) -> str | None:
        """`Link: rel="next"`, re-based on the configured URL (keyset cursors live in it)."""
        link = response.links.get("next", {}).get("url")
        if not link:
            return None
        api = self._client().api_url
        if link.startswith(api):
            return str(link)
        parts = urlsplit(link)
        suffix = parts.path.split("/api/v4", 1)[-1]
        return str(urlunsplit(urlsplit(str(api) + suffix)._replace(query=parts.query)))


def _json_list(response: requests.Response) -> list[Json]:
    data = response.json()
    return [item for item in data if isinstance(item, dict)] if isinstance(data, list) else []


def _json_object(response: requests.Response) -> Json:
    data = response.json()
    if not isinstance(data, dict):
        raise TrackerError("GitLab answered a create with no issue", tracker=TRACKER)
    return data


def _body(raw: Any) -> Any:
    if isinstance(raw, bytes):
        try:
            return json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return raw.decode("utf-8", "replace")
    return raw


def _refused(exc: TrackerError) -> frozenset[OptionalField]:
    """The optional fields a refused create named (from GitLab's 400 body, kept as the cause)."""
    cause = exc.__cause__
    if exc.status != 400 or not isinstance(cause, HttpFailure):
        return frozenset()
    return gm.refused_fields(cause.body)
