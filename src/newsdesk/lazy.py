"""Lazy package exports: a package names what it offers, each name imported from its
module on first use, so importing the package (or one light module of it) stays cheap.

    __getattr__ = lazy_exports(__name__, {"StoryClusterer": "stream", "bcubed": "metrics"})
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
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
