"""The API's typed response and request bodies (pydantic), built from the model's nouns."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from newsdesk.model import Article, Draft, Story


class SentenceOut(BaseModel):
    text: str
    citations: list[str] = Field(description="ids of the articles this sentence rests on")


AccessOut = Literal["free", "paywalled", "unknown"]
_ACCESS = (
    "free: the publisher says the text is free; paywalled: a teaser behind a subscribe "
    "wall (or marked not free by the publisher); unknown: the page says neither"
)


class SourceOut(BaseModel):
    id: str
    url: str | None
    site_name: str | None
    title: str
    access: AccessOut = Field(default="unknown", description=_ACCESS)


class ProblemOut(BaseModel):
    kind: str
    text: str
    why: str


class EvidenceOut(BaseModel):
    """A source passage the verifier found supporting a sentence (see model.Evidence)."""

    article_id: str
    text: str
    paragraph: int
    start: int
    end: int
    score: float


class ReportOut(BaseModel):
    story_id: str
    passed: bool
    problems: list[ProblemOut]
    evidence: list[list[EvidenceOut]] = []  # per sentence of the draft, in reading order


class DraftOut(BaseModel):
    story_id: str
    headline: str
    standfirst: list[SentenceOut]
    lead: list[SentenceOut]
    body: list[list[SentenceOut]]
    summary: list[SentenceOut]
    background: list[list[SentenceOut]]
    sources: list[SourceOut]
    writer: str
    language: str | None
    checks: ReportOut | None
    written_at: str | None

    @classmethod
    def of(cls, draft: Draft) -> DraftOut:
        return cls.model_validate(draft.to_dict())


class ArticleOut(BaseModel):
    id: str
    url: str | None
    title: str
    paragraphs: list[str]
    text: str
    site_name: str | None
    authors: list[str]
    published: str | None
    modified: str | None = Field(
        default=None,
        description="ISO 8601: when the page says it last changed (its metadata's "
        "dateModified); the publication time is `published`",
    )
    language: str | None
    input_format: str
    source: str | None
    description: str | None
    access: AccessOut = Field(description=_ACCESS)
    warnings: list[str] = Field(
        default_factory=list,
        description="what the reader could not read cleanly: bytes invalid in the page's "
        "encoding (with the byte offset), markup cut for size",
    )
    links: list[str] = Field(
        default_factory=list,
        description="the documents on other sites the article's body links to, as absolute "
        "URLs (at most 20): evidence of its event in every language",
    )

    @classmethod
    def of(cls, article: Article) -> ArticleOut:
        return cls.model_validate(article.to_dict())


class StorySummary(BaseModel):
    id: str
    headline: str
    first_seen: str | None
    last_seen: str | None
    article_count: int
    aliases: list[str]
    status: Literal["published", "held", "unwritten"] | str
    url: str = Field(description="the story's web page, relative to the server")

    @classmethod
    def of(cls, story: Story, draft: Draft | None, status: str | None, url: str) -> StorySummary:
        return cls(
            id=story.id,
            headline=(draft.headline if draft else "") or story.headline,
            first_seen=story.first_seen,
            last_seen=story.last_seen,
            article_count=len(story.article_ids),
            aliases=list(story.aliases),
            status=status or "unwritten",
            url=url,
        )


class StoryList(BaseModel):
    items: list[StorySummary]
    total: int
    limit: int
    offset: int
    next_offset: int | None


class StoryDetail(BaseModel):
    id: str
    requested_id: str = Field(description="the id asked for (an alias when it differs from id)")
    headline: str
    first_seen: str | None
    last_seen: str | None
    aliases: list[str]
    article_ids: list[str]
    status: str
    draft: DraftOut | None
    checks: ReportOut | None
    articles: list[ArticleOut] = Field(description="member articles and any other cited ones")


class ExtractRequest(BaseModel):
    """A page sent as JSON: its text (HTML or flattened page text) and, if known, its URL."""

    content: str = Field(min_length=1, pattern=r"\S", description="the page, not blank")
    url: str | None = None
    input_format: Literal["auto", "html", "text"] = "auto"


# What the server checks by hand (serve.bodies.ingest_item), said in the schema: an article
# has some text, in paragraphs or in text.
_HAS_TEXT = {
    "anyOf": [
        {
            "required": ["paragraphs"],
            "properties": {
                "paragraphs": {"type": "array", "contains": {"type": "string", "pattern": r"\S"}}
            },
        },
        {"required": ["text"], "properties": {"text": {"type": "string", "pattern": r"\S"}}},
    ]
}


class ArticleIn(BaseModel):
    """An article sent ready-made (the shape ``newsdesk extract`` prints); its id is recomputed.
    It needs some text: ``paragraphs`` or ``text``."""

    model_config = ConfigDict(json_schema_extra=_HAS_TEXT)

    url: str | None = None
    title: str = ""
    paragraphs: list[str] | None = None
    text: str | None = None
    site_name: str | None = None
    authors: list[str] = Field(default_factory=list)
    published: str | None = None
    language: str | None = Field(default=None, max_length=16)
    description: str | None = None
    source: str | None = None
    access: AccessOut = Field(default="unknown", description=_ACCESS)


class IngestResult(BaseModel):
    article: ArticleOut
    created: bool = Field(description="false when the article was already stored")


class RunOut(BaseModel):
    id: str
    started_at: str
    finished_at: str | None
    status: str = Field(
        description="running, ok, failed, or interrupted (its process died or was stopped)"
    )
    host: str | None = Field(description="the machine of the process that ran it")
    pid: int | None
    stats: dict[str, Any] = Field(description="the run's counts and failures, as it ended")


class ErrorOut(BaseModel):
    detail: str
