"""GitHub Issues (github.com and Enterprise Server) behind the Tracker interface, via PyGithub.

Requests go through PyGithub's Requester (auth, timeouts, write spacing, typed
exceptions) with exact payloads: PyGithub's `Issue.edit(milestone=None)` sends "" instead
of null, its paginated lists cannot retry one page, and lazy objects may fetch on
attribute access. Every request runs under the project's RetryPolicy; PyGithub's own
retry is off because it repeats POSTs and can duplicate issues.

Cost model (what the sync engine can rely on):
* list_issues / find_by_action_ids: ceil(n / 100) GETs, PRs skipped; find stops early.
  GitHub cannot filter by a body marker, so the check before a create (`look_for`) reads
  every labelled issue instead of those changed since the watermark. A first listing
  (updated_since None) that leaves some of `look_for` unfound also reads the issues our
  account created (`creator=`, one GET /user more): that finds an issue whose label a
  person removed.
* verify: one labelled page per turn (sorted by creation, the turn picks the page) and
  one single-item page for its lower bound; a linked issue missing from the page's range
  is read once (GET: 410/404 = deleted).
* create_many: one POST per item, plus once per tracker instance one label list and one
  milestone list, and one POST per label / due-date milestone that does not exist yet.
* update / close: at most one PATCH (none when nothing changes).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Collection, Iterator, Sequence
from typing import Any

import requests
from github import Auth, Github
from github.GithubException import GithubException
from requests.utils import parse_header_links

from actiontrack.errors import (
    AmbiguousWriteError,
    AuthenticationError,
    ConfigError,
    RateLimitedError,
    TrackerError,
)
from actiontrack.trackers import github_kind, markers
from actiontrack.trackers import github_map as gm
from actiontrack.trackers.base import (
    Change,
    Created,
    IssueContent,
    IssueFields,
    IssueRef,
    OptionalField,
    RemoteIssue,
    Rendered,
    TrackingContent,
    Verification,
    refusal,
)
from actiontrack.trackers.github_failures import classify, translate
from actiontrack.trackers.github_guard import WriteBudget, redact_in_logs
from actiontrack.trackers.github_kind import GitHubSettings
from actiontrack.trackers.http import Guard
from actiontrack.trackers.retry import RetryPolicy
from actiontrack.urls import strip_credentials

PER_PAGE = 100
MAX_SUSPECTS = 5  # issues read one by one per turned verification; the rest wait a turn
READ_INTERVAL = 0.05  # seconds between any two requests; GitHub asks for serial, not slow, reads
LABEL_COLORS = {"priority:": "d93f0b", "phase:": "1d76db", "category:": "5319e7"}
DEFAULT_LABEL_COLOR = "ededed"

Json = dict[str, Any]


class AmbiguousCreateError(AmbiguousWriteError):
    """An issue POST got no answer: it may exist. Carries the results of the items before it.

    The engine looks for `action_id`'s marker (find_by_action_ids) before creating it again,
    and records `created`, which did succeed, so they are not looked up or created twice.
    """

    def __init__(self, cause: AmbiguousWriteError, *, action_id: str, created: list[Created]) -> None:
        super().__init__(f"creating the issue for {action_id}: no answer after sending; it may "
                         f"have been created ({cause.message})",
                         tracker=cause.tracker, url=cause.url, status=cause.status, hint=cause.hint)
        self.action_id = action_id
        self.created = created


class GitHubTracker:
    """Issues of one repository; see the module docstring for the request cost of each method.

    `write_interval` spaces content-creating requests (GitHub asks for >= 1 s; 80/min);
    `writes_per_hour` stops a run before GitHub's 500/h. A zero interval declares a server
    without secondary limits (GHES by default) and turns the hourly cap off as well.
    """

    name = github_kind.KIND.name
    groups_by_parent = False  # [sync] group = "parent" gets the tracking issue here
    listing_is_consistent = True  # the issues list shows a create at once: no search lag to wait
    create_batch_size = 1  # one POST per issue: the engine's progress and a stop follow each request

    def __init__(self, settings: GitHubSettings, *, token: str, retry: RetryPolicy | None = None,
                 timeout: float = 30.0, write_interval: float = 1.0,
                 writes_per_hour: int | None = 500) -> None:
        if not settings.repo:
            raise ConfigError("set the repository as owner/name", key="github.repo")
        self.target: str = settings.repo
        self.base_url: str = strip_credentials(settings.base_url.rstrip("/"))  # token: env only
        self._settings = settings
        self._retry = retry or RetryPolicy()
        # write_interval=0 means a server without secondary limits (GHES default): no hourly cap.
        self._budget = WriteBudget(writes_per_hour if write_interval > 0 else None)
        redact_in_logs(token)
        self._gh = Github(
            base_url=self.base_url, auth=Auth.Token(token), per_page=PER_PAGE, retry=None,
            timeout=max(1, math.ceil(timeout)),  # PyGithub asserts an int number of seconds
            lazy=True, seconds_between_writes=write_interval or None,
            seconds_between_requests=min(write_interval, READ_INTERVAL) or None,
        )
        if self._retry.guard is not None:  # total deadlines, fail fast on a bad github.base_url
            _harden_requester(self._gh, self._retry.guard)
        self._repo_path = f"/repos/{settings.repo}"
        self._labels: set[str] | None = None  # lower-case names, listed once per instance
        self._login: str | None = None
        self._milestones: dict[str, int] | None = None  # title -> number, listed once

    # -- Tracker interface -----------------------------------------------------------------

    def render(self, content: IssueContent) -> Rendered:
        return github_kind.render(content, self._settings)

    def render_tracking(self, content: TrackingContent) -> Rendered:
        return github_kind.render_tracking(content)

    def is_managed_label(self, label: str, base_label: str) -> bool:
        return github_kind.is_managed_label(label, base_label)

    def check_auth(self) -> str:
        """GET /user: the login the token belongs to."""
        try:
            _, data = self._request("GET", "/user", what="checking the GitHub token")
        except (AuthenticationError, RateLimitedError):
            raise
        except TrackerError as exc:
            if exc.status != 403:
                raise
            raise AuthenticationError(exc.message, tracker=self.name, url=self.base_url, status=403,
                                      hint=f"Check the token in {self._settings.token_env}.") from exc
        return str(data["login"])

    def list_issues(
        self,
        *,
        label: str,
        updated_since: dt.datetime | None,
        look_for: Sequence[str] = (),
        known: Collection[str] = (),
        deep: bool = False,
    ) -> list[RemoteIssue]:
        """One page per 100 issues carrying `label` and updated since then; PRs skipped.

        With `look_for`, every labelled issue (see the module docstring); without a
        watermark, also our account's issues; `deep`, every issue of the repository.
        Issues that carry neither the label nor a body marker are left out.
        """
        since = None if look_for else updated_since
        found = {issue.key: issue for issue in self._iter_issues(label, since)}
        named = {issue.action_id for issue in found.values()}
        unfound = [a for a in look_for if a not in named]
        if deep or (unfound and updated_since is None):
            # Labels are people's to remove; the creator is not. A store's first run looks
            # among our account's issues for the actions the label did not find.
            creator = None if deep else self._who()
            for issue in self._iter_issues(None, None, label_of=label, creator=creator):
                if issue.action_id:
                    found.setdefault(issue.key, issue)
        return list(found.values())

    def _who(self) -> str:
        if self._login is None:
            _, data = self._request("GET", "/user", what="reading who the token belongs to")
            self._login = str(data["login"])
        return self._login

    def verify(self, refs: Sequence[IssueRef], *, label: str, turn: int | None) -> Verification:
        """Turned: one page of the labelled listing (sorted by creation, so by number) and,
        past the first page, the last issue of the page before it (a one-item page): the
        page then covers the numbers after that one up to its own last, and consecutive
        pages cover every number. A linked number in range but not listed is read (at most
        MAX_SUSPECTS a turn). Unturned (turn None): read every ref."""
        numbers = sorted(int(ref.remote_id) for ref in refs if ref.remote_id.isdigit())
        if not numbers:
            return Verification(checked=0)
        if turn is None:
            return self._read_each([str(n) for n in numbers], label)
        pages = math.ceil(len(numbers) / PER_PAGE)
        page = turn % pages + 1
        headers, listed = self._labelled_page(label, page, PER_PAGE)
        low = 0
        if page > 1:
            _, before = self._labelled_page(label, (page - 1) * PER_PAGE, 1)
            if not before or not listed:
                return Verification(checked=0)  # fewer labelled issues than links: next turn
            low = before[0]
        last = page == pages or _next_link(headers.get("link")) is None or not listed
        high = math.inf if last else listed[-1]
        covered = [n for n in numbers if low < n <= high]
        on_page = set(listed)
        suspects = [str(n) for n in covered if n not in on_page][:MAX_SUSPECTS]
        result = self._read_each(suspects, label)
        return Verification(checked=len(covered), gone=result.gone, found=result.found)

    def _labelled_page(self, label: str, page: int, size: int) -> tuple[Json, list[int]]:
        params: Json = {"state": "all", "labels": label, "sort": "created", "direction": "asc",
                        "per_page": size, "page": page}
        headers, data = self._request("GET", f"{self._repo_path}/issues", params=params,
                                      what="checking that linked issues exist")
        return headers, sorted(int(raw["number"]) for raw in data or [])  # a PR's number bounds too

    def _read_each(self, numbers: Sequence[str], label: str) -> Verification:
        gone: set[str] = set()
        found: list[RemoteIssue] = []
        for number in numbers:
            try:
                _, data = self._request("GET", f"{self._repo_path}/issues/{number}",
                                        what=f"checking that issue #{number} exists")
            except TrackerError as error:
                if error.status not in (404, 410):
                    raise
                gone.add(number)
                continue
            found.append(gm.as_addressed(gm.to_remote(data, due_from=self._settings.due, label=label), number))
        return Verification(checked=len(numbers), gone=frozenset(gone), found=tuple(found))

    def find_by_action_ids(self, action_ids: Sequence[str], *, label: str) -> dict[str, RemoteIssue]:
        """Scan the labelled issues (a consistent list, unlike search) for the markers.

        The oldest issue wins when two carry the same marker; the scan stops once all are found.
        """
        wanted = set(action_ids)
        found: dict[str, RemoteIssue] = {}
        if not wanted:
            return found
        for issue in self._iter_issues(label, None):
            if issue.action_id in wanted and issue.action_id not in found:
                found[issue.action_id] = issue
                if len(found) == len(wanted):
                    break
        return found

    def create_many(self, items: Sequence[IssueFields]) -> list[Created]:
        """Serial creates; a refused item gets its error, an unanswered POST stops the batch."""
        results: list[Created] = []
        for item in items:
            try:
                results.append(Created(item.action_id, issue=self._create_one(item)))
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

    def update(self, issue: RemoteIssue, change: Change) -> None:
        """One PATCH with only the changed fields; a repeated PATCH is harmless, so it is retried.

        PATCH replaces the label set (and a due line lives inside the body), so merging needs
        the issue as GitHub has it. An issue the engine rebuilt from its store has no
        `updated` and may lack labels people added: it is read once (one GET) first.
        """
        if issue.updated is None and self._needs_current(change):
            issue = self._get_issue(issue)
        payload = {**self._text_changes(issue, change), **self._label_changes(issue, change),
                   **self._assignee_changes(change), **self._milestone_changes(change)}
        if not payload:
            return
        try:
            self._patch_issue(issue, payload, what=f"updating issue #{issue.key}")
            return
        except TrackerError as exc:
            error = refusal(exc, _refused(exc))
        raise error  # outside the handler: the client's exception stays out of __context__

    def _needs_current(self, change: Change) -> bool:
        due_in_body = self._settings.due == "body" and change.body is None and (
            change.due is not None or change.clear_due)
        return bool(change.labels_add or change.labels_remove or change.priority or due_in_body)

    def _get_issue(self, issue: RemoteIssue) -> RemoteIssue:
        _, data = self._request("GET", f"{self._repo_path}/issues/{issue.remote_id}",
                                what=f"reading issue #{issue.key}")
        return gm.as_addressed(gm.to_remote(data, due_from=self._settings.due), issue.remote_id)

    def close(self, issue: RemoteIssue, *, dropped: bool) -> None:
        """Closed as not planned reads back as dropped; as completed, as done."""
        reason = "not_planned" if dropped else "completed"
        self._patch_issue(issue, {"state": "closed", "state_reason": reason},
                          what=f"closing issue #{issue.key}")

    def close_as_duplicate(self, issue: RemoteIssue, *, original: RemoteIssue, label: str) -> None:
        """One PATCH: closed as duplicate, without the base label and the hidden marker."""
        note = markers.duplicate_note(f"#{original.key}", html_comment=True)
        body = f"Duplicate of #{original.key}.\n\n" + markers.without_body_marker(issue.body, note=note)
        labels = [name for name in issue.labels if name.lower() != label.lower()]
        self._patch_issue(issue, {"state": "closed", "state_reason": "duplicate", "body": body,
                                  "labels": labels}, what=f"closing issue #{issue.key} as a duplicate")

    # -- reading ---------------------------------------------------------------------------

    def _iter_issues(self, label: str | None, updated_since: dt.datetime | None, *,
                     label_of: str | None = None, creator: str | None = None) -> Iterator[RemoteIssue]:
        """Sorted by creation, ascending: an edit during the walk cannot shift an unread page.

        `label` filters; `label_of` only names the base label for the missing-marker check.
        """
        params: Json = {"state": "all", "sort": "created", "direction": "asc"}
        if label is not None:
            params["labels"] = label
        if creator is not None:
            params["creator"] = creator
        if updated_since is not None:
            params["since"] = gm.since_param(updated_since)
        seen: set[int] = set()
        for raw in self._pages(f"{self._repo_path}/issues", params, what="listing issues"):
            if gm.is_pull_request(raw) or raw["number"] in seen:
                continue
            seen.add(raw["number"])
            yield gm.to_remote(raw, due_from=self._settings.due, label=label or label_of)

    def _pages(self, path: str, params: Json, *, what: str) -> Iterator[Json]:
        """Follow the Link header's rel="next"; each page is retried on its own."""
        url: str | None = path
        query: Json | None = {**params, "per_page": PER_PAGE}
        while url:
            headers, data = self._request("GET", url, what=what, params=query)
            yield from data or []
            url, query = _next_link(headers.get("link")), None

    # -- creating --------------------------------------------------------------------------

    def _create_one(self, item: IssueFields) -> RemoteIssue:
        labels = _labels_for(item)
        self._ensure_labels(labels)
        payload: Json = {"title": gm.truncate_title(item.title), "body": self._body_for(item),
                         "labels": labels}
        if item.assignee:
            payload["assignees"] = [item.assignee]
        if item.due and self._settings.due == "milestone":
            payload["milestone"] = self._milestone_for(item.due)
        _, data = self._request("POST", f"{self._repo_path}/issues", payload=payload,
                                what=f"creating the issue for {item.action_id}", idempotent=False)
        return gm.to_remote(data, due_from=self._settings.due)

    def _body_for(self, item: IssueFields) -> str:
        body = gm.ensure_marker(item.body, item.action_id)
        if self._settings.due == "body" and item.due and gm.due_in_body(body) != item.due:
            body = gm.with_due_line(body, item.due)
        return body

    def _ensure_labels(self, names: Sequence[str]) -> None:
        """Create missing labels; 'already_exists' (a race, or our own retried POST) is success."""
        known = self._known_labels()
        for name in names:
            if name.lower() in known:
                continue
            try:
                self._request("POST", f"{self._repo_path}/labels", what=f"creating label {name!r}",
                              payload={"name": name, "color": _label_color(name)})
            except TrackerError as exc:
                if not _already_exists(exc):
                    raise
            known.add(name.lower())

    def _known_labels(self) -> set[str]:
        if self._labels is None:
            pages = self._pages(f"{self._repo_path}/labels", {}, what="listing labels")
            self._labels = {str(raw["name"]).lower() for raw in pages}
        return self._labels

    def _milestone_for(self, due: dt.date) -> int:
        """The number of the 'due-YYYY-MM-DD' milestone, created on first use."""
        title = gm.milestone_title(due)
        numbers = self._known_milestones()
        if title in numbers:
            return numbers[title]
        payload = {"title": title, "due_on": gm.milestone_due_on(due),
                   "description": "Due date of actiontrack action items."}
        try:
            _, data = self._request("POST", f"{self._repo_path}/milestones", payload=payload,
                                    what=f"creating milestone {title!r}")
            numbers[title] = int(data["number"])
        except TrackerError as exc:
            if exc.status != 422:
                raise
            self._milestones = None  # someone (or our retried POST) made it: look again
            numbers = self._known_milestones()
            if title not in numbers:
                raise
        return numbers[title]

    def _known_milestones(self) -> dict[str, int]:
        if self._milestones is None:
            pages = self._pages(f"{self._repo_path}/milestones", {"state": "all"},
                                what="listing milestones")
            self._milestones = {str(raw["title"]): int(raw["number"]) for raw in pages}
        return self._milestones

    # -- changing --------------------------------------------------------------------------

    def _text_changes(self, issue: RemoteIssue, change: Change) -> Json:
        out: Json = {}
        if change.title is not None:
            out["title"] = gm.truncate_title(change.title)
        body = change.body
        due_changed = change.due is not None or change.clear_due
        if body is None and due_changed and self._settings.due == "body":
            body = gm.with_due_line(issue.body, None if change.clear_due else change.due)
        action_id = change.action_id or issue.action_id
        if body is None and change.restore_markers and action_id:
            body = issue.body  # a person's rewording stays; only the hidden marker comes back
        if body is not None:
            marked = gm.ensure_marker(body, action_id) if action_id else body
            if marked != issue.body or change.body is not None:
                out["body"] = marked
        return out

    def _label_changes(self, issue: RemoteIssue, change: Change) -> Json:
        """The full set GitHub should hold: current − removed ∪ added (people's labels kept)."""
        if not (change.labels_add or change.labels_remove or change.priority):
            return {}
        merged = gm.merge_labels(issue.labels, change.labels_add, change.labels_remove,
                                 change.priority)
        if gm.same_labels(merged, issue.labels):
            return {}
        current = {name.lower() for name in issue.labels}
        self._ensure_labels([name for name in merged if name.lower() not in current])
        return {"labels": merged}

    def _assignee_changes(self, change: Change) -> Json:
        if change.assignee:
            return {"assignees": [change.assignee]}
        return {"assignees": []} if change.clear_assignee else {}

    def _milestone_changes(self, change: Change) -> Json:
        if self._settings.due != "milestone":
            return {}
        if change.due is not None:
            return {"milestone": self._milestone_for(change.due)}
        return {"milestone": None} if change.clear_due else {}

    def _patch_issue(self, issue: RemoteIssue, payload: Json, *, what: str) -> None:
        self._request("PATCH", f"{self._repo_path}/issues/{issue.remote_id}", payload=payload,
                      what=what)

    # -- one request -----------------------------------------------------------------------

    def _request(self, verb: str, path: str, *, what: str, params: Json | None = None,
                 payload: Json | None = None, idempotent: bool = True) -> tuple[Json, Any]:
        """One request under RetryPolicy; permanent failures become TrackerError subclasses."""
        url = path if path.startswith("http") else self.base_url + path
        write = verb != "GET"

        def call() -> tuple[Json, Any]:
            if write:
                self._budget.spend(what=what, url=url)
            return self._gh.requester.requestJsonAndCheck(verb, path, parameters=params, input=payload)

        judge = functools.partial(classify, write=write, max_wait=self._retry.budget_seconds)
        try:
            return self._retry.run(call, what=what, tracker=self.name, url=url,
                                   idempotent=idempotent, classify=judge)
        except (GithubException, requests.RequestException) as exc:
            raise translate(exc, what=what, url=url, token_env=self._settings.token_env,
                            repo=self.target) from exc


def _harden_requester(gh: Github, guard: Guard) -> None:
    """PyGithub makes its requests session inside a per-Requester connection class."""
    requester = gh.requester
    attribute = "_Requester__connectionClass"
    original = getattr(requester, attribute, None)
    if original is None:  # pragma: no cover - a PyGithub release that moved it
        raise RuntimeError("PyGithub's Requester has no connection class to harden")
    setattr(requester, attribute, guard.harden_connection_class(original))


def _next_link(header: str | None) -> str | None:
    for link in parse_header_links(header or ""):
        if link.get("rel") == "next":
            return link.get("url")
    return None


def _labels_for(item: IssueFields) -> list[str]:
    """The item's labels plus its priority label, once each (GitHub compares case-insensitively)."""
    return gm.merge_labels(list(dict.fromkeys(item.labels)), [], [], item.priority)


def _label_color(name: str) -> str:
    lowered = name.lower()
    return next((color for prefix, color in LABEL_COLORS.items() if lowered.startswith(prefix)),
                DEFAULT_LABEL_COLOR)


def _refused(exc: TrackerError) -> frozenset[OptionalField]:
    """The optional fields a refused create named (from GitHub's 422 body, kept as the cause)."""
    cause = exc.__cause__
    if exc.status != 422 or not isinstance(cause, GithubException):
        return frozenset()
    return gm.refused_fields(cause.data)


def _already_exists(exc: TrackerError) -> bool:
    return exc.status == 422 and "already_exists" in exc.message
