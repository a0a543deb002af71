"""newsdesk: from raw news pages to verified, source-linked stories.

As a library (``newsdesk.library`` says more)::

    import newsdesk
    article = newsdesk.extract(page_bytes, url="https://...")
    stories = newsdesk.cluster(articles)
    draft = newsdesk.write(stories[0], articles)
    report = newsdesk.verify(draft, articles)
    summary = newsdesk.run(["examples/"], out="site", db="newsdesk.db")

``newsdesk.cluster``, ``newsdesk.write`` and ``newsdesk.verify`` are also the stages'
packages: called, they run the library function; their attributes are the package's
(``newsdesk.write.write_story``, ``newsdesk.cluster.ClusterConfig``).
"""

from __future__ import annotations

import functools
import importlib
import sys
import types
from collections.abc import Callable
from typing import Any

from newsdesk import library
from newsdesk.errors import ExtractionError, InputError, NewsdeskError
from newsdesk.extract import extract
from newsdesk.library import run
from newsdesk.model import Article, Draft, Page, Problem, Report, Sentence, Source, Story

__version__ = "0.1.0"


class _Stage:
    """A library function that is also its stage's package: calling it runs the function
    (its signature and docstring are the function's); any other attribute is the package's,
    imported on first use (so ``import newsdesk`` stays light)."""

    def __init__(self, function: Callable[..., Any], package: str) -> None:
        functools.update_wrapper(self, function)
        self._package = package

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.__wrapped__(*args, **kwargs)  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(importlib.import_module(self._package), name)

    def __repr__(self) -> str:
        return f"<newsdesk.{self.__name__}: function and package {self._package}>"  # type: ignore[attr-defined]


cluster = _Stage(library.cluster, "newsdesk.cluster")
write = _Stage(library.write, "newsdesk.write")
verify = _Stage(library.verify, "newsdesk.verify")
_STAGES = {"cluster": cluster, "write": write, "verify": verify}


class _Package(types.ModuleType):
    """Importing ``newsdesk.write`` (or cluster, verify) binds the subpackage on this package
    by name; the stage object above stays in its place, and reaches the subpackage."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _STAGES and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

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
