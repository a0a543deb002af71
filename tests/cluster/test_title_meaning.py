"""Headlines compared by meaning (``ClusterConfig.title_embeddings``, on by default): the
static word-embedding model shipped inside the wordllama package, on real UCI headlines."""

from __future__ import annotations

import socket

import numpy as np

from newsdesk.cluster import ClusterConfig, StoryClusterer, bcubed, cluster_articles
from newsdesk.cluster.embeddings import TITLE_CHARS, TitleEncoder, title_encoder
from newsdesk.model import Article

WITHOUT = ClusterConfig(title_embeddings=False)


def test_title_vectors_are_the_packaged_models_own_and_load_without_network(
    monkeypatch, uci_sample
):
    def no_network(*args, **kwargs):
        raise AssertionError("the title model reached for the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    encoder = TitleEncoder()  # a fresh load, not the process's shared one
    titles = [
        "Fed's Plosser: Taper pace may be too slow",
        "EBay rejects Icahn slate of directors",
        "Путин встретился с премьер-министром",
    ]
    ours = encoder.encode(titles)
    assert ours.shape == (3, 256)
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    for title, row in zip(titles, ours, strict=True):
        assert np.allclose(encoder.encode_one(title), row, atol=1e-6)
    # The package's own reader gives the same vectors (its mean of the token vectors).
    from pathlib import Path

    import wordllama
    from wordllama import WordLlama

    model = WordLlama.load(
        dim=256, cache_dir=Path(wordllama.__file__).parent, disable_download=True
    )
    assert np.allclose(model.embed(titles, norm=True), ours, atol=1e-5)
    # A blank title has no vector: nothing to compare, no division by zero.
    assert encoder.encode_one("") is None
    assert not encoder.encode([""]).any()
    # Word by word from a cache, the tokenizer's ids of whole titles (a test of the reason
    # the cache is right: no merge crosses a space), here on titles in five scripts.
    others = ["Le Conseil d'État annule l'arrêté", "日本の首相が訪米", "Ελλάδα", "a  b\tc"]
    for title in [*titles, *others, *(a.title for a in uci_sample[0])]:
        whole = encoder._tokenizer.encode(" ".join(title.split()), add_special_tokens=False)
        assert encoder._ids(title) == whole.ids, title
    # A "title" of a megabyte is read as far as a headline goes.
    huge = titles[0] + " " + "taper " * 200_000
    assert np.allclose(encoder.encode_one(huge), encoder.encode_one(huge[:TITLE_CHARS]))
    assert np.allclose(encoder.encode([huge])[0], encoder.encode_one(huge), atol=1e-6)


def test_headlines_of_one_event_sharing_a_single_word_join_by_meaning(uci_sample):
    articles, gold = uci_sample
    first = articles[:40]
    titles = {a.id: a.title for a in first}
    # Two headlines on splitting off PayPal, in UCI's story of eBay's fight with Icahn: each
    # shares the one word "eBay" with the story, and no second word.
    assert "PayPal" in titles["uci-47"] and "Paypal" in titles["uci-50"]
    assert gold["uci-47"] == gold["uci-50"] == gold["uci-52"]
    with_meaning = dict(cluster_articles(first))
    words_only = dict(cluster_articles(first, WITHOUT))
    assert with_meaning["uci-47"] == with_meaning["uci-50"] == with_meaning["uci-52"]
    assert words_only["uci-47"] != words_only["uci-52"]
    # The Fed's story next to it takes nothing of eBay's, nor the other way round.
    assert with_meaning["uci-1"] != with_meaning["uci-52"]
    for story in set(with_meaning.values()):
        members = [a for a, s in with_meaning.items() if s == story]
        assert len({gold[a] for a in members}) == 1, [titles[a] for a in members]


def test_meaning_finds_more_of_each_story_and_mixes_no_more(uci_sample):
    articles, gold = uci_sample
    p_meaning, r_meaning, f_meaning = bcubed(dict(cluster_articles(articles)), gold)
    p_words, r_words, f_words = bcubed(dict(cluster_articles(articles, WITHOUT)), gold)
    assert r_meaning >= r_words + 0.02, (r_meaning, r_words)
    assert p_meaning >= p_words - 0.01, (p_meaning, p_words)
    assert f_meaning > f_words


def test_full_articles_and_headlines_in_other_languages_are_read_by_words_alone(
    monkeypatch, uci_sample, multinews_rows
):
    read: list[str] = []
    encoder = title_encoder()
    original = encoder.encode_one

    def counted(text: str):
        read.append(text)
        return original(text)

    monkeypatch.setattr(encoder, "encode_one", counted)
    full = [
        Article(
            id=row["id"],
            url=row.get("url") or "",
            title=row.get("title") or "",
            paragraphs=(row["text"],),
        )
        for row in multinews_rows[:30]
    ]
    foreign = [
        Article(
            id="de-1",
            url="",
            title="Bundesregierung beschließt neues Heizungsgesetz",
            paragraphs=(),
            language="de",
        ),
        Article(
            id="ru-1",
            url="",
            title="Путин встретился с премьер-министром Индии",
            paragraphs=(),
            language="ru",
        ),
    ]
    clusterer = StoryClusterer()
    clusterer.add_many([*full, *foreign])
    assert read == []  # 30 full articles and two headlines not in English: no title read
    clusterer.add(uci_sample[0][0])
    # An English headline is read, then the first titles of the English stories it shares
    # a word with; never the German or the Russian one.
    assert read[0] == uci_sample[0][0].title
    assert not any("Bundesregierung" in text or "Путин" in text for text in read)


def test_a_state_saved_before_the_option_goes_on_by_words_alone(uci_sample):
    import json
    import zlib

    from newsdesk.cluster.persist import saved_config
    from newsdesk.cluster.stream import decode_state

    articles, _ = uci_sample
    clusterer = StoryClusterer(WITHOUT)
    clusterer.add_many(articles[:100])
    state = json.loads(zlib.decompress(clusterer.to_state()))
    del state["config"]["title_embeddings"]  # as a state saved before the option existed
    older = zlib.compress(json.dumps(state).encode("utf-8"))
    resumed = StoryClusterer.from_state(older)
    assert resumed.config == WITHOUT  # not the default of today
    assert saved_config(decode_state(older)) == WITHOUT
    # It goes on as the words-alone clusterer does.
    went_on = [(a.article_id, a.story_id) for a in resumed.add_many(articles[100:300])]
    clusterer_words = StoryClusterer(WITHOUT)
    clusterer_words.add_many(articles[:100])
    expected = [(a.article_id, a.story_id) for a in clusterer_words.add_many(articles[100:300])]
    assert went_on == expected
    # A state of today keeps the option on.
    assert StoryClusterer.from_state(StoryClusterer().to_state()).config.title_embeddings


def test_without_the_model_headlines_are_read_by_words_alone(monkeypatch, caplog, uci_sample):
    from newsdesk.cluster import embeddings

    installed = embeddings.title_model_installed
    assert installed()  # a dependency: here in every install this test runs in
    monkeypatch.setattr(embeddings, "title_model_installed", lambda: False)
    articles, _ = uci_sample
    assert cluster_articles(articles[:200]) == cluster_articles(articles[:200], WITHOUT)
    # The real check, on a path where the package is missing: it says so, once.
    monkeypatch.setattr(embeddings.importlib.util, "find_spec", lambda name: None)
    installed.cache_clear()
    try:
        with caplog.at_level("WARNING"):
            assert not installed() and not installed()
        said = [r.message for r in caplog.records if "wordllama" in r.message]
        assert len(said) == 1 and "words alone" in said[0]
    finally:
        installed.cache_clear()
