"""The story/background rule: a draft's story parts rest on the story, its background on
earlier coverage.

A draft written with earlier coverage (``Draft.background``) cites two kinds of source.
Headline, standfirst, lead, body and summary report the new event and cite only the
story's articles; background sentences cite only earlier coverage; and the headline states
nothing that only earlier coverage holds. ``misplaced_citations`` lists what breaks the
rule, as problems like any other the verifier finds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from newsdesk.model import Article, Draft, Problem
from newsdesk.verify.verifier import Verifier


def misplaced_citations(
    draft: Draft, articles: Sequence[Article], background: Sequence[Article]
) -> list[Problem]:
    """Sentences that cite the wrong kind of source, and headline facts only background has.

    The story's parts (standfirst, lead, body, summary) report the new event and may cite
    only the story's articles; background sentences may cite only earlier coverage. The
    verifier checks each sentence against what it cites, so without this rule a claim
    about the new event could rest on an older article. Problems are worded with the
    source numbers a writer shown the story then ``background`` numbered them (story 1..N,
    background N+1..), for a repair request.
    """
    earlier = list(background)
    if not earlier:
        return []
    story_numbers = {a.id: n for n, a in enumerate(articles, start=1)}
    earlier_numbers = {a.id: n for n, a in enumerate(earlier, start=len(articles) + 1)}
    story_range = f"sources 1 to {len(articles)}"
    earlier_range = f"sources {len(articles) + 1} to {len(articles) + len(earlier)}"
    story_part = [*draft.standfirst, *draft.lead, *(s for p in draft.body for s in p)]
    # (sentences, the numbers they may not cite, why with a slot for the numbers cited)
    rules = [
        (
            [*story_part, *draft.summary],
            earlier_numbers,
            "cites earlier coverage ({}) for the story itself: only the background section "
            f"may cite {earlier_range}; this part cites only {story_range}",
        ),
        (
            [s for p in draft.background for s in p],
            story_numbers,
            "a background sentence cites the story ({}): background sentences cite only "
            f"earlier coverage, {earlier_range}",
        ),
    ]
    problems: list[Problem] = []
    for sentences, forbidden, why in rules:
        for sentence in sentences:
            wrong = [forbidden[c] for c in sentence.citations if c in forbidden]
            if wrong:
                problems.append(Problem("citation", sentence.text, why.format(_numbers(wrong))))
    problems.extend(_headline_from_background(draft, articles, earlier))
    return problems


def _headline_from_background(
    draft: Draft, articles: Sequence[Article], earlier: Sequence[Article]
) -> list[Problem]:
    """Headline facts the story's articles lack but earlier coverage has.

    The verifier checks the headline against every article it is given, background
    included; what it lets through only thanks to the background is reported here.
    """
    if not draft.headline.strip():
        return []
    verifier = Verifier([*articles, *earlier], language=draft.language)
    everywhere = {_fact_key(p) for p in verifier.check_facts(draft.headline, list(verifier.by_id))}
    story_only = verifier.check_facts(draft.headline, [a.id for a in articles])
    return [
        replace(p, why=f"headline: {_story_wording(p.why)}; only earlier coverage has it")
        for p in story_only
        if _fact_key(p) not in everywhere
    ]


def _story_wording(why: str) -> str:
    return re.sub(r"\b(?:the|any) cited source\b", "the story's sources", why)


def _fact_key(problem: Problem) -> tuple[str, str]:
    # The verifier words a problem by how many sources were cited ("the cited source", "any
    # cited source"); the fact itself is the first quoted fragment of its reason.
    match = re.search(r"'[^']+'|“[^”]*”", problem.why)
    return problem.kind, match.group(0) if match else problem.why


def _numbers(numbers: Sequence[int]) -> str:
    listed = ", ".join(str(n) for n in sorted(set(numbers)))
    return f"source {listed}" if len(set(numbers)) == 1 else f"sources {listed}"
