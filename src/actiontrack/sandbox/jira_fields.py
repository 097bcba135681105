"""Validation of Jira `fields`/`update` input, with the error messages Jira answers.

Every accepted value is turned into the store's internal form (ids and usernames).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from actiontrack.sandbox.jira_model import EPIC, EPIC_LINK, EPIC_NAME, ISSUE_TYPES, PRIORITIES, User

Deployment = Literal["Cloud", "Server"]
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SUMMARY_LIMIT = 255
TEXT_LIMIT = 32767  # jira.text.field.character.limit: Cloud's fixed limit, Data Center's default


def java_length(text: str) -> int:
    """Jira is Java: its lengths count UTF-16 code units, so an emoji counts twice."""
    return len(text.encode("utf-16-le")) // 2


class FieldError(Exception):
    """One field's value was rejected; the message is what Jira puts in `errors[field]`."""


def not_settable(name: str) -> str:
    """Jira's message for a field that is not on the screen (or does not exist)."""
    return f"Field '{name}' cannot be set. It is not on the appropriate screen, or unknown."


@dataclass
class FieldContext:
    """What validation needs to know about the instance and the request."""

    deployment: Deployment
    api_version: str
    projects: dict[str, str]  # key -> id
    users: dict[str, User]
    # id or key → the issue's (id, key, summary, issue type id), None when there is none
    find_issue: Callable[[str], tuple[str, str, str, str] | None] = field(default=lambda ref: None)

    def find_user(self, value: Any) -> str | None:
        """Resolve an assignee/reporter object to a username (None clears the field)."""
        if value is None:
            return None
        if not isinstance(value, dict):
            raise FieldError("expected Object")
        if self.deployment == "Cloud":
            account = value.get("accountId")
            if not isinstance(account, str):
                raise FieldError("Specify a valid value for the user: Jira Cloud needs accountId.")
            if account in ("", "-1"):
                return None
            for user in self.users.values():
                if user.account_id == account:
                    return user.name
            raise FieldError(f"User '{account}' does not exist.")
        if not ({"name", "key"} & value.keys()):
            raise FieldError("Specify a valid value for the user: Jira Data Center needs name.")
        name = value.get("name") or value.get("key")
        if name in (None, ""):
            return None
        for user in self.users.values():
            if name in (user.name, user.key):
                return user.name
        raise FieldError(f"User '{name}' does not exist.")


def _summary(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise FieldError("You must specify a summary of the issue.")
    if "\n" in value or "\r" in value:
        raise FieldError("The summary is invalid because it contains newline characters.")
    if java_length(value) > SUMMARY_LIMIT:
        raise FieldError("Summary must be less than 255 characters.")
    return value


def _long_text(value: str) -> str:
    if java_length(value) > TEXT_LIMIT:
        raise FieldError("The entered text is too long. It exceeds the allowed limit of 32,767 characters.")
    return value


def adf_to_text(doc: Any) -> str:
    """Flatten an Atlassian Document Format tree to plain text (paragraphs become lines)."""
    if isinstance(doc, dict):
        if doc.get("type") == "text":
            return str(doc.get("text", ""))
        parts = [adf_to_text(child) for child in doc.get("content", [])]
        joiner = "\n" if doc.get("type") == "doc" else ""
        return joiner.join(parts)
    return ""


def text_to_adf(text: str) -> dict[str, Any]:
    """Wrap plain text as an ADF document, one paragraph per line."""
    content = [
        {"type": "paragraph", "content": [{"type": "text", "text": line}] if line else []}
        for line in text.split("\n")
    ]
    return {"type": "doc", "version": 1, "content": content}


def _description(value: Any, ctx: FieldContext) -> str | None:
    if value is None:
        return None
    if ctx.api_version == "3":
        if not isinstance(value, dict) or value.get("type") != "doc":
            raise FieldError("Operation value must be an Atlassian Document (see the Atlassian "
                             "Document Format)")
        return _long_text(adf_to_text(value))
    if not isinstance(value, str):
        raise FieldError("Operation value must be a string")
    return _long_text(value)


def check_label(label: Any) -> str:
    """A single label: a non-empty string without spaces, at most 255 characters."""
    if not isinstance(label, str) or not label:
        raise FieldError("Label cannot be empty.")
    if any(ch.isspace() for ch in label):
        raise FieldError(f"The label '{label}' contains spaces which is invalid.")
    if java_length(label) > 255:
        raise FieldError("The label must not exceed 255 characters.")
    return label


def _labels(value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise FieldError("data was not an array")
    out: list[str] = []
    for label in value:
        checked = check_label(label)
        if checked not in out:
            out.append(checked)
    return out


def _duedate(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not _DATE_RE.match(value):
        raise FieldError(f"Error parsing date string: {value}")
    try:
        date.fromisoformat(value)
    except ValueError as exc:
        raise FieldError(f"Error parsing date string: {value}") from exc
    return value


def _priority(value: Any) -> str:
    if not isinstance(value, dict) or not ({"id", "name"} & value.keys()):
        raise FieldError("Specify the Priority (id or name) in the string format")
    if "id" in value:
        if str(value["id"]) in PRIORITIES:
            return str(value["id"])
        raise FieldError(f"The priority selected is invalid. Priority with id '{value['id']}' "
                         "does not exist.")
    for pid, (name, _) in PRIORITIES.items():
        if name == value["name"]:
            return pid
    raise FieldError(f"The priority selected is invalid. Priority name '{value['name']}' is not "
                     "valid.")


def _issuetype(value: Any) -> str:
    if isinstance(value, dict):
        if "id" in value and str(value["id"]) in ISSUE_TYPES:
            return str(value["id"])
        for tid, (name, _) in ISSUE_TYPES.items():
            if value.get("name") == name:
                return tid
    raise FieldError("Specify an issue type")


def _project(value: Any, ctx: FieldContext) -> str:
    if isinstance(value, dict):
        key = value.get("key")
        if isinstance(key, str) and key in ctx.projects:
            return key
        for pkey, pid in ctx.projects.items():
            if str(value.get("id")) == pid:
                return pkey
    raise FieldError("Specify a valid project ID or key")


def convert(name: str, value: Any, ctx: FieldContext) -> Any:
    """Validate one field value and return its internal form."""
    if name == "summary":
        return _summary(value)
    if name == "description":
        return _description(value, ctx)
    if name == "labels":
        return _labels(value)
    if name == "duedate":
        return _duedate(value)
    if name == "priority":
        return _priority(value)
    if name == "issuetype":
        return _issuetype(value)
    if name == "project":
        return _project(value, ctx)
    if name in ("assignee", "reporter"):
        return ctx.find_user(value)
    if name == "parent":
        return _parent(value, ctx)
    if name in (EPIC_LINK, EPIC_NAME) and ctx.deployment != "Cloud":
        return _epic_link(value, ctx) if name == EPIC_LINK else _text_value(value)
    raise FieldError(not_settable(name))


def _parent(value: Any, ctx: FieldContext) -> dict[str, str] | None:
    """Cloud's `parent` ({"key"} or {"id"}); on Data Center only sub-tasks have a parent,
    and this sandbox has none: there a standard issue names its epic in Epic Link."""
    if ctx.deployment != "Cloud":
        raise FieldError(not_settable("parent"))
    if value is None:
        return None
    if not isinstance(value, dict) or not ({"key", "id"} & value.keys()):
        raise FieldError("expected Object with key or id")
    found = ctx.find_issue(str(value.get("key") or value.get("id")))
    if found is None:
        raise FieldError("Could not find issue by id or key.")
    issue_id, key, summary, issuetype = found
    return {"id": issue_id, "key": key, "summary": summary, "issuetype": issuetype}


def _epic_link(value: Any, ctx: FieldContext) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise FieldError("Epic Link must be an issue key")
    found = ctx.find_issue(value)
    if found is None or found[3] != EPIC:
        raise FieldError(f"Issue {value} is not an epic.")
    return found[1]


def _text_value(value: Any) -> str | None:
    if value is not None and not isinstance(value, str):
        raise FieldError("Operation value must be a string")
    return value


def _apply_label_ops(current: list[str], ops: list[Any]) -> list[str]:
    labels = list(current)
    for op in ops:
        if not isinstance(op, dict):
            raise FieldError("Operation must be an object")
        if "set" in op:
            labels = _labels(op["set"])
        elif "add" in op:
            label = check_label(op["add"])
            if label not in labels:
                labels.append(label)
        elif "remove" in op:
            labels = [x for x in labels if x != op["remove"]]
        else:
            raise FieldError("Unsupported operation on labels")
    return labels


def collect_changes(
    fields: Any,
    update: Any,
    allowed: frozenset[str],
    current: dict[str, Any],
    ctx: FieldContext,
) -> tuple[dict[str, Any], dict[str, str]]:
    """Validate `fields` + `update`; return (internal changes, Jira `errors` map)."""
    changes: dict[str, Any] = {}
    errors: dict[str, str] = {}
    fields = fields or {}
    update = update or {}
    if not isinstance(fields, dict) or not isinstance(update, dict):
        return {}, {"fields": "Can not deserialize instance of java.util.LinkedHashMap"}
    for name, value in fields.items():
        if name in update:
            errors[name] = f"Field '{name}' cannot appear in both 'fields' and 'update'"
            continue
        if name not in allowed:
            errors[name] = not_settable(name)
            continue
        try:
            changes[name] = convert(name, value, ctx)
        except FieldError as exc:
            errors[name] = str(exc)
    for name, ops in update.items():
        if name not in allowed:
            errors[name] = not_settable(name)
            continue
        try:
            changes[name] = _apply_update(name, ops, current, ctx)
        except FieldError as exc:
            errors[name] = str(exc)
    return changes, errors


def _apply_update(name: str, ops: Any, current: dict[str, Any], ctx: FieldContext) -> Any:
    if not isinstance(ops, list):
        raise FieldError("Operations must be a list")
    if name == "labels":
        return _apply_label_ops(current.get("labels", []), ops)
    value: Any = current.get(name)
    for op in ops:
        if not isinstance(op, dict) or "set" not in op:
            raise FieldError(f"Unsupported operation on {name}")
        value = convert(name, op["set"], ctx)
    return value
