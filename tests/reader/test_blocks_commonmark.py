"""The block pass agrees with CommonMark 0.31.2 and GitHub's tables.

The spec's own examples are a peer's test suite: every example of the block sections
(tabs, thematic breaks, ATX and setext headings, indented and fenced code, HTML blocks,
paragraphs, blank lines, block quotes, list items, lists) must give the same block tree,
with the same first and last lines, as markdown-it-py, which passes that spec. The
examples are the spec's own text, kept in tests/reader/commonmark/ (CC-BY-SA 4.0, see its
LICENSE; set ACTIONTRACK_COMMONMARK_SPEC to use another copy). Examples that define link references
are left out: the reader reads such lines as paragraph text, and says so in blocks.py.
"""

from __future__ import annotations

import os
import random
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from actiontrack.reader.blocks import Block, Kind, line_bounds, parse_blocks

SPEC = Path(os.environ.get("ACTIONTRACK_COMMONMARK_SPEC", Path(__file__).parent / "commonmark" / "spec.txt"))
BLOCK_SECTIONS = {
    "Tabs", "Precedence", "Thematic breaks", "ATX headings", "Setext headings", "Indented code blocks",
    "Fenced code blocks", "HTML blocks", "Paragraphs", "Blank lines", "Block quotes", "List items", "Lists",
}
_MD = MarkdownIt("commonmark").enable("table")
_NAMES = {
    "paragraph": "PARAGRAPH", "heading": "HEADING", "bullet_list": "LIST", "ordered_list": "LIST",
    "list_item": "ITEM", "blockquote": "QUOTE", "code_block": "CODE", "fence": "CODE",
    "html_block": "HTML", "hr": "BREAK", "table": "TABLE",
}
_CONTAINERS = (Kind.QUOTE, Kind.LIST, Kind.ITEM)


def spec_examples() -> list[tuple[int, str, str]]:
    if not SPEC.is_file():
        return []
    text = re.sub(r"^<!-- END TESTS -->(.|\n)*", "", SPEC.read_text(encoding="utf-8"), flags=re.M)
    section, number, found = "", 0, []
    for match in re.finditer(r"^`{32} example\n([\s\S]*?)^\.\n([\s\S]*?)^`{32}$|^#{1,6} *(.*)$", text, re.M):
        if match.group(3) is not None:
            section = match.group(3)
            continue
        number += 1
        markdown = match.group(1).replace("→", "\t")
        if section in BLOCK_SECTIONS and not re.search(r"^\s*\[[^\]]+\]:", markdown, re.M):
            found.append((number, section, markdown))
    return found


def reference_tree(source: str) -> list[object]:
    """markdown-it-py's blocks as [kind, first line, last line + 1, children]."""
    root: list[object] = []
    stack = [root]
    for token in _MD.parse(source):
        base = token.type.removesuffix("_open").removesuffix("_close")
        if base not in _NAMES:
            continue
        if token.nesting == 1:
            node: list[object] = [_NAMES[base], token.map[0], token.map[1] if base not in ("bullet_list",
                                  "ordered_list", "list_item", "blockquote") else None, []]
            stack[-1].append(node)
            stack.append(node[3])  # type: ignore[arg-type]
        elif token.nesting == -1:
            stack.pop()
        else:
            stack[-1].append([_NAMES[base], token.map[0], token.map[1], []])
    return root


def our_tree(source: str) -> list[object]:
    starts, ends = line_bounds(source)

    def convert(block: Block) -> list[object]:
        return [[child.kind.name, child.first, None if child.kind in _CONTAINERS else child.last + 1,
                 convert(child) if child.kind in _CONTAINERS else []] for child in block.children]

    return convert(parse_blocks(source, starts, ends))


EXAMPLES = spec_examples()


@pytest.mark.skipif(not EXAMPLES, reason=f"CommonMark spec examples not found at {SPEC}")
def test_the_spec_examples_are_all_there() -> None:
    assert len(EXAMPLES) >= 260  # 268 block examples without link reference definitions in 0.31.2


@pytest.mark.skipif(not EXAMPLES, reason=f"CommonMark spec examples not found at {SPEC}")
@pytest.mark.parametrize(("number", "section", "markdown"), EXAMPLES, ids=[f"{n}-{s}" for n, s, _ in EXAMPLES])
def test_commonmark_block_example(number: int, section: str, markdown: str) -> None:
    assert our_tree(markdown) == reference_tree(markdown)


# GitHub's table rules, in cases of our own words (the shapes of the GFM spec's table examples).
TABLES = [
    "| Action | Owner |\n| --- | --- |\n| Add alert | ana |\n",
    "| Action | Owner |\n| :-- | --: |\n| Add alert | ana |\n| Page on-call | bo |\n",
    "| f\\|oo  |\n| ------ |\n| b `\\|` az |\n| b **\\|** im |\n",
    "| abc | def |\n| --- | --- |\n| bar | baz |\n> bar\n",
    "| abc | def |\n| --- | --- |\n| bar | baz |\nbar\n\nbar\n",
    "| abc | def |\n| --- |\n| bar |\n",
    "| abc | def |\n| --- | --- |\n| bar |\n| bar | baz | boo |\n",
    "| abc | def |\n| --- | --- |\n",
    "Action | Owner\n--- | ---\nAdd alert | ana\n",
    "Notes above\n| Action | Owner |\n|---|---|\n| Add alert | ana |\n",
    "| Action | Owner |\n|---|---|\n| Add alert | ana |\n- a list item ends the table\n",
    "| Action |\n|-|\n| one column |\n",
    "Cost | benefit\n---\n",
    "- | -\n- | -\n",
]


@pytest.mark.parametrize("markdown", TABLES)
def test_gfm_table_blocks(markdown: str) -> None:
    assert our_tree(markdown) == reference_tree(markdown)


_PIECES = ["- ", "* ", "+ ", "1. ", "2) ", "> ", "  ", "    ", "# ", "## ", "```", "~~~", "---", "***", "===",
           "<div>", "<!--", "-->", "| a | b |", "|---|---|", "a | b", "--- | ---", "text", "foo bar", "",
           "[ ] task", "</div>", ":--", "|"]


def _known_deviation(source: str, reference: list[object]) -> bool:
    """Where markdown-it departs from the reference implementation, commonmark.js, this
    reader follows commonmark.js (and GitHub): a table header line that starts another
    block, a `>` indented four columns, list items split by blank lines, lazy lines."""
    lines = source.split("\n")

    def header_starts_block(tree: list[object]) -> bool:
        for kind, first, _, children in tree:  # type: ignore[misc]
            if kind == "TABLE" and re.match(r" {0,3}(?:[#<>`~]|[-*+] |\d+[.)] )", lines[first]):
                return True
            if header_starts_block(children):
                return True
        return False

    return header_starts_block(reference) or "\t" in source or "\n\n" in source or "    " in source


def test_generated_documents_agree_with_markdown_it() -> None:
    rng = random.Random(20261201)
    compared = 0
    for _ in range(4000):
        source = "\n".join("".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 4)))
                           for _ in range(rng.randint(1, 7))) + "\n"
        reference = reference_tree(source)
        if _known_deviation(source, reference):
            continue
        compared += 1
        assert our_tree(source) == reference, source
    assert compared > 1500


def _full_tree(source: str, *, fast: bool) -> list[object]:
    starts, ends = line_bounds(source)

    def convert(block: Block) -> list[object]:
        return [[child.kind.name, child.first, child.last, [tuple(line) for line in child.lines], child.level,
                 child.padding, convert(child)] for child in block.children]

    return convert(parse_blocks(source, starts, ends, fast=fast))


_COMMON = ["- item", "- [ ] task — owner: @a", "* other bullet", "| a | b |", "|---|---|", "text line",
           "## heading", "", "  - nested", "1. ordered", "- ```", "> quote", "- - x", "---", "| c |"]


def test_the_fast_path_reads_exactly_as_the_general_one() -> None:
    rng = random.Random(7)
    for _ in range(3000):
        source = "\n".join(rng.choice(_COMMON) for _ in range(rng.randint(1, 12))) + "\n"
        assert _full_tree(source, fast=True) == _full_tree(source, fast=False), source
