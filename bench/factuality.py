"""Benchmark of the verifier on real model-written summaries labelled by people (CLIFF).

Data: ``shared/bench/factuality/cliff-dev/cases.jsonl`` (research-only, read in place,
never copied): BART and PEGASUS summaries of CNN/DailyMail and XSum articles, each labelled
consistent with its article or not. Each summary is given to the verifier as a draft of
one source whose sentences all cite that source (``verify_draft``); a summary counts as
flagged when the report lists any problem. The positive class is "inconsistent":

- caught: share of inconsistent summaries flagged;
- passed: share of consistent summaries not flagged;
- balanced accuracy: the mean of the two.

Two checkers: the default (the fitted support model judges wording; it was fitted on these
very labels, so its figure here is in-sample: ``scripts/build_support_model.py`` prints the
cross-validated one) and ``--checker rules`` (overlap and extrinsic-word rules judge it).

Anchor, in the same run: count the summary's content words (lower-cased, stop words out)
that the article does not have; flag it when the count is at least t, t tuned on these
labels for the best overall balanced accuracy (so the anchor is optimistic).

The summaries are tokenised ("al - Wefaq", "$ 115 million", "didn 't"); they are joined
back (``detokenise``) before checking, the same for the verifier and the anchor.

    python bench/factuality.py [--data PATH] [--show 5]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from newsdesk.model import Article, Draft, Sentence
from newsdesk.text.sentences import split_sentences
from newsdesk.verify import verify_draft
from newsdesk.verify.text import STOPWORDS

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared/bench/factuality/cliff-dev/cases.jsonl"
ORIGINS = ("cnndm", "xsum")


@dataclass(frozen=True)
class Case:
    id: str
    origin: str  # cnndm | xsum
    doc_id: str
    doc: str
    summary: str
    consistent: bool
    error_type: str


def detokenise(text: str) -> str:
    """Undo the data's tokenisation: "al - Wefaq" -> "al-Wefaq", "$ 115" -> "$115"."""
    text = re.sub(r"(\w) - (?=\w)", r"\1-", text)
    text = re.sub(r"\$ (?=\d)", "$", text)
    text = re.sub(r"£ (?=\d)", "£", text)
    text = re.sub(r"(\d) %", r"\1%", text)
    text = re.sub(r"([$£€]\d[\d,.]*) (m|bn|k)\b", r"\1\2", text)  # "£15 m" -> "£15m"
    text = re.sub(r" (n't|'s|'re|'ve|'ll|'d|'m)\b", r"\1", text)
    text = re.sub(r" ([,.;:!?])", r"\1", text)
    # " quoted " -> "quoted": a straight quote with spaces on both sides opens or closes
    parts = text.split(' " ')
    if len(parts) > 1:
        out = parts[0]
        for k, part in enumerate(parts[1:]):
            out += (' "' if k % 2 == 0 else '" ') + part
        text = out
    text = re.sub(r"(^|\s)' ([^']+?) '(?=[\s,.;:!?]|$)", r"\1'\2'", text)
    text = re.sub(r"(\w)' ([^']+?)'(?=[\s,.;:!?]|$)", r"\1 '\2'", text)  # of' x' -> of 'x'
    text = re.sub(r'^" ', '"', text)
    text = re.sub(r' "([,.;:!?]?)$', r'"\1', text)
    return text


def load_cases(path: Path) -> list[Case]:
    cases = []
    with path.open(encoding="utf-8") as stream:
        for line in stream:
            if not line.strip():
                continue
            d = json.loads(line)
            cases.append(
                Case(
                    id=str(d["id"]),
                    origin=d["origin"],
                    doc_id=str(d["doc_id"]),
                    doc=d["doc"],
                    summary=detokenise(d["summary"]),
                    consistent=bool(d["consistent"]),
                    error_type=str(d.get("error_type") or ""),
                )
            )
    return cases


def article_of(case: Case) -> Article:
    return Article(id=case.doc_id, url=None, title="", paragraphs=(case.doc,), language="en")


def summary_draft(case: Case) -> Draft:
    """The summary as a one-source draft: one body paragraph, every sentence citing the doc."""
    sentences = tuple(Sentence(s, (case.doc_id,)) for s in split_sentences(case.summary))
    return Draft(
        story_id=case.id,
        headline="",
        standfirst=(),
        lead=(),
        body=(sentences,),
        summary=(),
        language="en",
    )


def verifier_problems(case: Case, calibrated: bool = True) -> list[str]:
    report = verify_draft(summary_draft(case), [article_of(case)], calibrated=calibrated)
    return [f"{p.kind}: {p.why}" for p in report.problems]


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.lower()) if w not in STOPWORDS}


def novel_words(case: Case) -> int:
    return len(_words(case.summary) - _words(case.doc))


def balanced_accuracy(flags: Sequence[bool], labels: Sequence[bool]) -> tuple[float, float, float]:
    """(balanced accuracy, caught, passed) with ``labels`` True for consistent."""
    bad = [f for f, ok in zip(flags, labels, strict=True) if not ok]
    good = [not f for f, ok in zip(flags, labels, strict=True) if ok]
    caught = sum(bad) / len(bad) if bad else 0.0
    passed = sum(good) / len(good) if good else 0.0
    return (caught + passed) / 2, caught, passed


def tune_threshold(scores: Sequence[float], labels: Sequence[bool]) -> float:
    """The threshold t (flag when score >= t) with the best balanced accuracy."""
    best_t, best = 0.0, -1.0
    for t in [*sorted(set(scores)), max(scores, default=0) + 1]:
        ba = balanced_accuracy([s >= t for s in scores], labels)[0]
        if ba > best + 1e-12:
            best_t, best = t, ba
    return best_t


def report(
    cases: Sequence[Case], columns: Iterable[tuple[str, Callable[[Case], bool]]]
) -> list[str]:
    """Table lines: per origin and all, each column's balanced accuracy (caught / passed)."""
    columns = list(columns)
    head = f"{'set':<8}{'n':>5}{'bad':>5}" + "".join(f"{name:>30}" for name, _ in columns)
    lines = [head, "-" * len(head)]
    flags = {name: {c.id: flag(c) for c in cases} for name, flag in columns}
    for label, subset in [
        *((o, [c for c in cases if c.origin == o]) for o in ORIGINS),
        ("all", cases),
    ]:
        subset = list(subset)
        labels = [c.consistent for c in subset]
        cells = f"{label:<8}{len(subset):>5}{labels.count(False):>5}"
        for name, _ in columns:
            ba, caught, passed = balanced_accuracy([flags[name][c.id] for c in subset], labels)
            cells += f"{f'{ba:.3f} ({caught:.0%} / {passed:.0%})':>30}"
        lines.append(cells)
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--show", type=int, default=0, help="print N misses of each kind")
    args = parser.parse_args()
    if not args.data.exists():
        print(f"benchmark data not found: {args.data}", file=sys.stderr)
        return 2
    cases = load_cases(args.data)
    started = time.perf_counter()
    problems = {c.id: verifier_problems(c) for c in cases}
    elapsed = time.perf_counter() - started
    started = time.perf_counter()
    rules = {c.id: verifier_problems(c, calibrated=False) for c in cases}
    elapsed_rules = time.perf_counter() - started
    novel = {c.id: novel_words(c) for c in cases}
    t = tune_threshold([novel[c.id] for c in cases], [c.consistent for c in cases])
    print(f"factuality benchmark: {len(cases)} summaries ({args.data})")
    print("balanced accuracy (inconsistent caught / consistent passed)")
    for line in report(
        cases,
        [
            ("newsdesk verify (calibrated)", lambda c: bool(problems[c.id])),
            ("--checker rules", lambda c: bool(rules[c.id])),
            (f"anchor: novel words >= {t:g}", lambda c: novel[c.id] >= t),
        ],
    ):
        print(line)
    print(
        f"(anchor threshold tuned on these labels; verify time {elapsed:.1f} s, "
        f"{1000 * elapsed / max(1, len(cases)):.1f} ms per summary, rules "
        f"{1000 * elapsed_rules / max(1, len(cases)):.1f} ms; the calibrated model "
        "was fitted on these labels too: its cross-validated figures are printed by "
        "scripts/build_support_model.py)"
    )
    if args.show:
        missed = [c for c in cases if not c.consistent and not problems[c.id]]
        alarms = [c for c in cases if c.consistent and problems[c.id]]
        for title, items in (("MISSED", missed), ("FALSE ALARM", alarms)):
            for c in items[: args.show]:
                print(f"\n[{title}] {c.id} {c.origin} {c.error_type}\n  summary: {c.summary}")
                for p in problems[c.id]:
                    print(f"  -> {p}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
