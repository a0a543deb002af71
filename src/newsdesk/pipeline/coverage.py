"""Earlier coverage for the writer, gathered from the store for ``cluster.related``.

``EarlierCoverage`` reads what the finder needs (the story, its articles, the stories
seen in the window before it and their first articles) and hands it over as data; the
finder keeps each article's terms for the life of this object (one run), so stories of
one run, which share most of their window, tokenise each article once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace

from newsdesk.cluster.related import CoverageFinder, CoverageSettings, ReadDoc
from newsdesk.model import Article, Story
from newsdesk.store import Store
from newsdesk.store.times import to_utc_iso

_log = logging.getLogger(__name__)


class EarlierCoverage:
    """Earlier articles of other stories about the same subject, from one store."""

    def __init__(
        self,
        store: Store,
        settings: CoverageSettings | None = None,
        *,
        articles: Callable[[Sequence[str]], list[Article]] | None = None,
        stories: Iterable[Story] | None = None,
        read: Mapping[str, ReadDoc] | None = None,
    ) -> None:
        self.store = store
        self.finder = CoverageFinder(settings)
        # How articles are read by id (default ``store.get_articles``): the pipeline gives
        # its own, which answers from the articles it read already.
        self._read = articles or store.get_articles
        # The store's stories where the caller read them all already (a run writing its
        # drafts): each story's window is then cut from them, not read from the store.
        self._windows = StoryWindows(stories) if stories is not None else None
        # Articles' terms made of the clusterer's reading of them (``doc_of``), by id.
        self._read_docs = read

    @property
    def settings(self) -> CoverageSettings:
        return self.finder.settings

    def find(self, story: Story | str, settings: CoverageSettings | None = None) -> list[Article]:
        """Articles of other stories about the same subject, published before ``story``
        began; most related story first, at most ``settings.limit``; empty when the story
        is unknown, undated, or nothing earlier is related."""
        return [article for article, _ in self.find_scored(story, settings)]

    def find_scored(
        self, story: Story | str, settings: CoverageSettings | None = None
    ) -> list[tuple[Article, float]]:
        """``find`` with each article's story similarity (see ``CoverageFinder.find_scored``)."""
        s = settings or self.finder.settings
        if isinstance(story, str):
            found = self.store.get_story(story)
            if found is None:
                return []
            story = found
        self._give(self.finder.own_ids(story, s))
        window = self.finder.window(story, s)
        if window is None:
            return []
        since, until = window
        if self._windows is not None:
            candidates = self._windows.between(since, until, s.max_stories)
        else:
            candidates = self.store.list_stories(limit=s.max_stories, since=since, until=until)
        self._give(self.finder.candidate_ids(story, candidates, s))
        return self.finder.find_scored(story, candidates, s)

    def background(self, story: Story | str) -> tuple[Article, ...]:
        """``find`` for the write block: a failure costs the draft its background only.

        Background is optional; a bug or a bad row here must not stop the story being
        written, so the error is logged and the draft goes without.
        """
        try:
            return tuple(self.find(story))
        except Exception:
            _log.warning(
                "no background for story %s: finding earlier coverage failed",
                story if isinstance(story, str) else story.id,
                exc_info=True,
            )
            return ()

    def _give(self, ids: Sequence[str]) -> None:
        missing = self.finder.missing(ids)
        if missing:
            self.finder.add(self._read(missing), self._read_docs)


class StoryWindows:
    """Stories seen in a window of time, as ``Store.list_stories(limit, since, until)``
    answers (most recently seen first, then by id; a story's span ``[first_seen,
    last_seen]`` overlaps the window; undated and memberless stories left out), from
    stories read once: a run asks for a window per story it writes, each a store query
    of up to ``max_stories`` stories with their members (4 ms a story)."""

    def __init__(self, stories: Iterable[Story]) -> None:
        dated = []
        for story in stories:
            first, last = to_utc_iso(story.first_seen), to_utc_iso(story.last_seen)
            if first is not None and last is not None and story.article_ids:
                dated.append((first, last, story))
        dated.sort(key=lambda item: item[2].id)
        dated.sort(key=lambda item: item[1], reverse=True)  # stable: ids ascending in a tie
        self._dated = dated

    def between(self, since: str, until: str, limit: int) -> list[Story]:
        """At most ``limit`` stories whose span overlaps ``[since, until]`` (ISO 8601)."""
        since_utc, until_utc = to_utc_iso(since), to_utc_iso(until)
        if since_utc is None or until_utc is None:
            raise ValueError(f"not an ISO 8601 window: {since!r} to {until!r}")
        out: list[Story] = []
        for first, last, story in self._dated:
            if last < since_utc:
                break  # most recently seen first: every later one ended before the window
            if first <= until_utc:
                out.append(story)
                if len(out) >= limit:
                    break
        return out


def earlier_coverage(
    store: Store,
    story: Story | str,
    *,
    limit: int | None = None,
    max_age_days: float | None = None,
    min_similarity: float | None = None,
    settings: CoverageSettings | None = None,
) -> list[Article]:
    """Background for a draft: earlier articles of other stories about the same subject.

    ``story`` is a ``Story`` or a story id. ``limit``, ``max_age_days`` and
    ``min_similarity``, when given, override ``settings`` (default ``CoverageSettings()``).
    One call, one finder: for many stories keep an ``EarlierCoverage``.
    """
    chosen = settings or CoverageSettings()
    overrides = {"limit": limit, "max_age_days": max_age_days, "min_similarity": min_similarity}
    chosen = replace(chosen, **{k: v for k, v in overrides.items() if v is not None})
    return EarlierCoverage(store, chosen).find(story)
