"""The LLM writer against a real model server: llama-cpp-python's, on a tiny random model.

The model is built here (``tiny_gguf``), nothing is downloaded. The server's grammar-constrained
decoding makes the random model answer JSON that follows the draft schema, with nonsense in it:
the verifier must reject it, the writer must ask for one repair, and what is published must be
the extractive fallback (or the nonsense held), never the model's draft.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator

import httpx
import pytest

from newsdesk import extract
from newsdesk.model import Article
from newsdesk.write.llm import DRAFT_SCHEMA, LLMConfig, LLMWriter
from tests.conftest import SEED_PAGE, require_shared
from tests.servers import free_port, running_server

pytest.importorskip(
    "llama_cpp.server",
    reason="llama-cpp-python[server] is not installed (pip install -e '.[llm-test]')",
)
pytest.importorskip("gguf", reason="gguf is not installed (pip install -e '.[llm-test]')")

from tests.write.support import written
from tests.write.tiny_gguf import build_tiny_gguf

MODEL = "tiny-random"
MAX_TOKENS = 1024


class Recorder:
    """Wraps the openai client's HTTP transport to keep every chat answer the server gave."""

    def __init__(self) -> None:
        self.answers: list[str] = []
        self.requests: list[dict] = []

    def attach(self, writer: LLMWriter) -> None:
        client = writer._client._client  # the httpx.Client inside the openai client
        client.event_hooks["request"].append(self._on_request)
        client.event_hooks["response"].append(self._on_response)

    def _on_request(self, request: httpx.Request) -> None:
        self.requests.append(json.loads(request.content))

    def _on_response(self, response: httpx.Response) -> None:
        response.read()
        if response.status_code == 200:
            self.answers.append(response.json()["choices"][0]["message"]["content"])


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    model = build_tiny_gguf(tmp_path_factory.mktemp("model") / "tiny.gguf")
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(model),
        "--model_alias",
        MODEL,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        "16384",
    ]
    log = tmp_path_factory.mktemp("log") / "server.log"
    base_url = f"http://127.0.0.1:{port}/v1"
    with running_server(command, f"{base_url}/models", log, name="llama-cpp server"):
        yield base_url


@pytest.fixture(scope="module")
def seed_article() -> Article:
    return extract(require_shared(SEED_PAGE).read_bytes(), input_format="text")


def _writer(base_url: str, **overrides) -> tuple[LLMWriter, Recorder]:
    settings = {
        "base_url": base_url,
        "model": MODEL,
        "timeout": 120.0,
        "max_retries": 0,
        "max_tokens": MAX_TOKENS,
        "schema_mode": "json_object",
    }
    settings.update(overrides)
    writer = LLMWriter(LLMConfig(**settings))
    recorder = Recorder()
    recorder.attach(writer)
    return writer, recorder


def _texts(answer: str) -> list[str]:
    data = json.loads(answer)
    sentences = [*data["standfirst"], *data["lead"], *data["summary"]]
    sentences += [s for paragraph in data["body"] for s in paragraph]
    return [s["text"] for s in sentences]


def _assert_schema_valid(answer: str) -> None:
    """The grammar worked: the answer parses and has exactly the schema's shape."""
    data = json.loads(answer)
    assert list(data) == list(DRAFT_SCHEMA["properties"]), answer
    assert isinstance(data["headline"], str) and data["headline"].strip(), answer
    sentences = [*data["standfirst"], *data["lead"], *data["summary"]]
    sentences += [s for paragraph in data["body"] for s in paragraph]
    assert sentences, answer
    for sentence in sentences:
        assert set(sentence) == {"text", "sources"}, answer
        assert isinstance(sentence["text"], str), answer
        assert all(isinstance(n, int) for n in sentence["sources"]), answer


def test_random_model_answers_schema_json_that_the_verifier_rejects(server, seed_article):
    writer, recorder = _writer(server)
    draft, status = written(writer, [seed_article], "story-1")

    assert len(recorder.requests) == 2, "one draft and exactly one repair request"
    repair = recorder.requests[1]["messages"][-1]["content"]
    assert "failed the fact check" in repair
    assert recorder.requests[0]["max_tokens"] == MAX_TOKENS
    assert recorder.requests[0]["response_format"]["schema"] == DRAFT_SCHEMA
    assert len(recorder.answers) == 2
    for answer in recorder.answers:
        _assert_schema_valid(answer)

    # The nonsense is never what gets published: the extractive draft replaces it.
    assert draft.writer.startswith("extractive (fallback: LLM draft failed verification twice")
    model_sentences = {s.strip() for answer in recorder.answers for s in _texts(answer)}
    assert not model_sentences & {s.text for s in draft.sentences()}
    if status == "published":
        assert draft.checks is not None and draft.checks.passed


def test_random_model_draft_is_held_when_policy_says_hold(server, seed_article):
    writer, recorder = _writer(server, on_failure="hold")
    draft, status = written(writer, [seed_article], "story-1")

    assert status == "held"
    assert len(recorder.requests) == 2
    assert draft.writer == f"llm:{MODEL}"
    assert draft.checks is not None and not draft.checks.passed
    assert draft.checks.problems
    # The held draft is the model's repaired answer, exactly as the server sent it.
    assert draft.headline == json.loads(recorder.answers[-1])["headline"].strip()


def test_openai_json_schema_request_is_refused_by_this_server(server, seed_article):
    """llama-cpp-python only takes json_object+schema; the OpenAI form fails cleanly."""
    writer, recorder = _writer(server, schema_mode="json_schema", on_failure="extractive")
    draft, status = written(writer, [seed_article], "story-1")
    assert len(recorder.requests) == 1  # an error is not repaired, and max_retries is 0
    assert "LLM failed (the LLM server answered an error" in draft.writer
    assert status in {"published", "held"}
