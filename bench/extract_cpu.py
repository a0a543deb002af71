"""CPU time of extraction itself: ``newsdesk.extract`` in one process, warm, per page.

The whole-process comparison (``bench/speed.py --only extract``) adds start-up, reading and
writing, and moves with the machine's load; this measures only the library call, by this
process's CPU time, on the real pages of ``../shared/bench/extraction`` (the 92 scrapinghub
HTML pages and the 127 fundus-dev pages; ``--text``: the 92 flattened scrapinghub pages).
One pass first warms what a process loads once (lingua's models, caches); then the best of
``--passes`` passes is reported. ``--profile N`` prints the N functions with the most own
time (cProfile) over one more pass.

    python bench/extract_cpu.py [--passes 5] [--text] [--profile 25]
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import pstats
import time
from pathlib import Path

from newsdesk.extract import extract

BENCH = Path(__file__).resolve().parents[1].parent / "shared" / "bench" / "extraction"


def html_pages() -> list[bytes]:
    pages = [gzip.decompress(p.read_bytes()) for p in sorted(BENCH.glob("scrapinghub/html/*.gz"))]
    for path in sorted(BENCH.glob("fundus-dev/html/*")):
        data = path.read_bytes()
        pages.append(gzip.decompress(data) if path.suffix == ".gz" else data)
    return pages


def text_pages() -> list[bytes]:
    return [p.read_bytes() for p in sorted(BENCH.glob("textdump/*.txt"))]


def one_pass(pages: list[bytes], input_format: str) -> int:
    """Extract every page; the number read into an article."""
    read = 0
    for page in pages:
        try:
            extract(page, input_format=input_format)  # type: ignore[arg-type]
            read += 1
        except Exception:  # pages that are no article count in the time all the same
            continue
    return read


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--text", action="store_true", help="the flattened text pages")
    parser.add_argument("--profile", type=int, default=0, help="print the N costliest functions")
    args = parser.parse_args()
    input_format = "text" if args.text else "html"
    pages = text_pages() if args.text else html_pages()
    if not pages:
        raise SystemExit(f"benchmark data not found under {BENCH}")
    read = one_pass(pages, input_format)  # warm-up
    times = []
    for _ in range(args.passes):
        started = time.process_time()
        one_pass(pages, input_format)
        times.append(time.process_time() - started)
    best = min(times)
    print(
        f"{len(pages)} {input_format} pages ({read} read into articles): best of {args.passes} "
        f"passes {best:.3f} CPU s, {1000 * best / len(pages):.2f} ms a page "
        f"(slowest pass {1000 * max(times) / len(pages):.2f} ms)"
    )
    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(one_pass, pages, input_format)
        pstats.Stats(profile).sort_stats("tottime").print_stats(args.profile)


if __name__ == "__main__":
    main()
