"""One JSON-schema chat request to an OpenAI-compatible server, for every stage that asks one.

The writer (``write/llm.py``) and the LLM checker (``verify/judge.py``) send the same kind of
request: messages plus a JSON schema, asked for as OpenAI's structured output
(``json_schema``: vLLM, llama.cpp's llama-server, Ollama) or as ``json_object`` with the
schema beside it (llama-cpp-python's server). Every way the request can fail (a time-out,
no connection, an error status, a body the client cannot read, an empty answer) comes back
as one ``ChatFailure`` whose ``reason`` the caller words into its own error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

SchemaMode = Literal["json_schema", "json_object"]
FailureKind = Literal["timeout", "connection", "status", "garbage", "no-message", "empty"]


@dataclass
class ChatFailure(Exception):
    """Why a chat request gave no answer: ``kind`` (for the caller) and ``reason`` (for people)."""

    kind: FailureKind
    reason: str


def response_format(schema: dict[str, Any], name: str, mode: str) -> dict[str, Any]:
    """The ``response_format`` that asks for an answer following ``schema``."""
    if mode == "json_object":
        return {"type": "json_object", "schema": schema}
    return {"type": "json_schema", "json_schema": {"name": name, "schema": schema, "strict": True}}


def ask_json(
    client: Any,
    *,
    model: str,
    messages: list[dict[str, str]],
    schema: dict[str, Any],
    name: str,
    mode: str,
    temperature: float,
    max_tokens: int | None = None,
) -> str:
    """The answer's text, or ``ChatFailure`` saying why there is none."""
    from openai import APIConnectionError, APIError, APITimeoutError

    limit = {} if max_tokens is None else {"max_tokens": max_tokens}
    try:
        response = client.chat.completions.create(
            model=model,
            messages=messages,
            temperature=temperature,
            response_format=response_format(schema, name, mode),
            **limit,
        )
    except APITimeoutError as exc:
        raise ChatFailure("timeout", "timed out") from exc
    except APIConnectionError as exc:
        raise ChatFailure("connection", str(exc)) from exc
    except APIError as exc:
        raise ChatFailure("status", str(exc)) from exc
    except Exception as exc:  # malformed HTTP bodies surface as assorted client errors
        raise ChatFailure("garbage", f"{type(exc).__name__}: {exc}") from exc
    try:
        content = response.choices[0].message.content
    except (AttributeError, IndexError, TypeError) as exc:
        raise ChatFailure("no-message", "no message") from exc
    if not content:
        raise ChatFailure("empty", "an empty message")
    return content
