"""Bytes invalid in a page's encoding: read as well as possible, and reported with the offset.

Small pages of our own, one per kind: invalid UTF-8 with and without a declared charset, a
page that says UTF-8 but is in a legacy code page, a legacy page with bytes its code page
does not define, and the warning as `newsdesk extract` and `newsdesk run` print it and as
the API's article carries it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from newsdesk import extract
from newsdesk.cli import app
from newsdesk.serve import ServeSettings, create_app
from newsdesk.store import open_store
from tests.pipeline_support.cli import cli_runner

PROSE = (
    "The council approved the new budget on Tuesday, after a long debate about schools, "
    "roads and the cost of public transport in the city."
)


def _page(body: str, head: str = "") -> bytes:
    return (
        f"<html><head>{head}<title>Café society</title></head><body><article>"
        f"<p>{body} {PROSE}</p><p>{PROSE} {PROSE}</p></article></body></html>"
    ).encode()


def test_invalid_utf8_is_replaced_and_reported_not_read_as_a_legacy_code_page() -> None:
    good = _page("Café news at the café.")
    cut = good.index(b" news")
    broken = good[:cut] + b" \xff\xfe" + good[cut:]
    article = extract(broken)
    assert "Café \ufffd\ufffd news at the café." in article.paragraphs[0]
    assert "Ă" not in article.text and "˙" not in article.text  # no cp1250 mojibake
    (warning,) = article.warnings
    assert f"invalid utf-8 at byte {cut + 1}" in warning
    assert "(2 characters replaced with U+FFFD)" in warning


def test_valid_page_has_no_warning() -> None:
    assert extract(_page("Café news at the café.")).warnings == ()


def test_page_declaring_utf8_in_a_legacy_code_page_is_read_in_it_and_reported() -> None:
    text = (
        "<html><head><meta charset='utf-8'><title>Żółta łódź na Wiśle</title></head><body>"
        "<article>" + "<p>Źródła podają, że żółta łódź płynęła po Wiśle przez całą noc, "
        "a załoga śpiewała piosenki o Krakowie i o rzece.</p>" * 4 + "</article></body></html>"
    )
    data = text.encode("cp1250")
    article = extract(data)
    assert article.title == "Żółta łódź na Wiśle"
    (warning,) = article.warnings
    first_bad = data.index("Ż".encode("cp1250"))
    assert f"declared utf-8, but invalid UTF-8 at byte {first_bad}" in warning
    assert "cp1250" in warning


def test_legacy_page_with_bytes_its_code_page_lacks_is_reported() -> None:
    text = "<html><head><meta charset='windows-1252'><title>Caf\xe9</title></head><body>"
    body = "<article>" + f"<p>Caf\xe9 life. {PROSE}</p>" * 4 + "</article></body></html>"
    data = text.encode("cp1252") + b"\x81" + body.encode("cp1252")
    article = extract(data)
    assert article.title == "Café"
    assert "Café life." in article.paragraphs[0]
    (warning,) = article.warnings
    assert f"invalid cp1252 at byte {len(text)}" in warning


def test_legacy_page_declared_rightly_has_no_warning() -> None:
    head = "<meta charset='windows-1252'>"
    page = _page("Caf\xe9 news.", head).decode().encode("cp1252")
    article = extract(page)
    assert article.warnings == ()
    assert "Café news." in article.paragraphs[0]


def test_newsdesk_extract_prints_the_warning_on_stderr(tmp_path: Path) -> None:
    good = _page("Café news at the café.")
    cut = good.index(b" news")
    path = tmp_path / "broken.html"
    path.write_bytes(good[:cut] + b"\xc3" + good[cut:])  # a cut two-byte character
    result = CliRunner().invoke(app, ["extract", str(path)])
    assert result.exit_code == 0, result.output
    assert f"warning: invalid utf-8 at byte {cut}" in result.stderr
    assert '"warnings": ["invalid utf-8 at byte' in result.stdout


def _broken() -> tuple[bytes, int]:
    good = _page("Café news at the café.")
    cut = good.index(b" news")
    return good[:cut] + b"\xc3" + good[cut:], cut  # a cut two-byte character


def test_the_api_article_carries_the_warning(tmp_path: Path) -> None:
    page, cut = _broken()
    html = {"Content-Type": "text/html"}
    with (
        open_store(str(tmp_path / "s.db")) as store,
        TestClient(create_app(store, ServeSettings())) as client,
    ):
        answer = client.post("/api/extract", content=page, headers=html)
        clean = client.post("/api/extract", content=_page("Café."), headers=html)
    assert answer.status_code == 200, answer.text
    (warning,) = answer.json()["warnings"]
    assert f"invalid utf-8 at byte {cut}" in warning
    assert clean.json()["warnings"] == []


def test_newsdesk_run_prints_the_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page, cut = _broken()
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "broken.html").write_bytes(page)
    args = ["run", str(pages), "--db", str(tmp_path / "s.db"), "--out", str(tmp_path / "site")]
    result = cli_runner(monkeypatch).invoke(app, args)
    assert result.exit_code == 0, result.output
    assert f"invalid utf-8 at byte {cut}" in result.output
    assert "broken.html" in result.output


def test_a_run_lists_the_first_pages_read_with_a_warning_and_counts_the_rest(
    tmp_path: Path,
) -> None:
    """A crawl with many broken pages does not bury its summary: the first pages are
    listed with their warnings, the others counted in one note."""
    from newsdesk.pipeline.run import PAGE_WARNING_NOTES, RunOptions, run_pipeline

    pages = tmp_path / "pages"
    pages.mkdir()
    extra = 3
    for number in range(PAGE_WARNING_NOTES + extra):
        good = _page(f"Café news number {number} at the café, item {number * 7919}.")
        cut = good.index(b" news")
        (pages / f"broken-{number:03}.html").write_bytes(good[:cut] + b"\xc3" + good[cut:])
    with open_store(str(tmp_path / "s.db")) as store:
        summary = run_pipeline(store, RunOptions(sources=[str(pages)], out_dir=tmp_path / "site"))
    assert summary.pages_read == PAGE_WARNING_NOTES + extra
    listed = [note for note in summary.notes if "invalid utf-8 at byte" in note]
    assert len(listed) == PAGE_WARNING_NOTES
    assert any(
        note.startswith(f"{extra} more pages were read with a warning") for note in summary.notes
    )
