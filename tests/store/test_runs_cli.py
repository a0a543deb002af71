"""`newsdesk runs`: the run history the store records, newest first, as a table or JSON lines.

Every test runs on SQLite and PostgreSQL (the ``target`` fixture); the command is given the
store the way a user gives it: a path, or a postgresql:// URL naming the test's schema.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.store import schema as t
from tests.store.conftest import Target

# Three runs as `newsdesk run` leaves them: one done, one failed, one stopped.
STATS = {
    "pages_read": 12,
    "pages_unchanged": 3,
    "pages_failed": 2,
    "articles_new": 9,
    "articles_updated": 1,
    "stories_new": 4,
    "stories_updated": 2,
    "drafts_published": 5,
    "drafts_held": 1,
    "failures": [{"source": "bad.html", "stage": "extract", "reason": "not an article"}],
}
RUNS = [  # (id, status, started_at, stats), oldest first
    ("run-a", "ok", "2026-01-01T08:00:00.000000+00:00", STATS),
    ("run-b", "failed", "2026-01-02T08:00:00.000000+00:00", {"pages_read": 7}),
    ("run-c", "interrupted", "2026-01-03T08:00:00.000000+00:00", {"pages_failed": 0}),
]


def _cli_store(target: Target) -> str:
    """The store as a user names it on the command line."""
    if target.schema is None:
        return target.url
    url = sa.make_url(target.url)
    options = f"{url.query.get('options', '')} -csearch_path={target.schema}".strip()
    return url.update_query_dict({"options": options}).render_as_string(hide_password=False)


def _record_runs(target: Target) -> None:
    with target.open() as store:
        for run_id, status, _, stats in RUNS:
            store.start_run(run_id)
            store.finish_run(run_id, status, stats)
    # Known start times, a day apart, so "newest first" has one right answer.
    engine = target.engine()
    try:
        with engine.begin() as conn:
            for run_id, _, started, _ in RUNS:
                conn.execute(
                    t.runs.update().where(t.runs.c.id == run_id).values(started_at=started)
                )
    finally:
        engine.dispose()


def _runs(*args: str) -> Any:
    # A wide terminal, so each run is one line of the table.
    return CliRunner(env={"COLUMNS": "250"}).invoke(app, ["runs", *args])


def _lines(output: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_json_lines_newest_first_with_status_times_and_counts(target: Target) -> None:
    _record_runs(target)
    result = _runs("--db", _cli_store(target), "--json")
    assert result.exit_code == 0, result.output
    listed = _lines(result.stdout)
    assert [r["id"] for r in listed] == ["run-c", "run-b", "run-a"]
    by_id = {r["id"]: r for r in listed}
    for run_id, status, started, stats in RUNS:
        row = by_id[run_id]
        assert row["status"] == status and row["stats"] == stats
        assert row["started_at"] == started and row["finished_at"] is not None


def test_limit_keeps_the_newest_and_zero_means_all(target: Target) -> None:
    _record_runs(target)
    db = _cli_store(target)
    assert [r["id"] for r in _lines(_runs("--db", db, "--json", "--limit", "2").stdout)] == [
        "run-c",
        "run-b",
    ]
    assert len(_lines(_runs("--db", db, "--json", "--limit", "0").stdout)) == len(RUNS)


def test_table_shows_each_run_with_its_counts(target: Target) -> None:
    _record_runs(target)
    result = _runs("--db", _cli_store(target))
    assert result.exit_code == 0, result.output
    assert "3 runs" in result.stdout
    # A run's first line: id, status, started, first count; its counts go on below.
    blocks: dict[str, list[str]] = {}
    for line in result.stdout.splitlines():
        first = line.split()[0] if line.split() else ""
        if first.startswith("run-"):
            blocks[first] = [line]
        elif blocks and line.strip():
            list(blocks.values())[-1].append(line)
    assert list(blocks) == ["run-c", "run-b", "run-a"]  # newest first, as in JSON
    cells = blocks["run-a"][0].split()
    assert cells[:4] == ["run-a", "ok", "2026-01-01", "08:00"]
    counts = [" ".join(line.split()[-2:]) for line in blocks["run-a"][:4]]
    assert counts == ["pages 12/3/2", "articles 9/1", "stories 4/2", "drafts 5/1"]
    assert blocks["run-b"][0].split()[-2:] == ["pages", "7/-/-"]  # counts it did not record
    assert "interrupted" in blocks["run-c"][0] and "failed" in blocks["run-b"][0]


def test_empty_store_lists_nothing(target: Target) -> None:
    target.open().close()
    db = _cli_store(target)
    assert _runs("--db", db, "--json").stdout == ""
    assert "0 runs" in _runs("--db", db).stdout


def test_store_that_cannot_be_opened_is_reported(tmp_path: Any) -> None:
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("")
    unmakeable = not_a_folder / "x.db"  # a missing folder is made; one under a file cannot be
    result = _runs("--db", str(unmakeable))
    assert result.exit_code == 1
    assert str(not_a_folder) in result.stderr and "Traceback" not in result.output
