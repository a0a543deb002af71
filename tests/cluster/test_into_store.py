"""Clustering into the store has one rule for `newsdesk cluster` and `newsdesk run`
(``newsdesk.pipeline.clustering``): an unreadable clusterer state is rebuilt from the stored
stories (ids kept), an article the clusterer fails on is reported and the rest go on, and a
run reads and decompresses the saved state once."""

from __future__ import annotations

from newsdesk.cluster import StoryClusterer
from newsdesk.pipeline.clustering import STATE_KEY
from newsdesk.store import open_store
from tests.cluster.conftest import headline_rows, printed_objects, run_cli, write_jsonl
from tests.pipeline_support.state_reads import count_state_decodes


def test_cluster_command_rebuilds_an_unreadable_state_and_keeps_story_ids(tmp_path, uci_sample):
    rows = headline_rows(uci_sample, 120)
    whole = run_cli(
        "cluster", str(write_jsonl(tmp_path / "all.jsonl", rows)), "--db", str(tmp_path / "w.db")
    )
    db = str(tmp_path / "n.db")
    run_cli("cluster", str(write_jsonl(tmp_path / "a.jsonl", rows[:60])), "--db", db)
    with open_store(db) as store:
        store.set_state(STATE_KEY, b"written by some other version")
    again = run_cli("cluster", str(write_jsonl(tmp_path / "b.jsonl", rows)), "--db", db)
    assert again.exit_code == 0, again.output
    # Started afresh, the clusterer would give the later articles stories of their own
    # where they belong to stories the first call made.
    assert printed_objects(again.stdout) == printed_objects(whole.stdout)


def test_an_article_the_clusterer_fails_on_is_reported_and_the_rest_clustered(
    tmp_path, uci_sample, monkeypatch
):
    rows = headline_rows(uci_sample, 30)
    bad = rows[7]["id"]
    add = StoryClusterer.add

    def failing_add(self, article, *args, **kwargs):
        if article.id == bad:
            raise ValueError("a bug of ours")
        return add(self, article, *args, **kwargs)

    monkeypatch.setattr(StoryClusterer, "add", failing_add)
    result = run_cli(
        "cluster", str(write_jsonl(tmp_path / "in.jsonl", rows)), "--db", str(tmp_path / "n.db")
    )
    assert result.exit_code == 1
    assert ":8: not clustered: unexpected ValueError: a bug of ours" in result.stderr
    pairs = {p["article_id"]: p["story_id"] for p in printed_objects(result.stdout)}
    assert pairs[bad] == ""
    assert all(story for article, story in pairs.items() if article != bad)


def test_a_run_reads_the_saved_state_once(tmp_path, uci_sample, monkeypatch):
    rows = headline_rows(uci_sample, 80)
    db = str(tmp_path / "n.db")
    first = str(write_jsonl(tmp_path / "a.jsonl", rows[:40]))
    assert run_cli("cluster", first, "--db", db, "--mix-languages").exit_code == 0
    decoded = count_state_decodes(monkeypatch)
    source = str(write_jsonl(tmp_path / "b.jsonl", rows[40:]))
    result = run_cli("cluster", source, "--db", db, "--mix-languages")
    assert result.exit_code == 0, result.output
    assert len(decoded) == 1, "options checked, config agreed and clusterer built from one read"
