"""The pipeline's blocks as the CLI, the server and the runners call them: one rule for what
is published, and a run that reads the store's clusterer state once."""

from __future__ import annotations

from pathlib import Path

from newsdesk.cli import app
from newsdesk.model import Draft, Problem, Report, Sentence
from newsdesk.publish.view import is_held
from tests.pipeline_support.cli import cli_runner, summary_row
from tests.pipeline_support.corpus import base_time, cluster_docs, story_clusters, write_docs
from tests.pipeline_support.state_reads import count_state_decodes


def _draft(checks: Report | None) -> Draft:
    sentence = Sentence("Wagner leaves Mali.", ("a1",))
    return Draft("s", "Wagner leaves Mali", (sentence,), (), (), (), checks=checks)


def test_one_rule_decides_what_is_published():
    unchecked = _draft(None)
    failed = _draft(Report("s", False, (Problem("number", "x", "not in the source"),)))
    passed = _draft(Report("s", True, ()))
    assert [d.publishable for d in (unchecked, failed, passed)] == [False, False, True]
    # publish holds exactly what the pipeline does not publish (a draft nobody checked too).
    assert [is_held(d) for d in (unchecked, failed, passed)] == [True, True, False]


def test_a_run_decompresses_the_clusterer_state_once(tmp_path: Path, monkeypatch) -> None:
    texts = story_clusters(2)
    docs = [d for i, t in enumerate(texts) for d in cluster_docs(i, t, 0, 2, base_time())]
    first = write_docs(tmp_path / "first", docs[:2])
    later = write_docs(tmp_path / "later", docs[2:])
    runner = cli_runner(monkeypatch)
    db, site = str(tmp_path / "n.db"), str(tmp_path / "site")
    made = runner.invoke(app, ["run", str(first), "--db", db, "--out", site, "--mix-languages"])
    assert made.exit_code == 0, made.output
    decoded = count_state_decodes(monkeypatch)
    # The language options are checked against the stored config, then the run clusters.
    args = ["run", str(later), "--db", db, "--out", site, "--mix-languages"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert (
        summary_row(result.output, "stories new") + summary_row(result.output, "stories updated")
        >= 1
    )
    assert len(decoded) == 1
