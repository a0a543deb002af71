"""BCubed precision, recall and F1 of a clustering against gold labels (Bagga and Baldwin)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping


def bcubed(
    predicted: Mapping[str, Hashable], gold: Mapping[str, Hashable]
) -> tuple[float, float, float]:
    """``(precision, recall, F1)`` over the items present in both mappings.

    Per item: precision is the share of its predicted cluster that shares its gold label,
    recall the share of its gold cluster that shares its predicted cluster; both averaged.
    """
    items = [item for item in gold if item in predicted]
    if not items:
        return 0.0, 0.0, 0.0
    pair = Counter((predicted[i], gold[i]) for i in items)
    predicted_size = Counter(predicted[i] for i in items)
    gold_size = Counter(gold[i] for i in items)
    precision = sum(pair[(predicted[i], gold[i])] / predicted_size[predicted[i]] for i in items)
    recall = sum(pair[(predicted[i], gold[i])] / gold_size[gold[i]] for i in items)
    precision /= len(items)
    recall /= len(items)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
