"""A fact-check's or report's list of sources closes the article, in HTML and in text.

Fact-checkers and broadcasters end a piece with "Sources:" ("Quellen:") and a list of
documents and interviews; the benchmarks' references leave it out, and the readers kept
it (a dozen citation lines). A label early in the text (before half of it) cuts nothing.
"""

from __future__ import annotations

from newsdesk import extract

PARAGRAPHS = [
    f"Paragraph {n}: the council approved the new budget on Tuesday, after a long debate "
    "about schools, roads and the cost of public transport in the city."
    for n in range(6)
]
SOURCES = [
    'City Gazette, "Council passes budget after long debate," Oct. 13, 2019',
    "Email interview with Jane Doe, professor of public policy, Nov. 14, 2019",
    "Treasury department, budget tables for 2019 and 2020, accessed Nov. 13, 2019",
]


def _html(label: str, sources_at: int) -> str:
    body = [f"<p>{p}</p>" for p in PARAGRAPHS]
    body[sources_at:sources_at] = [f"<h3>{label}</h3>", *(f"<p>{s}</p>" for s in SOURCES)]
    return (
        "<html><head><meta property='og:title' content='Budget passes'></head>"
        f"<body><article><h1>Budget passes</h1>{''.join(body)}</article></body></html>"
    )


def _text(label: str, sources_at: int) -> bytes:
    blocks = list(PARAGRAPHS)
    blocks[sources_at:sources_at] = [label, *SOURCES]
    return "\n\n".join(["Home", "Budget passes", *blocks, "Contact us"]).encode()


def test_the_sources_list_after_the_article_is_left_out() -> None:
    for label in ("Sources:", "Quellen"):
        for page, kind in ((_html(label, 6), "html"), (_text(label, 6), "text")):
            article = extract(page, input_format=kind)
            assert list(article.paragraphs[-2:]) == PARAGRAPHS[-2:], (label, kind)
            assert not any("interview" in p for p in article.paragraphs), (label, kind)


def test_a_sources_label_early_in_the_article_cuts_nothing() -> None:
    for page, kind in ((_html("Sources", 1), "html"), (_text("Sources", 1), "text")):
        article = extract(page, input_format=kind)
        assert PARAGRAPHS[-1] in article.paragraphs, kind
