"""TF-IDF rows of token lists, built one way for every stage that compares texts as vectors.

Term frequency is sublinear (1 + log count), inverse document frequency smoothed
(log((1 + n) / (1 + df)) + 1, scikit-learn's), and each row scaled to unit length. The
writer ranks sentences with it; earlier coverage compares stories with it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse


def tfidf_matrix(
    token_lists: Sequence[Sequence[str]], extra: Sequence[Sequence[str]] = ()
) -> tuple[sparse.csr_matrix, sparse.csr_matrix, dict[str, int]]:
    """L2-normalised TF-IDF rows for ``token_lists`` (the IDF is theirs) and for ``extra``.

    Term frequency is sublinear (1 + log count). Returns (matrix, extra_matrix,
    vocabulary). Words of ``extra`` unseen in ``token_lists`` are ignored.
    """
    vocabulary: dict[str, int] = {}
    matrix = _counts(token_lists, vocabulary, grow=True)
    n = max(1, len(token_lists))
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    idf = np.log((1 + n) / (1 + df)) + 1.0
    extra_matrix = _counts(extra, vocabulary, grow=False, width=matrix.shape[1])
    return _weigh(matrix, idf), _weigh(extra_matrix, idf), vocabulary


def _counts(
    token_lists: Sequence[Sequence[str]],
    vocabulary: dict[str, int],
    *,
    grow: bool,
    width: int | None = None,
) -> sparse.csr_matrix:
    indptr = [0]
    indices: list[int] = []
    for toks in token_lists:
        if grow:
            ids = [vocabulary.setdefault(t, len(vocabulary)) for t in toks]
        else:
            ids = [j for j in (vocabulary.get(t) for t in toks) if j is not None]
        indices.extend(ids)
        indptr.append(len(indices))
    shape = (len(token_lists), max(1, width if width is not None else len(vocabulary)))
    data = np.ones(len(indices))
    matrix = sparse.csr_matrix((data, np.array(indices, dtype=np.int64), indptr), shape=shape)
    matrix.sum_duplicates()  # repeated words become counts
    return matrix


def _weigh(matrix: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    """Sublinear TF times IDF, each row scaled to unit length."""
    matrix = matrix.copy()
    matrix.data = (1.0 + np.log(matrix.data)) * idf[matrix.indices]
    lengths = np.diff(matrix.indptr)
    rows = np.repeat(np.arange(matrix.shape[0]), lengths)
    norms = np.sqrt(np.bincount(rows, weights=matrix.data**2, minlength=matrix.shape[0]))
    norms[norms == 0] = 1.0
    matrix.data /= norms[rows]
    return matrix
