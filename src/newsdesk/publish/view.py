"""What the story and index pages show, computed once from a Draft and its articles.

Templates stay dumb: this module numbers the sources, turns each citation into a
numbered link, places the evidence the verifier found for each sentence (``Report.evidence``:
the source passages its check matched) on the source paragraphs, and decides what is a
safe link. Nothing is matched again here: the page highlights what the checker used. The same view feeds the static site and the web server;
only the URL scheme (``Links``) differs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC
from itertools import count, pairwise
from urllib.parse import quote

from newsdesk.model import Article, Draft, Evidence, Problem, Sentence, Source
from newsdesk.publish.links import safe_url
from newsdesk.text.dates import as_utc


@dataclass(frozen=True)
class Links:
    """Where pages live. Patterns take the story id (URL-quoted) as ``{id}``.

    ``static`` None means the CSS and JS are inlined into each page (a self-contained file).
    """

    root: str = ""
    index: str = "index.html"
    story: str = "stories/{id}.html"
    story_json: str | None = "stories/{id}.json"
    story_markdown: str | None = "stories/{id}.md"
    feed: str | None = "feed.atom"
    static: str | None = None

    def index_url(self) -> str:
        return self.root + self.index

    def story_url(self, story_id: str) -> str:
        return self.root + self.story.format(id=quote(story_id, safe=""))

    def json_url(self, story_id: str) -> str | None:
        if self.story_json is None:
            return None
        return self.root + self.story_json.format(id=quote(story_id, safe=""))

    def markdown_url(self, story_id: str) -> str | None:
        if self.story_markdown is None:
            return None
        return self.root + self.story_markdown.format(id=quote(story_id, safe=""))

    def feed_url(self) -> str | None:
        return None if self.feed is None else self.root + self.feed

    def static_url(self, name: str) -> str | None:
        return None if self.static is None else self.root + self.static + name


@dataclass
class CiteView:
    number: int
    anchor: str  # "source-3"
    url: str | None  # the source's own http(s) URL, if any


@dataclass
class SentenceView:
    dom_id: str  # "s-12"
    text: str
    cites: list[CiteView]
    passages: list[str]  # dom ids of the source paragraphs holding its evidence
    flags: list[str] = field(default_factory=list)  # the verifier's reasons, in words


@dataclass
class Segment:
    """A run of a source paragraph's text; ``sentences``: ids of the sentences it is evidence for."""

    text: str
    sentences: list[str]


@dataclass
class ParagraphView:
    dom_id: str  # "source-3-p4"
    text: str
    supports: list[str] = field(default_factory=list)  # dom ids of sentences it is evidence for
    spans: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, sentence id)

    @property
    def segments(self) -> list[Segment]:
        """The text cut where evidence passages start and end, so each can be marked."""
        cuts = sorted({0, len(self.text), *(c for s, e, _ in self.spans for c in (s, e))})
        out = []
        for start, end in pairwise(cuts):
            ids = [sid for s, e, sid in self.spans if s <= start and end <= e]
            out.append(Segment(self.text[start:end], ids))
        return out


@dataclass
class SourceView:
    number: int
    id: str
    anchor: str
    title: str
    url: str | None
    site_name: str | None
    published: str | None
    authors: list[str]
    paragraphs: list[ParagraphView]
    access: str = "unknown"  # free, paywalled (a teaser behind a subscribe wall), unknown


@dataclass
class StoryView:
    story_id: str
    headline: str
    standfirst: list[SentenceView]
    lead: list[SentenceView]
    body: list[list[SentenceView]]
    summary: list[SentenceView]
    background: list[list[SentenceView]]
    sources: list[SourceView]
    writer: str
    language: str | None
    written_at: str | None
    held: bool
    problems: list[Problem]
    has_source_text: bool
    # The news' times: when its sources (not those of the background only) were first and
    # last published; None where none of them is dated or the articles are not at hand.
    first_published: str | None = None
    last_published: str | None = None


def is_held(draft: Draft) -> bool:
    """A draft not publishable (``Draft.publishable``: unchecked, or failed by the
    verifier) is held for review, not published silently."""
    return not draft.publishable


def plain_text(sentences: Iterable[Sentence]) -> str:
    return " ".join(s.text.strip() for s in sentences if s.text.strip())


def ordered_sources(draft: Draft, articles: Mapping[str, Article]) -> list[Source]:
    """The draft's sources, then any cited article it forgot to list (so no citation dangles)."""
    out = list(draft.sources)
    seen = {s.id for s in out}
    for sentence in draft.sentences():
        for aid in sentence.citations:
            if aid in seen:
                continue
            seen.add(aid)
            article = articles.get(aid)
            out.append(Source.from_article(article) if article else Source(aid, None, None, aid))
    return out


def build_story_view(draft: Draft, articles: Sequence[Article] | None = None) -> StoryView:
    by_id = {a.id: a for a in articles or ()}
    sources = ordered_sources(draft, by_id)
    numbers = {s.id: i for i, s in enumerate(sources, start=1)}

    source_views = []
    paragraph_index: dict[str, ParagraphView] = {}
    for source in sources:
        n = numbers[source.id]
        article = by_id.get(source.id)
        paragraphs = []
        for i, text in enumerate(article.paragraphs if article else ()):
            view = ParagraphView(dom_id=f"source-{n}-p{i}", text=text)
            paragraph_index[view.dom_id] = view
            paragraphs.append(view)
        source_views.append(
            SourceView(
                number=n,
                id=source.id,
                anchor=f"source-{n}",
                title=source.title or (article.title if article else "") or source.id,
                url=safe_url(source.url or (article.url if article else None)),
                site_name=source.site_name or (article.site_name if article else None),
                published=article.published_iso if article else None,
                authors=list(article.authors) if article else [],
                paragraphs=paragraphs,
                access=article.access if article else source.access,
            )
        )

    counter = iter(range(1, 1_000_000))
    # A held draft's problems quote the offending sentence or fragment: flag it in place.
    problems = list(draft.checks.problems) if is_held(draft) and draft.checks else []

    def sentence_view(sentence: Sentence, evidence: tuple[Evidence, ...]) -> SentenceView:
        dom_id = f"s-{next(counter)}"
        cites = []
        for aid in dict.fromkeys(sentence.citations):
            n = numbers[aid]
            cites.append(CiteView(n, f"source-{n}", source_views[n - 1].url))
        passages: list[str] = []
        for found in evidence:
            pid = f"source-{numbers.get(found.article_id)}-p{found.paragraph}"
            view = paragraph_index.get(pid)
            if view is None:  # the title, or an article not shown
                continue
            if pid not in passages:
                passages.append(pid)
                view.supports.append(dom_id)
            if 0 <= found.start < found.end <= len(view.text):
                view.spans.append((found.start, found.end, dom_id))
        flags = [
            f"{p.kind}: {p.why}"
            for p in problems
            if p.text.strip()
            and (p.text.strip() in sentence.text or sentence.text.strip() in p.text)
        ]
        return SentenceView(dom_id, sentence.text, cites, passages, flags)

    # Report.evidence is per sentence of Draft.sentences(), whose order the parts below keep.
    numbered = count()
    checks = draft.checks

    def paragraph(sentences: Iterable[Sentence]) -> list[SentenceView]:
        out = []
        for sentence in sentences:
            index = next(numbered)
            if sentence.text.strip():
                evidence = checks.evidence_for(index) if checks else ()
                out.append(sentence_view(sentence, evidence))
        return out

    first_published, last_published = news_times(draft, by_id)
    return StoryView(
        story_id=draft.story_id,
        headline=draft.headline,
        standfirst=paragraph(draft.standfirst),
        lead=paragraph(draft.lead),
        body=[p for p in (paragraph(b) for b in draft.body) if p],
        summary=paragraph(draft.summary),
        background=[p for p in (paragraph(b) for b in draft.background) if p],
        sources=source_views,
        writer=draft.writer,
        language=draft.language,
        written_at=draft.written_at,
        held=is_held(draft),
        problems=list(draft.checks.problems) if draft.checks else [],
        has_source_text=any(s.paragraphs for s in source_views),
        first_published=first_published,
        last_published=last_published,
    )


def news_times(draft: Draft, articles: Mapping[str, Article]) -> tuple[str | None, str | None]:
    """When the story's news was first and last published: the earliest and latest published
    time of the articles the draft cites outside its background, as the articles give them."""
    background = {aid for p in draft.background for s in p for aid in s.citations}
    own = [*draft.standfirst, *draft.lead, *(s for p in draft.body for s in p), *draft.summary]
    cited = {aid for s in own for aid in s.citations} or (set(articles) - background)
    times = []
    for aid in cited:
        article = articles.get(aid)
        moment = as_utc(article.published) if article and article.published else None
        if moment is not None:
            times.append(moment)
    if not times:
        return None, None
    return min(times).astimezone(UTC).isoformat(), max(times).astimezone(UTC).isoformat()


@dataclass
class IndexEntry:
    story_id: str
    headline: str
    standfirst: str
    written_at: str | None
    language: str | None
    source_count: int
    site_names: list[str]
    held: bool
    note: str | None = None  # e.g. "not written yet" for a story with no draft
    news_time: str | None = None  # when its latest source was published (Story.last_seen)


def newest_first(
    drafts: Iterable[Draft], updated: Mapping[str, str | None] | None = None
) -> list[Draft]:
    """The drafts most recent first (undated last; ties by story id, so the order does not
    depend on the order the drafts came in): the order of the index and of the feed.

    ``updated``: when each story last changed, by story id (the store's ``Story.last_seen``,
    the time of its latest source; None for a story of undated articles, which goes last, as
    the store lists it); a story not in it goes by its draft's ``written_at``.
    """
    drafts = list(drafts)
    updated = updated or {}
    when = {d.story_id: as_utc(updated.get(d.story_id, d.written_at)) for d in drafts}

    def recency(draft: Draft) -> tuple[bool, float, str]:
        moment = when[draft.story_id]
        return (moment is None, -moment.timestamp() if moment else 0.0, draft.story_id)

    return sorted(drafts, key=recency)


def build_index_entries(
    drafts: Iterable[Draft], updated: Mapping[str, str | None] | None = None
) -> list[IndexEntry]:
    """Index rows in ``newest_first`` order (``updated`` as there)."""
    entries = []
    for draft in newest_first(drafts, updated):
        sites = [s.site_name for s in draft.sources if s.site_name]
        entries.append(
            IndexEntry(
                story_id=draft.story_id,
                headline=draft.headline,
                standfirst=plain_text(draft.standfirst) or plain_text(draft.lead),
                written_at=draft.written_at,
                news_time=(updated or {}).get(draft.story_id),
                language=draft.language,
                source_count=len(draft.sources),
                site_names=list(dict.fromkeys(sites)),
                held=is_held(draft),
            )
        )
    return entries
