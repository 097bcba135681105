"""The reports' own error: rendered by the CLI like every ActionTrackError."""

from __future__ import annotations

from actiontrack.errors import ActionTrackError


class ReportError(ActionTrackError):
    """A report could not be delivered (e.g. Slack refused the post). Never carries the webhook URL."""
