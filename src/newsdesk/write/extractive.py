"""The extractive writer: a story's articles -> a cited Draft, with no model.

Every sentence of the draft is copied verbatim from a source article. Sentences are
scored by how central they are to the story (TF-IDF cosine with the centroid of all the
articles, each article weighing the same), how early they come in their article (news
puts the facts first) and how many articles report the same thing; they are then picked
greedily, skipping any that repeats one already taken (maximal marginal relevance),
until the word budget of lead plus body is spent. The draft reads in the order the facts
came in their articles, reactions (quotes) after facts, grouped into short paragraphs.

Each sentence cites every article that supports it: its own, and any other article
(in the same language) with a sentence holding nearly all its words and all its numbers.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from newsdesk.errors import InputError
from newsdesk.model import Article, Draft, Paragraph, Sentence, Source, now_utc
from newsdesk.write.features import content_tokens, numbers, tfidf_matrix
from newsdesk.write.headline import choose_headline, headline_from_sentence
from newsdesk.write.sentences import SourceSentence, article_sentences, split_sentences, word_count


@dataclass(frozen=True)
class Settings:
    """Weights of the sentence score and the redundancy limit (tuned on dev clusters)."""

    centrality: float = 1.0
    position: float = 0.35
    position_decay: float = 4.0  # sentences; the prior halves roughly every decay*0.7
    support: float = 0.15
    redundancy: float = 0.5  # cosine above which a sentence repeats one already taken
    mmr: float = 0.3  # penalty per unit of similarity to what is already taken
    min_words: int = 8
    long_words: int = 45  # sentences longer than this are slightly penalised
    support_overlap: float = 0.7  # share of a sentence's words another article must hold
    paragraph_sentences: int = 3


DEFAULT_SETTINGS = Settings()
_QUOTE = re.compile(r"[\"“”«»„]")
_QUOTED_SPAN = re.compile(r"[\"“«„][^\"“”«»„]+[\"”»“]")


@dataclass
class _Candidate:
    sentence: SourceSentence
    tokens: list[str]
    articles: list[int]  # indexes of articles holding this exact sentence
    score: float = 0.0
    relpos: float = 0.0


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
    languages = [_language_of(a) for a in usable]
    draft_language = language or _majority(languages)
    in_language = [i for i, lang in enumerate(languages) if lang == draft_language]
    pool_indexes = in_language or list(range(len(usable)))

    candidates = _candidates(usable, pool_indexes)
    if not candidates:
        raise InputError(f"story {story_id}: its articles hold no sentences to write from")
    for c in candidates:
        c.tokens = content_tokens(c.sentence.text, draft_language)
    matrix, _, _ = tfidf_matrix([c.tokens for c in candidates])
    _score(candidates, matrix, settings)

    chosen = _select(candidates, matrix, max_words, settings)
    leftovers = [i for i in np.argsort([-c.score for c in candidates]) if i not in set(chosen)]
    standfirst, leftovers = _pick_extra(candidates, matrix, chosen, leftovers, 1, settings)
    if not standfirst and len(chosen) > 1:  # a short story: its weakest sentence stands first
        standfirst = [chosen.pop()]
    summary, leftovers = _pick_extra(
        candidates, matrix, chosen + standfirst, leftovers, 2, settings
    )

    ordered = _reading_order(candidates, chosen)
    texts_per_article = [_article_index_text(a) for a in usable]
    sentence_tokens = {
        i: set(c.tokens)
        for i, c in enumerate(candidates)
        if i in set(ordered + standfirst + summary)
    }
    cite = _Citer(usable, texts_per_article, pool_indexes, draft_language, settings)

    def sentence(i: int) -> Sentence:
        return Sentence(candidates[i].sentence.text, cite(candidates[i], sentence_tokens[i]))

    lead = (sentence(ordered[0]),) if ordered else ()
    body = _paragraphs(
        [sentence(i) for i in ordered[1:]], [candidates[i] for i in ordered[1:]], settings
    )
    used_texts = {s.text for s in lead} | {s.text for p in body for s in p}
    background_paragraphs = _background(
        background, usable, candidates, matrix, chosen, draft_language, used_texts
    )

    all_sentences = [*lead, *(s for p in body for s in p)]
    headline = _headline(usable, pool_indexes, candidates, matrix, draft_language, all_sentences)
    draft_sentences = (
        [sentence(i) for i in standfirst] + all_sentences + [sentence(i) for i in summary]
    )
    sources = _sources(usable, list(background), draft_sentences, background_paragraphs)
    return Draft(
        story_id=story_id,
        headline=headline,
        standfirst=tuple(sentence(i) for i in standfirst),
        lead=lead,
        body=body,
        summary=tuple(sentence(i) for i in summary),
        background=background_paragraphs,
        sources=sources,
        writer="extractive",
        language=draft_language,
        written_at=now_utc().isoformat(timespec="seconds"),
    )


def _unique_articles(articles: Sequence[Article]) -> list[Article]:
    seen: set[str] = set()
    out = []
    for article in articles:
        if article.id in seen or not any(p.strip() for p in article.paragraphs):
            continue
        seen.add(article.id)
        out.append(article)
    return out


def _language_of(article: Article) -> str | None:
    if article.language:
        return article.language
    from newsdesk.extract.language import detect_language

    return detect_language(article.text)


def _majority(languages: list[str | None]) -> str | None:
    known = Counter(lang for lang in languages if lang)
    return known.most_common(1)[0][0] if known else None


def _candidates(articles: list[Article], indexes: list[int]) -> list[_Candidate]:
    """Reporting sentences of the chosen articles; one candidate per distinct sentence."""
    by_text: dict[str, _Candidate] = {}
    out: list[_Candidate] = []
    for index in indexes:
        sentences = article_sentences(articles[index].paragraphs, index)
        if not sentences:  # nothing looks like a clean sentence: take what splits at all
            sentences = [
                SourceSentence(text, index, p, k)
                for k, (p, text) in enumerate(
                    (p, s)
                    for p, para in enumerate(articles[index].paragraphs)
                    for s in split_sentences(para)
                    if word_count(s) >= 3
                )
            ]
        count = max(1, len(sentences))
        for s in sentences:
            key = _normal(s.text)
            if key in by_text:  # the same sentence in a syndicated copy
                if index not in by_text[key].articles:
                    by_text[key].articles.append(index)
                continue
            c = _Candidate(s, [], [index], relpos=s.position / count)
            by_text[key] = c
            out.append(c)
    return out


def _normal(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def _score(candidates: list[_Candidate], matrix, settings: Settings) -> None:
    """Centrality to the story, position in the article, support by other articles, length."""
    article_of = np.array([c.sentence.article_index for c in candidates])
    centroid = np.zeros(matrix.shape[1])
    for a in np.unique(article_of):
        rows = matrix[article_of == a]
        mean = np.asarray(rows.mean(axis=0)).ravel()
        norm = np.linalg.norm(mean)
        if norm:
            centroid += mean / norm
    norm = np.linalg.norm(centroid)
    centrality = matrix @ (centroid / norm if norm else centroid)
    similarity = (matrix @ matrix.T).toarray()
    n_articles = len(np.unique(article_of))
    for i, c in enumerate(candidates):
        others = {int(a) for a in article_of[similarity[i] >= settings.redundancy]} | set(
            c.articles
        )
        support = (len(others) - 1) / max(1, n_articles - 1)
        position = np.exp(-c.sentence.position / settings.position_decay)
        words = word_count(c.sentence.text)
        length = 1.0
        if words < settings.min_words:
            length = 0.5
        elif words > settings.long_words:
            length = 0.85
        c.score = length * (
            settings.centrality * float(centrality[i])
            + settings.position * float(position)
            + settings.support * support
        )


def _select(candidates: list[_Candidate], matrix, max_words: int, settings: Settings) -> list[int]:
    """Greedy maximal marginal relevance under the word budget, no two sentences alike."""
    order = list(np.argsort([-c.score for c in candidates]))
    chosen: list[int] = []
    budget = max_words
    max_sim = np.zeros(len(candidates))
    remaining = set(order)
    while remaining and budget > 0:
        best, best_value = -1, -np.inf
        for i in remaining:
            if max_sim[i] >= settings.redundancy:
                continue
            if word_count(candidates[i].sentence.text) > budget:
                continue
            value = candidates[i].score - settings.mmr * max_sim[i]
            if value > best_value:
                best, best_value = i, value
        if best < 0:
            break
        chosen.append(best)
        remaining.discard(best)
        budget -= word_count(candidates[best].sentence.text)
        sims = (matrix @ matrix[best].T).toarray().ravel()
        max_sim = np.maximum(max_sim, sims)
    return chosen


def _pick_extra(candidates, matrix, taken, leftovers, count, settings: Settings):
    """Up to ``count`` further short sentences saying something not already said."""
    picked: list[int] = []
    if not taken:
        return picked, leftovers
    for i in leftovers:
        if len(picked) >= count:
            break
        if word_count(candidates[i].sentence.text) > 35:
            continue
        rows = taken + picked
        sims = (matrix[rows] @ matrix[i].T).toarray().ravel()
        if sims.size and sims.max() >= settings.redundancy * 0.8:
            continue
        picked.append(int(i))
    rest = [i for i in leftovers if i not in set(picked)]
    return picked, rest


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
        ]
        if openings:
            lead = max(openings, key=lambda i: candidates[i].score)
            break
    rest = [i for i in chosen if i != lead]
    rest.sort(
        key=lambda i: (
            candidates[i].relpos + (0.35 if _is_reaction(candidates[i].sentence.text) else 0.0),
            -candidates[i].score,
        )
    )
    return [lead, *rest]


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


def _article_index_text(article: Article) -> str:
    return "\n".join(article.paragraphs)


class _Citer:
    """Which articles support a sentence: its own, and others holding the same words and numbers."""

    def __init__(self, articles, texts, pool_indexes, language, settings: Settings) -> None:
        self.articles = articles
        self.language = language
        self.settings = settings
        self.pool = pool_indexes
        self.numbers = [numbers(t) for t in texts]
        self.sentence_sets = {
            i: [
                set(content_tokens(s, language))
                for p in articles[i].paragraphs
                for s in split_sentences(p)
            ]
            for i in pool_indexes
        }
        self.normal_texts = {i: _normal(texts[i]) for i in pool_indexes}

    def __call__(self, candidate: _Candidate, words: set[str]) -> tuple[str, ...]:
        cited = list(candidate.articles)
        own_numbers = numbers(candidate.sentence.text)
        normal = _normal(candidate.sentence.text)
        for i in self.pool:
            if i in cited:
                continue
            if normal and normal in self.normal_texts[i]:
                cited.append(i)
                continue
            if not words or not own_numbers <= self.numbers[i]:
                continue
            best = max((len(words & s) / len(words) for s in self.sentence_sets[i]), default=0.0)
            if best >= self.settings.support_overlap:
                cited.append(i)
        return tuple(self.articles[i].id for i in cited)


def _background(
    background, usable, candidates, matrix, chosen, language, used_texts
) -> tuple[Paragraph, ...]:
    """One or two sentences from each of up to three earlier articles most related to the story."""
    story_ids = {a.id for a in usable}
    earlier = [a for a in _unique_articles(background) if a.id not in story_ids]
    if not earlier:
        return ()
    centroid_tokens = [t for i in chosen for t in candidates[i].tokens]
    scored: list[tuple[float, Article, list[str]]] = []
    for article in earlier:
        sentences = [s.text for s in article_sentences(article.paragraphs, 0)][:8]
        sentences = [s for s in sentences if s not in used_texts]
        if not sentences:
            continue
        base, rows, _ = tfidf_matrix(
            [centroid_tokens], [content_tokens(s, language) for s in sentences]
        )
        values = (rows @ base.T).toarray().ravel()
        order = [int(k) for k in np.argsort(-values)[:2] if values[k] > 0.05]
        if order:
            picked = [sentences[k] for k in sorted(order)]
            scored.append((float(values[order[0]]), article, picked))
    scored.sort(key=lambda item: -item[0])
    top = sorted(scored[:3], key=lambda item: item[1].published or "")
    return tuple(
        tuple(Sentence(text, (article.id,)) for text in picked) for _, article, picked in top
    )


def _headline(usable, pool_indexes, candidates, matrix, language, sentences: list[Sentence]) -> str:
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

    titles = [(usable[i].title, usable[i].site_name) for i in pool_indexes if usable[i].title]
    chosen = choose_headline(titles, score, shares_words)
    if chosen:
        return chosen
    return headline_from_sentence(sentences[0].text) if sentences else ""


def _sources(usable, background, draft_sentences, background_paragraphs) -> tuple[Source, ...]:
    """Every article cited anywhere in the draft, in order of first citation."""
    by_id = {a.id: a for a in [*usable, *background]}
    order: list[str] = []
    for s in [*draft_sentences, *(s for p in background_paragraphs for s in p)]:
        for article_id in s.citations:
            if article_id not in order:
                order.append(article_id)
    return tuple(Source.from_article(by_id[i]) for i in order if i in by_id)
