"""The story page in headless Chromium: `newsdesk serve` runs for real, a click highlights.

Needs /usr/bin/chromium (``apt-get install chromium``; scripts/test-services.sh does it).
Set NEWSDESK_SKIP_BROWSER=1 to skip these tests on a machine without it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsdesk.publish import publish_site
from tests.publish.samples import HOSTILE_TITLE, hostile_draft, wework_articles, wework_draft

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("NEWSDESK_SKIP_BROWSER") == "1":
        pytest.skip(f"{CHROMIUM} is missing and NEWSDESK_SKIP_BROWSER=1: browser tests skipped")
    pytest.fail(
        f"{CHROMIUM} is missing: install it (apt-get install -y chromium chromium-driver, "
        "or run scripts/test-services.sh), or set NEWSDESK_SKIP_BROWSER=1 to skip browser tests"
    )


@pytest.fixture(autouse=True, scope="module")
def _chromium_present() -> None:
    _require_chromium()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    opened = context.new_page()
    opened.dialogs = []  # every alert/confirm/prompt that fires
    opened.errors = []  # script errors and console errors (CSP violations show there)
    opened.on("dialog", lambda d: (opened.dialogs.append(d.message), d.dismiss()))
    opened.on("pageerror", lambda e: opened.errors.append(str(e)))
    opened.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
    yield opened
    context.close()


def _click_and_check(page, sentence_selector: str) -> list[str]:
    sentence = page.locator(sentence_selector).first
    wanted = sentence.get_attribute("data-passages").split()
    assert wanted, "the sentence should cite at least one source passage"
    sentence.click()
    page.wait_for_selector(".passage.highlight")
    highlighted = page.eval_on_selector_all(".passage.highlight", "els => els.map(e => e.id)")
    assert sorted(highlighted) == sorted(wanted)
    assert "selected" in sentence.get_attribute("class")
    return highlighted


def test_click_sentence_highlights_cited_passage(server: str, page, tmp_path: Path):
    page.goto(server + "/stories/wework-nyag")
    assert page.locator("h1").inner_text() == wework_draft().headline
    # Two columns side by side: the sources column starts to the right of the article.
    story_box = page.locator("article.story").bounding_box()
    sources_box = page.locator("aside.sources").bounding_box()
    assert sources_box["x"] >= story_box["x"] + story_box["width"]

    standfirst = page.locator(".standfirst .sentence").first
    (passage_id,) = _click_and_check(page, ".standfirst .sentence")
    assert standfirst.inner_text() in page.locator(f"#{passage_id}").inner_text()
    assert page.locator(f"#{passage_id} .quoted.exact").inner_text() == standfirst.inner_text()

    # The reworded sentence cites both outlets: a passage lights up in each.
    both = _click_and_check(page, '.sentence:has-text("A WeWork spokesperson said")')
    assert {p.split("-p")[0] for p in both} == {"source-1", "source-2"}
    # Clicking it again clears the highlight.
    page.locator('.sentence:has-text("A WeWork spokesperson said")').click()
    assert page.locator(".passage.highlight").count() == 0

    page.locator(".standfirst .sentence").first.click()
    shot = tmp_path / "story.png"
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 10_000
    if os.environ.get("NEWSDESK_SCREENSHOT_DIR"):  # to look at it by hand
        page.screenshot(path=str(Path(os.environ["NEWSDESK_SCREENSHOT_DIR"]) / "story.png"))
    assert page.errors == []


def test_hostile_story_runs_no_script(server: str, page):
    page.goto(server + "/stories/hostile")
    assert page.locator("h1").inner_text() == HOSTILE_TITLE
    page.locator(".sentence").first.click()  # our own script still works
    page.wait_for_selector(".passage.highlight")
    page.goto(server + "/")
    assert page.locator("a.story-link", has_text=HOSTILE_TITLE).count() == 1
    assert page.dialogs == []
    assert not [e for e in page.errors if "Content Security Policy" not in e]


def test_static_site_page_works_offline(page, tmp_path: Path):
    hostile, hostile_article = hostile_draft()
    publish_site(
        [(wework_draft(), list(wework_articles())), (hostile, [hostile_article])], tmp_path / "site"
    )
    page.goto((tmp_path / "site" / "stories" / "wework-nyag.html").as_uri())
    _click_and_check(page, ".standfirst .sentence")
    page.goto((tmp_path / "site" / "stories" / "hostile.html").as_uri())
    assert page.locator("h1").inner_text() == HOSTILE_TITLE
    assert page.dialogs == [] and page.errors == []


def test_api_docs_render_offline(server: str, page):
    """/docs shows the operations with every request off 127.0.0.1 refused (no CDN)."""
    refused: list[str] = []

    def only_local(route) -> None:
        if route.request.url.startswith(server):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    page.route("**/*", only_local)
    page.goto(server + "/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=20_000)
    paths = page.eval_on_selector_all(
        ".opblock-summary-path", "els => els.map(e => e.getAttribute('data-path'))"
    )
    assert "/api/stories" in paths and "/api/extract" in paths
    assert refused == []
