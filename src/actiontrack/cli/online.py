"""Commands that use the store and the trackers: sync, status, demo.

Heavy modules (pydantic config, sqlmodel, the trackers' clients) are imported inside
each command, so registering these commands costs the offline ones nothing.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from actiontrack.errors import UsageError
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
    app.command()(handles_errors(status))
    app.command()(handles_errors(demo))


def _config(ctx: typer.Context) -> Config:
    from actiontrack.cli import _state
    from actiontrack.config import load_config

    return load_config(_state(ctx).config_path)


def sync(
    ctx: typer.Context,
    paths: Annotated[list[Path] | None, typer.Argument(help="Postmortem files or folders [default: .].")] = None,
    tracker: Annotated[TrackerName | None, typer.Option(help="Send every postmortem to this tracker.")] = None,
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
    output_format: Annotated[Format, typer.Option("--format", "-f")] = Format.text,
) -> None:
    """Create and update a tracker issue for every action; pull their status back."""
    from actiontrack.cli import _paths
    from actiontrack.sync import SyncOptions, sync_paths

    config = _config(ctx)
    options = SyncOptions(dry_run=dry_run, close_orphans=close_orphans,
                          resolve=resolve.value if resolve else None, full=full, lock_wait=wait)
    text = output_format is Format.text
    from actiontrack.cli.progress import SyncProgress

    progress = SyncProgress(terminal=sys.stderr.isatty(), echo=lambda line: typer.echo(line, err=True))
    with progress:
        report = sync_paths(
            _paths(paths), config, tracker=str(tracker) if tracker else None, options=options,
            progress=progress if text else None,
            on_plan=_print_plan if text else None,
        )
    written = _write_back(report, config) if write_back and not dry_run else True
    if text:
        _print_report(report, dry_run=dry_run)
    else:
        import json

        typer.echo(json.dumps(_report_json(report), ensure_ascii=False, indent=2))
    if any(result.errors for result in report.results) or not written:
        raise typer.Exit(1)


def _plan_line(result: SyncResult) -> str:
    counts = ", ".join(f"{name} {count}" for name, count in result.counts.items())
    return f"{result.tracker} {result.target}: {counts}"


def _print_plan(result: SyncResult) -> None:
    typer.echo(f"plan  {_plan_line(result)}")


def _print_report(report: SyncReport, *, dry_run: bool) -> None:
    from actiontrack.sync import plan as P

    for path in report.skipped_files:
        typer.echo(f"skipped {path}: it could not be read (run `actiontrack lint {path}`)", err=True)
    for result in report.results:
        if dry_run:
            typer.echo(f"plan  {_plan_line(result)}  (dry run: nothing changed)")
        for op in result.plan.ops:
            if isinstance(op, P.Conflict):
                typer.echo(f"conflict {op.desired.fields.action_id} ({op.link.key}): "
                           f"{', '.join(op.fields)} changed in the file and in {result.tracker}; "
                           "left alone (use --resolve file|tracker)")
            elif isinstance(op, P.Orphan) and not op.close:
                typer.echo(f"orphaned {op.link.action_id} ({op.link.key}): removed from its file; "
                           "issue left open (use --close-orphans)")
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


def _report_json(report: SyncReport) -> dict[str, object]:
    return {
        "dry_run": not any(r.applied for r in report.results) and bool(report.results),
        "skipped_files": [str(p) for p in report.skipped_files],
        "targets": [
            {"tracker": r.tracker, "target": r.target, "plan": r.counts, "applied": r.applied,
             "created": r.created, "errors": r.errors, "warnings": r.warnings,
             "unmapped_owners": sorted(r.plan.unmapped_owners), "skipped": r.plan.skipped}
            for r in report.results
        ],
    }


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
    remove_stale_temps(pm.path.parent for pm in report.lint.postmortems)
    failed = False
    with Store.open(config.store.url) as store:
        links = store.links()
        for pm in report.lint.postmortems:
            try:
                changed = write_back(pm, links)
            except FileWriteError as error:
                typer.echo(f"error: write-back: {redact(error.message)}", err=True)
                failed = True
                continue
            if changed:
                typer.echo(f"wrote {changed} issue key(s) or tick(s) back to {pm.path}")
    return not failed


def status(
    ctx: typer.Context,
    owner: Annotated[str | None, typer.Option(help="Only this owner's actions.")] = None,
    postmortem: Annotated[str | None, typer.Option(help="Only this postmortem id.")] = None,
    state: Annotated[str | None, typer.Option(help="open, done, dropped, orphaned or unsynced.")] = None,
    output_format: Annotated[Format, typer.Option("--format", "-f")] = Format.text,
) -> None:
    """List actions with their tracker state, as of the last sync."""
    from actiontrack.status import STATES, status_rows

    config = _config(ctx)
    if state and state not in STATES:
        raise UsageError(f"unknown state {state!r}", hint=f"Use {', '.join(STATES[:-1])} or {STATES[-1]}.")
    rows = status_rows(config.store.url, owner=owner, postmortem=postmortem, state=state)
    if output_format is Format.json:
        import json

        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        return
    if not rows:
        typer.echo("no actions in the store yet: run `actiontrack sync` first")
        return
    for row in rows:
        key = row["display_key"] or "-"
        typer.echo(f"{row['state']:<9} {key!s:<12} {row['due'] or '-'!s:<10} {row['owner'] or '-':<12} "
                   f"{row['title']}  [{row['postmortem']}]")


def demo(
    keep: Annotated[bool, typer.Option(help="Keep the demo folder and print its path.")] = False,
    tracker: Annotated[TrackerName | None, typer.Option(help="Send every example to this tracker.")] = None,
) -> None:
    """The whole flow against a local emulator, no accounts needed: lint, sync, a person
    closes issues, sync again, status."""
    from actiontrack.demo import run_demo

    run_demo(echo=typer.echo, keep=keep, tracker=str(tracker) if tracker else None)
