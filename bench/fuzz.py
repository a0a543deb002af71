"""Fuzz the extract path with mutated real pages: no crash, no hang, bounded memory per page.

Pages are made by mutating the dev pages of ``../shared/bench/extraction`` (the scrapinghub
HTML, the fundus-dev HTML and the flattened text dumps): cut anywhere, bytes flipped,
encodings mixed, tags unbalanced or nested deep, attributes of megabytes, scripts of junk,
empty and binary bodies, and pairs of these. Page ``i`` of seed ``s`` is always the same
page, so a failure is replayed with ``--only i``.

Bulk pages go through ``newsdesk.extract`` in a worker process (``--workers``, one page at
a time each) that the parent kills and restarts when a page passes ``--timeout``. Every
page ends as exactly one record: ``ok`` (an article), ``refused`` (InputError or
ExtractionError: a reason a person can read; the batch goes on), ``crash`` (any other
exception: a bug), ``hang`` (killed at the timeout) or ``died`` (the worker process died).
The worker resets its peak resident memory (Linux ``/proc/self/clear_refs``) before each
page and reads ``VmHWM`` after it, so the peak is per page.

A sample of the pages (``--cli-sample``) is also written to a folder and read by the
commands as separate processes: ``newsdesk extract`` (one line per page on stdout or one
reason per page on stderr, no traceback) and ``newsdesk run`` (into a throwaway store and
site; it must finish with no traceback).

    python bench/fuzz.py --pages 100000 [--workers 2] [--timeout 30] [--records out.jsonl]
    python bench/fuzz.py --only 4711          # replay one page and print its record
    python bench/fuzz.py --summarize out.jsonl --cli-sample 0   # a (cut short) run's figures

Exit status 1 when any page crashed, hung or killed its worker, or a command failed.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import multiprocessing as mp
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1].parent / "shared" / "bench" / "extraction"
ROOT = Path(__file__).resolve().parents[1]

# --- The seed pages -----------------------------------------------------------------


def seed_pages() -> list[tuple[str, bytes]]:
    """(name, bytes) of every dev page, HTML and flattened text alike."""
    pages: list[tuple[str, bytes]] = []
    for path in sorted((BENCH / "scrapinghub" / "html").glob("*.html.gz")):
        pages.append((f"sh/{path.name[:12]}", gzip.decompress(path.read_bytes())))
    for path in sorted((BENCH / "fundus-dev" / "html").glob("*.html.gz")):
        pages.append(
            (f"fundus/{path.name.removesuffix('.html.gz')}", gzip.decompress(path.read_bytes()))
        )
    for path in sorted((BENCH / "textdump").glob("*.txt")):
        pages.append((f"text/{path.name[:12]}", path.read_bytes()))
    return pages


# --- Mutations: each takes (rng, page bytes) and returns new page bytes ----------------


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(0, len(data) + 1)]


def flip_bytes(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.choice((1, 3, 30, 300, 3000))):
        if out:
            out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def mix_encodings(rng: random.Random, data: bytes) -> bytes:
    """Stretches of the page re-encoded in another charset (or with a lying declaration)."""
    text = data.decode("utf-8", "replace")
    out: list[bytes] = []
    pos = 0
    while pos < len(text):
        step = rng.randrange(1, max(2, len(text) // 4))
        codec = rng.choice(("utf-8", "cp1251", "latin-1", "shift_jis", "utf-16-le", "cp1250"))
        out.append(text[pos : pos + step].encode(codec, "replace"))
        pos += step
    mixed = b"".join(out)
    if rng.random() < 0.5:
        charset = rng.choice((b"utf-8", b"windows-1251", b"shift_jis", b"x-unknown", b"utf-16"))
        mixed = b'<meta charset="' + charset + b'">' + mixed
    return mixed


def unbalance_tags(rng: random.Random, data: bytes) -> bytes:
    """Closing tags dropped, stray ones added, tags left open and mis-nested."""
    out = bytearray(data)
    tags = (b"<div>", b"</div>", b"<p>", b"</p>", b"<table><tr><td>", b"</article>", b"<!--",
            b"<script>", b"</body></html>", b"<svg>", b"<template>", b"<![CDATA[", b"<")  # fmt: skip
    for _ in range(rng.choice((5, 50, 500))):
        at = rng.randrange(len(out) + 1)
        if rng.random() < 0.5:
            out[at:at] = rng.choice(tags)
        else:
            end = out.find(b">", at, at + 200)
            if end != -1:
                del out[at : end + 1]
    return bytes(out)


def nest_deep(rng: random.Random, data: bytes) -> bytes:
    depth = rng.choice((1_000, 10_000, 100_000, 300_000))
    tag = rng.choice((b"div", b"span", b"b", b"table", b"li", b"a"))
    at = rng.randrange(len(data) + 1)
    closing = b"</" + tag + b">" if rng.random() < 0.5 else b""
    return data[:at] + (b"<" + tag + b">") * depth + b"text" + closing * depth + data[at:]


def huge_attribute(rng: random.Random, data: bytes) -> bytes:
    size = rng.choice((64 << 10, 1 << 20, 1 << 20, 3 << 20))
    value = rng.choice((b"A", b"&amp;", b"\xc3\xa9", b" ")) * (size // 5)
    tag = b'<div class="' + value + b'" data-x="' + value[:1000] + b'">x</div>'
    at = rng.randrange(len(data) + 1)
    return data[:at] + tag + data[at:]


def junk_script(rng: random.Random, data: bytes) -> bytes:
    junk = rng.randbytes(rng.choice((100, 10_000, 100_000, 1_000_000)))
    kind = rng.choice((b"text/javascript", b"application/ld+json", b"application/json"))
    script = b'<script type="' + kind + b'">' + junk
    if rng.random() < 0.7:
        script += b"</script>"
    at = rng.randrange(len(data) + 1)
    return data[:at] + script + data[at:]


def empty_or_binary(rng: random.Random, data: bytes) -> bytes:
    choice = rng.randrange(7)
    if choice == 0:
        return b""
    if choice == 1:
        return b" \n\t" * rng.randrange(1, 100)
    if choice == 2:
        return rng.randbytes(rng.choice((10, 10_000, 1_000_000)))
    if choice == 3:
        return b"\x89PNG\r\n\x1a\n" + rng.randbytes(1000)
    if choice == 4:
        return gzip.compress(data)[: rng.randrange(1, 2000)]  # a cut gzip stream
    if choice == 5:
        return b"<html><body></body></html>"
    return data.replace(b"\x00", b"") + b"\x00" * rng.randrange(1, 100_000)


MUTATIONS = {
    "truncate": truncate,
    "flip_bytes": flip_bytes,
    "mix_encodings": mix_encodings,
    "unbalance_tags": unbalance_tags,
    "nest_deep": nest_deep,
    "huge_attribute": huge_attribute,
    "junk_script": junk_script,
    "empty_or_binary": empty_or_binary,
}


def make_page(seeds: list[tuple[str, bytes]], seed: int, index: int) -> tuple[str, str, bytes]:
    """Page ``index``: (seed page's name, mutations applied, bytes). Deterministic."""
    rng = random.Random(f"{seed}:{index}")
    name, data = seeds[rng.randrange(len(seeds))]
    names = list(MUTATIONS)
    chosen = [rng.choice(names)]
    if rng.random() < 0.25:
        chosen.append(rng.choice(names))
    for mutation in chosen:
        data = MUTATIONS[mutation](rng, data)
    return name, "+".join(chosen), data


# --- Running pages in a worker that can be killed ----------------------------------------


@dataclass
class Record:
    index: int
    seed_page: str
    mutation: str
    size: int
    outcome: str  # ok | refused | crash | hang | died
    reason: str
    seconds: float
    peak_rss_mb: float | None


def _reset_peak() -> None:
    with contextlib.suppress(OSError), open("/proc/self/clear_refs", "w") as f:
        f.write("5")


def _peak_rss_mb() -> float | None:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def run_page(seeds: list[tuple[str, bytes]], seed: int, index: int) -> Record:
    """One page through ``newsdesk.extract`` in this process: its record."""
    from newsdesk import extract
    from newsdesk.errors import ExtractionError, InputError

    name, mutation, data = make_page(seeds, seed, index)
    _reset_peak()
    start = time.perf_counter()
    try:
        article = extract(data)
        outcome = "ok"
        reason = "; ".join(article.warnings)
    except (InputError, ExtractionError) as exc:
        outcome, reason = "refused", str(exc)
    except Exception as exc:  # a bug: the record says which
        outcome, reason = "crash", f"{type(exc).__name__}: {exc}"[:500]
    seconds = time.perf_counter() - start
    return Record(index, name, mutation, len(data), outcome, reason, seconds, _peak_rss_mb())


def _worker(seed: int, inbox: mp.Queue, outbox: mp.Queue) -> None:
    seeds = seed_pages()
    from newsdesk import extract

    with contextlib.suppress(Exception):  # load the lazy models before the first timer
        extract(b"<html><body><article><p>" + b"A warm-up sentence. " * 40 + b"</p>")
    outbox.put(("ready", _peak_rss_mb()))
    while True:
        index = inbox.get()
        if index is None:
            return
        outbox.put(("done", asdict(run_page(seeds, seed, index))))


class Worker:
    def __init__(self, ctx: mp.context.BaseContext, seed: int) -> None:
        self.inbox: mp.Queue = ctx.Queue()
        self.outbox: mp.Queue = ctx.Queue()
        self.process = ctx.Process(target=_worker, args=(seed, self.inbox, self.outbox))
        self.process.start()
        kind, self.baseline_mb = self.outbox.get(timeout=300)
        assert kind == "ready"
        self.index: int | None = None
        self.started = 0.0

    def give(self, index: int) -> None:
        self.index, self.started = index, time.perf_counter()
        self.inbox.put(index)

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()


BASELINE_MB: list[float] = []  # each worker's peak RSS once its models are loaded


def run_bulk(args: argparse.Namespace, seeds: list[tuple[str, bytes]]) -> list[Record]:
    ctx = mp.get_context("fork")
    workers = [Worker(ctx, args.seed) for _ in range(args.workers)]
    BASELINE_MB.extend(w.baseline_mb for w in workers if w.baseline_mb)
    todo = list(range(args.start, args.start + args.pages))
    todo.reverse()
    records: list[Record] = []
    out = open(args.records, "w", encoding="utf-8") if args.records else None  # noqa: SIM115
    last_report = time.perf_counter()
    try:
        while todo or any(w.index is not None for w in workers):
            for i, w in enumerate(workers):
                if w.index is None and todo:
                    w.give(todo.pop())
                if w.index is None:
                    continue
                record = None
                try:
                    _kind, data = w.outbox.get(timeout=0.05 if len(workers) > 1 else 1.0)
                    record = Record(**data)
                except Exception:  # queue.Empty: still working, or dead
                    elapsed = time.perf_counter() - w.started
                    if not w.process.is_alive() or elapsed > args.timeout:
                        name, mutation, page = make_page(seeds, args.seed, w.index)
                        outcome = "died" if not w.process.is_alive() else "hang"
                        why = (
                            f"worker exit code {w.process.exitcode}"
                            if outcome == "died"
                            else f"over {args.timeout:.0f} s"
                        )
                        record = Record(
                            w.index, name, mutation, len(page), outcome, why, elapsed, None
                        )
                        w.stop()
                        workers[i] = w = Worker(ctx, args.seed)
                if record is None:
                    continue
                w.index = None
                records.append(record)
                if out:
                    out.write(json.dumps(asdict(record), ensure_ascii=False) + "\n")
                if record.outcome in ("crash", "hang", "died"):
                    print(f"  {record.outcome}: page {record.index} ({record.mutation} of "
                          f"{record.seed_page}): {record.reason}", flush=True)  # fmt: skip
            if time.perf_counter() - last_report > 60:
                last_report = time.perf_counter()
                print(f"  {len(records):,} pages done", flush=True)
    finally:
        for w in workers:
            with contextlib.suppress(Exception):
                w.inbox.put(None)
            w.stop()
        if out:
            out.close()
    return records


# --- The same kind of pages through the commands, as processes ----------------------------


def run_commands(args: argparse.Namespace, seeds: list[tuple[str, bytes]]) -> list[str]:
    """A sample of pages through `newsdesk extract` and `newsdesk run`; lines to report."""
    if args.cli_sample <= 0:
        return []
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    newsdesk = [sys.executable, "-m", "newsdesk"]
    lines: list[str] = []
    problems: list[str] = []
    rng = random.Random(args.seed)
    indices = rng.sample(
        range(args.start, args.start + max(args.pages, args.cli_sample)), args.cli_sample
    )
    with tempfile.TemporaryDirectory(prefix="newsdesk-fuzz-") as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        for index in indices:
            _, _, data = make_page(seeds, args.seed, index)
            (folder / f"page-{index:06d}.html").write_bytes(data)
        start = time.perf_counter()
        proc = subprocess.run(
            [*newsdesk, "extract", str(folder)], capture_output=True, env=env,
            timeout=args.timeout * len(indices), check=False,
        )  # fmt: skip
        took = time.perf_counter() - start
        printed = [line for line in proc.stdout.decode("utf-8", "replace").splitlines() if line]
        stderr = proc.stderr.decode("utf-8", "replace")
        failed = [
            line
            for line in stderr.splitlines()
            if line.startswith("newsdesk: ") and "warning:" not in line
        ]
        if "Traceback" in stderr:
            problems.append("newsdesk extract printed a traceback")
        if len(printed) + len(failed) != len(indices):
            problems.append(f"newsdesk extract: {len(printed)} articles + {len(failed)} failures "
                            f"for {len(indices)} pages")  # fmt: skip
        if proc.returncode not in (0, 1):
            problems.append(f"newsdesk extract exit status {proc.returncode}")
        lines.append(f"newsdesk extract, {len(indices)} pages as one process: exit {proc.returncode}, "
                     f"{len(printed)} articles, {len(failed)} failures reported, {took:.1f} s")  # fmt: skip
        start = time.perf_counter()
        proc = subprocess.run(
            [*newsdesk, "run", str(folder), "--db", str(Path(tmp) / "store.db"),
             "--out", str(Path(tmp) / "site")],
            capture_output=True, env=env, timeout=args.timeout * len(indices), check=False,
        )  # fmt: skip
        took = time.perf_counter() - start
        stderr = proc.stderr.decode("utf-8", "replace")
        stdout = proc.stdout.decode("utf-8", "replace")
        if "Traceback" in stderr + stdout:
            problems.append("newsdesk run printed a traceback")
        if proc.returncode not in (0, 1):
            problems.append(f"newsdesk run exit status {proc.returncode}: {stderr[-500:]}")
        counts = {
            key: int(m[1]) if (m := re.search(rf"{key}\s*│\s*(\d+)", stdout + stderr)) else -1
            for key in ("pages read", "pages failed", "articles new")
        }
        if counts["pages read"] != len(indices):
            problems.append(f"newsdesk run read {counts['pages read']} of {len(indices)} pages")
        lines.append(
            f"newsdesk run, same pages: exit {proc.returncode}, {counts['pages read']} pages read, "
            f"{counts['pages failed']} failed (each listed with its reason), "
            f"{counts['articles new']} new articles, {took:.1f} s"
        )
    lines.extend(f"PROBLEM: {p}" for p in problems)
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100_000)
    parser.add_argument("--start", type=int, default=0, help="first page index")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per page")
    parser.add_argument("--records", help="write every page's record here (JSON lines)")
    parser.add_argument("--cli-sample", type=int, default=200, help="pages through the commands")
    parser.add_argument("--only", type=int, help="replay one page in this process")
    parser.add_argument("--summarize", help="summarise a --records file instead of running")
    args = parser.parse_args(argv)
    if not (BENCH / "scrapinghub" / "html").exists():
        print(f"skipped: benchmark data not found at {BENCH} (../shared/bench is absent)")
        return 0
    seeds = seed_pages()
    if args.only is not None:
        print(json.dumps(asdict(run_page(seeds, args.seed, args.only)), ensure_ascii=False))
        return 0
    started = time.perf_counter()
    if args.summarize:
        with open(args.summarize, encoding="utf-8") as lines:
            records = [Record(**json.loads(line)) for line in lines if line.strip()]
    else:
        records = run_bulk(args, seeds) if args.pages > 0 else []
    took = time.perf_counter() - started
    outcomes = Counter(r.outcome for r in records)
    print(f"{len(records):,} pages (seed {args.seed}, {len(seeds)} seed pages), "
          f"{took:.0f} s, {args.workers} worker(s), timeout {args.timeout:.0f} s per page")  # fmt: skip
    summary(records, outcomes)
    command_lines = run_commands(args, seeds)
    print("\n".join(command_lines))
    bad = sum(outcomes.get(k, 0) for k in ("crash", "hang", "died"))
    return 1 if bad or any(line.startswith("PROBLEM") for line in command_lines) else 0


def summary(records: list[Record], outcomes: Counter[str]) -> None:
    """Outcomes, per mutation, refusal reasons, peak memory and time per page."""
    for r in records:
        if r.outcome in ("crash", "hang", "died"):
            print(f"  {r.outcome}: page {r.index} ({r.mutation} of {r.seed_page}): {r.reason}")
    for outcome in ("ok", "refused", "crash", "hang", "died"):
        print(f"  {outcome:<8} {outcomes.get(outcome, 0):>7,}")
    by_mutation: dict[str, Counter[str]] = {}
    for r in records:
        by_mutation.setdefault(r.mutation.split("+")[0], Counter())[r.outcome] += 1
    for mutation, counts in sorted(by_mutation.items()):
        print(f"  {mutation:<16} " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    reasons = Counter(r.reason.split(":")[0][:60] for r in records if r.outcome == "refused")
    print(
        "  most frequent refusal reasons: "
        + "; ".join(f"{k} ({v})" for k, v in reasons.most_common(8))
    )
    peaks = [r.peak_rss_mb for r in records if r.peak_rss_mb is not None]
    if peaks:
        worst = max(
            (r for r in records if r.peak_rss_mb is not None), key=lambda r: r.peak_rss_mb or 0
        )
        if BASELINE_MB:
            print(f"  worker RSS after warm-up (models loaded): {max(BASELINE_MB):.0f} MB")
        print(f"  peak RSS per page (MB): median {statistics.median(peaks):.0f}, "
              f"p99 {sorted(peaks)[int(0.99 * (len(peaks) - 1))]:.0f}, max {max(peaks):.0f} "
              f"(page {worst.index}: {worst.mutation}, {worst.size:,} bytes)")  # fmt: skip
    times = sorted(r.seconds for r in records)
    if times:
        print(f"  seconds per page: median {statistics.median(times):.3f}, "
              f"p99 {times[int(0.99 * (len(times) - 1))]:.2f}, max {times[-1]:.2f}")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
