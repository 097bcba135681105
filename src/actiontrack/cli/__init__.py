"""The command line: a thin layer over the library.

Each command opens the library, calls it, and renders the result. Library errors are
typed (actiontrack.errors) and rendered in one place, `_fail`, which also picks the
exit code. Commands that talk to trackers or the store import those modules inside
the function, so `lint` and `tag` start fast.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, ParamSpec, TypeVar

import typer

from actiontrack import __version__
from actiontrack.cli.options import ConfigOption
from actiontrack.errors import ActionTrackError, UsageError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from actiontrack.config import Config as ConfigT
    from actiontrack.configfile import LintSettings as LintSettingsT
    from actiontrack.lint import LintReport as LintReportT
    from actiontrack.model import Finding
    from actiontrack.sources.confluence.source import PageSpec as PageSpecT

P = ParamSpec("P")
R = TypeVar("R")

# The offline commands (lint, tag, rules, init) are registered on this app as the module is
# imported; the commands that talk to trackers and the store are added by `full_app()`
# only when one of them is run, so `actiontrack lint` never imports or builds them.
# `from actiontrack.cli import app` (tests, embedding) gets the full app: see __getattr__.
_core = typer.Typer(
    name="actiontrack",
    help="Keep postmortem action items from rotting: read, tag, lint, sync, report.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@dataclass(slots=True)
class State:
    config_path: Path | None = None
    verbose: int = 0


class LintFormat(StrEnum):
    concise = "concise"
    full = "full"
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"


# What each lint format is for, shown in --help (the annotations format is GitHub Actions', not the tracker's).
LINT_FORMATS = {
    LintFormat.concise: "path:line:col: CODE [severity] message (default)",
    LintFormat.full: "with the source line and the finding's fix",
    LintFormat.text: "grouped by file",
    LintFormat.json: "a list of findings",
    LintFormat.github: "workflow annotations for Actions",
    LintFormat.sarif: "SARIF 2.1.0 for code scanning",
}


class FailOn(StrEnum):
    error = "error"
    warning = "warning"


class TagFormat(StrEnum):
    text = "text"
    json = "json"


def _fail(error: ActionTrackError) -> NoReturn:
    """The one place library errors become output and an exit code (secrets masked)."""
    from actiontrack.logs import redact

    typer.echo(f"actiontrack: error: {redact(error.message)}", err=True)
    if error.done:
        typer.echo(f"  done: {redact(error.done)}", err=True)
    if error.hint:
        typer.echo(f"  hint: {redact(error.hint)}", err=True)
    raise typer.Exit(error.exit_code)


def handles_errors(command: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except ActionTrackError as error:
            _fail(error)
        except KeyboardInterrupt:
            typer.echo("actiontrack: interrupted before anything was changed", err=True)
            raise typer.Exit(130) from None

    return wrapper


def _version(value: bool) -> None:
    if value:
        typer.echo(f"actiontrack {__version__}")
        raise typer.Exit()


@_core.callback()
def _main(
    ctx: typer.Context,
    config: Annotated[
        Path | None,
        typer.Option("--config", "-c", help="Config file [default: $ACTIONTRACK_CONFIG or ./actiontrack.toml]."),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
    verbose: Annotated[
        int, typer.Option("--verbose", "-v", count=True, help="-v progress, -vv debug (secrets are masked).")
    ] = 0,
) -> None:
    if verbose:
        from actiontrack.logs import configure

        configure(verbose)
    ctx.obj = State(config_path=config, verbose=verbose)


def _state(ctx: typer.Context) -> State:
    return ctx.obj if isinstance(ctx.obj, State) else State()


def config_path(ctx: typer.Context, given: Path | None = None) -> Path | None:
    """The --config given after the command, else the one before it (else None: the default)."""
    return given if given is not None else _state(ctx).config_path


PathsArg = Annotated[
    list[str] | None,
    typer.Argument(help="Postmortem files or folders, confluence: (the configured pages), confluence:PAGE-ID "
                        "or a page URL [default: the current folder].", show_default=False),
]


def _paths(paths: list[str] | None) -> list[Path]:
    """The files and folders named (the current folder when nothing is); pages are _pages'."""
    named = paths or ["."]
    if any(":" in p for p in named):  # every page target has one; files alone skip the import
        from actiontrack.sources import is_page

        named = [p for p in named if not is_page(p)]
    chosen = [Path(p) for p in named]
    missing = [p for p in chosen if not p.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {missing[0]}")
    return chosen


def _pages(paths: list[str] | None) -> list[PageSpecT]:
    """The Confluence pages named: `confluence:`, `confluence:12345`, page URLs."""
    if not any(":" in p for p in paths or ()):
        return []
    from actiontrack.sources import is_page, page_spec

    return [page_spec(p) for p in paths or () if is_page(p)]


def _lint_targets(ctx: typer.Context, paths: list[str] | None, settings: LintSettingsT,
                  given: Path | None = None) -> LintReportT:
    """Files through the reader; pages (only when named) through [sources.confluence]."""
    pages = _pages(paths)
    if not pages:
        from actiontrack.lint import lint_paths

        return lint_paths(_paths(paths), settings)
    from actiontrack.sources import lint_targets

    def config() -> ConfigT:
        from actiontrack.config import load_config

        return load_config(config_path(ctx, given))

    return lint_targets(_paths(paths), pages, settings, config=config)


ListOption = list[str] | None


@_core.command()
@handles_errors
def lint(
    ctx: typer.Context,
    paths: PathsArg = None,
    output_format: Annotated[LintFormat, typer.Option(
        "--output-format", "--format", "-f",
        help="; ".join(f"{name.value}: {what}" for name, what in LINT_FORMATS.items()) + ".",
    )] = LintFormat.concise,
    select: Annotated[ListOption, typer.Option(
        help="Only these rules: comma-separated codes, names, prefixes or ALL; replaces the config's.",
        show_default=False)] = None,
    extend_select: Annotated[ListOption, typer.Option(
        "--extend-select", help="Also these rules, on top of the selection.", show_default=False)] = None,
    ignore: Annotated[ListOption, typer.Option(
        help="Skip these rules (comma-separated), on top of the selection.", show_default=False)] = None,
    exclude: Annotated[ListOption, typer.Option(
        help="Skip files matching these globs in folder walks; replaces [lint] exclude.",
        show_default=False)] = None,
    extend_exclude: Annotated[ListOption, typer.Option(
        "--extend-exclude", help="Skip these globs too, on top of the excluded ones.", show_default=False)] = None,
    statistics: Annotated[bool, typer.Option(
        "--statistics", help="Count the findings per rule instead of listing them.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print the findings only: no summary.")] = False,
    exit_zero: Annotated[bool, typer.Option(
        "--exit-zero", "-e", help="Exit 0 even when findings remain.")] = False,
    fail_on: Annotated[FailOn, typer.Option(
        "--fail-on", help="Lowest severity that makes the exit code 1.")] = FailOn.error,
    baseline: Annotated[Path | None, typer.Option(
        help="Report only findings not recorded in this baseline file [default: [lint] baseline].",
        show_default=False)] = None,
    write_baseline: Annotated[Path | None, typer.Option(
        "--write-baseline", help="Record every current finding in this file and exit 0.",
        show_default=False)] = None,
    config: ConfigOption = None,
) -> None:
    """Check postmortem actions for vague wording, missing owners and dates, and gaps.

    Exit codes: 0 no errors (or --exit-zero), 1 errors found (or warnings, with --fail-on
    warning), 2 usage or config error, or no postmortem found.
    """
    from actiontrack.cli import findings as out

    settings = _lint_settings(ctx, config, select=select, extend_select=extend_select, ignore=ignore,
                              exclude=exclude, extend_exclude=extend_exclude, baseline=baseline)
    if write_baseline is not None:
        settings = settings._replace(baseline=None)
    report = _lint_targets(ctx, paths, settings, config)
    if not report.files:
        typer.echo(f"warning: no postmortems found in {', '.join(paths or ['.'])}", err=True)
        raise typer.Exit(2)
    if write_baseline is not None:
        from actiontrack.lint import baseline as baseline_file

        baseline_file.write(write_baseline, report.findings)
        typer.echo(f"wrote {out.plural(len(report.findings), 'finding')} to {write_baseline}")
        return
    _print_findings(report, output_format, statistics=statistics, quiet=quiet)
    failing = report.errors + (report.warnings if fail_on is FailOn.warning else 0)
    if failing and not exit_zero:
        raise typer.Exit(1)


def _lint_settings(ctx: typer.Context, config: Path | None, *, select: ListOption, extend_select: ListOption,
                   ignore: ListOption, exclude: ListOption, extend_exclude: ListOption,
                   baseline: Path | None) -> LintSettingsT:
    """[lint] from the config, with the command line's choices as a later layer (as ruff does)."""
    from actiontrack.configfile import LintSettings, RuleSelection, read_raw, split_selectors

    settings = LintSettings.from_config(read_raw(config_path(ctx, config)))
    chosen = {name: _selectors(option, values) for name, option, values in (
        ("select", "--select", select), ("extend_select", "--extend-select", extend_select),
        ("ignore", "--ignore", ignore))}
    if any(chosen.values()):
        layer = RuleSelection(chosen["select"] or None, chosen["ignore"], chosen["extend_select"])
        settings = settings._replace(overrides=(layer,))
    if exclude is not None:
        settings = settings._replace(exclude=split_selectors(exclude))
    if extend_exclude:
        settings = settings._replace(exclude=settings.exclude + split_selectors(extend_exclude))
    return settings._replace(baseline=baseline) if baseline is not None else settings


def _selectors(option: str, values: ListOption) -> tuple[str, ...]:
    from actiontrack.configfile import split_selectors, unknown_selector

    selectors = split_selectors(values)
    for selector in selectors:
        problem = unknown_selector(selector)
        if problem:
            raise UsageError(f"{option}: {problem}", hint="`actiontrack rules` lists the codes and names.")
    return selectors


def _print_findings(report: LintReportT, output_format: LintFormat, *, statistics: bool, quiet: bool) -> None:
    from actiontrack.cli import findings as out

    colour = out.use_colour(sys.stdout)
    machine: dict[LintFormat, Callable[[Sequence[Finding]], str]] = {
        LintFormat.json: out.findings_json, LintFormat.github: out.findings_github,
        LintFormat.sarif: out.findings_sarif}
    if statistics:
        if output_format is LintFormat.json:
            import json

            typer.echo(json.dumps(out.statistics_rows(report.findings), indent=2))
        elif report.findings:
            typer.echo(out.statistics_text(report.findings))
    elif output_format in machine:
        text = machine[output_format](report.findings)
        if text:
            typer.echo(text)
        return
    else:
        human = {LintFormat.concise: out.concise, LintFormat.full: out.full, LintFormat.text: out.grouped}
        text = human[output_format](report.findings, colour=colour)
        if text:
            typer.echo(text)
    if not quiet and output_format not in machine:
        if report.findings:
            typer.echo("")
        typer.echo(out.summary(errors=report.errors, warnings=report.warnings, files=report.files,
                               actions=report.action_count, baselined=report.baselined))


@_core.command()
@handles_errors
def tag(
    ctx: typer.Context,
    paths: PathsArg = None,
    output_format: Annotated[TagFormat, typer.Option("--format", "-f", help="Output format.")] = TagFormat.text,
    write: Annotated[bool, typer.Option("--write", help="Write the suggested tags into the files.")] = False,
    diff: Annotated[bool, typer.Option("--diff", help="Show what --write would change, and change nothing.")] = False,
    config: ConfigOption = None,
) -> None:
    """Show each action's phase and category: as written, or suggested from its wording."""
    from actiontrack.cli import render
    from actiontrack.configfile import read_raw
    from actiontrack.lint import LintSettings

    exclude = LintSettings.from_config(read_raw(config_path(ctx, config))).exclude
    report = _lint_targets(ctx, paths, LintSettings(select=_TAG_INPUT_RULES, exclude=exclude), config)
    if not report.files:
        typer.echo(f"warning: no postmortems found in {', '.join(paths or ['.'])}", err=True)
        raise typer.Exit(2)
    if write or diff:
        _write_tags(report, write=write and not diff)
    else:
        rows = render.tag_rows(report.postmortems, dict(report.tags))
        if output_format is TagFormat.json:
            from actiontrack.cli import jsontext

            typer.echo(jsontext.dumps(rows))
        else:
            typer.echo(render.tags_text(rows, colour=render.use_colour(sys.stdout)))
    _report_reading_errors(report)


# What keeps tag from reading a file's actions or tags: a file that cannot be read, broken
# TOML or front matter, a phase or category written that is none of ours.
_TAG_INPUT_RULES = ("AT001", "AT002", "AT003", "AT005", "AT006")


def _report_reading_errors(report: LintReportT) -> None:
    """What tag could not read goes to stderr, and makes the run fail: tags of the other
    files are still shown, but a broken file must not look like a file with no actions."""
    from actiontrack.cli import findings as out
    from actiontrack.model import Severity

    problems = [f for f in report.findings if f.severity is Severity.ERROR]
    if not problems:
        return
    typer.echo(out.concise(problems, colour=out.use_colour(sys.stderr)), err=True)
    raise typer.Exit(1)


def _write_tags(report: LintReportT, *, write: bool) -> None:
    from actiontrack.tagwrite import plan_tags, write_tags

    for pm in report.postmortems:
        if pm.origin is not None:
            typer.echo(f"tag: {pm.title} ({pm.origin.link}): tags are written into files only; "
                       "add these to the page by hand", err=True)
    plans = [plan_tags(pm, report.tags) for pm in report.postmortems if pm.origin is None]
    for plan in plans:
        for message in plan.refused:
            typer.echo(f"tag: {message}", err=True)
    if not write:
        typer.echo("".join(plan.diff() for plan in plans), nl=False)
        return
    written = write_tags(plans)
    files = sum(1 for plan in plans if plan.after != plan.before)
    typer.echo(f"wrote {written} tag{'s' if written != 1 else ''} in {files} file{'s' if files != 1 else ''}")


@_core.command()
@handles_errors
def rules(
    code: Annotated[str | None, typer.Argument(help="A rule code or name to explain.")] = None,
    output_format: Annotated[TagFormat, typer.Option("--format", "-f", help="Output format.")] = TagFormat.text,
) -> None:
    """List the lint rules, or explain one (actiontrack rules AT101)."""
    from actiontrack import catalog
    from actiontrack.cli import render

    if code is None:
        chosen = list(catalog.RULES)
        text = render.rules_text(chosen)
    else:
        rule = catalog.lookup(code)
        if rule is None:
            raise UsageError(f"no rule is called {code!r}", hint="`actiontrack rules` lists them all.")
        chosen, text = [rule], render.rule_doc(rule)
    if output_format is TagFormat.json:
        import json

        typer.echo(json.dumps([render.rule_dict(r) for r in chosen], ensure_ascii=False, indent=2))
    else:
        typer.echo(text)


@_core.command()
@handles_errors
def init(
    ctx: typer.Context,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    config: ConfigOption = None,
) -> None:
    """Write a commented actiontrack.toml to start from."""
    from importlib.resources import files

    from actiontrack.configfile import locate

    target, _ = locate(config_path(ctx, config))
    if target.exists() and not force:
        raise UsageError(f"{target} exists already", hint="Pass --force to overwrite it.")
    template = files("actiontrack").joinpath("data/config.example.toml").read_text(encoding="utf-8")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(template, encoding="utf-8")
    from actiontrack.trackers.registry import NAMES

    tables = " or ".join(f"[{name}]" for name in NAMES)
    typer.echo(f"wrote {target}: set {tables}, then run `actiontrack lint` and `actiontrack sync`")


_online_registered = False


def full_app() -> typer.Typer:
    """The app with every command: the online ones live in their own modules."""
    global _online_registered
    if not _online_registered:
        from actiontrack.cli import online, remind, reports
        from actiontrack.sandbox import cli as sandbox_cli

        online.register(_core)
        reports.register(_core)
        remind.register(_core)
        _core.add_typer(sandbox_cli.app, name="sandbox")
        _online_registered = True
    return _core


def __getattr__(name: str) -> typer.Typer:
    if name == "app":
        return full_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


OFFLINE_COMMANDS = frozenset({"lint", "tag", "rules", "init"})


def _single_command_app(command: str) -> typer.Typer:
    """The app with just `command`: typer builds a click command, with its parameters'
    type hints evaluated, for every registered command on every run, and an
    `actiontrack lint` should pay for lint's alone."""
    single = typer.Typer(name=_core.info.name, help=_core.info.help, add_completion=False,
                         pretty_exceptions_enable=False, rich_markup_mode=None)
    single.registered_callback = _core.registered_callback
    single.registered_commands = [
        info for info in _core.registered_commands
        if info.callback is not None and info.callback.__name__ == command
    ]
    return single


def invoked_command(argv: list[str]) -> str | None:
    """The subcommand in argv, skipping global options and the --config value."""
    args = iter(argv)
    for arg in args:
        if arg in ("--config", "-c"):
            next(args, None)
        elif not arg.startswith("-"):
            return arg
    return None


def main() -> None:
    """Console-script entry point."""
    command = invoked_command(sys.argv[1:])
    if command in OFFLINE_COMMANDS:
        _single_command_app(command)()
    else:
        full_app()()
