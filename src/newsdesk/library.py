"""newsdesk as a Python library: the stages as four calls, on the code the command line runs.

    import newsdesk
    articles = [newsdesk.extract(page) for page in pages]     # bytes or str of each page
    stories = newsdesk.cluster(articles)                       # biggest story first
    draft = newsdesk.write(stories[0], articles)               # cited, and verified
    report = newsdesk.verify(draft, articles)                  # report.passed, report.problems
    summary = newsdesk.run(["examples/"], out="site", db="newsdesk.db")   # `newsdesk run`

``cluster``, ``write`` and ``verify`` keep nothing: they work on the articles given.
``run`` is ``newsdesk run``: pages to a store and a published site, only new work done.
Bad input raises ``newsdesk.InputError`` (``ExtractionError`` for a page with no article)
with the reason in words.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from newsdesk.errors import InputError, NewsdeskError
from newsdesk.model import Article, Draft, Report, Story

if TYPE_CHECKING:
    from newsdesk.cluster import ClusterConfig
    from newsdesk.pipeline import RunSummary
    from newsdesk.write.llm import LLMConfig


def cluster(articles: Iterable[Article], *, config: ClusterConfig | None = None) -> list[Story]:
    """Group articles into stories, one per real-world event, as ``newsdesk cluster`` does.

    Articles are taken in time order (``newsdesk.cluster.time_ordered``), so any order of
    the same articles gives the same stories; syndicated copies and near-duplicates join
    their story. ``config``: the clusterer's settings (``newsdesk.cluster.ClusterConfig``;
    default: languages mixed in a story on shared names and numbers). Returns every story, most articles first (ties by id);
    ``Story.article_ids`` lists its members.
    """
    from newsdesk.cluster import StoryClusterer, time_ordered
    from newsdesk.pipeline.blocks import cluster_batch

    # The pipeline's own block: stories collected after each article, merged ones left out.
    done = cluster_batch(StoryClusterer(config), time_ordered(list(articles)))
    if done.failures:
        article, reason = done.failures[0]
        raise NewsdeskError(f"article {article.id} could not be clustered: {reason}")
    return sorted(done.stories, key=lambda story: (-len(story.article_ids), story.id))


def write(
    story: Story,
    articles: Iterable[Article],
    *,
    writer: str = "extractive",
    language: str | None = None,
    max_words: int = 220,
    background: Sequence[Article] = (),
    llm: LLMConfig | None = None,
) -> Draft:
    """Write one story's draft from its articles, every sentence cited, as ``newsdesk run``
    writes it: the draft comes back verified (``draft.checks``; ``draft.publishable`` is
    what publishing asks).

    ``articles``: the story's members are taken from these by id (passing every article
    given to ``cluster`` is fine). ``writer``: "extractive" (sentences copied verbatim, no
    model) or "llm" (an OpenAI-compatible server: ``llm=newsdesk.write.llm.LLMConfig(...)``;
    a draft that fails its check goes back to the model once, then the extractive draft
    stands in, as ``LLMConfig.on_failure`` says). ``max_words`` caps lead and body;
    ``language`` forces the draft's language; ``background``: earlier coverage. Raises
    ``InputError`` when none of the story's articles is given or they hold nothing to write
    from.
    """
    from newsdesk.pipeline.blocks import StoryJob, StoryWriter, WriteOptions, write_story

    by_id = {article.id: article for article in articles}
    members = tuple(by_id[aid] for aid in story.article_ids if aid in by_id)
    if not members:
        raise InputError(f"story {story.id}: none of its articles were given")
    options = WriteOptions(writer, language, max_words, {"config": llm} if llm is not None else {})
    # The pipeline's own block: write, then verify (and for the LLM, repair or fall back).
    done = write_story(StoryJob(story.id, members, tuple(background)), StoryWriter(options))
    if done.draft is None:
        raise InputError(f"story {story.id}: {done.reason}")
    return done.draft


def verify(draft: Draft, articles: Iterable[Article]) -> Report:
    """Check a draft against its sources, as ``newsdesk run`` does before publishing.

    Every sentence must be supported by the articles it cites (numbers, names, dates and
    quotations included); ``articles`` must hold them (more is fine). ``Report.passed`` is
    what publishing asks; ``Report.problems`` says what failed and why.
    """
    from newsdesk.pipeline.blocks import verify_draft

    report = verify_draft(draft, list(articles)).checks
    if report is None:  # the block always sets them
        raise NewsdeskError("the verifier gave no report")
    return report


def run(
    sources: Sequence[str | os.PathLike[str]],
    *,
    out: str | os.PathLike[str] | None = "site",
    db: str | os.PathLike[str] | None = None,
    writer: str = "extractive",
    language: str | None = None,
    max_words: int = 220,
    site_url: str | None = None,
    allow_private: bool = False,
    llm: LLMConfig | None = None,
    config: ClusterConfig | None = None,
) -> RunSummary:
    """Read, extract, cluster, write, verify and publish, as ``newsdesk run``: only new work.

    ``sources``: files, folders, URLs, feeds, sitemaps, WARC files or a sources ``.toml``.
    ``db``: a SQLite path (its folder is made) or a ``postgresql://`` URL; default
    ``$NEWSDESK_STORE`` or ``./newsdesk.db``. ``out``: the site's folder (None: no site).
    ``site_url``: where the site will be served, for absolute feed links. ``allow_private``:
    fetch private and loopback addresses too. ``config``: the clusterer's settings for a new
    store (a store keeps the ones it was made with). Returns the run's counts and failures
    (``RunSummary``); a page that fails is listed there, the run goes on.
    """
    from newsdesk.ingest.http import FetchConfig
    from newsdesk.pipeline import RunOptions, run_pipeline
    from newsdesk.store import open_store
    from newsdesk.store.urls import make_store_folder

    options = RunOptions(
        sources=[os.fspath(source) for source in sources],
        out_dir=Path(out) if out is not None else None,
        writer=writer,
        language=language,
        max_words=max_words,
        fetch=FetchConfig.from_env(**({"allow_private": True} if allow_private else {})),
        writer_options={"config": llm} if llm is not None else {},
        site_url=site_url,
        cluster=config,
    )
    make_store_folder(db)
    with open_store(db) as store:
        return run_pipeline(store, options)
