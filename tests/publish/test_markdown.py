"""The Markdown draft's list of sources."""

from __future__ import annotations

from newsdesk.model import Article
from newsdesk.publish.markdown import render_markdown
from newsdesk.write import write_extractive


def test_a_source_without_title_or_url_is_listed_by_its_opening_words():
    """Text files without a title line were listed by their article ids."""
    untitled = Article.create(
        url=None,
        title="",
        paragraphs=[
            "The committee contacted the police on Tuesday after it found a fake login page "
            "built to gather the passwords of its staff, a spokesman said.",
            "The page was taken down within hours, and no data was lost, the committee said.",
        ],
        source="pages/0001.txt",
    )
    draft = write_extractive([untitled], "s1", max_words=60)
    sources = render_markdown(draft).split("## Sources", 1)[1]
    assert "1. The committee contacted the police on Tuesday after it found a fake…" in sources
    assert untitled.id not in sources
