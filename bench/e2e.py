"""Benchmark: raw pages to stories through `newsdesk run`, beside `newsdesk cluster` on the same articles.

    python bench/e2e.py                       # both sets, every variant
    python bench/e2e.py --set wikinews        # one set
    python bench/e2e.py --variant html-dated  # one way of writing the pages
    python bench/e2e.py --ceilings            # and F1 bounds made with the gold, per run

Data (read-only, never copied into the repo): ../shared/bench/
- synthesis/wikinewssum-dev/articles.jsonl: real coverage. Each Wikinews article with the
  outlets' articles its reporters cited (English, Portuguese, German, Dutch, French...): the
  cited articles of one Wikinews article are one gold story.
- clustering/multinews-longbench-pooled/articles.jsonl (gold: the Multi-News cluster), with
  each cluster's human summary from synthesis/multinews-longbench/clusters.jsonl.

Each cited article is written as a page into a fresh folder, then `newsdesk run FOLDER`
(the command, in a subprocess) reads, extracts, clusters, writes and verifies it:
- html: an HTML page (title, canonical URL where known, language, paragraphs);
- text: flattened text (title line, then paragraphs), as a text dump gives it;
- dated / undated: with or without a publication date on the page. Wikinews-dev: the date
  of the Wikinews article (the event's day) on each of its sources, where it has one (about
  half do: the dated variant is a real mix of dated and undated pages). Multi-News has no
  dates: its "month" variant gives each cluster a random day of one month (its articles
  within two days of it), a synthetic stream to show that dates do not split stories.
Rows: BCubed P/R/F1 over every page (a page the extractor refuses scores as a story of its
own; a page stored as the same article as another, by canonical URL or text, scores in
that article's story), pages/s of the whole run (wall clock, process start included), stories, and ROUGE-1
F1 (rouge-score, stemmed) of each gold story's draft against the human article: the draft
of the story holding most of the gold story's pages, 0 when it has none; mean over gold
stories. Beside it, `newsdesk cluster` on the same articles as JSON lines (the text as the
pages hold it, dates as the variant), BCubed only. The anchor row is the pages' gold.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import html
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsdesk.cluster import bcubed

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "bench"
WIKINEWS = SHARED / "synthesis" / "wikinewssum-dev" / "articles.jsonl"
MULTINEWS = SHARED / "clustering" / "multinews-longbench-pooled" / "articles.jsonl"
MULTINEWS_SUMMARIES = SHARED / "synthesis" / "multinews-longbench" / "clusters.jsonl"


@dataclass(frozen=True)
class Doc:
    """One cited article: what a page shows of it, and its gold story."""

    key: str  # file name stem, unique
    story: str
    title: str
    paragraphs: tuple[str, ...]
    url: str | None
    language: str | None
    published: str | None  # ISO date, or None


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def load_wikinews(path: Path = WIKINEWS) -> tuple[list[Doc], dict[str, str]]:
    """The cited articles (gold: their Wikinews article) and each Wikinews article's text."""
    docs, references = [], {}
    for line in path.open(encoding="utf-8"):
        row = json.loads(line)
        article = row["article"]
        if isinstance(article, str):
            article = ast.literal_eval(article) if article.startswith("[") else [article]
        references[row["id"]] = "\n".join(article)
        day = None
        if row.get("date"):
            day = datetime.strptime(row["date"], "%B %d, %Y").date().isoformat()
        for n, source in enumerate(row["sources"]):
            paragraphs = _lines(source.get("text") or "")
            title = (source.get("title") or "").strip()
            if paragraphs and paragraphs[0] == title:
                paragraphs = paragraphs[1:]  # the text often starts with its title
            docs.append(
                Doc(
                    key=f"wn-{row['id']}-{n}",
                    story=row["id"],
                    title=title,
                    paragraphs=tuple(paragraphs),
                    url=source.get("url"),
                    language=source.get("language"),
                    published=day,
                )
            )
    return docs, references


def load_multinews(
    path: Path = MULTINEWS, summaries: Path = MULTINEWS_SUMMARIES
) -> tuple[list[Doc], dict[str, str]]:
    """The pooled Multi-News articles (boilerplate rows left out) and each cluster's summary."""
    docs = []
    for line in path.open(encoding="utf-8"):
        row = json.loads(line)
        if row.get("boilerplate"):
            continue
        key = "mn-" + row["id"].replace("#", "-")
        paragraphs = tuple(_lines(row["text"]))
        docs.append(Doc(key, row["cluster"], "", paragraphs, None, "en", None))
    wanted = {d.story for d in docs}
    references = {}
    for line in summaries.open(encoding="utf-8"):
        row = json.loads(line)
        if row["id"] in wanted:
            references[row["id"]] = row["summary"]
    return docs, references


def month_dates(docs: list[Doc], seed: int = 13) -> list[Doc]:
    """Each gold story on a random day of March 2019, its articles within two days of it."""
    rng = random.Random(seed)
    start = datetime(2019, 3, 1, tzinfo=UTC)
    day_of = {}
    out = []
    for doc in docs:
        if doc.story not in day_of:
            day_of[doc.story] = start + timedelta(days=rng.uniform(0, 30))
        when = day_of[doc.story] + timedelta(hours=rng.uniform(0, 48))
        out.append(_with_date(doc, when.isoformat(timespec="seconds")))
    return out


def _with_date(doc: Doc, published: str | None) -> Doc:
    return Doc(doc.key, doc.story, doc.title, doc.paragraphs, doc.url, doc.language, published)


def html_page(doc: Doc, dated: bool) -> str:
    head = [f"<title>{html.escape(doc.title)}</title>"] if doc.title else []
    if doc.url:
        head.append(f'<link rel="canonical" href="{html.escape(doc.url, quote=True)}">')
    if dated and doc.published:
        head.append(f'<meta property="article:published_time" content="{doc.published}">')
    body = [f"<h1>{html.escape(doc.title)}</h1>"] if doc.title else []
    body += [f"<p>{html.escape(p)}</p>" for p in doc.paragraphs]
    lang = f' lang="{doc.language}"' if doc.language else ""
    return (
        f"<!doctype html><html{lang}><head><meta charset=utf-8>{''.join(head)}</head>"
        f"<body><article>{''.join(body)}</article></body></html>\n"
    )


def text_page(doc: Doc, dated: bool) -> str:
    parts = [doc.title] if doc.title else []
    if dated and doc.published:
        parts.append(f"Published {doc.published[:10]}")
    parts += doc.paragraphs
    return "\n\n".join(parts) + "\n"


def cluster_line(doc: Doc, dated: bool) -> dict:
    row = {"id": doc.key, "title": doc.title, "text": "\n\n".join(doc.paragraphs)}
    if doc.url:
        row["url"] = doc.url
    if doc.language:
        row["language"] = doc.language
    if dated and doc.published:
        row["published"] = doc.published
    return row


def newsdesk(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    command = [sys.executable, "-m", "newsdesk", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False)


def run_pages(docs: list[Doc], fmt: str, dated: bool, work: Path) -> tuple[dict, float, dict]:
    """`newsdesk run` over the pages: {doc key: story id}, seconds, {story id: draft text}."""
    from newsdesk.store import open_store

    folder = work / f"pages-{fmt}-{dated}"
    folder.mkdir()
    for doc in docs:
        if fmt == "html":
            (folder / f"{doc.key}.html").write_text(html_page(doc, dated), encoding="utf-8")
        else:
            (folder / f"{doc.key}.txt").write_text(text_page(doc, dated), encoding="utf-8")
    db = work / f"run-{fmt}-{dated}.db"
    start = time.perf_counter()
    done = newsdesk("run", str(folder), "--db", str(db), "--out", str(work / f"site-{fmt}-{dated}"))
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"newsdesk run failed ({done.returncode}):\n{done.stderr[-3000:]}")
    predicted, drafts, story_of = {}, {}, {}
    article_of: dict[str, str] = {}  # page -> the article it is stored as
    with open_store(str(db)) as store:
        for story in store.list_stories(limit=None):
            for article in store.story_articles(story.id):
                key = Path(article.source or "").stem
                predicted[key] = story.id
                article_of[key] = article.id
                story_of[article.id] = story.id
        for stored in store.list_drafts():
            draft = stored.draft
            drafts[draft.story_id] = " ".join(s.text for s in draft.sentences())
    for doc in docs:
        if doc.key not in predicted:
            article_id = _article_of_page(folder, doc, fmt)
            article_of[doc.key] = article_id
            predicted[doc.key] = story_of.get(article_id, f"alone-{doc.key}")
    LAST_RUN_ARTICLES.clear()
    LAST_RUN_ARTICLES.update(article_of)
    return predicted, seconds, drafts


# The article each page of the last `run_pages` is stored as (``--ceilings`` reads it).
LAST_RUN_ARTICLES: dict[str, str] = {}


def _article_of_page(folder: Path, doc: Doc, fmt: str) -> str:
    """The article a page the store lists under another page's name is: a page that is the
    same article as an earlier one (same canonical URL, or the same text) is stored once,
    as that article, and so is in its story. A page the extractor refuses is its own."""
    from newsdesk.errors import InputError
    from newsdesk.extract import extract

    path = folder / f"{doc.key}.{'html' if fmt == 'html' else 'txt'}"
    try:
        return extract(path.read_text(encoding="utf-8"), source=str(path)).id
    except InputError:
        return f"alone-{doc.key}"


def ceilings(predicted: dict[str, str], gold: dict[str, str]) -> list[tuple[str, float]]:
    """BCubed F1 of stories built from the run's with the gold's help, bounds on what a
    better clusterer could reach on these pages (``--ceilings``):

    - one story per stored article: the gold stories, except that pages stored as one
      article (cited by two gold stories) share one, as the store must keep them;
    - split-offs placed: every page in the run's story that holds most of its gold story
      (the stories the run mixed stay mixed);
    - mixed stories split: each run story cut along the gold stories (the pages the run
      left out stay out).
    """
    article_of = LAST_RUN_ARTICLES
    parent: dict[str, str] = {}

    def root(label: str) -> str:
        while parent.get(label, label) != label:
            label = parent[label]
        return label

    first: dict[str, str] = {}
    for key, story in gold.items():
        article = article_of.get(key, key)
        if article in first and root(first[article]) != root(story):
            parent[root(story)] = root(first[article])
        first.setdefault(article, story)
    one_per_article = {key: root(story) for key, story in gold.items()}
    holding: dict[str, Counter] = {}
    for key, story in predicted.items():
        holding.setdefault(gold[key], Counter())[story] += 1
    placed = {key: holding[gold[key]].most_common(1)[0][0] for key in predicted}
    golds_of: dict[str, set[str]] = {}
    for key, story in predicted.items():
        golds_of.setdefault(story, set()).add(root(gold[key]))
    split = {
        key: story if len(golds_of[story]) == 1 else f"{story}-{root(gold[key])}"
        for key, story in predicted.items()
    }
    return [
        ("one story per stored article", bcubed(one_per_article, gold)[2]),
        ("split-offs placed", bcubed(placed, gold)[2]),
        ("mixed stories split", bcubed(split, gold)[2]),
    ]


def run_cluster(docs: list[Doc], dated: bool, work: Path) -> dict:
    lines = work / f"articles-{dated}.jsonl"
    with lines.open("w", encoding="utf-8") as handle:
        for doc in docs:
            handle.write(json.dumps(cluster_line(doc, dated), ensure_ascii=False) + "\n")
    done = newsdesk("cluster", str(lines), "--db", str(work / f"cluster-{dated}.db"))
    if done.returncode not in (0, 1):
        raise SystemExit(f"newsdesk cluster failed ({done.returncode}):\n{done.stderr[-3000:]}")
    predicted = {}
    for line in done.stdout.splitlines():
        row = json.loads(line)
        predicted[row["article_id"]] = row["story_id"] or f"alone-{row['article_id']}"
    return predicted


def rouge1(docs: list[Doc], predicted: dict, drafts: dict, references: dict[str, str]) -> float:
    """Mean ROUGE-1 F1 over gold stories of the draft of the story holding most of its pages."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1"], use_stemmer=True)
    by_story: dict[str, list[str]] = {}
    for doc in docs:
        by_story.setdefault(doc.story, []).append(predicted[doc.key])
    total = 0.0
    for story, stories in by_story.items():
        counts = Counter(s for s in stories if s in drafts)
        if counts and story in references:
            best = counts.most_common(1)[0][0]
            total += scorer.score(references[story], drafts[best])["rouge1"].fmeasure
    return total / len(by_story)


def evaluate(
    name: str,
    docs: list[Doc],
    references: dict,
    variants: list[str],
    work: Path,
    bounds: list[str] | None = None,
):
    """The table's rows; with ``bounds`` (a list), each run's ``ceilings`` appended to it."""
    gold = {doc.key: doc.story for doc in docs}
    rows = []
    for variant in variants:
        fmt, dating = variant.split("-")
        dated = dating != "undated"
        variant_docs = month_dates(docs) if dating == "month" else docs
        if dated and not any(d.published for d in variant_docs):
            continue
        predicted, seconds, drafts = run_pages(variant_docs, fmt, dated, work)
        p, r, f = bcubed(predicted, gold)
        stories = len(set(predicted.values()))
        rouge = rouge1(variant_docs, predicted, drafts, references)
        rows.append((name, f"run {variant}", p, r, f, len(docs) / seconds, stories, rouge))
        if bounds is not None:
            found = ", ".join(f"{label} {value:.3f}" for label, value in ceilings(predicted, gold))
            bounds.append(f"{name} run {variant}: F1 {f:.3f}; {found}")
        if fmt == "html":  # `cluster` reads articles, not pages: once per dating
            clustered = run_cluster(variant_docs, dated, work)
            p, r, f = bcubed(clustered, gold)
            label = f"cluster {dating}"
            rows.append((name, label, p, r, f, float("nan"), len(set(clustered.values())), None))
    return rows


def print_rows(rows) -> None:
    header = f"{'data':<10} {'path':<20} {'P':>6} {'R':>6} {'F1':>6} {'pages/s':>8} {'stories':>7} {'ROUGE-1':>7}"
    print(header)
    print("-" * len(header))
    for name, label, p, r, f, rate, stories, rouge in rows:
        speed = "" if rate != rate else f"{rate:8.1f}"
        score = "" if rouge is None else f"{rouge:7.3f}"
        print(
            f"{name:<10} {label:<20} {p:6.3f} {r:6.3f} {f:6.3f} {speed:>8} {stories:7d} {score:>7}"
        )


VARIANTS = ["html-dated", "html-undated", "text-dated", "text-undated", "html-month"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", choices=("wikinews", "multinews", "both"), default="both")
    parser.add_argument("--variant", action="append", choices=VARIANTS)
    parser.add_argument("--keep", type=Path, help="Keep the pages, stores and sites here.")
    parser.add_argument(
        "--ceilings",
        action="store_true",
        help="Also print, for each run, BCubed F1 bounds made with the gold (see ceilings).",
    )
    args = parser.parse_args(argv)
    if not SHARED.exists():
        print(f"benchmark data not found at {SHARED}", file=sys.stderr)
        return 2
    variants = args.variant or VARIANTS
    rows = []
    bounds: list[str] | None = [] if args.ceilings else None
    with tempfile.TemporaryDirectory(prefix="newsdesk-e2e-") as scratch:
        base = args.keep or Path(scratch)
        for name, loader in (("wikinews", load_wikinews), ("multinews", load_multinews)):
            if args.set not in (name, "both"):
                continue
            docs, references = loader()
            work = base / name
            work.mkdir(parents=True, exist_ok=False)
            wanted = [v for v in variants if not (name == "wikinews" and v.endswith("month"))]
            rows += evaluate(name, docs, references, wanted, work, bounds)
    print_rows(rows)
    if bounds:
        print("\nBounds made with the gold (BCubed F1; see bench/e2e.py ceilings):")
        for line in bounds:
            print(f"  {line}")
    digest = hashlib.sha1(Path(__file__).read_bytes()).hexdigest()[:8]
    print(f"(bench/e2e.py {digest}; {datetime.now(UTC):%Y-%m-%d %H:%M} UTC)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
