"""The web pages: the list of stories, and each story beside its sources.

Pages reuse the publish templates (same look as the static site) with server URLs.
A story with no draft yet shows its sources; a held draft shows the verifier's note.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined

from newsdesk.model import Draft, Source
from newsdesk.publish.atom import render_atom
from newsdesk.publish.markdown import render_markdown
from newsdesk.publish.pages import asset_text, render_html, render_index_entries
from newsdesk.publish.view import IndexEntry, Links, is_held, plain_text
from newsdesk.serve.api import story_and_cited_articles
from newsdesk.serve.settings import ServeSettings
from newsdesk.store import Store

STATIC = {
    "newsdesk.css": "text/css; charset=utf-8",
    "newsdesk.js": "text/javascript; charset=utf-8",
}


def server_links(request: Request) -> Links:
    return Links(
        root=request.scope.get("root_path", "") + "/",
        index="",
        story="stories/{id}",
        story_json="api/stories/{id}",
        story_markdown="stories/{id}.md",
        feed="feed.atom",
        static="static/",
    )


@cache
def _environment() -> Environment:
    return Environment(
        loader=ChoiceLoader(
            [
                PackageLoader("newsdesk.serve", "templates"),
                PackageLoader("newsdesk.publish", "templates"),
            ]
        ),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def error_page(
    request: Request, status: int, heading: str, message: str, title: str
) -> HTMLResponse:
    html = (
        _environment()
        .get_template("error.html")
        .render(
            heading=heading,
            message=message,
            links=server_links(request),
            site_title=title,
            lang=None,
        )
    )
    return HTMLResponse(html, status_code=status)


def _placeholder_draft(story_id: str, headline: str, sources: list[Source]) -> Draft:
    return Draft(
        story_id=story_id,
        headline=headline,
        standfirst=(),
        lead=(),
        body=(),
        summary=(),
        sources=tuple(sources),
    )


# Stories read per query while looking for the feed's published drafts, and the most read
# in all (a store full of unwritten stories must not make one feed request read them all).
_FEED_SCAN_PAGE = 200
_FEED_SCAN_MAX = 5_000


def latest_published(
    store: Store, limit: int
) -> tuple[list[Draft], dict[str, str | None], dict[str, str | None]]:
    """The published drafts of the most recently seen stories, and when each story was last
    and first seen: the same choice and order as the static site's feed and index pages."""
    drafts: list[Draft] = []
    updated: dict[str, str | None] = {}
    first: dict[str, str | None] = {}
    offset = 0
    while len(drafts) < limit and offset < _FEED_SCAN_MAX:
        stories = store.list_stories(limit=_FEED_SCAN_PAGE, offset=offset)
        if not stories:
            break
        offset += len(stories)
        stored_drafts = store.get_drafts(story.id for story in stories)  # one query a page
        for story in stories:
            stored = stored_drafts.get(story.id)
            if stored is None or stored.status != "published":
                continue
            drafts.append(stored.draft)
            updated[story.id] = story.last_seen
            first[story.id] = story.first_seen
            if len(drafts) == limit:
                break
    return drafts, updated, first


def build_page_router(store: Store, settings: ServeSettings) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    title = settings.site_title

    @router.get("/", response_class=HTMLResponse)
    def index(
        request: Request,
        offset: Annotated[int, Query(ge=0)] = 0,
        language: Annotated[str | None, Query(max_length=16)] = None,
    ) -> HTMLResponse:
        size = settings.page_size
        stories = store.list_stories(limit=size, offset=offset, language=language or None)
        total = store.count_stories(language=language or None)
        entries = []
        stored_drafts = store.get_drafts(story.id for story in stories)
        for story in stories:
            stored = stored_drafts.get(story.id)
            draft = stored.draft if stored else None
            sites = [s.site_name for s in draft.sources if s.site_name] if draft else []
            entries.append(
                IndexEntry(
                    story_id=story.id,
                    headline=(draft.headline if draft else "") or story.headline,
                    standfirst=(plain_text(draft.standfirst) or plain_text(draft.lead))
                    if draft
                    else "",
                    written_at=(draft.written_at if draft else None) or story.last_seen,
                    news_time=story.last_seen,
                    language=(draft.language if draft else None),
                    source_count=len(story.article_ids),
                    site_names=list(dict.fromkeys(sites)),
                    held=bool(stored and (stored.status == "held" or is_held(draft))),
                    note=None if draft else "not written yet",
                )
            )

        def page_url(at: int) -> str:
            query = {"offset": at} | ({"language": language} if language else {})
            return "?" + urlencode(query)

        pager = {
            "newer": page_url(max(0, offset - size)) if offset > 0 else None,
            "older": page_url(offset + size) if offset + size < total else None,
        }
        html = render_index_entries(
            entries, links=server_links(request), site_title=title, pager=pager
        )
        return HTMLResponse(html)

    @router.get("/stories/{story_id}.md", response_class=PlainTextResponse)
    def story_markdown(story_id: str) -> Response:
        stored = store.get_draft(story_id)
        if stored is None:
            raise HTTPException(404, f"no written story with id {story_id!r}")
        return PlainTextResponse(
            render_markdown(stored.draft), media_type="text/markdown; charset=utf-8"
        )

    @router.get("/stories/{story_id}", response_class=HTMLResponse)
    def story_page(request: Request, story_id: str) -> Response:
        story = store.get_story(story_id)
        if story is None:
            return error_page(
                request, 404, "Story not found", f"There is no story with id {story_id}.", title
            )
        if story.id != story_id:  # an alias of a merged story: send readers to the survivor
            return RedirectResponse(server_links(request).story_url(story.id), status_code=301)
        stored = store.get_draft(story.id)
        draft = stored.draft if stored else None
        articles = story_and_cited_articles(store, story.id, draft)
        notice = None
        if draft is None:
            draft = _placeholder_draft(
                story.id, story.headline, [Source.from_article(a) for a in articles]
            )
            notice = "This story has not been written yet; its sources are listed beside."
        elif stored and stored.status == "held" and not is_held(draft):
            notice = "Held for review."
        html = render_html(
            draft, articles, links=server_links(request), site_title=title, notice=notice
        )
        return HTMLResponse(html)

    @router.get("/feed.atom")
    def feed(request: Request) -> Response:
        base = str(request.base_url)
        drafts, updated, first = latest_published(store, settings.feed_limit)
        xml = render_atom(
            drafts,
            base,
            title=title,
            feed_url=base + "feed.atom",
            story_url=lambda sid: base + "stories/" + quote(sid, safe=""),
            limit=settings.feed_limit,
            updated=updated,
            published=first,
        )
        return Response(xml, media_type="application/atom+xml; charset=utf-8")

    @router.get("/static/{name}")
    def static(name: str) -> Response:
        if name not in STATIC:
            raise HTTPException(404, "no such file")
        return Response(
            asset_text(name),
            media_type=STATIC[name],
            headers={"Cache-Control": "public, max-age=3600"},
        )

    return router
