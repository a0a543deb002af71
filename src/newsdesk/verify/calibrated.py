"""A calibrated support score: how likely the cited sources support a sentence's wording.

The rules' lexical signals for one sentence (weighted share of its content words in the
best-matching source passages, share in the single best one, words no source has in any
form, word pairs kept from the passages, length) go through a logistic regression whose
weights ``scripts/build_support_model.py`` fits (on faithful and corrupted rewrites of the
Multi-News dev sources and on the CLIFF dev labels, with grouped cross-validation) and
writes to ``support_model.json`` beside this file: a dozen numbers, read once, no
dependency beyond the standard library. The score is 0..1; a sentence scoring under the
model's threshold is unsupported. Facts (numbers, names, dates, quotations), negation and
hedges are the rules' own checks and are not scored here.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from newsdesk.verify.novelty import extrinsic_words
from newsdesk.verify.sources import SourceIndex
from newsdesk.verify.support import Support
from newsdesk.verify.text import STOPWORDS, content_terms, stem

MODEL_FILE = Path(__file__).with_name("support_model.json")
FEATURES = (
    "support",  # weighted share of content words in the best one or two passages
    "best_share",  # plain share of content words in the single best passage
    "extrinsic",  # words no cited source has in any form (verify.novelty)
    "extrinsic_share",
    "missing_share",  # content words (stemmed) no cited source has
    "pairs",  # share of the sentence's adjacent word pairs found in its best passages
    "log_terms",  # log(1 + content words)
)
# Weighted share of content words at which the best passages hold the whole sentence.
COVERED = 0.999
_WORD = re.compile(r"\w+(?:['’]\w+)*")


@dataclass(frozen=True)
class SupportModel:
    """Logistic regression over standardised features, and the decision threshold."""

    weights: tuple[float, ...]
    bias: float
    means: tuple[float, ...]
    scales: tuple[float, ...]
    threshold: float

    def probability(self, features: tuple[float, ...]) -> float:
        z = self.bias + sum(
            w * (x - m) / s
            for w, x, m, s in zip(self.weights, features, self.means, self.scales, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def score(self, features: tuple[float, ...]) -> float:
        """The support score of a sentence: 1 for one whose every content word its best
        passages hold, with no word of its own (a copy or a fusion of copies needs no
        judging: the model's length weight must not doubt a long quotation), else the
        model's probability."""
        if features[0] >= COVERED and features[2] == 0:
            return 1.0
        return self.probability(features)

    def to_dict(self) -> dict[str, object]:
        return {
            "features": list(FEATURES),
            "weights": list(self.weights),
            "bias": self.bias,
            "means": list(self.means),
            "scales": list(self.scales),
            "threshold": self.threshold,
        }

    @classmethod
    def from_dict(cls, data: dict) -> SupportModel:
        if list(data.get("features", [])) != list(FEATURES):
            raise ValueError("the support model was fitted on other features")
        return cls(
            weights=tuple(float(x) for x in data["weights"]),
            bias=float(data["bias"]),
            means=tuple(float(x) for x in data["means"]),
            scales=tuple(float(x) or 1.0 for x in data["scales"]),
            threshold=float(data["threshold"]),
        )


@cache
def load_model(path: Path = MODEL_FILE) -> SupportModel | None:
    """The fitted model, or None when the project has not built one (the rules decide)."""
    try:
        return SupportModel.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def features(
    text: str,
    found: Support,
    indexes: list[SourceIndex],
    forms: tuple[frozenset[str], frozenset[str]],
) -> tuple[float, ...]:
    """The model's inputs for one sentence (see FEATURES)."""
    terms = set(content_terms(text))
    n = max(1, len(terms))
    best = set(content_terms(found.best[0])) if found.best else set()
    extrinsic = extrinsic_words(text, *forms)
    pairs = _pairs(text)
    passage_pairs: set[tuple[str, str]] = set()
    for passage in found.best:
        passage_pairs |= _pairs(passage)
    return (
        found.score,
        len(terms & best) / n,
        float(len(extrinsic)),
        len(extrinsic) / n,
        len(found.missing) / n,
        len(pairs & passage_pairs) / len(pairs) if pairs else 1.0,
        math.log1p(len(terms)),
    )


def _pairs(text: str) -> set[tuple[str, str]]:
    """Adjacent pairs of content-word stems (stop words skipped)."""
    stems = [stem(w.lower()) for w in _WORD.findall(text) if w.lower() not in STOPWORDS]
    return set(itertools.pairwise(stems))
