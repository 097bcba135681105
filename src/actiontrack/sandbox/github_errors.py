"""GitHub error bodies: message + documentation_url (+ errors[] for 422, + status)."""

from __future__ import annotations

from typing import Any

from actiontrack.sandbox.wire import HttpError, Response

DOCS = "https://docs.github.com/rest"
RATE_DOCS = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"
SECONDARY_MESSAGE = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. "
    "If you reach out to GitHub Support for help, please include the request ID "
    "SANDBOX:0000:0000000:0000000:00000000."
)


def gh_error(status: int, message: str, docs: str = DOCS, **extra: Any) -> Response:
    """A GitHub error response."""
    body: dict[str, Any] = {"message": message, **extra, "documentation_url": docs,
                            "status": str(status)}
    return Response(status, body)


def gh_fail(status: int, message: str, docs: str = DOCS, **extra: Any) -> HttpError:
    """Raise-able form of `gh_error`."""
    return HttpError(gh_error(status, message, docs, **extra))


def not_found() -> HttpError:
    """404 as GitHub sends it for missing (or invisible) resources."""
    return gh_fail(404, "Not Found")


def validation_failed(docs: str, *errors: dict[str, Any]) -> HttpError:
    """422 Validation Failed with errors[]."""
    return gh_fail(422, "Validation Failed", docs, errors=list(errors))


def invalid_request(docs: str, detail: str) -> HttpError:
    """422 from GitHub's request-schema check (unknown key, missing required key)."""
    return gh_fail(422, f"Invalid request.\n\n{detail}", docs)


def secondary_limited(status: int, retry_after: int | None) -> Response:
    """The secondary-rate-limit form (403 or 429, optional retry-after)."""
    resp = gh_error(status, SECONDARY_MESSAGE,
                    f"{RATE_DOCS}#about-secondary-rate-limits")
    if retry_after is not None:
        resp.headers["retry-after"] = str(retry_after)
    return resp
