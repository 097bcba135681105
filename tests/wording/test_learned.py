"""The learned second opinion on vagueness (actiontrack/learned.py), as lint shows it.

The model speaks only where the rules have no reading of a title (no predicate the
commitment reader knows) and only above the threshold cross-validation chose; in Japanese,
where no threshold qualified, it never speaks. The shipped weights are what the training
script gives on the corpus, so anyone can rebuild them."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest
from typer.testing import CliRunner

from actiontrack import judge, learned, wording
from actiontrack.cli import full_app

ROOT = Path(__file__).resolve().parents[2]

# Written for this test: commitments in shapes the rules have no predicate for.
VAGUE_PROSE = [
    "Our engineers continue to work diligently to make the platform more resilient",
    "We will be working hard to keep anything like this from happening again",
]
CONCRETE = [
    "Synthetic monitoring of the status page from three regions",
    "Nightly restore test of the orders database backup",
    "Runbook page for rotating the TLS certificates",
]


@pytest.mark.parametrize("title", VAGUE_PROSE)
def test_the_model_flags_vague_prose_no_rule_reads(title: str) -> None:
    assert wording.find_vague(title) is None and wording.head_commitment(title) is None
    found = judge.judge(title).vague
    assert found is not None
    assert found.phrase == title
    assert "learned model, from '" in found.reason
    words = found.reason.split("from ", 1)[1].rstrip(")").split(", ")
    assert words and all(word.strip("'") in title.lower() for word in words)  # the words that decided it


@pytest.mark.parametrize("title", CONCRETE)
def test_concrete_titles_without_a_predicate_stay_clear(title: str) -> None:
    assert wording.head_commitment(title) is None  # the model is asked …
    assert judge.judge(title).vague is None  # … and names no vagueness


def test_the_model_is_not_asked_where_the_reader_read_a_concrete_change() -> None:
    title = "Improve monitoring by adding an alert on p99 latency > 2s"
    model = learned.load()
    p = learned.probability(model.weights, learned.features(title))
    assert p >= model.thresholds["en"]  # alone, the model would call it vague
    assert judge.judge(title).vague is None  # the commitment reader's concrete change wins


@pytest.mark.parametrize("title", ["関係者間の連携をより一層密にしていく所存です", "今後とも一層の努力を続けてまいる"])
def test_japanese_titles_never_get_the_models_verdict(title: str) -> None:
    assert "ja" not in learned.load().thresholds
    assert learned.opinion(title) is None
    found = judge.judge(title).vague
    assert found is None or "learned model" not in found.reason


def test_details_naming_the_change_clear_a_title_the_model_flagged() -> None:
    title = VAGUE_PROSE[0]
    assert judge.judge(title).vague is not None
    assert judge.judge(title, " Add a p99 latency alert on the gateway at 500 ms").vague is None


def test_lint_reports_the_models_finding_with_its_words(tmp_path: Path) -> None:
    pm = tmp_path / "pm.md"
    pm.write_text(f"# Outage\n\n## Action items\n\n- {VAGUE_PROSE[1]} (owner: @ana, due: 2027-01-15)\n",
                  encoding="utf-8")
    result = CliRunner().invoke(full_app(), ["lint", "--output-format", "json", str(pm)])
    findings = [f for f in json.loads(result.stdout) if f["code"] == "AT101"]
    assert len(findings) == 1, result.stdout
    assert "learned model" in findings[0]["message"] and "happening again" in findings[0]["message"]


def test_features_are_linear_in_the_text() -> None:
    long = "improve " * 20_000 + "監視" * 20_000
    found = learned.features(long)
    assert len(found) < 20  # repeated words share their features: no pair of every two words


def _trainer() -> ModuleType:
    sys.path.insert(0, str(ROOT / "corpus"))
    try:
        spec = importlib.util.spec_from_file_location("_train", ROOT / "corpus" / "train.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(ROOT / "corpus"))


def test_the_shipped_weights_are_what_training_gives() -> None:
    trainer = _trainer()
    shipped = json.loads(learned.MODEL_FILE.read_text(encoding="utf-8"))
    thresholds = {lang: shipped["vague"]["thresholds"].get(lang) for lang in ("en", "ja")}
    assert trainer.shipped(trainer.training_items(), thresholds) == shipped
