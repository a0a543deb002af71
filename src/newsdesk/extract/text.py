"""Flattened page text -> Article: tell the article's lines from the page's boilerplate.

The input is a whole page flattened to lines (menus, share buttons, footers and
related-article lists included). Each line is scored from what it looks like
(length in script-aware units, sentence punctuation, stopword share in the page's
language, whether it stands alone as a paragraph) and the article is taken as the
densest contiguous run of prose (a maximum-sum segment over the line scores). Inside
that run, short lines are kept only when prose surrounds them (subheadings), and the
headline, date and byline lines are read as metadata instead of body (``textmeta``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from itertools import pairwise

from newsdesk.errors import ExtractionError
from newsdesk.extract.blocks import SOURCES_LABEL
from newsdesk.extract.lines import Line, split_lines
from newsdesk.extract.nonarticle import non_article_reason
from newsdesk.extract.stopwords import (
    has_list,
    lower_words,
    stopword_share,
    stopwords_for_page,
)
from newsdesk.extract.textmeta import MAX_META_CHARS, read_meta
from newsdesk.model import Article
from newsdesk.text.dates import parse_date
from newsdesk.text.language import detect_language
from newsdesk.text.words import visible

# Characters given to language identification: plenty for a language, and lingua's time
# grows steeply past a thousand or so.
LANGUAGE_SAMPLE = 300


@dataclass(frozen=True)
class Params:
    """The classifier's knobs; the defaults were chosen on the dev half of the benchmark."""

    # Prose: a line of this many words with function words (or fewer with a full stop).
    prose_units: float = 10
    sentence_units: float = 5
    # Prose needs function words; below this share a line reads like a list of names or tags.
    min_stop_share: float = 0.12
    # Without sentence punctuation only a long line reads as prose (headlines do not).
    unpunctuated_units: float = 20
    # Prose inside a run of more lines than this (no blank lines between) is a list of
    # teasers, and counts for little.
    max_paragraph_block: int = 2
    list_weight: float = 0.1
    # What a non-prose line costs the run it sits in, growing along a stretch of them
    # (menus, footers and link lists part articles from what follows them).
    short_penalty: float = 5.0
    gap_growth: float = 0.25
    gap_cap: int = 10
    # A long line that does not read as prose (a teaser headline, a caption) costs its length.
    long_weight: float = 1.0
    # Short lines amid prose: kept when at most this many sit between prose lines.
    max_gap: int = 2
    min_alpha: float = 0.5
    min_units: float = 2
    # A nearby run at least this dense, relative to the article's, joins it.
    merge_share: float = 0.35
    merge_distance: int = 20
    # A dateline (short dated line) opens the article when most of the run's prose follows it.
    dateline_units: float = 12
    dateline_share: float = 0.5
    # Dated posts each followed by prose, after the article: this many make a comment thread.
    min_comments: int = 2
    # Lines with this many "|" or "•" separators are menus, however long.
    max_separators: int = 3
    # An enumeration numbered 1, 2, 3... of at least this many items, at most this many
    # lines apart, is content; each of its lines scores its length times the weight.
    min_numbered_items: int = 5
    max_item_gap: int = 2
    numbered_weight: float = 1.0


def _language_sample(lines: list[Line]) -> tuple[str, set[int]]:
    """The text of the page's longest lines (where an article is) and which lines gave it."""
    longest = sorted(lines, key=lambda line: -line.units)[:12]
    used: set[int] = set()
    size = 0
    for line in longest:
        if size >= LANGUAGE_SAMPLE:
            break
        used.add(line.index)
        size += len(line.text) + 1
    sample = " ".join(line.text for line in longest if line.index in used)
    return sample[:LANGUAGE_SAMPLE], used


def _is_prose(line: Line, p: Params) -> bool:
    if line.units < p.sentence_units or line.alpha_share < 0.5:
        return False
    # A long line printed twice is a teaser, caption or notice, not a paragraph of the article.
    if line.repeats > 1:
        return False
    if line.stop_share < p.min_stop_share:
        return False
    text = line.text
    # Each pattern only where its one character is there: most lines hold none.
    if line.units < 40 and "@" in text and _CONTACT.search(text):
        return False  # addresses and handles: contact notes, share text, credits
    if ("|" in text or "•" in text or "·" in text) and len(
        _SEPARATORS.findall(text)
    ) >= p.max_separators:
        return False  # "A | B | C": a menu or a list of links flattened onto one line
    if line.ends_sentence or line.sentences:
        return True
    # Without sentence punctuation only a long line reads as prose (headlines do not).
    return line.units >= p.unpunctuated_units


def _score(line: Line, p: Params, prose: bool) -> float:
    """``prose``: ``_is_prose(line, p)``."""
    if prose:
        return (
            line.units if line.block_size <= p.max_paragraph_block else line.units * p.list_weight
        )
    return -p.short_penalty - (line.units * p.long_weight if line.units >= p.prose_units else 0)


def _merge_neighbours(scores: list[float], start: int, end: int, p: Params) -> tuple[int, int]:
    """Join nearby runs as dense as the article's: an article cut in two by a teaser box."""
    best = sum(scores[start:end])
    while True:
        left_start, left_end = _densest_run(scores[max(0, start - p.merge_distance) : start])
        offset = max(0, start - p.merge_distance)
        left = sum(scores[offset + left_start : offset + left_end])
        right_start, right_end = _densest_run(scores[end : end + p.merge_distance])
        right = sum(scores[end + right_start : end + right_end])
        if left_end > left_start and left >= p.merge_share * best and left >= right:
            start = offset + left_start
        elif right_end > right_start and right >= p.merge_share * best:
            end = end + right_end
        else:
            return start, end


def _densest_run(scores: list[float]) -> tuple[int, int]:
    """The maximum-sum contiguous segment [start, end) of the scores."""
    best, best_span = 0.0, (0, 0)
    total, start = 0.0, 0
    for i, score in enumerate(scores):
        if total <= 0:
            total, start = 0.0, i
        total += score
        if total > best:
            best, best_span = total, (start, i + 1)
    return best_span


_SEPARATORS = re.compile(r"\s[|•·]\s|\s?\|\s?")
_CONTACT = re.compile(r"\S@\w+\.\w|(?<!\S)@\w{2,}")


def _after_dateline(
    lines: list[Line], scores: list[float], start: int, end: int, language: str | None, p: Params
) -> int:
    """Move the start past a dateline that opens the article inside the run.

    Prose above an article's dateline is teasers or notices; when the run holds a short
    dated line followed closely by prose, and most of the run's prose follows it, the
    article starts there.
    """
    total = sum(score for score in scores[start:end] if score > 0)
    for i in range(start, end):
        line = lines[i]
        if line.units > p.dateline_units or scores[i] > 0:
            continue
        if not any(scores[j] > 0 for j in range(i + 1, min(end, i + 5))):
            continue
        # An article's dateline sits under its headline; a dated line under prose is an
        # embedded post or a video caption inside the article.
        if i > 0 and scores[i - 1] > 0:
            continue
        if line.text.startswith(("—", "–", "-")) or "@" in line.text:
            continue  # the signature of an embedded social post
        if not any(_headline_like(lines[j]) for j in range(max(0, i - 3), i)):
            continue
        if parse_date(line.text, language) is None:
            continue
        after = sum(score for score in scores[i + 1 : end] if score > 0)
        if after >= p.dateline_share * total:
            return i + 1 if after < total else start
        return start
    return start


def _before_comments(
    lines: list[Line], scores: list[float], start: int, end: int, language: str | None, p: Params
) -> int:
    """Move the end before a comment thread: dated posts, each followed by prose.

    One dated line inside an article is a caption or an update note; two or more, each
    right above prose, after most of the article's prose, are readers' comments.
    """
    total = sum(score for score in scores[start:end] if score > 0)
    posts = []
    for i in range(start + 1, end):
        line = lines[i]
        if line.units > p.dateline_units or line.chars > MAX_META_CHARS or scores[i] > 0:
            continue
        if line.text.startswith(("—", "–", "-")) or "@" in line.text:
            continue  # an embedded social post is part of the article
        if not any(scores[j] > 0 for j in range(i + 1, min(end, i + 3))):
            continue
        if parse_date(line.text, language) is None:
            continue
        posts.append(i)
    if len(posts) < p.min_comments:
        return end
    first = posts[0]
    before = sum(score for score in scores[start:first] if score > 0)
    if before < p.dateline_share * total:
        return end
    # The commenter's name usually sits on the line above the date.
    if lines[first - 1].units <= 4 and scores[first - 1] < 0:
        first -= 1
    return first


def _headline_like(line: Line) -> bool:
    return 3 <= line.units <= 30 and line.alpha_share >= 0.5 and not line.text.endswith(".")


# A list item's number: "1 Kyle Busch 5040", "2) Lego ...", "3a etapa: ...", "4. ...".
_ITEM_NUMBER = re.compile(r"^\s*(\d{1,3})(?:[.)ºª°:]|a\b|\s)")


def _item_number(line: Line) -> int | None:
    match = _ITEM_NUMBER.match(line.text)
    return int(match.group(1)) if match else None


def _numbered_lists(lines: list[Line], p: Params) -> set[int]:
    """Lines of enumerations numbered 1, 2, 3... in order (a table's rows, a ranked list,
    a calendar): content, however short and unpunctuated each line is. The lines between
    two items (a link under each) belong to the list too, and as many after the last."""
    found: set[int] = set()
    i = 0
    while i < len(lines):
        if _item_number(lines[i]) != 1:
            i += 1
            continue
        items = [i]
        j = i + 1
        while j < len(lines) and j - items[-1] <= p.max_item_gap:
            if _item_number(lines[j]) == len(items) + 1:
                items.append(j)
            j += 1
        if len(items) >= p.min_numbered_items:
            spans = {b - a for a, b in pairwise(items)}
            # Every item takes the same lines (a link under each): so does the last one.
            last = items[-1] + (spans.pop() - 1 if len(spans) == 1 else 0)
            found.update(range(items[0], min(last, len(lines) - 1) + 1))
            i = items[-1] + 1
        else:
            i += 1
    return found


def classify(lines: list[Line], p: Params | None = None, language: str | None = None) -> list[bool]:
    """Body (True) or boilerplate (False) for each line (``stop_share`` already set)."""
    p = p or Params()
    listed = _numbered_lists(lines, p)
    is_prose = [_is_prose(line, p) for line in lines]
    prose = [
        line_prose or line.index in listed for line, line_prose in zip(lines, is_prose, strict=True)
    ]
    scores = [
        max(line.units, 1.0) * p.numbered_weight
        if line.index in listed
        else _score(line, p, line_prose)
        for line, line_prose in zip(lines, is_prose, strict=True)
    ]
    run = 0
    for i, score in enumerate(scores):
        # Long stretches of non-prose (menus, footers, link lists) part articles from
        # what follows them more than scattered short lines inside an article do.
        run = run + 1 if score < 0 else 0
        if run > 1:
            scores[i] = score * (1 + p.gap_growth * min(run - 1, p.gap_cap))
    start, end = _densest_run(scores)
    start, end = _merge_neighbours(scores, start, end, p)
    start = _after_dateline(lines, scores, start, end, language, p)
    end = _before_comments(lines, scores, start, end, language, p)
    keep = [False] * len(lines)
    for i in range(start, end):
        keep[i] = prose[i] or _repeated_within(lines[i], start, end, p)
    # Short lines amid prose are subheadings, list items or one-line paragraphs of the article.
    gap: list[int] = []
    for i in range(start, end):
        if prose[i]:
            if gap and len(gap) <= p.max_gap:
                for j in gap:
                    keep[j] = keep[j] or _fits_in_body(lines[j], p)
            gap = []
        else:
            gap.append(i)
    return keep


def _repeated_within(line: Line, start: int, end: int, p: Params) -> bool:
    """A repeated line is the article's own (an interview's recurring question) when every
    copy lies inside the article and none right beside it (a headline printed twice)."""
    if line.repeats == 1 or not all(start <= j < end for j in line.copies):
        return False
    if any(abs(j - line.index) <= 2 for j in line.copies):
        return False
    copy = replace(line, copies=())
    return _is_prose(copy, p) or _fits_in_body(copy, p)


def _fits_in_body(line: Line, p: Params) -> bool:
    return line.alpha_share >= p.min_alpha and line.units >= p.min_units and line.repeats == 1


# Lines that end an article on any site: comment forms, newsletter sign-ups and the list
# of sources (labels such as "Related articles" also sit inside bodies, so they do not count).
_END_OF_ARTICLE = re.compile(
    r"^\W*(?:your email address will not be published|required fields are marked|"
    r"save my name, email,? and website|leave a (?:reply|comment)\W*$|post a comment\W*$|"
    r"(?:subscribe|sign up) (?:to|for) (?:our|the) (?:\w+ )?newsletter|stay up to date with|"
    r"please be mindful of our community)",
    re.I,
)
# The end-of-article line counts only past this share of the kept text.
_END_AFTER_SHARE = 0.5


def _before_end_of_article(lines: list[Line], kept: list[int]) -> list[int]:
    """Kept lines before the first end-of-article line (a comment form, a newsletter
    sign-up) found after most of the article's text; those after it are not article."""
    if len(kept) < 2:
        return kept
    total = sum(lines[i].chars for i in kept)
    seen = 0
    position = 0
    for index in range(kept[0], kept[-1] + 1):
        if position < len(kept) and kept[position] == index:
            seen += lines[index].chars
            position += 1
        if seen < _END_AFTER_SHARE * total or lines[index].chars > 200:
            continue
        if _END_OF_ARTICLE.match(lines[index].text) or SOURCES_LABEL.match(lines[index].text):
            return [i for i in kept if i < index]
    return kept


def extract_text(
    text: str,
    url: str | None = None,
    source: str | None = None,
    fetched_at: datetime | None = None,
) -> Article:
    """Read the article in flattened page text, or raise ExtractionError saying why not.

    ``fetched_at`` (when the page was fetched) dates a dateline such as "3 hours ago".
    """
    lines = split_lines(text)
    if not lines:
        raise ExtractionError("the page text is empty")
    sample, sample_lines = _language_sample(lines)
    language = detect_language(sample)
    words_of = [lower_words(line.text) for line in lines]  # read once, counted twice
    stops = stopwords_for_page(language, (line.text for line in lines), words_of)
    short_words = not has_list(language)
    for line, words in zip(lines, words_of, strict=True):
        line.stop_share = stopword_share(line.text, language, stops, short_words, words)
    keep = classify(lines, language=language)
    kept = _before_end_of_article(lines, [i for i, k in enumerate(keep) if k])
    if not kept:
        raise ExtractionError("no article text found in the page text")
    meta = read_meta(lines, kept[0], kept[-1] + 1, language, url, fetched_at)
    body = [lines[i].text for i in kept if i not in meta.lines]
    if not body:
        raise ExtractionError("no article text found in the page text")
    reason = non_article_reason(body, meta.title)
    if reason:
        raise ExtractionError(f"no article: {reason}")
    body_language = language
    if not sample_lines <= set(kept) - meta.lines:
        # The page's language was read partly outside the article: read the article's own.
        body_language = detect_language(" ".join(body)[:LANGUAGE_SAMPLE]) or language
    return Article.create(
        url=url,
        title=visible(meta.title),
        paragraphs=[text for text in map(visible, body) if text],
        input_format="text",
        source=source,
        site_name=meta.site_name,
        authors=tuple(meta.authors),
        published=meta.published.when if meta.published else None,
        published_date_only=bool(meta.published and meta.published.date_only),
        language=body_language,
    )
