"""Body furniture in other languages and layouts, on small pages of our own: "read more"
labels, ad labels ("Story continues below advertisement", "Remove ads") and reading times
in other languages, contents-table labels, photo credits ("Bild: dpa"),
live-blog entry stamps, the next article appended below
this one under its own <h1>.
"""

from __future__ import annotations

from newsdesk import extract

PROSE = (
    "The council approved the new budget on Tuesday, after a long debate about schools, "
    "roads and the cost of public transport in the city. "
)


def body(inner: str) -> list[str]:
    page = f"<html><body><h1>Budget passes</h1><article>{inner}</article></body></html>"
    return list(extract(page.encode()).paragraphs)


def test_labels_credits_and_stamps_are_not_body() -> None:
    furniture = [
        "Czytaj więcej",
        "Lesen Sie auch",
        "REKLAM",
        "3 Min Lesezeit",
        "Diese Grafik zeigt den Ablauf der Abstimmung. Bild: Screenshot: rathaus.de",
        "21:00Antony Clements-Thrower",
        "17:56 KEY EVENT",
        "Story continues below advertisement",
        "Don't want to see this? Remove ads",
        "Auch interessant",
        "Table of Contents",
    ]
    inner = "".join(f"<p>{PROSE}Part {n}.</p><p>{f}</p>" for n, f in enumerate(furniture))
    got = body(inner + f"<p>{PROSE * 2}</p>")
    assert not set(furniture) & set(got)
    assert sum(PROSE.strip() in p for p in got) == len(furniture) + 1


def test_the_next_article_below_is_not_body() -> None:
    first = "".join(f"<p>{PROSE} Part {n} of the budget story.</p>" for n in range(6))
    second = "".join(
        f"<p>Another story entirely, paragraph {n}, about football.</p>" for n in range(3)
    )
    got = body(f"{first}<h1>Solskjær may return</h1>{second}")
    assert any("Part 5" in p for p in got)
    assert not any("football" in p for p in got)
