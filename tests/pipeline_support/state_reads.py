"""Counting how often a run decodes the clusterer state saved in the store."""

from __future__ import annotations

import pytest

from newsdesk.pipeline import clustering


def count_state_decodes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Wrap ``clustering.decode_state`` for the rest of the test; the returned list gets the
    size of each decoded state, so its length is the number of decodes."""
    decoded: list[int] = []
    decode = clustering.decode_state

    def counting(data: bytes):
        decoded.append(len(data))
        return decode(data)

    monkeypatch.setattr(clustering, "decode_state", counting)
    return decoded
