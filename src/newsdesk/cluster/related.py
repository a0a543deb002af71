"""Earlier coverage: articles of other, older stories about the same subject.

A draft's background section (``Draft.background``) retells what was reported before the
story began. ``CoverageFinder`` finds that material among the stories it is given: the
pipeline (``newsdesk.pipeline.coverage``) reads from the store the stories seen in the
``max_age_days`` before ``story.first_seen`` (a bounded window, so the cost does not grow
with the store). It compares each with the story by TF-IDF over the title and lead of their
articles, and keeps the stories that also share names (people, places,
organisations: the name-like terms of ``cluster.features.terms``). An article's terms are
the clusterer's (``document_terms``, the same words of the same text, name keys left
out), so a run reads each article once for both (``doc_of``). From each kept story it
returns the one article most like the story and published before the story began, most
related story first. The story's own articles, later articles and undated ones are never
returned: what cannot be shown to be earlier is not background.

Two similarities are computed, both cosine between the stories' centroids over TF-IDF
fitted on the window itself (document frequency counts stories, so a name frequent in that
window, e.g. a head of state, counts for little):

- ``terms``: every content term, the title counted twice;
- ``names``: only the name-like terms (capitalised mid-sentence, acronyms, numbers).

A story is related when ``(1 - names_weight) * terms + names_weight * names`` reaches
``min_similarity`` and the two share at least ``min_shared_names`` names. By default
``names_weight`` is 0: on the labelled Multi-News sample (``bench/related.py``) the names
cosine matched unrelated stories about one prominent person more than it helped, so names
act only as the gate. Text repeated verbatim under several stories (share widgets, archive
notices) is ignored, and short members weigh less in a story's centroid.

Languages, as in clustering (``cluster.languages``, ``cluster.features.rules_for``): each
article's language is its label, else (``guess_languages``) the cheap guess from title and
lead; it picks the stemmer and stop words of the article's terms. An article whose language
stays unknown is read with the rules of the asked story's language. The story's language is
the most common known language of its articles (English rules when none is known). The
writer cites background next to the story's own sources, so by default
(``same_language``) an article known to be in another language than the story's is never
returned (a German story gets no English background); articles of unknown language may
be, as nothing shows they are foreign. Turned off, every language competes, each read
with its own rules (terms rarely match across languages; names and figures do).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from newsdesk.cluster.features import (
    KEY_PREFIX,
    LEAD_WORDS,
    DocumentTerms,
    document_terms,
    stem,
    terms_with_words,
)
from newsdesk.cluster.languages import guess_language, normalise_code
from newsdesk.model import Article, Story
from newsdesk.text.dates import epoch_seconds, iso_from_epoch
from newsdesk.text.tfidf import tfidf_matrix

# Capitalised words that name no subject: every report has a weekday or a month in it.
_NOT_NAMES = frozenset(
    stem(word)
    for word in [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "today",
        "yesterday",
        "tonight",
        "am",
        "pm",
    ]
)
_DAY = 86_400.0
_MIN_WINDOW = 20


@dataclass(frozen=True)
class CoverageSettings:
    """How far back to look and how alike an earlier story must be."""

    limit: int = 3  # articles returned at most
    max_age_days: float = 30.0  # how far before the story's start to look
    min_similarity: float = 0.3  # blended cosine a related story must reach
    names_weight: float = 0.0  # share of the name-only cosine in the blend (see above)
    min_shared_names: int = 2  # names the two stories must have in common
    per_story: int = 1  # articles taken from one earlier story
    max_stories: int = 300  # candidate stories read, the most recently seen first
    members_per_story: int = 12  # articles of a story compared (its first joined)
    lead_words: int = LEAD_WORDS  # words of the text after the title that count (the clusterer's)
    # Offer only articles in the story's language (or of unknown language); off: any.
    same_language: bool = True
    # Guess the language of an article without a label, as the clusterer does by default.
    guess_languages: bool = True


@dataclass(frozen=True)
class _Doc:
    """An article reduced to what matching needs: its terms and its publication time."""

    terms: tuple[str, ...]
    names: tuple[str, ...]
    published: float | None
    has_text: bool


# What ``doc_of`` made of an article's terms where its text was read already (by the
# clusterer): the language whose rules read them, the lead's words, the finder's terms.
ReadDoc = tuple[str, int, _Doc]


def _doc(article: Article, lead_words: int, language: str | None = None) -> _Doc:
    """The article's terms under the rules of ``language`` (None: English), read as the
    clusterer reads them (``document_terms``: ``doc_of`` takes the clusterer's own)."""
    lead = article.text if article.paragraphs else ""
    # Without the clusterer's name keys: ``doc_of`` leaves them out in any case.
    read = document_terms(article.title, lead, language, lead_words, keys=False)
    return doc_of(article, read, language)


def doc_of(article: Article, read: DocumentTerms, language: str | None = None) -> _Doc:
    """``_doc`` from the article's ``document_terms`` under ``language``'s rules (the
    clusterer's, read once a run): their name keys left out, the title read apart where
    the clusterer read it as the text's first words, no lead for an article without text."""
    title_terms, lead_terms = read
    if article.title and not title_terms:
        title_terms = terms_with_words(article.title, None, language)
    title = [(t, named) for t, named, _ in title_terms if t[:1] != KEY_PREFIX]
    lead = [(t, named) for t, named, _ in lead_terms if t[:1] != KEY_PREFIX]
    lead = lead if article.paragraphs else []
    all_terms = [t for t, _ in title] * 2 + [t for t, _ in lead]  # the title counts twice
    names = [t for t, named in [*title, *lead] if named and t not in _NOT_NAMES]
    published = epoch_seconds(article.published) if article.published else None
    return _Doc(tuple(all_terms), tuple(names), published, bool(article.paragraphs))


@dataclass
class _Entry:
    """A cached article: its language label, its guessed language, its terms under each
    language's rules read so far."""

    article: Article
    label: str | None  # normalised ``Article.language``
    guessed: str | bool | None = False  # False: not guessed yet (None: could not tell)
    docs: dict[str | None, _Doc] = field(default_factory=dict)

    def language(self, guess: bool) -> str | None:
        """The article's language: its label, else (with ``guess``) the guess; None: unknown."""
        if self.label is not None or not guess:
            return self.label
        if self.guessed is False:  # racing threads may both guess: the same answer
            article = self.article
            lead = " ".join(article.paragraphs) if article.paragraphs else article.description
            self.guessed = guess_language(article.title, lead or "")
        return self.guessed  # type: ignore[return-value]


class _DocCache:
    """Articles with their terms, the least recently used dropped first.

    Keyed by article id: an article replaced under the same id keeps its old terms here
    until it leaves the cache (articles are rarely replaced). An article of unknown
    language is read with each asking story's rules, so it may hold several.
    """

    def __init__(self, lead_words: int, size: int = 50_000) -> None:
        self.lead_words = lead_words
        self.size = size
        self.items: OrderedDict[str, _Entry] = OrderedDict()
        self.lock = threading.Lock()


class CoverageFinder:
    """Finds earlier coverage among the stories it is given; keeps each article's terms.

    It reads nothing itself: the caller (``newsdesk.pipeline.coverage`` over a store) gives
    it the articles it lacks (``missing`` / ``add``), then the candidate stories of the
    ``window`` before the story. Stories asked about one after another share most of their
    window, so an article's terms are computed once per finder (a finder per run).
    """

    def __init__(self, settings: CoverageSettings | None = None) -> None:
        self.settings = settings or CoverageSettings()
        self._cache = _DocCache(self.settings.lead_words)

    # -- what the caller gives -----------------------------------------------------------

    def missing(self, ids: Sequence[str]) -> list[str]:
        """The ids among ``ids`` whose articles this finder has not been given."""
        with self._cache.lock:
            return [i for i in ids if i not in self._cache.items]

    def add(self, articles: Sequence[Article], read: Mapping[str, ReadDoc] | None = None) -> None:
        """Articles the finder may read (those ``missing`` named), kept for later calls.

        ``read``: by article id, terms ``doc_of`` made of the clusterer's reading of some of
        them; taken where they were read under the article's own language and as many of
        its words as this finder reads (the others are read here when needed)."""
        cache = self._cache
        entries = [_Entry(article, normalise_code(article.language)) for article in articles]
        if read:
            for entry in entries:
                known = read.get(entry.article.id)
                if known and known[0] == entry.label and known[1] == cache.lead_words:
                    entry.docs[entry.label] = known[2]
        with cache.lock:
            for entry in entries:
                cache.items[entry.article.id] = entry
                cache.items.move_to_end(entry.article.id)
            while len(cache.items) > cache.size:
                cache.items.popitem(last=False)

    @staticmethod
    def own_ids(story: Story, settings: CoverageSettings) -> tuple[str, ...]:
        """The story's articles that are read (its first joined)."""
        return story.article_ids[: settings.members_per_story * 2]

    def window(
        self, story: Story, settings: CoverageSettings | None = None
    ) -> tuple[str, str] | None:
        """``(since, until)``: when the candidate stories must have been seen (ISO 8601);
        None when there is nothing to look for (undated story, no articles, limit 0)."""
        s = settings or self.settings
        own = self._own(story, s)
        if own is None:
            return None
        start = own[2]
        return iso_from_epoch(start - s.max_age_days * _DAY), iso_from_epoch(start)

    def _own(
        self, story: Story, s: CoverageSettings
    ) -> tuple[str | None, list[tuple[Article, _Doc]], float] | None:
        """The story's language, its articles read with their terms, and when it began;
        None when there is nothing to look for (undated story, no articles, limit 0)."""
        own_ids = self.own_ids(story, s)
        language = _story_language(self._languages(own_ids, s.guess_languages))
        own_articles = self._articles(own_ids, language, s.guess_languages)
        start = _story_start(story, [doc for _, doc in own_articles])
        if start is None or not own_articles or s.limit <= 0:
            return None
        return language, own_articles, start

    @staticmethod
    def candidate_ids(
        story: Story, candidates: Sequence[Story], settings: CoverageSettings
    ) -> list[str]:
        """The articles of the candidate stories that ``find_scored`` may read."""
        own = set(story.article_ids)
        excluded = {story.id, *story.aliases}
        out: list[str] = []
        for other in candidates:
            if other.id not in excluded:
                ids = [i for i in other.article_ids if i not in own]
                out.extend(ids[: settings.members_per_story * 2])
        return out

    # -- the search ----------------------------------------------------------------------

    def find_scored(
        self,
        story: Story,
        candidates: Sequence[Story],
        settings: CoverageSettings | None = None,
    ) -> list[tuple[Article, float]]:
        """Articles of ``candidates`` about the same subject, published before ``story``
        began, each with its story's similarity (the blended cosine); most related story
        first, at most ``settings.limit`` articles; empty when nothing earlier is related.

        ``candidates``: the stories seen in ``window``, most recently seen first (at most
        ``settings.max_stories`` are read); their articles must have been ``add``-ed.
        """
        s = settings or self.settings
        found = self._own(story, s)
        if found is None:
            return []
        language, own_articles, start = found
        excluded = {story.id, *story.aliases}
        own = set(story.article_ids)
        # Known to be in another language: not to be cited next to this story's sources.
        only_own_language = s.same_language and language is not None
        earlier: list[list[tuple[Article, _Doc]]] = []
        for other in candidates[: s.max_stories]:
            if other.id in excluded:
                continue
            ids = [i for i in other.article_ids if i not in own]
            if only_own_language:
                # Looked for among its first members only, so a long story costs no more.
                ids = ids[: s.members_per_story * 2]
                ids = [
                    i
                    for i, lang in zip(ids, self._languages(ids, s.guess_languages), strict=True)
                    if lang is None or lang == language
                ]
            members = [
                (a, d)
                for a, d in self._articles(ids[: s.members_per_story], language, s.guess_languages)
                if d.published is not None and d.published < start
            ]
            if members:
                earlier.append(members)
        if not earlier:
            return []
        return _rank(own_articles, earlier, s)

    def _entries(self, ids: Sequence[str]) -> list[_Entry]:
        """The articles given with these ids (unknown ones left out), in order."""
        cache = self._cache
        out = []
        with cache.lock:
            for i in ids:
                item = cache.items.get(i)
                if item is not None:
                    cache.items.move_to_end(i)
                    out.append(item)
        return out

    def _languages(self, ids: Sequence[str], guess: bool) -> list[str | None]:
        """Each id's article language (None: unknown or not given), in order."""
        found = {e.article.id: e.language(guess) for e in self._entries(ids)}
        return [found.get(i) for i in ids]

    def _articles(
        self, ids: Sequence[str], fallback: str | None = None, guess: bool = True
    ) -> list[tuple[Article, _Doc]]:
        """The articles with these ids (unknown ones left out), each with its terms.

        An article is read with its own language's rules; one of unknown language with
        ``fallback``'s (the asking story's language).
        """
        out = []
        lead_words = self._cache.lead_words
        for entry in self._entries(ids):
            rules = entry.language(guess) or fallback
            doc = entry.docs.get(rules)
            if doc is None:
                # Racing threads may both compute it: the same terms, so either may win.
                doc = entry.docs[rules] = _doc(entry.article, lead_words, rules)
            out.append((entry.article, doc))
        return out


def _story_language(languages: Sequence[str | None]) -> str | None:
    """The most common known language among a story's articles; the earliest-joined of equals."""
    counts: dict[str, int] = {}
    for language in languages:
        if language is not None:
            counts[language] = counts.get(language, 0) + 1
    return max(counts, key=counts.__getitem__) if counts else None


def _story_start(story: Story, docs: Sequence[_Doc]) -> float | None:
    """When the story began: its ``first_seen``, else its earliest dated article."""
    start = epoch_seconds(story.first_seen) if story.first_seen else None
    if start is not None:
        return start
    times = [d.published for d in docs if d.published is not None]
    return min(times) if times else None


def _rank(
    own: list[tuple[Article, _Doc]],
    earlier: list[list[tuple[Article, _Doc]]],
    s: CoverageSettings,
) -> list[tuple[Article, float]]:
    """Score earlier stories against the story, and pick their closest earlier articles."""
    stories = [own, *earlier]
    boilerplate = _shared_texts(stories)
    # Story k's matching documents: its members minus text repeated under other stories.
    kept = [[(a, d) for a, d in members if d.terms not in boilerplate] for members in stories]
    if not kept[0]:
        return []
    own_name_set = {n for _, d in kept[0] for n in d.names}
    # The stories sharing enough names with it: only their rows are needed (every story
    # still counts in the document frequencies, so the rows are the same).
    named = [0] + [
        k
        for k in range(1, len(kept))
        if kept[k]
        and len(own_name_set & {n for _, d in kept[k] for n in d.names}) >= s.min_shared_names
    ]
    term_rows = _tfidf([[d.terms for _, d in members] for members in kept], named)
    name_rows = None
    if s.names_weight > 0:
        name_rows = _tfidf([[d.names for _, d in members] for members in kept], named)
    if term_rows is None:
        return []
    weights = [_weights(members, s.lead_words) for members in kept]
    own_terms = _centroid(term_rows[0], weights[0])
    own_names = _centroid(name_rows[0], weights[0]) if name_rows is not None else None

    scored: list[tuple[float, int]] = []
    for k in named[1:]:
        similarity = float(_centroid(term_rows[k], weights[k]) @ own_terms)
        name_similarity = 0.0
        if name_rows is not None and own_names is not None:
            name_similarity = float(_centroid(name_rows[k], weights[k]) @ own_names)
        blended = (1.0 - s.names_weight) * similarity + s.names_weight * name_similarity
        if blended >= s.min_similarity:
            scored.append((blended, k))
    scored.sort(key=lambda item: (-item[0], item[1]))

    out: list[tuple[Article, float]] = []
    for score, k in scored:
        # Within a story: the members closest to the story, those with text before title-only.
        closeness = np.asarray(term_rows[k] @ own_terms).ravel()
        members = kept[k]
        order = sorted(
            range(len(members)),
            key=lambda j: (not members[j][1].has_text, -closeness[j], members[j][0].id),
        )
        out.extend((members[j][0], score) for j in order[: s.per_story])
        if len(out) >= s.limit:
            break
    return out[: s.limit]


def _shared_texts(stories: list[list[tuple[Article, _Doc]]]) -> set[tuple[str, ...]]:
    """Texts found under more than one story: page furniture ("Tweet with a location ..."),
    an archive's notice, a failed extraction. They say nothing about either story."""
    seen: dict[tuple[str, ...], int] = {}
    shared: set[tuple[str, ...]] = set()
    for k, members in enumerate(stories):
        for _, doc in members:
            if not doc.terms:
                continue
            first = seen.setdefault(doc.terms, k)
            if first != k:
                shared.add(doc.terms)
    return shared


def _tfidf(
    stories: list[list[tuple[str, ...]]], wanted: Sequence[int] | None = None
) -> list[sparse.csr_matrix] | None:
    """Per story, the L2-normalised TF-IDF rows of its documents (sub-linear counts); with
    ``wanted``, only those stories' rows (the others' are empty), the same IDF.

    Document frequency counts stories, not articles: a story told by twenty outlets
    does not make its own words look common.
    """
    if not any(doc for docs in stories for doc in docs):
        return None
    # A window of a few stories says little about which words are rare: count it as at
    # least _MIN_WINDOW stories (the missing ones empty), so IDF fades to plain counts
    # instead of punishing every word the two stories share.
    padding: list[list[str]] = [[] for _ in range(_MIN_WINDOW - len(stories))]
    # A story's terms once each, in the order met: the frequencies count stories, and the
    # vocabulary's order (so every sum) is the same as over all their words.
    distinct = [list(dict.fromkeys(t for doc in docs for t in doc)) for docs in stories]
    keep = set(range(len(stories)) if wanted is None else wanted)
    shown = [docs if k in keep else [] for k, docs in enumerate(stories)]
    _, rows, _ = tfidf_matrix(distinct + padding, [doc for docs in shown for doc in docs])
    bounds = np.cumsum([0, *(len(docs) for docs in shown)])
    return [rows[bounds[k] : bounds[k + 1]] for k in range(len(stories))]


def _centroid(rows: sparse.csr_matrix, weights: np.ndarray) -> np.ndarray:
    """The normalised weighted mean of a story's rows (its direction in term space)."""
    if rows.shape[0] == 0 or not weights.any():
        return np.zeros(rows.shape[1])
    mean = np.asarray(rows.T @ weights).ravel()
    norm = float(np.linalg.norm(mean))
    return mean / norm if norm > 0 else mean


def _weights(members: list[tuple[Article, _Doc]], cap: int) -> np.ndarray:
    """How much each member says: its number of terms, up to ``cap``.

    Rows are length-normalised, so without this a two-line page (a share widget's text,
    a paywall notice) would pull a story's direction as hard as a full report.
    """
    return np.array([min(len(d.terms), cap) for _, d in members], dtype=float)
