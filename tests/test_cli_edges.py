"""Rough edges a new user hits on the command line: --db in a folder not made yet,
`extract --allow-private`, the `runs` and `stories` tables at 80 columns, and the feed's
links without --site-url."""

from __future__ import annotations

import json
import re
from pathlib import Path

import feedparser
import pytest
from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.publish import publish_site
from newsdesk.store import open_store
from tests.pipeline_support.cli import cli_runner
from tests.pipeline_support.corpus import seed_doc, single_docs, write_docs
from tests.pipeline_support.server import NewsServer
from tests.publish.samples import seed_draft, wework_draft
from tests.serve.conftest import fill_store

RUN_STATS = {
    "pages_read": 12345,
    "pages_unchanged": 678,
    "pages_failed": 90,
    "articles_new": 12000,
    "articles_updated": 45,
    "stories_new": 3000,
    "stories_updated": 200,
    "drafts_published": 2900,
    "drafts_held": 100,
}


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    return cli_runner(monkeypatch)


def test_db_in_a_missing_folder_is_made_as_out_is(runner: CliRunner, tmp_path: Path) -> None:
    pages = write_docs(tmp_path / "pages", [seed_doc()])
    db = tmp_path / "some" / "missing" / "folder" / "nd.db"
    out = tmp_path / "also" / "missing" / "site"
    result = runner.invoke(app, ["run", str(pages), "--db", str(db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert db.is_file() and (out / "index.html").is_file()
    with open_store(str(db)) as store:
        assert store.count_articles() == 1
    # The readers make it too (an empty store lists nothing).
    other = tmp_path / "new" / "nd.db"
    assert runner.invoke(app, ["runs", "--db", str(other), "--json"]).exit_code == 0
    assert other.is_file()


def test_db_folder_that_cannot_be_made_is_reported(runner: CliRunner, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    db = blocker / "nd.db"
    for command in (["runs"], ["stories"]):
        result = runner.invoke(app, [*command, "--db", str(db)])
        assert result.exit_code == 1
        assert "cannot make the folder" in result.stderr and "Traceback" not in result.output


def test_extract_allow_private_fetches_a_loopback_page(runner: CliRunner) -> None:
    server = NewsServer()
    (doc,) = single_docs(1)
    server.add([doc])
    url = server.page_url(doc.name)
    with server.running():
        refused = runner.invoke(app, ["extract", url])
        allowed = runner.invoke(app, ["extract", url, "--allow-private"])
    assert refused.exit_code == 1 and "private" in refused.stderr
    assert allowed.exit_code == 0, allowed.output
    article = json.loads(allowed.stdout)
    assert article["url"] == url and article["paragraphs"]
    assert server.hits[f"/pages/{doc.name}"] == 1  # only the allowed run fetched it


def _narrow(args: list[str]) -> str:
    result = CliRunner(env={"COLUMNS": "80"}).invoke(app, args)
    assert result.exit_code == 0, result.output
    return result.stdout


def _fits_80_columns(output: str) -> list[str]:
    lines = output.splitlines()
    assert lines and all(len(line) <= 80 for line in lines), output
    assert "…" not in output, output  # nothing cut short
    return lines


def test_runs_table_is_readable_at_80_columns(tmp_path: Path) -> None:
    db = str(tmp_path / "nd.db")
    with open_store(db) as store:
        done = store.start_run()
        store.finish_run(done, "ok", RUN_STATS)
        stopped = store.start_run()
        store.finish_run(stopped, "interrupted", {"pages_read": 7})
    lines = _fits_80_columns(_narrow(["runs", "--db", db]))
    text = "\n".join(lines)
    for run_id in (done, stopped):
        assert any(run_id in line for line in lines), text  # whole, on one line
    for count in ("pages 12345/678/90", "articles 12000/45", "stories 3000/200", "drafts 2900/100"):
        assert count in text
    assert "pages 7/-/-" in text and "interrupted" in text
    assert "pages read/unchanged/failed" in text  # what the numbers are


def test_stories_table_is_readable_at_80_columns(tmp_path: Path) -> None:
    db = str(tmp_path / "nd.db")
    with open_store(db) as store:
        fill_store(store)
        stories = {s.id: s for s in store.list_stories()}
    lines = _fits_80_columns(_narrow(["stories", "--db", db]))
    words = " ".join(lines).split()
    for story in stories.values():
        assert any(story.id in line for line in lines)
        # every word of the headline is there whole (wrapped between words only)
        for word in story.headline.split():
            assert word in words, (word, "\n".join(lines))
    assert "3 articles: Example, TechCrunch, VentureBeat" in re.sub(r"\s+", " ", " ".join(lines))


def test_feed_links_are_relative_without_a_site_url(tmp_path: Path) -> None:
    publish_site([seed_draft(), wework_draft()], tmp_path / "site")
    raw = (tmp_path / "site" / "feed.atom").read_bytes()
    assert b"file:" not in raw
    served = feedparser.parse(
        raw,
        response_headers={
            "content-location": "https://news.example.org/desk/feed.atom",
            "content-type": "application/atom+xml",
        },
    )
    assert not served.bozo, served.bozo_exception
    assert {e.link for e in served.entries} == {
        "https://news.example.org/desk/stories/wework-nyag.html",
        "https://news.example.org/desk/stories/wagner-mali.html",
    }
    # Atom ids are absolute IRIs, the same wherever the folder is served from.
    assert all(re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", e.id) for e in served.entries)
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", served.feed.id)
    # Each relative link names a file the site has.
    for entry in feedparser.parse(raw).entries:
        assert (tmp_path / "site" / entry.link).is_file(), entry.link
    again = tmp_path / "elsewhere"
    publish_site([seed_draft(), wework_draft()], again)
    assert (again / "feed.atom").read_bytes() == raw


def test_run_says_how_to_get_absolute_feed_links(runner: CliRunner, tmp_path: Path) -> None:
    pages = write_docs(tmp_path / "pages", [seed_doc()])
    args = ["run", str(pages), "--db", str(tmp_path / "nd.db"), "--out", str(tmp_path / "site")]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "--site-url" in result.output and "relative" in result.output
    with_url = runner.invoke(app, [*args, "--site-url", "https://news.example.org/"])
    assert with_url.exit_code == 0, with_url.output
    assert "relative" not in with_url.output
    feed = feedparser.parse((tmp_path / "site" / "feed.atom").read_bytes())
    assert all(e.link.startswith("https://news.example.org/stories/") for e in feed.entries)


def test_stories_mark_paywalled_outlets(tmp_path: Path) -> None:
    from newsdesk.extract import extract
    from newsdesk.model import Story

    pages = Path(__file__).resolve().parents[1] / "examples" / "pages"
    walled = extract(
        (pages / "ashgrove-chronicle" / "2025-06-13-hydrogen-trains-order.html").read_bytes()
    )
    other = extract((pages / "quillfield-times" / "2025-06-13-hydrogen-trains.html").read_bytes())
    db = str(tmp_path / "nd.db")
    with open_store(db) as store:
        store.add_articles([walled, other])
        ids = (walled.id, other.id)
        store.save_story(Story(id="hydrogen", article_ids=ids, headline=other.title), list(ids))
    (row,) = [
        json.loads(line) for line in _narrow(["stories", "--db", db, "-f", "jsonl"]).splitlines()
    ]
    assert row["paywalled"] == [walled.site_name] and other.site_name in row["outlets"]
    table = re.sub(r"\s+", " ", " ".join(_fits_80_columns(_narrow(["stories", "--db", db]))))
    assert f"{walled.site_name} (paywall)" in table
    assert f"{other.site_name} (paywall)" not in table
