"""Flattened page text: the article ends where a comment form or a newsletter sign-up starts.

A page of our own: an article, then the WordPress comment form and a newsletter box, both
written as prose (so they look like paragraphs to the line classifier).
"""

from __future__ import annotations

from newsdesk import extract

PROSE = (
    "The council approved the new budget on Tuesday, after a long debate about schools, "
    "roads and the cost of public transport in the city."
)
FORM = [
    "Leave a Reply",
    "Your email address will not be published. Required fields are marked *",
    "Save my name, email, and website in this browser for the next time I comment, and "
    "let the site keep my details so that I do not have to type them again next time.",
    "By submitting this form you agree to the site using your data for the purposes of "
    "publishing your comment, and to the privacy policy that applies to every reader.",
]


def test_the_comment_form_after_the_article_is_not_article() -> None:
    lines = ["City news", "", "Budget passes after long debate", ""]
    for n in range(5):
        lines += [f"{PROSE} Paragraph {n} adds detail about the vote and the reactions.", ""]
    lines += [line for item in FORM for line in (item, "")]
    article = extract("\n".join(lines).encode(), input_format="text")
    assert "Paragraph 4 adds detail" in article.text
    assert "Your email address" not in article.text
    assert "By submitting this form" not in article.text


def test_a_short_form_line_early_in_the_text_cuts_nothing() -> None:
    lines = ["Budget passes after long debate", "", "Leave a comment", ""]
    for n in range(5):
        lines += [f"{PROSE} Paragraph {n} adds detail about the vote and the reactions.", ""]
    article = extract("\n".join(lines).encode(), input_format="text")
    assert article.text.count("adds detail") == 5
