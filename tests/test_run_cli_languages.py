"""`newsdesk run --mix-languages / --no-language-guess`: the store keeps the clusterer's
config of its first run; later runs go on with it, and a contradicting flag stops the run
before any work."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.pipeline.clustering import stored_config
from newsdesk.store import open_store
from tests.pipeline_support.cli import cli_runner, summary_row
from tests.pipeline_support.corpus import single_docs, write_docs


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    return cli_runner(monkeypatch)


def _words(output: str) -> str:
    return " ".join(output.split())  # the console may wrap a long message


def test_run_keeps_the_language_options_of_the_stores_first_run(
    runner: CliRunner, tmp_path: Path
) -> None:
    docs = single_docs(3)
    pages = write_docs(tmp_path / "pages", docs[:2])
    db, out = tmp_path / "s.db", tmp_path / "site"
    base = ["run", str(pages), "--db", str(db), "--out", str(out)]

    first = runner.invoke(app, [*base, "--mix-languages", "--no-language-guess"])
    assert first.exit_code == 0, first.output
    assert summary_row(first.output, "articles new") == 2
    with open_store(db) as store:
        config = stored_config(store)
        articles = len(store.get_articles(store.unclustered_article_ids())) + sum(
            len(s.article_ids) for s in store.list_stories()
        )
    assert config is not None
    assert (config.separate_languages, config.guess_languages) == (False, False)
    assert articles == 2

    write_docs(pages, docs[2:])
    refused = runner.invoke(app, [*base, "--separate-languages"])
    assert refused.exit_code == 2, refused.output
    said = _words(refused.output)
    assert "languages mixed in a story (--mix-languages)" in said
    assert "Leave --separate-languages out" in said
    assert "Traceback" not in refused.output
    with open_store(db) as store:  # stopped before reading the new page
        assert sum(len(s.article_ids) for s in store.list_stories()) == 2
        assert store.unclustered_article_ids() == []

    refused = runner.invoke(app, [*base, "--language-guess"])
    assert refused.exit_code == 2
    assert "(--no-language-guess)" in _words(refused.output)

    # Without the options the run goes on as the store was made.
    again = runner.invoke(app, base)
    assert again.exit_code == 0, again.output
    assert summary_row(again.output, "articles new") == 1
    with open_store(db) as store:
        config = stored_config(store)
    assert config is not None
    assert (config.separate_languages, config.guess_languages) == (False, False)


def test_run_help_describes_the_language_options(runner: CliRunner) -> None:
    result = runner.invoke(app, ["run", "--help"])
    assert result.exit_code == 0
    said = _words(result.output)
    for flag in ("--mix-languages", "--separate-languages", "--no-language-guess"):
        assert flag in said
    assert "one language per story" in said
