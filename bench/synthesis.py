"""Benchmark the extractive writer: ROUGE against human summaries of news clusters, and speed.

Data: ../shared/bench/synthesis/multinews-longbench/clusters.jsonl (Multi-News clusters as
packaged by LongBench; research-only, see its LICENSE-NOTE.txt; never copied into the repo).
Documents flagged boilerplate are left out; the reference is the cluster's ``summary``.

newsdesk's figure is lead + body of the draft (capped at --max-words words by the writer).
Anchors measured in the same run, each cut to the same number of words:
  lead-3   the first three sentences of every article, articles in turn;
  LexRank  Erkan & Radev (2004): TF-IDF cosine graph (threshold 0.1), power iteration,
           top sentences in rank order (our own implementation, same sentence splitter).
ROUGE is the rouge-score package, F1, use_stemmer=True. Stories/s counts writing only.

Repeats: pairs of a text's sentences that say the same thing twice, counted per 10 texts:
one holds at least 60% of the other's content words (Snowball stems), or both hold the same
number and 40% of the shorter one's content words ("312 coins were found" / "the find, 312
silver coins"). The anchors repeat by construction (lead-3 of articles on one event).

    python bench/synthesis.py [--clusters PATH] [--max-words 220] [--limit N]
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from rouge_score import rouge_scorer

from newsdesk.model import Article
from newsdesk.text.numbers import numbers
from newsdesk.text.sentences import split_sentences
from newsdesk.text.tfidf import tfidf_matrix
from newsdesk.text.words import stemmer
from newsdesk.write import write_extractive
from newsdesk.write.features import content_tokens
from newsdesk.write.sentences import article_sentences

DEFAULT = (
    Path(__file__).resolve().parents[2]
    / "shared/bench/synthesis/multinews-longbench/clusters.jsonl"
)


def load(path: Path, limit: int | None) -> list[tuple[str, list[Article], str]]:
    clusters = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            articles = [
                Article.create(
                    url=None,
                    title="",
                    paragraphs=[p for p in doc["text"].split("\n") if p.strip()],
                    source=doc["doc_id"],
                    language="en",  # what `newsdesk extract` would have detected
                )
                for doc in record["documents"]
                if not doc.get("boilerplate") and doc["text"].strip()
            ]
            if articles:
                clusters.append((record["id"], articles, record["summary"]))
            if limit and len(clusters) >= limit:
                break
    return clusters


def cut(text: str, max_words: int) -> str:
    return " ".join(text.split()[:max_words])


def newsdesk_text(articles: list[Article], story_id: str, max_words: int) -> str:
    draft = write_extractive(articles, story_id, max_words=max_words)
    sentences = [*draft.lead, *(s for p in draft.body for s in p)]
    return " ".join(s.text for s in sentences)


def lead3_text(articles: list[Article], _story_id: str, max_words: int) -> str:
    parts = []
    for index, article in enumerate(articles):
        parts.extend(s.text for s in article_sentences(article.paragraphs, index)[:3])
    return cut(" ".join(parts), max_words)


def lexrank_text(articles: list[Article], _story_id: str, max_words: int) -> str:
    sentences = [s.text for i, a in enumerate(articles) for s in article_sentences(a.paragraphs, i)]
    if not sentences:
        return ""
    matrix, _, _ = tfidf_matrix([content_tokens(s, "en") for s in sentences])
    similarity = (matrix @ matrix.T).toarray()
    adjacency = (similarity > 0.1).astype(float)
    adjacency /= np.maximum(adjacency.sum(axis=1, keepdims=True), 1.0)
    n = len(sentences)
    damping = 0.85
    scores = np.ones(n) / n
    for _ in range(100):
        updated = (1 - damping) / n + damping * adjacency.T @ scores
        if np.abs(updated - scores).sum() < 1e-6:
            scores = updated
            break
        scores = updated
    ranked = [sentences[i] for i in np.argsort(-scores)]
    return cut(" ".join(ranked), max_words)


def repeats(text: str, language: str = "en") -> int:
    """Pairs of the text's sentences that say one thing twice (see the module's notes)."""
    stem = stemmer(language)
    facts = [
        ({stem(w) for w in content_tokens(s, language)}, numbers(s)) for s in split_sentences(text)
    ]
    count = 0
    for (words_a, numbers_a), (words_b, numbers_b) in itertools.combinations(facts, 2):
        if not words_a or not words_b:
            continue
        contained = len(words_a & words_b) / min(len(words_a), len(words_b))
        if contained >= 0.6 or (contained >= 0.4 and numbers_a & numbers_b):
            count += 1
    return count


SYSTEMS: dict[str, Callable[[list[Article], str, int], str]] = {
    "newsdesk extractive": newsdesk_text,
    "LexRank (own impl.)": lexrank_text,
    "lead-3 per article": lead3_text,
}


def evaluate(clusters, system, max_words: int) -> dict[str, float]:
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    system(clusters[0][1], clusters[0][0], max_words)  # warm up (imports, caches)
    start, cpu_start = time.perf_counter(), time.process_time()
    outputs = [system(articles, story_id, max_words) for story_id, articles, _ in clusters]
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    totals = {"rouge1": 0.0, "rouge2": 0.0, "rougeL": 0.0}
    for output, (_, _, reference) in zip(outputs, clusters, strict=True):
        scores = scorer.score(reference, output)
        for key in totals:
            totals[key] += scores[key].fmeasure
    result = {key: 100 * value / len(clusters) for key, value in totals.items()}
    result["stories_per_s"] = len(clusters) / elapsed if elapsed else float("inf")
    # CPU time of this process: steadier than wall time on a machine shared with others
    result["stories_per_cpu_s"] = len(clusters) / cpu if cpu else float("inf")
    result["words"] = float(np.mean([len(o.split()) for o in outputs]))
    result["repeats"] = 10 * float(np.mean([repeats(o) for o in outputs]))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clusters", type=Path, default=DEFAULT)
    parser.add_argument("--max-words", type=int, default=220)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args(argv)
    if not args.clusters.exists():
        print(f"clusters not found: {args.clusters}", file=sys.stderr)
        return 2
    clusters = load(args.clusters, args.limit)
    results = {name: evaluate(clusters, system, args.max_words) for name, system in SYSTEMS.items()}
    ours = results["newsdesk extractive"]
    print(f"{len(clusters)} clusters, lead+body cap {args.max_words} words, ROUGE F1 (stemmed)")
    print(
        f"{'system':<22} {'R-1':>6} {'R-2':>6} {'R-L':>6} {'words':>6} {'stories/s':>10} "
        f"{'/CPU-s':>7} {'repeats':>7}  ratio R-1/R-2 (newsdesk/system)"
    )
    for name, r in results.items():
        ratio = (
            ""
            if r is ours
            else f"  {ours['rouge1'] / r['rouge1']:.3f} / {ours['rouge2'] / r['rouge2']:.3f}"
        )
        print(
            f"{name:<22} {r['rouge1']:6.2f} {r['rouge2']:6.2f} {r['rougeL']:6.2f} "
            f"{r['words']:6.1f} {r['stories_per_s']:10.1f} {r['stories_per_cpu_s']:7.1f} "
            f"{r['repeats']:7.1f}{ratio}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
