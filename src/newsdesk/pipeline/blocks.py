"""The per-item blocks: one page extracted, one batch clustered, one story written and
verified, one draft rendered. Plain functions over the model's nouns: no store, no
scheduling, and bad input comes back as a value with its reason, never as an exception.

The CLI, the web server, the pipeline and both runners (``LocalExecutor``, Ray) call these
very functions, as datatrove's blocks run unchanged under its local and Slurm executors.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from newsdesk.errors import InputError, NewsdeskError, unexpected
from newsdesk.extract import extract
from newsdesk.model import Article, Draft, Page, Problem, Story

if TYPE_CHECKING:
    from collections.abc import Iterator

    from newsdesk.cluster import ClusterConfig, StoryClusterer
    from newsdesk.cluster.stream import PreparedArticle
    from newsdesk.write.llm import LLMWriter


class ItemFailed(NewsdeskError):
    """An item whose function raised, or whose worker died, with no failure result for it."""


# -- extract ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageResult:
    """What extracting one page gave: an article, or the reason it gave none.

    ``bug``: the reason is an error of ours (an exception we did not expect), not the page's.
    """

    page: Page
    article: Article | None
    reason: str | None = None
    bug: bool = False
    seconds: float = 0.0  # the time extracting it took


def extract_page(page: Page, input_format: str = "auto") -> PageResult:
    """Page -> Article; bad pages come back with their reason instead of raising."""
    started = time.perf_counter()
    result = _extract_page(page, input_format)
    return replace(result, seconds=time.perf_counter() - started)


def _extract_page(page: Page, input_format: str) -> PageResult:
    try:
        article = extract(
            page.content,
            url=page.url,
            input_format=input_format,  # type: ignore[arg-type]
            source=page.source or None,
            declared_charset=page.declared_charset,
            fetched_at=page.fetched_at,
        )
        return PageResult(page, _with_time_evidence(article, page))
    except InputError as exc:
        return PageResult(page, None, str(exc))
    except RecursionError:
        return PageResult(page, None, "markup nested too deeply to parse")
    except Exception as exc:  # a bug of ours must not kill the batch: report its type
        return PageResult(page, None, unexpected(exc), bug=True)


def _with_time_evidence(article: Article, page: Page) -> Article:
    """An article without a published time, with the time evidence its page carries (a feed
    entry's date, a WARC record's or live fetch's time: ``cluster.news_time.page_evidence``),
    its kind recorded. A dated article is left as it is: its own date goes first."""
    if article.published is not None or not (page.feed_published or page.fetched_by):
        # dated, or a page read from a file (no feed entry, no fetch: no evidence at
        # all): the clusterer's imports (scipy, 0.3 s) are not paid for it
        return article
    from newsdesk.cluster.news_time import page_evidence

    when, kind = page_evidence(page)
    if when is None:
        return article
    return replace(article, time_evidence=when, time_evidence_kind=kind)


# -- cluster ---------------------------------------------------------------------------------


@dataclass
class ClusterBatch:
    """What one batch changed: stories to save, merges ``(kept, gone)``, articles failed."""

    stories: list[Story] = field(default_factory=list)
    merges: list[tuple[str, str]] = field(default_factory=list)
    failures: list[tuple[Article, str]] = field(default_factory=list)
    # A time set aside (in the future, before 1990): the article was clustered as undated.
    notes: list[str] = field(default_factory=list)


def prepare_for_clustering(article: Article, config: ClusterConfig) -> PreparedArticle | None:
    """What the clusterer reads off ``article`` alone (``cluster.stream.prepare``), for a
    worker process to work out ahead of the stream; None where that fails (the clusterer
    then tries again and reports the failure, as for any article)."""
    from newsdesk.cluster.stream import prepare

    try:
        return prepare(article, config)
    except Exception:
        return None


def cluster_batch(
    clusterer: StoryClusterer,
    articles: Sequence[Article],
    prepared: Iterator[PreparedArticle | None] | None = None,
) -> ClusterBatch:
    """Add ``articles`` (in time order) to the clusterer; the stories they changed.

    ``prepared``: ``prepare_for_clustering`` of each article, in the same order, where
    worker processes work them out ahead. An article the clusterer fails on is reported
    and left out; the others go on.
    """
    changed: dict[str, Story] = {}
    out = ClusterBatch()
    for article in articles:
        ready = next(prepared, None) if prepared is not None else None
        try:
            if ready is None:  # a stand-in clusterer may take the article alone
                assignment = clusterer.add(article)
            else:
                assignment = clusterer.add(article, prepared=ready)
        except Exception as exc:  # one article must not stop the rest: left unclustered
            out.failures.append((article, unexpected(exc)))
            continue
        problem = getattr(assignment, "time_problem", None)  # a stand-in may answer None
        if problem:
            where = article.source or article.url or article.id
            out.notes.append(f"{where}: {problem}: clustered on content alone")
        # Collected after each article: a story may leave the active index later in the
        # same batch (its time window passed), and must still be saved.
        stories, merged = clusterer.take_changes()
        changed.update((story.id, story) for story in stories)
        out.merges.extend(merged)
    # A story collected earlier in the batch and merged away since is stale: saved after
    # its survivor, it would resolve to the survivor and replace its members. The
    # survivor carries it among its aliases, so the store folds it in.
    out.stories = [s for sid, s in changed.items() if clusterer.resolve(sid) == sid]
    return out


# -- write + verify --------------------------------------------------------------------------


@dataclass(frozen=True)
class StoryJob:
    """One story to write: its id, member articles, earlier coverage and its signature."""

    story_id: str
    articles: tuple[Article, ...]
    background: tuple[Article, ...] = ()
    signature: str = ""


@dataclass(frozen=True)
class WriteResult:
    job: StoryJob
    draft: Draft | None
    status: str  # "published" | "held" | "failed"
    reason: str | None = None
    write_seconds: float = 0.0  # the time writing took (the LLM's: writing and checking)
    verify_seconds: float = 0.0  # the time checking the extractive draft took
    # The failure lies in the story's articles (nothing to write from, an InputError): the
    # same articles and options fail the same way, so a run does not try them again.
    lasting: bool = False


@dataclass(frozen=True)
class WriteOptions:
    """How stories are written: the writer, the language, the one word budget."""

    writer: str = "extractive"
    language: str | None = None
    max_words: int = 220  # lead and body together, for every writer
    writer_options: dict[str, Any] = field(default_factory=dict)  # e.g. {"config": LLMConfig}


def verify_draft(
    draft: Draft,
    sources: Sequence[Article],
    *,
    background: Sequence[Article] = (),
    problems: Sequence[Problem] = (),
) -> Draft:
    """The draft with the verifier's report on it as ``checks``.

    ``sources``: the articles the draft may cite. ``background``: earlier coverage shown
    to the writer apart from the story (the LLM's numbered sources after the story's): the
    draft is checked against both, and the story/background rule is applied
    (``verify.misplaced_citations``). ``problems``: what the writer itself found wrong with
    its answer, added to the report.
    """
    from newsdesk.verify import misplaced_citations
    from newsdesk.verify import verify_draft as check

    report = check(draft, [*sources, *background])
    found = [*problems, *(misplaced_citations(draft, sources, background) if background else ())]
    if found:
        report = replace(report, passed=False, problems=(*report.problems, *found))
    return replace(draft, checks=report)


class StoryWriter:
    """The write block with one writer for the whole run: the LLM writer (and its HTTP
    client) is built on first use and shared by every story and thread. It travels to other
    processes (Ray) without it, and each process builds its own there."""

    def __init__(self, options: WriteOptions) -> None:
        self.options = options
        self._llm: LLMWriter | None = None
        self._lock = threading.Lock()

    def __call__(self, job: StoryJob) -> WriteResult:
        return write_story(job, self)

    def llm_writer(self) -> LLMWriter:
        from newsdesk.write.llm import LLMConfig, LLMWriter

        with self._lock:
            if self._llm is None:
                given = self.options.writer_options
                writer = given.get("llm_writer")
                if writer is None:
                    config = given.get("config")
                    if not isinstance(config, LLMConfig):
                        raise NewsdeskError("the llm writer needs --llm-url and --llm-model")
                    writer = LLMWriter(config)
                self._llm = writer
            return self._llm

    def __getstate__(self) -> dict[str, Any]:
        return {"options": self.options}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["options"])  # type: ignore[misc]


def write_story(job: StoryJob, writer: StoryWriter) -> WriteResult:
    """Story -> verified draft, "published" or "held"; "failed" with the reason when none.

    The extractive writer's draft is verified and held when it fails. The LLM's draft is
    verified; a failed one goes back to the model once with its problems listed, and what
    still fails is replaced by the extractive draft (``on_failure="extractive"``) or held,
    never published.
    """
    from newsdesk.write import write_story as write

    options = writer.options
    started = time.perf_counter()
    try:
        if options.writer == "llm":
            result = _write_with_llm(job, writer)
            return replace(result, write_seconds=time.perf_counter() - started)
        draft = write(
            job.articles,
            job.story_id,
            writer=options.writer,
            language=options.language,
            max_words=options.max_words,
            background=job.background,
            **options.writer_options,
        )
        written = time.perf_counter()
        result = _checked(job, verify_draft(draft, job.articles + job.background))
        return replace(
            result,
            write_seconds=written - started,
            verify_seconds=time.perf_counter() - written,
        )
    except InputError as exc:
        return WriteResult(job, None, "failed", str(exc), lasting=True)
    except NewsdeskError as exc:
        return WriteResult(job, None, "failed", str(exc))
    except Exception as exc:  # one story's bug must not stop the others
        return WriteResult(job, None, "failed", unexpected(exc))


def _checked(job: StoryJob, draft: Draft) -> WriteResult:
    return WriteResult(job, draft, "published" if draft.publishable else "held")


REPAIR_PROBLEMS = 30  # problems listed in a repair request at most


def _write_with_llm(job: StoryJob, writer: StoryWriter) -> WriteResult:
    from newsdesk.text.language import majority_language
    from newsdesk.write.extractive import write_extractive
    from newsdesk.write.llm import LLMError, background_sources

    llm = writer.llm_writer()
    options = writer.options
    articles = job.articles
    language = options.language or majority_language(a.language for a in articles) or "en"
    shown = background_sources(articles, job.background)  # the earlier coverage it sees
    draft: Draft | None = None
    error: str | None = None
    listed: list[str] = []
    for _attempt in range(2):  # the first draft, then one repair with the problems listed
        try:
            answer = llm.write(
                articles,
                job.story_id,
                language=language,
                background=shown,
                max_words=options.max_words,
                problems=listed,
            )
        except LLMError as exc:
            error = str(exc)
            break
        draft = verify_draft(answer.draft, articles, background=shown, problems=answer.problems)
        if draft.publishable:
            return WriteResult(job, draft, "published")
        checks = draft.checks.problems if draft.checks else ()
        listed = [f"{p.kind}: {p.text!r}: {p.why}" for p in checks][:REPAIR_PROBLEMS]
    if llm.config.on_failure == "extractive":
        fallback = write_extractive(
            articles,
            job.story_id,
            language=language,
            max_words=options.max_words,
            background=shown,
        )
        why = f"LLM failed ({error})" if error else "LLM draft failed verification twice"
        fallback = replace(fallback, writer=f"extractive (fallback: {why})")
        return _checked(job, verify_draft(fallback, [*articles, *shown]))
    if draft is None:
        raise LLMError(error or "the LLM gave no draft")
    return WriteResult(job, draft, "held")


# -- publish ---------------------------------------------------------------------------------

FORMATS = ("json", "markdown", "html")


def publish_story(draft: Draft, articles: Sequence[Article], format: str = "html") -> str:
    """One draft rendered for people: its page (``html``, with its sources beside it),
    ``markdown``, or ``json`` (``Draft.to_dict``)."""
    if format == "json":
        import json

        return json.dumps(draft.to_dict(), ensure_ascii=False)
    if format == "markdown":
        from newsdesk.publish.markdown import render_markdown

        return render_markdown(draft)
    if format == "html":
        from newsdesk.publish.pages import render_html

        return render_html(draft, list(articles))
    raise InputError(f"unknown format {format!r}: choose one of {', '.join(FORMATS)}")


# -- failures of a runner --------------------------------------------------------------------


def failure_result(item: Any, reason: str) -> Any:
    """A block's own failure result for an item a runner lost (its worker died), else
    ``ItemFailed`` where the caller reads it."""
    if isinstance(item, Page):
        return PageResult(item, None, reason)
    if isinstance(item, StoryJob):
        return WriteResult(item, None, "failed", reason)
    raise ItemFailed(reason)
