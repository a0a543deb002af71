"""A run over the store: ingest -> extract -> cluster -> write + verify -> publish.

Every step reads what is left to do from the store and writes its result back in one
transaction, so a run killed at any moment (kill -9) and started again finishes the same
work and ends with the same store: pages already extracted are skipped, articles that
belong to no story are clustered, stories whose members changed since their draft was
written are rewritten, and the site is published from what the store holds.

The per-item work is the blocks of ``pipeline.blocks``; an executor decides how they are
scheduled (``LocalExecutor`` in this process, ``runners.ray.RayExecutor``, or any object
with the same ``map``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from newsdesk.errors import unexpected
from newsdesk.ingest.config import FetchConfig, Validators
from newsdesk.ingest.files import Failure, file_validator, iter_path_files, read_file
from newsdesk.ingest.sources import is_url, iter_sources_pages, resolve_source
from newsdesk.model import Article, Draft, Page, Story, now_utc
from newsdesk.pipeline.blocks import (
    PageResult,
    StoryJob,
    StoryWriter,
    WriteOptions,
    WriteResult,
    extract_page,
    failure_result,
)
from newsdesk.pipeline.executors import Executor, LocalExecutor, NoProgress, Progress, batched
from newsdesk.pipeline.processes import ProcessExecutor
from newsdesk.settings import Settings
from newsdesk.store import Store, story_signature
from newsdesk.text.dates import epoch_seconds

if TYPE_CHECKING:  # imported where used: a run with nothing new to cluster or write
    # (an unchanged re-run) never loads the clusterer, scipy or the writers
    from newsdesk.cluster import ClusterConfig
    from newsdesk.cluster.related import ReadDoc
    from newsdesk.pipeline.clustering import SavedClusterer
    from newsdesk.pipeline.coverage import EarlierCoverage

T = TypeVar("T")

# The store's state key of the stories no run could write (nothing to write from), with
# the members and options they were tried with: not tried again until these change.
UNWRITABLE_STATE = "pipeline.unwritable"
# The mark of the site last published into a folder (``publish.current``), by its path.
SITE_STATE = "pipeline.site"
# Fewer articles than this are clustered without worker processes reading ahead: starting
# them costs more than the reading they would take over.
PREPARE_ON_WORKERS = 64


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
    # a different one is refused (ConfigMismatchError, see cluster.persist.agreed_config).
    cluster: ClusterConfig | None = None
    page_size: int = 50  # stories per index page of the site

    @property
    def write_options(self) -> WriteOptions:
        return WriteOptions(self.writer, self.language, self.max_words, self.writer_options)


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
    site_current: bool = False  # the site was as this run would publish it: left untouched
    notes: list[str] = field(default_factory=list)  # things done differently, not failures
    # Wall seconds of each step, and (extract, write, verify) the time of that work summed
    # over the pages or stories, on however many worker processes ran it.
    stage_seconds: dict[str, float] = field(default_factory=dict)
    workers: int = 1  # processes that extracted and wrote

    def stage_line(self) -> str:
        """The time per stage in one line (``NEWSDESK_TIMINGS=1``): wall seconds of each
        step, and in brackets the work's own seconds summed over the worker processes."""
        t = self.stage_seconds

        def part(step: str, inner: tuple[str, ...]) -> str:
            text = f"{step} {t.get(step, 0.0):.2f}"
            if inner:
                own = ", ".join(f"{name} {t.get(name, 0.0):.2f}" for name in inner)
                text += f" ({own} on {self.workers} worker{'s' if self.workers > 1 else ''})"
            return text

        return ", ".join(
            [
                part("ingest+extract", ("extract",)),
                part("cluster", ()),
                part("write+verify", ("write", "verify")),
                part("publish", ()),
            ]
        )

    def to_dict(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["failures"] = [{"source": s, "stage": st, "reason": r} for s, st, r in self.failures]
        return data


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

    ``options.cluster`` follows the store's rule (``cluster.persist.agreed_config``): None
    goes on with the stored config, a different one makes ``run`` raise
    ``ConfigMismatchError``. ``saved``: the store's clusterer state, when the caller read it
    already (the CLI does, to check its options): it is read and decompressed once a run.
    """

    def __init__(
        self,
        store: Store,
        options: RunOptions,
        executor: Executor | None = None,
        progress: Progress | None = None,
        *,
        saved: SavedClusterer | None = None,
    ) -> None:
        self.store = store
        self.options = options
        self.executor = executor or LocalExecutor()
        # Without an executor given, CPU-bound blocks (extraction, the extractive writer)
        # run on one worker process per idle core (NEWSDESK_WORKERS), the rest here.
        self._processes: ProcessExecutor | None = None
        if executor is None:
            self._processes = ProcessExecutor(
                Settings.from_env().run.workers, on_error=failure_result
            )
        self.progress = progress or NoProgress()
        self.summary = RunSummary()
        self._saved = saved
        self._pages_warned = 0  # pages read with a warning (see _keep)
        # The articles this run read from the store (those it clustered), by id: the write
        # and publish steps take them from here instead of reading and parsing the rows
        # again. Nothing changes an article between those steps.
        self._articles: dict[str, Article] = {}
        # The earlier-coverage finder's terms of the articles the cluster stage read.
        self._coverage_terms: dict[str, ReadDoc] = {}

    @property
    def saved(self) -> SavedClusterer:
        if self._saved is None:
            from newsdesk.pipeline.clustering import SavedClusterer

            self._saved = SavedClusterer.read(self.store)
        return self._saved

    def run(self) -> RunSummary:
        """Every stage once. ``options.cluster`` given for a store clustered with a different
        config raises ``ConfigMismatchError`` here, before the run is recorded or anything
        read; None goes on with the stored one.
        """
        if self.options.cluster is not None:
            self.saved.check(self.options.cluster)
        self.summary.run_id = self.store.start_run()
        status = "failed"
        try:
            with self._timed("ingest+extract"):
                self.ingest()
            if self._processes is not None:
                # The writers' worker processes are forked afresh once the first story is
                # written here: they inherit the writer and the verifier loaded and warm
                # (the extraction's workers would each load and warm them again).
                self._processes.close()
            with self._timed("cluster"):
                self.cluster()
            with self._timed("write+verify"):
                self.write()
            with self._timed("publish"):
                self.publish()
            status = "ok"
        except (KeyboardInterrupt, SystemExit):
            # Ctrl-C, or SIGTERM (the CLI raises SystemExit for it): stopped, as a killed
            # run is marked by the next one.
            status = "interrupted"
            raise
        finally:
            if self._processes is not None:
                self._processes.close()
                self.summary.workers = self._processes.workers_decided
            if self._pages_warned > PAGE_WARNING_NOTES:
                self.summary.notes.append(
                    f"{self._pages_warned - PAGE_WARNING_NOTES} more pages were read with a "
                    f"warning (the first {PAGE_WARNING_NOTES} are listed; `newsdesk extract` "
                    "prints each page's)"
                )
            self.store.finish_run(self.summary.run_id, status, self.summary.to_dict())
        return self.summary

    @contextlib.contextmanager
    def _timed(self, stage: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self._add_seconds(stage, time.perf_counter() - started)

    def _add_seconds(self, stage: str, seconds: float) -> None:
        times = self.summary.stage_seconds
        times[stage] = times.get(stage, 0.0) + seconds

    def _cpu_executor(self) -> Executor:
        """Where CPU-bound blocks run: the worker processes, or the executor given."""
        return self._processes if self._processes is not None else self.executor

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
        self._add_seconds("extract", 0.0)
        if self._processes is not None and all(_is_local(source) for source in sources):
            # No HTTP validators to keep in step with the pages (no URL is read): the worker
            # processes extract while pages are read ahead and earlier ones are stored.
            local = self._local_items(sources, fetch, cache)
            results = self._processes.map(extract_page, self._new_pages(local))
            for done in _growing_batches(results, 64):
                self._keep_all(done)
            return
        items = iter_sources_pages(sources, fetch, cache, skip_url=self._already_extracted)
        for batch in batched(self._new_pages(items), 32):
            for result in self._cpu_executor().map(extract_page, batch):
                self._keep_all([result])  # fetching is slower than a commit a page
            # Validators met while this batch was read belong to its pages, or to feeds
            # whose entries all came in this batch or before: all stored by now.
            cache.flush()
        cache.flush()

    def _keep_all(self, results: Sequence[PageResult]) -> None:
        """A batch of extracted pages stored in one transaction: the batch's new articles
        and its pages are written a statement each (not a page at a time)."""
        with self.store.transaction():
            articles = [r.article for r in results if r.article is not None]
            known = self.store.existing_article_ids(a.id for a in articles)
            pages: list[tuple[Page, str, str | None, str | None]] = []
            for result in results:
                self._keep(result, known, pages)
                self._add_seconds("extract", result.seconds)
            self.store.add_articles(articles)  # those already stored are left as they are
            self.store.add_pages(pages)
        self.progress.advance("read", len(results))

    def _already_extracted(self, url: str) -> bool:
        """A page URL a feed or sitemap lists that an earlier run already extracted."""
        state = self.store.get_page_state(url)
        return state is not None and state.status == "extracted"

    def _local_items(
        self, sources: list[str], fetch: FetchConfig, cache: StoreHttpCache
    ) -> Iterator[Page | Failure]:
        """The pages of local sources in the order given: files and folders as
        ``_changed_files`` reads them, WARC archives and standard input as ingest does."""
        others: list[str] = []
        for source in sources:
            if resolve_source(source).kind != "path":
                others.append(source)
                continue
            if others:
                yield from iter_sources_pages(others, fetch, cache)
                others = []
            yield from self._changed_files(Path(source.strip()), fetch.max_bytes)
        if others:
            yield from iter_sources_pages(others, fetch, cache)

    def _changed_files(self, root: Path, max_bytes: int | None) -> Iterator[Page | Failure]:
        """The files under ``root`` as pages, less those whose validator (modification time
        and size, ``file_validator``) is the one recorded when a run read them: counted as
        unchanged and never read. Their states are looked up a batch at a time."""
        for batch in batched(iter_path_files(root), 256):
            states = self.store.get_page_states(str(i) for i in batch if isinstance(i, Path))
            for item in batch:
                if isinstance(item, Failure):
                    yield item
                    continue
                state = states.get(str(item))
                if state is not None and state.etag is not None:
                    try:
                        unchanged = file_validator(item.stat()) == state.etag
                    except OSError:  # gone since the folder was listed: read_file says so
                        unchanged = False
                    if unchanged:
                        self.summary.pages_unchanged += 1
                        self.progress.advance("read")
                        continue
                yield read_file(item, max_bytes)

    def _new_pages(self, items: Iterable[Page | Failure]) -> Iterator[Page]:
        """The pages not handled before with the same bytes; their states are looked up
        a batch at a time (an unchanged re-run reads each page and one query per batch).
        A file whose bytes are unchanged but whose validator is not (touched, checked out
        again) has its new validator recorded, so the next run need not read it."""
        for batch in _batched_by_bytes(items, 256, 32 * 1024 * 1024):
            states = self.store.get_page_states(
                (item.source for item in batch if not isinstance(item, Failure)), by_url=True
            )
            touched: dict[str, str] = {}
            for item in batch:
                if isinstance(item, Failure):
                    self._fail(item.source, "ingest", item.reason)
                    self.progress.advance("read")
                    continue
                state = states.get(item.source)
                if (
                    state is not None
                    and state.content_hash == hashlib.sha1(item.content).hexdigest()
                ):
                    self.summary.pages_unchanged += 1  # same bytes as a page already handled
                    self.progress.advance("read")
                    etag = item.headers.get("etag")
                    if etag and not is_url(item.source) and etag != state.etag:
                        touched[item.source] = etag
                    continue
                yield item
            self.store.set_page_etags(touched)

    def _keep(
        self,
        result: PageResult,
        known: set[str],
        pages: list[tuple[Page, str, str | None, str | None]],
    ) -> None:
        """One extracted page (inside ``_keep_all``'s transaction). ``known``: the ids of
        the articles stored before this batch, and of those met earlier in it (added here);
        the page is added to ``pages``, which ``_keep_all`` stores after the batch."""
        self.summary.pages_read += 1
        if result.article is None:
            pages.append((result.page, "failed", result.reason, None))
            self._fail(result.page.source, "extract", result.reason or "no article")
            return
        article = result.article
        # Read, but not cleanly (invalid bytes, markup cut for size): said in the summary,
        # page by page for the first few; a crawl of thousands gets a count for the rest.
        if article.warnings:
            self._pages_warned += 1
            if self._pages_warned <= PAGE_WARNING_NOTES:
                self.summary.notes.extend(f"{result.page.source}: {w}" for w in article.warnings)
        if article.id not in known:
            known.add(article.id)
            self.summary.articles_new += 1
        else:  # known: is it this page's, changed since it was read?
            earlier = self.store.get_page_state(result.page.source)
            if earlier is not None and earlier.article_id == article.id:
                self._update_article(article)
        pages.append((result.page, "extracted", None, article.id))

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
        from newsdesk.pipeline.clustering import cluster_pending

        # Worker processes read each article's terms and MinHash ahead of the clusterer,
        # which is one process: the cores it leaves idle take a third of its work.
        workers = None
        if (
            self._processes is not None
            and self._processes.workers_decided > 1
            and len(pending) >= PREPARE_ON_WORKERS
        ):
            workers = ProcessExecutor(self._processes.workers_decided, chunk=16)
        try:
            done = cluster_pending(
                self.store,
                pending,
                self.options.cluster,
                saved=self.saved,
                on_batch=lambda n: self.progress.advance("cluster", n),
                workers=workers,
                keep_terms=True,  # for the write stage's earlier coverage
            )
        finally:
            if workers is not None:
                workers.close()
        for article, reason in done.failures:
            self._fail(article.url or article.id, "cluster", reason)
        self._coverage_terms = done.coverage_terms
        self.summary.stories_new += done.stories_new
        self.summary.stories_updated += done.stories_updated
        self.summary.notes.extend(done.notes)

    def _unclustered(self) -> list[Article]:
        cutoff = now_utc() - self.options.since if self.options.since else None
        articles = self.store.get_articles(self.store.unclustered_article_ids())
        self._articles.update((article.id, article) for article in articles)
        if cutoff is None:
            return articles
        return [a for a in articles if _published_after(a, cutoff)]

    # -- write + verify -------------------------------------------------------------------

    def write(self) -> None:
        needed = self.store.stories_needing_draft_signed()
        raw = self.store.get_state(UNWRITABLE_STATE)
        stored: dict[str, str] = json.loads(raw) if raw else {}
        unwritable = self._unwritable(stored, needed)
        story_ids = [sid for sid in needed if sid not in unwritable]
        if unwritable:
            count = len(unwritable)
            self.summary.notes.append(
                f"{count} stor{'ies' if count > 1 else 'y'} not tried again: an earlier run "
                "found nothing to write from in the same articles (see newsdesk runs)"
            )
        self.progress.start("write", len(story_ids))
        if not story_ids:
            self._keep_unwritable(stored, unwritable)
            return
        from newsdesk.pipeline.coverage import EarlierCoverage

        stories = {story.id: story for story in self.store.list_stories(limit=None)}
        # each article's terms computed once a run; each story's window of earlier
        # stories cut from those read here
        coverage = EarlierCoverage(
            self.store,
            articles=self._get_articles,
            stories=stories.values(),
            read=self._coverage_terms,  # the articles' terms as the clusterer read them
        )
        # The worker processes take the jobs as they are built: the store reads and the
        # search for earlier coverage of later stories overlap the writing of the first
        # ones. Other executors are given a list (the protocol's Sequence).
        executor = self._write_executor()
        jobs_made = (self._job(sid, coverage, stories.get(sid)) for sid in story_ids)
        built = (job for job in jobs_made if job)
        jobs = built if isinstance(executor, ProcessExecutor) else list(built)
        # Not a method of self: an executor may pickle it to other processes (Ray), and the
        # pipeline holds the store, which cannot travel.
        write = StoryWriter(self.options.write_options)
        self._add_seconds("write", 0.0)
        self._add_seconds("verify", 0.0)
        for done in _growing_batches(executor.map(write, jobs), 32):
            with self.store.transaction():  # a batch of drafts saved at once
                self.store.save_drafts(self._kept_drafts(done))
                for result in done:
                    self._add_seconds("write", result.write_seconds)
                    self._add_seconds("verify", result.verify_seconds)
                    if result.lasting:
                        unwritable[result.job.story_id] = self._write_mark(result.job.signature)
            self.progress.advance("write", len(done))
        self._keep_unwritable(stored, unwritable)

    def _write_mark(self, signature: str) -> str:
        """What a story that could not be written was tried with: its members (the
        signature) and the options that decide whether there is anything to write."""
        o = self.options
        return f"{signature} {o.writer} {o.language or '-'} {o.max_words}"

    def _unwritable(self, stored: dict[str, str], needed: dict[str, str]) -> dict[str, str]:
        """The stories needing a draft that an earlier run found nothing to write from,
        with the same members and options (``stored``: the marks kept): {story id: mark}."""
        return {
            sid: mark
            for sid, mark in stored.items()
            if sid in needed and mark == self._write_mark(needed[sid])
        }

    def _keep_unwritable(self, stored: dict[str, str], marks: dict[str, str]) -> None:
        """Keep the marks of the stories still unwritable, where they differ from those
        ``stored`` (a story written, merged away or changed since drops out: its mark no
        longer matches)."""
        if stored != marks:
            self.store.set_state(UNWRITABLE_STATE, json.dumps(marks, sort_keys=True))

    def _write_executor(self) -> Executor:
        """The LLM writer waits on a server: run as many stories at once as it allows. The
        extractive writer is CPU-bound: the worker processes run it."""
        if self.options.writer != "llm":
            return self._cpu_executor()
        executor = self.executor
        if isinstance(executor, LocalExecutor):
            config = self.options.writer_options.get("config")
            threads = int(getattr(config, "concurrency", 1) or 1)
            if executor.threads < threads:
                return LocalExecutor(threads=threads)
        return executor

    def _job(
        self, story_id: str, coverage: EarlierCoverage, story: Story | None = None
    ) -> StoryJob | None:
        """``story``: the stored story when the caller read it already (all at once): its
        members are then taken from it, in the same joined order."""
        if story is not None and story.id == story_id:
            articles = tuple(self._get_articles(story.article_ids))
        else:
            articles = tuple(self.store.story_articles(story_id))
        if not articles:
            return None
        signature = story_signature(a.id for a in articles)
        return StoryJob(story_id, articles, coverage.background(story or story_id), signature)

    def _get_articles(self, article_ids: Iterable[str]) -> list[Article]:
        """``Store.get_articles``, taking those this run read already from memory."""
        ids = list(dict.fromkeys(article_ids))
        known = self._articles
        missing = [i for i in ids if i not in known]
        if missing:
            known.update((a.id, a) for a in self.store.get_articles(missing))
        return [known[i] for i in ids if i in known]

    def _kept_drafts(self, results: Sequence[WriteResult]) -> list[tuple[Draft, str, str]]:
        """The drafts of a batch of results to save, counted; a story with none is failed."""
        kept = []
        for result in results:
            if result.draft is None:
                self._fail(result.job.story_id, "write", result.reason or "no draft")
                continue
            kept.append((result.draft, result.status, result.job.signature))
            if result.status == "published":
                self.summary.drafts_published += 1
            else:
                self.summary.drafts_held += 1
        return kept

    # -- publish ----------------------------------------------------------------------------

    def publish(self) -> None:
        if self.options.out_dir is None:
            return
        from newsdesk.publish.current import site_mark, site_token, still_current

        out_dir = self.options.out_dir
        mark_key = f"{SITE_STATE}:{out_dir.resolve()}"
        token = site_token(
            self.store.content_version(), self.options.page_size, self.options.site_url
        )
        kept = still_current(self.store.get_state(mark_key), out_dir, token)
        if kept is not None:  # no story or draft changed since it was published, nor the site
            self.summary.site_files, self.summary.site_stories = kept
            self.summary.site_current = True
            self.progress.start("publish", kept[1])
            self.progress.advance("publish", kept[1])
            return
        from newsdesk.publish.site import publish_site

        stored = self.store.list_drafts(status="published")
        self.progress.start("publish", len(stored))
        # The index lists stories by the time of their latest source; articles are read
        # only for the stories whose pages are rendered again (the others are current).
        stories = self.store.list_stories(limit=None)
        last_seen = {story.id: story.last_seen for story in stories}
        members = {story.id: story.article_ids for story in stories}
        try:
            report = publish_site(
                [s.draft for s in stored],
                self.options.out_dir,
                articles=lambda draft: self._draft_articles(draft, members.get(draft.story_id)),
                updated=last_seen,
                published={story.id: story.first_seen for story in stories},
                page_size=self.options.page_size,
                site_url=self.options.site_url,
                # the stories' pages are rendered by the worker processes, where there are
                render=self._processes.map if self._processes is not None else None,
            )
        except OSError as exc:  # e.g. the folder is not writable: the store keeps the drafts
            self._fail(str(self.options.out_dir), "publish", f"cannot write the site: {exc}")
            return
        except Exception as exc:
            self._fail(str(self.options.out_dir), "publish", unexpected(exc))
            return
        _remove_unlisted(self.options.out_dir / "stories", set(report.files))
        self.summary.site_files = len(report.files)
        self.summary.site_stories = len(report.stories)
        self.store.set_state(mark_key, site_mark(out_dir, token, report.files, len(report.stories)))
        self.progress.advance("publish", len(stored))

    def _draft_articles(self, draft: Draft, members: Sequence[str] | None = None) -> list[Article]:
        """The story's articles, then the earlier ones its background cites (shown beside it).

        ``members``: the story's article ids in joined order, when the caller read them
        already (its articles are then taken from those this run read, where it did)."""
        if members is None:
            articles = self.store.story_articles(draft.story_id)
        else:
            articles = self._get_articles(members)
        known = {a.id for a in articles}
        return articles + self._get_articles(s.id for s in draft.sources if s.id not in known)


def run_pipeline(
    store: Store,
    options: RunOptions,
    executor: Executor | None = None,
    progress: Progress | None = None,
    *,
    saved: SavedClusterer | None = None,
) -> RunSummary:
    """Run every stage once over ``options.sources``; see ``Pipeline``.

    ``options.cluster`` sets the clusterer's config of a store not clustered yet, which keeps
    it. For a store clustered before, leave it None to go on with the stored config; one that
    differs raises ``ConfigMismatchError`` (the fields, both values) before any work.
    """
    return Pipeline(store, options, executor, progress, saved=saved).run()


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


def _is_local(source: str) -> bool:
    """A source read from this machine alone: a file, folder, WARC archive or stdin."""
    return resolve_source(source).kind in ("path", "warc", "stdin")


def _batched_by_bytes(
    items: Iterable[Page | Failure], size: int, max_bytes: int
) -> Iterator[list[Page | Failure]]:
    """Lists of up to ``size`` items, or fewer holding ``max_bytes`` of page content."""
    batch: list[Page | Failure] = []
    held = 0
    for item in items:
        batch.append(item)
        held += len(item.content) if isinstance(item, Page) else 0
        if len(batch) >= size or held >= max_bytes:
            yield batch
            batch, held = [], 0
    if batch:
        yield batch


# Pages read with a warning that a run's summary lists one by one.
PAGE_WARNING_NOTES = 20


def _growing_batches(items: Iterable[T], most: int) -> Iterator[list[T]]:
    """Batches of 1, 2, 4... up to ``most`` items, each stored in one transaction: a
    large run commits rarely, while the first results are kept (and shown) at once."""
    batch: list[T] = []
    size = 1
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch, size = [], min(most, size * 2)
    if batch:
        yield batch
