"""Per-action cost of the judgement (vague-action, the three anti-patterns, phase and
category) at HEAD against another revision, in one process, alternating runs.

The other revision's wording.py, tagging.py and classify.py (and commitment.py when it
has one) are loaded from git under other names, so both run against the same model and
taxonomy. CPU time (time.process_time), because the machine is shared: compare the two
figures of one run, not figures of different runs.

Usage: python bench/judge_cost.py [--rev main] [--runs 7] [--repeat 20] [--texts throughput|corpus|both]
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from actiontrack import classify, wording
from actiontrack.model import Action

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import throughput  # noqa: E402  (the throughput benchmark's action texts)


def _load(rev: str, folder: Path) -> tuple[ModuleType, ModuleType]:
    """The revision's wording and classify modules, importing each other by their new names."""
    names = ["commitment", "wording", "tagging", "classify"]
    loaded: dict[str, ModuleType] = {}
    for name in names:
        shown = subprocess.run(["git", "show", f"{rev}:src/actiontrack/{name}.py"], cwd=ROOT,
                               capture_output=True, text=True, check=False)
        if shown.returncode:
            continue  # the revision has no such module (commitment.py before issue 10)
        source = shown.stdout
        for other in names:
            source = source.replace(f"from actiontrack import {other}", f"import _rev_{other} as {other}")
            source = source.replace(f"from actiontrack.{other} import", f"from _rev_{other} import")
        source = source.replace("from actiontrack import commitment, wording",
                                "import _rev_commitment as commitment, _rev_wording as wording")
        source = source.replace("from actiontrack import commitment, tagging, wording",
                                "import _rev_commitment as commitment, _rev_tagging as tagging, "
                                "_rev_wording as wording")
        path = folder / f"_rev_{name}.py"
        path.write_text(source, encoding="utf-8")
    sys.path.insert(0, str(folder))
    for name in names:
        if (folder / f"_rev_{name}.py").exists():
            spec = importlib.util.spec_from_file_location(f"_rev_{name}", folder / f"_rev_{name}.py")
            assert spec is not None and spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            sys.modules[f"_rev_{name}"] = module
            spec.loader.exec_module(module)
            loaded[name] = module
    return loaded["wording"], loaded["classify"]


def _actions(which: str) -> list[Action]:
    texts: list[str] = []
    if which in ("corpus", "both"):
        split = importlib.util.spec_from_file_location("_split", ROOT / "corpus" / "split.py")
        assert split is not None and split.loader is not None
        module = importlib.util.module_from_spec(split)
        split.loader.exec_module(module)
        texts += [str(item["text"]) for item in module.split_items("train")]
    if which in ("throughput", "both"):
        texts += [f"{text} {n}" for n, text in enumerate((throughput.EN + throughput.JA) * 60)]
    return [Action(str(i), "pm", text, Path("pm.md"), 1, 1, i, text) for i, text in enumerate(texts)]


def _run(actions: list[Action], wording_mod: ModuleType, classify_fn: Callable[[Action], object],
         repeat: int) -> float:
    vague, hide = wording_mod.find_vague, wording_mod.find_error_hiding
    punitive, oversized = wording_mod.find_punitive, wording_mod.find_oversized
    start = time.process_time()
    for _ in range(repeat):
        for action in actions:
            text = action.text
            vague(text), hide(text), punitive(text), oversized(text)
            classify_fn(action)
    return (time.process_time() - start) / repeat / len(actions) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rev", default="main")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--texts", choices=("throughput", "corpus", "both"), default="both",
                        help="the throughput benchmark's short titles, the corpus's train items, or both")
    args = parser.parse_args()
    actions = _actions(args.texts)
    with tempfile.TemporaryDirectory() as tmp:
        old_wording, old_classify = _load(args.rev, Path(tmp))
        sides = {"HEAD": (wording, classify.classify), args.rev: (old_wording, old_classify.classify)}
        for mod, fn in sides.values():
            _run(actions, mod, fn, 1)  # compile the lazy regexes first
        times: dict[str, list[float]] = {name: [] for name in sides}
        for _ in range(args.runs):
            for name, (mod, fn) in sides.items():
                times[name].append(_run(actions, mod, fn, args.repeat))
    print(f"{len(actions)} actions ({args.texts}), "
          f"{args.runs} alternating runs of {args.repeat}")
    for name, values in times.items():
        print(f"  {name:<8} median {statistics.median(values):6.2f} µs/action (min {min(values):.2f})")
    ratio = statistics.median(times["HEAD"]) / statistics.median(times[args.rev])
    print(f"  HEAD / {args.rev}: {ratio:.2f}x")


if __name__ == "__main__":
    main()
