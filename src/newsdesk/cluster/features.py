"""Model-free features for story clustering: stemmed, IDF-weighted terms of title and lead.

A stream has no corpus to fit a vectoriser on, so document frequencies are counted as
articles arrive (``StreamingTfidf``): the same input in the same order always gives the
same weights. On a young stream those counts mean little, so they are blended with a prior
from word frequencies of the article's language (``prior``), which the stream's own counts
outweigh as it grows. Terms are kept as strings (a hashing vectoriser with no collisions), and
words that look like names or numbers (capitalised mid-sentence, all capitals, digits)
get extra weight, because two reports of one event share their names and figures far
more reliably than their wording.

Stemmer, stop words and prior follow the article's language (``rules_for``): the project's
Snowball stemmer and stop-word list of the language (``newsdesk.text.words``), wordfreq's
table. German capitalises every noun, so there capitals do not mark names (acronyms and
numbers still do). Chinese, Japanese and Korean runs are cut into overlapping character
pairs, a common stand-in for words (the first two have no spaces between words, the third
glues its particles to them).

Names are compared across languages and scripts through a key (``name_key``): each
capitalised word or acronym also counts as a term ``~key``, its transliteration to Latin
letters (anyascii) folded to a rough spelling and cut to its first letters, so Wagner,
Вагнер and Wagner-Gruppe, Selenskyj and Зеленский, or the Russian case forms of a name
(Путина) share one term. Numbers need no key: their digits are one term in any language.
The documents an article links to on other sites (``Article.links``: the ruling, the
statement, the post it quotes) count as keys too (``link_keys``): a link is the same in
every language.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

from newsdesk.cluster.prior import document_share, word_frequency
from newsdesk.cluster.scoring import IdfTable
from newsdesk.text.names import KEY_PREFIX, name_key
from newsdesk.text.numbers import plain_number
from newsdesk.text.words import CJK_RUN, stemmer, stop_words

SparseVector = dict[str, float]

# Words that carry no event: English stop words and the verbs of attribution every report has.
STOP_WORDS = stop_words("en")

# A word: letters/digits, keeping inner apostrophes, dots and commas of "U.S." or "6.2" or "1,000".
_WORD = re.compile(r"[^\W_]+(?:['’.,][^\W_]+)*")
_POSSESSIVE = re.compile(r"['’]s$", re.I)
_SENTENCE_END = re.compile(r"[.!?:;\"“”]\s*$")

stem = stemmer("en")


_DIGIT = re.compile(r"\d")


def is_key(term: str) -> bool:
    """Whether a term is one every language shares: a name key or a number."""
    return term[:1] == KEY_PREFIX or term[:1].isdigit()


def _normalise(word: str, has_digit: bool, elision: bool = False) -> str:
    if "'" in word or "’" in word:
        head, _, tail = word.replace("’", "'").rpartition("'")
        if elision and len(head) <= 2 and tail:
            word = tail  # l'Assemblée, d'une, dell'anno: the article is not part of the word
        else:
            word = _POSSESSIVE.sub("", word).replace("'", "").replace("’", "")
    if has_digit:
        return plain_number(word)  # 7,4 (German, Russian...) is 7.4; 1,000 and 1000 are one
    return word.replace(".", "").replace(",", "")


# Languages that write an elided article or preposition onto the next word (l'État).
_ELISION = frozenset({"fr", "it", "ca", "oc", "ga"})
# Languages that capitalise every noun: a capital there says nothing about a name.
_NOUN_CAPITALS = frozenset({"de", "lb"})


@dataclass(frozen=True)
class LanguageRules:
    """How one language's words become terms: stemmer, stop words, what marks a name."""

    language: str
    stem: Callable[[str], str]
    stop_words: frozenset[str]
    capital_names: bool  # whether a capital mid-sentence marks a name
    elision: bool


@lru_cache(maxsize=256)
def rules_for(language: str | None) -> LanguageRules:
    """The rules of a language code; English (as before languages were told apart) for None."""
    language = language or "en"
    return LanguageRules(
        language=language,
        stem=stemmer(language),
        stop_words=stop_words(language),
        capital_names=language not in _NOUN_CAPITALS,
        elision=language in _ELISION,
    )


def terms(
    text: str, max_words: int | None = None, language: str | None = None
) -> list[tuple[str, bool]]:
    """The content terms of ``text`` as ``(stemmed term, looks like a name or number)``.

    A word looks like a name when it is capitalised but not the first of its sentence, is
    all capitals (an acronym), or holds a digit. In Title Case headlines nearly every word
    is capitalised, so capitals count only where the text has lower-case words too.
    ``language`` (ISO 639-1; None: English) picks stemmer and stop words (``rules_for``).
    """
    return [(term, named) for term, named, _ in terms_with_words(text, max_words, language)]


def terms_with_words(
    text: str, max_words: int | None = None, language: str | None = None, keys: bool = False
) -> list[tuple[str, bool, str]]:
    """``terms`` plus each term's word as written (lower-cased), for the frequency prior.

    With ``keys``, a capitalised word mid-sentence or an acronym (in any language with
    capitals, German too) is followed by its name key (``name_key``), marked as a name.
    """
    rules = rules_for(language)
    stop_words, stem_word = rules.stop_words, rules.stem
    out: list[tuple[str, bool, str]] = []
    matches = list(islice(_WORD.finditer(text), max_words))
    raws = [m.group(0) for m in matches]  # each word's text read once, not per use
    alpha = [raw for raw in raws if raw[0].isalpha()]
    title_case = bool(alpha) and sum(w[0].isupper() for w in alpha) > 0.6 * len(alpha)
    # Capitals mark names only mid-sentence, where the language capitalises names alone.
    capitals_count = rules.capital_names and not title_case
    keys = keys and not title_case
    # One look for Chinese or Japanese characters per text, not per word: most have none.
    cjk = CJK_RUN.search(text) is not None
    pairs_left = max_words if max_words is not None else len(text)
    for index, (match, raw) in enumerate(zip(matches, raws, strict=True)):
        if cjk and CJK_RUN.search(raw):
            pairs_left -= _cjk_terms(raw, rules, out, pairs_left)
            continue
        if raw.isalpha():  # most words: no digits, apostrophes or dots to normalise
            has_digit, word = False, raw
        else:
            has_digit = _DIGIT.search(raw) is not None
            word = _normalise(raw, has_digit, rules.elision)
        lower = word.lower()
        if len(lower) < 2 and not has_digit:
            continue
        if lower in stop_words:
            continue
        acronym = len(word) >= 2 and word.isupper() and word.isalpha()
        # Where a sentence starts is looked up only for a capitalised word that could be a name.
        capital = (
            (capitals_count or keys)
            and word[0].isupper()
            and not has_digit
            and index > 0
            and not _SENTENCE_END.search(text, matches[index - 1].end(), match.start())
        )
        named = has_digit or acronym or (capital and capitals_count)
        out.append((lower if has_digit else stem_word(lower), named, lower))
        if keys and (capital or acronym):
            key = name_key(word)
            if key is not None:
                out.append((key, True, lower))
    return out


def _cjk_terms(raw: str, rules: LanguageRules, out: list[tuple[str, bool, str]], limit: int) -> int:
    """Terms of a word holding Chinese or Japanese characters: their overlapping pairs.

    Those scripts do not space their words, so a "word" here is a whole clause; pairs of
    characters catch most two-character words. Other letters in it (Latin, digits) are
    kept whole. At most ``limit`` pairs (the text's word budget); returns how many were read.
    """
    used = 0
    start = 0
    for run in CJK_RUN.finditer(raw):
        if run.start() > start:
            _plain_term(raw[start : run.start()], rules, out)
        chars = run.group(0)
        for i in range(len(chars) - 1):
            if used >= limit:
                return used
            used += 1
            pair = chars[i : i + 2]
            if pair not in rules.stop_words:
                out.append((pair, False, pair))
        start = run.end()
    if start < len(raw):
        _plain_term(raw[start:], rules, out)
    return used


def _plain_term(word: str, rules: LanguageRules, out: list[tuple[str, bool, str]]) -> None:
    has_digit = _DIGIT.search(word) is not None
    lower = word.lower()
    if (len(lower) >= 2 or has_digit) and lower not in rules.stop_words:
        out.append((lower if has_digit else rules.stem(lower), has_digit, lower))


DocumentTerms = tuple[list[tuple[str, bool, str]], list[tuple[str, bool, str]]]


def document_terms(
    title: str,
    lead: str,
    language: str | None,
    lead_words: int,
    keys: bool = True,
    links: Iterable[str] = (),
) -> DocumentTerms:
    """The terms of a title and of the first ``lead_words`` words of a lead, as
    ``StreamingTfidf.vector`` counts them, the keys of the article's ``links`` after the
    lead's (named, each once). The article alone decides them, so they can be worked out
    anywhere, ahead of the stream."""
    if title and opens_with(lead, title):
        title = ""
    lead_terms = terms_with_words(lead, lead_words, language, keys)
    lead_terms.extend((key, True, key) for key in link_keys(links))
    return terms_with_words(title, None, language, keys), lead_terms


# A link's key: KEY_PREFIX, then this, then its host and path.
LINK_MARK = "@"
# An article's first links say enough (the extractor keeps 20); a list of thousands in a
# JSON article given to ``newsdesk cluster`` is not read further.
MAX_LINK_KEYS = 20
# Hosts that serve one document under two names.
_SAME_HOST = {"twitter.com": "x.com", "mobile.twitter.com": "x.com", "mobile.x.com": "x.com"}


def link_keys(links: Iterable[str]) -> list[str]:
    """A key per linked document (``~@host/path?query``): lower case, without scheme,
    "www." or a trailing slash, so that two outlets' links to it meet."""
    keys: dict[str, None] = {}
    for link in islice(links, MAX_LINK_KEYS):
        rest = link.split("://", 1)[-1].lower().removeprefix("www.")
        host, _, path = rest.partition("/")
        host = _SAME_HOST.get(host, host)
        keys[f"{KEY_PREFIX}{LINK_MARK}{host}/{path.rstrip('/')}"] = None
    return list(keys)


# Words of a text read after its title: the clusterer's and earlier coverage's, one
# reading of an article serving both.
LEAD_WORDS = 300

# ``prior_share`` of each of a document's terms: its title's, its lead's.
TermShares = tuple[tuple[float, ...], tuple[float, ...]]


def prior_share(word: str, term: str, language: str | None, length: float) -> float:
    """The share of ``length``-word documents the frequency prior expects to hold a term
    (``word`` as written, lower case; ``term`` its stem); 0 where the language has no table."""
    frequency = word_frequency(word, term, _DIGIT.search(word) is not None, language or "en")
    return 0.0 if frequency is None else document_share(frequency, length)


def term_shares(terms: DocumentTerms, language: str | None, length: float) -> TermShares:
    """``prior_share`` of every term of ``document_terms``, in their order: worked out with
    the terms (in a worker process), they spare the stream the frequency tables."""
    title_terms, lead_terms = terms
    return (
        tuple(prior_share(word, term, language, length) for term, _, word in title_terms),
        tuple(prior_share(word, term, language, length) for term, _, word in lead_terms),
    )


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
        name_keys: bool = True,
    ) -> None:
        self.title_weight = title_weight
        self.name_keys = name_keys  # add each name's key (``name_key``) to its terms
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
        # term -> IDF under the counts as they are now (cluster.scoring: the clusterer's
        # loops read it as a mapping, a term it has not seen worked out on the look-up).
        self.idf_table = IdfTable(self)
        # ``idf`` as a dict look-up (a C call where the term was looked up since the last
        # document): scoring one article reads the IDF of the same terms hundreds of times.
        self.idf_of: Callable[[str], float] = self.idf_table.__getitem__

    def idf(self, term: str) -> float:
        return self.idf_table[term]

    def vector(
        self,
        title: str,
        lead: str,
        language: str | None = None,
        terms: DocumentTerms | None = None,
        shares: TermShares | None = None,
    ) -> SparseVector:
        """Count the document, and return its term weights *without* IDF, L2-normalised.

        IDF is applied when vectors are compared (``weighted``), with the frequencies
        known then: early articles of a stream are not stuck with the flat IDF of its start.
        ``language`` (None: English) picks the words' rules and the prior's frequency table.
        A term's prior is set by the first document that brings it, in whatever language.
        A title the body begins with (a page without a headline of its own, whose title was
        taken from its first lines) is the body's first words: counted once, as body.
        ``terms``: ``document_terms`` of the same title, lead and language, where they were
        worked out already (in a worker process, ahead of the stream); ``shares``: their
        ``term_shares`` under this prior's length, worked out with them.
        """
        title_terms, lead_terms = terms or document_terms(
            title, lead, language, self.lead_words, self.name_keys
        )
        boosts: dict[str, float] = {}
        counts: dict[str, int] = {}
        pseudo, prior = self.pseudo, self.prior_documents
        title_shares, lead_shares = shares if terms and shares else (None, None)
        for source, weight, known in (
            (title_terms, self.title_weight, title_shares),
            (lead_terms, 1.0, lead_shares),
        ):
            for index, (term, named, word) in enumerate(source):
                if term not in pseudo:
                    share = 0.0
                    if known is not None:
                        share = known[index]
                    elif prior:
                        share = prior_share(word, term, language, self.prior_length)
                    pseudo[term] = 1.0 + prior * share
                    self.idf_table.pop(term, None)
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
        self.idf_table.clear()  # every term's IDF moves with the number of documents
        self.documents += 1
        df = self.df
        for term in document_terms:
            df[term] = df.get(term, 0) + 1

    def to_state(self) -> dict:
        return {"documents": self.documents, "df": self.df, "pseudo": self.pseudo}

    def load_state(self, state: dict) -> None:
        self.idf_table.clear()
        self.documents = int(state["documents"])
        self.df = {str(k): int(v) for k, v in state["df"].items()}
        self.pseudo = {str(k): float(v) for k, v in state.get("pseudo", {}).items()}


def opens_with(text: str, start: str) -> bool:
    """Whether ``text`` begins with ``start``, spaces and line breaks aside."""
    head = start.split()
    if not head:
        return False
    return text[: 2 * len(start) + 16].split()[: len(head)] == head


def normalise(vector: SparseVector) -> SparseVector:
    norm = math.sqrt(sum(w * w for w in vector.values()))
    if norm == 0.0:
        return {}
    return {t: w / norm for t, w in vector.items()}
