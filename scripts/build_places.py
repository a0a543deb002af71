"""Write src/newsdesk/text/places.json: the names of countries and cities that name keys
fold to one place (``newsdesk.text.names.build_places``), from the installed Babel's CLDR.

Run it after upgrading Babel for newer CLDR names; tests/text/test_places_file.py says
when the file no longer matches the installed Babel.

    python scripts/build_places.py
"""

from __future__ import annotations

import json

import babel

from newsdesk.text.names import PLACES_FILE, build_places


def main() -> None:
    places, stems = build_places()
    table = {"babel": babel.__version__, "places": places, "stems": stems}
    text = json.dumps(table, ensure_ascii=False, sort_keys=True, indent=0)
    PLACES_FILE.write_text(text + "\n", encoding="utf-8")
    print(f"{PLACES_FILE}: {len(places)} spellings, {len(stems)} stems (Babel {babel.__version__})")


if __name__ == "__main__":
    main()
