"""Quick iteration bench for the flattened-text reader on the extraction textdumps.

Scores ``newsdesk.extract(..., input_format="text")`` with the benchmark's own metric
(\\w+ tokens, 4-token shingle multisets, mean per-page precision/recall, F1 of the means)
beside two anchors measured in the same run: "keep lines of >= 15 words" and jusText
run over the lines wrapped as paragraphs.

    python bench/extraction_text.py [--worst N] [--ids ID ...]
"""

from __future__ import annotations

import argparse
import contextlib
import html
import importlib.util
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from newsdesk import extract
from newsdesk.errors import ExtractionError

BENCH = Path(__file__).resolve().parents[1].parent / "shared" / "bench" / "extraction"
_TOKEN = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text)
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)))


def page_scores(pred: str, truth: str) -> tuple[float, float]:
    """Per-page precision and recall as the benchmark defines them."""
    p, t = shingles(pred), shingles(truth)
    tp = sum((p & t).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    if not pred.strip() and not truth.strip():
        return 1.0, 1.0
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    return prec, rec


def run(name: str, predict: Callable[[str], str], ids: list[str], truth: dict) -> dict:
    precs, recs, per_page, times = [], [], {}, []
    texts = {i: (BENCH / "textdump" / f"{i}.txt").read_text(encoding="utf-8") for i in ids}
    with contextlib.suppress(ExtractionError):
        predict(texts[ids[0]])  # warm up: models and lists load on first use
    for page_id in ids:
        text = texts[page_id]
        start = time.perf_counter()
        try:
            pred = predict(text)
        except ExtractionError:
            pred = ""
        times.append(time.perf_counter() - start)
        p, r = page_scores(pred, truth[page_id]["articleBody"])
        precs.append(p)
        recs.append(r)
        per_page[page_id] = (p, r)
    mp, mr = statistics.mean(precs), statistics.mean(recs)
    f1 = 2 * mp * mr / (mp + mr) if mp + mr else 0.0
    return {
        "name": name,
        "p": mp,
        "r": mr,
        "f1": f1,
        "ms": 1000 * statistics.median(times),
        "pages": per_page,
    }


def ours(text: str) -> str:
    return extract(text, input_format="text").text


def long_lines(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if len(line.split()) >= 15)


def justext_lines(text: str) -> str:
    import justext

    markup = (
        "<html><body>"
        + "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())
        + "</body></html>"
    )
    paragraphs = justext.justext(markup.encode("utf-8"), justext.get_stoplist("English"))
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worst", type=int, default=0, help="list the N worst pages by F1")
    parser.add_argument("--ids", nargs="*", help="only these page ids")
    parser.add_argument("--no-anchors", action="store_true")
    args = parser.parse_args()
    truth = json.loads((BENCH / "scrapinghub" / "ground-truth.json").read_text(encoding="utf-8"))
    ids = args.ids or (BENCH / "dev.txt").read_text().split()
    runs = [run("newsdesk text", ours, ids, truth)]
    if not args.no_anchors:
        runs.append(run("lines >= 15 words", long_lines, ids, truth))
        if importlib.util.find_spec("justext"):
            runs.append(run("jusText (English stoplist)", justext_lines, ids, truth))
    best_anchor = max((r["f1"] for r in runs[1:]), default=0.0)
    print(f"{len(ids)} textdumps from {BENCH}")
    print(f"{'method':28} {'F1':>6} {'prec':>6} {'recall':>6} {'median ms':>9} {'F1 ratio':>9}")
    for r in runs:
        ratio = r["f1"] / best_anchor if best_anchor else float("nan")
        print(
            f"{r['name']:28} {r['f1']:6.3f} {r['p']:6.3f} {r['r']:6.3f} {r['ms']:9.1f} {ratio:9.2f}"
        )
    if args.worst:
        pages = runs[0]["pages"]

        def f1(pr: tuple[float, float]) -> float:
            return 2 * pr[0] * pr[1] / (pr[0] + pr[1]) if sum(pr) else 0.0

        for page_id in sorted(pages, key=lambda k: f1(pages[k]))[: args.worst]:
            p, r = pages[page_id]
            print(
                f"{page_id[:16]} F1 {f1((p, r)):.3f} P {p:.3f} R {r:.3f}  {truth[page_id]['url'][:70]}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
