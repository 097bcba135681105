"""Jira error bodies (`errorMessages` + `errors`), shared by the Jira handlers."""

from __future__ import annotations

from actiontrack.sandbox.wire import HttpError, Response

REMOVED_SEARCH = (
    "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. "
    "A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046"
)
UNBOUNDED = "Unbounded JQL queries are not allowed here. Please add a search restriction to your query."
NO_ISSUE = "Issue does not exist or you do not have permission to see it."
NOT_AUTHENTICATED = "You are not authenticated. Authentication required to perform this operation."


def error_response(status: int, *messages: str, errors: dict[str, str] | None = None) -> Response:
    """A Jira error collection."""
    return Response(status, {"errorMessages": list(messages), "errors": errors or {}})


def fail(status: int, *messages: str, errors: dict[str, str] | None = None) -> HttpError:
    """An exception carrying a Jira error response."""
    return HttpError(error_response(status, *messages, errors=errors))
