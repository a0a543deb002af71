"""Flattened page text whose article is a numbered list or table: rows 1, 2, 3... in order.

Such rows are short and unpunctuated ("4 Denny Hamlin 5027 6 3"), so the line classifier
read them as a menu and kept a sidebar's prose instead, or the intro alone. A page of our
own: a menu, a standings intro, a table of twelve rows, links, a prose sidebar, a footer.
"""

from __future__ import annotations

from newsdesk import extract
from newsdesk.extract.lines import split_lines
from newsdesk.extract.text import Params, _numbered_lists

DRIVERS = [
    "Anna Lind", "Bruno Costa", "Chen Wei", "Dara Okafor", "Elias Berg", "Fatima Noor",
    "Gustav Holm", "Hana Sato", "Ivan Petrov", "Julia Mora", "Karl Weiss", "Lena Falk",
]  # fmt: skip
SIDEBAR = [
    "Click on the picture of our columnist and read his weekly notes about the races of the "
    "season, with the standings, the tyres and the strategies of every team on the grid.",
]


def _page(rows: list[str]) -> str:
    lines = ["Home", "News", "Standings", "Calendar", "", "Championship standings", ""]
    lines += ["Here you always find the standings after the last race of the season:", ""]
    lines += ["Pos. Driver Points Wins", *rows, ""]
    lines += ["Share", "Facebook", "X", "WhatsApp", "Most read", "Comments", "Login", ""]
    lines += [f"Archive {year}" for year in range(2000, 2024)] + [""]
    for paragraph in SIDEBAR:
        lines += [paragraph, ""]
    lines += ["Contact", "Privacy", "© 2024 Racing Weekly"]
    return "\n".join(lines)


def test_a_numbered_table_is_the_article() -> None:
    rows = [f"{n} {name} {5000 - 37 * n} {n % 4}" for n, name in enumerate(DRIVERS, 1)]
    article = extract(_page(rows).encode(), input_format="text")
    for row in rows:
        assert row in article.paragraphs
    assert not any("columnist" in p for p in article.paragraphs)


def test_a_numbered_list_with_a_link_under_each_item() -> None:
    rows = []
    for n, name in enumerate(DRIVERS[:6], 1):
        rows += [f"{n}) Model car of {name}'s racer, scale 1:24", f"http://shop.example/{n}"]
    article = extract(_page(rows).encode(), input_format="text")
    assert all(row in article.paragraphs for row in rows)


def test_numbers_out_of_order_are_no_list() -> None:
    """Scores and dates opening lines ("3 goals", "12 May") are no enumeration; four
    items are too few to tell one."""
    shuffled = [f"{n} {name}" for n, name in zip((3, 12, 1, 7, 2, 9), DRIVERS, strict=False)]
    four = [f"{n} {name}" for n, name in enumerate(DRIVERS[:4], 1)]
    five = [f"{n} {name}" for n, name in enumerate(DRIVERS[:5], 1)]
    assert not _numbered_lists(split_lines("\n".join(shuffled)), Params())
    assert not _numbered_lists(split_lines("\n".join(four)), Params())
    assert _numbered_lists(split_lines("\n".join(five)), Params()) == set(range(5))
