"""Words and vectors for comparing sentences: tokens, stop words, TF-IDF matrices.

Tokens are lower-cased words; scripts written without spaces (Chinese, Japanese) are cut
into character bigrams so that overlap still means shared content. Stop words are known
for a few languages; elsewhere inverse document frequency does their job.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]+")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _words(text: str) -> frozenset[str]:
    """A word list written as one block of text (easier to read and extend)."""
    return frozenset(text.split())


_STOP_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(ENGLISH_STOP_WORDS) | {"said", "says", "told", "just", "like", "s", "t"},
    "ru": _words(
        """
        и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по
        только ее мне было вот от меня еще нет о из ему теперь когда даже ну вдруг ли если
        уже или ни быть был него до вас нибудь опять уж вам ведь там потом себя ничего ей
        может они тут где есть надо ней для мы тебя их чем была сам чтоб без будто чего раз
        тоже себе под будет ж тогда кто этот того потому этого какой совсем ним здесь этом
        один почти мой тем чтобы нее сейчас были куда зачем всех никогда можно при наконец
        два об другой хоть после над больше тот через эти нас про всего них какая много
        разве три эту моя впрочем хорошо свою этой перед иногда лучше чуть том нельзя такой
        им более всегда конечно всю между это также заявил сообщил сказал
        """
    ),
    "de": _words(
        """
        der die das und in zu den von mit sich des auf für ist im dem nicht ein eine als
        auch es an werden aus er hat dass sie nach wird bei einer um am sind noch wie einem
        über einen so zum war haben nur oder aber vor zur bis mehr durch man sein wurde sei
        """
    ),
    "fr": _words(
        """
        le la les de des du un une et en à au aux est que qui dans pour par sur pas plus ne
        ce cette ces il elle ils elles a été son sa ses leur leurs avec se qu d l n s y ont
        mais ou comme
        """
    ),
    "es": _words(
        """
        el la los las de del y en a que un una es se no por con para su sus al lo como más
        pero o ha han fue ser este esta le
        """
    ),
}


def stop_words(language: str | None) -> frozenset[str]:
    return _STOP_WORDS.get(language or "", frozenset())


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens; CJK runs become character bigrams."""
    words = _TOKEN.findall(text.lower())
    if text.isascii() or not _CJK_RUN.search(text):
        return words
    out: list[str] = []
    for word in words:
        if _CJK_RUN.search(word):
            for run in _CJK_RUN.findall(word):
                out.extend(run[i : i + 2] for i in range(max(1, len(run) - 1)))
            out.extend(_CJK_RUN.sub(" ", word).split())
        else:
            out.append(word)
    return out


def content_tokens(text: str, language: str | None) -> list[str]:
    """Tokens without stop words and one-letter noise."""
    stops = stop_words(language)
    return [t for t in tokens(text) if t not in stops and (len(t) > 1 or t.isdigit())]


def numbers(text: str) -> set[str]:
    """The numbers written in a text, normalised ("1,000" and "1000" are the same)."""
    return {n.replace(",", "") for n in _NUMBER.findall(text)}


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
