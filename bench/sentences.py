"""The writer's reading of sentences on the bench corpora, printed to compare two trees.

A change to what counts as a reporting sentence (``write.sentences.article_sentences``:
datelines, captions, notices, calls to action) or to how a headline is cut from a lead
(``write.headline.headline_from_sentence``) moves few sentences among tens of thousands;
this prints every one, so ``diff`` shows exactly which moved. Corpora (read in place, never
copied): the Wikinews articles and their sources, the pooled Multi-News articles and the Multi-News synthesis
clusters, the CLIFF documents, and the extraction pages (scrapinghub HTML, fundus-dev HTML,
flattened text) as the extractor reads them.

    python bench/sentences.py > after.txt
    PYTHONPATH=<other tree>/src python bench/sentences.py > before.txt
    diff before.txt after.txt
    python bench/sentences.py --headlines   # the cut of each document's first sentence
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from newsdesk.extract import extract
from newsdesk.write.headline import MAX_CUT_WORDS, headline_from_sentence
from newsdesk.write.sentences import article_sentences

BENCH = Path(__file__).resolve().parents[1].parent / "shared" / "bench"


def _paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n\n") if p.strip()]


def documents() -> Iterator[list[str]]:
    """Each document's paragraphs, in a fixed order."""
    wikinews = BENCH / "synthesis" / "wikinewssum-dev" / "articles.jsonl"
    if wikinews.exists():
        for line in wikinews.open(encoding="utf-8"):
            record = json.loads(line)
            yield record.get("article") or []
            for source in record.get("sources") or []:  # the outlets' texts, a line each
                yield [p for p in (source.get("text") or "").split("\n") if p.strip()]
    pooled = BENCH / "clustering" / "multinews-longbench-pooled" / "articles.jsonl"
    if pooled.exists():
        for line in pooled.open(encoding="utf-8"):
            yield _paragraphs(json.loads(line)["text"])
    cliff = BENCH / "factuality" / "cliff-dev" / "cases.jsonl"
    if cliff.exists():
        seen: set[str] = set()
        for line in cliff.open(encoding="utf-8"):
            doc = json.loads(line)["doc"]
            if doc not in seen:
                seen.add(doc)
                yield [doc]
    clusters = BENCH / "synthesis" / "multinews-longbench" / "clusters.jsonl"
    if clusters.exists():
        for line in clusters.open(encoding="utf-8"):
            for doc in json.loads(line)["documents"]:
                yield _paragraphs(doc["text"])
    extraction = BENCH / "extraction"
    pages = sorted((extraction / "scrapinghub" / "html").glob("*.gz"))
    pages += sorted((extraction / "fundus-dev" / "html").glob("*"))
    for path in pages:
        data = path.read_bytes()
        yield _extracted(gzip.decompress(data) if path.suffix == ".gz" else data, "html")
    for path in sorted((extraction / "textdump").glob("*.txt")):
        yield _extracted(path.read_bytes(), "text")


def _extracted(page: bytes, input_format: str) -> list[str]:
    try:
        return list(extract(page, input_format=input_format).paragraphs)  # type: ignore[arg-type]
    except Exception:  # a page that is no article has no sentences to print
        return []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--headlines", action="store_true", help="each document's first sentence, cut"
    )
    args = parser.parse_args()
    if not BENCH.exists():
        raise SystemExit(f"benchmark data not found under {BENCH}")
    count = documents_read = 0
    for index, paragraphs in enumerate(documents()):
        documents_read += 1
        sentences = article_sentences(tuple(paragraphs), index)
        if args.headlines:
            if sentences:
                for limit in (MAX_CUT_WORDS, 5):
                    cut = headline_from_sentence(sentences[0].text, limit)
                    print(f"{index}\t{limit}\t{cut}")
                    count += 1
            continue
        for sentence in sentences:
            print(f"{index}\t{sentence.text}")
            count += 1
    print(f"# {documents_read} documents, {count} lines", file=sys.stderr)


if __name__ == "__main__":
    main()
