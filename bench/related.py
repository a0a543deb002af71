"""Benchmark: earlier coverage (newsdesk.cluster.related) on labelled real stories.

    python bench/related.py              # Multi-News (3 date draws) and UCI
    python bench/related.py --seeds 1    # one draw

Data (read-only, never copied into the repo): ../shared/bench/
- synthesis/multinews-longbench/clusters.jsonl: 116 clusters of full articles, no dates.
  Every cluster becomes a story dated by a seeded draw over five weeks; four labelled pairs
  report one subject at two moments and are placed in order, the earlier two days first:
  the Mali coup and its aftermath, O. J. Simpson's parole hearing (the day before, the
  day), the Nunes memo (the vote to release it, its release), MH370 (a ping, a search
  method). Labels come from reading the 116 reference summaries; the other clusters hold
  no second report of the same subject that we found, so anything else returned counts as
  wrong (some of it is arguably related: it is printed, judge it).
- clustering/uci-news-aggregator/articles.csv: headline-only articles with gold STORY ids
  over two days. Labelled related pairs (from reading every story's titles): the two GM
  recall probe stories; the three US stock market stories; the two Comcast stories.

For every story, the finder is asked for earlier coverage (defaults: 30-day window, 3
articles at most, one per earlier story). Precision: returned articles whose story is
labelled related to the asked one. Recall: labelled pairs whose earlier story was found.

Anchor, measured in the same run: plain scikit-learn TF-IDF (English stop words, fitted on
the window's articles, title + full text), story centroid cosine, the same window,
threshold (0.3), limit and one article per story; no name gate, no boilerplate handling.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from newsdesk.cluster.related import CoverageSettings
from newsdesk.model import Article, Story
from newsdesk.pipeline.coverage import EarlierCoverage
from newsdesk.store import Store
from newsdesk.text.dates import epoch_seconds, iso_from_epoch

BENCH = Path(__file__).resolve().parents[1].parent / "shared" / "bench"
CLUSTERS = BENCH / "synthesis" / "multinews-longbench" / "clusters.jsonl"
UCI = BENCH / "clustering" / "uci-news-aggregator" / "articles.csv"
START = datetime(2026, 3, 2, 8, tzinfo=UTC)

# (earlier, later) cluster id prefixes.
MULTINEWS_PAIRS = [
    ("b098061a", "5021490f"),  # Mali coup -> aftermath
    ("e9aca7cf", "60497232"),  # OJ parole hearing: the day before -> the hearing
    ("896ac529", "04ee1033"),  # House votes to release the memo -> memo released
    ("b4edb673", "23464921"),  # MH370: a ping -> a search method
]
# Related UCI stories (id prefixes); any two of one group are related.
UCI_GROUPS = [
    {"d6oHu5Pf", "d9U18-Fb"},  # GM recall probes
    {"dchKRTV8", "dJbOm1zH", "d-hjSD-D"},  # US stock market days
    {"d3kXivnx", "dwKImS3h"},  # Comcast (House of Cards deal; Time Warner Cable merger)
]


def anchor_find(store: Store, story: Story, s: CoverageSettings) -> list[tuple[Article, float]]:
    """Plain TF-IDF centroid cosine over the same window (the baseline)."""
    own = store.get_articles(story.article_ids)
    start = epoch_seconds(story.first_seen)
    if start is None or not own:
        return []
    window = store.list_stories(
        limit=s.max_stories,
        since=iso_from_epoch(start - s.max_age_days * 86_400),
        until=iso_from_epoch(start),
    )
    others = []
    for other in window:
        if other.id == story.id:
            continue
        members = [
            a
            for a in store.get_articles(other.article_ids)
            if a.published and (epoch_seconds(a.published) or start) < start
        ]
        if members:
            others.append(members)
    if not others:
        return []
    docs = [f"{a.title}\n{a.text}" for a in own] + [
        f"{a.title}\n{a.text}" for m in others for a in m
    ]
    rows = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(docs)
    bounds = np.cumsum([0, len(own), *(len(m) for m in others)])

    def centroid(k: int) -> np.ndarray:
        mean = np.asarray(rows[bounds[k] : bounds[k + 1]].mean(axis=0)).ravel()
        return mean / (np.linalg.norm(mean) or 1.0)

    mine = centroid(0)
    scored = sorted(((float(centroid(k + 1) @ mine), k) for k in range(len(others))), reverse=True)
    out = []
    for score, k in scored:
        if score < s.min_similarity or len(out) >= s.limit:
            break
        block = rows[bounds[k + 1] : bounds[k + 2]]
        best = int(np.argmax(np.asarray(block @ mine).ravel()))
        out.append((others[k][best], score))
    return out


def multinews_store(path: Path, seed: int) -> tuple[Store, dict[str, str]]:
    draw = random.Random(seed)
    clusters = [json.loads(line) for line in CLUSTERS.open(encoding="utf-8")]
    days = {c["id"][:8]: draw.randrange(0, 35) for c in clusters}
    for earlier, later in MULTINEWS_PAIRS:
        days[later] = days[earlier] + 2
    store = Store(path)
    story_of: dict[str, str] = {}
    for cluster in clusters:
        prefix = cluster["id"][:8]
        articles = []
        for k, doc in enumerate(cluster["documents"]):
            paragraphs = [p.strip() for p in re.split(r"\n\s*\n", doc["text"]) if p.strip()]
            if doc.get("boilerplate") or not paragraphs:
                continue
            published = START + timedelta(days=days[prefix], hours=k)
            articles.append(
                Article.create(
                    url=f"https://news.example/{prefix}/{k}",
                    title="",
                    paragraphs=paragraphs,
                    published=published.isoformat(),
                )
            )
        if articles:
            store.add_articles(articles)
            store.save_story(Story(id=prefix, article_ids=tuple(a.id for a in articles)))
            story_of.update((a.id, prefix) for a in articles)
    return store, story_of


def uci_store(path: Path) -> tuple[Store, dict[str, str]]:
    store = Store(path)
    members: dict[str, list[str]] = defaultdict(list)
    articles = []
    with UCI.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            published = datetime.fromtimestamp(int(row["TIMESTAMP"]) / 1000, UTC).isoformat()
            article = Article(
                id=f"uci-{row['ID']}",
                url=row["URL"],
                title=row["TITLE"],
                paragraphs=(),
                site_name=row["PUBLISHER"],
                published=published,
            )
            articles.append(article)
            members[row["STORY"]].append(article.id)
    store.add_articles(articles)
    for story_id, ids in members.items():
        store.save_story(Story(id=story_id, article_ids=tuple(ids)))
    story_of = {a: s[:8] for s, ids in members.items() for a in ids}
    return store, story_of


def evaluate(store: Store, story_of: dict[str, str], related, pairs, find) -> dict:
    returned = correct = 0
    found_pairs: set[tuple[str, str]] = set()
    wrong: list[str] = []
    seconds = 0.0
    for story in store.list_stories(limit=None):
        asked = story.id[:8]
        began = time.perf_counter()
        results = find(story)
        seconds += time.perf_counter() - began
        for article, score in results:
            got = story_of[article.id]
            returned += 1
            if related(asked, got):
                correct += 1
                found_pairs.add((got, asked))
            else:
                wrong.append(f"{asked}->{got} ({score:.2f})")
    recall = sum(1 for p in pairs if p in found_pairs)
    return {
        "returned": returned,
        "correct": correct,
        "recall": recall,
        "pairs": len(pairs),
        "seconds": seconds,
        "wrong": wrong,
        "missed": [f"{a}->{b}" for a, b in pairs if (a, b) not in found_pairs],
    }


def row(name: str, ours: dict, anchor: dict) -> str:
    def p(r: dict) -> str:
        return f"{r['correct'] / r['returned']:.2f}" if r["returned"] else "n/a"

    return (
        f"| {name} | {ours['returned']} | {p(ours)} | {ours['recall']}/{ours['pairs']} "
        f"| {anchor['returned']} | {p(anchor)} | {anchor['recall']}/{anchor['pairs']} "
        f"| {ours['seconds']:.1f} / {anchor['seconds']:.1f} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    if not CLUSTERS.exists() or not UCI.exists():
        print(f"shared data not found under {BENCH}", file=sys.stderr)
        return 2
    settings = CoverageSettings()
    print(
        "| data | ours: returned | ours: precision | ours: pairs found "
        "| anchor: returned | anchor: precision | anchor: pairs found | seconds (ours / anchor) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    pair_set = {(a, b) for a, b in MULTINEWS_PAIRS}
    wrong_lines: list[str] = []
    missed_lines: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(args.seeds):
            store, story_of = multinews_store(Path(tmp) / f"mn{seed}.db", seed)
            finder = EarlierCoverage(store, settings)

            def related(asked: str, got: str) -> bool:
                return (got, asked) in pair_set

            ours = evaluate(store, story_of, related, MULTINEWS_PAIRS, finder.find_scored)
            anchor = evaluate(
                store,
                story_of,
                related,
                MULTINEWS_PAIRS,
                lambda s, store=store: anchor_find(store, s, settings),
            )
            print(row(f"Multi-News, date draw {seed}", ours, anchor))
            wrong_lines.append(f"draw {seed}: ours {ours['wrong']}; anchor {anchor['wrong']}")
            missed_lines.append(f"draw {seed}: ours {ours['missed']}; anchor {anchor['missed']}")
            store.close()
        store, story_of = uci_store(Path(tmp) / "uci.db")
        finder = EarlierCoverage(store, settings)
        uci_pairs = []
        listed = store.list_stories(limit=None)  # read once, not once per story of a group
        for group in UCI_GROUPS:
            dated = sorted(
                group,
                key=lambda p: min(
                    epoch_seconds(s.first_seen) or 0 for s in listed if s.id.startswith(p)
                ),
            )
            uci_pairs += [(a, b) for i, a in enumerate(dated) for b in dated[i + 1 :]]

        def uci_related(asked: str, got: str) -> bool:
            return any(asked in g and got in g for g in UCI_GROUPS)

        ours = evaluate(store, story_of, uci_related, uci_pairs, finder.find_scored)
        anchor = evaluate(
            store, story_of, uci_related, uci_pairs, lambda s: anchor_find(store, s, settings)
        )
        print(row("UCI headlines", ours, anchor))
        wrong_lines.append(f"UCI: ours {ours['wrong']}; anchor {anchor['wrong']}")
        missed_lines.append(f"UCI: ours {ours['missed']}; anchor {anchor['missed']}")
        store.close()
    print()
    print("Returned but not labelled related (asked -> returned (similarity)):")
    for line in wrong_lines:
        print("-", line)
    print("Labelled pairs not found (earlier -> later):")
    for line in missed_lines:
        print("-", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
