"""`newsdesk run` killed at any moment and started again ends with the store of an
uninterrupted run; dead feeds and bad pages are reported and the run goes on."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from newsdesk.cluster import ClusterConfig
from newsdesk.ingest.http import FetchConfig
from newsdesk.model import Article, Draft, Problem, Report, Story
from newsdesk.pipeline import RunOptions, run_pipeline
from newsdesk.runners.local import LocalExecutor
from newsdesk.store import Store, open_store
from tests.pipeline_support.corpus import (
    Doc,
    base_time,
    cluster_docs,
    html_page,
    mixed_corpus,
    seed_doc,
    single_docs,
    story_clusters,
    write_docs,
)
from tests.pipeline_support.dump import canonical_dump
from tests.pipeline_support.process import count_rows, kill_when, run_process
from tests.pipeline_support.server import NewsServer


def test_killed_runs_end_with_the_store_of_an_uninterrupted_run(tmp_path: Path) -> None:
    pages = mixed_corpus(tmp_path / "pages")
    server = NewsServer()  # a feed read first, so early kills land while it is read
    server.add([*_story_docs(2, 2, first_cluster=4), *single_docs(8)[6:]])
    sources = [f"{server.base}/feed.xml", str(pages)]
    db, site = tmp_path / "killed.db", tmp_path / "site"
    total_pages = len(list(pages.iterdir())) + len(server.pages)
    moments: list[tuple[str, Callable[[], bool]]] = [
        ("after 3 pages", lambda: count_rows(db, "pages") >= 3),
        ("after most pages", lambda: count_rows(db, "pages") >= total_pages - 3),
        ("after clustering", lambda: count_rows(db, "stories") >= 1),
        ("after 2 drafts", lambda: count_rows(db, "drafts") >= 2),
        ("while publishing", lambda: any((site / "stories").glob("*"))),
    ]
    killed: list[tuple[str, tuple[int, ...]]] = []
    with server.running():
        for name, ready in moments:
            proc = run_process(sources, db, site)
            if kill_when(proc, ready, limit=60):
                tables = ("pages", "articles", "stories", "drafts")
                killed.append((name, tuple(count_rows(db, t) for t in tables)))
        print("killed at", killed)
        # Killed at several different points of the work, not all at the same one.
        assert len({counts for _, counts in killed}) >= 4, killed

        # The restarted run and the uninterrupted one run side by side: the same code.
        restarted = run_process(sources, db, site)
        uninterrupted = run_process(sources, tmp_path / "reference.db", tmp_path / "ref-site")
        for proc in (restarted, uninterrupted):
            _, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err.decode(errors="replace")[-2000:]
    with open_store(tmp_path / "reference.db") as store:
        expected = canonical_dump(store)
    assert any(len(s["members"]) > 1 for s in expected["stories"].values())
    assert len(expected["drafts"]) == len(expected["stories"])
    with open_store(db) as store:
        got = canonical_dump(store)
        assert store.stories_needing_draft() == []
    for part in expected:
        assert got[part] == expected[part], f"{part} differ after kills {killed}"
    names = {p.name for p in site.rglob("*") if p.is_file()}
    assert names == {p.name for p in (tmp_path / "ref-site").rglob("*") if p.is_file()}


# -- in-process runs ------------------------------------------------------------------------

FAST_FETCH = FetchConfig(allow_private=True, host_interval=0.0, retries=0, timeout=5.0)


def _options(sources: list[str], out: Path | None, **kw: object) -> RunOptions:
    return RunOptions([str(s) for s in sources], out_dir=out, fetch=FAST_FETCH, **kw)  # type: ignore[arg-type]


def _story_docs(clusters: int, per_story: int, first_cluster: int = 0) -> list[Doc]:
    start = base_time()
    docs: list[Doc] = []
    for i, texts in enumerate(story_clusters(clusters, skip=first_cluster)):
        c = first_cluster + i
        docs += cluster_docs(c, texts, 0, per_story, start + timedelta(hours=6 * c))
    return docs


def _story_of_url(store: Store, url: str) -> str | None:
    for story in store.list_stories(limit=None):
        for article in store.story_articles(story.id):
            if article.url == url:
                return story.id
    return None


def test_a_story_that_gains_an_article_is_rewritten_and_the_others_are_left_alone(
    tmp_path: Path,
) -> None:
    start = base_time()
    (first,) = story_clusters(1)
    (other,) = story_clusters(1, skip=5)
    pages = write_docs(tmp_path / "pages", cluster_docs(0, first, 0, 2, start) + single_docs(3))
    with open_store(tmp_path / "s.db") as store:
        one = run_pipeline(store, _options([pages], tmp_path / "site"))
        assert one.failures == [] and one.pages_read == 5 and one.articles_new == 5
        grown = _story_of_url(store, "https://site0.example/news/story-0-0")
        assert grown is not None
        assert len(store.story_articles(grown)) == 2  # both pages of the story, one story
        before = {d.story_id: d for d in store.list_drafts()}
        assert set(before) == {s.id for s in store.list_stories(limit=None)}

        # A third page of the same story and a page of a new story arrive.
        write_docs(pages, cluster_docs(0, first, 2, 3, start) + cluster_docs(5, other, 0, 1, start))
        two = run_pipeline(store, _options([pages], tmp_path / "site"))
        assert (two.pages_read, two.pages_unchanged, two.articles_new) == (2, 5, 2)
        assert (two.stories_new, two.stories_updated) == (1, 1)
        assert two.drafts_published + two.drafts_held == 2
        assert _story_of_url(store, "https://site2.example/news/story-0-2") == grown
        after = {d.story_id: d for d in store.list_drafts()}
        assert len(after) == len(before) + 1
        for story_id, old in before.items():
            new = after[story_id]
            if story_id == grown:
                assert new.updated_at > old.updated_at
                assert new.story_signature != old.story_signature
                assert len(new.draft.sources) >= 1
            else:  # untouched: the very same row
                assert new.to_dict() == old.to_dict()

        # Nothing new: nothing is read, clustered or written again.
        three = run_pipeline(store, _options([pages], tmp_path / "site"))
        assert (three.pages_read, three.articles_new, three.stories_new) == (0, 0, 0)
        assert (three.stories_updated, three.drafts_published, three.drafts_held) == (0, 0, 0)
        assert three.pages_unchanged == 7
        assert {d.story_id: d.to_dict() for d in store.list_drafts()} == {
            k: v.to_dict() for k, v in after.items()
        }


def test_a_story_with_nothing_to_write_from_is_tried_again_only_when_it_changes(
    tmp_path: Path,
) -> None:
    start = base_time()
    (texts,) = story_clusters(1)
    pages = write_docs(tmp_path / "pages", cluster_docs(0, texts, 0, 2, start))
    with open_store(tmp_path / "s.db") as store:
        # No sentence fits in one word: the writer finds nothing to write (InputError).
        one = run_pipeline(store, _options([pages], None, max_words=1))
        assert [stage for _, stage, _ in one.failures] == ["write"]
        (story,) = [source for source, _, _ in one.failures]

        # The same articles and options: not tried again, nothing reported as failed.
        two = run_pipeline(store, _options([pages], None, max_words=1))
        assert two.failures == [] and two.drafts_published + two.drafts_held == 0
        assert any("not tried again" in note for note in two.notes)
        assert store.stories_needing_draft() == [story]

        # A new article of the story: tried again (and fails again, reported).
        write_docs(pages, cluster_docs(0, texts, 2, 3, start))
        three = run_pipeline(store, _options([pages], None, max_words=1))
        assert [(s, stage) for s, stage, _ in three.failures] == [(story, "write")]
        assert not any("not tried again" in note for note in three.notes)

        # Other options: written.
        four = run_pipeline(store, _options([pages], None))
        assert four.failures == [] and four.drafts_published + four.drafts_held == 1
        assert store.stories_needing_draft() == []


def test_feed_unchanged_answers_304_and_known_pages_are_not_fetched_again(tmp_path: Path) -> None:
    server = NewsServer()
    server.add(_story_docs(2, 2) + single_docs(2))
    with server.running(), open_store(tmp_path / "s.db") as store:
        feed = f"{server.base}/feed.xml"
        one = run_pipeline(store, _options([feed], tmp_path / "site"))
        assert one.failures == []
        assert (one.pages_read, one.articles_new) == (6, 6)
        assert server.page_hits() == 6
        assert store.get_http_cache(feed) is not None

        two = run_pipeline(store, _options([feed], tmp_path / "site"))
        assert ("/feed.xml", 304) in server.statuses
        assert server.page_hits() == 6  # not one page fetched again
        assert (two.pages_read, two.articles_new, two.stories_new) == (0, 0, 0)

        # The feed gains one entry: only that page is fetched.
        new = _story_docs(1, 1, first_cluster=5)
        server.add(new)
        three = run_pipeline(store, _options([feed], tmp_path / "site"))
        assert server.page_hits() == 7
        assert server.hits[f"/pages/{new[0].name}"] == 1
        assert (three.pages_read, three.articles_new, three.stories_new) == (1, 1, 1)


def test_dead_feeds_bad_pages_and_refused_servers_are_reported_and_the_run_goes_on(
    tmp_path: Path,
) -> None:
    pages = write_docs(tmp_path / "pages", _story_docs(1, 2))
    (pages / "empty.html").write_bytes(b"")
    (pages / "binary.html").write_bytes(bytes(range(256)) * 40)
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        refused = f"http://127.0.0.1:{sock.getsockname()[1]}/rss.xml"
    server = NewsServer()
    server.add(single_docs(1))
    with server.running(), open_store(tmp_path / "s.db") as store:
        sources = [f"{server.base}/dead.xml", refused, pages, f"{server.base}/feed.xml"]
        summary = run_pipeline(store, _options(sources, tmp_path / "site"))
        failed = {source for source, _, _ in summary.failures}
        assert f"{server.base}/dead.xml" in failed
        assert refused in failed
        assert str(pages / "empty.html") in failed and str(pages / "binary.html") in failed
        assert all(reason for _, _, reason in summary.failures)
        assert summary.pages_failed == 4
        assert summary.articles_new == 3  # the two story pages and the feed's page
        assert summary.drafts_published + summary.drafts_held >= 2
        stored = {f.source: f for f in store.list_failures(summary.run_id)}
        assert set(stored) == failed
        assert "500" in stored[f"{server.base}/dead.xml"].reason
        run = store.get_run(summary.run_id)
        assert run is not None and run.status == "ok" and run.stats["pages_failed"] == 4


def test_since_clusters_only_recent_articles(tmp_path: Path) -> None:
    (texts,) = story_clusters(1)
    (old_texts,) = story_clusters(1, skip=5)
    now = base_time()
    recent = cluster_docs(0, texts, 0, 2, now)
    old = cluster_docs(5, old_texts, 0, 2, now - timedelta(days=30))
    pages = write_docs(tmp_path / "pages", recent + old)
    with open_store(tmp_path / "s.db") as store:
        one = run_pipeline(store, _options([pages], None, since=timedelta(days=7)))
        assert one.articles_new == 4
        clustered = {
            a.url for s in store.list_stories(limit=None) for a in store.story_articles(s.id)
        }
        assert clustered == {d.url for d in recent}
        assert len(store.unclustered_article_ids()) == 2
        # Without the window the older ones are clustered too (and nothing is read again).
        two = run_pipeline(store, _options([pages], None))
        assert two.pages_read == 0 and two.stories_new >= 1
        assert store.unclustered_article_ids() == []


def test_held_drafts_are_not_published_and_stale_story_files_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsdesk.verify as verify

    pages = write_docs(tmp_path / "pages", [*_story_docs(2, 2), seed_doc()])
    held_url = "https://site0.example/news/story-1-0"
    real = verify.verify_draft

    def failing_one(draft: Draft, articles: Sequence[Article]) -> Report:
        report = real(draft, articles)
        if any(a.url == held_url for a in articles):
            lead = " ".join(s.text for s in draft.lead)
            problem = Problem("unsupported", lead, "test: marked unsupported")
            return replace(report, passed=False, problems=(*report.problems, problem))
        return report

    monkeypatch.setattr(verify, "verify_draft", failing_one)
    out = tmp_path / "site"
    (out / "stories").mkdir(parents=True)
    (out / "stories" / "gone-story.html").write_text("old")
    (out / "stories" / "notes.txt").write_text("mine")
    with open_store(tmp_path / "s.db") as store:
        summary = run_pipeline(store, _options([pages], out))
        held = _story_of_url(store, held_url)
        assert held is not None
        assert summary.drafts_held == 1 and summary.drafts_published >= 2
        published = {d.story_id for d in store.list_drafts(status="published")}
        assert held not in published
        assert store.get_draft(held).status == "held"  # type: ignore[union-attr]
    assert (out / "index.html").is_file() and (out / "feed.atom").is_file()
    for story_id in published:
        for ext in ("json", "md", "html"):
            assert (out / "stories" / f"{story_id}.{ext}").is_file()
    stems = {p.name.split(".")[0] for p in (out / "stories").iterdir()}
    assert held not in stems and "gone-story" not in stems
    assert (out / "stories" / "notes.txt").read_text() == "mine"
    index = (out / "index.html").read_text(encoding="utf-8")
    feed = (out / "feed.atom").read_text(encoding="utf-8")
    for story_id in published:
        assert story_id in index and story_id in feed
    assert held not in index and held not in feed
    assert json.loads((out / "stories" / f"{sorted(published)[0]}.json").read_text())["story_id"]


class _ScriptedClusterer:
    """Stands in for StoryClusterer: B is created, then merged into the older A in the
    same batch (as ``_merge_close`` does when a third article bridges two stories)."""

    def __init__(self, config: ClusterConfig | None = None) -> None:
        self.config = config or ClusterConfig()  # what the pipeline reads articles under
        self.seen: list[str] = []
        self.aliases: dict[str, str] = {}
        self.changes: list[Story] = []
        self.merges: list[tuple[str, str]] = []

    def add(self, article: Article, prepared: object = None) -> None:
        self.seen.append(article.id)
        ids = tuple(self.seen)
        if len(ids) == 1:
            self.changes = [Story("A", ids, "a")]
        elif len(ids) == 2:
            self.changes = [Story("B", ids[1:], "b")]
        else:
            self.aliases["B"] = "A"
            self.changes, self.merges = [Story("A", ids, "a", aliases=("B",))], [("A", "B")]

    def take_changes(self) -> tuple[list[Story], list[tuple[str, str]]]:
        out = (self.changes, self.merges)
        self.changes, self.merges = [], []
        return out

    def resolve(self, story_id: str) -> str:
        return self.aliases.get(story_id, story_id)

    def to_state(self) -> bytes:
        return b"scripted"


def test_a_story_merged_away_within_a_batch_does_not_replace_its_survivor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsdesk.pipeline import clustering

    monkeypatch.setattr(clustering, "StoryClusterer", _ScriptedClusterer)
    pages = write_docs(tmp_path / "pages", _story_docs(1, 3))
    with open_store(tmp_path / "s.db") as store:
        summary = run_pipeline(store, _options([pages], None))
        stories = store.list_stories(limit=None)
        assert [s.id for s in stories] == ["A"]
        assert len(stories[0].article_ids) == 3
        assert store.resolve_story_id("B") == "A"
        assert (summary.stories_new, summary.stories_updated) == (1, 0)


def test_an_article_the_clusterer_fails_on_is_reported_and_clustered_on_a_later_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsdesk.pipeline import clustering

    docs = _story_docs(2, 2)
    bad_url = docs[1].url
    real_add = clustering.StoryClusterer.add

    def add(self: object, article: Article, *args: object, **kwargs: object) -> object:
        if article.url == bad_url:
            raise RuntimeError("test: clusterer bug")
        return real_add(self, article, *args, **kwargs)  # type: ignore[arg-type]

    pages = write_docs(tmp_path / "pages", docs)
    with open_store(tmp_path / "s.db") as store:
        monkeypatch.setattr(clustering.StoryClusterer, "add", add)
        one = run_pipeline(store, _options([pages], None))
        assert one.failures == [
            (bad_url, "cluster", "unexpected RuntimeError: test: clusterer bug")
        ]
        assert one.pages_failed == 0 and one.stories_new >= 2
        assert len(store.unclustered_article_ids()) == 1
        monkeypatch.setattr(clustering.StoryClusterer, "add", real_add)
        two = run_pipeline(store, _options([pages], None))
        assert two.failures == [] and store.unclustered_article_ids() == []
        assert two.stories_new + two.stories_updated == 1


def test_a_site_folder_that_cannot_be_written_is_reported_and_the_store_keeps_the_drafts(
    tmp_path: Path,
) -> None:
    pages = write_docs(tmp_path / "pages", single_docs(2))
    out = tmp_path / "taken"
    out.write_text("a file, not a folder")
    with open_store(tmp_path / "s.db") as store:
        summary = run_pipeline(store, _options([pages], out))
        assert [(s, st) for s, st, _ in summary.failures] == [(str(out), "publish")]
        assert "cannot write the site" in summary.failures[0][2]
        assert len(store.list_drafts()) == 2


def test_the_local_executor_keeps_input_order_on_threads() -> None:
    items = list(range(40))
    assert list(LocalExecutor(threads=4).map(lambda n: n * n, items)) == [n * n for n in items]
    assert list(LocalExecutor().map(str, items)) == [str(n) for n in items]


def test_a_clusterer_state_that_cannot_be_read_is_rebuilt_from_the_store(tmp_path: Path) -> None:
    from newsdesk.pipeline.clustering import STATE_KEY

    start = base_time()
    (texts,) = story_clusters(1)
    pages = write_docs(tmp_path / "pages", cluster_docs(0, texts, 0, 2, start))
    with open_store(tmp_path / "s.db") as store:
        run_pipeline(store, _options([pages], None))
        (story,) = store.list_stories(limit=None)
        store.set_state(STATE_KEY, b"written by some other version")
        write_docs(pages, cluster_docs(0, texts, 2, 3, start))
        summary = run_pipeline(store, _options([pages], None))
        assert summary.failures == []
        assert any("clusterer state unreadable" in note for note in summary.notes)
        assert (summary.stories_new, summary.stories_updated) == (0, 1)
        assert len(store.story_articles(story.id)) == 3
        assert store.get_state(STATE_KEY) != b"written by some other version"


def test_a_page_that_changed_updates_its_article_and_its_story_is_rewritten(
    tmp_path: Path,
) -> None:
    start = base_time()
    (texts,) = story_clusters(1)
    docs = cluster_docs(0, texts, 0, 2, start)
    pages = write_docs(tmp_path / "pages", [*docs, *single_docs(2)])
    with open_store(tmp_path / "s.db") as store:
        run_pipeline(store, _options([pages], None))
        story = _story_of_url(store, docs[0].url)
        assert story is not None
        before = {d.story_id: d for d in store.list_drafts()}

        correction = "Correction: an earlier version of this article misstated the date."
        changed = texts[0] + "\n\n" + correction
        write_docs(pages, [replace(docs[0], body=html_page(changed, docs[0].url, start))])
        summary = run_pipeline(store, _options([pages], None))
        assert (summary.pages_read, summary.articles_new, summary.articles_updated) == (1, 0, 1)
        assert summary.drafts_published + summary.drafts_held == 1
        (article,) = [a for a in store.story_articles(story) if a.url == docs[0].url]
        assert article.paragraphs[-1] == correction
        after = {d.story_id: d for d in store.list_drafts()}
        assert after[story].updated_at > before[story].updated_at
        assert after[story].story_signature == store.story_signature(story)
        assert store.stories_needing_draft() == []
        for other in set(before) - {story}:
            assert after[other].to_dict() == before[other].to_dict()


def test_a_run_that_dies_after_reading_a_feed_reads_its_unsaved_pages_next_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = NewsServer()
    docs = _story_docs(2, 2) + single_docs(2)
    server.add(docs)
    with server.running(), open_store(tmp_path / "s.db") as store:
        feed = f"{server.base}/feed.xml"
        real_add_pages = store.add_pages
        calls = 0

        def dying_add_pages(*args: object, **kwargs: object) -> None:
            nonlocal calls
            calls += 1
            if calls == 3:  # as if killed while storing the third page (each stored as read)
                raise SystemExit("killed")
            real_add_pages(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(store, "add_pages", dying_add_pages)
        with pytest.raises(SystemExit):
            run_pipeline(store, _options([feed], None))
        monkeypatch.setattr(store, "add_pages", real_add_pages)
        assert store.count_articles() == 2

        summary = run_pipeline(store, _options([feed], None))
        assert summary.failures == []
        assert store.count_articles() == len(docs)
        assert summary.pages_read == len(docs) - 2
        # Only the pages not stored were fetched again.
        assert server.page_hits() == len(docs) + len(docs) - 2
        assert server.hits["/feed.xml"] == 2
        assert run_pipeline(store, _options([feed], None)).pages_read == 0
        assert ("/feed.xml", 304) in server.statuses


def test_batches_grow_with_the_articles_clustered_and_change_no_story(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsdesk.pipeline import clustering

    assert [len(b) for b in clustering.growing_batches(list(range(11)), 2)] == [2, 2, 4, 3]
    assert [n for b in clustering.growing_batches(list(range(11)), 2) for n in b] == list(range(11))
    assert list(clustering.growing_batches([], 2)) == []

    pages = write_docs(tmp_path / "pages", _story_docs(3, 3) + single_docs(4))
    saved: dict[int, list[int]] = {}  # first batch's size: articles left at each state saved
    real_set_state = Store.set_state

    def set_state(self: Store, key: str, value: bytes | str) -> None:
        if key == clustering.STATE_KEY:
            saved.setdefault(clustering.BATCH, []).append(len(self.unclustered_article_ids()))
        real_set_state(self, key, value)

    monkeypatch.setattr(Store, "set_state", set_state)
    stored = []
    for first in (1, 1000):  # a transaction after 1, 1, 2, 4... articles, or one for all
        monkeypatch.setattr(clustering, "BATCH", first)
        with open_store(tmp_path / f"s{first}.db") as store:
            run_pipeline(store, _options([pages], None))
            stored.append(
                sorted((s.id, s.article_ids, s.aliases) for s in store.list_stories(limit=None))
            )
    # the state lands with each batch's stories: 13 articles in batches of 1, 1, 2, 4, 5
    assert saved == {1: [12, 11, 9, 5, 0], 1000: [0]}
    assert stored[0] == stored[1]


def test_terms_read_ahead_on_worker_processes_make_the_same_stories(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With two workers, worker processes read the articles' terms and MinHashes ahead of
    the clusterer: the stories, their members and the clusterer's state are those of a
    run on one process."""
    from newsdesk.pipeline import blocks

    pages = write_docs(tmp_path / "pages", _story_docs(25, 3) + single_docs(10))
    dumps = []
    for workers in ("1", "2"):
        monkeypatch.setenv("NEWSDESK_WORKERS", workers)
        with open_store(tmp_path / f"w{workers}.db") as store:
            summary = run_pipeline(store, _options([pages], None))
            assert summary.workers == int(workers)
            dumps.append(canonical_dump(store))
    assert dumps[0]["stories"] == dumps[1]["stories"]
    assert dumps[0] == dumps[1]
    # and the worker processes did read them: the clusterer got every article prepared
    prepared: list[bool] = []
    real_batch = blocks.cluster_batch

    def cluster_batch(clusterer, articles, prepared_ahead=None):  # type: ignore[no-untyped-def]
        prepared.append(prepared_ahead is not None)
        return real_batch(clusterer, articles, prepared_ahead)

    from newsdesk.pipeline import clustering

    monkeypatch.setattr(clustering, "cluster_batch", cluster_batch)
    with open_store(tmp_path / "w2-again.db") as store:
        run_pipeline(store, _options([pages], None))
    assert prepared and all(prepared)


@pytest.mark.parametrize("workers", ["1", "2"])
def test_the_write_stage_reads_no_article_again_for_earlier_coverage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: str
) -> None:
    """Each article's terms are read once a run: the earlier-coverage finder takes the
    clusterer's reading, on worker processes or in this one, and reads none itself."""
    from newsdesk.cluster import related

    read_again: list[str] = []
    compared: list[str] = []
    real_doc, real_articles = related._doc, related.CoverageFinder._articles

    def doc(article: Article, lead_words: int, language: str | None = None) -> object:
        read_again.append(article.id)
        return real_doc(article, lead_words, language)

    def articles(self, ids, fallback=None, guess=True):  # type: ignore[no-untyped-def]
        found = real_articles(self, ids, fallback, guess)
        compared.extend(a.id for a, _ in found)
        return found

    monkeypatch.setattr(related, "_doc", doc)
    monkeypatch.setattr(related.CoverageFinder, "_articles", articles)
    monkeypatch.setenv("NEWSDESK_WORKERS", workers)
    pages = write_docs(tmp_path / "pages", _story_docs(6, 3) + single_docs(6))
    with open_store(tmp_path / "run.db") as store:
        summary = run_pipeline(store, _options([pages], None))
    assert summary.workers == int(workers)
    assert compared  # earlier stories were looked at...
    assert read_again == []  # ...with the terms the clusterer had read


def test_unchanged_files_are_skipped_unread_and_changed_ones_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A re-run over files checks each one's modification time and size against what the
    run that read it recorded (rsync's quick check) and reads only those that moved."""
    import os
    import time

    import newsdesk.pipeline.run as run_module

    pages = write_docs(tmp_path / "pages", single_docs(3))
    past = time.time() - 3600
    for page in pages.iterdir():
        os.utime(page, (past, past))
    first, second, third = sorted(pages.iterdir())
    reads: list[str] = []
    real_read = run_module.read_file

    def counted_read(path: Path, max_bytes: int | None = None):  # type: ignore[no-untyped-def]
        reads.append(path.name)
        return real_read(path, max_bytes)

    monkeypatch.setattr(run_module, "read_file", counted_read)

    def rerun() -> tuple[int, int, list[str]]:
        reads.clear()
        summary = run_pipeline(store, _options([pages], None))
        return summary.pages_read, summary.pages_unchanged, sorted(reads)

    with open_store(tmp_path / "s.db") as store:
        assert rerun() == (3, 0, sorted(p.name for p in (first, second, third)))
        assert rerun() == (0, 3, [])  # nothing moved: nothing read
        # Touched (a checkout, a copy): the same bytes at a new time are read once, found
        # unchanged, and their new time kept, so the next run reads nothing again.
        os.utime(first, (past + 60, past + 60))
        assert rerun() == (0, 3, [first.name])
        assert rerun() == (0, 3, [])
        # Changed, the same size, at a new time: read and taken.
        body = second.read_bytes()
        at = body.index(b"<p>") + 3
        second.write_bytes(
            body[:at] + (b"Y" if body[at : at + 1] != b"Y" else b"Z") + body[at + 1 :]
        )
        os.utime(second, (past + 120, past + 120))
        assert rerun() == (1, 2, [second.name])
        # Written a moment ago, it may change again within the same tick of the file
        # system's clock: it is read (and its bytes compared) until it is older.
        third.write_bytes(third.read_bytes())
        assert rerun() == (0, 3, [third.name])
        assert rerun() == (0, 3, [third.name])
