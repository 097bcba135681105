"""Tracker emulator fixtures: an in-process sandbox per test and real clients pointed at it.

Clients are built with retries and PyGithub's throttling off, so fault tests never sleep.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from actiontrack.sandbox import Sandbox

SandboxFactory = Callable[..., Sandbox]


@pytest.fixture
def sandbox_factory() -> Iterator[SandboxFactory]:
    """Start sandboxes with any SandboxConfig overrides; all are stopped after the test."""
    started: list[Sandbox] = []

    def make(**overrides: Any) -> Sandbox:
        sb = Sandbox(**overrides).start()
        started.append(sb)
        return sb

    yield make
    for sb in started:
        sb.stop()


@pytest.fixture
def sandbox(sandbox_factory: SandboxFactory) -> Sandbox:
    """A Jira Cloud + GitHub sandbox with defaults (no latency, no faults, no search lag)."""
    return sandbox_factory()


@pytest.fixture
def sandbox_dc(sandbox_factory: SandboxFactory) -> Sandbox:
    """A sandbox whose Jira is Data Center (deploymentType "Server")."""
    return sandbox_factory(jira_deployment="Server")


def jira_client(sb: Sandbox, **kwargs: Any) -> Any:
    """A real jira.JIRA for the sandbox: basic auth (Cloud) / PAT bearer (DC), no retries."""
    from jira import JIRA

    kwargs.setdefault("max_retries", 0)
    kwargs.setdefault("timeout", 10)
    if sb.config.jira_deployment == "Cloud":
        kwargs.setdefault("basic_auth", sb.jira_basic_auth)
    else:
        kwargs.setdefault("token_auth", sb.jira_token)
    return JIRA(server=sb.jira_url, **kwargs)


def github_client(sb: Sandbox, base_url: str | None = None, **kwargs: Any) -> Any:
    """A real github.Github for the sandbox: no retry, no throttling, per_page=100."""
    from github import Auth, Github

    kwargs.setdefault("auth", Auth.Token(sb.github_token))
    kwargs.setdefault("retry", None)
    kwargs.setdefault("seconds_between_requests", None)
    kwargs.setdefault("seconds_between_writes", None)
    kwargs.setdefault("per_page", 100)
    kwargs.setdefault("timeout", 10)
    return Github(base_url=base_url or sb.github_url, **kwargs)


def gitlab_client(sb: Sandbox, **kwargs: Any) -> Any:
    """A real gitlab.Gitlab for the sandbox (PRIVATE-TOKEN), with its defaults unless overridden."""
    import gitlab

    kwargs.setdefault("private_token", sb.gitlab_token)
    kwargs.setdefault("timeout", 10)
    return gitlab.Gitlab(sb.gitlab_url, **kwargs)


@pytest.fixture
def make_gitlab() -> Callable[..., Any]:
    """Factory: make_gitlab(sandbox, **Gitlab kwargs) → gitlab.Gitlab."""
    return gitlab_client


@pytest.fixture
def jira(sandbox: Sandbox) -> Any:
    """jira.JIRA connected to the Cloud sandbox."""
    return jira_client(sandbox)


@pytest.fixture
def jira_dc(sandbox_dc: Sandbox) -> Any:
    """jira.JIRA connected to the Data Center sandbox with a personal access token."""
    return jira_client(sandbox_dc)


@pytest.fixture
def gh(sandbox: Sandbox) -> Any:
    """github.Github connected to the sandbox."""
    return github_client(sandbox)


@pytest.fixture
def gh_repo(gh: Any) -> Any:
    """The seeded repository acme/ops (two PRs #1 and #2 already exist)."""
    return gh.get_repo("acme/ops")


@pytest.fixture
def make_jira() -> Callable[..., Any]:
    """Factory: make_jira(sandbox, **JIRA kwargs) → jira.JIRA (retries off by default)."""
    return jira_client


@pytest.fixture
def make_github() -> Callable[..., Any]:
    """Factory: make_github(sandbox, base_url=None, **Github kwargs) → github.Github."""
    return github_client
