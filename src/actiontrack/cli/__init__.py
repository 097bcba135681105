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
from typing import Annotated, NoReturn, ParamSpec, TypeVar

import typer

from actiontrack import __version__
from actiontrack.errors import ActionTrackError, UsageError

P = ParamSpec("P")
R = TypeVar("R")

app = typer.Typer(
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
    text = "text"
    json = "json"
    github = "github"


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


@app.callback()
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


PathsArg = Annotated[
    list[Path] | None,
    typer.Argument(help="Postmortem files or folders [default: the current folder].", show_default=False),
]


def _paths(paths: list[Path] | None) -> list[Path]:
    chosen = paths or [Path(".")]
    missing = [p for p in chosen if not p.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {missing[0]}")
    return chosen


@app.command()
@handles_errors
def lint(
    ctx: typer.Context,
    paths: PathsArg = None,
    output_format: Annotated[LintFormat, typer.Option("--format", "-f", help="Output format.")] = LintFormat.text,
    select: Annotated[
        list[str] | None, typer.Option(help="Only these rules (codes, names or prefixes); overrides config.")
    ] = None,
    ignore: Annotated[list[str] | None, typer.Option(help="Skip these rules; adds to config.")] = None,
    exclude: Annotated[
        list[str] | None, typer.Option(help="Skip files matching this glob in folders; adds to config.")
    ] = None,
) -> None:
    """Check postmortem actions for vague wording, missing owners and dates, and gaps.

    Exit codes: 0 no errors, 1 errors found, 2 usage or config error.
    """
    from actiontrack.cli import render
    from actiontrack.configfile import read_raw
    from actiontrack.lint import LintSettings, lint_paths

    raw = read_raw(_state(ctx).config_path)
    settings = LintSettings.from_table(raw.table("lint"), raw.path)
    if select or ignore or exclude:
        settings = LintSettings.from_table(
            {"select": select or list(settings.select), "ignore": list(settings.ignore) + (ignore or []),
             "exclude": list(settings.exclude) + (exclude or [])},
            raw.path,
        )
    report = lint_paths(_paths(paths), settings)
    if output_format is LintFormat.json:
        typer.echo(render.findings_json(report.findings))
    elif output_format is LintFormat.github:
        if report.findings:
            typer.echo(render.findings_github(report.findings))
    else:
        typer.echo(render.findings_text(
            report.findings, files=len(report.postmortems), actions=report.action_count,
            colour=render.use_colour(sys.stdout),
        ))
    if report.errors:
        raise typer.Exit(1)


@app.command()
@handles_errors
def tag(
    ctx: typer.Context,
    paths: PathsArg = None,
    output_format: Annotated[TagFormat, typer.Option("--format", "-f", help="Output format.")] = TagFormat.text,
) -> None:
    """Show each action's phase and category: as written, or suggested from its wording."""
    from actiontrack.cli import render
    from actiontrack.configfile import read_raw
    from actiontrack.lint import LintSettings, lint_paths

    raw = read_raw(_state(ctx).config_path)
    exclude = LintSettings.from_table(raw.table("lint"), raw.path).exclude
    report = lint_paths(_paths(paths), LintSettings(select=(), exclude=exclude))
    rows = render.tag_rows(report.postmortems, dict(report.tags))
    if output_format is TagFormat.json:
        import json

        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        typer.echo(render.tags_text(rows, colour=render.use_colour(sys.stdout)))


@app.command()
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


@app.command()
@handles_errors
def init(
    ctx: typer.Context,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented actiontrack.toml to start from."""
    from importlib.resources import files

    from actiontrack.configfile import locate

    target, _ = locate(_state(ctx).config_path)
    if target.exists() and not force:
        raise UsageError(f"{target} exists already", hint="Pass --force to overwrite it.")
    template = files("actiontrack").joinpath("data/config.example.toml").read_text(encoding="utf-8")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(template, encoding="utf-8")
    from actiontrack.trackers.registry import NAMES

    tables = " or ".join(f"[{name}]" for name in NAMES)
    typer.echo(f"wrote {target}: set {tables}, then run `actiontrack lint` and `actiontrack sync`")


def _register_online_commands() -> None:
    """Commands that talk to trackers and the store live in their own modules."""
    from actiontrack.cli import online, reports
    from actiontrack.sandbox import cli as sandbox_cli

    online.register(app)
    reports.register(app)
    app.add_typer(sandbox_cli.app, name="sandbox")


_register_online_commands()


OFFLINE_COMMANDS = frozenset({"lint", "tag", "rules", "init"})


def _offline_app() -> typer.Typer:
    """`app` with only the offline commands: building click objects for all the others
    costs ~13 ms that `actiontrack lint` should not pay."""
    offline = typer.Typer(name=app.info.name, help=app.info.help, add_completion=False,
                          pretty_exceptions_enable=False, rich_markup_mode=None)
    offline.registered_callback = app.registered_callback
    offline.registered_commands = [
        info for info in app.registered_commands
        if info.callback is not None and info.callback.__name__ in OFFLINE_COMMANDS
    ]
    return offline


def _invoked_command(argv: list[str]) -> str | None:
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
    if _invoked_command(sys.argv[1:]) in OFFLINE_COMMANDS:
        _offline_app()()
    else:
        app()
