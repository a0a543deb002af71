"""The walk skips hidden elements by their attributes, read in Python as CSS selectors read
them: checked against lexbor's own CSS matching, element by element, on real pages."""

from __future__ import annotations

import gzip

import pytest
from selectolax.lexbor import LexborHTMLParser

from newsdesk.extract import dom
from tests.conftest import BENCH, require_shared

# What the walk skips, as one CSS selector list (the walk reads attributes, not CSS).
HIDDEN_SELECTOR = (
    '[hidden], [aria-hidden="true"], [style*="display:none" i], [style*="display: none" i], '
    '[style*="visibility:hidden" i], [style*="visibility: hidden" i], '
    '[class*="tooltip" i], [class*="popover" i], [class*="rollover" i], '
    '[class*="hovercard" i], [class*="sr-only" i], [class*="visually-hidden" i], '
    '[class*="screen-reader" i], [class~="hidden" i], [class~="is-hidden"], '
    '[class~="hide" i], [class~="d-none"], [class~="invisible"]'
)


def _walk_says_hidden(attrs: dict[str, str | None]) -> bool:
    classes = attrs.get("class")
    if classes and dom._remembered_classes_hide(classes):
        return True
    return dom._hidden_by_attributes(attrs)


def _disagreements(html: bytes | str) -> list[str]:
    tree = LexborHTMLParser(html)
    matched = {node.mem_id for node in tree.css(HIDDEN_SELECTOR)}  # the elements themselves
    wrong = []
    for node in tree.root.traverse():
        attrs = node.attributes
        if _walk_says_hidden(attrs) != (node.mem_id in matched):
            wrong.append(f"<{node.tag} {attrs}>")
    return wrong


@pytest.mark.parametrize(
    "element",
    [
        "<div hidden>x</div>",
        "<div hidden=''>x</div>",
        "<div aria-hidden='true'>x</div>",
        "<div aria-hidden='True'>x</div>",
        "<div aria-hidden='false'>x</div>",
        "<div style='DISPLAY: NONE'>x</div>",
        "<div style='color: red; display:none;'>x</div>",
        "<div style='visibility:hidden'>x</div>",
        "<div style='display: block'>x</div>",
        "<span class='SR-ONLY'>x</span>",
        "<span class='a visually-hidden-focusable'>x</span>",
        "<span class='Hidden'>x</span>",
        "<span class='IS-HIDDEN'>x</span>",
        "<span class='is-hidden'>x</span>",
        "<span class='hidden-xs'>x</span>",
        "<span class='a\thide\nb'>x</span>",
        "<span class='d-none d-md-block'>x</span>",
        "<span class='D-NONE'>x</span>",
        "<span class='invisible'>x</span>",
        "<span class='tooltipster'>x</span>",
        "<span class=''>x</span>",
        "<span class>x</span>",
        "<span id='hidden'>x</span>",
        "<span class='H\u0130DDEN'>x</span>",  # a dotted capital I is no ASCII letter
        "<span class='\u212aelvin-sr-only'>x</span>",
        "<span class='a\u00a0hidden'>x</span>",  # a no-break space separates no words
    ],
)
def test_each_hiding_attribute_is_read_as_css_reads_it(element: str) -> None:
    assert _disagreements(f"<html><body>{element}</body></html>") == []


def test_real_pages_hide_the_same_elements_as_css_says() -> None:
    folder = require_shared(BENCH / "extraction" / "scrapinghub" / "html")
    pages = sorted(folder.glob("*.html.gz"))[:40]
    checked = 0
    for path in pages:
        wrong = _disagreements(gzip.decompress(path.read_bytes()))
        assert wrong == [], f"{path.name}: {wrong[:3]}"
        checked += 1
    assert checked == len(pages) > 0


def test_hidden_text_never_reaches_a_block() -> None:
    page = dom.segment(
        dom.parse(
            "<html><body><p>Seen <span class='sr-only'>unseen</span>words.</p>"
            "<div style='display:none'><p>Also unseen.</p></div>"
            "<nav><p>Menu</p></nav><p>Last <b hidden>unseen</b>line.</p></body></html>"
        )
    )
    assert [block.text for block in page.blocks] == ["Seen words.", "Last line."]
