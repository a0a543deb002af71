"""The library API: newsdesk.cluster, write, verify and run, on the example corpus, give
what the stage code and the command line give; README's "Use as a library" block runs."""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import inspect
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import newsdesk
from newsdesk import library
from newsdesk.cli import app
from newsdesk.cluster import cluster_articles
from newsdesk.model import Article, Story
from newsdesk.pipeline.blocks import StoryJob, StoryWriter, WriteOptions
from newsdesk.pipeline.blocks import write_story as write_block
from newsdesk.store import open_store
from newsdesk.verify import verify_draft
from newsdesk.write import write_story
from tests.conftest import REPO

EXAMPLES = REPO / "examples"


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    found = []
    for page in sorted((EXAMPLES / "pages").rglob("*.*")):
        with contextlib.suppress(newsdesk.InputError):  # the cookie wall and soft 404
            found.append(newsdesk.extract(page.read_bytes()))
    assert len(found) >= 20
    return found


def _groups(pairs: list[tuple[str, str]]) -> set[frozenset[str]]:
    by_story: dict[str, set[str]] = {}
    for article_id, story_id in pairs:
        by_story.setdefault(story_id, set()).add(article_id)
    return {frozenset(ids) for ids in by_story.values()}


def test_cluster_groups_as_the_cluster_stage(articles: list[Article]) -> None:
    stories = newsdesk.cluster(articles)
    assert {frozenset(s.article_ids) for s in stories} == _groups(cluster_articles(articles))
    assert [len(s.article_ids) for s in stories] == sorted(
        (len(s.article_ids) for s in stories), reverse=True
    )
    assert sum(len(s.article_ids) for s in stories) == len(articles)
    assert newsdesk.cluster(list(reversed(articles))) == stories  # any order, same stories


def test_write_and_verify_are_the_pipeline_blocks(articles: list[Article]) -> None:
    story = newsdesk.cluster(articles)[0]
    draft = newsdesk.write(story, articles, max_words=150)
    members = tuple(a for a in articles if a.id in story.article_ids)
    job = StoryJob(story.id, members)
    block = write_block(job, StoryWriter(WriteOptions(max_words=150))).draft
    assert block is not None
    assert dataclasses.replace(draft, written_at=None) == dataclasses.replace(
        block, written_at=None
    )
    cited = {c for s in draft.sentences() for c in s.citations}
    assert cited and cited <= set(story.article_ids)
    assert draft.checks is not None and draft.publishable  # verified as newsdesk run does
    report = newsdesk.verify(dataclasses.replace(draft, checks=None), articles)
    assert report == verify_draft(draft, articles) == draft.checks
    assert report.passed, report.problems
    with pytest.raises(newsdesk.InputError, match="none of its articles"):
        newsdesk.write(Story(id="nothing", article_ids=("x",)), articles)


def test_run_is_newsdesk_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sources = [str(EXAMPLES / "sources.toml")]
    db = tmp_path / "made" / "by" / "run" / "nd.db"  # its folder is made
    summary = newsdesk.run(sources, out=tmp_path / "site", db=db)
    assert summary.stories_new >= 6 and summary.drafts_published >= 5
    assert (tmp_path / "site" / "index.html").is_file()
    monkeypatch.setenv("COLUMNS", "200")
    cli_db = tmp_path / "cli.db"
    args = ["run", *sources, "--out", str(tmp_path / "cli-site"), "--db", str(cli_db)]
    assert CliRunner().invoke(app, args).exit_code in (0, 1)  # 1: the corpus's non-articles

    def contents(path: Path) -> tuple[set[frozenset[str]], set[str]]:
        with open_store(str(path)) as store:
            stories = {frozenset(s.article_ids) for s in store.list_stories()}
            drafts = {d.draft.headline for d in store.list_drafts(status="published")}
        return stories, drafts

    assert contents(db) == contents(cli_db)
    again = newsdesk.run(sources, out=tmp_path / "site", db=db)
    assert again.stories_new == 0 and again.pages_unchanged == summary.pages_read


def test_stage_names_are_functions_and_packages() -> None:
    for name in ("cluster", "write", "verify", "run"):
        function = getattr(newsdesk, name)
        assert callable(function) and name in newsdesk.__all__
        documented = getattr(library, name)
        assert inspect.signature(function) == inspect.signature(documented)
        assert len(inspect.getdoc(documented) or "") > 200  # what it does, takes and gives
    # cluster, write and verify are the stages' packages themselves, made callable
    importlib.import_module("newsdesk.write.extractive")
    import newsdesk.verify as verify_package  # an import through the package's name

    for name in ("cluster", "write", "verify"):
        assert getattr(newsdesk, name) is sys.modules[f"newsdesk.{name}"]
    assert verify_package is newsdesk.verify and verify_package.verify_draft is verify_draft
    assert newsdesk.write.write_story is write_story
    assert newsdesk.cluster.ClusterConfig.__name__ == "ClusterConfig"


def test_import_newsdesk_stays_light() -> None:
    code = "import sys, newsdesk; print(sorted(m for m in ('numpy', 'sklearn', 'newsdesk.cluster', 'newsdesk.verify') if m in sys.modules))"
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"


def _readme_block() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Use as a library", 1)[1].split("\n## ", 1)[0]
    found = re.search(r"```python\n(.*?)```", section, re.S)
    assert found, "README's 'Use as a library' section has no python block"
    return found.group(1)


def test_readme_library_block_runs(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    script = tmp_path / "readme_block.py"
    script.write_text(_readme_block(), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    done = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "verified: True" in done.stdout
    counts = re.search(r"^(\d+) stories, (\d+) published$", done.stdout, re.M)
    assert counts and int(counts.group(1)) >= 6 and int(counts.group(2)) >= 5, done.stdout
    assert (tmp_path / "site" / "index.html").is_file() and (tmp_path / "newsdesk.db").is_file()
