"""Incremental story clustering: each article, in time order, joins the best story or starts one.

An article's time is its news time (``news_time.article_time``: published, else the best
evidence, else unknown). An article is first checked for being a copy of an earlier one
(``dedup``): a copy joins that article's story, whatever the threshold. Otherwise it is
compared with the centroids of the *active* stories through an inverted index of their
terms, scored by cosine similarity decayed by how far its time lies outside the story's
span of published times (no decay where either time is unknown: content alone decides),
and joins the best one above ``threshold`` (sharing at least two terms with it: one shared
word is too thin a link, and sharing a term of the story's core: see ``_coherent``).
A headline alone in English is scored on the meaning of its title too, against the story's
first titles (``title_embeddings``: static word vectors), and then one shared word will do.
A story stays active for ``window_hours`` of stream time after it last took an article;
one whose articles are all undated has no time, and stays for ``undated_window_articles``
articles instead. When an article is close to two stories
at once (both above ``merge_threshold``) and their centroids agree, the stories merge: the
older one keeps its id and the other's becomes an alias. Stories that fall out of the
window leave the index, so the work per article does not grow with the length of the stream.

Each article's language (its label, else a cheap guess: ``languages``) picks the words'
stemmer, stop words and frequency prior. By default a story holds every language: an
article of another language than a story's joins it on strong evidence only, the names
(compared across scripts: ``features.name_key``) and numbers they share
(``cross_threshold``). With ``separate_languages`` an article joins, and bridges merges
of, only stories of its own language or of none known yet. An article whose language is
unknown may join any story; its words follow the rules of the stream's language (the
language of two thirds or more of the articles whose language is known), else English.

Ids are stable: a story's id derives from its first article's id, so the same articles in
the same order always give the same ids; ``time_ordered`` puts any input in one order
(undated articles first, by id; then by time, ties by id), so an archive replayed in any
order gives the same stories as the stream did.
"""

from __future__ import annotations

import heapq
import json
import math
import zlib
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from newsdesk.cluster.dedup import (
    NearDuplicateIndex,
    Signature,
    content_key,
    content_words,
    text_signature,
)
from newsdesk.cluster.features import (
    KEY_PREFIX,
    LEAD_WORDS,
    DocumentTerms,
    SparseVector,
    StreamingTfidf,
    TermShares,
    document_terms,
    is_key,
    normalise,
    term_shares,
)
from newsdesk.cluster.languages import article_language
from newsdesk.cluster.news_time import article_time, iso_or_none
from newsdesk.cluster.scoring import (
    add_to_centroid,
    centroid_dot,
    core_terms,
    posting_scores,
)
from newsdesk.model import Article, Story, short_hash
from newsdesk.text.sentences import split_sentences

# 4: a story's times may be unknown (None), it keeps when it last took an article and its
# headline candidates. 3: stories carry their language.
STATE_VERSION = 4
READABLE_STATE_VERSIONS = (2, 3, 4)  # a version 2 state loads with every story's language unknown
# Share of the known-language articles that makes a language the stream's: the rules for the
# words of an article whose language is unknown (most headlines of an unlabelled stream).
STREAM_LANGUAGE_SHARE = 2 / 3


@dataclass(frozen=True)
class ClusterConfig:
    """Knobs of the clusterer; the defaults fetch no model (the one they use, for English
    headlines, ships inside an installed package: ``title_embeddings``)."""

    # Cosine to a story's centroid needed to join it. Short texts (a headline alone) share
    # fewer words with anything, so their cosines run lower: they get their own thresholds.
    threshold: float = 0.18
    merge_threshold: float = (
        0.30  # centroid cosine at which two stories bridged by an article merge
    )
    # (A headline in English read by meaning too joins at ``title_embedding_threshold``.)
    headline_threshold: float = 0.14
    headline_merge_threshold: float = 0.22
    short_words: int = 25  # an article with fewer words of body than this is a headline
    merge_score: float = 0.10  # an article scoring this with a second story triggers the check
    merge_candidates: int = 5
    # A story that took no article for this long (stream time) leaves the active index.
    # By then the decay below has cut any similarity to a twentieth: no article joins.
    window_hours: float = 14 * 24.0
    # Similarity halves per this many hours that an article's time lies outside the span of
    # its story's published times, after a grace of ``decay_grace_hours`` (dates are often
    # days without hours). Relative to the span, so an event covered day after day for
    # weeks stays one story. Fitted on real coverage (bench/e2e.py's Wikinews sources, 48 to
    # 120 h all best there), not on UCI, whose gold stories are crawl-time blocks.
    decay_hours: float = 72.0
    decay_grace_hours: float = 24.0
    # A story whose articles are all undated has no time: it leaves the index once this
    # many articles came after it last took one (the cost per article stays flat).
    undated_window_articles: int = 20_000
    title_weight: float = 2.0
    name_weight: float = 1.5
    lead_words: int = LEAD_WORDS  # words of the body read after the title
    # IDF prior from English word frequencies, worth this many documents (0: none).
    prior_documents: float = 1000.0
    prior_length: float = 200.0  # words per document the prior assumes
    max_centroid_terms: int = 300  # a story's centroid keeps its heaviest terms
    # Terms an article must share with a story to join it: one shared word (a headline of
    # "Predictions for the week") is too thin a link, however rare the word.
    min_shared_terms: int = 2
    dedup_threshold: float = 0.7  # estimated Jaccard of 3-shingles for a near-exact copy
    # How long copies are looked for: syndicated copies come within days, and the index
    # (kept in the clusterer's state) grows with articles seen in this window.
    dedup_window_hours: float = 24.0 * 7
    num_perm: int = 64
    embeddings: bool = False  # add MiniLM sentence embeddings (extra newsdesk[embeddings])
    embedding_weight: float = 0.6  # share of the embedding cosine in the score
    embedding_threshold: float = 0.36  # joining threshold on the mixed score
    embedding_headline_threshold: float = 0.28  # the same for a headline-only article
    # A headline alone in English is compared by meaning too: two headlines of one event
    # often share a single word ("eBay" in "EBay rejects Icahn slate of directors" and "Why
    # eBay Spinning Off Paypal Makes Sense"), too thin a link on words alone. The cosine of
    # the headline and the story's first titles, as a static word-embedding model reads
    # them (``embeddings.TitleEncoder``, its weights shipped in its package), takes
    # ``title_embedding_weight`` of the score, the article joins at
    # ``title_embedding_threshold``, and one shared word is then enough. Full articles (and
    # MiniLM runs) skip it: on them it measured lower (BENCHMARKS.md, "Headlines compared
    # by meaning"). A store clustered before the option existed goes on without it.
    title_embeddings: bool = True
    title_embedding_weight: float = 0.5
    title_embedding_threshold: float = 0.18
    # On: a story holds one language: an article joins (or merges) only stories of its
    # language or of none known yet. Off (default): languages mix on strong evidence (below),
    # each article's words still read with its own stemmer and stop words.
    separate_languages: bool = False
    # Across languages (an article of another language than the story's), the cosine of
    # their names and numbers alone (``features.name_key``) must reach this, over at least
    # ``cross_shared_terms`` shared ones: words of two languages cannot be compared.
    cross_threshold: float = 0.30
    cross_shared_terms: int = 3
    # Coherence: an article joins only a story whose core (its ``core_terms`` heaviest
    # terms) holds ``core_shared`` of the article's own ``core_terms`` heaviest terms (one
    # per four of them for a short text: a headline has few terms to share).
    core_terms: int = 20
    core_shared: int = 2
    # Guess the language of an article without a label (``languages.guess_language``);
    # off, unlabelled articles are of unknown language (English rules for their words).
    guess_languages: bool = True

    def thresholds(self, short: bool) -> tuple[float, float]:
        """(join, merge) thresholds for an article, by whether it is headline-only."""
        if self.embeddings:
            # Merges compare lexical centroids, so they keep the lexical merge thresholds.
            if short:
                return self.embedding_headline_threshold, self.headline_merge_threshold
            return self.embedding_threshold, self.merge_threshold
        if short:
            return self.headline_threshold, self.headline_merge_threshold
        return self.threshold, self.merge_threshold


@dataclass(frozen=True)
class Assignment:
    """Where one article went: its story, and whether it copied an article or merged stories."""

    article_id: str
    story_id: str
    new_story: bool = False
    duplicate_of: str | None = None
    merged: tuple[str, ...] = ()  # ids of stories merged into ``story_id`` by this article
    # A time of the article set aside (in the future, before 1990, unreadable): it was
    # clustered as undated. None when its time was fine or it had none.
    time_problem: str | None = None


# Headline candidates a story keeps (its first articles' titles), each with its heaviest
# terms: the headline is the candidate nearest the story's centroid.
HEADLINE_CANDIDATES = 8
CANDIDATE_TERMS = 40


@dataclass
class _Story:
    id: str
    seq: int  # creation order: breaks ties between equally old stories
    first_time: float | None  # earliest published time of its articles; None: all undated
    last_time: float | None
    headline: str
    article_ids: list[str]
    centroid: SparseVector
    norm: float  # length of the centroid with IDF applied, refreshed when the story changes
    embedding: np.ndarray | None = None
    # The sum of its English candidates' title embeddings, its direction (unit length), and
    # how many candidates it has read: worked out when a headline first scores against the
    # story, and again when candidates were added since (never saved: the titles are).
    titles_embedding: np.ndarray | None = None
    titles_direction: np.ndarray | None = None
    titles_read: int = 0
    aliases: list[str] = field(default_factory=list)
    language: str | None = None  # the first known language among its articles
    # When it last took an article: the stream's clock then (dated stories leave the index
    # by it) and the count of articles seen then (undated stories leave by it).
    touched: float = -math.inf
    touched_count: int = 0
    # (title, its heaviest terms) of its first articles: the headline is the most central.
    candidates: list[tuple[str, SparseVector, str]] = field(default_factory=list)  # + language

    def to_story(self) -> Story:
        return Story(
            id=self.id,
            article_ids=tuple(self.article_ids),
            headline=self.headline,
            first_seen=iso_or_none(self.first_time),
            last_seen=iso_or_none(self.last_time),
            aliases=tuple(self.aliases),
        )


# A story named after an untitled article takes the start of its text, this many words.
UNTITLED_HEADLINE_WORDS = 12


def story_headline(article: Article) -> str:
    """A story's headline: its first article's title, else the start of that article's first
    sentence (a stream of bare texts still lists readable stories)."""
    if article.title.strip():
        return article.title.strip()
    text = (article.paragraphs[0] if article.paragraphs else article.description or "").strip()
    first = split_sentences(text)[:1]
    words = first[0].split() if first else []
    if len(words) > UNTITLED_HEADLINE_WORDS:
        return " ".join(words[:UNTITLED_HEADLINE_WORDS]) + " …"
    return " ".join(words)


def story_id_for(article_id: str) -> str:
    """A story's id: derived from the id of the article that started it."""
    return short_hash("story", article_id)


@dataclass(frozen=True)
class PreparedArticle:
    """What ``StoryClusterer.add`` reads off an article whatever came before it: its
    language, its terms, its copy key and MinHash. ``prepare`` works it out, in the adding
    process or in a worker process ahead of the stream (the pipeline's cluster stage)."""

    article_id: str
    language: str | None
    terms: DocumentTerms | None  # under the language's rules; None: unknown language
    key: str
    signature: Signature | None
    short: bool  # fewer than ``short_words`` words of lead: a headline (see ``thresholds``)
    # ``term_shares`` of ``terms`` under the config's prior (None: no prior, or no terms).
    shares: TermShares | None = None


def prepare(article: Article, config: ClusterConfig) -> PreparedArticle:
    """``PreparedArticle`` of ``article`` for a clusterer with ``config``."""
    body = article.text  # joins the paragraphs: once per article
    lead = _lead(article, body)
    words = content_words(article.title, body or article.description or "")
    language = article_language(article.language, article.title, lead, config.guess_languages)
    # An article of unknown language is read with the stream's language, known only then.
    terms = None
    if language:
        terms = document_terms(
            article.title, lead, language, config.lead_words, links=article.links
        )
    short = len(lead.split(maxsplit=config.short_words)) < config.short_words
    shares = None
    if terms is not None and config.prior_documents:
        shares = term_shares(terms, language, config.prior_length)
    return PreparedArticle(
        article.id,
        language,
        terms,
        content_key(words),
        text_signature(words, config.num_perm),
        short,
        shares,
    )


def _lead(article: Article, body: str) -> str:
    """The text whose first words count: the body (``article.text``), else the description."""
    return body if article.paragraphs else (article.description or "")


class StoryClusterer:
    """Streams articles into stories. See the module docstring for how."""

    def __init__(self, config: ClusterConfig | None = None, encoder: Any = None) -> None:
        self.config = config or ClusterConfig()
        cfg = self.config
        self.features = StreamingTfidf(
            title_weight=cfg.title_weight,
            name_weight=cfg.name_weight,
            lead_words=cfg.lead_words,
            prior_documents=cfg.prior_documents,
            prior_length=cfg.prior_length,
        )
        self.dedup = NearDuplicateIndex(
            threshold=cfg.dedup_threshold,
            num_perm=cfg.num_perm,
            window=cfg.dedup_window_hours * 3600.0,
        )
        self._encoder = encoder
        # Loaded at the first English headline; False where the model is not installed.
        self._title_encoder: Any = None
        if cfg.embeddings and encoder is None:
            from newsdesk.cluster.embeddings import MiniLMEncoder

            self._encoder = MiniLMEncoder()
        self.clock = -math.inf  # the latest article time seen
        self._seq = 0
        self._active: dict[str, _Story] = {}
        # term -> {story id: the term's weight in that story's centroid} for the active
        # stories holding it, kept in step with the centroids: scoring reads the weights
        # straight from here, without looking a story up.
        self._postings: dict[str, dict[str, float]] = {}
        self._expiry: list[tuple[float, str]] = []  # heap of (last_time, story id), lazily checked
        # Stories out of the window but within the copy window: a copy can still find them.
        self._archive: dict[str, _Story] = {}
        self._article_story: dict[str, str] = {}  # article id -> story id (active or archived)
        self.aliases: dict[str, str] = {}  # gone story id -> the id it merged into
        self._changed: dict[str, None] = {}
        self._merges: list[tuple[str, str]] = []
        self._languages: dict[str, int] = {}  # language -> articles known to be in it
        self.stream_language: str | None = None
        self._count = 0  # articles added: the clock of stories with no time
        # Active stories whose articles are all undated, least recently joined first.
        self._undated: OrderedDict[str, None] = OrderedDict()
        self._foreign: set[str] = set()  # stories the last article scored across languages

    # -- public API ------------------------------------------------------------------------

    def add(
        self,
        article: Article,
        embedding: np.ndarray | None = None,
        prepared: PreparedArticle | None = None,
    ) -> Assignment:
        """Cluster one article and say which story it joined. ``prepared``: ``prepare`` of
        the article under this clusterer's config, where it was worked out already."""
        known = self._article_story.get(article.id)
        if known is not None:  # seen before: where it is now
            return Assignment(article.id, self.resolve(known))
        reading = article_time(article)
        when = reading.seconds  # None: unknown, compared on content alone
        if when is not None:
            self.clock = max(self.clock, when)
        self._count += 1
        self._expire(self.clock)

        if prepared is None or prepared.article_id != article.id:
            prepared = prepare(article, self.config)
        key, signature, language = prepared.key, prepared.signature, prepared.language
        copied = self.dedup.find(key, signature)
        if language is not None:
            self._count_language(language)
        rules = language or self.stream_language  # unknown: the stream's, known only now
        terms, shares = prepared.terms, prepared.shares
        if terms is None:
            lead = _lead(article, article.text)
            terms = document_terms(
                article.title, lead, rules, self.config.lead_words, links=article.links
            )
        # The text is read already (``terms``): the vector needs only the language's prior
        # (``shares``, where the prior's look-ups were made with the terms).
        vector = self.features.vector(article.title, "", rules, terms, shares)
        if self.config.embeddings and embedding is None:
            embedding = self._encoder.encode([_embedding_text(article)])[0]

        story: _Story | None = None
        merged: tuple[str, ...] = ()
        if copied is not None:
            story = self._story_of_copy(copied, when, article)
        title_vector = None
        if story is None:
            join_at, merge_at = self.config.thresholds(prepared.short)
            if self._reads_meaning(prepared.short, rules) and article.title:
                title_vector = self._title_encoder.encode_one(article.title)
            if title_vector is not None:
                join_at = self.config.title_embedding_threshold
            scores = self._score(vector, embedding, when, language, join_at, title_vector)
            best = self._best_coherent(scores, vector, join_at)
            if best is not None:
                story = self._active[best]
                merged = self._merge_close(story, scores, merge_at)
                story = self._active[self.resolve(story.id)]
        new_story = story is None
        if story is None:
            story = self._new_story(article, when)
        self._join(story, article.id, vector, embedding, when, story_headline(article), language)
        if story.language is None:
            story.language = language
        self.dedup.add(article.id, key, signature, self.clock)
        return Assignment(article.id, story.id, new_story, copied, merged, reading.problem)

    def add_many(self, articles: Iterable[Article], batch_size: int = 64) -> list[Assignment]:
        """Cluster articles in the order given (embeddings, when on, computed in batches)."""
        out: list[Assignment] = []
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) >= batch_size:
                out.extend(self._add_batch(batch))
                batch = []
        out.extend(self._add_batch(batch))
        return out

    def resolve(self, story_id: str) -> str:
        """The surviving id of a story (itself unless it was merged away)."""
        root = story_id
        while root in self.aliases:
            root = self.aliases[root]
        while story_id != root:  # path compression keeps later look-ups short
            parent = self.aliases[story_id]
            self.aliases[story_id] = root
            story_id = parent
        return root

    def story_of(self, article_id: str) -> str | None:
        """The current story of an article seen within the copy window, else ``None``."""
        known = self._article_story.get(article_id)
        return self.resolve(known) if known is not None else None

    def active_stories(self) -> list[Story]:
        return [s.to_story() for s in self._active.values()]

    def get_story(self, story_id: str) -> Story | None:
        sid = self.resolve(story_id)
        story = self._active.get(sid) or self._archive.get(sid)
        return story.to_story() if story else None

    def take_changes(self) -> tuple[list[Story], list[tuple[str, str]]]:
        """Stories changed and ``(kept, gone)`` merges since the last call, then forget them."""
        changed = []
        for sid in self._changed:
            story = self._active.get(sid) or self._archive.get(sid)
            if story is not None and self.resolve(sid) == sid:
                changed.append(story.to_story())
        merges = self._merges
        self._changed = {}
        self._merges = []
        return changed, merges

    @property
    def active_count(self) -> int:
        return len(self._active)

    # -- scoring ---------------------------------------------------------------------------

    def _score(
        self,
        vector: SparseVector,
        embedding: np.ndarray | None,
        when: float | None,
        language: str | None = None,
        join_at: float = 0.0,
        title_vector: np.ndarray | None = None,
    ) -> list[tuple[float, str]]:
        idf = self.features.idf_of
        active = self._active
        cfg = self.config
        cross = not cfg.separate_languages and language is not None
        # Each term's IDF once: it weighs the article's vector and again the centroid's side.
        idfs = {term: idf(term) for term in vector}
        weighted = normalise({t: w * idfs[t] for t, w in vector.items()})
        # Names and numbers are summed apart too where another language's story may score.
        keyed = frozenset(filter(is_key, weighted)) if cross else frozenset()
        need = min(cfg.min_shared_terms, len(vector))
        # The sums over the stories' postings: the article's busiest loop (in C where built).
        candidates, key_sums = posting_scores(weighted, idfs, self._postings, active, need, keyed)
        self._foreign = set()
        if key_sums:
            key_norm = math.sqrt(sum(w * w for t, w in weighted.items() if t in keyed))
            for sid, key_dot, key_shared in key_sums:
                story = active[sid]
                if story.language is None or story.language == language:
                    continue
                if key_shared < cfg.cross_shared_terms or not story.norm:
                    continue
                # Words of two languages cannot be compared: names and numbers decide, a
                # cosine of ``cross_threshold`` counting as the join threshold.
                cosine = key_dot / (key_norm * self._key_norm(story) or 1.0)
                lifted = cosine * join_at / cfg.cross_threshold
                if lifted > candidates.get(sid, 0.0):
                    candidates[sid] = lifted
                    self._foreign.add(sid)
        if cfg.embeddings and embedding is not None:
            with_embedding = [s for s in active.values() if s.embedding is not None]
            if with_embedding:
                # One matrix product over the active stories' summed embeddings.
                sums = np.stack([s.embedding for s in with_embedding])
                norms = np.linalg.norm(sums, axis=1)
                cosines = (sums @ embedding) / np.where(norms > 0, norms, 1.0)
                w = cfg.embedding_weight
                candidates = {
                    s.id: (1 - w) * candidates.get(s.id, 0.0) + w * float(cosine)
                    for s, cosine in zip(with_embedding, cosines, strict=True)
                }
        if title_vector is not None:
            # The stories sharing a word with the headline, one word being enough here: the
            # meaning of the titles, not a second word, decides.
            # (A handful of stories, eight a headline on UCI: one product each costs less
            # than stacking them.)
            postings = self._postings
            sharing: set[str] = set()
            for term in weighted:
                posting = postings.get(term)
                if posting:
                    sharing.update(posting)
            w = cfg.title_embedding_weight
            for sid in sharing:
                direction = self._titles_direction(active[sid])
                if direction is not None:
                    cosine = float(direction @ title_vector)
                    candidates[sid] = (1 - w) * candidates.get(sid, 0.0) + w * cosine
        # Only a score at or above this is ever read (``_best_coherent`` stops below the
        # join threshold, ``_merge_close`` below ``merge_score``), and the time decay never
        # raises one: the rest, nearly all of them, are not ranked.
        return self._ranked(candidates, when, language, min(join_at, cfg.merge_score))

    def _reads_meaning(self, short: bool, rules: str | None) -> bool:
        """Whether an article is compared by the meaning of its title too: a headline alone,
        in English (or read by English rules), with neither MiniLM nor the option off, and
        the model installed (``embeddings.title_model_installed``)."""
        cfg = self.config
        if not (cfg.title_embeddings and not cfg.embeddings and short and rules in (None, "en")):
            return False
        if self._title_encoder is None:
            from newsdesk.cluster.embeddings import title_encoder, title_model_installed

            # Without the package (no wheel for this platform), headlines are read by
            # words alone, as before the option: said once, never an error.
            self._title_encoder = title_encoder() if title_model_installed() else False
        return self._title_encoder is not False

    def _titles_direction(self, story: _Story) -> np.ndarray | None:
        """The direction of the sum of the story's English candidate titles' embeddings,
        read on demand: only the candidates added since it was last read are encoded."""
        if story.titles_read == len(story.candidates):
            return story.titles_direction
        fresh = story.candidates[story.titles_read :]
        story.titles_read = len(story.candidates)
        english = [title for title, _, language in fresh if language in ("", "en")]
        if english:
            added = self._title_encoder.encode(english).sum(axis=0)
            total = added if story.titles_embedding is None else story.titles_embedding + added
            length = float(np.linalg.norm(total))
            story.titles_embedding = total
            story.titles_direction = total / length if length > 0 else None
        return story.titles_direction

    def _ranked(
        self, candidates: dict[str, float], when: float | None, language: str | None, floor: float
    ) -> list[tuple[float, str]]:
        """The candidate stories scoring ``floor`` or more, time decay applied, best first
        (the newer story first on a tie); another language's left out where languages are
        kept apart."""
        scored = []
        foreign = self.config.separate_languages and language is not None
        for sid, score in candidates.items():
            if score < floor:
                continue
            story = self._active[sid]
            if foreign and story.language is not None and story.language != language:
                continue  # another language's story: not this article's to join
            scored.append((score * self._decay(story, when), -story.seq, sid))
        scored.sort(reverse=True)
        return [(score, sid) for score, _, sid in scored]

    def _decay(self, story: _Story, when: float | None) -> float:
        """How much the time between an article and a story weakens their link: none where
        either time is unknown or the article falls within (or near) the story's span."""
        if when is None or story.first_time is None or story.last_time is None:
            return 1.0
        gap = max(story.first_time - when, when - story.last_time, 0.0) / 3600.0
        gap -= self.config.decay_grace_hours
        return 0.5 ** (gap / self.config.decay_hours) if gap > 0 else 1.0

    def _key_norm(self, story: _Story) -> float:
        """The length of the names and numbers of a story's centroid, IDF applied."""
        idf = self.features.idf_of
        return math.sqrt(sum((w * idf(t)) ** 2 for t, w in story.centroid.items() if is_key(t)))

    def _best_coherent(
        self, scores: list[tuple[float, str]], vector: SparseVector, join_at: float
    ) -> str | None:
        """The best story above the threshold whose core the article shares a term with.

        A generic overlap ("NASA", "water") can lift a cosine over the threshold; the
        article's own heaviest terms must meet the story's heaviest ones. An article joining
        another language's story on names and numbers has passed a stricter test already.
        """
        article_core: set[str] | None = None
        need = 1
        for score, sid in scores:
            if score < join_at:
                return None
            if sid in self._foreign:
                return sid
            if article_core is None:
                article_core = self._core(vector)
                need = min(self.config.core_shared, max(1, len(article_core) // 4))
            if len(article_core & self._core(self._active[sid].centroid)) >= need:
                return sid
        return None

    def _core(self, vector: SparseVector) -> set[str]:
        """The ``core_terms`` heaviest words of a vector or centroid, IDF applied (name keys
        left out: they repeat a name already counted)."""
        return core_terms(vector, self.features.idf_table, self.config.core_terms, KEY_PREFIX)

    def _merge_close(
        self, best: _Story, scores: list[tuple[float, str]], merge_at: float
    ) -> tuple[str, ...]:
        """Merge the stories this article bridges, when they also agree with each other."""
        merged: list[str] = []
        for score, sid in scores[1 : 1 + self.config.merge_candidates]:
            if score < self.config.merge_score:
                break
            if sid not in self._active:
                continue
            keep = self._active[self.resolve(best.id)]
            other = self._active[sid]
            if other is keep or not self._may_merge(keep, other):
                continue
            if self._centroid_cosine(keep, other) >= merge_at:
                survivor = self._merge(keep, other)
                merged.append(other.id if survivor is keep else keep.id)
        return tuple(merged)

    def _count_language(self, language: str) -> None:
        counts = self._languages
        counts[language] = counts.get(language, 0) + 1
        top = max(counts, key=counts.__getitem__)  # the first seen of equals
        dominant = counts[top] >= STREAM_LANGUAGE_SHARE * sum(counts.values())
        self.stream_language = top if dominant else None

    def _may_merge(self, a: _Story, b: _Story) -> bool:
        """Whether two stories' languages allow a merge (equal, or one not known)."""
        if not self.config.separate_languages:
            return True
        return a.language is None or b.language is None or a.language == b.language

    def _centroid_cosine(self, a: _Story, b: _Story) -> float:
        if not a.norm or not b.norm:
            return 0.0
        small, large = (a, b) if len(a.centroid) <= len(b.centroid) else (b, a)
        dot = centroid_dot(small.centroid, large.centroid, self.features.idf_table)
        return dot / (a.norm * b.norm)

    # -- story bookkeeping -----------------------------------------------------------------

    def _new_story(self, article: Article, when: float | None) -> _Story:
        self._seq += 1
        story = _Story(
            id=story_id_for(article.id),
            seq=self._seq,
            first_time=when,
            last_time=when,
            headline=story_headline(article),
            article_ids=[],
            centroid={},
            norm=0.0,
        )
        if story.id in self._active:  # the same first article twice cannot happen; be safe
            story.id = short_hash("story", article.id, str(self._seq))
        self._active[story.id] = story
        return story

    def _join(
        self,
        story: _Story,
        article_id: str,
        vector: SparseVector,
        embedding: np.ndarray | None,
        when: float | None,
        title: str = "",
        language: str | None = None,
    ) -> None:
        centroid = story.centroid
        # The centroid's length under today's IDF: updated for the changed terms only, and
        # recomputed whole every 16 joins (IDF drifts slowly) to keep the cost per article flat.
        refresh = not story.norm or len(story.article_ids) % 16 == 15
        # The vector added to the centroid and to the postings (in C where built), and the
        # growth of the centroid's squared length where it is not recomputed whole below.
        grown = add_to_centroid(
            centroid, self._postings, story.id, vector, self.features.idf_table, not refresh
        )
        if not refresh:
            story.norm = math.sqrt(max(story.norm**2 + grown, 0.0))
        if len(centroid) > 2 * self.config.max_centroid_terms:
            self._prune(story)
            refresh = True
        if refresh:
            story.norm = self.features.norm(story.centroid)
        if embedding is not None:
            story.embedding = (
                embedding.copy() if story.embedding is None else story.embedding + embedding
            )
        story.article_ids.append(article_id)
        if when is not None:
            story.first_time = when if story.first_time is None else min(story.first_time, when)
            story.last_time = when if story.last_time is None else max(story.last_time, when)
        if title and len(story.candidates) < HEADLINE_CANDIDATES:
            top = heapq.nlargest(CANDIDATE_TERMS, vector.items(), key=lambda tw: tw[1])
            story.candidates.append((title, dict(top), language or ""))
        self._headline(story)
        self._touch(story)
        self._article_story[article_id] = story.id
        self._changed[story.id] = None

    def _touch(self, story: _Story) -> None:
        """Mark the story as just joined: it stays in the index from now on for its window."""
        story.touched = self.clock
        story.touched_count = self._count
        if story.last_time is None:
            self._undated[story.id] = None
            self._undated.move_to_end(story.id)
        else:
            self._undated.pop(story.id, None)
            heapq.heappush(self._expiry, (story.touched, story.id))

    def _headline(self, story: _Story) -> None:
        """The story's headline: the title of its candidate nearest its centroid (its most
        central early article), so an outlier or a page's furniture never names it, among
        the candidates of its main language (most of them; the first one's on a tie). The
        first candidate wins ties; checked on each of the first joins, then every eighth."""
        if len(story.candidates) < 2:
            if story.candidates:
                story.headline = story.candidates[0][0]
            return
        if len(story.article_ids) > 2 * HEADLINE_CANDIDATES and len(story.article_ids) % 8:
            return
        idf = self.features.idf_of
        centroid = story.centroid
        counts: dict[str, int] = {}
        for _, _, language in story.candidates:
            if language:
                counts[language] = counts.get(language, 0) + 1
        main = max(counts, key=counts.__getitem__) if counts else ""
        best, best_score = story.headline, -1.0
        for title, terms, language in story.candidates:
            if main and language and language != main:
                continue
            score = sum(w * centroid.get(t, 0.0) * idf(t) ** 2 for t, w in terms.items())
            if score > best_score + 1e-12:
                best, best_score = title, score
        story.headline = best

    def _prune(self, story: _Story) -> None:
        idf = self.features.idf_of
        keep = sorted(story.centroid.items(), key=lambda tw: (-tw[1] * idf(tw[0]), tw[0]))
        keep = keep[: self.config.max_centroid_terms]
        for term in story.centroid.keys() - {t for t, _ in keep}:
            self._unpost(term, story.id)
        story.centroid.clear()  # the terms kept keep their weights, in the postings too
        story.centroid.update(keep)

    def _unpost(self, term: str, story_id: str) -> None:
        posting = self._postings.get(term)
        if posting is not None:
            posting.pop(story_id, None)
            if not posting:
                del self._postings[term]

    def _merge(self, a: _Story, b: _Story) -> _Story:
        """Merge two active stories; the older survives and the other becomes its alias."""
        keep, gone = (a, b) if _older(a, b) else (b, a)
        for term in gone.centroid:
            self._unpost(term, gone.id)
        for term, weight in gone.centroid.items():
            held = keep.centroid[term] = keep.centroid.get(term, 0.0) + weight
            self._postings.setdefault(term, {})[keep.id] = held
        if len(keep.centroid) > 2 * self.config.max_centroid_terms:
            self._prune(keep)
        keep.norm = self.features.norm(keep.centroid)
        if gone.embedding is not None:
            keep.embedding = (
                gone.embedding if keep.embedding is None else keep.embedding + gone.embedding
            )
        keep.article_ids.extend(gone.article_ids)
        for article_id in gone.article_ids:
            self._article_story[article_id] = keep.id
        keep.aliases.extend([gone.id, *gone.aliases])
        keep.language = keep.language or gone.language
        keep.first_time = _earliest(keep.first_time, gone.first_time)
        keep.last_time = _latest(keep.last_time, gone.last_time)
        room = HEADLINE_CANDIDATES - len(keep.candidates)
        keep.candidates.extend(gone.candidates[: max(room, 0)])
        self._headline(keep)
        self._touch(keep)
        self._undated.pop(gone.id, None)
        del self._active[gone.id]
        self.aliases[gone.id] = keep.id
        self._changed[keep.id] = None
        self._changed.pop(gone.id, None)
        self._merges.append((keep.id, gone.id))
        return keep

    def _story_of_copy(self, copied: str, when: float | None, article: Article) -> _Story | None:
        sid = self._article_story.get(copied)
        if sid is None:
            return None
        sid = self.resolve(sid)
        if sid in self._active:
            return self._active[sid]
        story = self._archive.pop(sid, None)
        if story is None:
            return None
        # The copied article's story had left the window: a copy brings it back, id and all.
        self._active[sid] = story
        for term, held in story.centroid.items():
            self._postings.setdefault(term, {})[sid] = held
        self._touch(story)
        return story

    def _expire(self, now: float) -> None:
        horizon = now - self.config.window_hours * 3600.0
        while self._expiry and self._expiry[0][0] < horizon:
            touched, sid = heapq.heappop(self._expiry)
            story = self._active.get(sid)
            if story is None or story.touched != touched or story.last_time is None:
                continue  # merged away, or joined since: a newer heap entry stands
            self._retire(story)
        # Stories with no time leave after so many articles, least recently joined first.
        limit = self._count - self.config.undated_window_articles
        while self._undated:
            sid = next(iter(self._undated))
            story = self._active.get(sid)
            if story is not None and story.last_time is None:
                if story.touched_count >= limit:
                    break
                self._retire(story)
            self._undated.pop(sid, None)
        # Archived in order of last sighting, so the oldest are first to go.
        copy_horizon = now - self.config.dedup_window_hours * 3600.0
        while self._archive:
            sid, story = next(iter(self._archive.items()))
            if story.touched >= copy_horizon:
                break
            del self._archive[sid]
            for article_id in story.article_ids:
                self._article_story.pop(article_id, None)
        self.dedup.expire(now)

    def _retire(self, story: _Story) -> None:
        """Move an active story to the archive, where only a copy of its articles finds it."""
        for term in story.centroid:
            self._unpost(term, story.id)
        del self._active[story.id]
        # Only ids and times are kept: a copy that revives the story starts its centroid
        # afresh, which keeps the archive (and the saved state) small.
        story.centroid = {}
        story.norm = 0.0
        story.embedding = None
        story.titles_embedding = story.titles_direction = None  # read again if revived
        story.titles_read = 0
        story.touched = max(story.touched, self.clock)
        self._archive[story.id] = story

    def _add_batch(self, batch: Sequence[Article]) -> list[Assignment]:
        if not batch:
            return []
        embeddings: Sequence[np.ndarray | None] = [None] * len(batch)
        if self.config.embeddings:
            embeddings = list(self._encoder.encode([_embedding_text(a) for a in batch]))
        return [self.add(a, e) for a, e in zip(batch, embeddings, strict=True)]

    # -- state -----------------------------------------------------------------------------

    def to_state(self) -> bytes:
        """Everything needed to go on clustering later, as compressed JSON bytes."""
        state = {
            "version": STATE_VERSION,
            "config": asdict(self.config),
            "clock": self.clock if self.clock > -math.inf else None,
            "seq": self._seq,
            "features": self.features.to_state(),
            "dedup": self.dedup.to_state(),
            "aliases": self.aliases,
            "languages": self._languages,
            "stream_language": self.stream_language,
            "count": self._count,
            "stories": [
                {
                    "archived": s.id in self._archive,
                    "id": s.id,
                    "seq": s.seq,
                    "first_time": s.first_time,
                    "last_time": s.last_time,
                    "headline": s.headline,
                    "article_ids": s.article_ids,
                    "centroid": s.centroid,
                    "norm": s.norm,
                    "embedding": None if s.embedding is None else s.embedding.tolist(),
                    "aliases": s.aliases,
                    "language": s.language,
                    "touched": s.touched if s.touched > -math.inf else None,
                    "touched_count": s.touched_count,
                    "candidates": s.candidates,
                }
                for s in [*self._active.values(), *self._archive.values()]
            ],
        }
        # level 1: written after every batch of a run; about 4x faster than 6, a little larger
        return zlib.compress(json.dumps(state, separators=(",", ":")).encode("utf-8"), 1)

    @classmethod
    def from_state(cls, data: bytes, encoder: Any = None) -> StoryClusterer:
        """A clusterer that goes on from ``to_state``'s output (same config as then)."""
        return cls.from_saved(decode_state(data), encoder)

    @classmethod
    def from_saved(cls, state: dict[str, Any], encoder: Any = None) -> StoryClusterer:
        """``from_state`` on a state ``decode_state`` read already."""
        clusterer = cls(ClusterConfig(**state["config"]), encoder=encoder)
        clusterer.clock = -math.inf if state["clock"] is None else float(state["clock"])
        clusterer._seq = int(state["seq"])
        clusterer.features.load_state(state["features"])
        clusterer.dedup.load_state(state["dedup"])
        clusterer.aliases = dict(state["aliases"])
        clusterer._languages = {str(k): int(v) for k, v in state.get("languages", {}).items()}
        clusterer.stream_language = state.get("stream_language")
        clusterer._count = int(state.get("count", 0))
        undated: list[tuple[int, str]] = []
        for raw in state["stories"]:
            embedding = raw["embedding"]
            story = _Story(
                id=raw["id"],
                seq=raw["seq"],
                first_time=raw["first_time"],
                last_time=raw["last_time"],
                headline=raw["headline"],
                article_ids=list(raw["article_ids"]),
                centroid={t: float(w) for t, w in raw["centroid"].items()},
                norm=0.0,
                embedding=None if embedding is None else np.asarray(embedding, dtype=np.float32),
                aliases=list(raw["aliases"]),
                language=raw.get("language"),
                # Before version 4 a story was last joined at its last time.
                touched=_finite(raw.get("touched", raw["last_time"])),
                touched_count=int(raw.get("touched_count", 0)),
                candidates=[
                    (str(c[0]), dict(c[1]), str(c[2]) if len(c) > 2 else "")
                    for c in raw.get("candidates", [])
                ],
            )
            story.norm = float(raw["norm"])  # as it was, so a resumed run scores the same
            for article_id in story.article_ids:
                clusterer._article_story[article_id] = story.id
            if raw.get("archived"):
                clusterer._archive[story.id] = story
                continue
            clusterer._active[story.id] = story
            for term, held in story.centroid.items():
                clusterer._postings.setdefault(term, {})[story.id] = held
            if story.last_time is None:
                undated.append((story.touched_count, story.id))
            else:
                heapq.heappush(clusterer._expiry, (story.touched, story.id))
        for _, sid in sorted(undated):
            clusterer._undated[sid] = None
        return clusterer


def _finite(value: float | None) -> float:
    return -math.inf if value is None else float(value)


def _older(a: _Story, b: _Story) -> bool:
    """Whether ``a`` is the older story: first published earlier, else (a time unknown,
    or equal) started earlier in the stream."""
    if a.first_time is not None and b.first_time is not None and a.first_time != b.first_time:
        return a.first_time < b.first_time
    return a.seq < b.seq


def _earliest(a: float | None, b: float | None) -> float | None:
    return b if a is None else a if b is None else min(a, b)


def _latest(a: float | None, b: float | None) -> float | None:
    return b if a is None else a if b is None else max(a, b)


def _embedding_text(article: Article) -> str:
    lead = " ".join(article.text.split()[:60])
    return f"{article.title}. {lead}".strip(". ")


def cluster_articles(
    articles: Iterable[Article], config: ClusterConfig | None = None, encoder: Any = None
) -> list[tuple[str, str]]:
    """``(article id, story id)`` for each article, in the order given, merges resolved.

    Articles are clustered in ``time_ordered`` order, so any order of the same articles
    gives the same stories.
    """
    listed = list(articles)
    clusterer = StoryClusterer(config, encoder=encoder)
    assigned = {a.article_id: a.story_id for a in clusterer.add_many(time_ordered(listed))}
    return [(article.id, clusterer.resolve(assigned[article.id])) for article in listed]


def time_ordered(articles: Sequence[Article]) -> list[Article]:
    """Articles in the one order the clusterer takes them, whatever order they came in:
    those of unknown time first (by id: they are compared on content alone, and meet every
    dated story after them), then by news time (``article_time``), ties by id."""
    keyed = []
    for article in articles:
        when = article_time(article).seconds
        keyed.append((when is not None, when or 0.0, article.id, article))
    keyed.sort(key=lambda k: k[:3])
    return [k[3] for k in keyed]


def decode_state(data: bytes) -> dict[str, Any]:
    """``to_state``'s output decompressed and parsed; ValueError (or zlib.error) when it is
    not a state this version reads."""
    state = json.loads(zlib.decompress(data).decode("utf-8"))
    if not isinstance(state, dict) or state.get("version") not in READABLE_STATE_VERSIONS:
        version = state.get("version") if isinstance(state, dict) else None
        raise ValueError(f"clusterer state version {version} is not supported")
    config = state.get("config")
    if isinstance(config, dict):
        # A state saved before headlines were read by meaning goes on reading them by words
        # alone: a store keeps the rules it was first clustered with.
        config.setdefault("title_embeddings", False)
    return state
