"""`actiontrack tag --write` / `--diff`: put suggested phases and categories into the file.

Each tag goes where the document already keeps its tags, in its own style: an empty Phase or
Category cell of a table row; `phase: …, category: …` after the fields of an item whose
document writes keys (`フェーズ: …, 分類: …` in Japanese); `#post-release #detection` tags
otherwise; `phase = "…"` in a TOML table. Values are written in the document's language.
Every edit goes through reader.edits: the file read again must hold the same action with the
tag, or the action is left alone and named. Done actions are not tagged; an action the
wording cannot tell (two readings) is not tagged either. The count said is the count written.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from actiontrack.classify import Classified
from actiontrack.lazyre import lazy_regex
from actiontrack.model import Action, Category, Phase, Postmortem, TagSource
from actiontrack.reader.edits import Edit, Wanted, apply, choose_edits, file_reading
from actiontrack.textcodec import decode

__all__ = ["TagWrite", "plan_tags"]

_PHASE_JA = {Phase.DEVELOPMENT: "開発時", Phase.VERIFICATION: "機能検証時", Phase.POST_RELEASE: "本番リリース後"}
_CATEGORY_JA = {
    Category.ROOT_CAUSE: "原因究明", Category.PERMANENT_FIX: "恒久対応", Category.RECURRENCE: "再発防止",
    Category.DETECTION: "検知", Category.RECOVERY: "復旧時間短縮",
}


@dataclass(slots=True)
class TagWrite:
    """What `tag --write` did (or `--diff` would do) to one file."""

    path: Path
    before: str
    after: str
    tags: int = 0  # phase and category values written
    encoding: str = "utf-8"  # the file's own (actiontrack.textcodec): written back in it
    refused: list[str] = field(default_factory=list)

    def diff(self) -> str:
        return "".join(difflib.unified_diff(
            self.before.splitlines(keepends=True), self.after.splitlines(keepends=True),
            fromfile=f"a/{self.path}", tofile=f"b/{self.path}"))


def plan_tags(pm: Postmortem, tags: Mapping[str, Classified]) -> TagWrite:
    """The file with every suggested tag written in, without writing it."""
    decoded = decode(pm.path.read_bytes())
    text = decoded.text
    plan = TagWrite(pm.path, text, text, encoding=decoded.encoding)
    from actiontrack.reader import text_digest

    if pm.digest is not None and text_digest(text) != pm.digest:
        plan.refused.append(f"{pm.path}: changed since it was read; nothing written")
        return plan
    keyed = _writes_keys(pm, text)
    wanted: list[Wanted] = []
    counts: dict[str, int] = {}
    for action in pm.actions:
        tags_of = _wanted(action, tags.get(action.id))
        if not tags_of or action.anchor is None:
            continue
        if action.id in counts:  # a repeated id: edits are checked by id, so only its first is edited
            plan.refused.append(f"{action.location}: {action.title!r}: its id repeats an earlier action's; "
                                "give it its own id to tag it")
            continue
        candidates = _candidates(text, action, tags_of, keyed)
        wanted.append(Wanted(action, candidates, functools.partial(_has, wanted=tags_of)))
        counts[action.id] = len(tags_of)
    chosen = choose_edits(file_reading(pm.path), text, pm.actions, wanted)
    for want in wanted:
        if want.action.id in chosen:
            plan.tags += counts[want.action.id]
        else:
            plan.refused.append(f"{want.action.location}: {want.action.title!r}: no place to write its tags "
                                "without changing its words or fields; add them by hand")
    plan.after = apply(text, chosen.values())
    return plan


def _wanted(action: Action, tag: Classified | None) -> dict[str, Phase | Category]:
    if tag is None or action.done:
        return {}
    wanted: dict[str, Phase | Category] = {}
    phase, category = tag.phase, tag.category
    if action.phase is None and action.raw_phase is None and phase.source is TagSource.SUGGESTED and phase.value:
        wanted["phase"] = phase.value
    if (action.category is None and action.raw_category is None and category.source is TagSource.SUGGESTED
            and category.value):
        wanted["category"] = category.value
    return wanted


def _has(action: Action, wanted: Mapping[str, Phase | Category]) -> bool:
    return all(getattr(action, name) == value for name, value in wanted.items())


_KEY_WRITTEN = lazy_regex(
    r"\b(?:owner|due|phase|category|assignee|deadline)\s*:|(?:担当|期限|フェーズ|分類)\s*[:：]", re.I)


def _writes_keys(pm: Postmortem, text: str) -> bool:
    """Whether the document writes its fields as `key: value` (else tags are #tags)."""
    return any(a.anchor is not None and a.anchor.shape in ("item", "plain")
               and _KEY_WRITTEN.search(text, a.anchor.start, a.anchor.end) for a in pm.actions)


def _label(value: Phase | Category, japanese: bool) -> str:
    if japanese:
        return _PHASE_JA[value] if isinstance(value, Phase) else _CATEGORY_JA[value]
    return value.value


def _candidates(text: str, action: Action, wanted: Mapping[str, Phase | Category], keyed: bool) -> list[Edit]:
    anchor = action.anchor
    assert anchor is not None
    japanese = not action.title.isascii()
    if anchor.shape in ("toml", "toml-inline"):
        if anchor.insert_at < 0:
            return []
        pairs = [f"{name} = \"{value.value}\"" for name, value in wanted.items()]
        if anchor.shape == "toml":
            line = text[text.rfind("\n", 0, anchor.insert_at) + 1 : anchor.insert_at]
            indent = line[: len(line) - len(line.lstrip())]
            return [(anchor.insert_at, anchor.insert_at, "".join(f"\n{indent}{pair}" for pair in pairs))]
        return [(anchor.insert_at, anchor.insert_at, "".join(f", {pair}" for pair in pairs))]
    if anchor.shape == "row":
        return _row_candidates(text, action, wanted, japanese)
    if anchor.shape not in ("item", "plain"):
        return []  # a sentence of prose or a heading: nowhere a tag belongs
    at = anchor.insert_at
    hashtags = " " + " ".join(f"#{_label(v, japanese).replace(' ', '-')}" for v in wanted.values())
    keys = ", ".join(f"{_key(name, japanese)}: {_label(v, japanese)}" for name, v in wanted.items())
    own = f"（{keys}）" if japanese else f" — {keys}"
    if _KEY_WRITTEN.search(text, anchor.start, at):  # after the item's own fields, in their brackets if any
        styled = [(at - 1, at - 1, f", {keys}")] if text[at - 1 : at] in (")", "）") else []
        styled += [(at, at, f", {keys}"), (at, at, own)]
    else:
        styled = [(at, at, own), (at, at, f", {keys}")]
    tagged = [(at, at, hashtags)]
    return styled + tagged if keyed else tagged + styled


def _key(name: str, japanese: bool) -> str:
    return {"phase": "フェーズ", "category": "分類"}[name] if japanese else name


def _row_candidates(text: str, action: Action, wanted: Mapping[str, Phase | Category], japanese: bool) -> list[Edit]:
    from actiontrack.reader.blocks import cell_bounds

    anchor = action.anchor
    assert anchor is not None
    row = text[anchor.start : anchor.end]
    cells = {name: (anchor.start + start, anchor.start + end)
             for name, (start, end) in zip(anchor.columns, cell_bounds(row), strict=False) if name}
    # One edit per row: the cells it fills, applied together as one replacement of the row.
    replacements: list[Edit] = []
    for name, value in wanted.items():
        if name not in cells:
            break
        start, end = cells[name]
        if text[start:end].strip() not in ("", "-", "—", "–", "TBD", "n/a", "?"):
            break
        label = _label(value, japanese)
        if end > start:
            replacements.append((start, end, label))
        else:  # an empty cell: its content goes between its pipes
            left = text.rfind("|", anchor.start, start)
            replacements.append((left + 1, start, f" {label} "))
    else:
        new_row = apply(text, replacements)[anchor.start : anchor.end + sum(
            len(r) - (e - s) for s, e, r in replacements)]
        return [(anchor.start, anchor.end, new_row)]
    if "title" in cells:
        _, end = cells["title"]
        hashtags = " " + " ".join(f"#{_label(v, japanese).replace(' ', '-')}" for v in wanted.values())
        return [(end, end, hashtags)]
    return []


def write_tags(plans: Sequence[TagWrite]) -> int:
    """Write every planned file that changes; returns the number of tags written."""
    from actiontrack.safe_write import replace_text

    written = 0
    for plan in plans:
        if plan.after != plan.before:
            replace_text(plan.path, plan.after, encoding=plan.encoding)
            written += plan.tags
    return written
