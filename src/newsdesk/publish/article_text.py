"""Render one extracted Article as Markdown or plain text (for `newsdesk extract`)."""

from __future__ import annotations

from newsdesk.model import Article


def _byline(article: Article) -> str:
    parts = []
    if article.authors:
        parts.append("By " + ", ".join(article.authors))
    if article.site_name:
        parts.append(article.site_name)
    if article.published_iso:
        parts.append(article.published_iso)
    return " · ".join(parts)


def article_to_markdown(article: Article) -> str:
    lines = [f"# {article.title}".rstrip(), ""]
    byline = _byline(article)
    if byline:
        lines += [f"*{byline}*", ""]
    if article.url:
        lines += [f"<{article.url}>", ""]
    for paragraph in article.paragraphs:
        lines += [paragraph, ""]
    return "\n".join(lines)


def article_to_text(article: Article) -> str:
    head = [article.title]
    byline = _byline(article)
    if byline:
        head.append(byline)
    return "\n".join(head) + "\n\n" + article.text + "\n"
