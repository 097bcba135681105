"""What the identity, doctor and randomized tests share: postmortems to write, people's edits
in the emulator, and the checks that every action has exactly one issue."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from actiontrack.trackers import markers


def write_pm(folder: Path, pm_id: str, lines: list[str], *, name: str | None = None,
             extra: str = "") -> Path:
    """A Markdown postmortem with `lines` as its action items (front matter id quoted)."""
    path = folder / (name or f"{abs(hash(pm_id)) % 10**8:08d}.md")
    escaped = pm_id.replace("\\", "\\\\").replace('"', '\\"')
    items = "\n".join(f"- [ ] {line}" for line in lines)
    path.write_text(f'---\nid: "{escaped}"\ntitle: Outage {len(lines)}\ndate: 2024-05-01\n{extra}---\n'
                    f"# Outage\n## Action items\n{items}\n", encoding="utf-8")
    return path


def actions(n: int, word: str = "queue") -> list[str]:
    return [f"Alert when {word} {i} depth exceeds {i + 1}0k for 5 minutes — owner: ikki, due: 2024-06-{i % 28 + 1:02d}"
            f" #post-release #detection" for i in range(n)]


def body_of(env: Any, issue: dict[str, Any]) -> str:
    return str(issue["description"] if env.tracker == "jira" else issue["body"]) or ""


def ident(env: Any, issue: dict[str, Any]) -> Any:
    return issue["key"] if env.tracker == "jira" else issue["number"]


def marked(env: Any) -> dict[str, list[dict[str, Any]]]:
    """Issues by the action their markers name (property, body, then label), closed
    duplicates (markers stripped by the doctor) left out."""
    out: dict[str, list[dict[str, Any]]] = {}
    for issue in env.issues():
        prop = markers.action_id_of_property((issue.get("properties") or {}).get(markers.PROPERTY_KEY))
        action = prop or markers.action_id_in(body_of(env, issue))
        if action:
            out.setdefault(action, []).append(issue)
    return out


def live(env: Any) -> list[dict[str, Any]]:
    """Issues not closed as duplicates."""
    if env.tracker == "github":
        return [i for i in env.issues() if i["state_reason"] != "duplicate"]
    return [i for i in env.issues() if markers.DUPLICATE_PREFIX not in body_of(env, i)]


def assert_one_issue_each(env: Any, action_ids: set[str]) -> None:
    """Exactly one live issue per action, each naming it, and every link pointing at it."""
    by_action = Counter()
    for issue in live(env):
        prop = markers.action_id_of_property((issue.get("properties") or {}).get(markers.PROPERTY_KEY))
        named = prop or markers.action_id_in(body_of(env, issue))
        by_action[named] += 1
    assert {a: n for a, n in by_action.items() if n != 1} == {}, by_action
    assert set(by_action) == action_ids, (set(by_action) ^ action_ids)
    with env.store() as store:
        links = store.links()
    keys = {str(ident(env, i)) for i in live(env)}
    assert {a for a, link in links.items() if link.key} == action_ids
    assert all(link.key in keys for link in links.values()), "a link points at a deleted or duplicate issue"


def strip_labels(env: Any, issue: dict[str, Any]) -> None:
    if env.tracker == "jira":
        env.sb.jira.set_fields(issue["key"], labels=[])
    elif env.tracker == "gitlab":
        env.sb.gitlab.edit_issue(issue["iid"], labels=[])
    else:
        env.sb.github.edit_issue(issue["number"], labels=[])


def rewrite_body(env: Any, issue: dict[str, Any], text: str = "Rewritten by a person.") -> None:
    if env.tracker == "jira":
        env.sb.jira.set_fields(issue["key"], description=text)
    elif env.tracker == "gitlab":
        env.sb.gitlab.edit_issue(issue["iid"], description=text)
    else:
        env.sb.github.edit_issue(issue["number"], body=text)


def delete(env: Any, issue: dict[str, Any]) -> None:
    if env.tracker == "jira":
        env.sb.jira.delete(issue["key"])
    elif env.tracker == "gitlab":
        env.sb.gitlab.delete_issue(issue["iid"])
    else:
        env.sb.github.delete_issue(issue["number"])


def edit_title(env: Any, issue: dict[str, Any]) -> None:
    """A person's edit of a field the file owns (Jira's is the due date, set separately)."""
    if env.tracker == "gitlab":
        env.sb.gitlab.edit_issue(issue["iid"], title=issue["title"] + " (edited)")
    else:
        env.sb.github.edit_issue(issue["number"], title=issue["title"] + " (edited)")


def drop_store(env: Any) -> None:
    path = Path(env.store_url.removeprefix("sqlite:///"))
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)


def twice(env: Any, **options: Any) -> Any:
    """Sync, then sync again: the second run must write nothing (STYLE.md)."""
    first = env.sync(**options).results
    writes = env.writes()
    env.sb.advance_time(5)
    again = env.sync(**{k: v for k, v in options.items() if k not in ("resolve", "close_orphans")}).results
    assert env.writes() == writes, [(r.method, r.path) for r in env.sb.requests(tracker=env.tracker)][-10:]
    assert all(r.counts["create"] == r.counts["update"] == r.counts["adopt"] == 0 for r in again), \
        [r.counts for r in again]
    return first
