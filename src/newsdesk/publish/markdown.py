"""A draft as Markdown: headline, standfirst, lead, body, background, summary, sources.

Citations become numbered links to the source URL. Source text is untrusted, and Markdown
renderers pass raw HTML through, so every character that could start markup (``<``, ``[``,
``*``...) is backslash-escaped: a headline ``<script>`` stays text when rendered.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from newsdesk.model import Draft, Sentence
from newsdesk.publish.links import safe_url
from newsdesk.publish.view import is_held, ordered_sources

# Characters that can open markup anywhere in a line. Parentheses and "!" need no escape:
# with "[" and "]" escaped they cannot form a link or an image.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>~&])")
# Markers that start a block only at the beginning of a line: lists, headings, rules, quotes.
_LINE_START = re.compile(r"^(\s*)([-+=>#]|\d+[.)])")


def escape_markdown(text: str) -> str:
    """Text shown literally by any CommonMark renderer (one line)."""
    text = re.sub(r"\s+", " ", text).strip()
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    return _LINE_START.sub(lambda m: m.group(1) + _escape_marker(m.group(2)), text)


def _escape_marker(marker: str) -> str:
    if marker[-1] in ".)":
        return marker[:-1] + "\\" + marker[-1]
    return "\\" + marker


def _link_target(url: str) -> str:
    # Angle-bracket destinations allow spaces and parentheses; < > cannot occur in a safe URL.
    return "<" + url.replace("<", "%3C").replace(">", "%3E") + ">"


def render_markdown(draft: Draft) -> str:
    """The draft as a Markdown document."""
    sources = ordered_sources(draft, {})
    numbers = {s.id: i for i, s in enumerate(sources, start=1)}
    urls = {s.id: safe_url(s.url) for s in sources}

    def sentence(s: Sentence) -> str:
        text = escape_markdown(s.text)
        marks = []
        for aid in dict.fromkeys(s.citations):
            n = numbers[aid]
            url = urls.get(aid)
            marks.append(f"[\\[{n}\\]]({_link_target(url)})" if url else f"\\[{n}\\]")
        return text + ("".join(marks) if marks else "")

    def paragraph(sentences: Iterable[Sentence]) -> str:
        return " ".join(sentence(s) for s in sentences if s.text.strip())

    out = [f"# {escape_markdown(draft.headline) or escape_markdown(draft.story_id)}", ""]
    if is_held(draft) and draft.checks:
        out += ["> **Held for review.** The verifier found problems in this draft:", ">"]
        for p in draft.checks.problems:
            out.append(
                f"> - *{escape_markdown(p.kind)}*: {escape_markdown(p.text)}: {escape_markdown(p.why)}"
            )
        out.append("")
    if draft.standfirst:
        out += [f"*{paragraph(draft.standfirst)}*", ""]
    if draft.lead:
        out += [paragraph(draft.lead), ""]
    for body in draft.body:
        if any(s.text.strip() for s in body):
            out += [paragraph(body), ""]
    if draft.background:
        out += ["## Background", ""]
        for body in draft.background:
            out += [paragraph(body), ""]
    if draft.summary:
        out += ["## In summary", "", paragraph(draft.summary), ""]
    out += ["## Sources", ""]
    for n, source in enumerate(sources, start=1):
        title = escape_markdown(source.title or source.id)
        url = urls.get(source.id)
        line = f"{n}. [{title}]({_link_target(url)})" if url else f"{n}. {title}"
        if source.site_name:
            line += f", {escape_markdown(source.site_name)}"
        if source.access == "paywalled":
            line += " (paywall: teaser only)"
        out.append(line)
    out.append("")
    meta = [f"story {escape_markdown(draft.story_id)}", f"writer {escape_markdown(draft.writer)}"]
    if draft.written_at:
        meta.append(f"written {escape_markdown(draft.written_at)}")
    out += ["---", "", "*" + "; ".join(meta) + "*", ""]
    return "\n".join(out)
