"""Does a cited source support a sentence? Lexical support and negation agreement.

Support is the share of a sentence's content words (stemmed, weighted by rarity among
the cited sources' sentences, words no source has weighing most) that the best-matching
source sentence, plus the next-best one for what the first lacks, contains. Two
sentences rather than one because a writer may fuse two source sentences into one.

Negation is checked against those best-matching sentences: a "not"/"no"/"never" in
front of words the source states plainly (or the reverse) turns support into
contradiction however many words the sentences share.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from newsdesk.verify.sources import SourceIndex
from newsdesk.verify.text import STOPWORDS, content_terms, nfkc, stem, wordset

# Below this weighted share of its content words a sentence is not supported. Sentences
# from another story score under 0.35; a fair paraphrase keeps about half its words.
MIN_SUPPORT = 0.5
# A sentence with fewer content words than this is not judged on overlap (too little to go on).
MIN_TERMS = 3

_NEGATIONS = wordset(
    "not no never none nobody nothing neither nor cannot nowhere without hardly barely scarcely"
)
_NEG_TOKEN = re.compile(r"\w+(?:['’]\w+)*")
# Words between a negation and what it negates that say nothing themselves.
_FILLER = wordset("""be been being is are was were am do does did have has had will would shall should can
    could may might must a an the to yet ever even also any longer more been just really
    only still all""")


@dataclass(frozen=True)
class Passage:
    """A source sentence that supports a sentence: which index, which of its sentences, and
    the share of the sentence's weighted content words it holds on its own."""

    index: int  # position in the indexes given to ``support``
    sentence: int  # position in that index's sentences
    score: float


@dataclass(frozen=True)
class Support:
    """How well the cited sources support one sentence."""

    score: float  # weighted share of content words found, 0..1
    best: tuple[str, ...]  # the best-matching source sentences (one or two)
    missing: tuple[str, ...]  # content words found in no cited source
    # Where ``best`` stands, then the best sentence of each other cited source that holds
    # any of the words: the evidence a reader is shown.
    passages: tuple[Passage, ...] = ()


def support(sentence: str, indexes: list[SourceIndex]) -> Support:
    """Weighted content-word coverage of ``sentence`` by its best one or two source sentences."""
    terms = set(content_terms(sentence))
    if not terms or not indexes:
        return Support(0.0, (), tuple(sorted(terms)))
    counts: Counter[str] = Counter()
    total = 0
    for index in indexes:
        counts.update({t: index.term_counts[t] for t in terms if t in index.term_counts})
        total += len(index.sentences)
    weights = {t: math.log(1 + (total + 1) / (1 + counts[t])) for t in terms}
    weight_sum = sum(weights.values())

    candidates = [
        (text, sentence_terms, i, k)
        for i, index in enumerate(indexes)
        for k, (text, sentence_terms) in enumerate(
            zip(index.sentences, index.sentence_terms, strict=True)
        )
    ]
    best_text, best_terms, best_score = "", frozenset[str](), -1.0
    best_at = (-1, -1)
    tied: list[tuple[str, int, int]] = []
    per_index: dict[int, tuple[float, int]] = {}  # each source's own best (score, sentence)
    for text, sentence_terms, i, k in candidates:
        score = sum(weights[t] for t in terms & sentence_terms)
        if score > per_index.get(i, (0.0, -1))[0] + 1e-9:
            per_index[i] = (score, k)
        if score > best_score + 1e-9:
            best_text, best_terms, best_score = text, sentence_terms, score
            best_at = (i, k)
            tied = [(text, i, k)]
        elif abs(score - best_score) <= 1e-9:
            tied.append((text, i, k))
    if len(tied) > 1:  # equal on content words: the one closest in all its words wins
        best_text, tied_index, tied_sentence = max(
            tied, key=lambda item: _closeness(sentence, item[0])
        )
        best_at = (tied_index, tied_sentence)
        best_terms = frozenset(content_terms(best_text))
    rest = terms - best_terms
    second_text, second_score = "", 0.0
    second_at = (-1, -1)
    if rest:
        for text, sentence_terms, i, k in candidates:
            score = sum(weights[t] for t in rest & sentence_terms)
            # A tie goes to the first (sums over sets differ by rounding from run to run).
            if score > second_score + 1e-9:
                second_text, second_score = text, score
                second_at = (i, k)
    score = (best_score + second_score) / weight_sum if weight_sum else 0.0
    # The second sentence may only complete the first, not carry the sentence alone.
    if best_score < 0.5 * weight_sum:
        score = min(score, best_score / weight_sum + 0.5 * second_score / weight_sum)
    best = (best_text, second_text) if second_text else (best_text,)
    missing = tuple(sorted(t for t in terms if counts[t] == 0))
    passages = _passages(
        best_at, second_at if second_text else None, per_index, indexes, weights, terms
    )
    return Support(score, best, missing, passages)


def _passages(
    best_at: tuple[int, int],
    second_at: tuple[int, int] | None,
    per_index: dict[int, tuple[float, int]],
    indexes: list[SourceIndex],
    weights: dict[str, float],
    terms: set[str],
) -> tuple[Passage, ...]:
    """The best sentence, the second one, then each other source's best, each scored alone."""
    weight_sum = sum(weights.values()) or 1.0

    def own(i: int, k: int) -> float:
        return sum(weights[t] for t in terms & indexes[i].sentence_terms[k]) / weight_sum

    places = [best_at, *([second_at] if second_at else [])]
    places += [(i, k) for i, (_, k) in sorted(per_index.items()) if i not in {p[0] for p in places}]
    seen: set[tuple[int, int]] = set()
    out = []
    for i, k in places:
        if i < 0 or (i, k) in seen:
            continue
        seen.add((i, k))
        score = own(i, k)
        if score > 0:
            out.append(Passage(i, k, min(1.0, score)))
    return tuple(out)


def _closeness(a: str, b: str) -> float:
    """Jaccard similarity of the two texts' lower-cased words, small words included."""
    wa, wb = set(_tokens(a)), set(_tokens(b))
    return len(wa & wb) / len(wa | wb) if wa or wb else 0.0


def _tokens(text: str) -> list[str]:
    return [t.lower().replace("’", "'") for t in _NEG_TOKEN.findall(nfkc(text))]


def _is_negation(token: str) -> bool:
    return token in _NEGATIONS or token.endswith("n't")


def _scope(tokens: list[str], i: int, size: int = 2) -> tuple[int, list[str]]:
    """What a negation at ``i`` negates: the distance to its first content word, and the
    stems of its first content words."""
    out: list[str] = []
    first = 0
    for k in range(i + 1, min(len(tokens), i + 6)):
        token = tokens[k]
        if _is_negation(token):
            break
        if token in _FILLER or (token in STOPWORDS and token not in ("said", "told")):
            continue
        first = first or k - i
        out.append(stem(token))
        if len(out) == size:
            break
    if not out:  # "there will not be more": only small words follow; take them as they are
        out = [stem(t) for t in tokens[i + 1 : i + 1 + size] if not _is_negation(t)]
        first = 1
    return first, out


def _occurrences(stems: list[str], wanted: list[str]) -> list[int]:
    """Where ``wanted`` occurs in order within a short span of ``stems`` (start indexes)."""
    found = []
    for i, s in enumerate(stems):
        if s != wanted[0]:
            continue
        j, pos = 1, i
        while j < len(wanted):
            try:
                pos = stems.index(wanted[j], pos + 1, pos + 5)
            except ValueError:
                break
            j += 1
        if j == len(wanted):
            found.append(i)
    return found


def _negated_at(tokens: list[str], at: int, distance: int) -> bool:
    """A negation stands before position ``at`` about as far as in the other text."""
    return any(_is_negation(tokens[k]) for k in range(max(0, at - distance - 2), at))


def _places(
    neg_tokens: list[str], i: int, scope: list[str], other: list[str], other_stems: list[str]
) -> list[int]:
    """Where the words a negation at ``i`` negates occur in ``other``, in the same context."""
    return [
        at for at in _occurrences(other_stems, scope) if _context_matches(neg_tokens, i, other, at)
    ]


def negation_mismatch(sentence: str, source_sentences: tuple[str, ...]) -> str | None:
    """Why the sentence and its best-matching sources disagree on negation, or None."""
    draft = _tokens(sentence)
    draft_stems = [stem(t) for t in draft]
    sources = [_tokens(s) for s in source_sentences if s]
    source_stems = [[stem(t) for t in src] for src in sources]
    # added: the draft negates words that the sources state, and none of them negated
    for i, token in enumerate(draft):
        if not _is_negation(token):
            continue
        distance, scope = _scope(draft, i)
        if not scope:
            continue
        found = [
            (src, at)
            for src, stems in zip(sources, source_stems, strict=True)
            for at in _places(draft, i, scope, src, stems)
        ]
        if found and not any(_negated_at(src, at, distance) for src, at in found):
            src, at = found[0]
            return f"'{token}' added: the source says '{_span(src, at)}' without it"
    # dropped: a source negates words the draft states plainly (two words at least, as a
    # draft may quote only part of a clause)
    for src in sources:
        for i, token in enumerate(src):
            if not _is_negation(token):
                continue
            distance, scope = _scope(src, i)
            if len(scope) < 2:
                continue
            places = _places(src, i, scope, draft, draft_stems)
            if places and not any(_negated_at(draft, at, distance) for at in places):
                return f"'{token}' dropped: the source says '{_span(src, i)}'"
    return None


def _context_matches(neg_tokens: list[str], neg_at: int, other: list[str], at: int) -> bool:
    """The word before the negation (its subject or verb) is near the other text's match too,
    so the two passages speak of the same thing."""
    before = [t for t in neg_tokens[max(0, neg_at - 3) : neg_at] if not _is_negation(t)]
    if not before:
        return True
    window = {stem(t) for t in other[max(0, at - 6) : at]}
    return any(stem(t) in window for t in before)


def _span(tokens: list[str], at: int) -> str:
    return " ".join(tokens[max(0, at - 2) : at + 4])
