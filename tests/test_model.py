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
