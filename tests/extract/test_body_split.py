"""A body the template split into two repeated wrappers, far apart in the tree.

Some outlets put each half of the text in its own stack of wrappers (an ad slot or a
"read also" teaser in between), so the halves' common ancestor lies more levels up than
the region's climb goes. Before, the reader kept the first half only.
"""

from __future__ import annotations

from newsdesk import extract

FIRST = [
    "Three weeks before the election the country was hit by a political storm, set off by "
    "proposals to close the borders to everyone from outside the union, made by the parties "
    "leading in the polls.",
    "The leaders of those parties know what is at stake, yet they tried to pass a drastic "
    "change to the law with the votes of the far right, which many of their own members "
    "refused to support on Friday.",
    "The opposition leader argued that closing the borders to newcomers was simply a "
    "necessity, because the towns could no longer house them, a claim the ministers denied.",
]
SECOND = [
    "The debate on migration thus turned into a debate on whether the far right may be "
    "treated as a normal party, something that was unthinkable only a few years ago.",
    "The paradox is that all the parties in parliament know how the voters feel, and that "
    "none of them wants to be seen as the one who opened the door to the extremists.",
    "After the defeat the opposition leader promised to bring the same rules back after the "
    "election, though it is far from clear that any partner would agree to them.",
]


def _half(paragraphs: list[str]) -> str:
    inner = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"<div><div><div class='art'><div class='text'>{inner}</div></div></div></div>"


def test_both_halves_of_a_body_in_twin_wrappers() -> None:
    teaser = (
        "<div><div><div><div class='teaser'><a href='/x'>Parliament backs border checks, "
        "neighbours welcome the move</a></div></div></div></div>"
    )
    html = (
        "<html><head><meta property='og:title' content='A storm before the vote'></head>"
        "<body><nav><a href='/'>Home</a></nav><main><div class='page'>"
        f"{_half(FIRST)}{teaser}{_half(SECOND)}</div></main>"
        "<footer>Contact - Imprint - Privacy</footer></body></html>"
    )
    assert list(extract(html).paragraphs) == FIRST + SECOND


def test_a_footer_built_like_the_body_stays_out() -> None:
    """An address line in wrappers of the same depth scores like part of a body (all
    commas and colons) but holds too little prose to be its second half."""
    footer = _half(
        ["Town Hall: Main St. 1, Exampleton; tel.: 0123, fax: 0124; VAT: 12.345; Box: 4."]
    )
    html = (
        "<html><head><meta property='og:title' content='A storm before the vote'></head>"
        f"<body><main><div class='page'>{_half(FIRST)}</div></main>"
        f"<div class='bottom'><div>{footer}</div></div></body></html>"
    )
    assert list(extract(html).paragraphs) == FIRST
