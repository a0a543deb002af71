"""Memory and time for one very large page: peak RSS and seconds of ``newsdesk.extract``
against trafilatura (the anchor) on the same page, each in a fresh process.

The pages are made here from a real article (the first page of
``../shared/bench/extraction/scrapinghub/html``) padded to ``--mb`` megabytes in the three
ways large pages are large in the wild:

- ``scripts``: inline ``<script>`` and ``<style>`` (bundled JavaScript, CSS) around the article;
- ``attributes``: ``data:`` URI images and a huge ``data-state`` JSON attribute;
- ``comments``: the article followed by thousands of visible reader comments;
- ``text``: the same as flattened page text (``--input-format text``); trafilatura takes no
  flattened text, so this case has no anchor.

The size cap is raised to fit (``max_bytes``), as a user reading such pages would.
Each case runs in a child process that imports everything first, records its RSS, then
extracts once; the figures are the child's peak RSS, the peak it had before
extracting, and the extraction's wall time (peaks from /proc/self/status VmHWM, Linux).

    python bench/page_memory.py [--mb 30] [--only scripts|attributes|comments]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

HTML = Path(__file__).resolve().parents[1].parent / "shared" / "bench" / "extraction"
SCRAPINGHUB = HTML / "scrapinghub" / "html"
CASES = ("scripts", "attributes", "comments", "text")

CHILD = r"""
import json, sys, time
from pathlib import Path


def high_water_mb():
    # VmHWM starts afresh at exec (ru_maxrss would carry the parent's peak over).
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024

kind, path = sys.argv[1], sys.argv[2]
data = Path(path).read_bytes()
if kind == "newsdesk":
    from newsdesk.extract import extract
    import newsdesk.extract.html, newsdesk.extract.metadata  # imports not counted in time
    fmt = "text" if path.endswith(".txt") else "auto"
    run = lambda: len(
        "\n".join(extract(data, max_bytes=len(data) + 1, input_format=fmt).paragraphs)
    )
else:
    import trafilatura
    run = lambda: len(trafilatura.extract(data) or "")
before = high_water_mb()
start = time.perf_counter()
chars = run()
seconds = time.perf_counter() - start
peak = high_water_mb()
print(json.dumps({"seconds": seconds, "before_mb": before, "peak_mb": peak,
                  "chars": chars}))
"""


def base_article() -> str:
    first = sorted(SCRAPINGHUB.glob("*.html.gz"))[0]
    return gzip.decompress(first.read_bytes()).decode("utf-8", "replace")


def padded(kind: str, article: str, size: int) -> str:
    """``article`` with ``size`` bytes of the kind of padding ``kind`` names."""
    rng = random.Random(7)
    words = [
        "the",
        "a",
        "of",
        "to",
        "and",
        "in",
        "council",
        "minister",
        "report",
        "said",
        "city",
        "water",
        "plan",
        "year",
    ]
    head, _, rest = article.partition("</head>")
    body_at = rest.find(">", rest.lower().find("<body")) + 1
    body_open, body = rest[:body_at], rest[body_at:]
    chunks: list[str] = []
    filled = 0
    while filled < size:
        if kind == "scripts":
            code = "".join(
                f"var v{i}=function(a){{return a*{rng.randrange(999)}+'{rng.random()}';}};"
                for i in range(4000)
            )
            chunk = f"<script>{code}</script><style>.c{filled}{{color:#{rng.randrange(4096):03x}}}</style>"
        elif kind == "attributes":
            blob = "".join(rng.choices("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef0123456789+/", k=200_000))
            state = json.dumps({"items": [blob[i : i + 100] for i in range(0, 100_000, 100)]})
            chunk = (
                f'<img alt="" src="data:image/png;base64,{blob}"><div data-state=\'{state}\'></div>'
            )
        else:
            text = " ".join(rng.choices(words, k=60))
            chunk = (
                f'<div class="comment"><span class="user">reader{filled}</span>'
                f"<p>{text.capitalize()}.</p></div>"
            )
        chunks.append(chunk)
        filled += len(chunk)
    padding = "".join(chunks)
    if kind == "text":
        import trafilatura

        lines = (trafilatura.extract(article) or "").split("\n") + [
            f"reader{i}\n{' '.join(rng.choices(words, k=60)).capitalize()}."
            for i in range(size // 300)
        ]
        return "\n\n".join(lines)[:size]
    if kind == "comments":
        return head + "</head>" + body_open + body.replace("</body>", padding + "</body>", 1)
    return head + padding[: size // 2] + "</head>" + body_open + padding[size // 2 :] + body


def measure(who: str, path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, who, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=30.0, help="page size in megabytes")
    parser.add_argument("--only", choices=CASES)
    args = parser.parse_args()
    article = base_article()
    print(
        f"{'page':<11} {'MB':>5}  {'who':<11} {'seconds':>8} {'RSS before':>11} "
        f"{'peak RSS':>9} {'added':>7} {'chars':>7}"
    )
    with tempfile.TemporaryDirectory() as folder:
        for kind in [args.only] if args.only else CASES:
            page = padded(kind, article, int(args.mb * 1024 * 1024))
            path = Path(folder) / f"{kind}.{'txt' if kind == 'text' else 'html'}"
            path.write_text(page, encoding="utf-8")
            size = path.stat().st_size / 1024 / 1024
            for who in ("newsdesk",) if kind == "text" else ("newsdesk", "trafilatura"):
                r = measure(who, path)
                print(
                    f"{kind:<11} {size:5.1f}  {who:<11} {r['seconds']:8.2f} "
                    f"{r['before_mb']:9.0f}MB {r['peak_mb']:7.0f}MB "
                    f"{r['peak_mb'] - r['before_mb']:5.0f}MB {r['chars']:7d}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
