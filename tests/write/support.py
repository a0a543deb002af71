"""Helpers the LLM writer's tests share: scripted answers, a writer for the scripted server.

A draft answer is built as the model would send it (JSON with headline, standfirst, lead, body,
summary and, when given, background); `source_blocks` reads back the sources a prompt fenced.
"""

from __future__ import annotations

import json
import re
from typing import Any

from newsdesk.write.llm import LLMConfig, LLMWriter
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
