"""The JSON API: stories (paged, filtered), one story with its draft and articles,
articles, extraction of a posted page, token-protected ingest into the store, and the
run history for the site's operator.

Extraction is CPU work on bodies of up to ``max_body_bytes``: ``POST /api/extract`` wants
a bearer token (its own, else the ingest token) unless none is configured, and at most
``max_extractions`` pages are extracted at once (``ExtractionSlots``); a request finding
every slot busy is refused at once with 503 and Retry-After rather than queued.
"""

# No `from __future__ import annotations`: FastAPI must evaluate the Query(...) annotations
# inside build_api_router, where `settings` is in scope.

import secrets
import threading
from datetime import datetime
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import WithJsonSchema

from newsdesk.model import Article, Draft, Page
from newsdesk.pipeline.blocks import extract_page
from newsdesk.serve.bodies import PageBody, ingest_item, page_from_request, read_limited
from newsdesk.serve.schemas import (
    ArticleOut,
    DraftOut,
    ErrorOut,
    IngestResult,
    ReportOut,
    RunOut,
    StoryDetail,
    StoryList,
    StorySummary,
)
from newsdesk.serve.settings import ServeSettings
from newsdesk.store import Store
from newsdesk.text.dates import as_utc

_bearer = HTTPBearer(auto_error=False, description="NEWSDESK_INGEST_TOKEN of the server")
_extract_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="ExtractBearer",
    description="NEWSDESK_EXTRACT_TOKEN of the server, or NEWSDESK_INGEST_TOKEN when it has none",
)
# Seconds a client refused for want of an extraction slot is told to wait.
RETRY_AFTER_SECONDS = 2
# The largest offset a page of stories may start at: far beyond any store, and within the
# 64-bit integers SQLite and PostgreSQL take (a larger one made SQLite raise OverflowError)
# and the integers a JavaScript client holds exactly.
MAX_OFFSET = 2**31 - 1
# A time parameter: ISO 8601 date-time in the schema; parse_time_param also takes a plain
# date (midnight UTC) and a time without a zone (UTC).
IsoTime = Annotated[str, WithJsonSchema({"type": "string", "format": "date-time"})]


class ExtractionSlots:
    """At most ``size`` page extractions at once; ``try_acquire`` never waits.

    A bounded semaphore, not a queue: a queue would let a flood of large pages hold
    memory and connections without bound while every request waits its turn.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._free = threading.BoundedSemaphore(size)

    def try_acquire(self) -> bool:
        return self._free.acquire(blocking=False)

    def release(self) -> None:
        self._free.release()


def check_bearer(credentials: HTTPAuthorizationCredentials | None, token: str, what: str) -> None:
    """401 without a bearer token, 403 with another one than ``token``."""
    if credentials is None:
        raise HTTPException(
            401, "a bearer token is required", headers={"WWW-Authenticate": "Bearer"}
        )
    if not secrets.compare_digest(credentials.credentials.encode("utf-8"), token.encode("utf-8")):
        raise HTTPException(403, f"the bearer token is not the {what} token")


def parse_time_param(value: str | None, name: str) -> datetime | None:
    """An ISO 8601 date or time from a query parameter (UTC when no zone is given), or 422."""
    if value is None or not value.strip():
        return None
    moment = as_utc(value.strip().replace(" ", "+"))  # "+" arrives as a space
    if moment is None:
        raise HTTPException(422, f"{name} must be an ISO 8601 date or time, not {value[:50]!r}")
    return moment


def story_page_path(request: Request, story_id: str) -> str:
    return request.scope.get("root_path", "") + "/stories/" + quote(story_id, safe="")


def extract_posted(body: PageBody) -> Article:
    """Extract one posted page (the pipeline's block); bad input becomes 422 with the
    reason in words."""
    page = Page(
        source="",  # posted, not read from anywhere
        content=body.content,
        url=body.url,
        content_type=f"text/html; charset={body.charset}" if body.charset else None,
    )
    result = extract_page(page, body.input_format)
    if result.article is not None:
        return result.article
    if result.bug:
        raise RuntimeError(result.reason)  # a bug of ours: 500, as any other
    raise HTTPException(422, result.reason or "no article")


def build_api_router(
    store: Store, settings: ServeSettings, slots: ExtractionSlots | None = None
) -> APIRouter:
    """The /api routes; ``slots`` bounds extractions (default: ``settings.max_extractions``)."""
    router = APIRouter(prefix="/api", tags=["api"])
    errors = {404: {"model": ErrorOut}, 422: {"model": ErrorOut}}
    slots = slots or ExtractionSlots(settings.max_extractions)
    extract_token = settings.required_extract_token

    def require_ingest_token(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> None:
        if not settings.ingest_token:
            raise HTTPException(403, "ingest is disabled: the server has no NEWSDESK_INGEST_TOKEN")
        check_bearer(credentials, settings.ingest_token, "ingest")

    def require_extract_token(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_extract_bearer)],
    ) -> None:
        if extract_token is not None:
            check_bearer(credentials, extract_token, "extract")

    async def extract_in_a_slot(page: PageBody) -> Article:
        if not slots.try_acquire():
            raise HTTPException(
                503,
                f"the server is extracting {slots.size} pages already: retry later",
                headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            )
        try:
            # A client that goes away does not free the slot early: the thread runs on
            # (anyio shields it) and this waits for it.
            return await run_in_threadpool(extract_posted, page)
        finally:
            slots.release()

    @router.get("/stories", response_model=StoryList, responses=errors)
    def list_stories(
        request: Request,
        limit: Annotated[int, Query(ge=1, le=settings.max_page_size)] = settings.page_size,
        offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
        since: Annotated[
            IsoTime | None,
            Query(description="ISO 8601 time (or date): stories seen at or after it"),
        ] = None,
        until: Annotated[
            IsoTime | None, Query(description="ISO 8601 time (or date): stories seen up to it")
        ] = None,
        language: Annotated[str | None, Query(max_length=16, description="ISO 639-1")] = None,
    ) -> StoryList:
        """Stories, most recently seen first."""
        window = {
            "since": parse_time_param(since, "since"),
            "until": parse_time_param(until, "until"),
            "language": language or None,
        }
        stories = store.list_stories(limit=limit, offset=offset, **window)
        total = store.count_stories(**window)
        items = []
        stored_drafts = store.get_drafts(story.id for story in stories)
        for story in stories:
            stored = stored_drafts.get(story.id)
            items.append(
                StorySummary.of(
                    story,
                    stored.draft if stored else None,
                    stored.status if stored else None,
                    story_page_path(request, story.id),
                )
            )
        following = offset + len(items)
        return StoryList(
            items=items,
            total=total,
            limit=limit,
            offset=offset,
            next_offset=following if following < total else None,
        )

    @router.get("/stories/{story_id}", response_model=StoryDetail, responses=errors)
    def get_story(story_id: str) -> StoryDetail:
        """One story (an alias id gives the story it was merged into), its draft, checks, articles."""
        story = store.get_story(story_id)
        if story is None:
            raise HTTPException(404, f"no story with id {story_id!r}")
        stored = store.get_draft(story.id)
        draft = stored.draft if stored else None
        articles = story_and_cited_articles(store, story.id, draft)
        return StoryDetail(
            id=story.id,
            requested_id=story_id,
            headline=(draft.headline if draft else "") or story.headline,
            first_seen=story.first_seen,
            last_seen=story.last_seen,
            aliases=list(story.aliases),
            article_ids=list(story.article_ids),
            status=stored.status if stored else "unwritten",
            draft=DraftOut.of(draft) if draft else None,
            checks=ReportOut.model_validate(draft.checks.to_dict())
            if draft and draft.checks
            else None,
            articles=[ArticleOut.of(a) for a in articles],
        )

    @router.get("/articles/{article_id}", response_model=ArticleOut, responses=errors)
    def get_article(article_id: str) -> ArticleOut:
        """One stored article."""
        article = store.get_article(article_id)
        if article is None:
            raise HTTPException(404, f"no article with id {article_id!r}")
        return ArticleOut.of(article)

    def page_body(json_schema: dict) -> dict:
        """The documented request body of /extract and /ingest (read by hand, not by FastAPI:
        the schemas it names are added to the document by ``serve.openapi``)."""
        return {
            "requestBody": {
                "required": True,
                "description": "the page's bytes (any type but JSON; `?url=` and "
                "`?input_format=` optional), or JSON `{content, url, input_format}`",
                "content": {
                    "application/json": {"schema": json_schema},
                    "text/html": {"schema": {"type": "string", "minLength": 1}},
                    "text/plain": {"schema": {"type": "string", "minLength": 1}},
                },
            }
        }

    extract_json = {"$ref": "#/components/schemas/ExtractRequest"}
    ingest_json = {
        "anyOf": [
            {"$ref": "#/components/schemas/ArticleIn"},
            {"$ref": "#/components/schemas/ExtractRequest"},
        ]
    }

    busy = {
        503: {
            "model": ErrorOut,
            "description": f"{slots.size} pages are being extracted already; retry after "
            "the seconds the Retry-After header gives",
        }
    }
    guarded = {401: {"model": ErrorOut}, 403: {"model": ErrorOut}}
    if extract_token is not None:
        who = "Needs the bearer token (NEWSDESK_EXTRACT_TOKEN, else NEWSDESK_INGEST_TOKEN)."
    elif settings.extract_public:
        who = "Open to anyone (NEWSDESK_EXTRACT_PUBLIC)."
    else:
        who = "Open to anyone: the server has no NEWSDESK_EXTRACT_TOKEN or NEWSDESK_INGEST_TOKEN."

    @router.post(
        "/extract",
        response_model=ArticleOut,
        responses={
            **errors,
            **(guarded if extract_token is not None else {}),
            413: {"model": ErrorOut},
            **busy,
        },
        dependencies=[Depends(require_extract_token)] if extract_token is not None else [],
        openapi_extra=page_body(extract_json),
        description="Extract a clean article from a posted page (nothing is stored). "
        f"{who} At most {slots.size} pages are extracted at once; a request beyond that "
        "is refused with 503 and a Retry-After header.",
    )
    async def extract_endpoint(request: Request) -> ArticleOut:
        body = await read_limited(request, settings.max_body_bytes)
        page = page_from_request(request, body)
        article = await extract_in_a_slot(page)
        return ArticleOut.of(article)

    @router.post(
        "/ingest",
        response_model=IngestResult,
        status_code=201,
        responses={
            **errors,
            200: {"model": IngestResult, "description": "already stored"},
            **guarded,
            413: {"model": ErrorOut},
            **busy,
        },
        dependencies=[Depends(require_ingest_token)],
        openapi_extra=page_body(ingest_json),
    )
    async def ingest_endpoint(request: Request, response: Response) -> IngestResult:
        """Store an article: JSON in the shape `newsdesk extract` prints, or a page to extract
        (in one of the extraction slots /api/extract uses: 503 with Retry-After when busy)."""
        body = await read_limited(request, settings.max_body_bytes)
        item = ingest_item(request, body)
        article = item if isinstance(item, Article) else await extract_in_a_slot(item)
        created = await run_in_threadpool(store.add_article, article)
        if not created:
            response.status_code = 200
        return IngestResult(article=ArticleOut.of(article), created=created)

    @router.get(
        "/runs",
        response_model=list[RunOut],
        responses={**errors, **guarded},
        dependencies=[Depends(require_ingest_token)],
    )
    def list_runs(
        limit: Annotated[int, Query(ge=1, le=settings.max_page_size)] = settings.page_size,
    ) -> list[RunOut]:
        """`newsdesk run` history, most recent first (needs the ingest token: it names the
        sources that failed). A run whose process died shows `interrupted` once the next run
        has started."""
        return [RunOut.model_validate(run.to_dict()) for run in store.list_runs(limit=limit)]

    return router


def story_and_cited_articles(store: Store, story_id: str, draft: Draft | None) -> list[Article]:
    """The story's members, then articles its draft cites from elsewhere (background)."""
    articles = store.story_articles(story_id)
    have = {a.id for a in articles}
    if draft is not None:
        wanted = [s.id for s in draft.sources]
        wanted += [c for s in draft.sentences() for c in s.citations]
        missing = [aid for aid in dict.fromkeys(wanted) if aid not in have]
        if missing:
            articles += store.get_articles(missing)
    return articles
