"""Every NEWSDESK_* environment variable, read in this one module into typed settings.

``Settings.from_env()`` reads them all at once (fetching, the LLM server, the store, the
web server, the limits); a command reads it once at its start and hands the parts on
(``FetchConfig.from_env``, ``ServeSettings.from_env``, ``open_store(None)`` and the CLI's
LLM options all come through here). No other module reads a NEWSDESK_* variable.

Unreadable values (a word where a number belongs) fall back to the default, as a missing
variable does: a setting never stops a command that does not need it.

| variable | setting |
|---|---|
| NEWSDESK_STORE | ``store.url``: a SQLite path or a postgresql:// URL (default ./newsdesk.db) |
| NEWSDESK_MAX_PAGE_BYTES | ``limits.max_page_bytes``: pages larger are refused (default 10 MB) |
| NEWSDESK_ALLOW_PRIVATE, NEWSDESK_IGNORE_ROBOTS | ``fetch.allow_private``, ``fetch.ignore_robots`` |
| NEWSDESK_HTTP_TIMEOUT, NEWSDESK_HOST_INTERVAL, NEWSDESK_HTTP_RETRIES | ``fetch.timeout`` ... |
| NEWSDESK_FETCH_WORKERS, NEWSDESK_USER_AGENT | ``fetch.workers``, ``fetch.user_agent`` |
| NEWSDESK_LLM_BASE_URL, NEWSDESK_LLM_MODEL, NEWSDESK_LLM_API_KEY | ``llm.*`` |
| NEWSDESK_INGEST_TOKEN, NEWSDESK_EXTRACT_TOKEN, NEWSDESK_EXTRACT_PUBLIC | ``serve.*`` tokens |
| NEWSDESK_MAX_EXTRACTIONS, NEWSDESK_SITE_TITLE, NEWSDESK_FEED_LIMIT | ``serve.*`` |
| NEWSDESK_WORKERS | ``run.workers``: processes extracting and writing (default: one per idle core: cores less those busy now, sampled from /proc/stat) |
| NEWSDESK_TIMINGS | ``run.timings``: ``newsdesk run`` prints its time per stage on stderr |
| NEWSDESK_PURE_PYTHON | ``PURE_PYTHON``: the compiled modules are left aside (``compiled_module``): pages are walked and stories scored in Python (the same articles and stories, slower; to compare the two) |
"""

from __future__ import annotations

import hashlib
import importlib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TypeVar

T = TypeVar("T")

DEFAULT_MAX_PAGE_BYTES = 10 * 1024 * 1024  # 10 MB covers real news pages
DEFAULT_STORE = "newsdesk.db"
_TRUE = frozenset({"1", "true", "yes", "on"})


def _value(env: Mapping[str, str], name: str, kind: Callable[[str], T]) -> T | None:
    """The variable converted by ``kind``; None when unset, empty or unreadable."""
    raw = (env.get(name) or "").strip()
    if not raw:
        return None
    try:
        return kind(raw)
    except ValueError:
        return None


def _text(env: Mapping[str, str], name: str) -> str | None:
    return (env.get(name) or "").strip() or None


def _flag(env: Mapping[str, str], name: str) -> bool:
    return (env.get(name) or "").strip().lower() in _TRUE


@dataclass(frozen=True)
class LimitSettings:
    """Caps every stage applies to what it reads."""

    max_page_bytes: int = DEFAULT_MAX_PAGE_BYTES

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> LimitSettings:
        size = _value(env, "NEWSDESK_MAX_PAGE_BYTES", int)
        return cls() if size is None else cls(max_page_bytes=size)


@dataclass(frozen=True)
class FetchSettings:
    """What the environment says about fetching; None: the fetcher's own default."""

    allow_private: bool = False
    ignore_robots: bool = False
    timeout: float | None = None
    host_interval: float | None = None
    retries: int | None = None
    workers: int | None = None
    user_agent: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> FetchSettings:
        return cls(
            allow_private=_flag(env, "NEWSDESK_ALLOW_PRIVATE"),
            ignore_robots=_flag(env, "NEWSDESK_IGNORE_ROBOTS"),
            timeout=_value(env, "NEWSDESK_HTTP_TIMEOUT", float),
            host_interval=_value(env, "NEWSDESK_HOST_INTERVAL", float),
            retries=_value(env, "NEWSDESK_HTTP_RETRIES", int),
            workers=_value(env, "NEWSDESK_FETCH_WORKERS", int),
            user_agent=_text(env, "NEWSDESK_USER_AGENT"),
        )


@dataclass(frozen=True)
class LLMSettings:
    """The OpenAI-compatible server the LLM writer uses, when the command line names none."""

    base_url: str | None = None
    model: str | None = None
    # Local servers accept any key; the client insists on one being set.
    api_key: str = "not-needed"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> LLMSettings:
        return cls(
            base_url=_text(env, "NEWSDESK_LLM_BASE_URL"),
            model=_text(env, "NEWSDESK_LLM_MODEL"),
            api_key=_text(env, "NEWSDESK_LLM_API_KEY") or "not-needed",
        )


@dataclass(frozen=True)
class StoreSettings:
    """Where the store is when a command is given no ``--db``."""

    url: str = DEFAULT_STORE

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> StoreSettings:
        return cls(url=_text(env, "NEWSDESK_STORE") or DEFAULT_STORE)


def _default_extractions() -> int:
    # Extraction is CPU work: about one at a time per core, a few at most.
    return max(1, min(4, os.cpu_count() or 1))


@dataclass(frozen=True)
class ServeEnv:
    """What the environment says about the web server (see ``serve.settings.ServeSettings``)."""

    ingest_token: str | None = None
    extract_token: str | None = None
    extract_public: bool = False
    max_extractions: int = field(default_factory=_default_extractions)
    site_title: str = "newsdesk"
    feed_limit: int = 50

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> ServeEnv:
        extractions = _value(env, "NEWSDESK_MAX_EXTRACTIONS", int)
        feed_limit = _value(env, "NEWSDESK_FEED_LIMIT", int)
        return cls(
            ingest_token=_text(env, "NEWSDESK_INGEST_TOKEN"),
            extract_token=_text(env, "NEWSDESK_EXTRACT_TOKEN"),
            extract_public=_flag(env, "NEWSDESK_EXTRACT_PUBLIC"),
            max_extractions=_default_extractions() if extractions is None else max(1, extractions),
            site_title=(env.get("NEWSDESK_SITE_TITLE") or "").strip() or "newsdesk",
            feed_limit=50 if feed_limit is None else feed_limit,
        )


@dataclass(frozen=True)
class RunSettings:
    """How a run uses this machine: worker processes, and whether it reports stage times."""

    workers: int | None = None  # None: one per idle core (pipeline.processes.idle_cpus)
    timings: bool = False

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> RunSettings:
        return cls(
            workers=_value(env, "NEWSDESK_WORKERS", int),
            timings=_flag(env, "NEWSDESK_TIMINGS"),
        )


@dataclass(frozen=True)
class Settings:
    """All of newsdesk's settings from the environment, by what they are for."""

    fetch: FetchSettings = field(default_factory=FetchSettings)
    llm: LLMSettings = field(default_factory=LLMSettings)
    store: StoreSettings = field(default_factory=StoreSettings)
    serve: ServeEnv = field(default_factory=ServeEnv)
    limits: LimitSettings = field(default_factory=LimitSettings)
    run: RunSettings = field(default_factory=RunSettings)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Every NEWSDESK_* variable of ``env`` (default: this process's environment)."""
        env = os.environ if env is None else env
        return cls(
            fetch=FetchSettings.from_env(env),
            llm=LLMSettings.from_env(env),
            store=StoreSettings.from_env(env),
            serve=ServeEnv.from_env(env),
            limits=LimitSettings.from_env(env),
            run=RunSettings.from_env(env),
        )


# The page size cap, read once when newsdesk is imported: the readers of files, WARC
# archives and HTTP bodies and the extractor all apply it (tests may set it here).
MAX_PAGE_BYTES: int = LimitSettings.from_env(os.environ).max_page_bytes
# Whether the compiled modules (extract/_walk.pyx, cluster/_scoring.pyx) are left aside,
# read once when newsdesk is imported.
PURE_PYTHON: bool = _flag(os.environ, "NEWSDESK_PURE_PYTHON")


def compiled_module(name: str) -> ModuleType | None:
    """One of newsdesk's compiled modules (``setup.py`` builds them where Cython and a C
    compiler are at hand), or None where its Python twin must serve: ``PURE_PYTHON`` is
    set, it is not built, or it was built from other source than the ``.pyx`` beside it."""
    if PURE_PYTHON:
        return None
    try:
        module = importlib.import_module(name)
    except ImportError:
        return None
    return module if built_from_source_beside(module) else None


def built_from_source_beside(module: ModuleType) -> bool:
    """Whether a compiled module was built from the ``.pyx`` beside it, as the digest it
    carries says (a source tree edited since its build: ``pip install -e .`` builds it
    again); True where no source is beside it (an installed wheel)."""
    built = Path(str(module.__file__))
    source = built.with_name(built.name.split(".", 1)[0] + ".pyx")
    try:
        text = source.read_bytes()
    except FileNotFoundError:
        return True
    return hashlib.sha256(text).hexdigest() == getattr(module, "SOURCE_DIGEST", "")
