"""[sources.confluence]: the site, the credentials' variables, and which pages are postmortems.

The key names are fixed so that automation can rely on them: url, auth, email_env,
token_env, space, label, cql. The rest are optional.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

KEY = "sources.confluence"


class ConfluenceSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str | None = None  # Cloud: https://SITE.atlassian.net/wiki; Data Center: https://confluence.example.com
    auth: Literal["cloud", "pat"] = "cloud"  # cloud: email + API token; pat: a Data Center personal access token
    email_env: str = "CONFLUENCE_EMAIL"
    token_env: str = "CONFLUENCE_API_TOKEN"
    space: str | None = None
    label: str | None = None
    cql: str | None = None  # replaces space and label
    # The Jira issue macro's application link; learned from the page's own Jira macros when unset.
    jira_server: str | None = None
    jira_server_id: str | None = None
    cache: str = ".actiontrack/confluence.db"  # pages as last read, so a re-run reads only what changed
    search_lag_seconds: float = Field(default=60, ge=0)  # how long CQL search may lag an edit

    @model_validator(mode="after")
    def _one_selection(self) -> ConfluenceSettings:
        if self.cql and (self.space or self.label):
            raise ValueError("set either cql, or space and label; cql replaces both")
        return self

    def selector(self) -> str | None:
        """The CQL that picks the postmortem pages, None when nothing is configured."""
        if self.cql:
            return self.cql.strip()
        parts = [f'space = "{_quote(self.space)}"' if self.space else "",
                 f'label = "{_quote(self.label)}"' if self.label else ""]
        joined = " and ".join(p for p in parts if p)
        return joined or None

    @property
    def is_cloud(self) -> bool:
        return self.auth == "cloud"


def _quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')
