"""Near-duplicate detection: syndicated and lightly edited copies of one text.

Exact copies are caught by a hash of the normalised words; near-exact ones (a wire story
re-headlined, a paragraph cut, a byline added) by MinHash LSH over word 3-shingles. The
clusterer puts a copy in the story of the article it copies, whatever the similarity
threshold says, so one text never shows up as two stories.

The MinHash is datasketch's "affine32" scheme, written out here with numpy (the values
are the same, so stored clusterer states carry over): importing datasketch brings in
scipy.integrate, half a second of every run's start for one formula we never use.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections import deque
from functools import lru_cache

import numpy as np

_WORD = re.compile(r"[^\W_]+")

# Syndicated copies share their opening; shingling only the first words keeps cost flat.
MAX_SHINGLE_WORDS = 400
# Below this many words, MinHash of 3-shingles is noise: only exact copies are folded.
MIN_WORDS_FOR_MINHASH = 8

Signature = np.ndarray  # a MinHash: the least permuted hash per permutation, uint32

_SEED = 1
# MurmurHash3's 32-bit finalizer: spreads crc32's values before the affine permutations.
_FMIX = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35))


@lru_cache(maxsize=4)
def _permutations(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    """The permutations h -> a * h + b (mod 2^32), ``a`` odd so each is a bijection."""
    draw = np.random.RandomState(_SEED)  # the same draw as datasketch's, in its order
    a = draw.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = draw.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def minhash(shingles: list[bytes], num_perm: int) -> Signature:
    """The MinHash of a non-empty set of shingles."""
    # crc32: deterministic across processes (Python's hash() is salted), and cheap.
    h = np.fromiter((zlib.crc32(s) for s in shingles), np.uint32, len(shingles))[:, None]
    shift1, multiply1, shift2, multiply2 = _FMIX
    h = h ^ (h >> shift1)
    h = h * multiply1
    h = h ^ (h >> shift2)
    h = h * multiply2
    h = h ^ (h >> shift1)
    a, b = _permutations(num_perm)
    return (h * a + b).min(axis=0)


def jaccard(one: Signature, other: Signature) -> float:
    """The estimated Jaccard similarity of the two sets: the share of equal minima."""
    return float(np.count_nonzero(one == other)) / len(one)


def text_signature(words: list[str], num_perm: int) -> Signature | None:
    """The MinHash of a text's word 3-shingles (its ``content_words``); None when too short."""
    if len(words) < MIN_WORDS_FOR_MINHASH:
        return None
    shingles = {" ".join(words[i : i + 3]).encode("utf-8") for i in range(len(words) - 2)}
    return minhash(sorted(shingles), num_perm)


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
        # (an LSH tuned for 0.7 with 8 rows misses about a third of pairs at 0.8). Candidates
        # are then checked against ``threshold``, so the extra ones cost a comparison each.
        self._rows = 4
        self._bands: list[dict[bytes, set[str]]] = [{} for _ in range(num_perm // self._rows)]
        self._signatures: dict[str, Signature] = {}
        self._order: deque[tuple[float, str, str]] = deque()  # (time, article id, key)

    def signature(self, words: list[str]) -> Signature | None:
        return text_signature(words, self.num_perm)

    def _band_keys(self, signature: Signature) -> list[bytes]:
        rows = self._rows
        return [signature[i * rows : (i + 1) * rows].tobytes() for i in range(len(self._bands))]

    def _candidates(self, signature: Signature) -> set[str]:
        """The articles that share all the rows of at least one band with ``signature``."""
        found: set[str] = set()
        for band, key in zip(self._bands, self._band_keys(signature), strict=True):
            found.update(band.get(key, ()))
        return found

    def find(self, key: str, signature: Signature | None) -> str | None:
        """The id of the earlier article this one copies, or ``None``."""
        if key in self.exact:
            return self.exact[key]
        if signature is None:
            return None
        best: tuple[float, str] | None = None
        for candidate in self._candidates(signature):
            similarity = jaccard(signature, self._signatures[candidate])
            # Ties go to the smaller id, so the answer does not depend on set order.
            if similarity >= self.threshold and (
                best is None or (similarity, _neg(candidate)) > (best[0], _neg(best[1]))
            ):
                best = (similarity, candidate)
        return best[1] if best else None

    def add(self, article_id: str, key: str, signature: Signature | None, when: float) -> None:
        if key in self.exact or article_id in self._signatures:
            return  # a copy: the first one stands for the text
        self.exact[key] = article_id
        if signature is not None:
            for band, band_key in zip(self._bands, self._band_keys(signature), strict=True):
                band.setdefault(band_key, set()).add(article_id)
            self._signatures[article_id] = signature
        self._order.append((when, article_id, key))

    def expire(self, now: float) -> None:
        while self._order and self._order[0][0] < now - self.window:
            _, article_id, key = self._order.popleft()
            signature = self._signatures.pop(article_id, None)
            if signature is not None:
                for band, band_key in zip(self._bands, self._band_keys(signature), strict=True):
                    members = band[band_key]
                    members.discard(article_id)
                    if not members:
                        del band[band_key]
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
                    self._signatures[article_id].tolist()
                    if article_id in self._signatures
                    else None,
                ]
                for when, article_id, key in self._order
            ],
        }

    def load_state(self, state: dict) -> None:
        for when, article_id, key, values in state["entries"]:
            signature = None if values is None else np.asarray(values, dtype=np.uint32)
            self.add(article_id, key, signature, float(when))


def _neg(article_id: str) -> tuple[int, ...]:
    return tuple(-ord(c) for c in article_id)
