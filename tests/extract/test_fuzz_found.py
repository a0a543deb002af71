"""Inputs that broke the extract path in `python bench/fuzz.py` runs, kept as tests.

Each is a small page of our own with the shape that broke: a megabyte "word" (a class
attribute of one repeated letter, flattened into a text page) on which date patterns
backtracked for minutes; a megabyte class list the furniture regexes scanned; a script of
binary junk whose invalid bytes a Python error handler counted one by one; a single
flipped byte in an ASCII page, once read as HP Roman-8 by a charset guess; text holding
U+0085 or U+2028, which line splitters break JSON lines at.
"""

from __future__ import annotations

import json
import random

import pytest

from newsdesk import extract
from newsdesk.cli.output import print_json_line
from newsdesk.text.dates import parse_date

PROSE = (
    "The council approved the new budget on Tuesday, after a long debate about schools, "
    "roads and the cost of public transport in the city. "
)


def _text_page(middle: str) -> bytes:
    lines = ["City news", "", "Budget passes after a long debate", "", PROSE * 3, "", middle]
    lines += ["", PROSE * 2, "", "Share this article"]
    return "\n".join(lines).encode()


def test_a_megabyte_word_in_page_text_is_read_past() -> None:
    for letter in ("é", "A"):
        word = letter * 300_000
        assert parse_date(word) is None
        moment = parse_date(f"{word} 12 June 2024")
        assert moment is not None and moment.isoformat() == "2024-06-12"
        article = extract(_text_page(f'<div class="{word}">x</div>'), input_format="text")
        assert "approved the new budget" in article.text


def test_a_megabyte_class_attribute_in_html() -> None:
    junk = "A" * 2_000_000
    page = (
        f'<html><body><div class="{junk}">x</div><article><p>{PROSE * 3}</p>'
        f"<p>{PROSE * 2}</p></article></body></html>"
    )
    article = extract(page.encode())
    assert article.text.count("approved the new budget") == 5


def test_binary_junk_in_a_script_is_dropped_and_reported() -> None:
    junk = random.Random(7).randbytes(1_000_000)
    page = (
        b"<html><body><article><p>" + PROSE.encode() * 200 + b"</p></article><script>"
        + junk + b"</script></body></html>"
    )  # fmt: skip
    article = extract(page)
    assert "approved the new budget" in article.text
    (warning,) = article.warnings
    assert f"invalid utf-8 at byte {page.index(junk) + _first_bad(junk)} " in warning


def _first_bad(data: bytes) -> int:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start
    raise AssertionError("junk decoded as UTF-8")


def test_one_flipped_byte_leaves_an_ascii_page_utf8() -> None:
    page = (
        f"<html><head><meta charset='utf-8'><title>Budget passes</title></head><body><article>"
        f"<p>{PROSE * 3}</p><p>{PROSE * 2}</p></article></body></html>"
    ).encode()
    at = page.index(b"debate")
    flipped = page[:at] + b"\xfe" + page[at + 1 :]
    article = extract(flipped)
    assert "\ufffdebate" in article.text
    assert article.title == "Budget passes"
    assert f"invalid utf-8 at byte {at}" in article.warnings[0]


def test_a_url_urllib_refuses_is_no_crash() -> None:
    """A cut tag left '<link rel="canonical" href="http://[2001:db8::1/x">' (an unclosed IPv6
    bracket): urllib raises ValueError on it; the page is still read."""
    page = (
        '<html><head><link rel="canonical" href="http://[2001:db8::1/x">'
        '<meta property="og:url" content="https://[bad/">'
        '<meta property="og:site_name" content="https://[bad/"><title>Budget | Gazette</title>'
        f"</head><body><article><p>{PROSE * 3}</p></article></body></html>"
    )
    article = extract(page.encode())
    assert "approved the new budget" in article.text
    article = extract(_text_page("More"), url="http://[2001:db8::1/x", input_format="text")
    assert "approved the new budget" in article.text


def test_a_megabyte_word_closing_the_body_is_no_hang() -> None:
    """A paragraph of one unbroken 'word' at the end of the body: the e-mail pattern of the
    promo test (\\S+@\\S+) backtracked over it for minutes; the pattern is bounded now and
    long blocks are not scanned for promos."""
    junk = "A" * 300_000
    page = f"<html><body><article><p>{PROSE * 3}</p><p>{junk}</p></article></body></html>"
    article = extract(page.encode())
    assert "approved the new budget" in article.text


def test_a_megabyte_title_is_cut_not_scanned() -> None:
    """og:title, JSON-LD headline and <title> of a megabyte each, one the other's prefix
    plus a separator: the title code compared prefixes character by character."""
    long = "Budget passes " + "a" * 1_000_000
    page = (
        f'<html><head><meta property="og:title" content="{long} - National">'
        f"<title>{long}</title></head><body><article><p>{PROSE * 3}</p></article></body></html>"
    )
    article = extract(page.encode())
    assert article.title.startswith("Budget passes")
    assert len(article.title) <= 1000


def test_line_break_characters_in_a_record_keep_one_json_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Mojibake put U+0085 (NEL) in an article's fields; `newsdesk extract` wrote it raw
    inside the JSON line, which str.splitlines() and some JSON-lines readers split in two
    (bench/fuzz.py counted 202 records for 200 pages)."""
    record = {"title": "druzgoc\x85c\x85 pora", "text": "a\u2028b\u2029c"}
    print_json_line(record)
    (line,) = capsys.readouterr().out.splitlines()
    assert json.loads(line) == record
