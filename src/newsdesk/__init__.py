"""newsdesk: from raw news pages to verified, source-linked stories.

As a library (``newsdesk.library`` documents each call)::

    import newsdesk
    article = newsdesk.extract(page_bytes, url="https://...")
    stories = newsdesk.cluster(articles)
    draft = newsdesk.write(stories[0], articles)
    report = newsdesk.verify(draft, articles)
    summary = newsdesk.run(["examples/"], out="site", db="newsdesk.db")

``newsdesk.cluster``, ``newsdesk.write`` and ``newsdesk.verify`` are the stages' packages,
made callable: calling one runs the library function of that name (same signature), and
everything else about it is the package's (``newsdesk.write.write_story``). They are
imported on first use, so ``import newsdesk`` stays light.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

from newsdesk import library
from newsdesk.errors import ExtractionError, InputError, NewsdeskError
from newsdesk.extract import extract
from newsdesk.library import run
from newsdesk.model import Article, Draft, Page, Problem, Report, Sentence, Source, Story

__version__ = "0.1.0"

_STAGES = ("cluster", "write", "verify")


class _CallableStage(types.ModuleType):
    """A stage's package that, called, runs ``newsdesk.library``'s function of its name."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return getattr(library, self.__name__.rpartition(".")[2])(*args, **kwargs)


def _make_callable(module: types.ModuleType) -> None:
    if not isinstance(module, _CallableStage):
        module.__class__ = _CallableStage
        # inspect.signature() and help() follow __wrapped__ to the typed library function.
        module.__wrapped__ = getattr(library, module.__name__.rpartition(".")[2])  # type: ignore[attr-defined]


class _Package(types.ModuleType):
    """Importing a stage's package binds it here by name: it is made callable on the way."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _STAGES and isinstance(value, types.ModuleType):
            _make_callable(value)
        super().__setattr__(name, value)


def __getattr__(name: str) -> Any:
    # A stage not imported yet: import it (the binding above makes it callable).
    if name in _STAGES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


sys.modules[__name__].__class__ = _Package
for _name in _STAGES:  # any imported before this package finished loading
    if f"{__name__}.{_name}" in sys.modules:
        _make_callable(sys.modules[f"{__name__}.{_name}"])

__all__ = [
    "Article",
    "Draft",
    "ExtractionError",
    "InputError",
    "NewsdeskError",
    "Page",
    "Problem",
    "Report",
    "Sentence",
    "Source",
    "Story",
    "cluster",
    "extract",
    "run",
    "verify",
    "write",
]
