"""Model-free features for story clustering: stemmed, IDF-weighted terms of title and lead.

A stream has no corpus to fit a vectoriser on, so document frequencies are counted as
articles arrive (``StreamingTfidf``): the same input in the same order always gives the
same weights. On a young stream those counts mean little, so they are blended with a prior
from English word frequencies (``prior``), which the stream's own counts outweigh as it grows. Terms are kept as strings (a hashing vectoriser with no collisions), and
words that look like names or numbers (capitalised mid-sentence, all capitals, digits)
get extra weight, because two reports of one event share their names and figures far
more reliably than their wording.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from functools import lru_cache
from itertools import islice

import snowballstemmer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from newsdesk.cluster.prior import document_share, word_frequency

SparseVector = dict[str, float]

# Words that carry no event: English stop words and the verbs of attribution every report has.
_NEWS_STOP = {
    "say",
    "says",
    "said",
    "saying",
    "told",
    "tell",
    "report",
    "reports",
    "reported",
    "according",
    "new",
    "news",
    "just",
    "like",
    "get",
    "got",
    "year",
    "years",
    "week",
    "day",
    "time",
    "update",
    "updated",
    "video",
    "photos",
    "watch",
    "read",
    "also",
    "would",
    "could",
    "one",
    "two",
    "first",
    "make",
    "made",
    "take",
    "mr",
    "mrs",
    "ms",
}
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | frozenset(_NEWS_STOP)

# A word: letters/digits, keeping inner apostrophes, dots and commas of "U.S." or "6.2" or "1,000".
_WORD = re.compile(r"[^\W_]+(?:['’.,][^\W_]+)*")
_POSSESSIVE = re.compile(r"['’]s$", re.I)
_SENTENCE_END = re.compile(r"[.!?:;\"“”]\s*$")

_stemmer = snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


_DIGIT = re.compile(r"\d")


def _normalise(word: str, has_digit: bool) -> str:
    if "'" in word or "’" in word:
        word = _POSSESSIVE.sub("", word).replace("'", "").replace("’", "")
    if has_digit:
        return word.replace(",", "")  # 1,000 and 1000 are one number
    return word.replace(".", "").replace(",", "")


def terms(text: str, max_words: int | None = None) -> list[tuple[str, bool]]:
    """The content terms of ``text`` as ``(stemmed term, looks like a name or number)``.

    A word looks like a name when it is capitalised but not the first of its sentence, is
    all capitals (an acronym), or holds a digit. In Title Case headlines nearly every word
    is capitalised, so capitals count only where the text has lower-case words too.
    """
    return [(term, named) for term, named, _ in terms_with_words(text, max_words)]


def terms_with_words(text: str, max_words: int | None = None) -> list[tuple[str, bool, str]]:
    """``terms`` plus each term's word as written (lower-cased), for the frequency prior."""
    out: list[tuple[str, bool, str]] = []
    matches = list(islice(_WORD.finditer(text), max_words))
    alpha = [m.group(0) for m in matches if m.group(0)[0].isalpha()]
    title_case = bool(alpha) and sum(w[0].isupper() for w in alpha) > 0.6 * len(alpha)
    previous_end = 0
    for index, match in enumerate(matches):
        raw = match.group(0)
        sentence_start = index == 0 or bool(_SENTENCE_END.search(text, previous_end, match.start()))
        previous_end = match.end()
        has_digit = _DIGIT.search(raw) is not None
        word = _normalise(raw, has_digit)
        lower = word.lower()
        if len(lower) < 2 and not has_digit:
            continue
        if lower in STOP_WORDS:
            continue
        acronym = len(word) >= 2 and word.isupper() and word.isalpha()
        capital = not title_case and not sentence_start and word[0].isupper()
        named = has_digit or acronym or capital
        out.append((lower if has_digit else stem(lower), named, lower))
    return out


class StreamingTfidf:
    """TF-IDF over a stream: document frequencies are counted as documents arrive.

    ``vector`` counts the document, then weighs its terms with sub-linear term frequency
    times smoothed IDF, the title and the name-like terms boosted, and L2-normalises.
    """

    def __init__(
        self,
        *,
        title_weight: float = 2.0,
        name_weight: float = 1.5,
        lead_words: int = 120,
        prior_documents: float = 0.0,
        prior_length: float = 200.0,
    ) -> None:
        self.title_weight = title_weight
        self.name_weight = name_weight
        self.lead_words = lead_words
        # The frequency prior counts as this many documents (0: no prior), each of
        # ``prior_length`` words: the stream's own counts outweigh it once it has seen more.
        self.prior_documents = prior_documents
        self.prior_length = prior_length
        self.documents = 0
        self.df: dict[str, int] = {}
        # term -> expected document frequency of the prior (times prior_documents), plus 1.
        self.pseudo: dict[str, float] = {}

    def idf(self, term: str) -> float:
        return (
            math.log(
                (1 + self.documents + self.prior_documents)
                / (self.df.get(term, 0) + self.pseudo.get(term, 1.0))
            )
            + 1.0
        )

    def vector(self, title: str, lead: str) -> SparseVector:
        """Count the document, and return its term weights *without* IDF, L2-normalised.

        IDF is applied when vectors are compared (``weighted``), with the frequencies
        known then: early articles of a stream are not stuck with the flat IDF of its start.
        """
        boosts: dict[str, float] = {}
        counts: dict[str, int] = {}
        pseudo, prior = self.pseudo, self.prior_documents
        for source, weight in (
            (terms_with_words(title), self.title_weight),
            (terms_with_words(lead, self.lead_words), 1.0),
        ):
            for term, named, word in source:
                if term not in pseudo:
                    share = 0.0
                    if prior:
                        frequency = word_frequency(word, term, _DIGIT.search(word) is not None)
                        share = document_share(frequency, self.prior_length)
                    pseudo[term] = 1.0 + prior * share
                counts[term] = counts.get(term, 0) + 1
                boost = weight * (self.name_weight if named else 1.0)
                if boost > boosts.get(term, 0.0):
                    boosts[term] = boost
        self._count(counts)
        return normalise(
            {term: (1.0 + math.log(count)) * boosts[term] for term, count in counts.items()}
        )

    def weighted(self, raw: SparseVector) -> SparseVector:
        """A raw vector with today's IDF applied, L2-normalised."""
        return normalise({term: weight * self.idf(term) for term, weight in raw.items()})

    def norm(self, raw: SparseVector) -> float:
        """The length of ``raw`` with today's IDF applied."""
        # Inlined IDF: this runs over a whole centroid each time a story changes.
        log, df, pseudo = math.log, self.df, self.pseudo
        total = 1 + self.documents + self.prior_documents
        return math.sqrt(
            sum(
                (w * (log(total / (df.get(t, 0) + pseudo.get(t, 1.0))) + 1.0)) ** 2
                for t, w in raw.items()
            )
        )

    def _count(self, document_terms: Iterable[str]) -> None:
        self.documents += 1
        df = self.df
        for term in document_terms:
            df[term] = df.get(term, 0) + 1

    def to_state(self) -> dict:
        return {"documents": self.documents, "df": self.df, "pseudo": self.pseudo}

    def load_state(self, state: dict) -> None:
        self.documents = int(state["documents"])
        self.df = {str(k): int(v) for k, v in state["df"].items()}
        self.pseudo = {str(k): float(v) for k, v in state.get("pseudo", {}).items()}


def normalise(vector: SparseVector) -> SparseVector:
    norm = math.sqrt(sum(w * w for w in vector.values()))
    if norm == 0.0:
        return {}
    return {t: w / norm for t, w in vector.items()}
