"""Real articles and drafts built from their sentences, shared by the publish and serve tests.

Articles come from the seed page and from two outlets' reports of the same event in the
extraction benchmark (VentureBeat and TechCrunch on the WeWork inquiry, Nov 2019).
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import replace
from functools import cache

from newsdesk.extract import extract
from newsdesk.model import Article, Draft, Problem, Report, Sentence, Source
from newsdesk.verify import verify_draft
from tests.conftest import BENCH, SEED_PAGE, require_shared

SCRAPINGHUB = BENCH / "extraction" / "scrapinghub"
WEWORK_PAGES = ("06e5123e4ef7", "1ace8c85aaee")  # venturebeat.com, techcrunch.com
HOSTILE_TITLE = "<script>alert(1)</script>"


def split_sentences(paragraph: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?”\"])\s+(?=[A-Z“\"(])", paragraph) if s.strip()]


@cache
def seed_article() -> Article:
    return extract(require_shared(SEED_PAGE).read_bytes(), input_format="text")


@cache
def wework_articles() -> tuple[Article, Article]:
    truth = json.loads(require_shared(SCRAPINGHUB / "ground-truth.json").read_text())
    out = []
    for prefix in WEWORK_PAGES:
        (page_id,) = [k for k in truth if k.startswith(prefix)]
        with gzip.open(SCRAPINGHUB / "html" / f"{page_id}.html.gz") as handle:
            raw = handle.read()
        out.append(extract(raw, url=truth[page_id]["url"]))
    return out[0], out[1]


def draft_from(articles: list[Article], story_id: str, headline: str, **extra) -> Draft:
    """A draft made of the articles' own sentences, each citing the article it came from."""
    pools = [
        [Sentence(s, (a.id,)) for p in a.paragraphs for s in split_sentences(p)] for a in articles
    ]
    first = [pool[0] for pool in pools]
    rest = [s for pool in pools for s in pool[1:6]]
    kwargs = dict(
        story_id=story_id,
        headline=headline,
        standfirst=(first[0],),
        lead=tuple(first[1:]) or (rest.pop(0),),
        body=tuple(tuple(rest[i : i + 2]) for i in range(0, len(rest) - 1, 2)),
        summary=(rest[-1],),
        sources=tuple(Source.from_article(a) for a in articles),
        language="en",
        written_at="2026-11-22T05:00:00+00:00",
    )
    kwargs.update(extra)
    return with_evidence(Draft(**kwargs), articles)


def with_evidence(
    draft: Draft, articles: list[Article], problems: tuple[Problem, ...] = ()
) -> Draft:
    """The draft with these problems (passed when none), and the evidence the verifier finds
    for its sentences (the passages a page highlights)."""
    found = verify_draft(draft, articles).evidence
    return replace(draft, checks=Report(draft.story_id, not problems, problems, evidence=found))


def one_report_draft(
    i: int,
    text: str,
    *,
    outlets: int,
    story_id: str,
    headline: str,
    written_at: str,
    problems: tuple[Problem, ...] = (),
) -> Draft:
    """Story ``i`` from one report, by outlet ``i % outlets``, of the one sentence ``text``:
    that sentence is the draft's standfirst and lead. Its checks pass unless problems are given."""
    article = Article.create(
        url=f"https://outlet{i % outlets}.example/news/{i}",
        title=f"Report {i}",
        paragraphs=(text,),
        site_name=f"Outlet {i % outlets}",
    )
    sentence = Sentence(text, (article.id,))
    return Draft(
        story_id=story_id,
        headline=headline,
        standfirst=(sentence,),
        lead=(sentence,),
        body=(),
        summary=(),
        sources=(Source.from_article(article),),
        language="en",
        checks=Report(story_id, not problems, problems),
        written_at=written_at,
    )


def wework_draft() -> Draft:
    vb, tc = wework_articles()
    reworded = Sentence(
        "A WeWork spokesperson said the company had received an inquiry from the attorney "
        "general's office and was cooperating.",
        (vb.id, tc.id),
    )
    draft = draft_from(
        [vb, tc],
        "wework-nyag",
        "New York attorney general investigates WeWork",
        written_at="2026-11-22T05:10:00+00:00",
    )
    return with_evidence(replace(draft, body=(*draft.body, (reworded,))), [vb, tc])


def seed_draft() -> Draft:
    article = seed_article()
    return draft_from([article], "wagner-mali", "Wagner Group announces withdrawal from Mali")


def hostile_draft() -> tuple[Draft, Article]:
    """A story whose every field carries markup or a javascript: URL, as a hostile page would."""
    article = Article.create(
        url="javascript:alert(2)",
        title=f"Source {HOSTILE_TITLE}",
        paragraphs=(f"Body with {HOSTILE_TITLE} and <img src=x onerror=alert(3)> inside.",),
        site_name="<b>evil</b>",
    )
    sentence = Sentence(
        f"Body with {HOSTILE_TITLE} and <img src=x onerror=alert(3)> inside.", (article.id,)
    )
    draft = Draft(
        story_id="hostile",
        headline=HOSTILE_TITLE,
        standfirst=(sentence,),
        lead=(Sentence("[click](javascript:alert(4)) *bold* <b>x</b>", (article.id,)),),
        body=(),
        summary=(),
        sources=(
            Source(article.id, "javascript:alert(2)", "<b>evil</b>", f"Source {HOSTILE_TITLE}"),
        ),
        written_at="2026-11-22T04:00:00Z",
    )
    problem = Problem("quote", HOSTILE_TITLE, "<i>not</i> in any source")
    return with_evidence(draft, [article], (problem,)), article
