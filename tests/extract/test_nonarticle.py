"""Pages that are not articles are refused with a reason; short real news briefs are not.

The non-article pages and the briefs in tests/data/nonarticle/ were written for these
tests (HTML and flattened text, several languages): soft 404s, browser and cookie notices,
sign-in walls, a social site's feature notice, a web archive's crawl notice and a video
player's messages. The Multi-News rows are read in place from the shared benchmark data.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdesk import extract
from newsdesk.cli import app
from newsdesk.errors import ExtractionError
from newsdesk.extract.nonarticle import PageSignals, non_article_reason
from newsdesk.pipeline import RunOptions, run_pipeline
from newsdesk.store import open_store
from tests.conftest import BENCH, lazy_patterns_compiled

DATA = Path(__file__).resolve().parents[1] / "data" / "nonarticle"
BRIEFS = DATA / "briefs"
# A fixture's name starts with its kind; the reason must name that kind.
KINDS = {
    "error": "the page is an error page",
    "browser": "the page is a browser notice",
    "cookies": "the page is a cookie or consent notice",
    "wall": "the page is a sign-in or subscription wall",
    "feature": "the page is a notice about the site's features",
    "archive": "the page is a web archive's crawl notice",
    "video": "the page holds only a video player's messages",
}
NON_ARTICLES = sorted(p for p in DATA.iterdir() if p.is_file())
MULTINEWS = BENCH / "clustering" / "multinews-longbench-pooled" / "articles.jsonl"
# The furniture rows the Multi-News pool fed to clustering as articles.
MULTINEWS_FURNITURE = (
    "Tweet with a location",
    "These crawls are part of an effort",
    "Sorry, the page you requested was not found",
    "We've detected that JavaScript is disabled",
)


def _plain(text: str) -> str:
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def test_every_kind_has_html_and_text_pages() -> None:
    for kind in KINDS:
        suffixes = {p.suffix for p in NON_ARTICLES if p.name.startswith(kind + "_")}
        assert suffixes == {".html", ".txt"}, kind
    assert {p.name.split("_")[0] for p in NON_ARTICLES} == set(KINDS)


@pytest.mark.parametrize("path", NON_ARTICLES, ids=lambda p: p.name)
def test_non_article_page_is_refused_with_its_kind(path: Path) -> None:
    kind = KINDS[path.name.split("_")[0]]
    fmt = "html" if path.suffix == ".html" else "text"
    for input_format in ("auto", fmt):
        with pytest.raises(ExtractionError) as caught:
            extract(path.read_bytes(), input_format=input_format)  # type: ignore[arg-type]
        reason = str(caught.value)
        assert reason.startswith(f"no article: {kind} ('"), reason
        # The reason quotes what it saw, taken from the page itself.
        quoted = reason.split(" ('", 1)[1].removesuffix("')").removesuffix("…")
        assert quoted and quoted in _plain(path.read_text(encoding="utf-8")), reason


def _brief(path: Path) -> tuple[str, list[str]]:
    title, *paragraphs = [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n")]
    return title, [p for p in paragraphs if p]


def _brief_html(title: str, paragraphs: list[str]) -> str:
    """A news site's page around a brief: menu, cookie banner, share links, footer."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{title} | Example News</title><meta property='og:type' content='article'>"
        "</head><body><nav><a href='/'>Home</a> <a href='/news'>News</a> "
        "<a href='/sport'>Sport</a></nav>"
        "<div class='cookie-banner'><p>We use cookies to improve your experience. "
        "<button>Accept all cookies</button></p></div>"
        f"<article><h1>{title}</h1>{body}"
        "<div class='share'><a href='#'>Share on Twitter</a> <a href='#'>Email this story</a>"
        "</div></article><footer>© Example News. All rights reserved.</footer></body></html>"
    )


BRIEF_FILES = sorted(BRIEFS.glob("*.txt"))


@pytest.mark.parametrize("path", BRIEF_FILES, ids=lambda p: p.name)
def test_short_news_brief_passes_as_text_and_html(path: Path) -> None:
    title, paragraphs = _brief(path)
    words = len(" ".join(paragraphs).split())
    assert 40 <= words <= 120, words  # a brief, short enough to be examined
    as_text = extract(path.read_bytes())
    assert as_text.input_format == "text"
    assert as_text.title == title
    assert as_text.paragraphs[0] == paragraphs[0]
    as_html = extract(_brief_html(title, paragraphs))
    assert as_html.input_format == "html"
    assert as_html.title == title
    assert list(as_html.paragraphs) == paragraphs


def test_briefs_that_mention_cookies_twitter_archives_or_a_missing_page_pass() -> None:
    # The briefs use the words the non-article pages use; the check must read more than words.
    texts = {p.stem: p.read_text(encoding="utf-8").lower() for p in BRIEF_FILES}
    assert "cookies" in texts["cookies_fine"] and "consent" in texts["cookies_fine"]
    assert "twitter" in texts["twitter_marathon"]
    assert (
        "wayback machine" in texts["archive_milestone"] and "crawls" in texts["archive_milestone"]
    )
    assert "page not found" in texts["website_outage"]
    for path in BRIEF_FILES:
        extract(path.read_bytes())  # raises if refused


@pytest.mark.parametrize(
    "headline", ["Page not found: tax website down for a day", "500 jobs to go at car plant"]
)
def test_a_headline_with_an_error_phrase_or_status_number_is_not_an_error_page(
    headline: str,
) -> None:
    _, paragraphs = _brief(BRIEFS / "website_outage.txt")
    article = extract(_brief_html(headline, paragraphs))
    assert article.title == headline
    assert list(article.paragraphs) == paragraphs


def test_a_number_in_a_title_is_not_a_status_code() -> None:
    plain = ["The plant in Marlow will close its paint shop in the spring of next year."]
    for title in ("500 jobs to go at car plant | Example News", "404 new homes approved"):
        assert non_article_reason(plain, title, PageSignals(title=title)) is None
    for title in ("404 | Example News", "500 Internal Server Error", "Error 503"):
        assert non_article_reason(plain, "", PageSignals(title=title)) is not None


def test_a_status_title_over_a_short_text_is_an_error_page() -> None:
    page = (
        "<html><head><title>Error 404 | Example News</title></head><body>"
        "<div><p>The story you followed is gone, but there is plenty more to read on "
        "our front page, from local sport to the weather for the weekend ahead.</p></div>"
        "</body></html>"
    )
    with pytest.raises(ExtractionError, match=r"error page \('Error 404 \| Example News'\)"):
        extract(page)


def test_the_check_is_only_for_short_texts() -> None:
    notice = "We use cookies to improve your experience. Accept all cookies to continue."
    assert non_article_reason([notice]) is not None
    reporting = [
        "The council approved the new budget on Tuesday after a long debate about schools, "
        "roads and the cost of public transport in the city, the mayor said."
    ] * 12
    # The same notice inside a real article's text leaves it an article.
    assert non_article_reason([*reporting, notice]) is None
    # An error title over a long text is read on its own merits (a long text is no 404).
    assert non_article_reason(reporting, signals=PageSignals(title="404 Not Found")) is None
    assert non_article_reason(reporting[:1], signals=PageSignals(title="404 Not Found")) is None


def test_a_page_titled_as_a_sites_front_page_is_no_article() -> None:
    """An institute's home page: its title says so, and a calendar teaser is its text."""
    teaser = ["What's Next 25 August Celebrate Uruguay Independence Day 2 September Maj."]
    home = "Western Hemisphere Institute for Security Cooperation Home Page"
    reason = non_article_reason(teaser, home, PageSignals(title=home))
    assert reason is not None and reason.startswith("a site's front page")
    for title in ("Accueil", "Startseite", "Example News - Home"):
        assert non_article_reason(teaser, title, PageSignals(title=title)) is not None
    # A date or og:type "article" says it is an article; so does a headline of its own.
    assert non_article_reason(teaser, home, PageSignals(title=home, dated=True)) is None
    assert non_article_reason(teaser, home, PageSignals(title=home, og_type="article")) is None
    assert non_article_reason(teaser, "Uruguay marks its day", PageSignals(title=home)) is None
    # "Home" that is a word of the headline is no front page.
    for title in ("Home secretary resigns over leaked memo", "Homeowners face higher rates"):
        assert non_article_reason(teaser, title, PageSignals(title=title)) is None
    # A long text under such a title is a real article on a site that titles pages so.
    reporting = [
        "The council approved the new budget on Tuesday after a long debate about schools, "
        "roads and the cost of public transport in the city, the mayor said."
    ] * 12
    assert non_article_reason(reporting, home, PageSignals(title=home)) is None


def test_og_type_moves_the_bar() -> None:
    # Half furniture, half plain prose: a non-article og:type tips it, "article" does not.
    text = [
        "You can manage your notifications and your settings from the menu above.",
        "The river rose two metres overnight and the old bridge is closed to traffic.",
    ]
    assert non_article_reason(text, signals=PageSignals(og_type="article")) is None
    assert non_article_reason(text, signals=PageSignals(og_type="website")) is not None


def test_cli_extract_reports_the_non_article_and_goes_on(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a_soft404.html").write_bytes((DATA / "error_soft404.html").read_bytes())
    (pages / "b_brief.txt").write_bytes((BRIEFS / "police_brief.txt").read_bytes())
    (pages / "c_cookies.txt").write_bytes((DATA / "cookies_wall.txt").read_bytes())
    result = CliRunner().invoke(app, ["extract", str(pages)])
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert "a_soft404.html" in result.stderr and "error page" in result.stderr
    assert "c_cookies.txt" in result.stderr and "cookie or consent notice" in result.stderr
    printed = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert [a["title"] for a in printed] == ["Two hurt as bus hits bridge"]


def test_run_records_non_articles_as_failed_pages_with_their_reason(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    for name in ("error_soft404.html", "browser_js.txt", "video_player.html"):
        (pages / name).write_bytes((DATA / name).read_bytes())
    for name in ("police_brief.txt", "cookies_fine.txt"):
        (pages / name).write_bytes((BRIEFS / name).read_bytes())
    with open_store(tmp_path / "s.db") as store:
        summary = run_pipeline(store, RunOptions([str(pages)], out_dir=None))
        assert summary.articles_new == 2
        assert summary.pages_failed == 3
        stored = {Path(f.source).name: f for f in store.list_failures(summary.run_id)}
        assert set(stored) == {"error_soft404.html", "browser_js.txt", "video_player.html"}
        assert all(f.stage == "extract" for f in stored.values())
        assert stored["error_soft404.html"].reason.startswith("no article: the page is an error")
        assert "browser notice" in stored["browser_js.txt"].reason
        assert "video player's messages" in stored["video_player.html"].reason
        state = store.get_page_state(str(pages / "browser_js.txt"))
        assert state is not None and state.status == "failed"


def test_multinews_furniture_rows_are_refused_and_articles_kept() -> None:
    if not MULTINEWS.exists():
        pytest.skip(f"shared data not found at {MULTINEWS} (../shared is absent on this machine)")
    rows = [json.loads(line) for line in MULTINEWS.read_text(encoding="utf-8").splitlines()]
    furniture = [r for r in rows if r["text"].startswith(MULTINEWS_FURNITURE)]
    others = [r for r in rows if not r["text"].startswith(MULTINEWS_FURNITURE)]
    assert len(furniture) >= len(MULTINEWS_FURNITURE)
    for row in furniture:
        with pytest.raises(ExtractionError, match=r"^no article: the page"):
            extract(row["text"], input_format="text")
    # Rows the data set itself flags as boilerplate (a web archive's stub) go too; one of
    # them carries the stub twice and then a long real list article, which may stay.
    stubs = [r for r in rows if r["boilerplate"] and len(r["text"].split()) < 100]
    assert stubs
    for row in stubs:
        with pytest.raises(ExtractionError, match="no article"):
            extract(row["text"], input_format="text")
    accepted = 0
    for row in others:
        try:
            extract(row["text"], input_format="text")
            accepted += 1
        except ExtractionError:
            pass
    share = accepted / len(others)
    print(
        f"Multi-News: {len(furniture)} furniture rows refused; "
        f"{accepted}/{len(others)} other rows accepted ({share:.1%})"
    )
    assert share >= 0.95, f"only {accepted}/{len(others)} other rows accepted"


def test_a_long_article_compiles_none_of_the_non_article_patterns() -> None:
    # They read only short texts; a run of long articles never pays for compiling them.
    reading = (
        "from newsdesk import extract\n"
        "from newsdesk.extract import nonarticle as n\n"
        "page = '<html lang=en><body><article><h1>Budget passed</h1>' + '<p>' + "
        "'The council approved the budget after a long debate about schools. ' * 40"
        " + '</p></article></body></html>'\n"
        "extract(page.encode())"
    )
    patterns = (
        "[k.phrases for k in n._KINDS] + [n._INSTRUCTION, n._INTERFACE, n._REPORTING,"
        " n._PAGE_WORD, n._ERROR_TITLE]"
    )
    assert lazy_patterns_compiled(reading, patterns) == 0
