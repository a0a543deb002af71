"""The stages composed: ingest -> extract -> cluster -> write + verify -> publish.

Every step reads what is left to do from the store and writes its result back in one
transaction, so a run killed at any moment (kill -9) and started again finishes the same
work and ends with the same store: pages already extracted are skipped, articles that
belong to no story are clustered, stories whose members changed since their draft was
written are rewritten, and the site is published from what the store holds.

The per-item work (``extract_page``, ``write_and_verify``) is plain functions over the
model's nouns; an executor decides how they are scheduled (``runners.local`` in this
process, or any object with the same ``map``), as datatrove's blocks run unchanged under
its local and Slurm executors.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from newsdesk.cluster import ClusterConfig, StoryClusterer, time_ordered
from newsdesk.cluster.persist import STATE_KEY, check_config, config_differences
from newsdesk.errors import ConfigMismatchError, InputError, NewsdeskError
from newsdesk.extract import extract
from newsdesk.ingest.files import Failure
from newsdesk.ingest.http import FetchConfig, Validators
from newsdesk.ingest.sources import is_url, iter_sources_pages
from newsdesk.model import Article, Draft, Page, Story, now_utc
from newsdesk.runners.local import batched
from newsdesk.store import Store, story_signature
from newsdesk.text.dates import epoch_seconds

if TYPE_CHECKING:
    from newsdesk.write.llm import LLMWriter

T = TypeVar("T")
R = TypeVar("R")


class Executor(Protocol):
    """Runs a function over items and yields results in input order."""

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[R]: ...


class Progress(Protocol):
    """What the pipeline tells a progress display (the CLI's rich bars, or nothing)."""

    def start(self, stage: str, total: int | None = None) -> None: ...

    def advance(self, stage: str, amount: int = 1) -> None: ...


class _NoProgress:
    def start(self, stage: str, total: int | None = None) -> None:
        pass

    def advance(self, stage: str, amount: int = 1) -> None:
        pass


@dataclass(frozen=True)
class RunOptions:
    """What one ``newsdesk run`` does."""

    sources: Sequence[str]
    out_dir: Path | None = Path("site")
    writer: str = "extractive"
    language: str | None = None
    max_words: int = 220
    since: timedelta | None = None  # only articles published within this span are clustered
    fetch: FetchConfig | None = None
    writer_options: dict[str, Any] = field(default_factory=dict)
    site_url: str | None = None
    # The clusterer's config: chosen by a store's first run and kept; None goes on with it,
    # a different one is refused (ConfigMismatchError, see persist.check_config).
    cluster: ClusterConfig | None = None
    page_size: int = 50  # stories per index page of the site


@dataclass
class RunSummary:
    """The counts the CLI prints at the end of a run."""

    run_id: str = ""
    pages_read: int = 0
    pages_unchanged: int = 0
    pages_failed: int = 0
    failures: list[tuple[str, str, str]] = field(default_factory=list)  # (source, stage, reason)
    articles_new: int = 0
    articles_updated: int = 0  # pages read before whose article changed since
    stories_new: int = 0
    stories_updated: int = 0
    drafts_published: int = 0
    drafts_held: int = 0
    site_files: int = 0
    site_stories: int = 0  # published stories on the site now, this run's and earlier ones
    notes: list[str] = field(default_factory=list)  # things done differently, not failures

    def to_dict(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["failures"] = [{"source": s, "stage": st, "reason": r} for s, st, r in self.failures]
        return data


# -- the per-item stage functions (no store, no scheduling) ---------------------------------


@dataclass(frozen=True)
class PageResult:
    """What extracting one page gave: an article, or the reason it gave none."""

    page: Page
    article: Article | None
    reason: str | None = None


def extract_page(page: Page) -> PageResult:
    """Page -> Article; bad pages come back with their reason instead of raising."""
    try:
        article = extract(
            page.content,
            url=page.url,
            source=page.source,
            declared_charset=page.declared_charset,
            fetched_at=page.fetched_at,
        )
        return PageResult(page, article)
    except InputError as exc:
        return PageResult(page, None, str(exc))
    except RecursionError:
        return PageResult(page, None, "markup nested too deeply to parse")
    except Exception as exc:  # a bug of ours must not kill the run: report its type
        return PageResult(page, None, f"unexpected {type(exc).__name__}: {exc}")


@dataclass(frozen=True)
class StoryJob:
    """One story to write: its id, member articles, earlier coverage and its signature."""

    story_id: str
    articles: tuple[Article, ...]
    background: tuple[Article, ...]
    signature: str


@dataclass(frozen=True)
class WriteResult:
    job: StoryJob
    draft: Draft | None
    status: str  # "published" | "held" | "failed"
    reason: str | None = None


def write_and_verify(
    job: StoryJob, options: RunOptions, llm_writer: LLMWriter | None = None
) -> WriteResult:
    """Story -> verified draft. A draft that fails verification is held, never published.

    ``llm_writer`` is the run's one LLM writer (and client); None builds one for this story.
    """
    from newsdesk.verify import verify_draft
    from newsdesk.write import write_story

    try:
        if options.writer == "llm":
            writer = llm_writer or _llm_writer(options)
            draft, status = writer.write(
                job.articles,
                job.story_id,
                language=options.language,
                background=job.background,
                max_words=options.max_words,
            )
        else:
            draft = write_story(
                job.articles,
                job.story_id,
                writer=options.writer,
                language=options.language,
                max_words=options.max_words,
                background=job.background,
                **options.writer_options,
            )
            status = ""
        if draft.checks is None:
            draft = replace(draft, checks=verify_draft(draft, job.articles + job.background))
        if not status:
            status = "published" if draft.checks and draft.checks.passed else "held"
        return WriteResult(job, draft, status)
    except NewsdeskError as exc:
        return WriteResult(job, None, "failed", str(exc))
    except Exception as exc:  # one story's bug must not stop the others
        return WriteResult(job, None, "failed", f"unexpected {type(exc).__name__}: {exc}")


def _llm_writer(options: RunOptions) -> LLMWriter:
    from newsdesk.write.llm import LLMConfig, LLMWriter

    config = options.writer_options.get("config")
    if not isinstance(config, LLMConfig):
        raise NewsdeskError("the llm writer needs --llm-url and --llm-model")
    return LLMWriter(config)


class StoryWriter:
    """``write_and_verify`` with one writer for the whole run: the LLM writer (and its HTTP
    client) is built on first use and shared by every story and thread. It travels to other
    processes (Ray) without it, and each process builds its own there."""

    def __init__(self, options: RunOptions) -> None:
        self.options = options
        self._llm: LLMWriter | None = None
        self._lock = threading.Lock()

    def __call__(self, job: StoryJob) -> WriteResult:
        llm = None
        if self.options.writer == "llm":
            try:
                llm = self.llm_writer()
            except NewsdeskError as exc:
                return WriteResult(job, None, "failed", str(exc))
        return write_and_verify(job, self.options, llm)

    def llm_writer(self) -> LLMWriter:
        with self._lock:
            if self._llm is None:
                self._llm = _llm_writer(self.options)
            return self._llm

    def __getstate__(self) -> dict[str, Any]:
        return {"options": self.options}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["options"])  # type: ignore[misc]


# -- the pipeline over the store ------------------------------------------------------------


class StoreHttpCache:
    """Conditional-GET validators kept in the store, so feeds unchanged since the last run
    answer 304 and are skipped.

    With ``deferred``, validators are held back until ``flush()``: the pipeline flushes
    only once the pages read before them are stored, so a run killed in between reads the
    feed (or page) again instead of getting a 304 for pages it never kept.
    """

    def __init__(self, store: Store, deferred: bool = False) -> None:
        self.store = store
        self.deferred = deferred
        self._pending: dict[str, Validators] = {}

    def get(self, url: str) -> Validators | None:
        if url in self._pending:
            return self._pending[url]
        entry = self.store.get_http_cache(url)
        return Validators(entry.etag, entry.last_modified) if entry else None

    def put(self, url: str, validators: Validators) -> None:
        if not validators:
            return
        if self.deferred:
            self._pending[url] = validators
        else:
            self.store.set_http_cache(url, validators.etag, validators.last_modified)

    def flush(self) -> None:
        """Write the validators held back, in one transaction."""
        pending, self._pending = self._pending, {}
        with self.store.transaction():
            for url, validators in pending.items():
                self.store.set_http_cache(url, validators.etag, validators.last_modified)


class Pipeline:
    """Runs the stages over a store with an executor; see the module docstring.

    ``options.cluster`` follows the store's rule (``persist.check_config``): None goes on
    with the stored config, a different one makes ``run`` raise ``ConfigMismatchError``.
    """

    def __init__(
        self,
        store: Store,
        options: RunOptions,
        executor: Executor | None = None,
        progress: Progress | None = None,
    ) -> None:
        from newsdesk.runners.local import LocalExecutor

        self.store = store
        self.options = options
        self.executor = executor or LocalExecutor()
        self.progress = progress or _NoProgress()
        self.summary = RunSummary()

    def run(self) -> RunSummary:
        """Every stage once. ``options.cluster`` given for a store clustered with a different
        config raises ``ConfigMismatchError`` here, before the run is recorded or anything
        read (see ``newsdesk.cluster.persist.check_config``); None goes on with the stored one.
        """
        if self.options.cluster is not None:
            check_config(self.store, self.options.cluster)
        self.summary.run_id = self.store.start_run()
        status = "failed"
        try:
            self.ingest()
            self.cluster()
            self.write()
            self.publish()
            status = "ok"
        except (KeyboardInterrupt, SystemExit):
            # Ctrl-C, or SIGTERM (the CLI raises SystemExit for it): stopped, as a killed
            # run is marked by the next one.
            status = "interrupted"
            raise
        finally:
            self.store.finish_run(self.summary.run_id, status, self.summary.to_dict())
        return self.summary

    # -- ingest + extract ---------------------------------------------------------------

    def ingest(self) -> None:
        self.progress.start("read", None)
        fetch = self.options.fetch or FetchConfig.from_env()
        cache = StoreHttpCache(self.store, deferred=True)
        sources = []
        for source in self.options.sources:
            # A page URL given as a source and already extracted is not fetched again (a
            # feed or sitemap URL never is a stored page, so it is always read).
            if is_url(source) and self._already_extracted(source):
                self.summary.pages_unchanged += 1
                self.progress.advance("read")
            else:
                sources.append(source)
        items = iter_sources_pages(
            sources,
            fetch,
            cache,
            skip_url=self._already_extracted,
        )
        for batch in batched(self._new_pages(items), 32):
            for result in self.executor.map(extract_page, batch):
                self._keep(result)
                self.progress.advance("read")
            # Validators met while this batch was read belong to its pages, or to feeds
            # whose entries all came in this batch or before: all stored by now.
            cache.flush()
        cache.flush()

    def _already_extracted(self, url: str) -> bool:
        """A page URL a feed or sitemap lists that an earlier run already extracted."""
        state = self.store.get_page_state(url)
        return state is not None and state.status == "extracted"

    def _new_pages(self, items: Iterable[Page | Failure]) -> Iterator[Page]:
        for item in items:
            if isinstance(item, Failure):
                self._fail(item.source, "ingest", item.reason)
                self.progress.advance("read")
                continue
            state = self.store.get_page_state(item.source)
            if state is not None and state.content_hash == hashlib.sha1(item.content).hexdigest():
                self.summary.pages_unchanged += 1  # same bytes as a page already handled
                self.progress.advance("read")
                continue
            yield item

    def _keep(self, result: PageResult) -> None:
        self.summary.pages_read += 1
        if result.article is None:
            with self.store.transaction():
                self.store.add_page(result.page, "failed", result.reason)
                self._fail(result.page.source, "extract", result.reason or "no article")
            return
        article = result.article
        with self.store.transaction():
            earlier = self.store.get_page_state(result.page.source)
            if self.store.add_articles([article]):
                self.summary.articles_new += 1
            elif earlier is not None and earlier.article_id == article.id:
                self._update_article(article)  # the same page, changed since it was read
            self.store.add_page(result.page, "extracted", article_id=article.id)

    def _update_article(self, article: Article) -> None:
        """Keep the page's new version and have its story rewritten.

        The story's draft is re-signed as written for no members: the story then counts
        as changed, in the same transaction, so a run killed before the rewrite still
        rewrites it next time; until then the earlier draft stays published.
        """
        stored = self.store.get_article(article.id)
        if stored is None or _content(stored) == _content(article):
            return
        self.store.add_articles([article], replace=True)
        self.summary.articles_updated += 1
        story_id = self.store.story_for_article(article.id)
        draft = self.store.get_draft(story_id) if story_id else None
        if draft is not None:
            self.store.save_draft(draft.draft, draft.status, story_signature(()))

    def _fail(self, source: str, stage: str, reason: str) -> None:
        if stage in ("ingest", "extract"):
            self.summary.pages_failed += 1
        self.summary.failures.append((source, stage, reason))
        self.store.record_failure(source, stage, reason, run_id=self.summary.run_id)

    # -- cluster --------------------------------------------------------------------------

    def cluster(self) -> None:
        pending = self._unclustered()
        self.progress.start("cluster", len(pending))
        if not pending:
            return
        clusterer = self._clusterer()
        known = {s.id for s in self.store.list_stories(limit=None)}
        for batch in batched(time_ordered(pending), 256):
            changed: dict[str, Story] = {}
            merges: list[tuple[str, str]] = []
            for article in batch:
                try:
                    clusterer.add(article)
                except Exception as exc:  # one article must not stop the rest: left unclustered
                    reason = f"unexpected {type(exc).__name__}: {exc}"
                    self._fail(article.url or article.id, "cluster", reason)
                    continue
                # Collected after each article: a story may leave the active index later in
                # the same batch (its time window passed), and must still be saved.
                stories, merged = clusterer.take_changes()
                changed.update((story.id, story) for story in stories)
                merges.extend(merged)
            # A story collected earlier in the batch and merged away since is stale: saved
            # after its survivor, it would resolve to the survivor and replace its members.
            # The survivor carries it among its aliases, so the store folds it in.
            changed = {sid: s for sid, s in changed.items() if clusterer.resolve(sid) == sid}
            # Stories, merges and the clusterer's state land together or not at all.
            with self.store.transaction():
                for story in changed.values():
                    self.store.save_story(story)
                    if story.id in known:
                        self.summary.stories_updated += 1
                    else:
                        self.summary.stories_new += 1
                        known.add(story.id)
                for keep, gone in merges:
                    self.store.merge_stories(keep, gone)
                self.store.set_state(STATE_KEY, clusterer.to_state())
            self.progress.advance("cluster", len(batch))

    def _clusterer(self) -> StoryClusterer:
        """The clusterer as the last run left it, else one rebuilt from the store."""
        state = self.store.get_state(STATE_KEY)
        if not isinstance(state, bytes):
            return StoryClusterer(self.options.cluster)
        try:
            clusterer = StoryClusterer.from_state(state)
        except Exception as exc:  # written by another version, or damaged: the store has it all
            self.summary.notes.append(
                f"clusterer state unreadable ({type(exc).__name__}: {exc}); "
                "rebuilt from the stored stories"
            )
            return self._rebuilt_clusterer()
        if self.options.cluster is not None:  # run() checked; this stage may be called alone
            differences = config_differences(clusterer.config, self.options.cluster)
            if differences:
                raise ConfigMismatchError(differences)
        return clusterer

    def _rebuilt_clusterer(self) -> StoryClusterer:
        """Replay the articles already in stories, in the order they were clustered."""
        clusterer = StoryClusterer(self.options.cluster)
        pending = set(self.store.unclustered_article_ids())
        done = [a for a in self.store.iter_articles() if a.id not in pending]
        for article in time_ordered(done):
            clusterer.add(article)
        clusterer.take_changes()  # the store holds these stories already
        return clusterer

    def _unclustered(self) -> list[Article]:
        cutoff = now_utc() - self.options.since if self.options.since else None
        articles = self.store.get_articles(self.store.unclustered_article_ids())
        if cutoff is None:
            return articles
        return [a for a in articles if _published_after(a, cutoff)]

    # -- write + verify -------------------------------------------------------------------

    def write(self) -> None:
        story_ids = self.store.stories_needing_draft()
        self.progress.start("write", len(story_ids))
        jobs = [self._job(story_id) for story_id in story_ids]
        jobs = [job for job in jobs if job is not None]
        # Not a method of self: an executor may pickle it to other processes (Ray), and the
        # pipeline holds the store, which cannot travel.
        write = StoryWriter(self.options)
        for result in self._write_executor().map(write, jobs):
            self._keep_draft(result)
            self.progress.advance("write")

    def _write_executor(self) -> Executor:
        """The LLM writer waits on a server: run as many stories at once as it allows."""
        from newsdesk.runners.local import LocalExecutor

        executor = self.executor
        if self.options.writer == "llm" and isinstance(executor, LocalExecutor):
            config = self.options.writer_options.get("config")
            threads = int(getattr(config, "concurrency", 1) or 1)
            if executor.threads < threads:
                return LocalExecutor(threads=threads)
        return executor

    def _job(self, story_id: str) -> StoryJob | None:
        articles = tuple(self.store.story_articles(story_id))
        if not articles:
            return None
        signature = story_signature(a.id for a in articles)
        from newsdesk.cluster.related import background_for

        return StoryJob(story_id, articles, background_for(self.store, story_id), signature)

    def _keep_draft(self, result: WriteResult) -> None:
        if result.draft is None:
            self._fail(result.job.story_id, "write", result.reason or "no draft")
            return
        self.store.save_draft(result.draft, result.status, result.job.signature)
        if result.status == "published":
            self.summary.drafts_published += 1
        else:
            self.summary.drafts_held += 1

    # -- publish ----------------------------------------------------------------------------

    def publish(self) -> None:
        if self.options.out_dir is None:
            return
        from newsdesk.publish.site import publish_site

        stored = self.store.list_drafts(status="published")
        self.progress.start("publish", len(stored))
        # The index lists stories by the time of their latest source; articles are read
        # only for the stories whose pages are rendered again (the others are current).
        last_seen = {story.id: story.last_seen for story in self.store.list_stories(limit=None)}
        try:
            report = publish_site(
                [s.draft for s in stored],
                self.options.out_dir,
                articles=self._draft_articles,
                updated=last_seen,
                page_size=self.options.page_size,
                site_url=self.options.site_url,
            )
        except OSError as exc:  # e.g. the folder is not writable: the store keeps the drafts
            self._fail(str(self.options.out_dir), "publish", f"cannot write the site: {exc}")
            return
        except Exception as exc:
            self._fail(
                str(self.options.out_dir), "publish", f"unexpected {type(exc).__name__}: {exc}"
            )
            return
        _remove_unlisted(self.options.out_dir / "stories", set(report.files))
        self.summary.site_files = len(report.files)
        self.summary.site_stories = len(report.stories)
        self.progress.advance("publish", len(stored))

    def _draft_articles(self, draft: Draft) -> list[Article]:
        """The story's articles, then the earlier ones its background cites (shown beside it)."""
        articles = self.store.story_articles(draft.story_id)
        known = {a.id for a in articles}
        return articles + self.store.get_articles(s.id for s in draft.sources if s.id not in known)


def run_pipeline(
    store: Store,
    options: RunOptions,
    executor: Executor | None = None,
    progress: Progress | None = None,
) -> RunSummary:
    """Run every stage once over ``options.sources``; see ``Pipeline``.

    ``options.cluster`` sets the clusterer's config of a store not clustered yet, which keeps
    it. For a store clustered before, leave it None to go on with the stored config; one that
    differs raises ``ConfigMismatchError`` (the fields, both values) before any work.
    """
    return Pipeline(store, options, executor, progress).run()


_STORY_FILE = re.compile(r"[A-Za-z0-9_-]+\.(html|json|md)(\.tmp)?")


def _remove_unlisted(folder: Path, written: set[Path]) -> None:
    """Delete story files this publish did not write: stories merged away or now held, and
    half-written ``.tmp`` files of a run killed while publishing. Only names the publisher
    gives story files are touched, so nothing else a user keeps there is lost."""
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        if path.is_file() and path not in written and _STORY_FILE.fullmatch(path.name):
            path.unlink(missing_ok=True)


def _content(article: Article) -> tuple[object, ...]:
    """What a reader sees of an article (not where it was read from)."""
    return (
        article.title,
        article.paragraphs,
        article.published,
        article.authors,
        article.description,
    )


def _published_after(article: Article, cutoff: datetime) -> bool:
    when = epoch_seconds(article.published) if article.published else None
    # Undated articles count as new: we cannot tell, and dropping them would lose news.
    return when is None or when >= cutoff.timestamp()
