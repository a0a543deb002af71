"""Story -> Draft: write one cited article per story.

``write_extractive`` (the default, no model) copies and orders source sentences;
``write_story`` dispatches to a writer by name ("extractive", or "llm" when
``newsdesk.write.llm`` is installed and configured).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from newsdesk.errors import NewsdeskError
from newsdesk.lazy import lazy_exports
from newsdesk.model import Article, Draft

if TYPE_CHECKING:
    from newsdesk.write.extractive import Settings, write_extractive
    from newsdesk.write.llm import LLMConfig

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
    """Write a draft for one story with the named writer; the draft is not verified (the
    pipeline's write block checks it, see ``newsdesk.pipeline.blocks.write_story``).

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
    """Hand the story to an ``LLMWriter``: ``llm_writer=``, else one from ``config=``, else one
    for the server that newsdesk.settings names (NEWSDESK_LLM_BASE_URL, NEWSDESK_LLM_MODEL)."""
    try:
        from newsdesk.write import llm
    except ImportError as exc:
        raise WriterUnavailable(
            "the llm writer (newsdesk.write.llm) is not available in this installation"
        ) from exc
    writer = options.get("llm_writer") or llm.LLMWriter(
        options.get("config") or llm_config_from_settings()
    )
    return writer.write(
        list(articles),
        story_id,
        language=language,
        background=list(background),
        max_words=max_words,
    ).draft


def llm_config_from_settings(**overrides: Any) -> LLMConfig:
    """The LLM writer's config: ``overrides`` (None ones left out) over the server the
    environment names (``newsdesk.settings``); WriterUnavailable when no server is named."""
    from newsdesk.settings import Settings
    from newsdesk.write.llm import LLMConfig

    server = Settings.from_env().llm
    values: dict[str, Any] = {"base_url": server.base_url, "model": server.model}
    values.update({name: value for name, value in overrides.items() if value is not None})
    if not values["base_url"] or not values["model"]:
        raise WriterUnavailable(
            "the llm writer needs a server: set NEWSDESK_LLM_BASE_URL (an "
            "OpenAI-compatible /v1 URL) and NEWSDESK_LLM_MODEL"
        )
    return LLMConfig(api_key=server.api_key, **values)


# Loaded on first use: the extractive writer pulls in scikit-learn and SciPy, which
# `newsdesk.write.sentences` users (publish, serve) do not need.
__getattr__ = lazy_exports(__name__, {"Settings": "extractive", "write_extractive": "extractive"})


__all__ = [
    "WRITERS",
    "Settings",
    "WriterUnavailable",
    "llm_config_from_settings",
    "write_extractive",
    "write_story",
]
