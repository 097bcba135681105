"""The corpus split: by document (grouped by event), fixed before anything was built on it.

The rule is the one written down before labelling (/work/brief/split.py), unchanged:
corpus-A documents (reader fixtures in tests/fixtures/realdocs/) are 'heldout' one in
three by a hash of their id, and their items are 'test' when held out, else 'train' or
'dev'; items of any other document are 'test' 20 %, 'dev' 20 %, 'train' 60 % by a hash of
the document id.

One addition, made before any item was read for tuning: a few events were reported in
two documents whose wording repeats the same measures (corpus/notes/jab.md). Their
documents are hashed under one event id (the first document id of the group), so both
land in the same split and no measure is in train and test at once.

``corpus/test-docs.txt`` freezes the test documents: tests/corpus checks that the rule
still gives exactly that list for the documents it names, and that no document outside
it is test. When the corpus grows, ``python corpus/split.py --freeze`` appends the new
test documents; it never removes one.

Usage: python corpus/split.py [--freeze | --check | --counts]
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ACTIONS = ROOT / "corpus" / "actions"
REALDOCS = ROOT / "tests" / "fixtures" / "realdocs"
FROZEN = ROOT / "corpus" / "test-docs.txt"

# Documents reporting one event in overlapping words (corpus/notes/jab.md, "Skipped"):
# each group is hashed under its first id. Grouped wider than the notes' three pairs where
# a regulator's instruction and the operator's report list the same measures.
EVENTS: tuple[tuple[str, ...], ...] = (
    ("jab-docomo-2021-10-asahi", "jab-docomo-2021-12-ampmedia", "jab-soumu-2021-11-docomo-shido-mynavi"),
    ("jab-kddi-2022-07-important-news", "jab-kddi-2022-11-report-blogofmobile",
     "jab-kddi-2022-11-report-itmedia", "jab-soumu-2022-08-kddi-shido-itmedia"),
    ("jab-soumu-2022-12-rakuten-shido-blogofmobile", "jab-soumu-2022-12-rakuten-shido-nhk"),
    ("jab-docomo-2020-09-docomo-koza-chiki", "jab-docomo-2020-09-docomo-koza-nhk"),
)
_EVENT_OF = {doc: group[0] for group in EVENTS for doc in group}


def bucket(doc_id: str, n: int) -> int:
    return int(hashlib.sha256(doc_id.encode()).hexdigest()[:8], 16) % n


def realdoc_split(doc_id: str) -> str:
    return "heldout" if bucket(doc_id, 3) == 0 else "dev"


def realdoc_splits() -> dict[str, str]:
    """Corpus-A document id -> 'dev' | 'heldout', as the rule gives it."""
    found = {}
    for path in REALDOCS.glob("*/*.expected.toml"):
        doc_id = path.name[: -len(".expected.toml")]
        found[doc_id] = realdoc_split(doc_id)
    return found


def item_split(doc_id: str, realdocs: dict[str, str]) -> str:
    """'train' | 'dev' | 'test' for the items of ``doc_id`` (the brief's rule, by event)."""
    key = _EVENT_OF.get(doc_id, doc_id)
    b = bucket("items:" + key, 5)
    if key in realdocs:  # a reader fixture: held out there means test here, else never test
        return "test" if realdocs[key] == "heldout" else "dev" if b == 1 else "train"
    return "test" if b == 0 else "dev" if b == 1 else "train"


def items() -> Iterator[dict[str, object]]:
    """Every labelled item of corpus/actions/*.jsonl, in file order."""
    for path in sorted(ACTIONS.glob("*.jsonl")):
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                if line.strip():
                    yield json.loads(line)


def split_items(wanted: str) -> list[dict[str, object]]:
    """The items of one split. Asking for 'test' is for reporting aggregate figures only."""
    realdocs = realdoc_splits()
    return [item for item in items() if item_split(str(item["doc"]), realdocs) == wanted]


def frozen() -> list[str]:
    if not FROZEN.exists():
        return []
    return [line.strip() for line in FROZEN.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def test_docs() -> set[str]:
    realdocs = realdoc_splits()
    return {str(item["doc"]) for item in items() if item_split(str(item["doc"]), realdocs) == "test"}


def check() -> list[str]:
    """What disagrees between the rule and the frozen list (empty when all is well)."""
    listed, computed = set(frozen()), test_docs()
    problems = [f"frozen test document is no longer test: {d}" for d in sorted(listed - computed)
                if d in {str(i["doc"]) for i in items()}]
    problems += [f"test document not in {FROZEN.name} (run --freeze): {d}" for d in sorted(computed - listed)]
    return problems


def freeze() -> int:
    """Append the new test documents to the frozen list; never remove one."""
    listed = frozen()
    new = sorted(test_docs() - set(listed))
    header = "# Test documents of corpus/actions, frozen (corpus/split.py). Append only.\n"
    text = FROZEN.read_text(encoding="utf-8") if FROZEN.exists() else header
    FROZEN.write_text(text + "".join(doc + "\n" for doc in new), encoding="utf-8")
    return len(new)


def counts() -> Counter[tuple[str, str, bool]]:
    """(language, split, authored) -> number of items: the only view of test it gives."""
    realdocs = realdoc_splits()
    return Counter((str(i["lang"]), item_split(str(i["doc"]), realdocs), bool(i["authored"])) for i in items())


if __name__ == "__main__":
    if "--freeze" in sys.argv:
        print(f"{freeze()} test documents added to {FROZEN}")
    elif "--counts" in sys.argv:
        for key, n in sorted(counts().items()):
            print(*key, n)
    else:
        trouble = check()
        print("\n".join(trouble) or "split ok: the rule and the frozen test list agree")
        sys.exit(1 if trouble else 0)
