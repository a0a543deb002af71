"""The extractive writer: a story's articles -> a cited Draft, with no model.

Every sentence of the draft is copied verbatim from a source article (a leading dateline
such as "LONDON (Reuters) -" may be cut off). Sentences are scored by how central they
are to the story (TF-IDF cosine with the centroid of the articles, each article weighing
the same, an article unlike the others less), how early they come in their article (news
puts the facts first), how many articles report the same thing, and their length; they
are then picked greedily until the word budget of lead plus body is spent, each pick
also rewarded for word pairs that several articles share and no pick has covered yet,
penalised for resembling what is taken, and skipped if it repeats it (maximal marginal
relevance). The lead is the best article opening taken; the rest reads in the order the
facts came in their articles, reactions (quotes) and context after, in short paragraphs.
Standfirst and summary are further short sentences that stand alone and say something
new; the headline is the best source title without its site name, or the core of the
lead's main clause.

Each sentence cites every article that supports it: its own, and any other article
(in the same language) holding the sentence, or a sentence with nearly all its words, the
same negation and all its numbers. An article of the story in another language is cited
after those, on a sentence whose facts one of its sentences reports: names (compared
across scripts: ``newsdesk.text.names``) beyond the story's topic, and all its numbers
(``_ForeignCiter``).
The draft's sentences still come from its own language only.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from newsdesk.errors import InputError
from newsdesk.model import Article, Draft, Paragraph, Sentence, Source, canonical_url, now_utc
from newsdesk.text.language import majority_language
from newsdesk.text.names import name_keys
from newsdesk.text.numbers import numbers
from newsdesk.text.sentences import split_sentences
from newsdesk.text.tfidf import tfidf_matrix
from newsdesk.text.urls import archived_original
from newsdesk.text.words import stemmer, stop_words, tokens
from newsdesk.write.features import content_tokens
from newsdesk.write.headline import (
    MAX_CUT_WORDS,
    choose_headline,
    clean_headline,
    headline_from_sentence,
    reads_as_headline,
    repeats_sentence,
)
from newsdesk.write.sentences import (
    SourceSentence,
    article_sentences,
    is_furniture,
    is_layout,
    word_count,
)


@dataclass(frozen=True)
class Settings:
    """Weights of the sentence score and the redundancy limit (tuned on dev clusters)."""

    centrality: float = 1.0
    position: float = 0.1
    position_decay: float = 8.0  # sentences; the prior halves roughly every decay*0.7
    support: float = 0.15
    redundancy: float = 0.5  # cosine above which a sentence repeats one already taken
    mmr: float = 0.6  # penalty per unit of similarity to what is already taken
    min_words: int = 8
    long_words: int = 45  # sentences longer than this are slightly penalised
    support_overlap: float = 0.7  # share of a sentence's words another article must hold
    paragraph_sentences: int = 3
    concepts: float = 0.2  # weight of facts (word pairs) other articles agree on, not yet covered
    concept_length: float = 0.5  # 1 = concept gain per word, 0 = per sentence
    outlier: float = 0.5  # how much an article unlike the others loses in the centroid (0-1)
    outlier_power: float = 1.0  # and how much its sentences lose (score x weight**power)
    # Cosine of two articles' mean sentence vectors at which they report one event (see
    # _main_event; 0: never split). Within the stories of the Multi-News and Wikinews
    # benches, 23% of same-event pairs fall below 0.2 and 84% of other pairs.
    same_event: float = 0.2
    # Cosine of two articles' mean vectors that ties them into the story's core, where
    # the standfirst and summary come from (``_central_articles``).
    core_link: float = 0.35
    quotes: float = 0.8  # score factor for the end of a quotation begun before
    open_quote: float = 0.65  # and for the start of one that goes on after
    # Score factor for a quotation that only paywalled sources hold, when the story has
    # other sources: readers can follow a free source's quote to its page.
    paywalled_quote: float = 0.5


DEFAULT_SETTINGS = Settings()
_CLOSERS = "\"'”’»)]」』）"
# Openings that lean on an earlier sentence (English): no place in a standfirst or summary.
_DEPENDENT_START = re.compile(
    r"^(?:he|she|they|it|its|his|her|their|this|these|those|that|but|and|also|however|"
    r"meanwhile|still|yet|so|then|later|instead|moreover|furthermore|additionally|"
    r"a day later|the next day|elsewhere|in addition|otherwise|thus|therefore|hence|"
    r"nevertheless|nonetheless|as a result|in turn|by contrast|on the other hand|likewise|"
    r"similarly|for example|for instance|indeed|afterwards|after that|even so|besides)\b",
    re.I,
)
# Background in a sentence (English): it goes after the news and the reactions to it.
_CONTEXT = re.compile(
    r"\b(?:last (?:year|month|week)|previously|earlier this (?:year|month)|in the past|"
    r"years? ago|months? ago|has long|had been|history of|first (?:began|started))\b",
    re.I,
)
# Who said it: a quotation's tail with this reads on its own.
_ATTRIBUTION = re.compile(
    r"\b(?:said|says|told|added|wrote|asked|explained|stated|according|tweeted|"
    r"сказал|заявил|сообщил|sagte|a déclaré|dijo)\b",
    re.I,
)
_QUOTE = re.compile(r"[\"“”«»„]")
# Sentences compared pairwise are capped so memory stays small (1,500^2 floats = 18 MB).
MAX_CANDIDATES = 1500
# Extra sentences (standfirst, summary) must be further from the rest than body sentences.
_EXTRA_REDUNDANCY = 0.4
# Background sentences must be this close (cosine) to what the draft says: earlier coverage
# of the same story scores 0.3 to 0.5, other stories of the day below 0.2.
_BACKGROUND_MIN = 0.25
# Sentences an article must hold to count as a report of its event (see _main_event).
_REPORT_SENTENCES = 3
_MIN_REPORTS = 4  # fewer reports split two against one too often to tell the story's event
_QUOTED_SPAN = re.compile(r"[\"“«„][^\"“”«»„]+[\"”»“]")


@dataclass
class _Candidate:
    sentence: SourceSentence
    tokens: list[str]
    articles: list[int]  # indexes of articles holding this exact sentence
    score: float = 0.0
    relpos: float = 0.0  # position in its article, 0 (first) to 1 (last)
    words: int = 0
    all_tokens: list[str] = field(default_factory=list)  # stop words included
    stems: frozenset[str] = frozenset()  # the tokens' stems ("монет"/"монеты" one)

    @cached_property
    def figures(self) -> set[str]:
        """The sentence's numbers, normalised (worked out when first asked)."""
        return numbers(self.sentence.text)


def write_extractive(
    articles: Sequence[Article],
    story_id: str,
    *,
    language: str | None = None,
    max_words: int = 220,
    background: Sequence[Article] = (),
    settings: Settings = DEFAULT_SETTINGS,
) -> Draft:
    """Write a draft for one story from its articles, every sentence verbatim and cited.

    ``max_words`` caps lead and body together. ``language`` forces the draft's language
    (else the majority language of the articles); sentences come only from articles in
    that language when there are any. ``background`` articles (earlier coverage) give a
    cited background section. Raises InputError when there is nothing to write from.
    """
    usable = _unique_articles(articles)
    if not usable:
        raise InputError(f"story {story_id}: no articles with text to write from")
    draft_language, in_language, pool, candidates, matrix = _writing_pool(
        usable, language, settings
    )
    if not candidates:
        raise InputError(f"story {story_id}: its articles hold no sentences to write from")
    walled = frozenset(i for i in pool if usable[i].access == "paywalled")
    if len(walled) == len(pool):
        walled = frozenset()  # every source is paywalled: nothing to prefer
    similarity = (matrix @ matrix.T).toarray()
    _score(candidates, matrix, similarity, settings, walled)

    concepts = _concepts(candidates, draft_language) if settings.concepts else None
    chosen = _select(candidates, similarity, max_words, settings, concepts)
    if not chosen:
        shortest = min(c.words for c in candidates)
        raise InputError(
            f"story {story_id}: max_words={max_words} is shorter than any of its sentences "
            f"(the shortest has {shortest} words)"
        )
    taken = set(chosen)
    leftovers = [int(i) for i in np.argsort([-c.score for c in candidates]) if i not in taken]
    central = _central_articles(candidates, matrix, settings.core_link)
    if central is not None:
        leftovers = [i for i in leftovers if central.intersection(candidates[i].articles)]
    standfirst = _pick_extra(candidates, similarity, chosen, leftovers, 1)
    if not standfirst and len(chosen) > 1:
        # A short story: its weakest sentence that reads alone stands first (never a piece
        # of a quotation, a question or a sentence leaning on the one before); else none.
        alone = [
            i
            for i in reversed(chosen[1:])
            if not _unbalanced_quote(candidates[i].sentence.text)
            and not _is_question(candidates[i].sentence.text)
            and _self_contained(candidates[i])
        ]
        if alone:
            chosen.remove(alone[0])
            standfirst = [alone[0]]
    summary = _pick_extra(candidates, similarity, chosen + standfirst, leftovers, 2)

    ordered = _reading_order(candidates, chosen)
    cite = _Citer(usable, candidates, matrix, pool, settings)

    def sentence(i: int) -> Sentence:
        return Sentence(candidates[i].sentence.text, cite(i))

    lead = (sentence(ordered[0]),) if ordered else ()
    body = _paragraphs(
        [sentence(i) for i in ordered[1:]], [candidates[i] for i in ordered[1:]], settings
    )
    standfirst_sentences = tuple(sentence(i) for i in standfirst)
    summary_sentences = tuple(sentence(i) for i in summary)
    if in_language and len(in_language) < len(usable):
        foreign = _ForeignCiter(
            [a for i, a in enumerate(usable) if i not in set(in_language)],
            [a.title for a in usable if a.title],
        )
        lead = tuple(foreign(s) for s in lead)
        body = tuple(tuple(foreign(s) for s in p) for p in body)
        standfirst_sentences = tuple(foreign(s) for s in standfirst_sentences)
        summary_sentences = tuple(foreign(s) for s in summary_sentences)
    story_sentences = [*lead, *(s for p in body for s in p)]
    used = {_normal(s.text) for s in [*standfirst_sentences, *story_sentences, *summary_sentences]}
    background_paragraphs = _background(
        background, usable, [candidates[i].tokens for i in chosen], draft_language, used
    )
    headline = _headline(
        usable,
        pool,
        candidates,
        draft_language,
        story_sentences,
        [
            *standfirst_sentences,
            *story_sentences,
            *summary_sentences,
            *(s for p in background_paragraphs for s in p),
        ],
    )
    sources = _sources(
        [*usable, *background],
        [*standfirst_sentences, *story_sentences, *summary_sentences],
        background_paragraphs,
    )
    return Draft(
        story_id=story_id,
        headline=headline,
        standfirst=standfirst_sentences,
        lead=lead,
        body=body,
        summary=summary_sentences,
        background=background_paragraphs,
        sources=sources,
        writer="extractive",
        language=draft_language,
        written_at=now_utc().isoformat(timespec="seconds"),
    )


def event_articles(
    articles: Sequence[Article],
    language: str | None = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> list[Article]:
    """The articles a story's draft is written from: all of them, less the reports of
    other events where the story joined several (``_main_event``). The LLM writer reads
    these, so both writers tell the same event."""
    usable = _unique_articles(articles)
    if not usable:
        return list(articles)
    written = _writing_pool(usable, language, settings)
    dropped = set(written.in_language or range(len(usable))) - set(written.pool)
    return [a for i, a in enumerate(usable) if i not in dropped]


class _WritingPool(NamedTuple):
    language: str  # the draft's
    in_language: list[int]  # indexes of the articles in it
    pool: list[int]  # indexes of the articles written from
    candidates: list[_Candidate]  # their sentences
    matrix: Any  # the sentences' TF-IDF matrix (None when there are none)


def _writing_pool(usable: list[Article], language: str | None, settings: Settings) -> _WritingPool:
    """What a draft is written from: the draft's language is ``language`` or the majority
    one; sentences come from the articles in it, and of those from the main event's."""
    languages = [_language_of(a) for a in usable]
    if language:
        language = _base_language(language.strip())
    draft_language = language or majority_language(languages)
    in_language = [i for i, lang in enumerate(languages) if lang == draft_language]
    pool = in_language or list(range(len(usable)))
    if not in_language:  # no article in the language asked for: say what the draft is in
        draft_language = majority_language(languages)
    candidates = _candidates(usable, pool)
    if not candidates:
        return _WritingPool(draft_language, in_language, pool, candidates, None)
    stops = stop_words(draft_language)
    stem = stemmer(draft_language)
    for c in candidates:
        c.tokens = [t for t in c.all_tokens if t not in stops and (len(t) > 1 or t.isdigit())]
        c.stems = frozenset(map(stem, c.tokens))
    matrix, _, _ = tfidf_matrix([c.tokens for c in candidates])
    main = _main_event(candidates, matrix, settings.same_event)
    if main is not None:
        # The story holds reports of more than one event (a chain of generic overlaps the
        # clusterer let through): the draft tells the one most of its articles report.
        pool = [i for i in pool if i in main]
        candidates = _held_by(candidates, main)
        matrix, _, _ = tfidf_matrix([c.tokens for c in candidates])
    return _WritingPool(draft_language, in_language, pool, candidates, matrix)


def _unique_articles(articles: Sequence[Article]) -> list[Article]:
    """The articles with text, each once: a web archive's capture of a page the story also
    holds is that page again, so only the outlet's own copy is cited (as one source)."""
    with_text = [a for a in articles if any(p.strip() for p in a.paragraphs)]
    pages = {_page_key(a.url) for a in with_text if a.url}
    seen: set[str] = set()
    out = []
    for article in with_text:
        if article.id in seen:
            continue
        original = archived_original(article.url)
        if original and _page_key(original) in pages:
            continue
        seen.add(article.id)
        out.append(article)
    return out


def _page_key(url: str) -> str:
    """A page's URL without its scheme and "www.": archives often capture the https or
    the bare-host form of the page an outlet linked."""
    return canonical_url(url).split("://", 1)[-1].removeprefix("www.")


def _base_language(code: str) -> str:
    return code.lower().replace("_", "-").split("-")[0]  # "en-US" -> "en"


def _language_of(article: Article) -> str | None:
    if article.language:
        return _base_language(article.language)
    from newsdesk.text.language import detect_language

    return detect_language(article.text)


def _candidates(articles: list[Article], indexes: list[int]) -> list[_Candidate]:
    """Reporting sentences of the chosen articles; one candidate per distinct sentence."""
    by_text: dict[str, _Candidate] = {}
    out: list[_Candidate] = []
    per_article = {i: article_sentences(articles[i].paragraphs, i) for i in indexes}
    if not any(per_article.values()):  # no clean sentence anywhere: take what splits at all
        per_article = {i: _any_sentences(articles[i], i) for i in indexes}
    for index in indexes:
        sentences = per_article[index]
        count = max(1, len(sentences))
        for s in sentences:
            words = tokens(s.text)
            key = " ".join(words)
            if key in by_text:  # the same sentence in a syndicated copy
                same = by_text[key]
                if index not in same.articles:
                    same.articles.append(index)
                if _QUOTE.search(s.text) and _walled_copy(articles, same, index):
                    # A quotation is taken from a free source's copy when one holds it, and
                    # that source is cited first.
                    same.sentence, same.relpos = s, s.position / count
                    same.articles.remove(index)
                    same.articles.insert(0, index)
                continue
            c = _Candidate(
                s,
                [],
                [index],
                relpos=s.position / count,
                words=word_count(s.text),
                all_tokens=words,
            )
            by_text[key] = c
            out.append(c)
    if len(out) > MAX_CANDIDATES:
        # a huge story: keep the earlier sentences of every article (news front-loads facts)
        keep = sorted(out, key=lambda c: (c.sentence.position, c.sentence.article_index))
        kept = {id(c) for c in keep[:MAX_CANDIDATES]}
        out = [c for c in out if id(c) in kept]
    return out


def _main_event(candidates: list[_Candidate], matrix, same_event: float) -> set[int] | None:
    """The articles of the event most of a story's reports tell, or None when they tell
    one (or no event has more reports than every other).

    Two articles tell one event when their sentences' mean TF-IDF vectors reach a cosine of
    ``same_event``, or through a chain of such pairs. A report holds at least
    ``_REPORT_SENTENCES`` sentences (a notice repeated on several pages is none). A story
    whose reports fall into several such groups is a chain of generic overlaps ("NASA",
    "moon") that joined different events: the group with the most reports, at least two,
    is kept with the pages that go with it.
    """
    articles, rows, means = _article_means(candidates, matrix)
    if len(articles) < 3 or same_event <= 0:
        return None
    labels = _linked(means, same_event)
    reports: dict[int, int] = {}
    members: dict[int, list[int]] = {}
    for label, a in zip(labels, articles, strict=True):
        members.setdefault(label, []).append(a)
        if len(rows[a]) >= _REPORT_SENTENCES:
            reports[label] = reports.get(label, 0) + 1
    counts = sorted(reports.values(), reverse=True)
    if len(counts) < 2 or sum(counts) < _MIN_REPORTS or counts[0] < 2 or counts[0] == counts[1]:
        return None
    best = max(reports, key=reports.__getitem__)
    return set(members[best])


def _article_means(
    candidates: list[_Candidate], matrix
) -> tuple[list[int], dict[int, list[int]], np.ndarray]:
    """The articles holding candidates, each one's candidate rows, and each one's mean
    TF-IDF vector over its sentences, of unit length."""
    articles = sorted({a for c in candidates for a in c.articles})
    rows: dict[int, list[int]] = {a: [] for a in articles}
    for row, c in enumerate(candidates):
        for a in c.articles:
            rows[a].append(row)
    # One sparse product sums each article's rows (a slice per article costs more).
    members = sparse.csr_matrix(
        (
            np.ones(sum(len(r) for r in rows.values())),
            (
                [k for k, a in enumerate(articles) for _ in rows[a]],
                [row for a in articles for row in rows[a]],
            ),
        ),
        shape=(len(articles), matrix.shape[0]),
    )
    means = np.asarray((members @ matrix).todense())
    norms = np.linalg.norm(means, axis=1, keepdims=True)
    return articles, rows, np.divide(means, norms, out=np.zeros_like(means), where=norms > 0)


def _central_articles(candidates: list[_Candidate], matrix, link: float) -> set[int] | None:
    """The story's core: the largest group of articles tied by a chain of pairs whose mean
    TF-IDF vectors reach a cosine of ``link``; None where that is every article (or no
    two). The standfirst and the summary come from it: they look for a sentence nothing
    else in the draft says, and an article on the story's topic but not its event offers
    just that (the rocket page's "NASA announced the newest milestone of its Space Launch
    System" stood first in a story on moon landers, tied to them at 0.24 and 0.31 while
    they reach 0.46). Reports of one developing event stay in it: the warning, the
    flood, the damage are each tied to the next."""
    articles, _, means = _article_means(candidates, matrix)
    if len(articles) < 3:
        return None
    members: dict[int, list[int]] = {}
    for label, a in zip(_linked(means, link), articles, strict=True):
        members.setdefault(label, []).append(a)
    core = max(members.values(), key=len)
    if len(core) < 2 or len(core) == len(articles):
        return None
    return set(core)


def _linked(means: np.ndarray, link: float) -> list[int]:
    """A group label for each article: articles whose mean vectors reach a cosine of
    ``link``, or are tied by a chain of such pairs, share one (labels in order of their
    first article)."""
    _, labels = connected_components(sparse.csr_matrix(means @ means.T >= link), directed=False)
    return [int(label) for label in labels]


def _held_by(candidates: list[_Candidate], keep: set[int]) -> list[_Candidate]:
    """The candidates that articles in ``keep`` hold, citing only those articles."""
    out = []
    for c in candidates:
        holders = [a for a in c.articles if a in keep]
        if not holders:
            continue
        if c.sentence.article_index not in keep:  # a copy first seen in a dropped article
            c.sentence = SourceSentence(
                c.sentence.text, holders[0], c.sentence.paragraph, c.sentence.position
            )
        c.articles = holders
        out.append(c)
    return out


def _walled_copy(articles: list[Article], candidate: _Candidate, other: int) -> bool:
    """Whether the candidate's copy is from a paywalled article and ``other``'s is not."""
    return (
        articles[candidate.sentence.article_index].access == "paywalled"
        and articles[other].access != "paywalled"
    )


def _any_sentences(article: Article, index: int) -> list[SourceSentence]:
    """Where no article holds a reporting sentence (headlines alone, short items): every
    piece of three words or more, except page furniture and layout (a menu's rules of
    dashes or stars, teasers cut off with "...", a gallery's "3 / 10" counter)."""
    out: list[SourceSentence] = []
    for p, paragraph in enumerate(article.paragraphs):
        for text in split_sentences(paragraph):
            if word_count(text) >= 3 and not is_furniture(text) and not _fallback_layout(text):
                out.append(SourceSentence(text, index, p, len(out)))
    return out


def _fallback_layout(text: str) -> bool:
    """Layout (``is_layout``), or what a reporting sentence is never either: a teaser cut off
    with "...", a gallery's "3 / 10" counter."""
    return is_layout(text) or bool(_CUT_OR_COUNTER.search(text))


_CUT_OR_COUNTER = re.compile(r"\w(?:\.\.\.|…)$|^\d+\s*(?:/|of)\s*\d+\b")


def _normal(text: str) -> str:
    """A key under which copies of a sentence with other spacing or quotes meet."""
    return " ".join(tokens(text))


def _score(
    candidates: list[_Candidate],
    matrix,
    similarity,
    settings: Settings,
    walled: frozenset[int] = frozenset(),
) -> None:
    """Centrality to the story, position in the article, support by other articles, length;
    a quotation only the ``walled`` (paywalled) articles hold weighs less."""
    article_of = np.array([c.sentence.article_index for c in candidates])
    articles = np.unique(article_of)
    means = np.zeros((len(articles), matrix.shape[1]))
    for k, a in enumerate(articles):
        mean = np.asarray(matrix[article_of == a].mean(axis=0)).ravel()
        norm = np.linalg.norm(mean)
        means[k] = mean / norm if norm else mean  # every article weighs the same, long or short
    # An article unlike the others (a page about something else caught in the story) counts
    # less: its weight is its mean similarity to the other articles, the best one being 1.
    weights = np.ones(len(articles))
    if len(articles) >= 3 and settings.outlier:
        related = means @ means.T
        np.fill_diagonal(related, 0.0)
        agreement = related.sum(axis=1) / (len(articles) - 1)
        if agreement.max() > 0:
            weights = (1 - settings.outlier) + settings.outlier * agreement / agreement.max()
    centroid = weights @ means
    norm = np.linalg.norm(centroid)
    centrality = matrix @ (centroid / norm if norm else centroid)
    article_weight = dict(zip(articles.tolist(), weights.tolist(), strict=True))
    # Support: how many other articles hold a sentence like this one (or the very sentence).
    column = {a: k for k, a in enumerate(sorted({a for c in candidates for a in c.articles}))}
    holds = np.zeros((len(candidates), len(column)))
    for i, c in enumerate(candidates):
        holds[i, [column[a] for a in c.articles]] = 1.0
    alike = ((similarity >= settings.redundancy).astype(float) @ holds) > 0
    supports = (alike.sum(axis=1) - 1) / max(1, len(column) - 1)
    positions = np.array([c.sentence.position for c in candidates], dtype=float)
    words = np.array([c.words for c in candidates])
    length = np.where(
        words < settings.min_words, 0.5, np.where(words > settings.long_words, 0.85, 1.0)
    )
    length *= np.array([_quote_factor(c.sentence.text, settings) for c in candidates])
    if walled:
        length *= np.array(
            [
                settings.paywalled_quote
                if set(c.articles) <= walled and _QUOTE.search(c.sentence.text)
                else 1.0
                for c in candidates
            ]
        )
    weight = np.array([article_weight[c.sentence.article_index] for c in candidates])
    scores = (
        length
        * weight**settings.outlier_power
        * (
            settings.centrality * np.asarray(centrality).ravel()
            + settings.position * np.exp(-positions / settings.position_decay)
            + settings.support * supports
        )
    )
    for c, score in zip(candidates, scores.tolist(), strict=True):
        c.score = score


def _quote_factor(text: str, settings: Settings) -> float:
    """Part of a quotation that runs over several sentences weighs less."""
    if '"' not in text and "“" not in text and "”" not in text and "«" not in text:
        return 1.0  # most sentences: no quotation mark at all
    if _open_quote(text):
        return settings.open_quote
    if _close_quote(text):
        # '..., he said.' reads well enough; a bare tail of someone's words does not
        return settings.quotes if _ATTRIBUTION.search(text) else settings.open_quote
    return 1.0


def _concepts(candidates: list[_Candidate], language: str | None):
    """Word pairs reported by two or more articles, as a (sentences x pairs) 0/1 matrix and
    their weights (how many articles report them): the facts a story's coverage agrees on.
    """
    stops = stop_words(language)
    per_sentence: list[set[tuple[str, str]]] = []
    per_article: dict[int, set[tuple[str, str]]] = {}
    for c in candidates:
        words = c.all_tokens
        pairs = {(a, b) for a, b in itertools.pairwise(words) if a not in stops or b not in stops}
        per_sentence.append(pairs)
        for a in c.articles:
            per_article.setdefault(a, set()).update(pairs)
    df = Counter(itertools.chain.from_iterable(per_article.values()))
    index: dict[tuple[str, str], int] = {}
    weights: list[float] = []
    rows, cols = [], []
    for r, pairs in enumerate(per_sentence):
        for pair in pairs:
            if df[pair] < 2:
                continue
            j = index.get(pair)
            if j is None:
                j = index[pair] = len(weights)
                weights.append(float(df[pair]))
            rows.append(r)
            cols.append(j)
    matrix = sparse.csr_matrix(
        (np.ones(len(rows)), (rows, cols)), shape=(len(candidates), max(1, len(weights)))
    )
    return matrix, np.array(weights or [0.0])


def _select(
    candidates: list[_Candidate],
    similarity,
    max_words: int,
    settings: Settings,
    concepts=None,
) -> list[int]:
    """Greedy selection under the word budget: the best score, plus the weight of agreed
    facts not yet covered, minus similarity to what is taken; no two sentences alike.
    """
    scores = np.array([c.score for c in candidates])
    words = np.array([c.words for c in candidates])
    uncovered = None
    if concepts is not None and settings.concepts:
        matrix, weights = concepts
        uncovered = weights.copy()
        first = matrix @ uncovered
        scale = settings.concepts / max(1e-9, float(first.max()))
        length = np.maximum(words, 1) ** settings.concept_length
    available = np.ones(len(candidates), dtype=bool)
    max_sim = np.zeros(len(candidates))
    chosen: list[int] = []
    budget = max_words
    while budget > 0:
        available &= (max_sim < settings.redundancy) & (words <= budget)
        if not available.any():
            break
        values = scores - settings.mmr * max_sim
        if uncovered is not None:
            values = values + scale * (matrix @ uncovered) / length
        values = np.where(available, values, -np.inf)
        best = int(np.argmax(values))
        # One thing said in other words, a longer version, the same figure: TF-IDF
        # missed it. The next best is taken; the values stay as they are.
        while values[best] > -np.inf and any(
            _near_duplicate(candidates[best], candidates[k]) for k in chosen
        ):
            available[best] = False
            values[best] = -np.inf
            best = int(np.argmax(values))
        if values[best] == -np.inf:
            break
        available[best] = False
        chosen.append(best)
        if uncovered is not None:
            uncovered[matrix.indices[matrix.indptr[best] : matrix.indptr[best + 1]]] = 0.0
        budget -= int(words[best])
        max_sim = np.maximum(max_sim, similarity[best])
    return chosen


def _pick_extra(
    candidates, similarity, taken: list[int], ranked: list[int], count: int
) -> list[int]:
    """Up to ``count`` further short sentences saying nothing already said, best first, an
    article's opening before others; never one leaning on a sentence the reader of a
    standfirst or summary did not see (a pronoun, "But", "Otherwise" to start).
    """
    picked: list[int] = []
    for stands_alone in (_opens_article, _self_contained):
        for i in ranked:
            if len(picked) >= count:
                return picked
            c = candidates[i]
            if c.words > 35 or i in taken or i in picked or not stands_alone(c):
                continue
            if _unbalanced_quote(c.sentence.text) or _is_question(c.sentence.text):
                continue  # a question is a subhead or a reader poll, never a summary
            rows = taken + picked
            if rows and similarity[i, rows].max() >= _EXTRA_REDUNDANCY:
                continue
            if any(_near_duplicate(c, candidates[k]) for k in rows):
                continue
            picked.append(i)
    return picked


def _is_question(text: str) -> bool:
    return text.rstrip(_CLOSERS).endswith(("?", "？"))


def _self_contained(c: _Candidate) -> bool:
    return not _DEPENDENT_START.match(c.sentence.text)


def _opens_article(c: _Candidate) -> bool:
    return c.sentence.position <= 1 and _self_contained(c)


_NEGATIONS = frozenset(
    re.findall(
        r"\w+",
        "not no never nor neither none nobody nothing without t cannot "
        "не нет ни никогда ничего nicht kein keine nie ne pas jamais nunca sin",
    )
)


def _negated(words: list[str]) -> bool:
    return not _NEGATIONS.isdisjoint(words)


def _unbalanced_quote(text: str) -> bool:
    """A sentence that opens or closes a quotation it does not contain whole."""
    return _open_quote(text) or _close_quote(text)


def _open_quote(text: str) -> bool:
    """Opens a quotation that goes on in the next sentence: unreadable on its own."""
    if text.count("“") > text.count("”") or text.count("«") > text.count("»"):
        return True
    return text.count('"') % 2 == 1 and text.lstrip().startswith('"')


def _close_quote(text: str) -> bool:
    """Closes a quotation begun before ('... ," she said.'): readable, if less well."""
    if text.count("”") > text.count("“") or text.count("»") > text.count("«"):
        return True
    return text.count('"') % 2 == 1 and not text.lstrip().startswith('"')


def _near_duplicate(a: _Candidate, b: _Candidate) -> bool:
    """Two sentences saying one thing: nearly the same words (stems: two outlets inflect
    and order them differently), one holding most of the other's, or both giving the same
    number with a good part of the shorter one's words ("312 coins were found", "the
    hoard of 312 silver coins"): what the TF-IDF cosine of their words misses."""
    wa, wb = a.stems, b.stems
    if not wa or not wb:
        return False
    overlap = len(wa & wb)
    shorter = min(len(wa), len(wb))
    if overlap >= 0.6 * len(wa | wb) or overlap >= _HOLDS_MOST * shorter:
        return True
    return overlap >= _SAME_FIGURE_SHARE * shorter and not a.figures.isdisjoint(b.figures)


_HOLDS_MOST = 0.7  # share of the shorter sentence's stems the other holds: one thing said
_SAME_FIGURE_SHARE = 0.35  # and with a number both give


def _is_reaction(text: str) -> bool:
    """A sentence that is mostly someone's words: opens with a quote or is half quotation."""
    stripped = text.lstrip()
    if stripped[:1] and _QUOTE.match(stripped[:1]):
        return True
    quoted = sum(len(m) for m in _QUOTED_SPAN.findall(text))
    return quoted >= 0.5 * len(text)


def _reading_order(candidates: list[_Candidate], chosen: list[int]) -> list[int]:
    """The lead (best opening sentence) first, then facts in article order, reactions after."""
    if not chosen:
        return []
    lead = chosen[0]
    for limit in (0, 1):  # prefer an article's opening sentence: news puts the event there
        openings = [
            i
            for i in chosen
            if candidates[i].sentence.position <= limit
            and not _is_reaction(candidates[i].sentence.text)
            and not _is_question(candidates[i].sentence.text)
        ]
        if openings:
            lead = max(openings, key=lambda i: candidates[i].score)
            break
    rest = [i for i in chosen if i != lead]
    rest.sort(key=lambda i: (_reading_key(candidates[i]), -candidates[i].score))
    return [lead, *rest]


def _reading_key(c: _Candidate) -> float:
    """Where a sentence goes: its place in its article, later for reactions and context."""
    key = c.relpos
    if _is_reaction(c.sentence.text):
        key += 0.35
    elif _CONTEXT.search(c.sentence.text):
        key += 0.5
    return key


def _paragraphs(
    sentences: list[Sentence], sources: list[_Candidate], settings: Settings
) -> tuple[Paragraph, ...]:
    """Group body sentences: a new paragraph when the source changes or one grows long."""
    paragraphs: list[list[Sentence]] = []
    previous: _Candidate | None = None
    for s, c in zip(sentences, sources, strict=True):
        new = (
            not paragraphs
            or len(paragraphs[-1]) >= settings.paragraph_sentences
            or (
                previous is not None
                and previous.sentence.article_index != c.sentence.article_index
                and len(paragraphs[-1]) >= 2
            )
        )
        if new:
            paragraphs.append([s])
        else:
            paragraphs[-1].append(s)
        previous = c
    return tuple(tuple(p) for p in paragraphs)


class _Citer:
    """Which articles support a sentence: its own, and others saying the same thing.

    Another article supports a sentence when the whole sentence appears in it, or when one
    of its sentences holds ``support_overlap`` of the sentence's content words, with a
    negation on both sides or on neither, and the article holds all the sentence's numbers.
    """

    def __init__(
        self,
        articles: list[Article],
        candidates: list[_Candidate],
        matrix,
        pool: list[int],
        settings: Settings,
    ) -> None:
        self.articles = articles
        self.candidates = candidates
        self.pool = pool
        self.overlap = settings.support_overlap
        self._numbers: dict[int, set[str]] = {}
        self.texts = {i: articles[i].text for i in pool}  # Article.text joins on every call
        # word sets as a 0/1 matrix: every pair's shared words in one product
        binary = matrix.copy()
        binary.data[:] = 1.0
        self.overlaps = (binary @ binary.T).toarray()
        self.negated = np.array([_negated(c.all_tokens) for c in candidates])

    def numbers_of(self, i: int) -> set[str]:
        if i not in self._numbers:
            self._numbers[i] = numbers(self.texts[i])
        return self._numbers[i]

    def __call__(self, index: int) -> tuple[str, ...]:
        candidate = self.candidates[index]
        cited = list(candidate.articles)
        own_numbers = numbers(candidate.sentence.text)
        size = len(set(candidate.tokens))
        alike: set[int] = set()
        if size:
            overlap = self.overlaps[index]
            agree = (overlap >= self.overlap * size) & (self.negated == self.negated[index])
            # the same words but "not" on one side only is the opposite claim, not support
            alike = {a for k in np.flatnonzero(agree) for a in self.candidates[k].articles}
        for i in self.pool:
            if i in cited:
                continue
            if candidate.sentence.text in self.texts[i] or (
                i in alike and own_numbers <= self.numbers_of(i)
            ):
                cited.append(i)
        return tuple(self.articles[i].id for i in cited)


class _ForeignCiter:
    """Cites the story's articles in other languages on the draft sentences they report.

    A sentence of a foreign-language article reports a draft sentence's facts when it holds
    at least ``MIN_NAMES`` of the sentence's names (name keys, the same in any script), one
    of them more than the story's topic (a name in half its titles, as Wagner and Mali in
    every report of Wagner leaving Mali) or with a number the sentence holds, and every
    number of the sentence. The sentence keeps its own citations first: a foreign article
    is only ever a further source beside them.
    """

    MIN_NAMES = 2

    def __init__(self, articles: list[Article], titles: list[str]) -> None:
        self.articles = articles
        counts = Counter(key for title in titles for key in name_keys(title))
        self.topic = {key for key, n in counts.items() if 2 * n >= len(titles)}
        self.facts = [
            [(name_keys(s.text), numbers(s.text)) for s in article_sentences(a.paragraphs, 0)]
            for a in articles
        ]

    def reports(self, names: set[str], figures: set[str], keys: set[str], found: set[str]) -> bool:
        shared = names & keys
        return (
            len(shared) >= self.MIN_NAMES
            and figures <= found
            and bool(shared - self.topic or figures)
        )

    def __call__(self, sentence: Sentence) -> Sentence:
        names, figures = name_keys(sentence.text), numbers(sentence.text)
        if len(names) < self.MIN_NAMES:
            return sentence
        cited = list(sentence.citations)
        for article, facts in zip(self.articles, self.facts, strict=True):
            if article.id not in cited and any(
                self.reports(names, figures, keys, found) for keys, found in facts
            ):
                cited.append(article.id)
        if len(cited) == len(sentence.citations):
            return sentence
        return Sentence(sentence.text, tuple(cited))


def _background(
    background: Sequence[Article],
    usable: list[Article],
    story_tokens: list[list[str]],
    language: str | None,
    used: set[str],
) -> tuple[Paragraph, ...]:
    """One or two sentences from each of up to three earlier articles most related to the story."""
    story_ids = {a.id for a in usable}
    earlier = [a for a in _unique_articles(background) if a.id not in story_ids]
    if not earlier:
        return ()
    story_words = [t for tokens in story_tokens for t in tokens]
    scored: list[tuple[float, Article, list[str]]] = []
    for article in earlier:
        sentences = [s.text for s in article_sentences(article.paragraphs, 0)[:8]]
        sentences = [s for s in sentences if _normal(s) not in used]
        if not sentences:
            continue
        base, rows, _ = tfidf_matrix(
            [story_words], [content_tokens(s, language) for s in sentences]
        )
        values = (rows @ base.T).toarray().ravel()
        best = [int(k) for k in np.argsort(-values)[:2] if values[k] >= _BACKGROUND_MIN]
        if best:
            picked = [sentences[k] for k in sorted(best)]
            used.update(_normal(s) for s in picked)
            scored.append((float(values[best[0]]), article, picked))
    scored.sort(key=lambda item: -item[0])
    top = sorted(scored[:3], key=lambda item: item[1].published_iso or "")
    return tuple(
        tuple(Sentence(text, (article.id,)) for text in picked) for _, article, picked in top
    )


def _headline(
    usable, pool, candidates, language, sentences: list[Sentence], body_sentences: list[Sentence]
) -> str:
    """The best cleaned source title in the draft's language, else the lead's main clause."""
    draft_words = {t for s in sentences for t in content_tokens(s.text, language)}
    story_words = Counter(t for c in candidates for t in set(c.tokens))

    def shares_words(title: str) -> bool:
        words = set(content_tokens(title, language))
        return bool(words) and len(words & set(story_words)) >= max(1, len(words) // 3)

    def score(title: str) -> float:
        words = set(content_tokens(title, language))
        return sum(story_words[w] for w in words) / (1 + len(words)) + 0.5 * len(
            words & draft_words
        )

    titles = [(usable[i].title, usable[i].site_name) for i in pool if usable[i].title]
    body = [s.text for s in body_sentences]
    chosen = choose_headline(titles, score, shares_words, body)
    if not chosen and language not in (None, "en"):
        # A title whose words the text does not repeat (a column's pun, "Легкий троннинг";
        # a quotation) still beats a lead cut at a word count, which the clause rules below
        # (English) cannot end on a whole phrase: "14 мая президент России Владимир Путин
        # встретился".
        chosen = choose_headline(titles, score, lambda title: True, body)
    if chosen:
        return chosen
    # No usable title: cut one from the lead, or from the next sentence whose cut does not
    # read as a body sentence printed twice.
    for source in sentences[:6]:
        for limit in (MAX_CUT_WORDS, 5):
            headline = headline_from_sentence(source.text, limit, language=language)
            if headline and not any(repeats_sentence(headline, s.text) for s in body_sentences):
                return headline
    # Every cut repeats the draft (a story of one short line): a headline that repeats it
    # still names the story, where none would leave its page and feed entry untitled.
    for title, site in titles:
        cleaned = clean_headline(title, site)
        if cleaned and reads_as_headline(cleaned):  # not "Accueil", "*** LIVE ***"
            return cleaned
    for source in sentences[:1]:
        return headline_from_sentence(source.text, language=language) or source.text
    return ""


def _sources(articles, draft_sentences, background_paragraphs) -> tuple[Source, ...]:
    """Every article cited anywhere in the draft, in order of first citation."""
    by_id = {a.id: a for a in articles}
    order: list[str] = []
    for s in [*draft_sentences, *(s for p in background_paragraphs for s in p)]:
        for article_id in s.citations:
            if article_id not in order:
                order.append(article_id)
    return tuple(Source.from_article(by_id[i]) for i in order if i in by_id)
