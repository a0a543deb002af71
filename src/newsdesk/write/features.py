"""Words and vectors for comparing sentences: tokens, stop words, TF-IDF matrices.

Tokens are lower-cased words; scripts written without spaces (Chinese, Japanese) are cut
into character bigrams so that overlap still means shared content. Stop words are known
for a few languages; elsewhere inverse document frequency does their job.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]+")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")

_STOP_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(ENGLISH_STOP_WORDS) | {"said", "says", "told", "just", "like", "s", "t"},
    "ru": frozenset(
        ["и", "в", "во", "не", "что", "он", "на", "я", "с", "со", "как", "а", "то", "все", "она", "так", "его", "но", "да", "ты", "к", "у", "же", "вы", "за", "бы", "по", "только", "ее", "мне", "было", "вот", "от", "меня", "еще", "нет", "о", "из", "ему", "теперь", "когда", "даже", "ну", "вдруг", "ли", "если", "уже", "или", "ни", "быть", "был", "него", "до", "вас", "нибудь", "опять", "уж", "вам", "ведь", "там", "потом", "себя", "ничего", "ей", "может", "они", "тут", "где", "есть", "надо", "ней", "для", "мы", "тебя", "их", "чем", "была", "сам", "чтоб", "без", "будто", "чего", "раз", "тоже", "себе", "под", "будет", "ж", "тогда", "кто", "этот", "того", "потому", "этого", "какой", "совсем", "ним", "здесь", "этом", "один", "почти", "мой", "тем", "чтобы", "нее", "сейчас", "были", "куда", "зачем", "всех", "никогда", "можно", "при", "наконец", "два", "об", "другой", "хоть", "после", "над", "больше", "тот", "через", "эти", "нас", "про", "всего", "них", "какая", "много", "разве", "три", "эту", "моя", "впрочем", "хорошо", "свою", "этой", "перед", "иногда", "лучше", "чуть", "том", "нельзя", "такой", "им", "более", "всегда", "конечно", "всю", "между", "это", "также", "заявил", "сообщил", "сказал"]
    ),
    "de": frozenset(
        ["der", "die", "das", "und", "in", "zu", "den", "von", "mit", "sich", "des", "auf", "für", "ist", "im", "dem", "nicht", "ein", "eine", "als", "auch", "es", "an", "werden", "aus", "er", "hat", "dass", "sie", "nach", "wird", "bei", "einer", "um", "am", "sind", "noch", "wie", "einem", "über", "einen", "so", "zum", "war", "haben", "nur", "oder", "aber", "vor", "zur", "bis", "mehr", "durch", "man", "sein", "wurde", "sei"]
    ),
    "fr": frozenset(
        ["le", "la", "les", "de", "des", "du", "un", "une", "et", "en", "à", "au", "aux", "est", "que", "qui", "dans", "pour", "par", "sur", "pas", "plus", "ne", "ce", "cette", "ces", "il", "elle", "ils", "elles", "a", "été", "son", "sa", "ses", "leur", "leurs", "avec", "se", "qu", "d", "l", "n", "s", "y", "ont", "mais", "ou", "comme"]
    ),
    "es": frozenset(
        ["el", "la", "los", "las", "de", "del", "y", "en", "a", "que", "un", "una", "es", "se", "no", "por", "con", "para", "su", "sus", "al", "lo", "como", "más", "pero", "o", "ha", "han", "fue", "ser", "este", "esta", "le"]
    ),
}


def stop_words(language: str | None) -> frozenset[str]:
    return _STOP_WORDS.get(language or "", frozenset())


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens; CJK runs become character bigrams."""
    text = text.lower()
    out: list[str] = []
    for word in _TOKEN.findall(text):
        if _CJK_RUN.search(word):
            for run in _CJK_RUN.findall(word):
                out.extend(run[i : i + 2] for i in range(max(1, len(run) - 1)))
            rest = _CJK_RUN.sub(" ", word).split()
            out.extend(rest)
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

    Returns (matrix, extra_matrix, vocabulary). Words of ``extra`` unseen in
    ``token_lists`` are ignored.
    """
    vocabulary: dict[str, int] = {}
    df: dict[int, int] = {}
    rows, cols, vals = [], [], []
    for r, toks in enumerate(token_lists):
        counts: dict[int, int] = {}
        for t in toks:
            j = vocabulary.setdefault(t, len(vocabulary))
            counts[j] = counts.get(j, 0) + 1
        for j, c in counts.items():
            df[j] = df.get(j, 0) + 1
            rows.append(r)
            cols.append(j)
            vals.append(1.0 + math.log(c))
    n = max(1, len(token_lists))
    idf = np.ones(max(1, len(vocabulary)))
    for j, d in df.items():
        idf[j] = math.log((1 + n) / (1 + d)) + 1.0
    matrix = _normalise(
        sparse.csr_matrix((vals, (rows, cols)), shape=(len(token_lists), max(1, len(vocabulary))))
        .multiply(idf)
        .tocsr()
    )
    e_rows, e_cols, e_vals = [], [], []
    for r, toks in enumerate(extra):
        counts = {}
        for t in toks:
            j = vocabulary.get(t)
            if j is not None:
                counts[j] = counts.get(j, 0) + 1
        for j, c in counts.items():
            e_rows.append(r)
            e_cols.append(j)
            e_vals.append(1.0 + math.log(c))
    extra_matrix = _normalise(
        sparse.csr_matrix((e_vals, (e_rows, e_cols)), shape=(len(extra), matrix.shape[1]))
        .multiply(idf)
        .tocsr()
    )
    return matrix, extra_matrix, vocabulary


def _normalise(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ matrix)
