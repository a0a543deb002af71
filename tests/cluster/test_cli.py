"""`newsdesk cluster` and `newsdesk stories` over a SQLite store in a temporary folder."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from newsdesk.cli import app
from tests.cluster.conftest import headline_rows, printed_objects, run_cli, write_jsonl


def test_cluster_prints_one_line_per_article_in_input_order(tmp_path, uci_sample):
    rows = headline_rows(uci_sample)
    source = write_jsonl(tmp_path / "in.jsonl", rows)
    result = run_cli("cluster", str(source), "--db", str(tmp_path / "n.db"))
    assert result.exit_code == 0, result.output
    pairs = printed_objects(result.stdout)
    assert [p["article_id"] for p in pairs] == [r["id"] for r in rows]
    assert len({p["story_id"] for p in pairs}) < len(rows)  # some headlines share a story


def test_running_twice_changes_nothing(tmp_path, uci_sample):
    source = write_jsonl(tmp_path / "in.jsonl", headline_rows(uci_sample))
    db = str(tmp_path / "n.db")
    first = run_cli("cluster", str(source), "--db", db)
    listed = run_cli("stories", "--db", db, "--format", "jsonl", "--limit", "0")
    second = run_cli("cluster", str(source), "--db", db)
    listed_again = run_cli("stories", "--db", db, "--format", "jsonl", "--limit", "0")
    assert first.exit_code == second.exit_code == 0
    assert first.stdout == second.stdout
    assert listed.stdout == listed_again.stdout


def test_later_runs_extend_the_stories_of_earlier_runs(tmp_path, uci_sample):
    rows = headline_rows(uci_sample, 120)
    db = str(tmp_path / "n.db")
    whole = run_cli(
        "cluster", str(write_jsonl(tmp_path / "all.jsonl", rows)), "--db", str(tmp_path / "w.db")
    )
    run_cli("cluster", str(write_jsonl(tmp_path / "a.jsonl", rows[:60])), "--db", db)
    run_cli("cluster", str(write_jsonl(tmp_path / "b.jsonl", rows[60:])), "--db", db)
    again = run_cli("cluster", str(write_jsonl(tmp_path / "all2.jsonl", rows)), "--db", db)
    # Two runs in sequence give what one run over everything gives.
    assert printed_objects(again.stdout) == printed_objects(whole.stdout)


def test_stories_lists_headline_count_outlets_and_times(tmp_path, uci_sample):
    rows = headline_rows(uci_sample)
    db = str(tmp_path / "n.db")
    run_cli("cluster", str(write_jsonl(tmp_path / "in.jsonl", rows)), "--db", db)
    listed = run_cli("stories", "--db", db, "--format", "jsonl", "--limit", "0")
    assert listed.exit_code == 0
    stories = printed_objects(listed.stdout)
    assert sum(s["articles"] for s in stories) == len(rows)
    biggest = max(stories, key=lambda s: s["articles"])
    assert (
        biggest["headline"] and biggest["outlets"] and biggest["first_seen"] <= biggest["last_seen"]
    )
    table = run_cli("stories", "--db", db)
    assert table.exit_code == 0
    assert biggest["id"] in table.stdout


def test_default_store_is_newsdesk_db_in_the_working_folder(tmp_path, uci_sample, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSDESK_STORE", raising=False)
    source = write_jsonl(tmp_path / "in.jsonl", headline_rows(uci_sample, 10))
    assert run_cli("cluster", str(source)).exit_code == 0
    assert (tmp_path / "newsdesk.db").exists()


def test_minimal_and_full_extract_lines_are_both_read(tmp_path, multinews_rows):
    full = {
        "id": "full-1",
        "url": "https://news.example/a",
        "title": "A full article",
        "paragraphs": [p for p in multinews_rows[0]["text"].split("\n\n") if p.strip()],
        "authors": ["A. Writer"],
        "published": "2011-11-28",
        "language": "en",
        "site_name": "Example News",
        "input_format": "html",
        "text": multinews_rows[0]["text"],
    }
    minimal = {"id": "min-1", "title": "Only a headline"}
    source = write_jsonl(tmp_path / "in.jsonl", [full, minimal])
    result = run_cli("cluster", str(source), "--db", str(tmp_path / "n.db"))
    assert result.exit_code == 0, result.output
    assert [p["article_id"] for p in printed_objects(result.stdout)] == ["full-1", "min-1"]


@pytest.mark.parametrize(
    ("bad_line", "reason"),
    [
        ('{"id": "broken", "title": "cut off', "not valid JSON"),
        ('["not", "an", "object"]', "expected a JSON object"),
        ('{"id": "empty", "title": "", "text": ""}', "nothing to cluster"),
        ('{"id": "nothing"}', "nothing to cluster"),
        ('{"id": "odd", "title": {"nested": 1}}', "must be text"),
        ('{"id": "uci-1", "title": "Same id as line 1"}', "duplicate id"),
    ],
)
def test_bad_line_is_reported_with_its_number_and_the_rest_goes_on(
    tmp_path, uci_sample, bad_line, reason
):
    rows: list[dict | str] = list(headline_rows(uci_sample, 6))
    rows.insert(3, bad_line)
    source = write_jsonl(tmp_path / "in.jsonl", rows)
    result = run_cli("cluster", str(source), "--db", str(tmp_path / "n.db"))
    assert result.exit_code == 1
    assert "in.jsonl:4: " in result.stderr and reason in result.stderr
    assert "Traceback" not in result.output
    assert len(printed_objects(result.stdout)) == 6  # every good line still answered


def test_out_of_order_and_unreadable_times_are_noted_not_failed(tmp_path, uci_sample):
    rows = headline_rows(uci_sample, 40)
    rows[25] = {**rows[25], "published": "last Tuesday"}
    shuffled = rows[20:] + rows[:20]
    db_sorted, db_shuffled = str(tmp_path / "a.db"), str(tmp_path / "b.db")
    in_order = run_cli("cluster", str(write_jsonl(tmp_path / "a.jsonl", rows)), "--db", db_sorted)
    result = run_cli(
        "cluster", str(write_jsonl(tmp_path / "b.jsonl", shuffled)), "--db", db_shuffled
    )
    assert result.exit_code == 0
    assert "clustered in time order" in result.stderr
    assert "unreadable date 'last Tuesday'" in result.stderr
    assert len(printed_objects(result.stdout)) == 40
    # Time order (the undated line first, on content alone) makes the input order
    # irrelevant: the same stories, with the same ids.
    ordered = {p["article_id"]: p["story_id"] for p in printed_objects(in_order.stdout)}
    got = {p["article_id"]: p["story_id"] for p in printed_objects(result.stdout)}
    assert got == ordered
    assert len(set(got.values())) < 40  # stories of several headlines, not one each


def test_missing_file_is_an_error_not_a_traceback(tmp_path):
    result = run_cli("cluster", str(tmp_path / "absent.jsonl"), "--db", str(tmp_path / "n.db"))
    assert result.exit_code == 1
    assert "cannot read" in result.stderr


def test_standard_input_numeric_ids_and_epoch_milliseconds(tmp_path, uci_sample):
    articles, _ = uci_sample
    lines = [
        json.dumps({"id": index, "title": a.title, "published": 1394470370698 + index * 1000})
        for index, a in enumerate(articles[:12])
    ]
    result = CliRunner().invoke(
        app, ["cluster", "-", "--db", str(tmp_path / "n.db")], input="\n".join(lines) + "\n"
    )
    assert result.exit_code == 0, result.output
    assert [p["article_id"] for p in printed_objects(result.stdout)] == [str(i) for i in range(12)]
    listed = printed_objects(
        run_cli("stories", "--db", str(tmp_path / "n.db"), "-f", "jsonl").stdout
    )
    assert min(s["first_seen"] for s in listed).startswith("2014-03-10T16:52")
