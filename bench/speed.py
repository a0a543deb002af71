"""Speed benchmark: whole commands, as a user runs them, beside trafilatura in the same run.

Three tables, each command run as its own process (imports and start-up included):

``extract``  ``newsdesk extract DIR`` against ``trafilatura --input-dir DIR`` on the same
             HTML pages (the 92 scrapinghub and 127 fundus-dev pages, cycled to --pages
             under distinct names), the median of --rounds alternating rounds, and the
             start-up of each on one page (best of 5).
``e2e``      ``newsdesk run DIR`` from raw pages to the published site, fresh store, then the
             same command again (incremental: nothing changed), on N pages of HTML and of
             flattened text; pages/s, peak RSS (``/usr/bin/time``), the run's own time per
             stage where it reports one; the anchor is trafilatura's extraction alone of the
             same pages, in one process. ``--repeat N``: each input N times, the inputs
             taking turns, then each one's readings with their median and the lowest (a
             shared machine's speed moves from minute to minute).

Pages for the end-to-end table: HTML pages are the real pages above, cycled, each copy
under its own URL (copies fold as syndicated copies do); text pages are real article texts
(pooled Multi-News, Wikinews sources, the flattened scrapinghub pages) and, beyond those
~470, pages whose paragraphs are drawn from three real articles (seeded), so that each page
is an article of its own. Data (read-only, never copied): ../shared/bench/.

    python bench/speed.py [--only extract|e2e] [--sizes 100,1000] [--pages 89,712] [--rounds 3]
                          [--kinds html,text] [--no-anchor] [--repeat N]

CPU seconds are user + system time of the process and its worker processes
(``/usr/bin/time``); on a shared machine compare those, not the wall clock. newsdesk's
modules are compiled to bytecode first, as an install compiles them (trafilatura's were).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "bench"
BIN = Path(sys.executable).parent
NEWSDESK = str(BIN / "newsdesk")
TRAFILATURA = str(BIN / "trafilatura")
TIME = "/usr/bin/time"


def html_pool() -> list[tuple[str, bytes]]:
    """The real HTML pages: (name, bytes)."""
    pages = []
    scrapinghub = SHARED / "extraction" / "scrapinghub" / "html"
    for path in sorted(scrapinghub.glob("*.html.gz")):
        pages.append((path.name.split(".")[0], gzip.decompress(path.read_bytes())))
    fundus = SHARED / "extraction" / "fundus-dev" / "html"
    for path in sorted(fundus.glob("*")):
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        pages.append((path.name.split(".")[0], data))
    if not pages:
        raise SystemExit(f"benchmark data not found under {SHARED / 'extraction'}")
    return pages


def text_pool() -> list[tuple[str, list[str]]]:
    """Real article texts: (title, paragraphs)."""
    pool: list[tuple[str, list[str]]] = []
    pooled = SHARED / "clustering" / "multinews-longbench-pooled" / "articles.jsonl"
    if pooled.exists():
        for line in pooled.read_text().splitlines():
            paragraphs = [p for p in json.loads(line)["text"].split("\n\n") if p.strip()]
            if paragraphs:
                pool.append((paragraphs[0][:90], paragraphs[1:] or paragraphs))
    wikinews = SHARED / "synthesis" / "wikinewssum-dev" / "articles.jsonl"
    if wikinews.exists():
        for line in wikinews.read_text().splitlines():
            item = json.loads(line)
            if item.get("article"):
                pool.append((item.get("title") or item["article"][0][:90], item["article"]))
    dump = SHARED / "extraction" / "textdump"
    for path in sorted(dump.glob("*.txt")):
        lines = [p for p in path.read_text().split("\n\n") if p.strip()]
        if lines:
            pool.append((lines[0][:90], lines[1:]))
    if not pool:
        raise SystemExit(f"benchmark data not found under {SHARED}")
    return pool


def write_html_pages(folder: Path, count: int) -> int:
    pool = html_pool()
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        name, body = pool[n % len(pool)]
        (folder / f"{n:05d}-{name}.html").write_bytes(body)
    return count


def write_text_pages(folder: Path, count: int, seed: int = 7) -> int:
    pool = text_pool()
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        if n < len(pool):
            title, paragraphs = pool[n]
        else:  # an article of its own: paragraphs from three real ones
            picks = rng.sample(pool, 3)
            title = picks[0][0]
            paragraphs = [p for _, body in picks for p in body[:3]]
        text = "\n\n".join([title, *paragraphs])
        (folder / f"{n:05d}.txt").write_text(text + "\n", encoding="utf-8")
    return count


def timed(
    command: list[str], cwd: Path | None = None, stdin: Path | None = None
) -> tuple[float, int, str]:
    """Wall seconds, peak RSS in MiB and stderr of one process (``stdin``: a file fed to it)."""
    wall, rss, _, stderr = timed_cpu(command, cwd, stdin)
    return wall, rss, stderr


def timed_cpu(
    command: list[str],
    cwd: Path | None = None,
    stdin: Path | None = None,
    env: dict[str, str] | None = None,
) -> tuple[float, int, float, str]:
    """``timed`` and the CPU seconds (user + system) of the process and its workers, which a
    busy shared machine moves far less than the wall clock. ``env``: the process's
    environment (default this one's)."""
    started = time.perf_counter()
    with open(stdin or os.devnull, "rb") as feed:
        proc = subprocess.run(
            [TIME, "-f", "MAXRSS=%M CPU=%U+%S", *command],
            cwd=cwd,
            stdin=feed,
            capture_output=True,
            check=False,
            env=env,
        )
    proc_stderr = proc.stderr.decode("utf-8", "replace")
    wall = time.perf_counter() - started
    rss, cpu = 0, 0.0
    for line in proc_stderr.splitlines():
        if line.startswith("MAXRSS="):
            memory, seconds = line.split()
            rss = int(memory.split("=", 1)[1]) // 1024
            user, system = seconds.split("=", 1)[1].split("+")
            cpu = float(user) + float(system)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} exited {proc.returncode}:\n{proc_stderr[-2000:]}")
    return wall, rss, cpu, proc_stderr


def extract_table(page_counts: list[int], work: Path, rounds: int = 3) -> None:
    """Each size run ``rounds`` times, the two commands alternating, so a busy moment of a
    shared machine falls on one round, not on one side: the median round is the figure."""
    print("\n## newsdesk extract vs trafilatura, whole process, same HTML pages\n")
    print(f"(median of {rounds} rounds, the two commands alternating; every round's ratio)\n")
    print("| pages | newsdesk s | pages/s | trafilatura s | pages/s | ratio | rounds |")
    print("|---:|---:|---:|---:|---:|---:|---|")
    for count in page_counts:
        folder = work / f"html-{count}"
        write_html_pages(folder, count)
        out = work / f"traf-{count}"
        pairs = []
        for _ in range(rounds):
            ours, _, _ = timed([NEWSDESK, "extract", str(folder), "--format", "jsonl"])
            shutil.rmtree(out, ignore_errors=True)
            theirs, _, _ = timed(
                [TRAFILATURA, "--input-dir", str(folder), "--output-dir", str(out)]
            )
            pairs.append((theirs / ours, ours, theirs))
        ratio, ours, theirs = sorted(pairs)[len(pairs) // 2]
        every = " / ".join(f"{r:.2f}" for r, _, _ in pairs)
        print(
            f"| {count} | {ours:.2f} | {count / ours:.0f} | {theirs:.2f} | "
            f"{count / theirs:.0f} | {ratio:.2f} | {every} |"
        )
    one = next((work / "html-89").glob("*.html"), None) or next(work.glob("html-*/*.html"))
    ours = min(timed([NEWSDESK, "extract", str(one)])[0] for _ in range(5))
    # The page on standard input: ``-i`` would read the file as a list of URLs.
    theirs = min(timed([TRAFILATURA], stdin=one)[0] for _ in range(5))
    print(f"\nstart-up on one page (best of 5): newsdesk {ours:.2f} s, trafilatura {theirs:.2f} s")


def trafilatura_in_process(folder: Path) -> float:
    """Pages/s of trafilatura's extraction alone, in this process (the anchor)."""
    import trafilatura

    paths = sorted(folder.iterdir())
    started = time.perf_counter()
    for path in paths:
        data = path.read_bytes()
        if path.suffix == ".txt":  # trafilatura reads HTML; give it the text as a page
            data = b"<html><body><p>" + data.replace(b"\n\n", b"</p><p>") + b"</p></body></html>"
        trafilatura.extract(data, favor_precision=True, include_comments=False)
    return len(paths) / (time.perf_counter() - started)


def stage_times(stderr: str) -> str:
    for line in stderr.splitlines():
        if line.startswith("stage seconds:"):
            return line.removeprefix("stage seconds:").strip()
    return "n/a"


def e2e_table(
    sizes: list[int],
    work: Path,
    kinds: list[str] | None = None,
    anchor: bool = True,
    repeat: int = 1,
) -> None:
    """One row per run; with ``repeat`` > 1 every input is run that many times (the inputs
    taking turns, so a slow minute of a shared machine falls on one reading of each, not on
    all of one), then each input's readings, their median and the lowest."""
    print("\n## newsdesk run, raw pages to published site (fresh store, then unchanged re-run)\n")
    print(
        "| input | pages | run s | pages/s | CPU s | CPU ms per page | peak RSS MiB | "
        "re-run pages/s | re-run CPU s | trafilatura extraction alone pages/s | ratio | "
        "time per stage |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    env = dict(os.environ, NEWSDESK_TIMINGS="1")
    inputs = [(kind, size) for kind in kinds or ["html", "text"] for size in sizes]
    readings: dict[tuple[str, int], list[float]] = {key: [] for key in inputs}
    for _ in range(max(1, repeat)):
        for kind, size in inputs:
            folder = work / f"e2e-{kind}-{size}"
            if not folder.exists():
                if kind == "html":
                    write_html_pages(folder, size)
                else:
                    write_text_pages(folder, size)
            db = work / f"e2e-{kind}-{size}.db"
            site = work / f"site-{kind}-{size}"
            command = [NEWSDESK, "run", str(folder), "--out", str(site), "--db", str(db)]
            os.environ.update(env)
            wall, rss, cpu, stderr = timed_cpu(command)
            again, _, again_cpu, _ = timed_cpu(command)
            speed = trafilatura_in_process(folder) if anchor else None
            shown = f"{speed:.0f} | {size / wall / speed:.2f}" if speed else "n/a | n/a"
            print(
                f"| {kind} | {size} | {wall:.1f} | {size / wall:.1f} | {cpu:.1f} | "
                f"{1000 * cpu / size:.1f} | {rss} | {size / again:.0f} | {again_cpu:.2f} | "
                f"{shown} | {stage_times(stderr)} |",
                flush=True,
            )
            readings[kind, size].append(size / wall)
            if repeat <= 1:  # 10,000 pages: keep the disk free
                shutil.rmtree(folder, ignore_errors=True)
            shutil.rmtree(site, ignore_errors=True)
            db.unlink(missing_ok=True)
    for kind, size in inputs:
        shutil.rmtree(work / f"e2e-{kind}-{size}", ignore_errors=True)
    if repeat > 1:
        print("\n| input | pages | pages/s, each reading | median | lowest |")
        print("|---|---:|---|---:|---:|")
        for (kind, size), values in readings.items():
            each = ", ".join(f"{v:.1f}" for v in values)
            print(
                f"| {kind} | {size} | {each} | {statistics.median(values):.1f} | "
                f"{min(values):.1f} |"
            )


def compile_newsdesk() -> None:
    """Compile newsdesk's modules to bytecode before anything is timed, as installing a
    package does (pip did it for trafilatura's). Run from a source tree with
    PYTHONDONTWRITEBYTECODE set, each timed process would otherwise compile every module
    it imports again (about 0.05 s of each start)."""
    import compileall
    import importlib.util

    spec = importlib.util.find_spec("newsdesk")
    for folder in (spec and spec.submodule_search_locations) or ():
        compileall.compile_dir(folder, quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=["extract", "e2e"], default=None)
    parser.add_argument("--sizes", default="100,1000", help="pages for the end-to-end runs")
    parser.add_argument("--pages", default="89,712", help="pages for the extract comparison")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the extract comparison")
    parser.add_argument("--kinds", default="html,text", help="inputs of the end-to-end runs")
    parser.add_argument(
        "--no-anchor", action="store_true", help="end to end: skip trafilatura's extraction"
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="end to end: readings of each input, in turns"
    )
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    compile_newsdesk()
    with tempfile.TemporaryDirectory(prefix="newsdesk-speed-") as tmp:
        work = Path(tmp)
        if args.only in (None, "extract"):
            extract_table([int(n) for n in args.pages.split(",")], work, max(1, args.rounds))
        if args.only in (None, "e2e"):
            e2e_table(
                [int(n) for n in args.sizes.split(",")],
                work,
                args.kinds.split(","),
                anchor=not args.no_anchor,
                repeat=args.repeat,
            )


if __name__ == "__main__":
    main()
