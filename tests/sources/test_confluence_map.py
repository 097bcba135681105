"""The rendition's map back to the storage text, on generated pages: exact pieces are the same
characters, every insertion point lies between tags (the page stays well-formed), every task's
mark maps to its status."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from actiontrack.sources.confluence.page import PageData, read_page
from actiontrack.sources.confluence.render import render
from actiontrack.sources.confluence.storage import escape, parse

WORDS = st.sampled_from(["Add", "alert", "runbook", "監視", "を追加する", "a|b", "R&D", "<tag>", "  ", "x"])
text = st.lists(WORDS, min_size=1, max_size=5).map(lambda ws: " ".join(escape(w) for w in ws))
inline = st.one_of(
    text,
    text.map(lambda t: f"<strong>{t}</strong>"),
    text.map(lambda t: f"{t}&nbsp;{t}"),
    st.just('<ac:link><ri:user ri:account-id="5b10ac8d82e05b22cc7d4ef5" /></ac:link>'),
    st.just('<time datetime="2030-01-31" />'),
    st.just('<ac:structured-macro ac:name="jira"><ac:parameter ac:name="key">OPS-7</ac:parameter>'
            "</ac:structured-macro>"),
    st.just('<ac:structured-macro ac:name="status"><ac:parameter ac:name="title">DONE</ac:parameter>'
            "</ac:structured-macro>"),
)
line = st.lists(inline, min_size=1, max_size=4).map(" ".join)


def task_list(bodies: list[tuple[str, bool]]) -> str:
    tasks = "".join(f"<ac:task><ac:task-id>{n}</ac:task-id><ac:task-status>{'complete' if done else 'incomplete'}"
                    f"</ac:task-status><ac:task-body>{body}</ac:task-body></ac:task>"
                    for n, (body, done) in enumerate(bodies, start=1))
    return f"<ac:task-list>{tasks}</ac:task-list>"


def table(rows: list[list[str]]) -> str:
    head = "<tr><th>Action</th><th>Owner</th><th>Ticket</th></tr>"
    body = "".join("<tr>" + "".join(f"<td><p>{cell}</p></td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><tbody>{head}{body}</tbody></table>"


block = st.one_of(
    line.map(lambda t: f"<p>{t}</p>"),
    st.just("<h2>Action items</h2>"),
    st.just("<h2>再発防止策</h2>"),
    st.lists(line, min_size=1, max_size=3).map(lambda items: "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"),
    st.lists(st.tuples(line, st.booleans()), min_size=1, max_size=3).map(task_list),
    st.lists(st.lists(line, min_size=3, max_size=3), min_size=1, max_size=3).map(table),
)
pages = st.lists(block, min_size=1, max_size=6).map("\n".join)


@settings(max_examples=80, deadline=None)
@given(pages)
def test_exact_pieces_are_the_same_characters(storage: str) -> None:
    rendition = render(parse(storage), "T")
    for seg in rendition.segments:
        if seg.exact:
            here = rendition.text[seg.start : seg.end]
            there = storage[seg.stor_start : seg.stor_end].replace("\u00a0", " ")
            assert here == there.replace("\n", " ").replace("\t", " ")


@settings(max_examples=80, deadline=None)
@given(pages)
def test_insertion_points_keep_the_page_well_formed_and_marks_map_to_statuses(storage: str) -> None:
    result = read_page(PageData("1", "T", 1, storage, "u"))
    assert result.postmortem is not None
    page = result.postmortem.origin
    rendition = page.rendition  # type: ignore[union-attr]
    for action in result.postmortem.actions:
        assert action.anchor is not None
        at = rendition.storage_after(action.anchor.insert_at)
        parse(storage[:at] + "<em>key</em>" + storage[at:])  # never inside a tag
        if action.anchor.checkbox_at is not None:
            start, end = rendition.checkboxes[action.anchor.checkbox_at]
            ticked = rendition.text[action.anchor.checkbox_at] == "x"
            assert storage[start:end] == ("complete" if ticked else "incomplete")
