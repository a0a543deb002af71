"""Incremental story clustering: each article, in time order, joins the best story or starts one.

An article is first checked for being a copy of an earlier one (``dedup``): a copy joins
that article's story, whatever the threshold. Otherwise it is compared with the centroids
of the *active* stories (those seen within ``window_hours``) through an inverted index of
their terms, scored by cosine similarity decayed by the time since the story was last
seen, and joins the best one above ``threshold`` (sharing at least two terms with it: one
shared word is too thin a link). When an article is close to two stories
at once (both above ``merge_threshold``) and their centroids agree, the stories merge: the
older one keeps its id and the other's becomes an alias. Stories that fall out of the
window leave the index, so the work per article does not grow with the length of the stream.

Each article's language (its label, else a cheap guess: ``languages``) picks the words'
stemmer, stop words and frequency prior, and by default a story holds one language: an
article joins, and bridges merges of, only stories of its own language or of none known
yet. An article whose language is unknown may join any story; its words follow the rules
of the stream's language (the language of two thirds or more of the articles whose
language is known), else English.

Ids are stable: a story's id derives from its first article's id, so the same articles in
the same order always give the same ids.
"""

from __future__ import annotations

import heapq
import json
import math
import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from newsdesk.cluster.dedup import NearDuplicateIndex, content_key, content_words
from newsdesk.cluster.features import SparseVector, StreamingTfidf, normalise
from newsdesk.cluster.languages import article_language
from newsdesk.cluster.times import iso, parse_time
from newsdesk.model import Article, Story, short_hash

STATE_VERSION = 3  # 3: stories carry their language
READABLE_STATE_VERSIONS = (2, 3)  # a version 2 state loads with every story's language unknown
# Share of the known-language articles that makes a language the stream's: the rules for the
# words of an article whose language is unknown (most headlines of an unlabelled stream).
STREAM_LANGUAGE_SHARE = 2 / 3


@dataclass(frozen=True)
class ClusterConfig:
    """Knobs of the clusterer; the defaults need no model."""

    # Cosine to a story's centroid needed to join it. Short texts (a headline alone) share
    # fewer words with anything, so their cosines run lower: they get their own thresholds.
    threshold: float = 0.18
    merge_threshold: float = (
        0.30  # centroid cosine at which two stories bridged by an article merge
    )
    headline_threshold: float = 0.14
    headline_merge_threshold: float = 0.22
    short_words: int = 25  # an article with fewer words of body than this is a headline
    merge_score: float = 0.10  # an article scoring this with a second story triggers the check
    merge_candidates: int = 5
    window_hours: float = 72.0  # stories not seen for this long leave the active index
    decay_hours: float = 48.0  # similarity halves per this many hours since last seen
    title_weight: float = 2.0
    name_weight: float = 1.5
    lead_words: int = 300  # words of the body read after the title
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
    # A story holds one language: an article joins (or merges) only stories of its language
    # or of none known yet. Off: languages mix (still each with its own stemmer and stop words).
    separate_languages: bool = True
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


@dataclass
class _Story:
    id: str
    seq: int  # creation order: breaks ties between equally old stories
    first_time: float
    last_time: float
    headline: str
    article_ids: list[str]
    centroid: SparseVector
    norm: float  # length of the centroid with IDF applied, refreshed when the story changes
    embedding: np.ndarray | None = None
    aliases: list[str] = field(default_factory=list)
    language: str | None = None  # the first known language among its articles

    def to_story(self) -> Story:
        return Story(
            id=self.id,
            article_ids=tuple(self.article_ids),
            headline=self.headline,
            first_seen=iso(self.first_time),
            last_seen=iso(self.last_time),
            aliases=tuple(self.aliases),
        )


# A story named after an untitled article takes the start of its text, this many words.
UNTITLED_HEADLINE_WORDS = 12
_FIRST_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def story_headline(article: Article) -> str:
    """A story's headline: its first article's title, else the start of that article's first
    sentence (a stream of bare texts still lists readable stories)."""
    if article.title.strip():
        return article.title.strip()
    text = (article.paragraphs[0] if article.paragraphs else article.description or "").strip()
    words = _FIRST_SENTENCE.split(text, maxsplit=1)[0].split()
    if len(words) > UNTITLED_HEADLINE_WORDS:
        return " ".join(words[:UNTITLED_HEADLINE_WORDS]) + " …"
    return " ".join(words)


def story_id_for(article_id: str) -> str:
    """A story's id: derived from the id of the article that started it."""
    return short_hash("story", article_id)


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
        if cfg.embeddings and encoder is None:
            from newsdesk.cluster.embeddings import MiniLMEncoder

            self._encoder = MiniLMEncoder()
        self.clock = -math.inf  # the latest article time seen
        self._seq = 0
        self._active: dict[str, _Story] = {}
        self._postings: dict[str, dict[str, None]] = {}  # term -> active story ids (ordered set)
        self._expiry: list[tuple[float, str]] = []  # heap of (last_time, story id), lazily checked
        # Stories out of the window but within the copy window: a copy can still find them.
        self._archive: dict[str, _Story] = {}
        self._article_story: dict[str, str] = {}  # article id -> story id (active or archived)
        self.aliases: dict[str, str] = {}  # gone story id -> the id it merged into
        self._changed: dict[str, None] = {}
        self._merges: list[tuple[str, str]] = []
        self._languages: dict[str, int] = {}  # language -> articles known to be in it
        self.stream_language: str | None = None

    # -- public API ------------------------------------------------------------------------

    def add(self, article: Article, embedding: np.ndarray | None = None) -> Assignment:
        """Cluster one article and say which story it joined."""
        known = self._article_story.get(article.id)
        if known is not None:  # seen before: where it is now
            return Assignment(article.id, self.resolve(known))
        when = parse_time(article.published)
        if when is None:
            when = self.clock if self.clock > -math.inf else 0.0
        self.clock = max(self.clock, when)
        self._expire(self.clock)

        body = article.text  # joins the paragraphs: once per article
        lead = body if article.paragraphs else (article.description or "")
        words = content_words(article.title, body or article.description or "")
        key = content_key(words)
        signature = self.dedup.signature(words)
        copied = self.dedup.find(key, signature)
        language = article_language(
            article.language, article.title, lead, self.config.guess_languages
        )
        if language is not None:
            self._count_language(language)
        vector = self.features.vector(article.title, lead, language or self.stream_language)
        if self.config.embeddings and embedding is None:
            embedding = self._encoder.encode([_embedding_text(article)])[0]

        story: _Story | None = None
        merged: tuple[str, ...] = ()
        if copied is not None:
            story = self._story_of_copy(copied, when, article)
        if story is None:
            short = len(lead.split(maxsplit=self.config.short_words)) < self.config.short_words
            join_at, merge_at = self.config.thresholds(short)
            scores = self._score(vector, embedding, when, language)
            if scores and scores[0][0] >= join_at:
                story = self._active[scores[0][1]]
                merged = self._merge_close(story, scores, merge_at)
                story = self._active[self.resolve(story.id)]
        new_story = story is None
        if story is None:
            story = self._new_story(article, when)
        self._join(story, article.id, vector, embedding, when)
        if story.language is None:
            story.language = language
        self.dedup.add(article.id, key, signature, when)
        return Assignment(article.id, story.id, new_story, copied, merged)

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
        when: float,
        language: str | None = None,
    ) -> list[tuple[float, str]]:
        dots: dict[str, float] = {}
        shared: dict[str, int] = {}
        idf = self.features.idf
        active = self._active
        # Each term's IDF once: it weighs the article's vector and again the centroid's side.
        idfs = {term: idf(term) for term in vector}
        for term, weight in normalise({t: w * idfs[t] for t, w in vector.items()}).items():
            posting = self._postings.get(term)
            if not posting:
                continue
            weight *= idfs[term]
            for sid in posting:
                dots[sid] = dots.get(sid, 0.0) + weight * active[sid].centroid[term]
                shared[sid] = shared.get(sid, 0) + 1
        cfg = self.config
        need = min(cfg.min_shared_terms, len(vector))
        candidates: dict[str, float] = {
            sid: dot / active[sid].norm
            for sid, dot in dots.items()
            if active[sid].norm and shared[sid] >= need
        }
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
        scored = []
        foreign = cfg.separate_languages and language is not None
        for sid, score in candidates.items():
            story = self._active[sid]
            if foreign and story.language is not None and story.language != language:
                continue  # another language's story: not this article's to join
            age_hours = max(0.0, when - story.last_time) / 3600.0
            decay = 0.5 ** (age_hours / cfg.decay_hours)
            scored.append((score * decay, -story.seq, sid))
        scored.sort(reverse=True)
        return [(score, sid) for score, _, sid in scored]

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
        idf = self.features.idf
        small, large = (a, b) if len(a.centroid) <= len(b.centroid) else (b, a)
        dot = sum(
            w * large.centroid[t] * idf(t) ** 2
            for t, w in small.centroid.items()
            if t in large.centroid
        )
        return dot / (a.norm * b.norm)

    # -- story bookkeeping -----------------------------------------------------------------

    def _new_story(self, article: Article, when: float) -> _Story:
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
        when: float,
    ) -> None:
        centroid = story.centroid
        # The centroid's length under today's IDF: updated for the changed terms only, and
        # recomputed whole every 16 joins (IDF drifts slowly) to keep the cost per article flat.
        refresh = not story.norm or len(story.article_ids) % 16 == 15
        if not refresh:
            idf = self.features.idf
            grown = sum(
                ((centroid.get(t, 0.0) + w) ** 2 - centroid.get(t, 0.0) ** 2) * idf(t) ** 2
                for t, w in vector.items()
            )
            story.norm = math.sqrt(max(story.norm**2 + grown, 0.0))
        for term, weight in vector.items():
            if term not in centroid:
                self._postings.setdefault(term, {})[story.id] = None
            centroid[term] = centroid.get(term, 0.0) + weight
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
        story.first_time = min(story.first_time, when)
        story.last_time = max(story.last_time, when)
        heapq.heappush(self._expiry, (story.last_time, story.id))
        self._article_story[article_id] = story.id
        self._changed[story.id] = None

    def _prune(self, story: _Story) -> None:
        idf = self.features.idf
        keep = sorted(story.centroid.items(), key=lambda tw: (-tw[1] * idf(tw[0]), tw[0]))
        keep = keep[: self.config.max_centroid_terms]
        for term in story.centroid.keys() - {t for t, _ in keep}:
            self._unpost(term, story.id)
        story.centroid = dict(keep)

    def _unpost(self, term: str, story_id: str) -> None:
        posting = self._postings.get(term)
        if posting is not None:
            posting.pop(story_id, None)
            if not posting:
                del self._postings[term]

    def _merge(self, a: _Story, b: _Story) -> _Story:
        """Merge two active stories; the older survives and the other becomes its alias."""
        keep, gone = (a, b) if (a.first_time, a.seq) <= (b.first_time, b.seq) else (b, a)
        for term in gone.centroid:
            self._unpost(term, gone.id)
        for term, weight in gone.centroid.items():
            if term not in keep.centroid:
                self._postings.setdefault(term, {})[keep.id] = None
            keep.centroid[term] = keep.centroid.get(term, 0.0) + weight
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
        keep.first_time = min(keep.first_time, gone.first_time)
        keep.last_time = max(keep.last_time, gone.last_time)
        heapq.heappush(self._expiry, (keep.last_time, keep.id))
        del self._active[gone.id]
        self.aliases[gone.id] = keep.id
        self._changed[keep.id] = None
        self._changed.pop(gone.id, None)
        self._merges.append((keep.id, gone.id))
        return keep

    def _story_of_copy(self, copied: str, when: float, article: Article) -> _Story | None:
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
        for term in story.centroid:
            self._postings.setdefault(term, {})[sid] = None
        return story

    def _expire(self, now: float) -> None:
        horizon = now - self.config.window_hours * 3600.0
        while self._expiry and self._expiry[0][0] < horizon:
            last_time, sid = heapq.heappop(self._expiry)
            story = self._active.get(sid)
            if story is None or story.last_time != last_time:
                continue  # merged away, or seen again since: a newer heap entry stands
            for term in story.centroid:
                self._unpost(term, sid)
            del self._active[sid]
            # Only ids and times are kept: a copy that revives the story starts its centroid
            # afresh, which keeps the archive (and the saved state) small.
            story.centroid = {}
            story.norm = 0.0
            story.embedding = None
            self._archive[sid] = story
        # Archived in order of last sighting, so the oldest are first to go.
        copy_horizon = now - self.config.dedup_window_hours * 3600.0
        while self._archive:
            sid, story = next(iter(self._archive.items()))
            if story.last_time >= copy_horizon:
                break
            del self._archive[sid]
            for article_id in story.article_ids:
                self._article_story.pop(article_id, None)
        self.dedup.expire(now)

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
                }
                for s in [*self._active.values(), *self._archive.values()]
            ],
        }
        return zlib.compress(json.dumps(state, separators=(",", ":")).encode("utf-8"), 6)

    @classmethod
    def from_state(cls, data: bytes, encoder: Any = None) -> StoryClusterer:
        """A clusterer that goes on from ``to_state``'s output (same config as then)."""
        state = json.loads(zlib.decompress(data).decode("utf-8"))
        if state.get("version") not in READABLE_STATE_VERSIONS:
            raise ValueError(f"clusterer state version {state.get('version')} is not supported")
        clusterer = cls(ClusterConfig(**state["config"]), encoder=encoder)
        clusterer.clock = -math.inf if state["clock"] is None else float(state["clock"])
        clusterer._seq = int(state["seq"])
        clusterer.features.load_state(state["features"])
        clusterer.dedup.load_state(state["dedup"])
        clusterer.aliases = dict(state["aliases"])
        clusterer._languages = {str(k): int(v) for k, v in state.get("languages", {}).items()}
        clusterer.stream_language = state.get("stream_language")
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
            )
            story.norm = float(raw["norm"])  # as it was, so a resumed run scores the same
            for article_id in story.article_ids:
                clusterer._article_story[article_id] = story.id
            if raw.get("archived"):
                clusterer._archive[story.id] = story
                continue
            clusterer._active[story.id] = story
            for term in story.centroid:
                clusterer._postings.setdefault(term, {})[story.id] = None
            heapq.heappush(clusterer._expiry, (story.last_time, story.id))
        return clusterer


def _embedding_text(article: Article) -> str:
    lead = " ".join(article.text.split()[:60])
    return f"{article.title}. {lead}".strip(". ")


def cluster_articles(
    articles: Iterable[Article], config: ClusterConfig | None = None, encoder: Any = None
) -> list[tuple[str, str]]:
    """``(article id, story id)`` for each article, in the order given, merges resolved.

    Articles are clustered in time order (by ``published``; those without one keep their
    place after the article before them), so shuffled input gives the same stories.
    """
    listed = list(articles)
    clusterer = StoryClusterer(config, encoder=encoder)
    assigned = {a.article_id: a.story_id for a in clusterer.add_many(time_ordered(listed))}
    return [(article.id, clusterer.resolve(assigned[article.id])) for article in listed]


def time_ordered(articles: Sequence[Article]) -> list[Article]:
    """Articles sorted by publication time, stable; an undated one takes its predecessor's time."""
    keyed = []
    last = -math.inf
    for index, article in enumerate(articles):
        when = parse_time(article.published)
        if when is None:
            when = last
        last = max(last, when) if when > -math.inf else last
        keyed.append((when, index, article))
    keyed.sort(key=lambda k: (k[0], k[1]))
    return [a for _, _, a in keyed]
