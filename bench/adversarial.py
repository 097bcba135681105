"""Adversarial input: each shape that once took quadratic or cubic time, at 1×, 10× and 100×.

Target (issue 9): the growth exponent of the reader's time — log(t(100×) / t(10×)) over log
of the texts' length ratio, the slope between the two larger sizes — is at most 1.1 for every
shape, and no shape
raises. The shapes are the ones the independent review found (a heading padded with ten
thousand spaces, `* フェーズ:` repeated, `[a](` repeated, `担当::|` repeated,
`group/sub/p#3` repeated, N `[[actions]]` tables, lists and quotes nested 2,000 deep) and
their relatives. tests/reader/test_adversarial.py feeds the same shapes to the reader at a
size where quadratic behaviour would take minutes, bounded by pytest-timeout.

Usage: python bench/adversarial.py [--base 2000] [--runs 3]
"""

from __future__ import annotations

import argparse
import math
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from actiontrack.reader import read_text

Shape = Callable[[int], tuple[str, str]]  # size -> (suffix, text) of about `size` characters

SHAPES: dict[str, Shape] = {
    "heading padded with spaces": lambda n: (".md", "## a" + " " * n + "x\n"),
    "'* フェーズ:' repeated": lambda n: (".md", "# PM\n## Action items\n- " + "* フェーズ:" * (n // 8) + "】\n"),
    "'[a](' repeated": lambda n: (".md", "# PM\n## Action items\n- " + "[a](" * (n // 4) + "\n"),
    "'担当::|' repeated": lambda n: (".md", "# PM\n## Action items\n- Add " + "担当::|" * (n // 5) + "\n"),
    "'group/sub/p#3' repeated": lambda n: (".md", "# PM\n## Action items\n- Add " + "group/sub/p#3" * (n // 13) + "\n"),
    "list nested deeper each line": lambda n: (".md", "# PM\n## Action items\n" + "".join(
        " " * min(i, 400) + "- x\n" for i in range(n // 200))),
    "quote markers repeated": lambda n: (".md", "# PM\n## Action items\n" + ">" * n + " - x\n"),
    "emphasis openers repeated": lambda n: (".md", "# PM\n## Action items\n- " + "**a" * (n // 3) + "\n"),
    "code ticks repeated": lambda n: (".md", "# PM\n## Action items\n- " + "`a" * (n // 2) + "\n"),
    "HTML attributes repeated": lambda n: (".md", "# PM\n## Action items\n<a" + " b=c" * (n // 4) + "\n- x\n"),
    "dash signatures repeated": lambda n: (".md", "# PM\n## Action items\n- Fix — " + "A — " * (n // 4) + "\n"),
    "keys without values": lambda n: (".md", "# PM\n## Action items\n- Fix " + "owner: " * (n // 7) + "\n"),
    "table cells repeated": lambda n: (".md", "# PM\n## Action items\n| Action | Owner |\n|---|---|\n"
                                       + "| a | b " * (n // 8) + "|\n"),
    "plain-text bullets": lambda n: (".md", "# PM\n## 再発防止策\n" + "・対策\n　" * (n // 6)),
    "one paragraph of sentences": lambda n: (".md", "# PM\n## Action items\n" + "We will add x. " * (n // 15) + "\n"),
    "many [[actions]] tables": lambda n: (".toml", 'title = "PM"\n' + "".join(
        f'[[actions]]\ntitle = "a{i}"\nowner = "o"\n' for i in range(n // 30))),
    "TOML arrays nested": lambda n: (".toml", 'title = "PM"\nx = ' + "[" * (n // 2) + "]" * (n // 2) + "\n"),
    "unclosed comment in a fence": lambda n: (".md", "# PM\n```\n<!--\n```\n## Action items\n"
                                             + "- Add alert\n" * (n // 12)),
    "fences opened and never closed": lambda n: (".md", "# PM\n## Action items\n" + "- x\n```\n" * (n // 6)),
    "long table row": lambda n: (".md", "# PM\n## Action items\n| Action | Owner |\n|---|---|\n| " + "a\\|" * (n // 3)
                                 + " | b |\n"),
    "bylines over one post": lambda n: (".md", "# PM\n\n" + "kim · comment · 2024-03-02\n" * (n // 27)
                                        + "We will add an alert.\n"),
    "one long line alone under actions": lambda n: (".md", "# PM\n## Action items\n" + "word " * (n // 5) + "(\n"),
    # Paragraphs whose sentences all end one way ('. ' before kana, never 。): the other kind's
    # end was looked for afresh after every sentence, to the paragraph's end (quadratic).
    "sentence ends of one kind only": lambda n: (".md", "# PM\n## 再発防止策\n" + "\n\n".join(
        ["x. 対策" * (min(n, 19_000) // 5)] * max(1, n // 19_000)) + "\n"),
    # Comment openers never closed, many to a line: each opener looked for its close to the line's end.
    "comment openers on one line": lambda n: (".md", "# PM\n## Action items\n" + (
        "- Add " + ":<!--" * (min(n, 9_000) // 5) + "\n") * max(1, n // 9_000)),
    # Runs of punctuation before a ticket reference, and paths with many '#': every position of
    # the run started a match that scanned the run again; every '#' walked back to the word's start.
    "punctuation before a reference": lambda n: (".md", "# PM\n## Action items\n" + (
        "- Fix it " + "- " * (min(n, 9_000) // 2) + "in OPS-12\n") * max(1, n // 9_000)),
    "paths with many '#'": lambda n: (".md", "# PM\n## Action items\n" + (
        "- Fix it x" + "/a#1" * (min(n, 9_000) // 4) + "\n") * max(1, n // 9_000)),
    "owner padded with spaces": lambda n: (".md", "# PM\n## Action items\n| Action | Owner |\n|---|---|\n" + (
        "| Add an alert | a" + " " * min(n, 9_000) + "b |\n") * max(1, n // 9_000)),
    "items tried and taken out": lambda n: (".md", "# PM\n## Action items\n" + "".join(
        "- we tried " + "a, but " * 12 + "\n" for _ in range(n // 96))),
}


def time_shape(shape: Shape, size: int, runs: int) -> tuple[float, int]:
    """(median seconds to read the shape at `size`, the text's real length)."""
    suffix, text = shape(size)
    path = Path("adversarial" + suffix)
    times = []
    for _ in range(runs):
        start = time.process_time()
        read_text(path, text)
        times.append(time.process_time() - start)
    return statistics.median(times), len(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", type=int, default=2000, help="characters at 1x")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"{'shape':32} {'1x s':>8} {'10x s':>8} {'100x s':>8} {'exponent':>8}")
    worst = 0.0
    for name, shape in SHAPES.items():
        (t1, _), (t10, n10), (t100, n100) = (time_shape(shape, args.base * f, args.runs) for f in (1, 10, 100))
        # time against the text's real length: some shapes grow faster than `size`
        exponent = math.log(max(t100, 1e-3) / max(t10, 1e-3)) / math.log(n100 / n10)
        worst = max(worst, exponent)
        print(f"{name:32} {t1:8.4f} {t10:8.4f} {t100:8.4f} {exponent:8.2f}")
    print(f"worst growth exponent: {worst:.2f} (target <= 1.1)")


if __name__ == "__main__":
    main()
