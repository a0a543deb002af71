"""Errors newsdesk raises on purpose: each carries a reason in words for a person."""

from __future__ import annotations


class NewsdeskError(Exception):
    """Base class: something newsdesk understood and can explain."""


def unexpected(exc: BaseException) -> str:
    """The reason given for an error that is a bug of ours, not bad input."""
    return f"unexpected {type(exc).__name__}: {exc}"


class InputError(NewsdeskError):
    """A page or record that cannot be read (empty, binary, too large, malformed...)."""


class ExtractionError(InputError):
    """A page was read but holds no article we can extract."""


class ConfigMismatchError(NewsdeskError):
    """A clusterer config given for a store that was clustered with a different one.

    The store keeps the config of its first clustering; going on under another would group
    new articles by other rules than its stories. ``differences`` maps each differing field
    to ``(stored value, given value)``.
    """

    def __init__(self, differences: dict[str, tuple[object, object]]) -> None:
        self.differences = dict(differences)
        listed = "; ".join(
            f"{name}: stored {old!r}, given {new!r}" for name, (old, new) in differences.items()
        )
        super().__init__(
            f"this store was clustered with another ClusterConfig ({listed}). The store keeps "
            "the config it was first clustered with; pass no config to go on with it, or "
            "cluster into a new store to use this one"
        )

    def __reduce__(self) -> tuple[type, tuple[dict[str, tuple[object, object]]]]:
        return type(self), (self.differences,)  # pickled (across processes) as it was made
