from newsdesk.model import Article, Draft, Sentence, article_id


def test_article_id_comes_from_canonical_url():
    a = article_id("https://Example.com/news/a?utm_source=x#top")
    b = article_id("https://example.com/news/a")
    assert a == b
    assert a != article_id("https://example.com/news/b")


def test_article_id_from_content_without_url():
    one = Article.create(url=None, title="T", paragraphs=["Some body text."])
    two = Article.create(url=None, title="T", paragraphs=["Some  body text."])
    assert one.id == two.id
    assert one.id != Article.create(url=None, title="T", paragraphs=["Other."]).id


def test_article_round_trips_through_dict():
    art = Article.create(url="https://x.org/1", title="T", paragraphs=["p1", "p2"], authors=("A",))
    data = art.to_dict()
    assert data["text"] == "p1\n\np2"
    assert Article.from_dict(data) == art


def test_minimal_article_dict_splits_text():
    art = Article.from_dict({"id": "x1", "title": "T", "text": "one\n\ntwo"})
    assert art.paragraphs == ("one", "two")
    assert art.id == "x1"


def test_draft_round_trip():
    s = Sentence("Hello.", ("a1",))
    d = Draft(story_id="s", headline="H", standfirst=(s,), lead=(s,), body=((s, s),), summary=(s,))
    assert Draft.from_dict(d.to_dict()) == d
    assert len(d.sentences()) == 5


def test_written_out_dicts_keep_every_field_in_order():
    """Evidence, Problem and Source write their dicts out (asdict is slow where a site's
    publish compares every story): a field added later must be added there too."""
    from dataclasses import asdict, fields

    from newsdesk.model import Evidence, Problem, Source

    for item in (
        Evidence("a1", "The council met.", 2, 0, 16, 0.75),
        Problem("number", "It cost 5 dollars.", "number '5' is not in the cited source"),
        Source("a1", "https://example.org/a", "Example", "Council meets", "free"),
    ):
        assert item.to_dict() == asdict(item)
        assert list(item.to_dict()) == [f.name for f in fields(item)]
