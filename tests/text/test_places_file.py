"""The place-name table shipped with the package is the one Babel's CLDR gives."""

from __future__ import annotations

import json

import pytest

from newsdesk.text import names


def test_places_file_matches_the_installed_babel() -> None:
    babel = pytest.importorskip("babel")
    table = json.loads(names.PLACES_FILE.read_text(encoding="utf-8"))
    if table["babel"] != babel.__version__:
        pytest.skip(
            f"places.json was built with Babel {table['babel']}, {babel.__version__} is "
            "installed: run python scripts/build_places.py"
        )
    places, stems = names.build_places()
    assert table["places"] == places
    assert table["stems"] == stems


def test_names_of_one_place_share_a_key_from_the_file() -> None:
    names._places.cache_clear()
    try:
        assert names.name_key("Russland") == names.name_key("Россия") == "~=RU"
        assert names.name_key("Москве") == names.name_key("Moskau")
    finally:
        names._places.cache_clear()
