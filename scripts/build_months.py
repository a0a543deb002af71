"""Write src/newsdesk/text/months.json: the month names of every language in
``newsdesk.text.dates.MONTH_LANGUAGES`` (``build_months``), from the installed Babel's CLDR.

Run it after upgrading Babel for newer CLDR names; tests/text/test_dates.py says when the
file no longer matches the installed Babel.

    python scripts/build_months.py
"""

from __future__ import annotations

import json

import babel

from newsdesk.text.dates import MONTHS_FILE, build_months


def main() -> None:
    months = build_months()
    table = {"babel": babel.__version__, "months": months}
    MONTHS_FILE.write_text(json.dumps(table, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{MONTHS_FILE}: {len(months)} names (Babel {babel.__version__})")


if __name__ == "__main__":
    main()
