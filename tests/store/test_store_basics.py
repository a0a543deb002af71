"""Opening stores, engine settings, pages, the HTTP cache, opaque state, runs and failures."""

from __future__ import annotations

import hashlib

import pytest

from newsdesk.model import Page
from newsdesk.store import HttpCacheEntry, PageState, Store, StoreError, open_store
from newsdesk.store.urls import store_url
from tests.store.conftest import Target, Targets, require_postgres


def test_urls_map_to_engines(tmp_path, monkeypatch) -> None:
    assert store_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert store_url("postgres://u@h/db").drivername == "postgresql+psycopg"
    assert store_url(str(tmp_path / "x.db")).database == str(tmp_path / "x.db")
    monkeypatch.delenv("NEWSDESK_STORE", raising=False)
    monkeypatch.chdir(tmp_path)
    with open_store(None) as store:
        store.set_state("here", "yes")
    assert (tmp_path / "newsdesk.db").is_file()
    with pytest.raises(StoreError, match="unsupported database"):
        store_url("mysql://u@h/db")


def test_unreachable_server_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="cannot open the store"):
        Store("postgresql://postgres@127.0.0.1:1/test")


def test_a_file_that_is_no_database_is_a_store_error(tmp_path) -> None:
    not_a_db = tmp_path / "notes.txt"
    not_a_db.write_text("these are notes, not a database\n" * 100)
    with pytest.raises(StoreError, match="cannot open the store"):
        Store(str(not_a_db))
    with pytest.raises(StoreError, match="no folder"):
        Store(str(tmp_path / "missing" / "x.db"))


def test_in_memory_store_for_one_off_use() -> None:
    with Store(":memory:") as store:
        store.set_state("k", "v")
        with store.transaction():
            store.set_http_cache("u", "e", None)
        assert (store.get_state("k"), store.get_http_cache("u")) == ("v", ("e", None))


def test_stats_count_rows(store: Store) -> None:
    store.start_run("r")
    store.record_failure("s", "extract", "why", run_id="r")
    stats = store.stats()
    assert stats["runs"] == 1 and stats["failures"] == 1
    assert stats["articles"] == stats["stories"] == stats["drafts_published"] == 0


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path) -> None:
    with Store(str(tmp_path / "s.db")) as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_http_cache_round_trip(store: Store) -> None:
    url = "https://example.org/feed.xml"
    assert store.get_http_cache(url) is None
    store.set_http_cache(url, '"abc"', "Sat, 21 Nov 2026 10:00:00 GMT")
    assert store.get_http_cache(url) == HttpCacheEntry('"abc"', "Sat, 21 Nov 2026 10:00:00 GMT")
    store.set_http_cache(url, None, "Sun, 22 Nov 2026 10:00:00 GMT")
    assert store.get_http_cache(url) == (None, "Sun, 22 Nov 2026 10:00:00 GMT")


def test_page_state_by_source_or_url(store: Store) -> None:
    page = Page(
        source="/data/pages/0001.html",
        content=b"<html>hello</html>",
        url="https://Example.org/a/story.html?utm_source=x",
        headers={"ETag": 'W/"1"', "last-modified": "Sat, 21 Nov 2026 10:00:00 GMT"},
    )
    assert store.get_page_state(page.source) is None
    store.add_page(page, "failed", reason="no article")
    store.add_page(page, "extracted", article_id="abc")
    state = store.get_page_state(page.source)
    assert state == PageState(
        status="extracted",
        etag='W/"1"',
        last_modified="Sat, 21 Nov 2026 10:00:00 GMT",
        content_hash=hashlib.sha1(page.content).hexdigest(),
        article_id="abc",
    )
    # Found by the page's URL too, in its canonical form.
    assert store.get_page_state("https://example.org/a/story.html") == state


def test_page_states_of_many_sources_at_once(store: Store) -> None:
    pages = [Page(source=f"/data/pages/{n:04d}.txt", content=b"text %d" % n) for n in range(1200)]
    with store.transaction():
        for n, page in enumerate(pages):
            if n % 3:  # every third page never recorded
                store.add_page(page, "extracted", article_id=f"a{n}")
    states = store.get_page_states([p.source for p in pages] + ["/elsewhere.txt"])
    assert set(states) == {p.source for n, p in enumerate(pages) if n % 3}
    for source, state in states.items():
        assert state == store.get_page_state(source)


def test_new_validators_are_kept_for_pages_already_recorded(store: Store) -> None:
    pages = [Page(source=f"/data/pages/{n}.html", content=b"page %d" % n) for n in range(3)]
    store.add_pages([(page, "extracted", None, f"a{n}") for n, page in enumerate(pages)])
    store.set_page_etags({pages[0].source: '"a-1"', pages[2].source: '"c-3"', "/nowhere": '"x"'})
    states = store.get_page_states([p.source for p in pages] + ["/nowhere"])
    assert [states[p.source].etag for p in pages] == ['"a-1"', None, '"c-3"']
    assert "/nowhere" not in states  # a validator makes no page
    assert [states[p.source].article_id for p in pages] == ["a0", "a1", "a2"]


def test_pages_added_at_once_are_stored_as_one_at_a_time(store: Store, tmp_path) -> None:
    pages = [
        Page(source=f"/data/pages/{n:04d}.html", content=b"page %d" % n, headers={"ETag": f"{n}"})
        for n in range(300)
    ]
    entries = [
        (
            page,
            "failed" if n % 5 == 0 else "extracted",
            "no article" if n % 5 == 0 else None,
            None if n % 5 == 0 else f"a{n}",
        )
        for n, page in enumerate(pages)
    ]
    # The same page twice in one call: the last entry is kept, as by a later add_page.
    store.add_pages([*entries, (pages[1], "failed", "gone", None)])
    with open_store(tmp_path / "one.db") as one:
        for entry in entries:
            one.add_page(*entry)
        one.add_page(pages[1], "failed", "gone", None)
        sources = [p.source for p in pages]
        assert store.get_page_states(sources) == one.get_page_states(sources)
    assert store.get_page_state(pages[1].source).status == "failed"  # type: ignore[union-attr]
    store.add_pages([])  # nothing to store: no error


def test_page_states_by_url_agree_with_one_page_at_a_time(store: Store) -> None:
    url = "https://example.org/a/story.html"
    older = Page(source="feed-entry-1", content=b"first", url=url)
    newer = Page(source="warc-record-7", content=b"second", url=url + "?utm_source=x")
    other = Page(source="/data/other.txt", content=b"other")
    store.add_page(older, "failed", reason="no article")
    store.add_page(newer, "extracted", article_id="abc")
    store.add_page(other, "extracted", article_id="def")
    asked = [url, "HTTPS://example.org/a/story.html", other.source, "/never/seen.txt"]
    states = store.get_page_states(asked, by_url=True)
    assert states == {s: store.get_page_state(s) for s in asked if store.get_page_state(s)}
    assert states[url].content_hash == hashlib.sha1(b"second").hexdigest()  # the latest
    assert "/never/seen.txt" not in states
    assert url not in store.get_page_states(asked)  # exact sources only, by default


def test_state_keeps_bytes_and_text(store: Store) -> None:
    assert store.get_state("cluster") is None
    store.set_state("cluster", b"\x00\xffstate")
    store.set_state("cursor", "2026-11-22T04:00:00+00:00")
    assert store.get_state("cluster") == b"\x00\xffstate"
    assert store.get_state("cursor") == "2026-11-22T04:00:00+00:00"
    store.set_state("cluster", "now text")
    assert store.get_state("cluster") == "now text"
    store.delete_state("cluster")
    assert store.get_state("cluster") is None


def test_runs_and_failures(store: Store) -> None:
    run = store.start_run("run-1")
    store.record_failure("/p/1.html", "extract", "empty page", run_id=run)
    store.record_failure("/p/1.html", "extract", "empty page (again)", run_id=run)
    store.record_failure("/p/2.html", "write", "no sentences", run_id=run)
    store.record_failure("https://x.org/feed", "ingest", "timeout")
    assert store.start_run("run-1") == "run-1"  # a restarted run keeps its id
    store.finish_run(run, "failed", {"pages": 2, "failed": 2})
    got = store.get_run(run)
    assert got is not None and got.status == "failed" and got.stats == {"pages": 2, "failed": 2}
    failures = store.list_failures(run)
    assert sorted((f.source, f.stage, f.reason) for f in failures) == [
        ("/p/1.html", "extract", "empty page (again)"),
        ("/p/2.html", "write", "no sentences"),
    ]
    assert len(store.list_failures()) == 3
    assert [r.id for r in store.list_runs()] == ["run-1"]


def test_transaction_is_all_or_nothing(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        store.set_state("a", "1")
        store.set_http_cache("https://x.org/", "e", None)
        raise RuntimeError("killed half way")
    assert store.get_state("a") is None and store.get_http_cache("https://x.org/") is None
    with store.transaction():
        store.set_state("a", "1")
        with store.transaction():  # nested blocks join the outer one
            store.set_state("b", "2")
    assert (store.get_state("a"), store.get_state("b")) == ("1", "2")


def test_reopened_store_sees_writes(target: Target) -> None:
    with target.open() as first:
        first.set_http_cache("u", "e", "l")
    with target.open() as second:
        assert second.get_http_cache("u") == ("e", "l")


def test_postgres_url_options_are_kept_beside_the_schema(tmp_path) -> None:
    require_postgres()
    targets = Targets("postgresql", tmp_path)
    target = targets.new()
    try:
        url = "postgresql://postgres@127.0.0.1:5432/test?options=-cstatement_timeout%3D12345"
        with Store(url, schema=target.schema) as store, store.engine.connect() as conn:
            assert conn.exec_driver_sql("SHOW statement_timeout").scalar() == "12345ms"
            assert conn.exec_driver_sql("SELECT current_schema()").scalar() == target.schema
    finally:
        targets.cleanup()
