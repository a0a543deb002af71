"""Lazy package exports: a package names what it offers, each name imported from its
module on first use, so importing the package (or one light module of it) stays cheap.

    __getattr__ = lazy_exports(__name__, {"StoryClusterer": "stream", "bcubed": "metrics"})

And patterns compiled on first use (``LazyPattern``), for those that cost milliseconds to
compile and that most runs never use.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator, Mapping
from importlib import import_module
from typing import Any


def lazy_exports(package: str, where: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package``: ``name`` is read from the module
    ``package.<where[name]>`` when first asked for, then kept in the package's namespace
    (so Python asks only once)."""

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(f"{package}.{module}"), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__


class LazyPattern:
    """A regular expression compiled when first used.

    A character class over the CJK ranges takes milliseconds to compile (the compiler marks
    each of its tens of thousands of code points), at every start of a process, and most
    runs never read a CJK text. Its methods are the compiled pattern's own once it is
    compiled (set on the instance: later calls cost what a pattern's do).
    """

    search: Callable[..., re.Match[str] | None]
    match: Callable[..., re.Match[str] | None]
    fullmatch: Callable[..., re.Match[str] | None]
    findall: Callable[..., list[Any]]
    finditer: Callable[..., Iterator[re.Match[str]]]
    sub: Callable[..., str]
    split: Callable[..., list[str | Any]]

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags

    @property
    def compiled(self) -> bool:
        """Whether it has been compiled (and its methods are held)."""
        return "search" in vars(self)

    def __getattr__(self, name: str) -> Any:
        # Asked only for what the instance does not hold yet: compile, then hold the methods.
        compiled = re.compile(self.pattern, self.flags)
        for method in ("search", "match", "fullmatch", "findall", "finditer", "sub", "split"):
            setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)
