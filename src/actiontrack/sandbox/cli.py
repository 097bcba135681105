"""`actiontrack sandbox serve`: run the tracker emulator in the foreground.

Server modules are imported inside the command so `actiontrack --help` stays fast.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from actiontrack.sandbox.sandbox import Sandbox

app = typer.Typer(
    help="Local Jira/GitHub emulator for trying and testing sync without real trackers.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


@app.callback()
def _sandbox() -> None:
    """Local Jira/GitHub emulator (a group, so `sandbox serve` works standalone too)."""


@app.command()
def serve(
    port: Annotated[int, typer.Option(help="Port to listen on (0 = any free port).")] = 8080,
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    latency_ms: Annotated[
        str, typer.Option(help="Per-request latency: fixed '50' or random range '20-80'.")
    ] = "0",
    faults: Annotated[
        str, typer.Option(help="Fault rules, e.g. 'github:*:*=429@0.1' (see docs/sandbox.md).")
    ] = "",
    jira_deployment: Annotated[
        str, typer.Option(help="Jira flavour: Cloud or Server (Data Center).")
    ] = "Cloud",
    search_lag_ms: Annotated[
        float, typer.Option(help="Jira enhanced-search index lag in milliseconds.")
    ] = 0.0,
    seed: Annotated[int, typer.Option(help="Seed for random faults and latency.")] = 0,
    confluence_deployment: Annotated[
        str, typer.Option(help="Confluence flavour: Cloud or Server (Data Center).")
    ] = "Cloud",
) -> None:
    """Serve the emulator until Ctrl-C; prints base URLs and the credentials to use."""
    from actiontrack.sandbox.faults import FaultSpecError, parse_latency, parse_spec
    from actiontrack.sandbox.sandbox import Sandbox

    if jira_deployment not in ("Cloud", "Server"):
        raise typer.BadParameter("must be Cloud or Server", param_hint="--jira-deployment")
    if confluence_deployment not in ("Cloud", "Server"):
        raise typer.BadParameter("must be Cloud or Server", param_hint="--confluence-deployment")
    try:
        parse_spec(faults)
        latency = parse_latency(latency_ms)
    except (FaultSpecError, ValueError) as exc:
        raise typer.BadParameter(str(exc)) from exc
    sb = Sandbox(port=port, host=host, latency_ms=latency, faults=faults, seed=seed,
                 jira_deployment=jira_deployment, search_lag_ms=search_lag_ms,
                 confluence_deployment=confluence_deployment)
    sb.start()
    _announce(sb)
    typer.echo("Press Ctrl-C to stop.")
    try:
        while True:
            time.sleep(1)
    except KeyboardInterrupt:
        typer.echo("stopping")
    finally:
        sb.stop()


def _announce(sb: Sandbox) -> None:
    user, secret = sb.jira_basic_auth
    deployment = sb.config.jira_deployment
    typer.echo(f"Jira ({deployment}):  {sb.jira_url}")
    if deployment == "Cloud":
        typer.echo(f"  basic auth: email={user} api-token={secret}")
    else:
        typer.echo(f"  bearer PAT: {sb.jira_token}   (or basic auth {user}:{secret})")
    typer.echo(f"GitHub:       {sb.github_url}")
    typer.echo(f"GitHub (GHE): {sb.ghe_url}")
    typer.echo(f"  token: {sb.github_token}  (Authorization: token ... or Bearer ...)")
    typer.echo(f"Confluence ({sb.config.confluence_deployment}): {sb.confluence_url}  (space OPS)")
    if sb.config.confluence_deployment == "Cloud":
        typer.echo(f"  basic auth: email={sb.config.confluence_email} api-token={sb.config.confluence_token}")
    else:
        typer.echo(f"  bearer PAT: {sb.config.confluence_token}")
    typer.echo(f"Admin:        {sb.admin_url}  (requests, counts, faults, state)")
