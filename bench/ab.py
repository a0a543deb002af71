"""Two trees of newsdesk, the same command, alternating: is a change faster?

A shared machine's speed moves by a fifth within minutes, more than most changes are worth,
so two commands timed minutes apart say little. This checks out ``REF`` (any git revision)
beside the working tree, writes the pages once (``bench/speed.py``'s), and runs the same
whole command under each tree in turn, ``--rounds`` times: ``newsdesk run`` on a fresh
store, or ``newsdesk extract``. It prints every round's wall and CPU seconds (user +
system of the process and its workers) and the means, and whether the two trees' stores
hold the same stories and drafts (``run``: the canonical dump of ``tests/pipeline_support``,
times left out).

    python bench/ab.py REF [--command run|extract] [--kind text|html] [--pages 1000]
                           [--rounds 5]

Data (read-only, never copied): ../shared/bench/, as for ``bench/speed.py``.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from speed import timed_cpu, write_html_pages, write_text_pages  # noqa: E402

# Each tree's `newsdesk` script: its entry point ``run`` where it has one (the script's way
# of ending the process is part of what is timed), else ``app`` as older trees' script ran it.
COMMAND = (
    "import sys, newsdesk.cli as cli; sys.argv[0] = 'newsdesk'; getattr(cli, 'run', cli.app)()"
)
DUMP = """
import hashlib, json, sys
sys.path.insert(0, {root!r})
from tests.pipeline_support.dump import canonical_dump
from newsdesk.store import open_store
with open_store({db!r}) as store:
    text = json.dumps(canonical_dump(store), sort_keys=True, default=str)
print(hashlib.md5(text.encode()).hexdigest())
"""


def checkout(ref: str, folder: Path) -> str:
    """``ref`` checked out (detached) into ``folder``; its commit."""
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(folder), ref],
        check=True,
    )
    found = subprocess.run(
        ["git", "-C", str(folder), "rev-parse", "--short", "HEAD"],
        check=True,
        capture_output=True,
        text=True,
    )
    return found.stdout.strip()


def one_round(src: Path, command: str, pages: Path, work: Path) -> tuple[float, float, str]:
    """(wall s, CPU s, the store's canonical dump hash or "") of one run under ``src``."""
    env = dict(os.environ, PYTHONPATH=str(src))
    db, site = work / "ab.db", work / "ab-site"
    db.unlink(missing_ok=True)
    shutil.rmtree(site, ignore_errors=True)
    if command == "run":
        args = ["run", str(pages), "--out", str(site), "--db", str(db)]
    else:
        args = ["extract", str(pages), "--format", "jsonl"]
    wall, _, cpu, _ = timed_cpu([sys.executable, "-c", COMMAND, *args], env=env)
    if command != "run":
        return wall, cpu, ""
    # The dump is read with each tree's own code, in case the schema changed.
    dump = subprocess.run(
        [sys.executable, "-c", DUMP.format(root=str(src.parent), db=str(db))],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return wall, cpu, dump.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("ref", help="the git revision to compare the working tree with")
    parser.add_argument("--command", choices=["run", "extract"], default="run")
    parser.add_argument("--kind", choices=["text", "html"], default="text")
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsdesk-ab-") as tmp:
        work = Path(tmp)
        other = work / "tree"
        commit = checkout(args.ref, other)
        try:
            trees = {f"{args.ref} ({commit})": other / "src", "working tree": ROOT / "src"}
            if (other / "setup.py").exists():  # the compiled walk, built as an install does
                subprocess.run(
                    [sys.executable, "setup.py", "-q", "build_ext", "--inplace"],
                    cwd=other,
                    check=True,
                    capture_output=True,
                )
            for src in trees.values():
                compileall.compile_dir(src / "newsdesk", quiet=1)
            pages = work / "pages"
            if args.kind == "html":
                write_html_pages(pages, args.pages)
            else:
                write_text_pages(pages, args.pages)
            print(f"newsdesk {args.command}, {args.pages} {args.kind} pages, alternating\n")
            print("| round | tree | wall s | CPU s | store |")
            print("|---:|---|---:|---:|---|")
            results: dict[str, list[tuple[float, float, str]]] = {name: [] for name in trees}
            for number in range(1, max(1, args.rounds) + 1):
                for name, src in trees.items():
                    wall, cpu, dump = one_round(src, args.command, pages, work)
                    results[name].append((wall, cpu, dump))
                    print(f"| {number} | {name} | {wall:.2f} | {cpu:.2f} | {dump[:8]} |")
            print("\n| tree | mean wall s | mean CPU s | pages/s (mean wall) |")
            print("|---|---:|---:|---:|")
            for name, rows in results.items():
                wall = sum(r[0] for r in rows) / len(rows)
                cpu = sum(r[1] for r in rows) / len(rows)
                print(f"| {name} | {wall:.2f} | {cpu:.2f} | {args.pages / wall:.1f} |")
            if args.command == "run":
                dumps = {r[2] for rows in results.values() for r in rows}
                same = "the same" if len(dumps) == 1 else f"{len(dumps)} different"
                print(f"\nstores: {same} (canonical dumps)")
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(other)], check=False
            )


if __name__ == "__main__":
    main()
