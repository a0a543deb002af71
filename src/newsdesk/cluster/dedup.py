"""Near-duplicate detection: syndicated and lightly edited copies of one text.

Exact copies are caught by a hash of the normalised words; near-exact ones (a wire story
re-headlined, a paragraph cut, a byline added) by MinHash LSH (datasketch) over word
3-shingles. The clusterer puts a copy in the story of the article it copies, whatever the
similarity threshold says, so one text never shows up as two stories.
"""

from __future__ import annotations

import hashlib
import inspect
import re
import zlib
from collections import deque
from functools import lru_cache
from typing import Any

import numpy as np
from datasketch import MinHash, MinHashLSH

_WORD = re.compile(r"[^\W_]+")

# Syndicated copies share their opening; shingling only the first words keeps cost flat.
MAX_SHINGLE_WORDS = 400
# Below this many words, MinHash of 3-shingles is noise: only exact copies are folded.
MIN_WORDS_FOR_MINHASH = 8


def _hash32(data: bytes) -> int:
    # Deterministic across processes (Python's hash() is salted), and cheap.
    return zlib.crc32(data)


# datasketch 2 wants the scheme named when a MinHash is rebuilt from stored values.
_SCHEME: dict = (
    {"scheme": "affine32"} if "scheme" in inspect.signature(MinHash.__init__).parameters else {}
)


@lru_cache(maxsize=4)
def _permutations(num_perm: int) -> Any:
    # Drawing the permutations costs more than hashing a headline: draw them once.
    return MinHash(num_perm=num_perm, **_SCHEME).permutations


@lru_cache(maxsize=1)
def _hash_dtype() -> np.dtype:
    # Learnt once: a throwaway MinHash draws permutations, most of a stored entry's load time.
    return MinHash(num_perm=1, **_SCHEME).hashvalues.dtype


def _minhash(num_perm: int, hashvalues: list[int] | None = None) -> MinHash:
    """A MinHash with our hash function and the shared permutations."""
    kwargs: dict = {"num_perm": num_perm, "hashfunc": _hash32, **_SCHEME}
    kwargs["permutations"] = _permutations(num_perm)
    if hashvalues is not None:
        kwargs["hashvalues"] = np.asarray(hashvalues, dtype=_hash_dtype())
    return MinHash(**kwargs)


def content_words(title: str, text: str) -> list[str]:
    return _WORD.findall(f"{title}\n{text}".lower())[:MAX_SHINGLE_WORDS]


def content_key(words: list[str]) -> str:
    """The key of an exact copy: same words in the same order, whatever the markup or case."""
    return hashlib.sha1(" ".join(words).encode("utf-8")).hexdigest()[:20]


class NearDuplicateIndex:
    """Finds an earlier article that a new one copies, exactly or nearly.

    Exact keys and MinHash signatures leave the index ``window`` seconds after they entered
    it (7 days by default, longer than a story stays active), so lookups and memory
    stay flat however long the stream runs.
    """

    def __init__(self, *, threshold: float = 0.7, num_perm: int = 64, window: float) -> None:
        self.threshold = threshold
        self.num_perm = num_perm
        self.window = window
        self.exact: dict[str, str] = {}  # content key -> article id of the first copy
        # Bands of 4 rows: a pair at Jaccard 0.7 becomes a candidate with probability 0.99
        # (datasketch's default banding misses about a third of pairs at 0.8). Candidates
        # are then checked against ``threshold``, so the extra ones cost a comparison each.
        self._lsh = MinHashLSH(num_perm=num_perm, params=(num_perm // 4, 4))
        self._signatures: dict[str, MinHash] = {}
        self._order: deque[tuple[float, str, str]] = deque()  # (time, article id, key)

    def signature(self, words: list[str]) -> MinHash | None:
        if len(words) < MIN_WORDS_FOR_MINHASH:
            return None
        shingles = {" ".join(words[i : i + 3]).encode("utf-8") for i in range(len(words) - 2)}
        minhash = _minhash(self.num_perm)
        minhash.update_batch(sorted(shingles))
        return minhash

    def find(self, key: str, signature: MinHash | None) -> str | None:
        """The id of the earlier article this one copies, or ``None``."""
        if key in self.exact:
            return self.exact[key]
        if signature is None:
            return None
        best: tuple[float, str] | None = None
        for candidate in self._lsh.query(signature):
            similarity = signature.jaccard(self._signatures[candidate])
            # Ties go to the smaller id, so the answer does not depend on set order.
            if similarity >= self.threshold and (
                best is None or (similarity, _neg(candidate)) > (best[0], _neg(best[1]))
            ):
                best = (similarity, candidate)
        return best[1] if best else None

    def add(self, article_id: str, key: str, signature: MinHash | None, when: float) -> None:
        if key in self.exact or article_id in self._signatures:
            return  # a copy: the first one stands for the text
        self.exact[key] = article_id
        if signature is not None:
            self._lsh.insert(article_id, signature)
            self._signatures[article_id] = signature
        self._order.append((when, article_id, key))

    def expire(self, now: float) -> None:
        while self._order and self._order[0][0] < now - self.window:
            _, article_id, key = self._order.popleft()
            if self._signatures.pop(article_id, None) is not None:
                self._lsh.remove(article_id)
            if self.exact.get(key) == article_id:
                del self.exact[key]

    def __len__(self) -> int:
        return len(self._signatures)

    def to_state(self) -> dict:
        return {
            "entries": [
                [
                    when,
                    article_id,
                    key,
                    self._signatures[article_id].hashvalues.tolist()
                    if article_id in self._signatures
                    else None,
                ]
                for when, article_id, key in self._order
            ],
        }

    def load_state(self, state: dict) -> None:
        for when, article_id, key, values in state["entries"]:
            signature = None if values is None else _minhash(self.num_perm, values)
            self.add(article_id, key, signature, float(when))


def _neg(article_id: str) -> tuple[int, ...]:
    return tuple(-ord(c) for c in article_id)
