"""The calibrated support model: the file the project builds loads, and it judges wording."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.model import Article, Draft, Sentence
from newsdesk.verify import verify_draft
from newsdesk.verify.calibrated import FEATURES, MODEL_FILE, SupportModel, load_model

SOURCE = Article.create(
    url="https://example.org/mali",
    title="Wagner group announces withdrawal from Mali",
    paragraphs=(
        "The Russian paramilitary Wagner Group has announced its withdrawal from Mali. "
        "The group has been operating alongside the Malian military since 2021.",
        "On June 1, the group said it carried out an assault on the base in Boulikessi, "
        "killing more than 30 soldiers.",
    ),
)


def draft(text: str) -> Draft:
    return Draft("s", "", (), (Sentence(text, (SOURCE.id,)),), (), ())


def test_the_shipped_model_loads_with_one_weight_per_feature():
    model = load_model()
    assert model is not None, f"{MODEL_FILE} is missing: python scripts/build_support_model.py"
    assert len(model.weights) == len(model.means) == len(model.scales) == len(FEATURES)
    assert 0 < model.threshold < 1


def test_a_missing_or_foreign_model_file_leaves_the_rules_to_decide(tmp_path: Path):
    assert load_model(tmp_path / "absent.json") is None
    other = tmp_path / "other.json"
    other.write_text(json.dumps({**load_model().to_dict(), "features": ["x"]}))
    assert load_model(other) is None


def test_calibrated_checks_pass_copied_and_reworded_and_fail_unrelated_text():
    copied = "The Russian paramilitary Wagner Group has announced its withdrawal from Mali."
    reworded = "Wagner, the Russian paramilitary group, has announced that it is leaving Mali."
    unrelated = "Heavy rain flooded vineyards across southern France, farmers said on Tuesday."
    for text in (copied, reworded):
        assert verify_draft(draft(text), [SOURCE], calibrated=True).passed, text
    report = verify_draft(draft(unrelated), [SOURCE], calibrated=True)
    assert any("support score" in p.why for p in report.problems)


def test_the_model_is_a_logistic_regression_of_its_features():
    model = SupportModel(
        weights=(1.0,) * len(FEATURES),
        bias=0.0,
        means=(0.0,) * len(FEATURES),
        scales=(1.0,) * len(FEATURES),
        threshold=0.5,
    )
    assert model.probability((0.0,) * len(FEATURES)) == 0.5
    assert model.probability((1.0,) * len(FEATURES)) > 0.99


def test_verify_command_with_the_calibrated_checker(tmp_path: Path):
    path = tmp_path / "drafts.jsonl"
    line = {
        **draft("Heavy rain flooded vineyards across southern France.").to_dict(),
        "articles": [SOURCE.to_dict()],
    }
    path.write_text(json.dumps(line) + "\n")
    result = CliRunner().invoke(app, ["verify", str(path), "--checker", "calibrated"])
    assert result.exit_code == 1
    assert "support score" in result.stdout


def test_a_covered_sentence_is_not_scored_but_a_word_of_its_own_is():
    # a model whose length weight doubts every long sentence
    doubting = SupportModel(
        weights=(0.0,) * (len(FEATURES) - 1) + (-10.0,),
        bias=0.0,
        means=(0.0,) * len(FEATURES),
        scales=(1.0,) * len(FEATURES),
        threshold=0.5,
    )
    copied = (1.0, 1.0, 0.0, 0.0, 0.0, 1.0, 3.0)  # every word in its passages, none its own
    added = (1.0, 1.0, 1.0, 0.1, 0.0, 1.0, 3.0)  # one word no source has in any form
    assert doubting.score(copied) == 1.0
    assert doubting.score(added) < 0.5


def test_the_calibrated_checker_is_the_default_and_rules_remain_a_choice(tmp_path: Path):
    path = tmp_path / "drafts.jsonl"
    line = {
        **draft("Heavy rain flooded vineyards across southern France.").to_dict(),
        "articles": [SOURCE.to_dict()],
    }
    path.write_text(json.dumps(line) + "\n")
    default = CliRunner().invoke(app, ["verify", str(path)])
    rules = CliRunner().invoke(app, ["verify", str(path), "--checker", "rules"])
    assert default.exit_code == rules.exit_code == 1
    assert "support score" in default.stdout
    assert "support score" not in rules.stdout and "content is in the" in rules.stdout


def test_words_of_its_own_fail_a_sentence_whatever_the_model_says():
    # "because it ran out of money": two words no form of the source has
    added = "The Russian paramilitary Wagner Group has announced its withdrawal from Mali "
    added += "because it ran out of money."
    report = verify_draft(draft(added), [SOURCE])
    assert any("adds words" in p.why for p in report.problems)
