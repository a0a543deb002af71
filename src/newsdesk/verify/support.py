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
class Support:
    """How well the cited sources support one sentence."""

    score: float  # weighted share of content words found, 0..1
    best: tuple[str, ...]  # the best-matching source sentences (one or two)
    best_share: float  # weighted share found in the best sentence alone
    missing: tuple[str, ...]  # content words found in no cited source


def support(sentence: str, indexes: list[SourceIndex]) -> Support:
    """Weighted content-word coverage of ``sentence`` by its best one or two source sentences."""
    terms = set(content_terms(sentence))
    if not terms or not indexes:
        return Support(0.0, (), 0.0, tuple(sorted(terms)))
    counts: Counter[str] = Counter()
    total = 0
    for index in indexes:
        counts.update({t: index.term_counts[t] for t in terms if t in index.term_counts})
        total += len(index.sentences)
    weights = {t: math.log(1 + (total + 1) / (1 + counts[t])) for t in terms}
    weight_sum = sum(weights.values())

    candidates = [
        (text, sentence_terms)
        for index in indexes
        for text, sentence_terms in zip(index.sentences, index.sentence_terms, strict=True)
    ]
    best_text, best_terms, best_score = "", frozenset[str](), -1.0
    for text, sentence_terms in candidates:
        score = sum(weights[t] for t in terms & sentence_terms)
        if score > best_score:
            best_text, best_terms, best_score = text, sentence_terms, score
    rest = terms - best_terms
    second_text, second_score = "", 0.0
    if rest:
        for text, sentence_terms in candidates:
            score = sum(weights[t] for t in rest & sentence_terms)
            if score > second_score:
                second_text, second_score = text, score
    score = (best_score + second_score) / weight_sum if weight_sum else 0.0
    # The second sentence may only complete the first, not carry the sentence alone.
    if best_score < 0.5 * weight_sum:
        score = min(score, best_score / weight_sum + 0.5 * second_score / weight_sum)
    best = (best_text, second_text) if second_text else (best_text,)
    missing = tuple(sorted(t for t in terms if counts[t] == 0))
    share = best_score / weight_sum if weight_sum else 0.0
    return Support(score, best, share, missing)


def _tokens(text: str) -> list[str]:
    return [t.lower().replace("’", "'") for t in _NEG_TOKEN.findall(nfkc(text))]


def _is_negation(token: str) -> bool:
    return token in _NEGATIONS or token.endswith("n't")


def _scope(tokens: list[str], i: int, size: int = 2) -> list[str]:
    """The first content words after a negation at ``i``: what it negates."""
    out: list[str] = []
    for token in tokens[i + 1 : i + 6]:
        if _is_negation(token):
            break
        if token in _FILLER or (token in STOPWORDS and token not in ("said", "told")):
            continue
        out.append(stem(token))
        if len(out) == size:
            break
    if not out:  # "there will not be more": only small words follow; take them as they are
        out = [stem(t) for t in tokens[i + 1 : i + 1 + size] if not _is_negation(t)]
    return out


def _negated_positions(tokens: list[str], window: int = 4) -> set[int]:
    """Positions that fall within a negation's reach."""
    out: set[int] = set()
    for i, token in enumerate(tokens):
        if _is_negation(token):
            out.update(range(i + 1, i + 1 + window + 2))
    return out


def _find_sequence(stems: list[str], wanted: list[str]) -> int | None:
    """Where ``wanted`` occurs in order within a short span of ``stems`` (start index)."""
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
            return i
    return None


def negation_mismatch(sentence: str, source_sentences: tuple[str, ...]) -> str | None:
    """Why the sentence and its best-matching source disagree on negation, or None."""
    draft = _tokens(sentence)
    draft_stems = [stem(t) for t in draft]
    draft_negated = _negated_positions(draft)
    sources = [s for s in source_sentences if s]
    draft_count = sum(_is_negation(t) for t in draft)
    source_count = max((sum(_is_negation(t) for t in _tokens(s)) for s in sources), default=0)
    for source in sources:
        src = _tokens(source)
        src_stems = [stem(t) for t in src]
        src_negated = _negated_positions(src)
        # added: the draft negates words the source states without negation
        for i, token in enumerate(draft):
            if not _is_negation(token):
                continue
            scope = _scope(draft, i)
            if not scope:
                continue
            at = _find_sequence(src_stems, scope)
            if at is None or not _context_matches(draft, i, src, at):
                continue
            if at not in src_negated:
                return f"'{token}' added: the source says '{_span(src, at)}' without it"
            # "did not think he was not armed": more negations than the source has
            if draft_count > source_count:
                return f"'{token}' added: the source has fewer negations ('{_span(src, at)}')"
        # removed: the source negates words the draft states without negation
        for i, token in enumerate(src):
            if not _is_negation(token):
                continue
            scope = _scope(src, i)
            if len(scope) < 2:
                continue
            at = _find_sequence(draft_stems, scope)
            if at is not None and at not in draft_negated and _context_matches(src, i, draft, at):
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
