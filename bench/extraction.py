"""Extraction benchmark: newsdesk vs trafilatura on the scrapinghub article pages.

Runs ``newsdesk.extract`` and trafilatura (``favor_precision=True``,
``include_comments=False``: comments are not the article) side by side, in one
process, on both inputs of ``../shared/bench/extraction``:

- ``html``: the 92 pages ``scrapinghub/html/<id>.html.gz``;
- ``text``: the same pages flattened to text, ``textdump/<id>.txt``. newsdesk reads them
  with ``input_format="text"``; trafilatura is given each line wrapped in ``<p>`` inside a
  minimal ``<html><body>`` (it has no text mode), so it only sees line boundaries;
- ``fundus``: the real pages of ``fundus-dev/`` (many outlets and countries) with the title,
  authors, publishing date and paragraphs that the fundus project's per-site parsers
  return. Body P/R/F1 as above (paragraphs joined), plus the share of pages whose title
  matches exactly (Unicode NFKC, soft hyphens and runs of spaces aside), whose publishing
  date is the same calendar day (ours read in the truth's offset when both carry one;
  "time" also asks the same minute where both give a time), and whose authors are the same
  set of names (case aside). trafilatura is run once per page with its metadata
  (``bare_extraction``, same settings).

Scores use the benchmark's own metric (``evaluate.py`` of
github.com/scrapinghub/article-extraction-benchmark): ``\\w+`` tokens, overlapping 4-token
shingles as multisets, per-page TP/FP/FN; precision and recall are the means of the
per-page values, F1 the harmonic mean of those two means; accuracy is the share of pages
whose token sequence matches exactly.

    python bench/extraction.py [--input html|text|fundus|both|all] [--worst N] [--ids ID ...]
    python bench/extraction.py --input fundus --misses     # list every metadata miss

Pages/s is given by wall clock and by this process's CPU time; the tools run
interleaved page by page, so the ratios hold even on a busy machine.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import html as html_lib
import json
import re
import statistics
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1].parent / "shared" / "bench" / "extraction"
_TOKEN_RE = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)


# --- The metric (a faithful port of the benchmark's evaluate.py) -------------------------


def tokenize(text: str | None) -> list[str]:
    return _TOKEN_RE.findall(text or "")


def shingles(text: str | None, n: int = 4) -> Counter[tuple[str, ...]]:
    """Overlapping n-token shingles as a multiset (a text shorter than n is one shingle)."""
    tokens = tokenize(text)
    grams = (tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)))
    return Counter(g for g in grams if g)


def shingle_matching(true: str, pred: str, n: int = 4) -> tuple[float, float, float]:
    """Per-page (TP, FP, FN), normalised by TP+FP+FN so every page weighs the same."""
    t, p = shingles(true, n), shingles(pred, n)
    tp = float(sum((t & p).values()))
    fp = float(sum((p - t).values()))
    fn = float(sum((t - p).values()))
    total = tp + fp + fn
    if total > 0:
        return tp / total, fp / total, fn / total
    return tp, fp, fn


def precision_score(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def recall_score(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def page_f1(true: str, pred: str) -> float:
    """One page's F1 from its precision and recall (handy for per-page test floors)."""
    tp, fp, fn = shingle_matching(true, pred)
    p, r = precision_score(tp, fp, fn), recall_score(tp, fp, fn)
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    accuracy: float


def score(pairs: Iterable[tuple[str, str]]) -> Scores:
    """Benchmark scores over (true, pred) pairs, exactly as evaluate.py computes them."""
    counts: list[tuple[float, float, float]] = []
    accuracies: list[float] = []
    for true, pred in pairs:
        counts.append(shingle_matching(true, pred))
        accuracies.append(float(tokenize(true) == tokenize(pred)))
    precision = statistics.mean([precision_score(*c) for c in counts if c[0] + c[1] > 0] or [0.0])
    recall = statistics.mean([recall_score(*c) for c in counts if c[0] + c[2] > 0] or [0.0])
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1, statistics.mean(accuracies))


# --- Loading the pages ---------------------------------------------------------------


def load_truth() -> dict[str, str]:
    data = json.loads((BENCH / "scrapinghub" / "ground-truth.json").read_text("utf-8"))
    return {page_id: item.get("articleBody", "") for page_id, item in data.items()}


def load_html(page_id: str) -> bytes:
    return gzip.decompress((BENCH / "scrapinghub" / "html" / f"{page_id}.html.gz").read_bytes())


def load_text(page_id: str) -> bytes:
    return (BENCH / "textdump" / f"{page_id}.txt").read_bytes()


# --- The tools -----------------------------------------------------------------------


def newsdesk_html(content: bytes) -> str:
    from newsdesk import extract

    return extract(content, input_format="html").text


def newsdesk_text(content: bytes) -> str:
    from newsdesk import extract

    return extract(content, input_format="text").text


def trafilatura_html(content: bytes) -> str:
    import trafilatura

    html = content.decode("utf-8", "replace")
    return trafilatura.extract(html, favor_precision=True, include_comments=False) or ""


def trafilatura_text(content: bytes) -> str:
    import trafilatura

    lines = content.decode("utf-8").splitlines()
    body = "".join(f"<p>{html_lib.escape(line)}</p>" for line in lines if line.strip())
    page = f"<html><body>{body}</body></html>"
    return trafilatura.extract(page, favor_precision=True, include_comments=False) or ""


@dataclass(frozen=True)
class Run:
    scores: Scores
    pages_per_s: float  # wall clock
    pages_per_cpu_s: float  # this process's CPU time: steadier on a shared machine
    per_page: dict[str, float]  # page id -> page F1
    failures: int


def run_tools(
    tools: dict[str, Callable[[bytes], str]],
    loader: Callable[[str], bytes],
    ids: list[str],
    truth: dict[str, str],
) -> dict[str, Run]:
    """Run every tool on every page, interleaved page by page so that load from other
    processes hits all tools alike."""
    contents = {page_id: loader(page_id) for page_id in ids}  # read outside the timers
    preds: dict[str, dict[str, str]] = {name: {} for name in tools}
    wall = dict.fromkeys(tools, 0.0)
    cpu = dict.fromkeys(tools, 0.0)
    failures = dict.fromkeys(tools, 0)
    for page_id in ids:
        for name, predict in tools.items():
            w0, c0 = time.perf_counter(), time.process_time()
            try:
                pred = predict(contents[page_id])
            except Exception:  # a refused page scores as an empty prediction
                pred = ""
                failures[name] += 1
            wall[name] += time.perf_counter() - w0
            cpu[name] += time.process_time() - c0
            preds[name][page_id] = pred
    runs = {}
    for name in tools:
        p = preds[name]
        runs[name] = Run(
            score((truth[i], p[i]) for i in ids),
            len(ids) / max(wall[name], 1e-9),
            len(ids) / max(cpu[name], 1e-9),
            {i: page_f1(truth[i], p[i]) for i in ids},
            failures[name],
        )
    return runs


# --- fundus-dev: body, title, date and authors against a peer's per-site parsers ---------


@dataclass(frozen=True)
class Case:
    file: str
    url: str
    title: str
    authors: tuple[str, ...]
    published: str | None
    body: str


@dataclass(frozen=True)
class Reading:
    """What a tool read from one page: body text and the three metadata fields."""

    body: str
    title: str
    authors: tuple[str, ...]
    published: str | None


def load_fundus_cases() -> list[Case]:
    cases = []
    with (BENCH / "fundus-dev" / "cases.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            item = json.loads(line)
            cases.append(
                Case(
                    item["file"],
                    item.get("url") or "",
                    item.get("title") or "",
                    tuple(item.get("authors") or ()),
                    item.get("published"),
                    "\n\n".join(item.get("paragraphs") or ()),
                )
            )
    return cases


def load_fundus_html(file: str) -> bytes:
    return gzip.decompress((BENCH / "fundus-dev" / "html" / file).read_bytes())


def newsdesk_reading(content: bytes, url: str) -> Reading:
    from newsdesk import extract

    article = extract(content, url=url or None, input_format="html")
    # ISO 8601, the date alone where the page gave only the date (not a midnight time).
    return Reading(article.text, article.title, tuple(article.authors), article.published_iso)


def trafilatura_reading(content: bytes, url: str) -> Reading:
    import trafilatura

    html = content.decode("utf-8", "replace")
    doc = trafilatura.bare_extraction(
        html, url=url or None, favor_precision=True, include_comments=False, with_metadata=True
    )
    if doc is None:
        return Reading("", "", (), None)
    authors = tuple(a.strip() for a in (doc.author or "").split(";") if a.strip())
    return Reading(doc.text or "", doc.title or "", authors, doc.date)


_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)


def same_title(true: str, pred: str) -> bool:
    def norm(text: str) -> str:
        text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
        return re.sub(r"\s+", " ", text).strip()

    return norm(true) == norm(pred)


def same_authors(true: tuple[str, ...], pred: tuple[str, ...]) -> bool:
    def norm(names: tuple[str, ...]) -> set[str]:
        return {
            re.sub(r"\s+", " ", unicodedata.normalize("NFKC", n)).strip().casefold() for n in names
        }

    return norm(true) == norm(pred)


def _stamp(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def same_day(true: str | None, pred: str | None) -> bool:
    """The same calendar day; ours is read in the truth's offset when both carry one."""
    t, p = _stamp(true), _stamp(pred)
    if t is None or p is None:
        return t is None and p is None
    if t.tzinfo is not None and p.tzinfo is not None:
        p = p.astimezone(t.tzinfo)
    return t.date() == p.date()


def same_minute(true: str | None, pred: str | None) -> bool | None:
    """The same minute where both give a time (None where either gives only a date)."""
    t, p = _stamp(true), _stamp(pred)
    if t is None or p is None or len(pred or "") <= 10:
        return None
    if (t.tzinfo is None) != (p.tzinfo is None):
        t, p = t.replace(tzinfo=None), p.replace(tzinfo=None)
    return abs((t - p).total_seconds()) < 60


@dataclass(frozen=True)
class FundusRun:
    scores: Scores
    title: float
    date: float
    time: float  # share of same-minute among pages where ours gives a time
    timed: int  # how many pages ours gave a time for
    authors: float
    pages_per_s: float
    pages_per_cpu_s: float
    per_page: dict[str, float]
    readings: dict[str, Reading]
    failures: int


def run_fundus(
    tools: dict[str, Callable[[bytes, str], Reading]], cases: list[Case]
) -> dict[str, FundusRun]:
    """Every tool on every page, interleaved page by page as ``run_tools`` does."""
    contents = {c.file: load_fundus_html(c.file) for c in cases}
    readings: dict[str, dict[str, Reading]] = {name: {} for name in tools}
    wall = dict.fromkeys(tools, 0.0)
    cpu = dict.fromkeys(tools, 0.0)
    failures = dict.fromkeys(tools, 0)
    for case in cases:
        for name, read in tools.items():
            w0, c0 = time.perf_counter(), time.process_time()
            try:
                reading = read(contents[case.file], case.url)
            except Exception:  # a refused page scores as an empty reading
                reading = Reading("", "", (), None)
                failures[name] += 1
            wall[name] += time.perf_counter() - w0
            cpu[name] += time.process_time() - c0
            readings[name][case.file] = reading
    runs = {}
    for name in tools:
        got = readings[name]
        minutes = [same_minute(c.published, got[c.file].published) for c in cases]
        timed = [m for m in minutes if m is not None]
        runs[name] = FundusRun(
            score((c.body, got[c.file].body) for c in cases),
            statistics.mean(same_title(c.title, got[c.file].title) for c in cases),
            statistics.mean(same_day(c.published, got[c.file].published) for c in cases),
            statistics.mean(timed) if timed else 0.0,
            len(timed),
            statistics.mean(same_authors(c.authors, got[c.file].authors) for c in cases),
            len(cases) / max(wall[name], 1e-9),
            len(cases) / max(cpu[name], 1e-9),
            {c.file: page_f1(c.body, got[c.file].body) for c in cases},
            got,
            failures[name],
        )
    return runs


def fundus_report(args: argparse.Namespace) -> list[str]:
    cases = load_fundus_cases()
    if args.ids:
        cases = [c for c in cases if any(c.file.startswith(i) for i in args.ids)]
    tools: dict[str, Callable[[bytes, str], Reading]] = {"newsdesk": newsdesk_reading}
    if not args.no_anchor:
        tools["trafilatura"] = trafilatura_reading
    runs = run_fundus(tools, cases)
    out = [
        f"{len(cases)} pages from {BENCH / 'fundus-dev'}",
        f"{'tool':<12} {'prec':>6} {'recall':>6} {'F1':>7} {'title':>6} {'date':>6} "
        f"{'authors':>7} {'time':>11} {'pages/s':>8} {'pages/cpu-s':>11} {'fail':>4}",
    ]
    for name, r in runs.items():
        s = r.scores
        out.append(
            f"{name:<12} {s.precision:6.3f} {s.recall:6.3f} {s.f1:7.4f} {r.title:6.1%} "
            f"{r.date:6.1%} {r.authors:7.1%} {r.time:5.1%} of {r.timed:3d} "
            f"{r.pages_per_s:8.1f} {r.pages_per_cpu_s:11.1f} {r.failures:4d}"
        )
    ours = runs["newsdesk"]
    for file, f1 in sorted(ours.per_page.items(), key=lambda kv: kv[1])[: args.worst]:
        out.append(f"worst body (newsdesk): {file} F1 {f1:.3f}")
    if args.misses:
        for case in cases:
            got = ours.readings[case.file]
            if not same_title(case.title, got.title):
                out.append(f"title   {case.file}: {got.title!r} != {case.title!r}")
            if not same_day(case.published, got.published):
                out.append(f"date    {case.file}: {got.published!r} != {case.published!r}")
            if not same_authors(case.authors, got.authors):
                out.append(f"authors {case.file}: {list(got.authors)!r} != {list(case.authors)!r}")
    return out


def _warm_up() -> None:
    """Load lazy models (lingua, trafilatura's tables) before any timer starts."""
    from newsdesk import extract
    from newsdesk.text import language

    sample = "<html><body><article><p>" + "A warm-up sentence for the models. " * 20
    for fmt in ("html", "text"):
        with contextlib.suppress(Exception):
            extract(sample.encode(), input_format=fmt)  # type: ignore[arg-type]
    trafilatura_html(sample.encode())
    # lingua loads each script's language models on first use: load the common ones (the
    # detector itself: detect_language answers these from function words without it).
    detector = language._detector()
    for text in ("Ein kurzer Satz auf Deutsch für das Modell.", "Короткое предложение для модели."):
        detector.detect_language_of(text * 3)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--input",
        choices=["html", "text", "fundus", "both", "all"],
        default="all",
        help="both = html and text; all = html, text and fundus",
    )
    parser.add_argument("--worst", type=int, default=0, help="list our N worst pages")
    parser.add_argument("--ids", nargs="*", help="only these page ids")
    parser.add_argument("--no-anchor", action="store_true", help="skip trafilatura")
    parser.add_argument("--misses", action="store_true", help="fundus: list metadata misses")
    args = parser.parse_args(argv)
    if not (BENCH / "scrapinghub" / "ground-truth.json").exists():
        print(f"skipped: benchmark data not found at {BENCH} (../shared/bench is absent)")
        return 0
    truth = load_truth()
    ids = args.ids or sorted(truth)
    _warm_up()
    wanted = {"both": ["html", "text"], "all": ["html", "text", "fundus"]}
    inputs = wanted.get(args.input, [args.input])
    fundus = "fundus" in inputs
    inputs = [i for i in inputs if i != "fundus"]
    tools: dict[str, tuple[Callable[[bytes], str], Callable[[bytes], str], Callable]] = {
        "html": (newsdesk_html, trafilatura_html, load_html),
        "text": (newsdesk_text, trafilatura_text, load_text),
    }
    header = (
        f"{'input':<6} {'tool':<12} {'prec':>6} {'recall':>6} {'F1':>7} {'acc':>6} "
        f"{'pages/s':>8} {'pages/cpu-s':>11} {'fail':>4}"
    )
    rows: list[str] = []
    ratios: list[str] = []
    worst: list[str] = []
    for fmt in inputs:
        ours_fn, anchor_fn, loader = tools[fmt]
        contenders = {"newsdesk": ours_fn}
        if not args.no_anchor:
            contenders["trafilatura"] = anchor_fn
        runs = run_tools(contenders, loader, ids, truth)
        for name, r in runs.items():
            s = r.scores
            rows.append(
                f"{fmt:<6} {name:<12} {s.precision:6.3f} {s.recall:6.3f} {s.f1:7.4f} "
                f"{s.accuracy:6.3f} {r.pages_per_s:8.1f} {r.pages_per_cpu_s:11.1f} {r.failures:4d}"
            )
        ours = runs["newsdesk"]
        if "trafilatura" in runs:
            a = runs["trafilatura"]
            ratios.append(
                f"{fmt:<6} ours/trafilatura: F1 x{ours.scores.f1 / a.scores.f1:.3f}, "
                f"speed x{ours.pages_per_s / a.pages_per_s:.2f} (wall), "
                f"x{ours.pages_per_cpu_s / a.pages_per_cpu_s:.2f} (CPU)"
            )
        for page_id, f1 in sorted(ours.per_page.items(), key=lambda kv: kv[1])[: args.worst]:
            worst.append(f"{fmt:<6} {page_id[:16]} F1 {f1:.3f}")
    if inputs:
        print(f"{len(ids)} pages from {BENCH}")
        print(header)
        print("\n".join(rows))
    if ratios:
        print("\n".join(ratios))
    if worst:
        print("worst pages (newsdesk):")
        print("\n".join(worst))
    if fundus:
        if (BENCH / "fundus-dev" / "cases.jsonl").exists():
            print("\n".join(fundus_report(args)))
        else:
            print(f"fundus skipped: {BENCH / 'fundus-dev'} not found")
    return 0


if __name__ == "__main__":
    sys.exit(main())
