"""The LLM judge (`--checker llm`) against a real HTTP server on 127.0.0.1 with scripted answers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.model import Article, Draft, Sentence
from newsdesk.verify import verify_draft
from newsdesk.verify.judge import Judge, JudgeConfig, judge_draft
from newsdesk.verify.verifier import low_support
from tests.write.llm_server import ScriptedLLMServer, completion

SOURCE = Article.create(
    url="https://example.org/final",
    title="Smith beats Jones in the final",
    paragraphs=(
        "Anna Smith defeated Maria Jones in the final at Wimbledon on Sunday, winning in "
        "three sets.",
        "Jones had beaten the defending champion Clara Weber in the semi-final.",
    ),
)
# A faithful paraphrase the word-overlap rule doubts (its words are not the source's).
PARAPHRASE = "Smith took the Wimbledon crown on Sunday, needing three sets to overcome Jones."
VERBATIM = "Jones had beaten the defending champion Clara Weber in the semi-final."


def draft(*texts: str) -> Draft:
    cited = (SOURCE.id,)
    return Draft(
        story_id="s",
        headline="",
        standfirst=(),
        lead=tuple(Sentence(t, cited) for t in texts),
        body=(),
        summary=(),
    )


def verdict(value: str, span: str = "", reason: str = "", delay: float = 0.0):
    content = json.dumps({"verdict": value, "span": span, "reason": reason})
    return lambda _body: (200, completion(content), delay)


def garbage(text: str = "I think it is fine!"):
    return lambda _body: (200, completion(text), 0.0)


def judge_for(server: ScriptedLLMServer, timeout: float = 5.0) -> Judge:
    return Judge(
        JudgeConfig(base_url=server.base_url, model="judge", timeout=timeout, max_retries=0)
    )


def test_the_rules_alone_doubt_the_paraphrase():
    report = verify_draft(draft(PARAPHRASE), [SOURCE])
    assert not report.passed
    assert all(low_support(p) for p in report.problems), report.problems


def test_supported_verdict_lifts_the_overlap_doubt_and_sees_the_evidence():
    with ScriptedLLMServer([verdict("supported")]) as server:
        report = judge_draft(draft(PARAPHRASE), [SOURCE], judge_for(server))
    assert report.passed, report.problems
    [request] = server.requests
    assert request["model"] == "judge"
    assert request["response_format"]["type"] == "json_schema"
    schema = request["response_format"]["json_schema"]["schema"]
    assert schema["properties"]["verdict"]["enum"] == ["supported", "unsupported", "contradicted"]
    user = request["messages"][-1]["content"]
    assert '<passage n="1">\nAnna Smith defeated Maria Jones' in user
    assert f"<sentence>{PARAPHRASE}</sentence>" in user


def test_a_supported_verdict_never_lifts_a_wrong_number_or_name():
    wrong = (
        "Anna Smith defeated Maria Jones in the final at Wimbledon on Sunday, winning in four sets."
    )
    swapped = "Anna Smith defeated Clara Weber in the final at Wimbledon on Sunday."
    with ScriptedLLMServer(default=verdict("supported")) as server:
        report = judge_draft(draft(wrong, swapped), [SOURCE], judge_for(server))
    kinds = {(p.text, p.kind) for p in report.problems}
    assert (wrong, "number") in kinds
    assert (swapped, "name") in kinds
    assert not report.passed


def test_unsupported_and_contradicted_verdicts_fail_the_sentence_with_the_span():
    with ScriptedLLMServer(
        [
            verdict("contradicted", "Clara Weber", "the source says Maria Jones"),
            verdict("unsupported", "on Sunday"),
        ]
    ) as server:
        report = judge_draft(draft(VERBATIM, VERBATIM + " "), [SOURCE], judge_for(server))
    whys = [p.why for p in report.problems]
    assert not report.passed
    assert any("contradicted: 'Clara Weber' (the source says Maria Jones)" in w for w in whys)
    assert any("unsupported: 'on Sunday'" in w for w in whys)


def test_a_malformed_answer_is_asked_again_once():
    with ScriptedLLMServer([garbage(), verdict("supported")]) as server:
        report = judge_draft(draft(VERBATIM), [SOURCE], judge_for(server))
    assert report.passed
    assert len(server.requests) == 2


@pytest.mark.parametrize(
    "answers",
    [
        [garbage(), garbage('{"verdict": "maybe"}')],
        [garbage("[1, 2]"), garbage("")],
        [lambda _body: (500, '{"error": "boom"}', 0.0)],
    ],
)
def test_no_verdict_fails_the_draft_with_the_reason(answers):
    with ScriptedLLMServer(answers) as server:
        report = judge_draft(draft(VERBATIM), [SOURCE], judge_for(server))
    [problem] = report.problems
    assert not report.passed
    assert problem.kind == "judge" and "no verdict from the judge" in problem.why


def test_a_server_that_times_out_fails_the_draft_clearly():
    with ScriptedLLMServer([verdict("supported", delay=2.0)]) as server:
        report = judge_draft(draft(VERBATIM), [SOURCE], judge_for(server, timeout=0.5))
    [problem] = report.problems
    assert problem.kind == "judge" and "timed out" in problem.why


def _line(d: Draft) -> str:
    return json.dumps({**d.to_dict(), "articles": [SOURCE.to_dict()]})


def test_verify_command_with_the_llm_checker(tmp_path: Path):
    path = tmp_path / "drafts.jsonl"
    path.write_text(_line(draft(PARAPHRASE)) + "\n" + _line(draft(VERBATIM)) + "\n")
    with ScriptedLLMServer([verdict("supported"), verdict("unsupported", "Clara Weber")]) as server:
        args = ["verify", str(path), "--checker", "llm", "--llm-url", server.base_url]
        result = CliRunner().invoke(app, [*args, "--llm-model", "judge"])
        rules = CliRunner().invoke(app, ["verify", str(path)])
    reports = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["passed"] for r in reports] == [True, False]
    assert result.exit_code == 1
    # the rules alone: the paraphrase is doubted, the verbatim sentence passes
    assert [json.loads(line)["passed"] for line in rules.stdout.splitlines()] == [False, True]


def test_the_llm_checker_needs_a_server(monkeypatch, tmp_path: Path):
    monkeypatch.delenv("NEWSDESK_LLM_BASE_URL", raising=False)
    monkeypatch.delenv("NEWSDESK_LLM_MODEL", raising=False)
    path = tmp_path / "drafts.jsonl"
    path.write_text(_line(draft(VERBATIM)) + "\n")
    result = CliRunner().invoke(app, ["verify", str(path), "--checker", "llm"])
    assert result.exit_code == 2
    assert "--checker llm needs a server" in result.stderr
