"""A draft tells one event: a story that a chain of generic overlaps joined ("NASA", "moon")
is written from the event most of its reports tell, on real pages of the same day."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from newsdesk import extract
from newsdesk.cli import app
from newsdesk.model import Article
from newsdesk.write import write_extractive
from tests.conftest import BENCH, require_shared
from tests.pipeline_support.cli import cli_runner
from tests.write.llm_server import ScriptedLLMServer
from tests.write.support import cited, draft_answer, ok, source_blocks, writer_for

PAGES = BENCH / "extraction" / "scrapinghub" / "html"
# Six pages of 18-19 November 2019 that the clusterer put in one story.
EUROPA = (
    "14cc2a0ca59c62a8c9f205a171e9ccf4ef4cf69b0c642f51c8c65c051b39024f",  # sciencealert
    "686bb170effe273eaff1c0f88e412172e8d972518a6d1454c896f52aafaa9643",  # space.com
)
TITAN = ("359fee228518d55b921194561e9ca88e428df81940246f8fac7a75398377daea",)  # sciencealert
LUNAR_LANDERS = (
    "c00962aabe7bdd1fca78f5360ea7fa93cd7674863b05157e00827506a7aa58c4",  # the SLS rocket
    "c50845a7158af12ee75acea301a3ea0dad1e848d6b9dbdb43ba7f2d825b2528b",  # space.com landers
    "d1c57d7821e5a5b27fb468c59489601bb2a042b1c05221166e3221d2b5dc217f",  # spacenews landers
)


def _page(name: str) -> Article:
    path = require_shared(PAGES / f"{name}.html.gz")
    return extract(gzip.decompress(path.read_bytes()))


def test_a_story_of_three_events_is_written_from_the_one_most_of_it_reports():
    pages = {name: _page(name) for name in (*EUROPA, *TITAN, *LUNAR_LANDERS)}
    draft = write_extractive(list(pages.values()), "space-day")
    cited = {source.id for source in draft.sources}
    landers = {pages[name].id for name in LUNAR_LANDERS}
    assert cited <= landers and len(cited) >= 2
    assert all(set(s.citations) <= landers for s in draft.sentences())
    assert "lander" in draft.headline.lower()


def test_newsdesk_run_publishes_one_event_for_the_six_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The whole path: the pages as files, extracted, clustered (into one story, through
    # "NASA" and "moon"), written and published.
    folder = tmp_path / "pages"
    folder.mkdir()
    titles = {}
    for name in (*EUROPA, *TITAN, *LUNAR_LANDERS):
        data = gzip.decompress(require_shared(PAGES / f"{name}.html.gz").read_bytes())
        (folder / f"{name}.html").write_bytes(data)
        titles[name] = extract(data).title
    out = tmp_path / "site"
    args = ["run", str(folder), "--db", str(tmp_path / "s.db"), "--out", str(out)]
    result = cli_runner(monkeypatch).invoke(app, args)
    assert result.exit_code == 0, result.output
    drafts = [json.loads(p.read_text()) for p in (out / "stories").glob("*.json")]
    lander_titles = {titles[name] for name in LUNAR_LANDERS}
    for draft in drafts:
        cited = {source["title"] for source in draft["sources"]}
        # no draft tells the landers and another event at once
        assert cited <= lander_titles or not cited & lander_titles, cited


def test_the_llm_writer_is_given_the_same_event():
    pages = {name: _page(name) for name in (*EUROPA, *TITAN, *LUNAR_LANDERS)}
    landers = [pages[name] for name in LUNAR_LANDERS]
    sentence = landers[2].paragraphs[0]
    answer = draft_answer([cited(sentence, 1), cited(sentence, 1)], headline="Moon landers")
    with ScriptedLLMServer([ok(answer)]) as server:
        writer_for(server).write(list(pages.values()), "space-day")
    prompt = server.requests[0]["messages"][-1]["content"]
    shown = " ".join(content for _, content in source_blocks(prompt).values())
    assert len(source_blocks(prompt)) == len(LUNAR_LANDERS)
    assert "Europa" not in shown and "Titan" not in shown
    assert all(article.title in shown or article.paragraphs[0][:60] in shown for article in landers)


def _report(topic: str, n: int) -> Article:
    paragraphs = [
        f"The {topic} council voted on Monday to approve the new budget for {topic} schools.",
        f"Members of the {topic} council said the budget adds money for {topic} teachers.",
        f"The {topic} budget passed by seven votes to two after a long debate on schools.",
        f"Parents in {topic} welcomed the vote, saying {topic} schools had waited for years.",
    ]
    return Article.create(url=f"https://example.org/{topic}/{n}", title="", paragraphs=paragraphs)


def test_two_reports_against_one_are_not_split():
    # Three reports are too few to tell the story's event: all three are written from.
    articles = [_report("Springfield", 1), _report("Springfield", 2), _report("Shelbyville", 1)]
    draft = write_extractive(articles, "budget")
    assert len({s.id for s in draft.sources}) >= 2
    assert {a.id for a in articles} >= {s.id for s in draft.sources}


def test_pages_that_are_no_reports_are_no_event_of_their_own():
    # Two pages holding one short notice are no reports: the four reports are one event,
    # and the story is not split (nor does the writer fail) over the notices.
    notice = ["This site uses cookies to improve your experience and to show you ads."]
    articles = [
        _report("Springfield", 1),
        _report("Springfield", 2),
        _report("Springfield", 3),
        _report("Springfield", 4),
        Article.create(url="https://example.org/notice/1", title="", paragraphs=notice),
        Article.create(url="https://example.org/notice/2", title="", paragraphs=notice),
    ]
    draft = write_extractive(articles, "budget")
    reports = {a.id for a in articles[:4]}
    assert draft.lead and len({s.id for s in draft.sources} & reports) >= 2
