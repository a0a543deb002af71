"""`newsdesk verify`: one report per input line, bad lines reported and skipped."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.model import Article, Draft, Sentence


def _line(draft: Draft, articles: list[Article]) -> str:
    data = draft.to_dict()
    data["articles"] = [a.to_dict() for a in articles]
    return json.dumps(data, ensure_ascii=False)


def _draft(story_id: str, text: str, cited: tuple[str, ...]) -> Draft:
    return Draft(
        story_id=story_id,
        headline="",
        standfirst=(),
        lead=(Sentence(text, cited),),
        body=(),
        summary=(),
    )


def test_verify_command_reports_each_line_in_order(tmp_path: Path, seed_article: Article):
    cited = (seed_article.id,)
    good = _draft("good", seed_article.paragraphs[2], cited)
    bad = _draft("bad", "The group says it killed 40 soldiers in Sikasso.", cited)
    uncited = _draft("uncited", seed_article.paragraphs[2], ())
    lines = [
        _line(good, [seed_article]),
        "{not json",
        _line(bad, [seed_article]),
        _line(uncited, [seed_article]),
        _line(good, []),
        "",
    ]
    path = tmp_path / "drafts.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")

    result = CliRunner().invoke(app, ["verify", str(path)])

    assert result.exit_code == 1  # a line could not be parsed, and drafts failed
    reports = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["story_id"] for r in reports] == ["good", "", "bad", "uncited", "good"]
    assert [r["passed"] for r in reports] == [True, False, False, False, False]
    assert "line 2" in reports[1]["problems"][0]["why"]
    assert {p["kind"] for p in reports[2]["problems"]} >= {"number", "name"}
    assert reports[3]["problems"][0]["kind"] == "citation"
    assert any("no source articles" in p["why"] for p in reports[4]["problems"])
    assert "drafts.jsonl:2" in result.stderr
    assert all(set(r) == {"story_id", "passed", "problems", "evidence"} for r in reports)
    # The good draft's every sentence comes with the source passage its check matched.
    assert reports[0]["evidence"] and all(reports[0]["evidence"])
    assert all(e["article_id"] == seed_article.id for s in reports[0]["evidence"] for e in s)


def test_verify_command_all_good_exits_zero(tmp_path: Path, seed_article: Article):
    draft = _draft("good", seed_article.paragraphs[0], (seed_article.id,))
    path = tmp_path / "drafts.jsonl"
    path.write_text(_line(draft, [seed_article]) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["verify", str(path)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["passed"] is True


def test_verify_command_missing_file(tmp_path: Path):
    result = CliRunner().invoke(app, ["verify", str(tmp_path / "absent.jsonl")])
    assert result.exit_code == 1
    assert "cannot read" in result.stderr
