"""`newsdesk run` on the command line: every kind of SOURCE, the summary, failures and
exit codes, incremental second runs, and options checked before any work."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.cli.run_cmd import parse_duration
from newsdesk.store import open_store
from tests.pipeline_support.cli import cli_runner, drafts_written, summary_row
from tests.pipeline_support.corpus import (
    base_time,
    cluster_docs,
    seed_doc,
    single_docs,
    story_clusters,
    write_docs,
)
from tests.pipeline_support.server import NewsServer


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    return cli_runner(monkeypatch)


def test_run_reads_folders_toml_feeds_sitemaps_and_urls_then_only_what_changed(
    runner: CliRunner, tmp_path: Path
) -> None:
    start = base_time()
    texts = story_clusters(3)
    write_docs(tmp_path / "pages", cluster_docs(0, texts[0], 0, 2, start))
    seed = write_docs(tmp_path / "more", [seed_doc()]) / "seed.txt"
    server = NewsServer()
    server.add(cluster_docs(1, texts[1], 0, 2, start))  # in the feed and the sitemap
    lone = single_docs(1)
    server.add(lone, in_feed=False)
    sources = tmp_path / "sources.toml"
    sources.write_text(
        f'[[source]]\npath = "pages"\n\n[[source]]\nfeed = "{server.base}/feed.xml"\n',
        encoding="utf-8",
    )
    db, out = tmp_path / "s.db", tmp_path / "site"
    args = ["run", str(sources), str(seed), f"{server.base}/sitemap.xml"]
    args += [server.page_url(lone[0].name), "--db", str(db), "--out", str(out), "--allow-private"]
    with server.running():
        first = runner.invoke(app, args)
        assert first.exit_code == 0, first.output
        assert summary_row(first.output, "pages read") == 6
        assert summary_row(first.output, "pages failed") == 0
        assert summary_row(first.output, "articles new") == 6
        assert summary_row(first.output, "stories new") >= 3
        published = summary_row(first.output, "drafts published")
        assert drafts_written(first.output) == summary_row(first.output, "stories new")
        assert f"Site written to {(out / 'index.html').resolve()}" in first.output
        assert f"newsdesk serve --db {db}" in first.output
        assert summary_row(first.output, "stories on the site") == published
        for stage in ("read", "cluster", "write", "publish"):  # the progress bars
            assert re.search(rf"^\s*{stage} ", first.output, re.M), first.output
        # The sitemap's pages were read once, by the feed: no page fetched twice.
        assert all(n == 1 for p, n in server.hits.items() if p.startswith("/pages/"))
        hits = server.page_hits()

        # A page joins the folder's story; nothing else changed.
        write_docs(tmp_path / "pages", cluster_docs(0, texts[0], 2, 3, start))
        second = runner.invoke(app, args)
        assert second.exit_code == 0, second.output
        assert summary_row(second.output, "pages read") == 1
        assert summary_row(second.output, "articles new") == 1
        assert summary_row(second.output, "stories new") == 0
        assert summary_row(second.output, "stories updated") == 1
        assert drafts_written(second.output) == 1
        assert ("/feed.xml", 304) in server.statuses
        assert server.page_hits() == hits  # not even the page URL given as a source

        # Nothing new at all: the site is left as it is, and the run says so.
        third = runner.invoke(app, args)
        assert third.exit_code == 0, third.output
        assert summary_row(third.output, "stories updated") == 0
        assert f"Site at {(out / 'index.html').resolve()} is current" in third.output
        assert "Site written to" not in third.output
    with open_store(db) as store:
        assert len(store.list_runs()) == 3
        assert all(run.status == "ok" for run in store.list_runs())
        assert len(store.list_drafts(status="published")) == len(
            list((out / "stories").glob("*.html"))
        )


def test_failures_are_reported_and_the_exit_status_is_1(runner: CliRunner, tmp_path: Path) -> None:
    pages = write_docs(tmp_path / "pages", single_docs(2))
    (pages / "broken.html").write_bytes(b"\x00\x01\x02" * 100)
    server = NewsServer()
    missing = tmp_path / "no-such-folder"
    with server.running():
        dead = f"{server.base}/dead.xml"
        result = runner.invoke(
            app,
            [
                "run",
                str(pages),
                dead,
                str(missing),
                "--db",
                str(tmp_path / "s.db"),
                "--out",
                str(tmp_path / "site"),
                "--allow-private",
            ],
        )
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert summary_row(result.output, "pages failed") == 3
    assert summary_row(result.output, "articles new") == 2
    assert drafts_written(result.output) == 2
    failures = result.output.split("failures", 1)[1]
    for source in (dead, str(missing), "broken.html"):
        assert source in failures
    assert "500" in failures


def test_a_loopback_feed_is_refused_without_allow_private(
    runner: CliRunner, tmp_path: Path
) -> None:
    server = NewsServer()
    server.add(single_docs(1))
    with server.running():
        result = runner.invoke(
            app,
            [
                "run",
                f"{server.base}/feed.xml",
                "--db",
                str(tmp_path / "s.db"),
                "--out",
                str(tmp_path / "site"),
            ],
        )
    assert result.exit_code == 1
    assert server.hits["/feed.xml"] == 0
    assert summary_row(result.output, "pages failed") == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "yesterday"], "not a duration"),
        (["--writer", "poetic"], "extractive or llm"),
        (["--writer", "llm"], "--llm-url"),
    ],
)
def test_bad_options_are_refused_before_any_work(
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    message: str,
) -> None:
    monkeypatch.delenv("NEWSDESK_LLM_BASE_URL", raising=False)
    monkeypatch.delenv("NEWSDESK_LLM_MODEL", raising=False)
    db = tmp_path / "s.db"
    result = runner.invoke(app, ["run", str(tmp_path), "--db", str(db), *args])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert not db.exists()


def test_since_takes_durations() -> None:
    assert parse_duration("24h") == timedelta(hours=24)
    assert parse_duration("90m") == timedelta(minutes=90)
    assert parse_duration("1d12h") == timedelta(days=1, hours=12)
    assert parse_duration("2w") == timedelta(weeks=2)


def test_the_llm_writer_writes_stories_side_by_side_and_falls_back_on_unusable_answers(
    runner: CliRunner, tmp_path: Path
) -> None:
    from tests.write.llm_server import ScriptedLLMServer, completion

    pages = write_docs(tmp_path / "pages", single_docs(4))
    db = tmp_path / "s.db"
    # Each answer is late and not the JSON asked for: the run still publishes every story.
    with ScriptedLLMServer(default=lambda body: (200, completion("no JSON here"), 0.5)) as llm:
        result = runner.invoke(
            app,
            [
                "run",
                str(pages),
                "--db",
                str(db),
                "--out",
                str(tmp_path / "site"),
                "--writer",
                "llm",
                "--llm-url",
                llm.base_url,
                "--llm-model",
                "test-model",
            ],
        )
    assert result.exit_code == 0, result.output
    assert len(llm.requests) >= 4
    assert all(r["model"] == "test-model" for r in llm.requests)
    assert llm.max_in_flight >= 2  # stories written at the same time, not one by one
    with open_store(db) as store:
        drafts = store.list_drafts()
        assert len(drafts) == 4
        assert all("fallback" in (d.draft.writer or "") for d in drafts)
