"""Helpers the LLM writer's tests share: scripted answers, a writer for the scripted server,
and the pipeline's write block (write, verify, repair, fall back) around that writer.

A draft answer is built as the model would send it (JSON with headline, standfirst, lead, body,
summary and, when given, background); `source_blocks` reads back the sources a prompt fenced.
"""

from __future__ import annotations

import json
import re
from typing import Any

from newsdesk.model import Article, Draft
from newsdesk.pipeline import StoryJob, StoryWriter, WriteOptions, WriteResult
from newsdesk.write.llm import LLMConfig, LLMError, LLMWriter
from tests.write.llm_server import Behaviour, ScriptedLLMServer, completion


def cited(text: str, *sources: Any) -> dict[str, Any]:
    """One answer sentence and the source numbers it cites (any JSON value, to test bad ones)."""
    return {"text": text, "sources": list(sources)}


def draft_answer(
    sentences: list[dict[str, Any]],
    background: list[list[dict[str, Any]]] | None = None,
    *,
    headline: str,
) -> str:
    """The model's JSON answer: first sentence the standfirst, second the lead, the rest one
    body paragraph; no background key unless background is given."""
    data: dict[str, Any] = {
        "headline": headline,
        "standfirst": sentences[:1],
        "lead": sentences[1:2],
        "body": [sentences[2:]] if sentences[2:] else [],
        "summary": [],
    }
    if background is not None:
        data["background"] = background
    return json.dumps(data)


def ok(content: str, delay: float = 0.0) -> Behaviour:
    """The server answers 200 with this message content, after ``delay`` seconds."""
    return lambda _body: (200, completion(content), delay)


def writer_for(server: ScriptedLLMServer, **overrides: Any) -> LLMWriter:
    """An LLM writer talking to the scripted server, no retries, short timeout."""
    settings: dict[str, Any] = {
        "base_url": server.base_url,
        "model": "test-model",
        "timeout": 5.0,
        "max_retries": 0,
    }
    settings.update(overrides)
    return LLMWriter(LLMConfig(**settings))


def source_blocks(user: str) -> dict[str, tuple[str, str]]:
    """Source number -> (its attributes, its content) as the prompt fences them."""
    found = re.findall(r'<source number="(\d+)"([^>]*)>\n(.*?)\n</source>', user, re.S)
    return {number: (attributes, content) for number, attributes, content in found}


def story_writer(writer: LLMWriter, **options: Any) -> StoryWriter:
    """The pipeline's write block with this LLM writer (``options``: of ``WriteOptions``)."""
    return StoryWriter(WriteOptions("llm", writer_options={"llm_writer": writer}, **options))


def job(
    story_id: str, articles: list[Article], background: list[Article] | None = None
) -> StoryJob:
    return StoryJob(story_id, tuple(articles), tuple(background or ()))


def written(
    writer: LLMWriter,
    articles: list[Article],
    story_id: str,
    *,
    background: list[Article] | None = None,
    **options: Any,
) -> tuple[Draft, str]:
    """One story through the write block: (draft, "published" or "held"); LLMError with the
    reason when it gave no draft."""
    result: WriteResult = story_writer(writer, **options)(job(story_id, articles, background))
    if result.draft is None:
        raise LLMError(result.reason or "no draft")
    return result.draft, result.status
