"""Benchmark of the verifier: does it catch injected errors without flagging faithful sentences?

From the Multi-News clusters in ``shared/bench/synthesis/multinews-longbench`` (research-only
data, read in place, never copied; boilerplate stubs skipped) it builds, with a seeded RNG:

- faithful sentences: taken verbatim from a source, cited to it;
- faithful rewrites: a source sentence with a meaning-preserving edit a writer might make
  ("more than 30" -> "over 30", "4" -> "four", curly -> straight quotes, "1,500,000" ->
  "1.5 million", "per cent" -> "%", a leading "But" dropped); compressed (a clause between
  commas dropped) and fused (two consecutive source sentences joined with ", and");
- injected errors, each checked to be a real error against the cited source: a number
  changed (to a value the source never gives), a name swapped for a name from another
  article of the same story (none of whose words the cited source has), a quotation
  altered (the altered text is not in the source), a date moved (the new date is not in
  the source), a negation added (the negated phrase is not in the source), a sentence
  from another story.

Each sentence is verified alone, as a one-sentence draft citing its source article, with
the public ``verify_draft``. Printed: per-set counts and rates for our verifier and, in
the same run, for the anchor: a plain checker that flags a sentence when the share of its
content words found in the best-matching sentence of the cited source is below t.

For information (not among the injected kinds, so the totals stay comparable): "clause
added", a verbatim source sentence extended with ", and" and the start of a sentence of
another article of the same story (an extrinsic addition; its words may be in the source).
Also for information: the sentences Wikinews reporters wrote from the outlets they cited
(``synthesis/wikinewssum-dev``, each source with its web address), checked against those
sources; where the data is absent the line is left out.
The verifier's default checker (the fitted support model judges wording) runs unless
``--checker rules`` asks for the overlap and extrinsic-word rules.

    python bench/verification.py [--data PATH] [--seed 13] [--show-misses 5]
        [--checker calibrated|rules]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from newsdesk.model import Article, Draft, Sentence
from newsdesk.text.sentences import split_sentences
from newsdesk.verify import verify_draft
from newsdesk.verify.text import STOPWORDS

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
from e2e import WIKINEWS, load_wikinews  # noqa: E402  (the benchmarks' one reader of the set)

DEFAULT_DATA = REPO.parent / "shared/bench/synthesis/multinews-longbench/clusters.jsonl"
ERROR_KINDS = (
    "number",
    "name",
    "quote",
    "date",
    "negation",
    "other-story",
    "name-in-source",
    "roles-swapped",
)
EXPECTED_PROBLEM = {
    "number": {"number"},
    "name": {"name"},
    "quote": {"quote"},
    "date": {"date", "number"},
    "negation": {"unsupported"},
    "other-story": {"unsupported", "name", "number", "date", "quote"},
    "name-in-source": {"name"},
    "roles-swapped": {"name"},
}
ANCHOR_THRESHOLDS = (0.5, 0.9)
FAITHFUL_PER_CLUSTER = 8
REWRITES_PER_CLUSTER = 4
ERRORS_PER_KIND = 2

_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_NUMBER_WORDS = [
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
]
_WORD_VALUES = {
    w: v for w, v in zip(_NUMBER_WORDS, [*range(2, 13), *range(20, 100, 10)], strict=True)
}
_COMMON_CAPITALISED = {
    "The", "A", "An", "I", "He", "She", "It", "We", "They", "This", "That", "In", "On", "At",
    "But", "And", "Mr", "Mrs", "Ms", "Dr", "If", "As", "For", "His", "Her", "Their", *_MONTHS,
    *_WEEKDAYS,
}  # fmt: skip


@dataclass(frozen=True)
class Case:
    kind: str  # "faithful", "rewrite" or one of ERROR_KINDS
    text: str
    article: Article
    source_sentence: str


# --- data -----------------------------------------------------------------------------


def load_clusters(path: Path) -> tuple[list[tuple[str, list[Article]]], dict[str, str]]:
    """The clusters (id, articles), sorted by id, and each cluster's reference summary."""
    clusters = []
    summaries = {}
    with path.open(encoding="utf-8") as stream:
        for line in stream:
            row = json.loads(line)
            summaries[row["id"]] = row["summary"]
            articles = []
            for doc in row["documents"]:
                if doc.get("boilerplate"):
                    continue
                paragraphs = [p.strip() for p in doc["text"].split("\n") if p.strip()]
                if paragraphs:
                    articles.append(
                        Article.create(
                            url=None, title="", paragraphs=paragraphs, source=doc["doc_id"]
                        )
                    )
            if articles:
                clusters.append((row["id"], articles))
    clusters.sort(key=lambda c: c[0])
    return clusters, summaries


def good_sentences(article: Article) -> list[str]:
    """Sentences fit to be written: real prose of 8 to 60 words."""
    out = []
    for paragraph in article.paragraphs:
        for sentence in split_sentences(paragraph):
            n = len(sentence.split())
            letters = sum(ch.isalpha() for ch in sentence)
            if not 8 <= n <= 60 or letters < 0.7 * len(sentence.replace(" ", "")):
                continue
            if not re.search(r"""[.!?]["'”’)]*$""", sentence) or "http" in sentence:
                continue
            out.append(sentence)
    return out


def norm(text: str) -> str:
    text = re.sub(r"[\"'“”‘’„«»]", "", text.lower())
    return re.sub(r"\s+", " ", text).strip()


def doc_words(article: Article) -> set[str]:
    return {w.lower() for w in re.findall(r"\w+", article.text)}


def doc_values(article: Article) -> set[float]:
    values = {
        float(m.replace(",", ""))
        for m in re.findall(r"\d[\d,]*(?:\.\d+)?", article.text)
        if m.replace(",", "").replace(".", "", 1).isdigit()
    }
    lower = article.text.lower()
    values |= {float(v) for w, v in _WORD_VALUES.items() if re.search(rf"\b{w}\b", lower)}
    return values


# --- injected errors ------------------------------------------------------------------


def change_number(rng: random.Random, sentence: str, article: Article, **_: object) -> str | None:
    present = doc_values(article)
    spots = []
    for m in re.finditer(
        r"(?<![\w.,$:/-])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\w:/]|[.,]\d)", sentence
    ):
        whole = m.group(0)
        before = sentence[max(0, m.start() - 12) : m.start()]
        if re.fullmatch(r"1[89]\d\d|20\d\d", whole) or any(mo in before for mo in _MONTHS):
            continue  # years and days are dates, not counts
        spots.append(("digits", m))
    for m in re.finditer(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b", sentence):
        spots.append(("word", m))
    rng.shuffle(spots)
    for style, m in spots:
        if style == "word":
            word = m.group(0)
            options = [w for w in _NUMBER_WORDS if w != word and _WORD_VALUES[w] not in present]
            options = [w for w in options if str(_WORD_VALUES[w]) not in article.text]
            if options:
                return sentence[: m.start()] + rng.choice(options) + sentence[m.end() :]
            continue
        integer, decimals = m.group(1), m.group(2)
        value = int(integer.replace(",", ""))
        if decimals:
            candidates = [
                f"{integer}.{(int(decimals[1:]) + k) % 10 ** len(decimals[1:]):0{len(decimals) - 1}d}"
                for k in (1, 2, 3)
            ]
        else:
            new_values = [
                value + 1,
                value + 2,
                value * 2,
                value + 10,
                max(0, value - 1),
                value * 3 + 1,
            ]
            new_values = [v for v in new_values if v != value]
            candidates = [f"{v:,}" if "," in integer else str(v) for v in new_values]
        candidates = [
            c
            for c in candidates
            if float(c.replace(",", "")) not in present and c not in article.text
        ]
        if candidates:
            return sentence[: m.start()] + rng.choice(candidates) + sentence[m.end() :]
    return None


_NAME = re.compile(r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*\b")


def names_in(text: str) -> list[re.Match[str]]:
    """Capitalised runs that do not open a sentence and are not common words."""
    out = []
    for m in _NAME.finditer(text):
        before = text[: m.start()].rstrip(" \"'“‘(")
        if not before or before[-1] in ".!?:":
            continue
        if all(token in _COMMON_CAPITALISED for token in re.split(r"[ -]", m.group(0))):
            continue
        out.append(m)
    return out


def _name_in_doc(name: str, words: set[str]) -> bool:
    """Any word of the name in the document, in any form sharing its first five letters
    ("Hawaii" ~ "Hawaiian", "Gusto" ~ "Gustos", "Mont" ~ "Montana"): then a swap to it
    might still be supported, so it is not used."""
    prefixes = {w[:5] for w in words}
    return any(token in words or token[:5] in prefixes for token in re.split(r"[ -]", name.lower()))


def swap_name(
    rng: random.Random, sentence: str, article: Article, cluster: list[Article], **_: object
) -> str | None:
    words = doc_words(article)
    pool = sorted(
        {
            m.group(0)
            for other in cluster
            if other.id != article.id
            for m in names_in(other.text)
            if not _name_in_doc(m.group(0), words)
        }
    )
    spots = names_in(sentence)
    if not pool or not spots:
        return None
    target = rng.choice(spots)
    size = len(target.group(0).split())
    same_size = [p for p in pool if len(p.split()) == size]
    return sentence[: target.start()] + rng.choice(same_size or pool) + sentence[target.end() :]


_QUOTE = re.compile(r"“([^“”]+)”|\"([^\"]+)\"")


def alter_quote(rng: random.Random, sentence: str, article: Article, **_: object) -> str | None:
    spans = [m for m in _QUOTE.finditer(sentence) if len((m.group(1) or m.group(2)).split()) >= 4]
    if not spans:
        return None
    m = rng.choice(spans)
    group = 1 if m.group(1) else 2
    inner = m.group(group)
    tokens = inner.split()
    vocabulary = sorted({w for w in re.findall(r"[a-z]{4,}", article.text)})
    source = norm(article.text)
    for _attempt in range(6):
        op = rng.choice(["replace", "drop", "swap"])
        new = list(tokens)
        i = rng.randrange(len(tokens))
        if op == "replace" and vocabulary:
            new[i] = re.sub(r"[A-Za-z]+", rng.choice(vocabulary), new[i], count=1)
        elif op == "drop" and len(tokens) > 4:
            del new[i]
        elif i + 1 < len(tokens):
            new[i], new[i + 1] = new[i + 1], new[i]
        altered = " ".join(new)
        if norm(altered) != norm(inner) and norm(altered.strip(" .,;:!?")) not in source:
            return sentence[: m.start(group)] + altered + sentence[m.end(group) :]
    return None


def move_date(rng: random.Random, sentence: str, article: Article, **_: object) -> str | None:
    text = article.text
    spots: list[tuple[re.Match[str], Callable[[re.Match[str]], list[str]]]] = []

    def weekdays(m: re.Match[str]) -> list[str]:
        return [d for d in _WEEKDAYS if d not in text]

    def month_day(m: re.Match[str]) -> list[str]:
        month, day = m.group(1), int(m.group(2))
        out = []
        for d in (day + 1, day + 2, day - 1, day + 7, day - 3):
            short = month[:3]
            if 1 <= d <= 28 and not re.search(
                rf"\b{short}\w*\.? {d}\b|\b{d}(?:st|nd|rd|th)? (?:of )?{short}", text
            ):
                out.append(f"{month} {d}")
        return out

    def months(m: re.Match[str]) -> list[str]:
        return [mo for mo in _MONTHS if not re.search(rf"\b{mo[:3]}", text) and mo != "May"]

    def years(m: re.Match[str]) -> list[str]:
        year = int(m.group(0))
        return [str(y) for y in (year - 1, year + 1, year - 2, year + 3) if str(y) not in text]

    for m in re.finditer(r"\b(" + "|".join(_WEEKDAYS) + r")\b", sentence):
        spots.append((m, weekdays))
    for m in re.finditer(r"\b(" + "|".join(_MONTHS) + r")\.? (\d{1,2})\b(?!,\d)", sentence):
        spots.append((m, month_day))
    for m in re.finditer(
        r"\b(" + "|".join(m for m in _MONTHS if m != "May") + r")\b(?!\.? \d)", sentence
    ):
        spots.append((m, months))
    for m in re.finditer(r"(?<![\d,$.])\b(19[5-9]\d|20[0-3]\d)\b(?![\d,%])", sentence):
        spots.append((m, years))
    rng.shuffle(spots)
    for m, options_of in spots:
        options = options_of(m)
        if options:
            return sentence[: m.start()] + rng.choice(options) + sentence[m.end() :]
    return None


_AUX = re.compile(
    r"\b(is|are|was|were|has|have|had|will|would|could|should|does|did|can)\s+(?!not\b|never\b|n't)([a-z]+)"
)


def add_negation(rng: random.Random, sentence: str, article: Article, **_: object) -> str | None:
    spots = list(_AUX.finditer(sentence))
    rng.shuffle(spots)
    lower = article.text.lower()
    for m in spots:
        aux, word = m.group(1), m.group(2)
        if word in (
            "to",
            "a",
            "an",
            "the",
            "that",
            "been",
            "nothing",
            "no",
            "none",
            "nobody",
            "hardly",
        ):
            continue
        if re.search(rf"\b{aux}(?: not|n't|not) {word}\b", lower) or (
            aux == "can" and f"cannot {word}" in lower
        ):
            continue
        negated = "cannot" if aux == "can" else f"{aux} not"
        return sentence[: m.start()] + f"{negated} {word}" + sentence[m.end() :]
    return None


def other_story(
    rng: random.Random,
    sentence: str,
    article: Article,
    cluster: list[Article],
    foreign: list[str],
    **_: object,
) -> str | None:
    texts = {norm(a.text) for a in cluster}
    for _attempt in range(5):
        candidate = rng.choice(foreign)
        if not any(norm(candidate) in t for t in texts):
            return candidate
    return None


def swap_name_in_source(
    rng: random.Random, sentence: str, article: Article, **_: object
) -> str | None:
    """A name of the sentence replaced by another name the cited article gives elsewhere
    (sharing no word with it, not in the sentence): the name is in the source, not in
    that role."""
    spots = names_in(sentence)
    if not spots:
        return None
    target = rng.choice(spots)
    target_words = set(re.split(r"[ -]", target.group(0).lower()))
    sentence_lower = sentence.lower()
    # a capitalised word the article also writes in lower case ("While", "Today") or a
    # month's short form is not a name
    lower_words = set(re.findall(r"\b[a-z]\w*", article.text))
    pool = sorted(
        {
            m.group(0)
            for m in names_in(article.text)
            if not set(re.split(r"[ -]", m.group(0).lower())) & target_words
            and not set(re.split(r"[ -]", m.group(0).lower())) & lower_words
            and m.group(0)[:3] not in {month[:3] for month in _MONTHS}
            and not any(w[:5] in sentence_lower for w in re.split(r"[ -]", m.group(0).lower()))
            and m.group(0)[:4].lower() != target.group(0)[:4].lower()
        }
    )
    if not pool:
        return None
    size = len(target.group(0).split())
    same_size = [p for p in pool if len(p.split()) == size]
    return sentence[: target.start()] + rng.choice(same_size or pool) + sentence[target.end() :]


def swap_roles(rng: random.Random, sentence: str, article: Article, **_: object) -> str | None:
    """Two different names of the sentence exchanged, a verb or noun between them
    ("Smith beat Jones" -> "Jones beat Smith"); pairs joined only by "and" or a comma
    are left alone, as their order may say nothing."""
    spots = names_in(sentence)
    pairs = []
    for i, first in enumerate(spots):
        for second in spots[i + 1 :]:
            a, b = first.group(0), second.group(0)
            if set(a.lower().split()) & set(b.lower().split()):
                continue
            between = sentence[first.end() : second.start()]
            # a lower-case word that says something: a verb or noun, not a list of names
            content = [w for w in re.findall(r"\b[a-z]+\b", between) if w not in STOPWORDS]
            if not content or '"' in between or "“" in between:
                continue
            pairs.append((first, second))
    if not pairs:
        return None
    first, second = rng.choice(pairs)
    return (
        sentence[: first.start()]
        + second.group(0)
        + sentence[first.end() : second.start()]
        + first.group(0)
        + sentence[second.end() :]
    )


CORRUPTORS: dict[str, Callable[..., str | None]] = {
    "number": change_number,
    "name": swap_name,
    "quote": alter_quote,
    "date": move_date,
    "negation": add_negation,
    "other-story": other_story,
    "name-in-source": swap_name_in_source,
    "roles-swapped": swap_roles,
}


# --- faithful rewrites ----------------------------------------------------------------

_DIGIT_WORDS = dict(
    zip(
        ["2", "3", "4", "5", "6", "7", "8", "9"],
        ["two", "three", "four", "five", "six", "seven", "eight", "nine"],
        strict=True,
    )
)


def rewrite_faithfully(rng: random.Random, sentence: str) -> str | None:
    edits: list[Callable[[str], str | None]] = [
        lambda s: re.sub(r"\bmore than (\d)", r"over \1", s, count=1),
        lambda s: re.sub(r"\bover (\d)", r"more than \1", s, count=1),
        lambda s: re.sub(
            r"(?<![\w.,$:/-])([2-9])(?=\s+[a-z]+s\b)",
            lambda m: _DIGIT_WORDS[m.group(1)],
            s,
            count=1,
        ),
        lambda s: re.sub(
            r"\b(two|three|four|five|six|seven|eight|nine)(?=\s+[a-z]+s\b)",
            lambda m: {v: k for k, v in _DIGIT_WORDS.items()}[m.group(1)],
            s,
            count=1,
        ),
        lambda s: s.replace("“", '"').replace("”", '"'),
        lambda s: re.sub(r'"([^"]+)"', r"“\1”", s),
        lambda s: re.sub(r"\bper ?cent\b", "%", s).replace(" %", "%"),
        lambda s: re.sub(
            r"(\d+(?:\.\d+)?) million\b",
            lambda m: f"{round(float(m.group(1)) * 1e6):,}",
            s,
            count=1,
        ),
        lambda s: re.sub(r"^(?:But|And|However,|Meanwhile,) (\w)", lambda m: m.group(1).upper(), s),
    ]
    order = list(range(len(edits)))
    rng.shuffle(order)
    for i in order:
        rewritten = edits[i](sentence)
        if rewritten and rewritten != sentence and _quotes_kept(sentence, rewritten):
            return rewritten
    return None


def _quotes_kept(before: str, after: str) -> bool:
    """A faithful edit leaves the words inside quotation marks alone (marks may change)."""

    def inside(text: str) -> list[str]:
        return [
            norm(m.group(1) or m.group(2))
            for m in _QUOTE.finditer(text.replace("“", '"').replace("”", '"'))
        ]

    return inside(before) == inside(after)


_APPOSITIVE = re.compile(r", ((?:[^,“”\"\s]+\s){1,9}[^,“”\"\s]+),(?= )")
_LOWERABLE = {"The", "A", "An", "He", "She", "It", "They", "This", "That", "These", "Those", "But", "And", "In", "On", "At"}  # fmt: skip


def _inside_quotes(text: str, at: int) -> bool:
    before = text[:at]
    return before.count('"') % 2 == 1 or before.count("“") > before.count("”")


def _balanced_quotes(text: str) -> bool:
    return text.count('"') % 2 == 0 and text.count("“") == text.count("”")


def compress(sentence: str) -> str | None:
    """Drop a middle clause or apposition between commas, as a writer shortening it would
    (never inside a quotation: cutting words out of a quote misquotes)."""
    match = _APPOSITIVE.search(sentence)
    if not match or _inside_quotes(sentence, match.start()):
        return None
    shorter = sentence[: match.start()] + sentence[match.end() :]
    return shorter if len(shorter.split()) >= 8 else None


def fuse(first: str, second: str) -> str | None:
    """Join two consecutive source sentences into one, as a writer merging them would
    (not where a quotation runs across them: that would put words in a quote)."""
    if (
        not first.endswith(".")
        or first.endswith("..")
        or len(first.split()) + len(second.split()) > 70
    ):
        return None
    if not (_balanced_quotes(first) and _balanced_quotes(second)):
        return None
    head, _, rest = second.partition(" ")
    if head in _LOWERABLE:
        head = head.lower()
    return f"{first[:-1]}, and {head} {rest}"


# --- the run --------------------------------------------------------------------------


def build_cases(clusters: list[tuple[str, list[Article]]], seed: int) -> list[Case]:
    sentences = {c_id: {a.id: good_sentences(a) for a in arts} for c_id, arts in clusters}
    cases: list[Case] = []
    for c_index, (c_id, articles) in enumerate(clusters):
        rng = random.Random(f"{seed}:{c_id}")
        pairs = [(a, s) for a in articles for s in sentences[c_id][a.id]]
        if not pairs:
            continue
        foreign = [
            s
            for other_id, other in clusters
            if other_id != c_id
            for a in other[:1]
            for s in sentences[other_id][a.id][:5]
        ]
        rng.shuffle(pairs)
        for article, sentence in pairs[:FAITHFUL_PER_CLUSTER]:
            cases.append(Case("faithful", sentence, article, sentence))
        made_faithful: Counter[str] = Counter()
        for article, sentence in pairs:
            following = sentences[c_id][article.id]
            at = following.index(sentence)
            for kind in ("rewrite", "compressed", "fused"):
                if made_faithful[kind] == REWRITES_PER_CLUSTER:
                    continue
                if kind == "rewrite":
                    rewritten = rewrite_faithfully(rng, sentence)
                elif kind == "compressed":
                    rewritten = compress(sentence)
                else:
                    rewritten = (
                        fuse(sentence, following[at + 1]) if at + 1 < len(following) else None
                    )
                if rewritten and rewritten != sentence:
                    cases.append(Case(kind, rewritten, article, sentence))
                    made_faithful[kind] += 1
                    break
        for kind, corrupt in CORRUPTORS.items():
            made = 0
            for article, sentence in pairs:
                if made == ERRORS_PER_KIND:
                    break
                wrong = corrupt(rng, sentence, article, cluster=articles, foreign=foreign)
                if wrong and wrong != sentence:
                    cases.append(Case(kind, wrong, article, sentence))
                    made += 1
        del c_index
    return cases


def one_sentence_draft(text: str, cited: tuple[str, ...]) -> Draft:
    return Draft(
        story_id="bench",
        headline="",
        standfirst=(),
        lead=(Sentence(text, cited),),
        body=(),
        summary=(),
    )


def our_problems(case: Case, calibrated: bool) -> list[str]:
    report = verify_draft(
        one_sentence_draft(case.text, (case.article.id,)), [case.article], calibrated=calibrated
    )
    return [f"{p.kind}: {p.why}" for p in report.problems]


def clause_added_cases(
    clusters: list[tuple[str, list[Article]]], cases: list[Case], seed: int
) -> list[Case]:
    """Each verbatim case's sentence with ", and" and 5-12 words of a sentence of another
    article of the same story appended (its own RNG: the other sets are left as drawn)."""
    rng = random.Random(seed * 7919 + 11)
    story_of = {a.id: c_id for c_id, articles in clusters for a in articles}
    others = {
        c_id: [(a.id, s) for a in articles for s in good_sentences(a)]
        for c_id, articles in clusters
    }
    out = []
    for case in cases:
        if case.kind != "faithful" or not case.text.endswith("."):
            continue
        pool = [s for a_id, s in others[story_of[case.article.id]] if a_id != case.article.id]
        if not pool:
            continue
        words = rng.choice(pool).rstrip(".").split()
        if len(words) < 6:
            continue
        clause = " ".join(words[: rng.randint(5, min(12, len(words)))])
        text = f"{case.text[:-1]}, and {clause[0].lower()}{clause[1:]}."
        out.append(Case("clause-added", text, case.article, case.source_sentence))
    return out


def summary_sentences(
    summaries: dict[str, str], clusters: list[tuple[str, list[Article]]], per_cluster: int = 4
):
    """The human reference summaries' first sentences, each citing all its story's articles.

    Not a false-alarm measure: Multi-News summaries paraphrase freely and bring facts and
    outlets the (truncated) source texts lack. It shows how strict the verifier is with
    abstractive writing, for whoever tunes an LLM writer against it.
    """
    for c_id, articles in clusters:
        for sentence in split_sentences(summaries.get(c_id, ""))[:per_cluster]:
            yield sentence, articles


def wikinews_sentences():
    """The sentences Wikinews reporters wrote, each citing every source of its article
    (with the source's web address, as a page gives it; the sources as ``bench/e2e.py``
    reads them). Like the reference summaries, not a false-alarm measure: reporters add
    background the cited texts lack."""
    if not WIKINEWS.exists():
        return
    docs, references = load_wikinews(WIKINEWS)
    sources: dict[str, list[Article]] = defaultdict(list)
    for doc in docs:
        if doc.paragraphs:
            sources[doc.story].append(
                Article.create(
                    url=doc.url, title=doc.title, paragraphs=doc.paragraphs, language=doc.language
                )
            )
    for story, text in references.items():
        for paragraph in text.split("\n") if sources[story] else ():
            for sentence in split_sentences(paragraph):
                yield sentence, sources[story]


def _content(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.lower()) if w not in STOPWORDS}


def anchor_overlap(case: Case, cache: dict[str, list[set[str]]]) -> float:
    """Share of the sentence's content words in the best single source sentence."""
    if case.article.id not in cache:
        cache[case.article.id] = [
            _content(s) for p in case.article.paragraphs for s in split_sentences(p)
        ]
    words = _content(case.text)
    if not words:
        return 1.0
    return max((len(words & s) / len(words) for s in cache[case.article.id]), default=0.0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--show-misses", type=int, default=0, help="print N misses per set")
    parser.add_argument("--checker", choices=("calibrated", "rules"), default="calibrated")
    args = parser.parse_args()
    calibrated = args.checker == "calibrated"
    if not args.data.exists():
        print(f"benchmark data not found: {args.data}", file=sys.stderr)
        return 2
    clusters, summaries = load_clusters(args.data)
    cases = build_cases(clusters, args.seed)
    started = time.perf_counter()
    flagged: dict[str, list[bool]] = defaultdict(list)
    right_kind: dict[str, list[bool]] = defaultdict(list)
    anchors: dict[float, dict[str, list[bool]]] = {t: defaultdict(list) for t in ANCHOR_THRESHOLDS}
    misses: dict[str, list[tuple[Case, list[str]]]] = defaultdict(list)
    cache: dict[str, list[set[str]]] = {}
    for case in cases:
        problems = our_problems(case, calibrated)
        flagged[case.kind].append(bool(problems))
        if case.kind in EXPECTED_PROBLEM:
            kinds = {p.split(":", 1)[0] for p in problems}
            right_kind[case.kind].append(bool(kinds & EXPECTED_PROBLEM[case.kind]))
        is_error = case.kind in ERROR_KINDS
        if bool(problems) != is_error:
            misses[case.kind].append((case, problems))
        overlap = anchor_overlap(case, cache)
        for t in ANCHOR_THRESHOLDS:
            anchors[t][case.kind].append(overlap < t)
    elapsed = time.perf_counter() - started

    print(
        f"verification benchmark: {len(clusters)} clusters, {len(cases)} sentences, seed {args.seed}"
    )
    print(f"data: {args.data}")
    header = (
        f"{'set':<16}{'n':>6}{'ours':>16}"
        + "".join(f"{'anchor t=' + str(t):>18}" for t in ANCHOR_THRESHOLDS)
        + f"{'ours/anchor':>13}{'right kind':>12}"
    )
    print(header)
    print("-" * len(header))

    def row(label: str, kinds: tuple[str, ...]) -> None:
        ours = [x for k in kinds for x in flagged[k]]
        if not ours:
            return
        n, hit = len(ours), sum(ours)
        cells = f"{label:<16}{n:>6}{f'{hit} ({hit / n:.1%})':>16}"
        first_anchor = None
        for t in ANCHOR_THRESHOLDS:
            a = [x for k in kinds for x in anchors[t][k]]
            a_hit = sum(a)
            first_anchor = first_anchor if first_anchor is not None else a_hit
            cells += f"{f'{a_hit} ({a_hit / n:.1%})':>18}"
        ratio = f"{hit / first_anchor:.2f}" if first_anchor else "n/a"
        kinds_ok = [x for k in kinds for x in right_kind.get(k, [])]
        kind_cell = f"{sum(kinds_ok) / len(kinds_ok):.1%}" if kinds_ok else ""
        print(cells + f"{ratio:>13}{kind_cell:>12}")

    print("caught (injected errors):")
    for kind in ERROR_KINDS:
        row(f"  {kind}", (kind,))
    row("  all errors", ERROR_KINDS)
    print("false alarms (faithful sentences):")
    row("  verbatim", ("faithful",))
    row("  rewritten", ("rewrite",))
    row("  compressed", ("compressed",))
    row("  fused", ("fused",))
    row("  all faithful", ("faithful", "rewrite", "compressed", "fused"))
    print(f"(ours/anchor uses the anchor at t={ANCHOR_THRESHOLDS[0]}; 'right kind': the problem")
    print(
        " reported includes the kind expected for that error; verify time "
        f"{elapsed:.1f} s, {1000 * elapsed / max(1, len(cases)):.1f} ms per sentence)"
    )
    added = clause_added_cases(clusters, cases, args.seed)
    caught = sum(bool(our_problems(case, calibrated)) for case in added)
    print(
        f"for information, clause added (a verbatim sentence extended by a clause of another "
        f"article of the story): {caught}/{len(added)} ({caught / max(1, len(added)):.1%}) "
        f"flagged ({args.checker})"
    )
    summary_kinds: Counter[str] = Counter()
    summary_flagged = summary_total = 0
    for sentence, articles in summary_sentences(summaries, clusters):
        draft = one_sentence_draft(sentence, tuple(a.id for a in articles))
        kinds = {p.kind for p in verify_draft(draft, articles, calibrated=calibrated).problems}
        summary_total += 1
        summary_flagged += bool(kinds)
        summary_kinds.update(kinds)
    print(
        f"for information, human reference-summary sentences (abstractive, citing all the "
        f"story's articles): {summary_flagged}/{summary_total} "
        f"({summary_flagged / max(1, summary_total):.1%}) flagged; by kind: "
        + ", ".join(f"{k} {v}" for k, v in summary_kinds.most_common())
    )
    wiki_kinds: Counter[str] = Counter()
    wiki_flagged = wiki_total = 0
    for sentence, articles in wikinews_sentences():
        draft = one_sentence_draft(sentence, tuple(a.id for a in articles))
        kinds = {p.kind for p in verify_draft(draft, articles, calibrated=calibrated).problems}
        wiki_total += 1
        wiki_flagged += bool(kinds)
        wiki_kinds.update(kinds)
    if wiki_total:
        print(
            f"for information, Wikinews reporters' sentences (wikinewssum-dev, citing every "
            f"source of their article): {wiki_flagged}/{wiki_total} "
            f"({wiki_flagged / wiki_total:.1%}) flagged; by kind: "
            + ", ".join(f"{k} {v}" for k, v in wiki_kinds.most_common())
        )
    if args.show_misses:
        for kind, items in misses.items():
            for case, problems in items[: args.show_misses]:
                print(f"\n[{kind}] {'FALSE ALARM' if kind not in ERROR_KINDS else 'MISSED'}")
                print(f"  source : {case.source_sentence}")
                print(f"  written: {case.text}")
                for p in problems:
                    print(f"  -> {p}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
