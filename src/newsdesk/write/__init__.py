"""Story -> Draft: write one cited article per story.

``write_extractive`` (the default, no model) copies and orders source sentences;
``write_story`` dispatches to a writer by name ("extractive", or "llm" when
``newsdesk.write.llm`` is installed and configured).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from newsdesk.errors import NewsdeskError
from newsdesk.model import Article, Draft

if TYPE_CHECKING:
    from newsdesk.write.extractive import Settings, write_extractive

WRITERS = ("extractive", "llm")


class WriterUnavailable(NewsdeskError):
    """The writer asked for is unknown or not available in this installation."""


def write_story(
    articles: Sequence[Article],
    story_id: str,
    *,
    writer: str = "extractive",
    language: str | None = None,
    max_words: int = 220,
    background: Sequence[Article] = (),
    **options: Any,
) -> Draft:
    """Write a draft for one story with the named writer.

    ``options`` go to the writer (e.g. ``client=`` or ``model=`` for the LLM writer).
    Raises InputError for a story with nothing to write from, WriterUnavailable for a
    writer that is unknown or not installed.
    """
    if writer == "extractive":
        from newsdesk.write.extractive import write_extractive

        return write_extractive(
            articles,
            story_id,
            language=language,
            max_words=max_words,
            background=background,
            **options,
        )
    if writer == "llm":
        return _write_llm(articles, story_id, language, max_words, background, options)
    raise WriterUnavailable(f"unknown writer {writer!r}: choose one of {', '.join(WRITERS)}")


def _write_llm(articles, story_id, language, max_words, background, options) -> Draft:
    """Hand the story to ``newsdesk.write.llm``: its ``write_llm`` if it has one, else an
    ``LLMWriter`` from ``llm_writer=``, ``config=`` or NEWSDESK_LLM_BASE_URL / NEWSDESK_LLM_MODEL.
    """
    try:
        from newsdesk.write import llm
    except ImportError as exc:
        raise WriterUnavailable(
            "the llm writer (newsdesk.write.llm) is not available in this installation"
        ) from exc
    if hasattr(llm, "write_llm"):
        return llm.write_llm(
            articles,
            story_id,
            language=language,
            max_words=max_words,
            background=background,
            **options,
        )
    writer = options.get("llm_writer")
    if writer is None:
        config = options.get("config")
        if config is None:
            base_url = os.environ.get("NEWSDESK_LLM_BASE_URL")
            model = os.environ.get("NEWSDESK_LLM_MODEL")
            if not base_url or not model:
                raise WriterUnavailable(
                    "the llm writer needs a server: set NEWSDESK_LLM_BASE_URL (an "
                    "OpenAI-compatible /v1 URL) and NEWSDESK_LLM_MODEL"
                )
            config = llm.LLMConfig(base_url=base_url, model=model, max_words=max_words)
        writer = llm.LLMWriter(config)
    draft, _status = writer.write(
        list(articles), story_id, language=language, background=list(background)
    )
    return draft


def __getattr__(name: str) -> Any:
    # Loaded on first use: the extractive writer pulls in scikit-learn and SciPy, which
    # `newsdesk.write.sentences` users (publish, serve) do not need.
    if name in ("Settings", "write_extractive"):
        from newsdesk.write import extractive

        return getattr(extractive, name)
    raise AttributeError(f"module 'newsdesk.write' has no attribute {name!r}")


__all__ = ["WRITERS", "Settings", "WriterUnavailable", "write_extractive", "write_story"]
