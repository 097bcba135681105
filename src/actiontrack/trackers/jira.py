"""Jira Cloud and Data Center through the `jira` client, with as few requests as possible.

The client's session carries auth, headers and timeouts; the high-level methods are not
used where they cost requests: `search_issues` first GETs /field, `create_issues` looks
up the project and issue type per item and GETs every created issue, and `Issue.update`
re-GETs the issue. So searches, bulk creates and edits go straight through the session,
and every request runs under our RetryPolicy (the client's own retries are off because
they would repeat POSTs).

Requests per operation: connect = GET serverInfo (once, lazily); list/find = one search
per page (100 on Cloud, up to 1000 on Data Center), the check before a create folded in
for up to 500 actions; verify = one search of up to 1000 ids by id (a deleted one makes
it a 400: halves are searched until it is found); create_many = one bulk POST per 50;
update = one PUT; close = GET transitions + POST transition.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any, TypeVar
from urllib.parse import quote

import requests
from jira import JIRA
from jira.exceptions import JIRAError

from actiontrack.errors import AmbiguousWriteError, ConfigError, TrackerError
from actiontrack.model import IssueState
from actiontrack.trackers import jira_kind, markers
from actiontrack.trackers import jira_payload as payload
from actiontrack.trackers import jira_workflow as workflow
from actiontrack.trackers.base import (
    Change,
    Created,
    IssueContent,
    IssueFields,
    IssueRef,
    RemoteIssue,
    Rendered,
    TrackingContent,
    Verification,
)
from actiontrack.trackers.jira_kind import JiraSettings
from actiontrack.trackers.jira_wire import TRACKER, classify, to_tracker_error
from actiontrack.trackers.retry import RetryPolicy
from actiontrack.urls import strip_credentials

T = TypeVar("T")
log = logging.getLogger("actiontrack.jira")

BULK_LIMIT = 50  # Jira's documented maximum per POST /issue/bulk
EPIC_LINK_SCHEMA = "com.pyxis.greenhopper.jira:gh-epic-link"  # Jira Software's Epic Link field
EPIC_NAME_SCHEMA = "com.pyxis.greenhopper.jira:gh-epic-label"  # … and Epic Name
MARKER_CHUNK = 100  # marker labels per `labels in (...)` search
LOOK_FOR_CHUNK = 500  # marker labels folded into one listing: 500 creates cost no extra search
VERIFY_SLICE = 1000  # ids per existence check: an id-only page holds them all (up to 5000)


class _Secret:
    """A credential that cannot leak through repr(), str() or a debugger's variable view."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "<secret>"

    __str__ = __repr__


class JiraTracker:
    """One Jira project (Cloud or Data Center, detected from serverInfo on first use)."""

    name = jira_kind.KIND.name
    listing_is_consistent = False  # search is index-lagged: a create may not show for seconds
    groups_by_parent = True  # an Epic per postmortem, each action's issue under it
    cloud_page_size = 100  # Cloud returns at most 100 per page when fields are requested
    dc_page_size = 1000  # Data Center caps maxResults itself (default 1000); we follow what it returns
    max_pages = 1000  # a guard against a cursor that never ends

    def __init__(
        self,
        settings: JiraSettings,
        *,
        token: str,
        email: str | None,
        retry: RetryPolicy | None = None,
        timeout: float = 30.0,
    ) -> None:
        if not settings.url:
            raise ConfigError("set the Jira site URL", key="jira.url")
        if not settings.project:
            raise ConfigError("set the Jira project key", key="jira.project")
        if settings.auth == "cloud" and not email:
            raise ConfigError(f"Jira Cloud needs the account email in {settings.email_env}", key="jira.email_env")
        self.target: str = settings.project
        # Credentials belong in the environment: a user:password@ or ?token= in jira.url is
        # dropped here, so it reaches no request line, issue link, store row or message.
        self.base_url: str = strip_credentials(settings.url.rstrip("/"))
        self._settings = settings
        self._server = self.base_url
        self._rest = f"{self._server}/rest/api/2"
        self._token = _Secret(token)
        self._email = email
        self._retry = retry or RetryPolicy()
        self._timeout = timeout
        self._jira: Any = None
        self._flavour: payload.Flavour | None = None
        self._parents_known = False  # parent field learned (once per tracker, and only when used)

    def __repr__(self) -> str:
        return f"JiraTracker(target={self.target!r}, base_url={self.base_url!r})"

    # -- the Tracker interface -------------------------------------------------------------

    def render(self, content: IssueContent) -> Rendered:
        return jira_kind.render(content)

    def render_tracking(self, content: TrackingContent) -> Rendered:
        return jira_kind.render_tracking(content)

    def is_managed_label(self, label: str, base_label: str) -> bool:
        return jira_kind.is_managed_label(label, base_label)

    def check_auth(self) -> str:
        """Who we are: GET /myself; 401/403 become an AuthenticationError naming what to check."""
        self._connect()
        me = self._request("GET", "myself", what="check credentials (GET /myself)", auth_statuses=(401, 403))
        if not isinstance(me, Mapping):
            raise TrackerError("GET /myself answered no account", tracker=TRACKER, url=self.base_url)
        for key in ("name", "emailAddress", "displayName", "accountId"):
            if me.get(key):
                return str(me[key])
        return "unknown account"

    def list_issues(
        self,
        *,
        label: str,
        updated_since: dt.datetime | None,
        look_for: Sequence[str] = (),
        known: Collection[str] = (),
        deep: bool = False,
    ) -> list[RemoteIssue]:
        """Issues with the label or the body marker's words; with updated_since, only those
        changed since; plus the issues carrying a marker label of `look_for`, whatever else.

        The window is relative ("-Nm" from now on the local clock, N rounded up plus one), so
        `updated_since` should be a local-clock moment such as when the previous pull started.
        `deep` — and a first listing (updated_since None) that found some of our issues but
        not every one of `look_for` — also scans the whole project for the entity property
        (an issue whose labels and body were both stripped), in id-only pages of 1000.
        """
        self._connect()
        by_label = {markers.marker_label(a): a for a in {*known, *look_for}}
        wanted = [markers.marker_label(a) for a in dict.fromkeys(look_for)]
        first, rest = wanted[:LOOK_FOR_CHUNK], wanted[LOOK_FOR_CHUNK:]
        queries = [payload.listing_jql(self.target, label, updated_since, self._now(), first)]
        queries += [payload.markers_jql(chunk) for chunk in _chunks(rest, LOOK_FOR_CHUNK)]
        raws = [raw for jql in queries for raw in self._search(jql)]
        flavour = self._get_flavour()
        issues = {str(raw.get("id")): payload.remote_issue(raw, flavour, label=label, by_label=by_label)
                  for raw in raws}
        named = {issue.action_id for issue in issues.values()}
        unfound = [a for a in look_for if a not in named]
        if deep or (updated_since is None and unfound and named - {None}):
            # A store's first run that found some of our issues but not all: one of them may
            # have lost its labels and its body marker, keeping only the property.
            for raw in self._property_scan(set(issues)):
                issues[str(raw.get("id"))] = payload.remote_issue(raw, flavour, label=label, by_label=by_label)
        return [issue for issue in issues.values() if issue.action_id or label in issue.labels]

    def _property_scan(self, seen: set[str]) -> list[Mapping[str, Any]]:
        """Every issue of the project with our property: light pages first, then their fields."""
        light = self._search(payload.project_jql(self.target), fields=("key",), page=VERIFY_SLICE)
        marked = [str(raw["id"]) for raw in light
                  if str(raw.get("id")) not in seen and markers.action_id_of_property(
                      (raw.get("properties") or {}).get(markers.PROPERTY_KEY))]
        return [raw for chunk in _chunks(marked, MARKER_CHUNK) for raw in self._search(payload.ids_jql(chunk))]

    def verify(self, refs: Sequence[IssueRef], *, label: str, turn: int | None) -> Verification:
        """Search this turn's slice of the linked ids (all slices when turn is None) by id."""
        ids = sorted({ref.remote_id for ref in refs if ref.remote_id.isdigit()}, key=int)
        slices = [list(chunk) for chunk in _chunks(ids, VERIFY_SLICE)]
        if turn is not None and slices:
            slices = [slices[turn % len(slices)]]
        if slices:
            self._connect()
        gone: set[str] = set()
        read: list[Mapping[str, Any]] = []
        keys: dict[str, str] = {}
        for chunk in slices:
            gone |= self._missing(chunk, read, keys, full=turn is None)
        # A person moved these to another project: new key, same id. The project's listing
        # never shows them, so they are read here in full, on every check that covers them.
        in_read = {str(raw.get("id")) for raw in read}
        moved = [i for i, key in keys.items() if i not in in_read and not key.startswith(f"{self.target}-")]
        if moved:
            read.extend(self._search(payload.ids_jql(moved)))
        flavour = self._get_flavour() if read else None
        found = tuple(payload.remote_issue(raw, flavour, label=label) for raw in read if flavour)
        return Verification(checked=sum(len(chunk) for chunk in slices), gone=frozenset(gone), found=found)

    def _missing(self, ids: Sequence[str], read: list[Mapping[str, Any]], keys: dict[str, str], *,
                 full: bool) -> set[str]:
        """Ids of issues that no longer exist. Jira refuses a search naming a deleted id (400),
        so a refused slice is split in halves; a single refused id is confirmed by GET (404).
        `full` reads the issues that exist in full (into `read`): the explicit check reads few."""
        fields = payload.SEARCH_FIELDS if full else ("key",)
        try:
            found = self._search(payload.ids_jql(ids), fields=fields, page=None if full else VERIFY_SLICE)
        except TrackerError as error:
            if error.status != 400:
                raise
            if len(ids) > 1:
                half = len(ids) // 2
                return (self._missing(ids[:half], read, keys, full=full)
                        | self._missing(ids[half:], read, keys, full=full))
            return {ids[0]} if self._absent(ids[0]) else set()
        if full:
            read.extend(found)
        keys.update({str(raw.get("id")): str(raw.get("key")) for raw in found})
        return set(ids) - {str(raw.get("id")) for raw in found}

    def _absent(self, issue_id: str) -> bool:
        try:
            self._request("GET", f"issue/{issue_id}", params={"fields": "key"},
                          what=f"check that issue {issue_id} exists")
        except TrackerError as error:
            if error.status == 404:
                return True
            raise
        return False

    def find_by_action_ids(self, action_ids: Sequence[str], *, label: str) -> dict[str, RemoteIssue]:
        """Issues by marker label, mapped back by body marker (or the label when a person edited the body).

        `label` is not required in the JQL: the marker label alone identifies an action, so an
        issue someone stripped of the base label is still found instead of duplicated.
        """
        by_label = {markers.marker_label(a): a for a in dict.fromkeys(action_ids)}
        found: dict[str, RemoteIssue] = {}
        if by_label:
            self._connect()
        for chunk in _chunks(list(by_label), MARKER_CHUNK):
            for raw in self._search(payload.markers_jql(chunk)):
                _adopt(payload.remote_issue(raw, self._get_flavour(), by_label=by_label), by_label, found)
        return found

    def create_many(self, items: Sequence[IssueFields]) -> list[Created]:
        """Bulk-create in chunks of 50; per-element errors come back as Created(error=...).

        Raises AmbiguousWriteError when a chunk may have been applied without an answer;
        results of earlier chunks are then only findable by marker (find_by_action_ids).
        """
        if items:
            self._connect()
        if not self._parents_known and any(item.parent or item.is_parent for item in items):
            self._learn_parent_fields()
        results: list[Created] = []
        for chunk in _chunks(list(items), BULK_LIMIT):
            results.extend(self._create_chunk(chunk))
        return results

    def update(self, issue: RemoteIssue, change: Change) -> None:
        """One PUT: fields replaced, labels added/removed (people's labels stay); no re-GET.

        A reworded action (change.action_id not the one the issue names) also gets its
        entity property rewritten (one PUT more); body and labels come with the change.
        """
        body = payload.edit_body(change, self._get_flavour_connected())
        if body:
            self._request("PUT", f"issue/{_segment(issue.remote_id)}", body=body, idempotent=True,
                          what=f"update {issue.key}")
        if change.action_id and issue.action_id and change.action_id != issue.action_id:
            self._request("PUT", f"issue/{_segment(issue.remote_id)}/properties/{markers.PROPERTY_KEY}",
                          body=markers.property_value(change.action_id), idempotent=True,
                          what=f"rename the marker of {issue.key}")

    def close(self, issue: RemoteIssue, *, dropped: bool) -> None:
        """Move to a done status via a transition the workflow offers ("Won't Do" when dropped)."""
        if issue.state == (IssueState.DROPPED if dropped else IssueState.DONE):
            return
        self._connect()
        path = f"issue/{_segment(issue.remote_id)}/transitions"
        offered = self._request("GET", path, params={"expand": "transitions.fields"},
                                what=f"list transitions of {issue.key}")
        transitions = offered.get("transitions") if isinstance(offered, Mapping) else None
        try:
            closing = workflow.choose(transitions or [], dropped=dropped, settings=self._settings)
        except workflow.NoClosingTransition as exc:
            raise TrackerError(f"cannot close {issue.key}: {exc}", tracker=TRACKER, url=self.base_url,
                               hint="Close it by hand, or allow the transition in the project's workflow.") from None
        if dropped and not closing.dropped:
            log.warning("%s: the workflow has no won't-do transition or resolution; closing it as done via %r",
                        issue.key, closing.name)
        body: dict[str, Any] = {"transition": {"id": closing.transition_id}}
        if closing.fields:
            body["fields"] = closing.fields
        self._request("POST", path, body=body, idempotent=False,
                      what=f"close {issue.key} via {closing.name!r}")

    def close_as_duplicate(self, issue: RemoteIssue, *, original: RemoteIssue, label: str) -> None:
        """Labels and body lose the markers, the property goes, then a won't-do close."""
        action_id = issue.action_id
        remove = [label] + ([markers.marker_label(action_id)] if action_id else [])
        note = markers.duplicate_note(original.key, html_comment=False)
        body = markers.without_body_marker(issue.body, note=f"{note} (closed by actiontrack doctor)")
        self.update(issue, Change(body=body, labels_remove=tuple(remove), fields=("body", "labels")))
        try:
            self._request("DELETE", f"issue/{_segment(issue.remote_id)}/properties/{markers.PROPERTY_KEY}",
                          what=f"remove the marker property of {issue.key}")
        except TrackerError as error:
            if error.status != 404:
                raise
        self.close(issue, dropped=True)

    # -- connection ------------------------------------------------------------------------

    def _connect(self) -> None:
        """Build the client and learn the deployment type (one GET /serverInfo per tracker)."""
        if self._flavour is not None:
            return
        if self._jira is None:
            self._jira = self._build_client()
        info = self._request("GET", "serverInfo", what="connect (GET /serverInfo)")
        info = info if isinstance(info, Mapping) else {}
        deployment = info.get("deploymentType")
        self._jira.deploymentType = deployment  # keeps the client's own Cloud checks right
        self._flavour = payload.Flavour(cloud=deployment == "Cloud", server=self._server, settings=self._settings)

    def _build_client(self) -> Any:
        """No request here: server info is fetched by _connect, under the retry policy."""
        auth: dict[str, Any]
        if self._settings.auth == "cloud":
            auth = {"basic_auth": (self._email or "", self._token.reveal())}
        else:
            auth = {"token_auth": self._token.reveal()}
        # logging=True pins the "jira" logger at INFO, so its DEBUG header/body dumps stay off.
        client = JIRA(server=self._server, max_retries=0, timeout=self._timeout,
                      get_server_info=False, logging=True, **auth)
        if self._retry.guard is not None:
            self._retry.guard.harden(client._session)  # total deadlines, fail fast on a bad jira.url
        return client

    def _get_flavour(self) -> payload.Flavour:
        assert self._flavour is not None, "call _connect() first"
        return self._flavour

    def _get_flavour_connected(self) -> payload.Flavour:
        self._connect()
        return self._get_flavour()

    def _now(self) -> dt.datetime:
        """The local clock: a relative JQL window is "minutes before now" on both sides."""
        return dt.datetime.now(dt.UTC)

    # -- requests --------------------------------------------------------------------------

    def _request(
        self,
        method: str,
        path: str,
        *,
        what: str,
        body: Any = None,
        params: Mapping[str, str] | None = None,
        idempotent: bool = True,
        auth_statuses: tuple[int, ...] = (401,),
    ) -> Any:
        """One REST call under the retry policy; the parsed JSON (None for 204)."""
        url = f"{self._rest}/{path}"
        data = None if body is None else json.dumps(body)

        def send() -> requests.Response:
            return self._jira._session.request(method, url, data=data, params=params)  # type: ignore[no-any-return]

        return _json(self._run(send, what=what, idempotent=idempotent, auth_statuses=auth_statuses))

    def _run(
        self, operation: Callable[[], T], *, what: str, idempotent: bool, auth_statuses: tuple[int, ...] = (401,)
    ) -> T:
        """RetryPolicy.run, with permanent failures rebuilt as TrackerError outside any except block.

        Raising outside the handler keeps the client's exception (whose text carries request
        headers) out of __context__, so no traceback can print it.
        """
        try:
            return self._retry.run(operation, what=what, tracker=TRACKER, url=self.base_url,
                                   idempotent=idempotent, classify=classify)
        except (JIRAError, requests.exceptions.RequestException) as exc:
            error = to_tracker_error(exc, what=what, settings=self._settings, url=self.base_url,
                                     auth_statuses=auth_statuses)
        raise error

    # -- search ----------------------------------------------------------------------------

    def _search(self, jql: str, *, fields: Sequence[str] = payload.SEARCH_FIELDS,
                page: int | None = None) -> list[Mapping[str, Any]]:
        """All pages of a JQL search, de-duplicated by issue id, in server order.

        `page` asks for bigger pages, which Jira gives only when `fields` is id/key alone.
        """
        cloud = self._get_flavour().cloud
        pages = self._cloud_pages(jql, fields, page or self.cloud_page_size) if cloud else \
            self._dc_pages(jql, fields)
        seen: dict[str, Mapping[str, Any]] = {}
        for batch in pages:
            for raw in batch:
                seen.setdefault(str(raw.get("id")), raw)
        return list(seen.values())

    def _cloud_pages(self, jql: str, fields: Sequence[str], size: int) -> Iterator[list[Mapping[str, Any]]]:
        """POST /search/jql, following nextPageToken; stop on no token or an empty page (isLast is unreliable)."""
        token: str | None = None
        for number in range(1, self.max_pages + 1):
            body: dict[str, Any] = {"jql": jql, "fields": list(fields), "maxResults": size,
                                    "properties": list(payload.PROPERTIES)}
            if token:
                body["nextPageToken"] = token
            data = self._request("POST", "search/jql", body=body, what=f"search page {number}")
            issues = _issues(data)
            yield issues
            following = data.get("nextPageToken") if isinstance(data, Mapping) else None
            if not issues or not following or following == token:
                return
            token = str(following)
        raise self._too_many_pages(jql)

    def _dc_pages(self, jql: str, fields: Sequence[str]) -> Iterator[list[Mapping[str, Any]]]:
        """POST /search with startAt paging; advance by what came back (the server caps maxResults)."""
        start = 0
        for number in range(1, self.max_pages + 1):
            body = {"jql": jql, "startAt": start, "maxResults": self.dc_page_size,
                    "fields": list(fields), "properties": list(payload.PROPERTIES)}
            data = self._request("POST", "search", body=body, what=f"search page {number}")
            issues = _issues(data)
            yield issues
            start += len(issues)
            total = data.get("total") if isinstance(data, Mapping) else None
            if not issues or (isinstance(total, int) and start >= total):
                return
        raise self._too_many_pages(jql)

    def _too_many_pages(self, jql: str) -> TrackerError:
        return TrackerError(f"search did not end after {self.max_pages} pages: {jql}", tracker=TRACKER,
                            url=self.base_url, hint="Nothing was changed; report this with the JQL above.")

    # -- parents ([sync] group = "parent") ---------------------------------------------------

    def _learn_parent_fields(self) -> None:
        """How an issue names its parent: the settings, else `parent` on Cloud, else (Data
        Center) the Epic Link and Epic Name fields found by schema in one GET /field."""
        flavour = self._get_flavour()
        settings = self._settings
        link, name = settings.parent_field, settings.epic_name_field
        if link is None and flavour.cloud:
            link = "parent"
        if link is None or (name is None and not flavour.cloud and link != "parent"):
            found = self._software_fields()
            link = link or found.get(EPIC_LINK_SCHEMA)
            name = name or found.get(EPIC_NAME_SCHEMA)
        if link is None:
            raise TrackerError("no Epic Link field on this Jira: [sync] group = \"parent\" cannot name a parent",
                               tracker=TRACKER, url=self.base_url,
                               hint="Set jira.parent_field (and jira.epic_name_field), or use "
                                    "[sync] group = \"tracking-issue\".")
        self._flavour = replace(flavour, parent_field=link, epic_name_field=name)
        self._parents_known = True

    def _software_fields(self) -> dict[str, str]:
        """Jira Software's custom field schema → field id (GET /field, once)."""
        fields = self._request("GET", "field", what="list fields (GET /field)")
        found: dict[str, str] = {}
        for entry in fields if isinstance(fields, list) else []:
            custom = (entry.get("schema") or {}).get("custom") if isinstance(entry, Mapping) else None
            if custom in (EPIC_LINK_SCHEMA, EPIC_NAME_SCHEMA):
                found.setdefault(str(custom), str(entry["id"]))
        return found

    # -- bulk create -----------------------------------------------------------------------

    def _create_chunk(self, chunk: Sequence[IssueFields]) -> list[Created]:
        flavour = self._get_flavour()
        body = json.dumps({"issueUpdates": [payload.create_element(item, flavour) for item in chunk]})
        url = f"{self._rest}/issue/bulk"

        def send() -> requests.Response:
            try:
                return self._jira._session.post(url, data=body)  # type: ignore[no-any-return]
            except JIRAError as exc:
                if exc.status_code == 400 and exc.response is not None:
                    return exc.response  # every element failed: same per-element shape
                raise

        what = f"create {len(chunk)} issues (POST /issue/bulk)"
        answer = _json(self._run(send, what=what, idempotent=False))
        return self._bulk_results(chunk, answer, flavour, what)

    def _bulk_results(
        self, chunk: Sequence[IssueFields], answer: Any, flavour: payload.Flavour, what: str
    ) -> list[Created]:
        """Align the answer with the request: `issues` lists the successes in request order."""
        answer = answer if isinstance(answer, Mapping) else {}
        errors = answer.get("errors")
        if not isinstance(errors, list):  # a plain error collection: the whole chunk was refused
            message = payload.error_text(answer) or "rejected without explanation"
            refused = payload.refused_fields(answer, parent_field=flavour.parent_field)
            return [Created(item.action_id, error=message, refused=refused) for item in chunk]
        failed = {int(e.get("failedElementNumber", -1)): e for e in errors if isinstance(e, Mapping)}
        created = list(answer.get("issues") or [])
        if len(created) + len(failed) != len(chunk) or not set(failed) <= set(range(len(chunk))):
            raise AmbiguousWriteError(
                f"{what}: {len(created)} created and {len(failed)} failed do not add up to {len(chunk)}; "
                "some may exist", tracker=TRACKER, url=self.base_url)
        made = iter(created)
        return [
            _failed(item, failed[index], flavour) if index in failed
            else Created(item.action_id, issue=payload.as_created(item, next(made), flavour))
            for index, item in enumerate(chunk)
        ]


# -- helpers ---------------------------------------------------------------------------------


def _adopt(issue: RemoteIssue, by_label: Mapping[str, str], found: dict[str, RemoteIssue]) -> None:
    """Map an issue to its action; of duplicates (a retried create), keep the oldest."""
    action_id = issue.action_id
    if action_id is None or markers.marker_label(action_id) not in by_label:
        action_id = next((by_label[lb] for lb in issue.labels if lb in by_label), None)
        if action_id is None:
            return
        issue = _with_action(issue, action_id)
    other = found.get(action_id)
    if other is not None:
        log.warning("action %s has more than one Jira issue: %s and %s; using the older",
                    action_id, other.key, issue.key)
        if _numeric(other.remote_id) <= _numeric(issue.remote_id):
            return
    found[action_id] = issue


def _json(response: requests.Response) -> Any:
    """The body as JSON; None for an empty answer (204)."""
    if response.status_code == 204 or not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        raise TrackerError(f"answer to {response.request.method} was not JSON (HTTP {response.status_code})",
                           tracker=TRACKER, url=strip_credentials(str(response.url).split("?")[0])) from None


def _issues(data: Any) -> list[Mapping[str, Any]]:
    issues = data.get("issues") if isinstance(data, Mapping) else None
    return [i for i in issues if isinstance(i, Mapping)] if isinstance(issues, list) else []


def _failed(item: IssueFields, error: Mapping[str, Any], flavour: payload.Flavour) -> Created:
    """One refused element of a bulk create, with the optional fields it was refused for."""
    collection = error.get("elementErrors")
    text = payload.error_text(collection) or f"rejected (HTTP {error.get('status', 400)})"
    return Created(item.action_id, error=text,
                   refused=payload.refused_fields(collection, parent_field=flavour.parent_field))


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _segment(value: str) -> str:
    return quote(value, safe="")


def _numeric(remote_id: str) -> int:
    return int(remote_id) if remote_id.isdigit() else 0


def _with_action(issue: RemoteIssue, action_id: str) -> RemoteIssue:
    return replace(issue, action_id=action_id)

