"""`actiontrack report overdue` and `actiontrack report coverage`: thin commands over actiontrack.reports.

The store, pydantic config and the renderers are imported inside each command, so
registering these costs `actiontrack lint` nothing.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from actiontrack.cli.options import ConfigOption
from actiontrack.errors import UsageError

if TYPE_CHECKING:
    from actiontrack.config import Config

app = typer.Typer(
    name="report",
    help="The weekly overdue report and the managers' coverage review, from the store as last synced.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class OverdueFormat(StrEnum):
    table = "table"
    markdown = "markdown"
    json = "json"
    csv = "csv"
    html = "html"


class CoverageFormat(StrEnum):
    table = "table"
    markdown = "markdown"
    json = "json"
    csv = "csv"
    html = "html"


class PostTarget(StrEnum):
    slack = "slack"


class Period(StrEnum):
    month = "month"
    quarter = "quarter"


def register(root: typer.Typer) -> None:
    """Add the `report` group to the root app, each command behind the CLI's one error handler."""
    from actiontrack.cli import handles_errors

    app.command("overdue")(handles_errors(overdue))
    app.command("coverage")(handles_errors(coverage))
    root.add_typer(app, name="report")


def _config(ctx: typer.Context, given: Path | None) -> Config:
    from actiontrack.cli import config_path
    from actiontrack.config import load_config

    return load_config(config_path(ctx, given))


def _existing_store(config: Config) -> Any:
    """The store, opened only if a sync made it: a report never creates one (exit 2 instead)."""
    from actiontrack.store import Store
    from actiontrack.store.presence import require_store

    require_store(config.store.url)
    return Store.open(config.store.url)


def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(
            f"{option} {value!r} is not a date", hint=f"write it as YYYY-MM-DD, e.g. {option} 2025-03-03"
        ) from None


def _width(output: Path | None) -> int | None:
    """The terminal's width for a table printed to it; none for a file."""
    from actiontrack.tables import terminal_width

    return terminal_width() if output is None else None


def _emit(text: str, output: Path | None, output_format: str = "table") -> None:
    """Print the report, or write it to ``output`` (UTF-8) and say where. Human formats printed
    to the terminal lose escape sequences and control characters from user text (sinks.terminal);
    machine formats and files are written as they are."""
    if output is None:
        if output_format in ("table", "markdown"):
            from actiontrack.sinks import terminal

            text = terminal(text)
        typer.echo(text, nl=not text.endswith("\n"))
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror}") from None
    typer.echo(f"wrote {output}", err=True)


def overdue(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None, typer.Argument(
            help="Only the postmortems in these files or folders (synced first with --sync) [default: all].",
            show_default=False)
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Report date YYYY-MM-DD [default: today in report.timezone].")
    ] = None,
    owner: Annotated[str | None, typer.Option(help="Only this owner's actions.")] = None,
    team: Annotated[
        str | None, typer.Option(help="Only actions filed in this tracker target (a project or owner/repo).")
    ] = None,
    severity: Annotated[str | None, typer.Option(help="Only postmortems of this severity (e.g. SEV1).")] = None,
    postmortem: Annotated[str | None, typer.Option(help="Only this postmortem id.")] = None,
    output_format: Annotated[
        OverdueFormat, typer.Option("--format", "-f", help="Output format.")
    ] = OverdueFormat.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report to this file.")] = None,
    post_to: Annotated[
        PostTarget | None, typer.Option("--post", help="Also post it (slack: the webhook in report.slack_webhook_env).")
    ] = None,
    report_url: Annotated[
        str | None, typer.Option("--report-url", help="Link to the full report, for long Slack posts.")
    ] = None,
    fail_on_overdue: Annotated[
        bool, typer.Option("--fail-on-overdue", help="Exit 1 when anything is overdue (for CI).")
    ] = False,
    sync_first: Annotated[
        bool, typer.Option("--sync", help="Pull statuses from the trackers first (runs `sync`).")
    ] = False,
    config_file: ConfigOption = None,
) -> None:
    """What is late, what is about to be, and what changed since last week.

    Exit codes: 0 ok, 1 overdue actions with --fail-on-overdue or a failed Slack post, 2 usage or config error.
    """
    from actiontrack.reports import Filters, build_overdue, render, today

    config = _config(ctx, config_file)
    if sync_first:
        _sync(paths, config)
    day = _date(as_of, "--as-of") or today(config.report.timezone)
    filters = Filters(owner=owner, team=team, severity=severity, postmortem=postmortem)
    with _existing_store(config) as store:
        if paths:
            filters = _within(store, paths, filters)
        report = build_overdue(store, as_of=day, slo_days=config.report.slo_days(), filters=filters,
                               base_url=config.links.postmortem_base_url)
    _emit(render(report, output_format.value, width=_width(output)), output, output_format.value)
    if post_to is PostTarget.slack:
        _post_slack(report, config, report_url)
    if fail_on_overdue and report.overdue:
        raise typer.Exit(1)


def _within(store: Any, paths: list[Path], filters: Any) -> Any:
    """`filters` narrowed to the postmortems synced from `paths`; refused when there are none."""
    from dataclasses import replace

    from actiontrack.cli import _paths
    from actiontrack.reports.sql import postmortems_under

    with store.session() as session:
        ids = postmortems_under(session, _paths([str(p) for p in paths]))
    shown = ", ".join(map(str, paths))
    if not ids:
        raise UsageError(f"no synced postmortem is in {shown}",
                         hint="Sync it first (`actiontrack sync PATH` or --sync), or drop PATH to report on all.")
    return replace(filters, within=shown, postmortem_ids=ids)


def _sync(paths: list[Path] | None, config: Config) -> None:
    from actiontrack.cli import _paths
    from actiontrack.sync import sync_paths

    result = sync_paths(_paths([str(p) for p in paths] if paths else None), config)
    for target in result.results:
        for error in target.errors:
            typer.echo(f"sync: {target.tracker} {target.target}: {error}", err=True)


def _post_slack(report: Any, config: Config, report_url: str | None) -> None:
    from actiontrack.reports import slack

    url = config.secret(config.report.slack_webhook_env, "report.slack_webhook_env")
    header, body = slack.slack_lines(report)
    sent = slack.post(url, slack.split_messages(header, body, more_link=report_url))
    typer.echo(f"posted to Slack in {sent} message{'s' * (sent != 1)}", err=True)


def coverage(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option(help="Only postmortems dated on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Only postmortems dated on or before YYYY-MM-DD.")] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Count overdue as of YYYY-MM-DD [default: today].")
    ] = None,
    by: Annotated[Period, typer.Option("--by", help="Trend by month or quarter.")] = Period.month,
    output_format: Annotated[
        CoverageFormat, typer.Option("--format", "-f", help="Output format.")
    ] = CoverageFormat.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report to this file.")] = None,
    config_file: ConfigOption = None,
) -> None:
    """Which phases and categories of prevention get actions, get done, or are neglected."""
    from actiontrack.reports import build_coverage, render, today

    config = _config(ctx, config_file)
    start, end = _date(since, "--since"), _date(until, "--until")
    if start and end and start > end:
        raise UsageError(f"--since {start} is after --until {end}")
    day = _date(as_of, "--as-of") or today(config.report.timezone)
    with _existing_store(config) as store:
        report = build_coverage(
            store, as_of=day, slo_days=config.report.slo_days(), since=start, until=end, period=by.value,
            drill_down=output_format in (CoverageFormat.html, CoverageFormat.json),
        )
    _emit(render(report, output_format.value, width=_width(output)), output, output_format.value)
