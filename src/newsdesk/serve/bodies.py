"""Reading request bodies safely: a size limit enforced while streaming, pages or JSON.

A client can lie in Content-Length or send none (chunked), so the limit is checked on
the bytes actually received, and reading stops as soon as it is crossed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException, Request
from pydantic import ValidationError

from newsdesk.model import Article
from newsdesk.publish.links import safe_url
from newsdesk.serve.schemas import ArticleIn, ExtractRequest


async def read_limited(request: Request, limit: int) -> bytes:
    """The whole body, or 413 as soon as it is larger than ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise HTTPException(413, f"body of {declared} bytes is over the limit of {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPException(413, f"body is over the limit of {limit} bytes")
        chunks.append(chunk)
    body = b"".join(chunks)
    if not body.strip():
        raise HTTPException(422, "the request body is empty: send a page or a JSON object")
    return body


@dataclass(frozen=True)
class PageBody:
    """A page to extract, from raw bytes or from JSON {content, url}."""

    content: bytes
    url: str | None
    input_format: str
    charset: str | None


def _is_json(request: Request) -> bool:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def _charset(request: Request) -> str | None:
    for part in request.headers.get("content-type", "").split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip('"')
    return None


def _checked_url(url: str | None) -> str | None:
    if url is None or not url.strip():
        return None
    if safe_url(url) is None:
        raise HTTPException(422, f"url must be an absolute http(s) URL, not {url[:200]!r}")
    return url.strip()


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise HTTPException(422, f"the body is not valid JSON: {exc}") from None


def _validation_message(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first.get("loc", ())) or "body"
    return f"{where}: {first.get('msg', 'invalid')}"


def page_from_request(request: Request, body: bytes) -> PageBody:
    """Interpret a body as a page: JSON {content, url, input_format} or the page's own bytes.

    For raw bytes, ``?url=`` and ``?input_format=`` may be given as query parameters.
    """
    if _is_json(request):
        try:
            sent = ExtractRequest.model_validate(_json(body))
        except ValidationError as exc:
            raise HTTPException(422, _validation_message(exc)) from None
        return PageBody(
            sent.content.encode("utf-8"), _checked_url(sent.url), sent.input_format, "utf-8"
        )
    input_format = request.query_params.get("input_format", "auto")
    if input_format not in ("auto", "html", "text"):
        raise HTTPException(422, "input_format must be auto, html or text")
    return PageBody(
        body, _checked_url(request.query_params.get("url")), input_format, _charset(request)
    )


def ingest_item(request: Request, body: bytes) -> Article | PageBody:
    """An ingest body: a ready article (JSON with title/paragraphs/text) or a page to extract."""
    if not _is_json(request):
        return page_from_request(request, body)
    data = _json(body)
    if isinstance(data, dict) and "content" in data:
        return page_from_request(request, body)
    try:
        sent = ArticleIn.model_validate(data)
    except ValidationError as exc:
        raise HTTPException(422, _validation_message(exc)) from None
    fields = sent.model_dump(exclude_none=True)
    fields["url"] = _checked_url(sent.url)
    article = Article.from_dict(fields)
    if not article.paragraphs or not any(p.strip() for p in article.paragraphs):
        raise HTTPException(422, "the article has no text: give paragraphs or text")
    return article
