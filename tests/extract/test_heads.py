"""find_heads: one query gives what the separate CSS queries it replaced gave."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from newsdesk.extract.access import _is_tier_meta
from newsdesk.extract.heads import find_heads
from newsdesk.extract.metadata import _is_headline_meta

PAGE = """<!doctype html><html><head>
<meta name="HEADLINE" content="upper"><meta name="Headline " content="trailing space">
<meta name="headlinE" content="mixed"><meta property="headline" content="property">
<meta property="article:content_tier" content="locked">
<meta name="Article:Content_Tier" content="free"><meta name="article:content_tier" content="free">
<script type="application/ld+json">{"@type": "NewsArticle", "headline": "A"}</script>
<script type="APPLICATION/LD+JSON">{"@type": "WebPage"}</script>
<script type="application/ld+json">{not json</script>
<script type="text/javascript">var x = 1;</script>
</head><body><h1>One</h1><div><h1 class="x">Two <span>words</span></h1></div>
<svg><title>icon</title></svg><meta name="headline" content="in body"><h2>Three</h2>
</body></html>"""


def _ids(nodes: list) -> list[int]:
    return [node.mem_id for node in nodes]


def test_heads_match_the_css_queries() -> None:
    tree = LexborHTMLParser(PAGE)
    heads = find_heads(tree)
    assert _ids(heads.metas) == _ids(tree.css("meta"))
    assert _ids(heads.h1s) == _ids(tree.css("h1"))
    headline = [m for m in heads.metas if _is_headline_meta(m)]
    assert _ids(headline) == _ids(tree.css('meta[name="headline" i]'))
    assert [m.attributes["content"] for m in headline] == ["upper", "mixed", "in body"]
    tier = [m for m in heads.metas if _is_tier_meta(m)]
    css_tier = 'meta[property="article:content_tier"], meta[name="article:content_tier"]'
    assert _ids(tier) == _ids(tree.css(css_tier))
    scripts = tree.css('script[type="application/ld+json"]')
    assert len(heads.json_ld) == len(scripts) - 1  # the one that is not JSON is skipped
    assert heads.json_ld[0]["headline"] == "A"
