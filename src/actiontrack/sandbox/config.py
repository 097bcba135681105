"""All knobs of one emulator instance, with defaults that mirror the real services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

JiraDeployment = Literal["Cloud", "Server"]
ConfluenceDeployment = Literal["Cloud", "Server"]

DEFAULT_JIRA_EMAIL = "demo@example.com"
DEFAULT_JIRA_TOKEN = "sandbox-token"
DEFAULT_JIRA_USERNAME = "demo"
DEFAULT_JIRA_PASSWORD = "sandbox-password"
DEFAULT_GITHUB_TOKEN = "ghp_sandboxtoken"
DEFAULT_CONFLUENCE_TOKEN = "sandbox-confluence-token"
DEFAULT_GITLAB_TOKEN = "glpat-sandboxtoken00000"
GitLabTier = Literal["free", "premium", "ultimate"]


@dataclass
class SandboxConfig:
    """Configuration of a Sandbox; every field can also be passed as a Sandbox(...) keyword.

    Rate limits default to the documented production values (GitHub 5000/h primary,
    80/min + 500/h content creation, 100 concurrent; GitLab.com 2,000 authenticated API
    requests and 200 issue creations a minute); Jira's burst limit is unpublished, so it
    is off unless a test sets `jira_burst_limit`.
    """

    host: str = "127.0.0.1"
    port: int = 0
    latency_ms: float | tuple[float, float] = 0.0
    faults: str = ""
    seed: int = 0
    hold_timeout_s: float = 30.0

    jira_deployment: JiraDeployment = "Cloud"
    jira_email: str = DEFAULT_JIRA_EMAIL
    jira_username: str = DEFAULT_JIRA_USERNAME
    jira_token: str = DEFAULT_JIRA_TOKEN
    jira_password: str = DEFAULT_JIRA_PASSWORD
    jira_projects: tuple[str, ...] = ("PM", "OPS")
    search_lag_ms: float = 0.0
    jira_burst_limit: int | None = None
    jira_burst_window_s: float = 1.0
    jira_search_max_results: int = 100
    jira_dc_search_max_results: int = 1000

    confluence_deployment: ConfluenceDeployment = "Cloud"
    confluence_email: str = DEFAULT_JIRA_EMAIL
    confluence_token: str = DEFAULT_CONFLUENCE_TOKEN  # Cloud API token, or Data Center PAT (Bearer)
    confluence_spaces: tuple[str, ...] = ("OPS",)
    confluence_search_lag_ms: float = 0.0
    confluence_burst_limit: int | None = None
    confluence_burst_window_s: float = 1.0

    github_token: str = DEFAULT_GITHUB_TOKEN
    github_login: str = "pm-bot"
    github_repos: tuple[str, ...] = ("acme/ops",)
    github_collaborators: tuple[str, ...] = ("pm-bot", "dana", "lee")
    github_seed_pull_requests: int = 2
    github_autocreate_labels: bool = True
    # An assignee who cannot be assigned: 422 (a token with push access), or silently left
    # out of the issue, as GitHub documents for a token without push access.
    github_unassignable: Literal["reject", "drop"] = "reject"
    github_rate_limit: int = 5000
    github_rate_window_s: float = 3600.0
    github_secondary_per_minute: int | None = 80
    github_secondary_per_hour: int | None = 500
    github_max_concurrent: int | None = 100
    github_secondary_retry_after: int | None = 60
    github_secondary_status: int = 403
    github_primary_status: int = 403  # GitHub documents 403 or 429 for a spent primary limit

    gitlab_token: str = DEFAULT_GITLAB_TOKEN
    gitlab_login: str = "pm-bot"
    gitlab_members: tuple[str, ...] = ("dana", "lee")
    gitlab_projects: tuple[str, ...] = ("acme/platform/ops",)
    gitlab_tier: GitLabTier = "free"  # scoped-label exclusivity and weight need a paid tier
    gitlab_api_per_minute: int | None = 2000
    gitlab_issue_creates_per_minute: int | None = 200
