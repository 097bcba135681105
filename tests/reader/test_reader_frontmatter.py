"""The fast front-matter parser agrees with PyYAML wherever it answers at all."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from actiontrack.reader.frontmatter import NotSimple, parse_simple


def test_typical_front_matter() -> None:
    block = "id: PM-2023-014\ntitle: CDC connector stalled; new database missed writes\ndate: 2023-06-29\n" \
            "severity: SEV2\nservices: [order-api, cdc-connector]\nauthors: [ikki]\nurl: https://wiki/x?a=1#b\n"
    assert parse_simple(block) == yaml.safe_load(block)
    assert parse_simple(block)["date"] == dt.date(2023, 6, 29)


@pytest.mark.parametrize("block", [
    "authors:\n  - ikki\n  - sato\n",  # block list
    "title: |\n  multi\n  line\n",
    "meta: {a: 1}\n",
    "enabled: yes\n",  # YAML 1.1 boolean
    "title: 'it''s'\n",
    "date: 2024-02-30\n",
])
def test_anything_richer_goes_to_pyyaml(block: str) -> None:
    with pytest.raises(NotSimple):
        parse_simple(block)


KEYS = st.one_of(st.from_regex(r"[a-z][a-z_]{0,8}", fullmatch=True), st.sampled_from(["on", "y", "No", "null"]))
VALUES = st.one_of(
    st.from_regex(r"[A-Za-z][A-Za-z0-9 ._/-]{0,20}[A-Za-z0-9]", fullmatch=True),
    st.integers(-1000, 10**6).map(str),
    st.dates(dt.date(1990, 1, 1), dt.date(2040, 1, 1)).map(dt.date.isoformat),
    st.sampled_from(["true", "false", "null", "~", "", "[a, b]", "[]", '"quoted text"', "SEV-2", "P1", "012",
                     "1.5", "1_000", "1:30", "2024-01-01 10:00", "+5", "0x1F", ".5", "Yes", "off"]),
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(KEYS, VALUES, min_size=1, max_size=6))
def test_agrees_with_pyyaml(pairs: dict[str, str]) -> None:
    block = "\n".join(f"{k}: {v}" for k, v in pairs.items())
    try:
        ours = parse_simple(block)
    except NotSimple:
        return
    assert ours == yaml.safe_load(block)
