"""Pages read from files: a saved page's relative dates are read as of its save time, so two
runs over the same files, minutes or days apart, make the same articles."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from newsdesk import extract
from newsdesk.ingest.files import read_file, saved_at
from newsdesk.model import Page

# A page whose only date is relative: "3 hours ago" means nothing without a "now".
PAGE = """Storm closes the coastal highway for a second day

Posted 3 hours ago

The coastal highway stayed closed for a second day on Tuesday after the storm washed out two bridges north of the harbour, the state roads agency said.

Crews expect to open one lane by the weekend, but the second bridge will take weeks to rebuild, the agency's regional director told reporters at the harbour.
"""

SAVED = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def _saved_page(tmp_path: Path, when: datetime) -> Path:
    path = tmp_path / "storm.txt"
    path.write_text(PAGE, encoding="utf-8")
    os.utime(path, (when.timestamp(), when.timestamp()))
    return path


def test_a_page_file_is_dated_by_its_save_time_not_by_when_it_is_read(tmp_path: Path) -> None:
    page = read_file(_saved_page(tmp_path, SAVED))
    assert isinstance(page, Page)
    assert page.fetched_at == SAVED
    assert page.fetched_by is None  # no evidence of the news' time
    article = extract(page.content, input_format="text", fetched_at=page.fetched_at)
    assert article.published == datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
    assert len(article.paragraphs) == 2


def test_the_same_file_read_twice_gives_the_same_article(tmp_path: Path) -> None:
    path = _saved_page(tmp_path, SAVED)
    first, second = read_file(path), read_file(path)
    assert isinstance(first, Page) and isinstance(second, Page)
    articles = [
        extract(p.content, input_format="text", fetched_at=p.fetched_at) for p in (first, second)
    ]
    assert articles[0] == articles[1]


def test_an_implausible_modification_time_is_not_taken_for_a_save_time(tmp_path: Path) -> None:
    now = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
    for when in (datetime(1970, 1, 1, tzinfo=UTC), datetime(1980, 1, 1, tzinfo=UTC)):
        stat = _saved_page(tmp_path, when).stat()
        assert saved_at(stat, now) == now  # an archive's placeholder time
    future = _saved_page(tmp_path, datetime(2030, 1, 1, tzinfo=UTC)).stat()
    assert saved_at(future, now) == now  # a clock ahead of ours
    stat = _saved_page(tmp_path, SAVED).stat()
    assert saved_at(stat, now) == SAVED
