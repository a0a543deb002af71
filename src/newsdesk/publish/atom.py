"""An Atom feed (RFC 4287) of the latest stories.

Built with lxml so every title and body is escaped as XML text. Drafts held for review
are left out by default: the feed is where stories are published.

The feed lists what the index lists first: stories newest first by when the story last
changed (``Story.last_seen``, the time of its latest source; the draft's ``written_at``
when not given), ties by story id, one entry per story, the first ``limit`` of them. So
the feed holds the front page's published stories, and which stories it holds does not
depend on when or in what order drafts were written (a killed and restarted run writes
them at other times than an uninterrupted one). Each entry's ``<updated>`` is when its
article was written (``written_at``): the entry's text changes exactly when the story is
written again, which is what a reader should see as an update.

Without a site URL (a site published to a folder, its address not known yet), links are
relative references, which RFC 4287 allows in ``atom:link`` (resolved against the feed's
own location: ``stories/<id>.html`` beside ``feed.atom``); ids must be absolute IRIs, so
they are then ``urn:uuid:`` names derived from the site's title and the story id, the same
wherever the folder is served from.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from urllib.parse import quote, urljoin
from uuid import NAMESPACE_URL, uuid5

from lxml import etree

from newsdesk.model import Draft
from newsdesk.publish.pages import render_feed_content
from newsdesk.publish.view import is_held, newest_first, plain_text
from newsdesk.text.dates import as_utc

ATOM_NS = "http://www.w3.org/2005/Atom"
_E = f"{{{ATOM_NS}}}"


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, _E + tag, attrs)
    if text is not None:
        element.text = _xml_safe(text)
    return element


def _xml_safe(text: str) -> str:
    # XML 1.0 forbids most control characters; source text sometimes carries them.
    return _NOT_XML.sub("", text)


# What XML 1.0 does not allow in text: C0 controls but tab, line feed and carriage return,
# and the two non-characters U+FFFE and U+FFFF (lone surrogates never reach here).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def feed_uuid(title: str) -> str:
    """The ``urn:uuid:`` id of a feed without a site URL (stable for a site's title)."""
    return uuid5(NAMESPACE_URL, f"newsdesk:feed:{title}").urn


def entry_uuid(title: str, story_id: str) -> str:
    """The ``urn:uuid:`` id of a story's entry in such a feed."""
    return uuid5(NAMESPACE_URL, f"newsdesk:feed:{title}:story:{story_id}").urn


def render_atom(
    drafts: Iterable[Draft],
    site_url: str | None,
    *,
    title: str = "newsdesk",
    feed_url: str | None = None,
    story_url: Callable[[str], str] | None = None,
    limit: int = 50,
    include_held: bool = False,
    now: datetime | None = None,
    updated: Mapping[str, str | None] | None = None,
    published: Mapping[str, str | None] | None = None,
) -> str:
    """The latest ``limit`` stories as an Atom feed document, in the index's order.

    ``site_url`` is the site's absolute base URL; story links default to
    ``<site_url>stories/<id>.html`` (the static site's layout), and each entry's id is its
    link. ``None``: links relative to the feed (``stories/<id>.html``, ``index.html``) and
    ``urn:uuid:`` ids (``feed_uuid``, ``entry_uuid``). ``updated``: when each
    story last changed, by story id (``Story.last_seen``), as for the index pages; it
    chooses and orders the entries. ``now`` stands in for a time nothing gives (an empty
    feed's, or an entry with neither ``written_at`` nor ``updated``). ``published``: when
    each story's news was first published, by story id (``Story.first_seen``): the entry's
    ``<published>`` (its ``<updated>`` stays the time the article was last written, so a
    rewritten story is fetched again).
    """
    if limit < 0:
        raise ValueError(f"limit must be 0 or more, not {limit}")
    if site_url is None:
        base, home, feed_id = "", "index.html", feed_uuid(title)
    else:
        base = site_url if site_url.endswith("/") else site_url + "/"
        home, feed_id = base, base
    link_for = story_url or (lambda sid: urljoin(base, f"stories/{quote(sid, safe='')}.html"))
    moment = now or datetime.now(UTC)
    # One entry per story (an Atom id is unique in a feed): the last draft given wins.
    by_story = {d.story_id: d for d in drafts if include_held or not is_held(d)}
    chosen = newest_first(by_story.values(), updated)[:limit]  # the index's order and ties

    feed = etree.Element(_E + "feed", nsmap={None: ATOM_NS})
    _sub(feed, "id", feed_id)
    _sub(feed, "title", title)
    _sub(feed, "subtitle", "Stories written from many sources, every sentence cited.")
    changed = [as_utc(d.written_at) or as_utc((updated or {}).get(d.story_id)) for d in chosen]
    _sub(feed, "updated", _rfc3339(max((u for u in changed if u), default=moment)))
    _sub(feed, "link", rel="alternate", type="text/html", href=home)
    if feed_url:
        _sub(feed, "link", rel="self", type="application/atom+xml", href=feed_url)
    author = _sub(feed, "author")
    _sub(author, "name", title)
    _sub(feed, "generator", "newsdesk")

    for draft, when in zip(chosen, changed, strict=True):
        link = link_for(draft.story_id)
        entry = _sub(feed, "entry")
        _sub(entry, "id", link if site_url is not None else entry_uuid(title, draft.story_id))
        _sub(entry, "title", draft.headline or draft.story_id)
        _sub(entry, "link", rel="alternate", type="text/html", href=link)
        _sub(entry, "updated", _rfc3339(when or moment))
        first = as_utc((published or {}).get(draft.story_id))
        if first is not None:
            _sub(entry, "published", _rfc3339(first))
        summary = plain_text(draft.standfirst) or plain_text(draft.lead)
        if summary:
            _sub(entry, "summary", summary)
        _sub(entry, "content", render_feed_content(draft), type="html")
        for source in draft.sources:
            if source.site_name:
                _sub(entry, "contributor").append(_name(source.site_name))
        if draft.language:
            entry.set("{http://www.w3.org/XML/1998/namespace}lang", draft.language)
    return etree.tostring(feed, xml_declaration=True, encoding="utf-8", pretty_print=True).decode(
        "utf-8"
    )


def _name(text: str) -> etree._Element:
    element = etree.Element(_E + "name")
    element.text = _xml_safe(text)
    return element
