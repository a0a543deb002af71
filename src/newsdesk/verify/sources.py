"""What the checks need to know about one source article, computed once and cached.

Each article becomes a :class:`SourceIndex`: its sentences and their content words,
the numbers, dates and names it mentions, and its text normalised for quotation
look-ups. Indexes are cached by article id and content, so verifying many drafts (or
many one-sentence drafts, as the writers do) against the same articles stays cheap.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache

from newsdesk.model import Article
from newsdesk.text.sentences import split_sentences
from newsdesk.verify.dates import Fact, find_dates, implied_facts, present_year, since_years
from newsdesk.verify.names import name_key, name_tokens
from newsdesk.verify.novelty import source_forms
from newsdesk.verify.numbers import find_quantities, value_key
from newsdesk.verify.quotes import normalise_quote
from newsdesk.verify.text import content_terms, nfkc, stem


@dataclass
class SourceFacts:
    """What an article states: its dates, numbers and names, and its words in every form."""

    quote_text: str  # whole text normalised as quotations are
    date_facts: set[Fact]
    values: dict[str, set[float]]  # class ("amount", "percent", "ordinal") -> values
    value_units: set[tuple[str, float, str]]  # (class, value, unit) pairs
    units: dict[str, set[float]]  # unit -> values seen with it
    bare_values: set[tuple[str, float]]  # (class, value) seen counting no particular word
    capitalised: set[str]  # name keys of words written with a capital
    lowercase: set[str]  # name keys of words written in lower case
    vocabulary: set[str] = field(default_factory=set)  # lower-case words and their stems
    # stems of every word (hyphens split) and their five-letter prefixes: verify.novelty
    forms: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())
    present: int | None = None  # the year it is written in (verify.dates.present_year)
    # years from a start it gives ("since 1976") to its present: spans it states in years
    elapsed: set[int] = field(default_factory=set)


@dataclass
class SourceIndex:
    """One article, prepared for checking drafts against it: its sentences and their terms
    at once (every check aligns on them), its facts on first use (a sentence the article
    writes word for word needs none)."""

    article_id: str
    sentences: list[str]
    # Where each sentence stands: (paragraph index, -1 for the title; start; end), the
    # offsets -1 where the sentence could not be found again in its paragraph.
    places: list[tuple[int, int, int]]
    sentence_terms: list[frozenset[str]]
    term_counts: Counter[str]  # in how many sentences each term occurs
    published: date | None = None

    @cached_property
    def sentence_set(self) -> frozenset[str]:
        """Its sentences, to tell a draft sentence copied word for word from it."""
        return frozenset(self.sentences)

    @cached_property
    def facts(self) -> SourceFacts:
        return _facts(self.sentences, self.published)


def index_article(article: Article) -> SourceIndex:
    """The (cached) index of an article."""
    published = article.published.date() if article.published else None
    return _index(article.id, article.title or "", tuple(article.paragraphs), published)


@lru_cache(maxsize=1 << 14)  # copies of a wire story, and boilerplate, repeat sentences
def sentence_facts(
    sentence: str,
) -> tuple[tuple[Fact, ...], tuple[tuple[str, float, str | None], ...], frozenset[str]]:
    """What a source's index takes from one of its sentences: the facts its dates state,
    its quantities as (class, value key, unit), and its words as the name finder sees them."""
    dates = find_dates(sentence)
    quantities = find_quantities(sentence, [(d.start, d.end) for d in dates])
    return (
        tuple(fact for mention in dates for fact in mention.facts),
        tuple((q.cls, value_key(q.value), q.unit) for q in quantities),
        frozenset(name_tokens(sentence)),
    )


@lru_cache(maxsize=512)
def _index(
    article_id: str, title: str, paragraphs: tuple[str, ...], published: date | None
) -> SourceIndex:
    sentences: list[str] = []
    places: list[tuple[int, int, int]] = []
    if title.strip():
        sentences.append(nfkc(title.strip()))
        places.append((-1, -1, -1))
    for number, paragraph in enumerate(paragraphs):
        cursor = 0
        for sentence in split_sentences(paragraph):
            start = paragraph.find(sentence, cursor)
            if start >= 0:
                cursor = start + len(sentence)
                places.append((number, start, cursor))
            else:
                places.append((number, -1, -1))
            sentences.append(nfkc(sentence))
    terms = [frozenset(content_terms(s)) for s in sentences]
    counts: Counter[str] = Counter()
    for t in terms:
        counts.update(t)
    return SourceIndex(
        article_id=article_id,
        sentences=sentences,
        places=places,
        sentence_terms=terms,
        term_counts=counts,
        published=published,
    )


def _facts(sentences: list[str], published: date | None) -> SourceFacts:
    facts: set[Fact] = set()
    values: dict[str, set[float]] = {"amount": set(), "percent": set(), "ordinal": set()}
    value_units: set[tuple[str, float, str]] = set()
    units: dict[str, set[float]] = {}
    bare_values: set[tuple[str, float]] = set()
    capitalised: set[str] = set()
    lowercase: set[str] = set()
    vocabulary: set[str] = set()
    written: set[str] = set()  # every word as written, each looked at once below
    starts: set[int] = set()
    for sentence in sentences:
        date_facts, quantities, tokens = sentence_facts(sentence)
        facts.update(date_facts)
        starts.update(since_years(sentence))
        for cls, key, unit in quantities:
            values[cls].add(key)
            if unit:
                value_units.add((cls, key, unit))
                units.setdefault(unit, set()).add(key)
            else:
                bare_values.add((cls, key))
        written.update(tokens)
    for word in written:
        if word[:1].isupper():
            key = name_key(word)
            capitalised.add(key)
            if not key.isascii() and len(key) >= 5 and key.isalpha():
                # every prefix a case ending may leave (see names.inflection_prefix)
                capitalised.update("\x00" + key[:n] for n in range(4, len(key) + 1))
        else:
            lowercase.add(name_key(word))
            vocabulary.add(word.lower())
            vocabulary.add(stem(word))
    implied = implied_facts(facts, published)
    present = present_year(implied, published)
    if not published and present and any(start > present for start in starts):
        present = None  # a span starts after it: the date read is not the article's own
    return SourceFacts(
        quote_text=normalise_quote("\n".join(sentences)),
        date_facts=implied,
        values=values,
        value_units=value_units,
        units=units,
        bare_values=bare_values,
        capitalised=capitalised,
        lowercase=lowercase,
        vocabulary=vocabulary,
        forms=source_forms(sentences),
        present=present,
        elapsed={present - start for start in starts if present and present > start},
    )
