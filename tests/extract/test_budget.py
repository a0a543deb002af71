"""Memory per page is bounded: what the parser gets is capped (extract/budget.py).

Scripts, styles and huge attributes are left out before parsing (JSON-LD kept), and what
is left is cut at the cap with a warning; a page under the cap is parsed as it is.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

from newsdesk.extract import extract
from newsdesk.extract.budget import (
    MAX_PARSE_CHARS,
    MAX_TEXT_CHARS,
    bounded_markup,
    bounded_text,
    without_scripts,
)
from tests.conftest import BENCH, require_shared

ARTICLE = "<h1>Council approves the river plan</h1>" + "".join(
    f"<p>The council voted on the plan for the river on Tuesday, paragraph {i}, "
    "after a long debate about the cost of the new flood walls and who pays.</p>"
    for i in range(12)
)
JSON_LD = '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Kept"}</script>'


def page(head: str = "", after: str = "") -> str:
    return (
        f"<html><head><title>Council approves the river plan</title>{JSON_LD}{head}</head>"
        f"<body><article>{ARTICLE}</article>{after}</body></html>"
    )


def test_scripts_styles_and_comments_go_json_ld_stays() -> None:
    html = (
        'a<SCRIPT src="x">var s = "<p>not text</p>";</script >b<style>p{}</STYLE>c'
        "<!-- a - -> b -->d" + JSON_LD + "e<svg><text>x</text></svg>f<script>left open"
    )
    assert without_scripts(html) == "abcd" + JSON_LD + "ef"
    huge_json_ld = '<script type="application/ld+json">' + "x" * 2_000_000 + "</script>"
    assert without_scripts("a" + huge_json_ld + "b") == "ab"


def test_unclosed_openings_are_read_once() -> None:
    # Each unclosed opening runs to the end of the page, as a browser reads it.
    assert without_scripts("<p>x</p>" + "<script>" * 200_000) == "<p>x</p>"
    assert without_scripts("<p>x</p><!--" + "<p>y</p>" * 100_000) == "<p>x</p>"


def test_page_under_the_cap_is_parsed_as_it_is() -> None:
    html = page(head="<script>" + "var a = 1;" * 1000 + "</script>")
    assert bounded_markup(html) == (html, ())


def test_article_after_megabytes_of_script_is_read_whole() -> None:
    bundle = "<script>" + "var a = function(b) { return b * 2; };" * 150_000 + "</script>"
    state = f"<div data-state='{'x' * (MAX_PARSE_CHARS // 2)}'></div>"
    html = page(head=bundle * 2 + f"<style>{'p{color:red}' * 100_000}</style>", after=state)
    assert len(html) > 2 * MAX_PARSE_CHARS
    article = extract(html.encode(), max_bytes=len(html) + 1)
    assert article.title == "Kept"  # from the JSON-LD, which is kept
    assert len(article.paragraphs) == 12 and not article.warnings


def test_page_over_the_cap_is_cut_with_a_warning() -> None:
    comment = '<div class="comment"><p>I was there and the plan is a good one for us.</p></div>'
    comments = comment * (2 * MAX_PARSE_CHARS // len(comment))
    html = page(after=comments)
    bounded, _ = bounded_markup(html)
    assert len(bounded) <= MAX_PARSE_CHARS and bounded.endswith("</div>")
    article = extract(html.encode(), max_bytes=len(html) + 1)
    assert article.paragraphs[0].startswith("The council voted")
    assert len(article.paragraphs) == 12
    assert any("was cut at" in w and "not read" in w for w in article.warnings)


def test_flattened_text_over_the_cap_is_cut_at_a_line() -> None:
    story = "\n\n".join(p.removeprefix("<p>") for p in ARTICLE.split("</p>")[:-1][1:])
    line = "Reader {} wrote that the plan for the river is a good one for the town.\n"
    readers = "".join(line.format(i) for i in range(2 * MAX_TEXT_CHARS // len(line)))
    text = "Council approves the river plan\n\n" + story + "\n\n" + readers
    cut, warnings = bounded_text(text)
    assert len(cut) <= MAX_TEXT_CHARS and cut.endswith("town.") and warnings
    article = extract(text.encode(), max_bytes=len(text) + 1, input_format="text")
    assert article.paragraphs[0].startswith("The council voted")
    assert any("was cut at" in w for w in article.warnings)


def test_real_article_pages_are_never_cut() -> None:
    folder = require_shared(BENCH / "extraction" / "scrapinghub" / "html")
    for path in folder.glob("*.html.gz"):
        html = gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
        assert bounded_markup(html)[1] == (), path.name


CHILD = """
import sys
from pathlib import Path
from newsdesk.extract import extract
import newsdesk.extract.html
def hwm():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
data = Path(sys.argv[1]).read_bytes()
before = hwm()
article = extract(data, max_bytes=len(data) + 1)
print(hwm() - before, len(article.paragraphs))
"""


def test_peak_memory_grows_with_the_page_not_with_its_tree(tmp_path: Path) -> None:
    """A 20 MB page of reader comments: the process's peak grows by a few times the page's
    size (its bytes and text), not by the tree of all its comments (about 16x before)."""
    if not Path("/proc/self/status").exists():
        return  # VmHWM is Linux's
    comment = '<div class="comment"><span>reader</span><p>{} and so on.</p></div>'
    words = "the plan for the river is good and the council should build it now"
    body = "".join(comment.format(words) for _ in range(20_000_000 // 90))
    path = tmp_path / "big.html"
    path.write_text(page(after=body), encoding="utf-8")
    size = path.stat().st_size
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, check=True
    )
    added, paragraphs = map(int, out.stdout.split())
    assert paragraphs == 12
    assert added < 8 * size, json.dumps({"added_mb": added / 2**20, "page_mb": size / 2**20})
