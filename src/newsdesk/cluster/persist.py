"""The clusterer's config rule: which config clustering into a store goes on with.

The store keeps the ``ClusterConfig`` it was first clustered with (inside the saved
clusterer state, read by ``newsdesk.pipeline.clustering``). ``agreed_config`` is the one
rule every entry point shares (the pipeline, ``newsdesk cluster``, the CLI's options): no
config goes on with the stored one, a config equal to it goes on, a different one is
refused with ``ConfigMismatchError`` before anything is written, and a store with no
(readable) state takes the config given.
"""

from __future__ import annotations

from dataclasses import astuple, fields
from typing import Any

from newsdesk.cluster.stream import ClusterConfig
from newsdesk.errors import ConfigMismatchError


def saved_config(state: dict[str, Any]) -> ClusterConfig | None:
    """The config inside a decoded clusterer state (``stream.decode_state``); None when it
    holds none readable."""
    try:
        return ClusterConfig(**state["config"])
    except (KeyError, TypeError):
        return None


def config_differences(
    stored: ClusterConfig, given: ClusterConfig
) -> dict[str, tuple[object, object]]:
    """``{field: (stored value, given value)}`` for each field that differs, in field order.

    Every field counts: each one is a knob of the clustering itself (thresholds, weights,
    windows, the dedup signature's size, embeddings, languages), so articles clustered under
    two values of any of them would not be grouped by one rule.
    """
    return {
        f.name: (old, new)
        for f, old, new in zip(fields(ClusterConfig), astuple(stored), astuple(given), strict=True)
        if old != new
    }


def agreed_config(
    stored: ClusterConfig | None, given: ClusterConfig | None
) -> ClusterConfig | None:
    """The config clustering goes on with, or ``ConfigMismatchError``.

    - ``given`` None: the stored one (None for a store not clustered yet: the defaults).
    - no stored config: ``given``, which the new state will keep.
    - ``given`` equal to the stored one: it.
    - ``given`` different: ``ConfigMismatchError`` naming each differing field with both values.
    """
    if given is None or stored is None:
        return given if stored is None else stored
    differences = config_differences(stored, given)
    if differences:
        raise ConfigMismatchError(differences)
    return stored
