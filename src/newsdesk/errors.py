"""Errors newsdesk raises on purpose: each carries a reason in words for a person."""

from __future__ import annotations


class NewsdeskError(Exception):
    """Base class: something newsdesk understood and can explain."""


class InputError(NewsdeskError):
    """A page or record that cannot be read (empty, binary, too large, malformed...)."""


class ExtractionError(InputError):
    """A page was read but holds no article we can extract."""
