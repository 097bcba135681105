"""Commands that use the store and the trackers: sync, doctor, status, demo.

Heavy modules (pydantic config, sqlmodel, the trackers' clients) are imported inside
each command, so registering these commands costs the offline ones nothing.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from actiontrack.cli.options import ConfigOption
from actiontrack.errors import UsageError
from actiontrack.sources import PREFIX as PAGE_PREFIX
from actiontrack.trackers.registry import NAMES

if TYPE_CHECKING:
    from actiontrack.config import Config
    from actiontrack.sync import SyncReport, SyncResult


class Format(StrEnum):
    text = "text"
    json = "json"




if TYPE_CHECKING:
    TrackerName = str
else:  # a choice per registered tracker, so --help and completion list them
    TrackerName = StrEnum("TrackerName", {name: name for name in NAMES})


class Resolution(StrEnum):
    file = "file"
    tracker = "tracker"


def register(app: typer.Typer) -> None:
    from actiontrack.cli import handles_errors

    app.command()(handles_errors(sync))
    app.command()(handles_errors(doctor))
    app.command()(handles_errors(status))
    app.command()(handles_errors(demo))


def _config(ctx: typer.Context, given: Path | None = None) -> Config:
    from actiontrack.cli import config_path
    from actiontrack.config import load_config

    return load_config(config_path(ctx, given))


def sync(
    ctx: typer.Context,
    paths: Annotated[list[str] | None, typer.Argument(
        help="Postmortem files or folders, confluence:, confluence:PAGE-ID or a page URL [default: .].")] = None,
    tracker: Annotated[
        TrackerName | None, typer.Option(help="Send postmortems that name no tracker of their own here.")
    ] = None,
    force_tracker: Annotated[
        bool, typer.Option("--force-tracker", help="With --tracker: also send postmortems that name another tracker.")
    ] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the plan; change nothing anywhere.")] = False,
    write_back: Annotated[
        bool, typer.Option("--write-back", help="Add issue keys to the files and tick done actions.")
    ] = False,
    close_orphans: Annotated[
        bool, typer.Option("--close-orphans", help="Close issues whose action was deleted from its file.")
    ] = False,
    resolve: Annotated[
        Resolution | None, typer.Option(help="Settle conflicts: 'file' pushes the file, 'tracker' keeps theirs.")
    ] = None,
    full: Annotated[bool, typer.Option("--full", help="Re-read every issue, not only those changed.")] = False,
    wait: Annotated[float, typer.Option(help="Seconds to wait for another running sync.")] = 0.0,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List what happens to each action.")] = False,
    output_format: Annotated[Format, typer.Option("--format", "-f")] = Format.text,
    config_file: ConfigOption = None,
) -> None:
    """Create and update a tracker issue for every action; pull their status back."""
    from actiontrack.cli import _pages, _paths, _state
    from actiontrack.sync import SyncOptions, sync_paths

    config = _config(ctx, config_file)
    options = SyncOptions(dry_run=dry_run, close_orphans=close_orphans,
                          resolve=resolve.value if resolve else None, full=full, lock_wait=wait)
    text = output_format is Format.text
    listing = verbose or _state(ctx).verbose > 0
    from actiontrack.cli.progress import SyncProgress

    progress = SyncProgress(terminal=sys.stderr.isatty(), echo=lambda line: typer.echo(line, err=True))
    with progress:
        report = sync_paths(
            _paths(paths), config, tracker=str(tracker) if tracker else None, force_tracker=force_tracker,
            options=options, progress=progress if text else None,
            on_plan=(lambda result: _print_plan(result, listing=listing)) if text else None,
            pages=_pages(paths),
        )
    if (report.lint is None or not report.lint.files) and not report.results:
        typer.echo(f"warning: no postmortems found in {', '.join(paths or ['.'])}: nothing to sync", err=True)
        raise typer.Exit(2)
    written = _write_back(report, config) if write_back and not dry_run else True
    if text:
        _print_report(report, dry_run=dry_run, listing=listing)
    else:
        import json

        typer.echo(json.dumps(_report_json(report), ensure_ascii=False, indent=2))
    if any(result.errors for result in report.results) or not written:
        raise typer.Exit(1)


def _plan_line(result: SyncResult) -> str:
    counts = ", ".join(f"{name} {count}" for name, count in result.counts.items()
                       if count or name in ("create", "update", "unchanged"))
    return f"{result.tracker} {result.target}: {counts}"


def _display(tracker: str) -> Callable[[str], str]:
    """How people write a key on `tracker` ('OPS-12', '#12')."""
    from actiontrack.trackers.registry import display_key

    return lambda key: display_key(tracker, key) or key


def _actions(result: SyncResult) -> list[dict[str, object]]:
    from actiontrack.sync import plan as P

    return P.listing(result.plan, result.rekeys, display=_display(result.tracker))


def _print_plan(result: SyncResult, *, listing: bool = False) -> None:
    typer.echo(f"plan  {_plan_line(result)}")
    if listing:
        _print_listing(result)


def _print_listing(result: SyncResult) -> None:
    for row in _actions(result):
        fields = f" {', '.join(str(f) for f in row['fields'])}" if row["fields"] else ""  # type: ignore[attr-defined]
        key = f" {row['key']}" if row["key"] else ""
        note = f"  ({row['note']})" if row["note"] else ""
        typer.echo(f"  {row['change']:<16} {row['action']}{key}{fields}{note}")


def _print_report(report: SyncReport, *, dry_run: bool, listing: bool = False) -> None:
    for path in report.skipped_files:
        typer.echo(f"skipped {path}: it could not be read (run `actiontrack lint {path}`)", err=True)
    for warning in report.warnings:
        typer.echo(f"warning: {warning}", err=True)
    for result in report.results:
        if dry_run:
            typer.echo(f"plan  {_plan_line(result)}  (dry run: nothing changed)")
            if listing:
                _print_listing(result)
        for gone in result.plan.vanished_files:
            what = "its page was deleted" if gone.startswith(PAGE_PREFIX) else "the postmortem file is gone"
            typer.echo(f"gone  {gone}: {what}; its actions are orphaned")
        for op in result.plan.ops:
            _print_op(op, result.tracker, _display(result.tracker))
        for action_id, reason in sorted(result.plan.skipped.items()):
            typer.echo(f"skipped {action_id}: {reason}", err=True)
        for warning in result.warnings:
            typer.echo(f"warning: {warning}", err=True)
        for error in result.errors:
            typer.echo(f"error: {error}", err=True)
        if not dry_run:
            typer.echo(f"done  {result.tracker} {result.target}: {len(result.created)} created")
    note = _unmapped_note(report)
    if note:
        typer.echo(note)


def _unmapped_note(report: SyncReport) -> str | None:
    """One line per run for every owner without a tracker account, however many actions."""
    by_tracker: dict[str, set[str]] = {}
    for result in report.results:
        by_tracker.setdefault(result.tracker, set()).update(result.plan.unmapped_owners)
    parts = [f"{tracker}: {', '.join(sorted(owners))}" for tracker, owners in sorted(by_tracker.items()) if owners]
    if not parts:
        return None
    count = sum(len(owners) for owners in by_tracker.values())
    return (f"note: {count} owner{'s have' if count != 1 else ' has'} no account in [owners], so "
            f"their issues are unassigned ({'; '.join(parts)})")


def _print_op(op: object, tracker: str, display: Callable[[str], str]) -> None:
    from actiontrack.sync import plan as P

    def key(value: str | None) -> str:
        return display(value) if value else "-"

    if isinstance(op, P.Conflict):
        typer.echo(f"conflict {op.desired.fields.action_id} ({key(op.link.key)}): "
                   f"{', '.join(op.fields)} changed in the file and in {tracker}; "
                   "left alone (use --resolve file|tracker)")
    elif isinstance(op, P.Orphan) and not op.close:
        typer.echo(f"orphaned {op.link.action_id} ({key(op.link.key)}): {op.why}; "
                   "issue left open (use --close-orphans)")
    elif isinstance(op, P.Gone):
        typer.echo(f"deleted {op.link.action_id} ({key(op.link.key)}): the issue no longer exists in {tracker}; "
                   "the action is unsynced and gets a new issue on the next sync")
    elif isinstance(op, P.Duplicate):
        others = ", ".join(key(i.key) for i in op.others)
        typer.echo(f"duplicate {op.action_id}: {key(op.keep.key)} and {others} carry its marker; using "
                   f"{key(op.keep.key)} (run `actiontrack doctor --fix` to close the others as duplicates)")
    elif isinstance(op, P.AlsoMarked):
        typer.echo(f"duplicate {op.link.action_id}: linked to {key(op.link.key)}, but {key(op.issue.key)} carries "
                   "its marker too (run `actiontrack doctor`)")
    elif isinstance(op, P.Stale):
        typer.echo(f"stale {op.link.action_id} ({key(op.link.key)}): the issue names {op.issue.action_id}; "
                   "left alone (run `actiontrack doctor`)")


def _report_json(report: SyncReport) -> dict[str, object]:
    return {
        "dry_run": not any(r.applied for r in report.results) and bool(report.results),
        "skipped_files": [str(p) for p in report.skipped_files],
        "warnings": report.warnings,
        "targets": [
            {"tracker": r.tracker, "target": r.target, "plan": r.counts, "applied": r.applied,
             "created": r.created, "errors": r.errors, "warnings": r.warnings,
             "unmapped_owners": sorted(r.plan.unmapped_owners), "skipped": r.plan.skipped,
             "vanished_files": r.plan.vanished_files, "verified": r.verified, "actions": _actions(r)}
            for r in report.results
        ],
    }


def _reopened(report: SyncReport) -> set[str]:
    """Actions whose issue this sync saw go from done or dropped back to open."""
    from actiontrack.model import IssueState
    from actiontrack.sync.plan import Record, Update

    return {op.link.action_id for result in report.results for op in result.plan.ops
            if isinstance(op, (Record, Update)) and op.issue is not None
            and op.issue.state == IssueState.OPEN and op.link.state != IssueState.OPEN}


def _write_back(report: SyncReport, config: Config) -> bool:
    """Write keys and ticks back; a file that cannot be written is named and skipped.
    Returns whether every file could be written."""
    from actiontrack.errors import FileWriteError
    from actiontrack.logs import redact
    from actiontrack.safe_write import remove_stale_temps
    from actiontrack.store import Store
    from actiontrack.sync.writeback import write_back

    if report.lint is None:
        return True
    remove_stale_temps(pm.path.parent for pm in report.lint.postmortems if pm.origin is None)
    failed = False
    reopened = _reopened(report)
    with Store.open(config.store.url) as store:
        links = store.links()
        for pm in report.lint.postmortems:
            try:
                result = write_back(pm, links, reopened)
            except FileWriteError as error:
                typer.echo(f"error: write-back: {redact(error.message)}", err=True)
                failed = True
                continue
            if result.changed:
                where = f"{pm.title} ({pm.origin.link})" if pm.origin is not None else pm.path
                typer.echo(f"wrote {result.changed} issue key(s) or tick(s) back to {where}")
            for message in result.refused:
                typer.echo(f"write-back: {redact(message)}", err=True)
    return not failed


def doctor(
    ctx: typer.Context,
    tracker: Annotated[TrackerName | None, typer.Option(help="Only this tracker.")] = None,
    fix: Annotated[bool, typer.Option("--fix", help="Fix what can be fixed, asking first.")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="With --fix: do not ask.")] = False,
    output_format: Annotated[Format, typer.Option("--format", "-f")] = Format.text,
) -> None:
    """Compare the store with the trackers: deleted issues, duplicates, stale links, orphans.

    Reads every issue of each target the store links to (more requests than a sync).
    Exit code 1 while findings remain.
    """
    from actiontrack.store import Store
    from actiontrack.sync.doctor import Doctor, Examination, Finding
    from actiontrack.trackers.registry import open_tracker

    config = _config(ctx)
    text = output_format is Format.text

    def confirm(kind: str, findings: Sequence[Finding]) -> bool:
        if yes:
            return True
        if not text or not sys.stdin.isatty():
            raise UsageError(f"--fix needs a confirmation for {len(findings)} {kind} finding(s)",
                             hint="Run it in a terminal, or pass --yes.")
        return typer.confirm(f"fix {len(findings)} {kind} finding(s)?", default=False)

    exams: list[Examination] = []
    with Store.open(config.store.url) as store:
        for name, target in _doctor_targets(store, config, str(tracker) if tracker else None):
            doc = Doctor(store, open_tracker(name, config, target=target), config)
            exam = doc.examine()
            if text:
                _print_exam(exam)
            if fix and exam.findings:
                for line in doc.fix(exam, confirm=confirm):
                    if text:
                        typer.echo(f"  fixed: {line}")
            exams.append(exam)
    if not text:
        import json

        typer.echo(json.dumps([{"tracker": e.tracker, "target": e.target, "issues": e.issues, "links": e.links,
                                "findings": [f.as_dict() for f in e.findings], "fixed": e.fixed}
                               for e in exams], ensure_ascii=False, indent=2))
    if any(e.findings and not e.fixed for e in exams):
        raise typer.Exit(1)


def _doctor_targets(store: object, config: Config, only: str | None) -> list[tuple[str, str | None]]:
    """Every (tracker, target) the store links to, else the configured default tracker's."""
    from actiontrack.store import Store

    assert isinstance(store, Store)
    targets = sorted({(link.tracker, link.target) for link in store.links().values()
                      if only is None or link.tracker == only})
    if targets:
        return [(name, target) for name, target in targets]
    return [(only or config.tracker.default, None)]


def _print_exam(exam: object) -> None:
    from actiontrack.sync.doctor import Examination

    assert isinstance(exam, Examination)
    typer.echo(f"{exam.tracker} {exam.target}: {exam.links} links, {exam.issues} issues, "
               f"{len(exam.findings)} finding(s)")
    for finding in exam.findings:
        typer.echo(f"  {finding.kind:<10} {finding.message}")
        if finding.fix:
            typer.echo(f"             --fix: {finding.fix}")


def status(
    ctx: typer.Context,
    owner: Annotated[str | None, typer.Option(help="Only this owner's actions.")] = None,
    postmortem: Annotated[str | None, typer.Option(help="Only this postmortem id.")] = None,
    state: Annotated[str | None, typer.Option(help="open, done, dropped, orphaned or unsynced.")] = None,
    output_format: Annotated[Format, typer.Option("--format", "-f")] = Format.text,
    config_file: ConfigOption = None,
) -> None:
    """List actions with their tracker state, as of the last sync.

    Exit codes: 0 ok (also when no action matches), 2 no store yet, usage or config error.
    """
    from actiontrack.status import STATES, status_rows
    from actiontrack.store.presence import require_store

    config = _config(ctx, config_file)
    if state and state not in STATES:
        raise UsageError(f"unknown state {state!r}", hint=f"Use {', '.join(STATES[:-1])} or {STATES[-1]}.")
    require_store(config.store.url)
    rows = status_rows(config.store.url, owner=owner, postmortem=postmortem, state=state)
    if output_format is Format.json:
        import json

        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        return
    if not rows:
        typer.echo(_nothing_matches(config.store.url, owner=owner, postmortem=postmortem, state=state))
        return
    typer.echo(_status_table(rows))


def _nothing_matches(url: str, **filters: str | None) -> str:
    """'no action matches --owner nobody (12 in the store)', or that the store holds none yet."""
    from actiontrack.status import status_rows

    given = {name: value for name, value in filters.items() if value}
    if not given:
        return "no actions in the store yet: run `actiontrack sync` first"
    total = len(status_rows(url))
    shown = " ".join(f"--{name} {value}" for name, value in given.items())
    return f"no action matches {shown} ({total} action{'s' * (total != 1)} in the store)"


def _status_table(rows: list[dict[str, object]]) -> str:
    from actiontrack.tables import Column, render

    columns = [Column("state"), Column("key"), Column("due"), Column("owner"), Column("action", wrap=True),
               Column("postmortem")]
    cells = [[str(row["state"]), str(row["display_key"] or "-"),
              str(row["due"] or "-"), str(row["owner"] or "-"), str(row["title"]), str(row["postmortem"])]
             for row in rows]
    return render(columns, cells)



def demo(
    keep: Annotated[bool, typer.Option(help="Keep the demo folder and print its path.")] = False,
    tracker: Annotated[TrackerName | None, typer.Option(help="Send every example to this tracker.")] = None,
) -> None:
    """The whole flow against a local emulator, no accounts needed: lint, sync, a person
    closes issues, sync again, status."""
    from actiontrack.demo import run_demo

    run_demo(echo=typer.echo, keep=keep, tracker=str(tracker) if tracker else None)
