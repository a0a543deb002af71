"""The nouns every stage shares: Page, Article, Story, Sentence, Draft, Problem, Report.

They are immutable dataclasses with stable ids, so that reading the same page twice,
or clustering the same articles twice, produces the same objects. Every noun converts
to and from plain JSON-ready dicts (``to_dict`` / ``from_dict``): that is the shape
the command line prints and reads, and the shape the store keeps.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, date, datetime
from typing import Any, Literal

from newsdesk.text.dates import from_iso, to_iso
from newsdesk.text.urls import normalize_url

InputFormat = Literal["html", "text"]
# Whether an article's text is free to read, partly behind a paywall (a teaser and a
# subscribe wall), or not known (extract/access.py says how it is told).
Access = Literal["free", "paywalled", "unknown"]
ACCESS_VALUES: tuple[str, ...] = ("free", "paywalled", "unknown")


def short_hash(*parts: str, length: int = 16) -> str:
    """A stable hexadecimal digest of text parts (sha1, truncated)."""
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:length]


def canonical_url(url: str) -> str:
    """Normalise a URL so the same page read twice gets the same id.

    Lower-cases scheme and host, drops fragments and tracking parameters
    (``text/urls.py``: courlan's strict rules).
    """
    url = url.strip()
    try:
        normalised = normalize_url(url)
    except Exception:  # a URL urllib cannot split (a bad IPv6 host): the raw text then
        normalised = url
    return normalised.split("#", 1)[0]


def _normalise_text_for_id(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"\s+", " ", text).strip()


def article_id(url: str | None, text: str = "", title: str = "") -> str:
    """An article's id: from its canonical URL, or from its content where it has no URL."""
    if url and re.match(r"^https?://", url, re.I):
        return short_hash("url", canonical_url(url))
    return short_hash("content", _normalise_text_for_id(title), _normalise_text_for_id(text))


def now_utc() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Page:
    """A raw page as ingest found it: where it came from and its unparsed bytes."""

    source: str  # the path or URL it was read from
    content: bytes
    url: str | None = None  # the page's own URL where known (may differ from source)
    content_type: str | None = None  # e.g. "text/html; charset=utf-8"
    fetched_at: datetime | None = None
    headers: dict[str, str] = field(default_factory=dict)
    # How ``fetched_at`` was known: "http" (fetched live), "warc" (a WARC record's
    # WARC-Date: the crawl), None (a file: its save time, ``ingest.files.saved_at``, or
    # standard input: when it was read; no evidence of the news' time).
    fetched_by: str | None = None
    feed_published: str | None = None  # ISO 8601: its feed or news-sitemap entry's date

    @property
    def id(self) -> str:
        if self.url:
            return short_hash("url", canonical_url(self.url))
        return short_hash("bytes", hashlib.sha1(self.content).hexdigest())

    @property
    def declared_charset(self) -> str | None:
        """The charset the server declared in Content-Type, if any (it may be wrong)."""
        match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", self.content_type or "", re.I)
        return match.group(1) if match else None


@dataclass(frozen=True)
class Article:
    """A clean article read from one page.

    ``published`` is a datetime, read once by extract (``newsdesk.text.dates``): with the
    page's offset when it wrote one, naive when it wrote none, and midnight with
    ``published_date_only`` when the page gave the date alone. Its JSON and stored form is
    ISO 8601 (``published_iso``), date only when only the date is known; ISO text or a
    ``date`` given here is read into that form.
    """

    id: str
    url: str | None
    title: str
    paragraphs: tuple[str, ...]
    site_name: str | None = None
    authors: tuple[str, ...] = ()
    published: datetime | None = None
    language: str | None = None  # ISO 639-1
    input_format: InputFormat = "html"
    source: str | None = None  # the path or URL read
    description: str | None = None
    # What went wrong reading the page without stopping it ("invalid utf-8 at byte 1234").
    warnings: tuple[str, ...] = ()
    access: Access = "unknown"  # free, paywalled (a teaser behind a subscribe wall), unknown
    published_date_only: bool = False  # only the date of ``published`` is known
    # ISO 8601: when the page says it last changed (its metadata's dateModified), never
    # taken for ``published``.
    modified: str | None = None
    # A time known about the page outside the article, for an article without
    # ``published`` (``cluster.news_time``): ISO 8601, and its kind: "feed" (the feed
    # entry's date), "warc" (the WARC record's date: the crawl), "fetched" (a live fetch).
    time_evidence: str | None = None
    time_evidence_kind: str | None = None
    # The documents on other sites the article's body links to (a report, a court ruling,
    # a post it quotes), as absolute URLs: evidence of its event that every language
    # shares (``cluster.features.link_keys``).
    links: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        value: Any = self.published
        if value is None or isinstance(value, datetime):
            return
        if isinstance(value, date):
            moment = datetime(value.year, value.month, value.day)
            object.__setattr__(self, "published", moment)
            object.__setattr__(self, "published_date_only", True)
            return
        read = from_iso(str(value))
        object.__setattr__(self, "published", read.when if read else None)
        object.__setattr__(self, "published_date_only", bool(read and read.date_only))

    @property
    def published_iso(self) -> str | None:
        """``published`` as ISO 8601: the date alone when only the date is known."""
        if self.published is None:
            return None
        return to_iso(self.published, self.published_date_only)

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)

    @classmethod
    def create(
        cls,
        *,
        url: str | None,
        title: str,
        paragraphs: list[str] | tuple[str, ...],
        **kwargs: Any,
    ) -> Article:
        """Build an article and derive its stable id from URL or content."""
        paragraphs = tuple(paragraphs)
        if "authors" in kwargs:
            kwargs["authors"] = tuple(kwargs["authors"] or ())
        return cls(
            id=article_id(url, "\n\n".join(paragraphs), title),
            url=url,
            title=title,
            paragraphs=paragraphs,
            **kwargs,
        )

    def to_dict(self) -> dict[str, Any]:
        # Every field holds an immutable value: a shallow copy (asdict deep-copies each).
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["paragraphs"] = list(self.paragraphs)
        data["authors"] = list(self.authors)
        data["warnings"] = list(self.warnings)
        data["links"] = list(self.links)
        data["published"] = self.published_iso
        del data["published_date_only"]  # said by the ISO text's shape
        data["text"] = self.text
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        """Read an article from ``newsdesk extract`` output or a minimal object.

        Minimal objects need ``id`` or ``url`` or text; ``text`` is split into paragraphs
        on blank lines when ``paragraphs`` is absent. ``published`` is ISO 8601 (or a date
        in any form ``newsdesk.text.dates.parse_date`` reads); one it cannot read is None.
        """
        paragraphs = data.get("paragraphs")
        if paragraphs is None:
            text = data.get("text") or ""
            paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
        title = data.get("title") or ""
        url = data.get("url")
        known = {f.name for f in fields(cls)} - {"published_date_only"}
        kwargs = {k: v for k, v in data.items() if k in known}
        kwargs["paragraphs"] = tuple(str(p) for p in paragraphs)
        kwargs["authors"] = tuple(data.get("authors") or ())
        kwargs["warnings"] = tuple(str(w) for w in data.get("warnings") or ())
        links = data.get("links")
        kwargs["links"] = tuple(map(str, links)) if isinstance(links, list | tuple) else ()
        access = data.get("access")
        kwargs["access"] = access if access in ACCESS_VALUES else "unknown"
        kwargs["title"] = title
        kwargs["url"] = url
        kwargs["id"] = str(data.get("id") or article_id(url, "\n\n".join(paragraphs), title))
        return cls(**kwargs)


@dataclass(frozen=True)
class Story:
    """One real-world event as many outlets report it."""

    id: str
    article_ids: tuple[str, ...]
    headline: str = ""
    first_seen: str | None = None  # ISO 8601
    last_seen: str | None = None
    aliases: tuple[str, ...] = ()  # ids of stories merged into this one

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["article_ids"] = list(self.article_ids)
        data["aliases"] = list(self.aliases)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Story:
        return cls(
            id=str(data["id"]),
            article_ids=tuple(data.get("article_ids") or ()),
            headline=data.get("headline") or "",
            first_seen=data.get("first_seen"),
            last_seen=data.get("last_seen"),
            aliases=tuple(data.get("aliases") or ()),
        )


@dataclass(frozen=True)
class Sentence:
    """One written sentence and the ids of the articles that support it."""

    text: str
    citations: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "citations": list(self.citations)}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | str) -> Sentence:
        if isinstance(data, str):
            return cls(text=data)
        return cls(text=str(data.get("text") or ""), citations=tuple(data.get("citations") or ()))


Paragraph = tuple[Sentence, ...]


@dataclass(frozen=True)
class Problem:
    """One thing the verifier found wrong in a draft."""

    kind: str  # number | name | date | quote | unsupported | repetition | citation | ...
    text: str  # the offending sentence or fragment
    why: str  # in words, for a person

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "why": self.why}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Problem:
        return cls(kind=data["kind"], text=data.get("text", ""), why=data.get("why", ""))


@dataclass(frozen=True)
class Evidence:
    """A source passage the verifier found supporting one sentence of a draft.

    ``paragraph`` indexes ``Article.paragraphs`` (-1: the title); ``start``/``end`` are
    the passage's offsets in it (-1 when it could not be located); ``score`` is the share
    of the sentence's weighted content words the passage holds (1.0: all of them).
    """

    article_id: str
    text: str
    paragraph: int
    start: int
    end: int
    score: float

    def to_dict(self) -> dict[str, Any]:
        # Written out, not ``asdict``: a site's publish compares every story's evidence.
        return {
            "article_id": self.article_id,
            "text": self.text,
            "paragraph": self.paragraph,
            "start": self.start,
            "end": self.end,
            "score": self.score,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Evidence:
        return cls(
            article_id=str(data.get("article_id", "")),
            text=str(data.get("text") or ""),
            paragraph=int(data.get("paragraph", -1)),
            start=int(data.get("start", -1)),
            end=int(data.get("end", -1)),
            score=float(data.get("score") or 0.0),
        )


@dataclass(frozen=True)
class Report:
    """The verifier's report on one draft.

    ``evidence[i]``: the source passages supporting sentence ``i`` of ``Draft.sentences()``
    (empty for a sentence not checked against sources, e.g. a repeat); what a page
    highlights beside the sentence.
    """

    story_id: str
    passed: bool
    problems: tuple[Problem, ...] = ()
    evidence: tuple[tuple[Evidence, ...], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "story_id": self.story_id,
            "passed": self.passed,
            "problems": [p.to_dict() for p in self.problems],
            "evidence": [[e.to_dict() for e in found] for found in self.evidence],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        return cls(
            story_id=str(data.get("story_id", "")),
            passed=bool(data.get("passed")),
            problems=tuple(Problem.from_dict(p) for p in data.get("problems") or ()),
            evidence=tuple(
                tuple(Evidence.from_dict(e) for e in found) for found in data.get("evidence") or ()
            ),
        )

    def evidence_for(self, index: int) -> tuple[Evidence, ...]:
        """The passages supporting sentence ``index`` of the draft (none when unknown)."""
        return self.evidence[index] if 0 <= index < len(self.evidence) else ()


@dataclass(frozen=True)
class Source:
    """An article a draft used, as listed under the draft."""

    id: str
    url: str | None
    site_name: str | None
    title: str
    access: Access = "unknown"  # the article's: free, paywalled or unknown

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "url": self.url,
            "site_name": self.site_name,
            "title": self.title,
            "access": self.access,
        }

    @classmethod
    def from_article(cls, article: Article) -> Source:
        """The article as a draft lists it: by its title, or where it has none (a text file
        without a title line) by its opening words, so a reader can tell sources apart."""
        return cls(
            id=article.id,
            url=article.url,
            site_name=article.site_name,
            title=article.title or _opening_words(article),
            access=article.access,
        )


def _opening_words(article: Article, words: int = 12) -> str:
    """The first ``words`` words of an article's text, "…" where cut."""
    first = next((p for p in article.paragraphs if p.strip()), "").split()
    return " ".join(first[:words]) + ("…" if len(first) > words else "")


def _sentences(items: Any) -> Paragraph:
    return tuple(Sentence.from_dict(s) for s in items or ())


@dataclass(frozen=True)
class Draft:
    """One written article for a story, every sentence cited."""

    story_id: str
    headline: str
    standfirst: Paragraph
    lead: Paragraph
    body: tuple[Paragraph, ...]
    summary: Paragraph
    background: tuple[Paragraph, ...] = ()
    sources: tuple[Source, ...] = ()
    writer: str = "extractive"
    language: str | None = None
    checks: Report | None = None
    written_at: str | None = None

    @property
    def publishable(self) -> bool:
        """The one rule: published only when the verifier checked the draft and passed it;
        one with no checks, or failed ones, is held for review."""
        return self.checks is not None and self.checks.passed

    def sentences(self) -> list[Sentence]:
        """Every sentence of the draft in reading order (standfirst, lead, body, summary, background)."""
        out = [*self.standfirst, *self.lead]
        for paragraph in self.body:
            out.extend(paragraph)
        out.extend(self.summary)
        for paragraph in self.background:
            out.extend(paragraph)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "story_id": self.story_id,
            "headline": self.headline,
            "standfirst": [s.to_dict() for s in self.standfirst],
            "lead": [s.to_dict() for s in self.lead],
            "body": [[s.to_dict() for s in p] for p in self.body],
            "summary": [s.to_dict() for s in self.summary],
            "background": [[s.to_dict() for s in p] for p in self.background],
            "sources": [s.to_dict() for s in self.sources],
            "writer": self.writer,
            "language": self.language,
            "checks": self.checks.to_dict() if self.checks else None,
            "written_at": self.written_at,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Draft:
        checks = data.get("checks")
        return cls(
            story_id=str(data.get("story_id", "")),
            headline=data.get("headline") or "",
            standfirst=_sentences(_as_list(data.get("standfirst"))),
            lead=_sentences(_as_list(data.get("lead"))),
            body=tuple(_sentences(p) for p in data.get("body") or ()),
            summary=_sentences(_as_list(data.get("summary"))),
            background=tuple(_sentences(p) for p in data.get("background") or ()),
            sources=tuple(
                Source(
                    id=str(s.get("id")),
                    url=s.get("url"),
                    site_name=s.get("site_name"),
                    title=s.get("title") or "",
                    access=s["access"] if s.get("access") in ACCESS_VALUES else "unknown",
                )
                for s in data.get("sources") or ()
            ),
            writer=data.get("writer") or "extractive",
            language=data.get("language"),
            checks=Report.from_dict(checks) if checks else None,
            written_at=data.get("written_at"),
        )


def _as_list(value: Any) -> list[Any]:
    """Accept a single string or sentence object where a list of sentences is expected."""
    if value is None:
        return []
    if isinstance(value, (str, dict)):
        return [value]
    return list(value)
