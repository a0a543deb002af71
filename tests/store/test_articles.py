"""Articles: idempotent writes on Article.id, lookups in the order asked, iteration."""

from __future__ import annotations

import dataclasses

from newsdesk.store import Store
from newsdesk.store import schema as t
from newsdesk.store.times import now_iso
from tests.store.conftest import rows
from tests.store.data import small_articles, uci_sample


def test_same_article_twice_is_one_row_and_changes_nothing(store: Store) -> None:
    articles = [a for a, _ in uci_sample(40)]
    assert store.add_articles(articles) == len({a.id for a in articles})
    before = rows(store, t.articles)
    # Again, the whole batch and one by one: nothing new, no row touched (not even its time).
    assert store.add_articles(articles) == 0
    assert not any(store.add_article(a) for a in articles[:5])
    assert rows(store, t.articles) == before
    assert store.count_articles() == len(before) == len({a.id for a in articles})


def test_duplicates_inside_one_batch_count_once(store: Store) -> None:
    first = small_articles()[0]
    assert store.add_articles([first, first, first]) == 1
    assert store.count_articles() == 1


def test_existing_article_ids_names_the_stored_ones_only(store: Store) -> None:
    articles = [a for a, _ in uci_sample(600)]  # more ids than one IN list holds
    stored = articles[::2]
    store.add_articles(stored)
    asked = [a.id for a in articles] + ["never-stored", articles[0].id]
    assert store.existing_article_ids(asked) == {a.id for a in stored}
    assert store.existing_article_ids([]) == set()


def test_replace_overwrites_fields(store: Store) -> None:
    article = small_articles()[0]
    assert store.add_article(article) is True
    changed = dataclasses.replace(article, title="Talks resume in Bamako (updated)")
    assert store.add_article(changed) is False
    assert store.get_article(article.id) == article  # the first version is kept
    assert store.add_articles([changed], replace=True) == 0
    assert store.get_article(article.id) == changed


def test_round_trip_and_lookup_order(store: Store) -> None:
    articles = small_articles()
    store.add_articles(articles)
    for article in articles:
        assert store.get_article(article.id) == article
    wanted = [articles[2].id, "missing", articles[0].id]
    assert store.get_articles(wanted) == [articles[2], articles[0]]
    assert store.get_article("missing") is None


def test_iter_articles_reads_everything_and_what_is_new(store: Store) -> None:
    articles = [a for a, _ in uci_sample(700)]  # more than one read page (500 rows)
    first, second = articles[:300], articles[300:]
    store.add_articles(first)
    cursor = now_iso()
    store.add_articles(second)
    assert sorted(a.id for a in store.iter_articles()) == sorted({a.id for a in articles})
    only_new = {a.id for a in second} - {a.id for a in first}
    assert {a.id for a in store.iter_articles(since=cursor)} == only_new
