"""Pages a script renders: the article is only in the scripts' data, not in the markup.

A Next.js page streams its content as ``self.__next_f.push([1, "..."])`` strings, in which
a text chunk ``<id>:T<hex length in UTF-8 bytes>,`` holds the article's HTML; other pages
keep it in a JSON data script (``__NEXT_DATA__``). Without reading those, such a page was
"no article text found". The page's own markup still comes first.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from newsdesk import extract
from newsdesk.errors import ExtractionError
from newsdesk.extract.scripted import embedded_html

PARAGRAPHS = [
    "Die Stadtverwaltung hat am Dienstag den neuen Haushalt beschlossen, nach einer langen "
    "Debatte über Schulen, Straßen und die Kosten des öffentlichen Nahverkehrs.",
    "Die Opposition kritisierte, dass für die Sanierung der Brücken über die Elbe zu wenig "
    "Geld vorgesehen sei; die Mehrheit verwies auf die gestiegenen Zinsen.",
    "Im kommenden Jahr sollen zwölf Schulen saniert werden, drei davon in den äußeren "
    "Stadtteilen, wo die Gebäude zum Teil älter als hundert Jahre sind.",
]
ARTICLE_HTML = '<div class="caption"><p>Das Rathaus am Morgen.</p></div>$$ARTICLEAD$$' + "".join(
    f"<p>{p}</p>" for p in PARAGRAPHS
)
SHELL_HEAD = (
    '<meta property="og:title" content="Haushalt beschlossen | Stadtblatt">'
    '<meta property="og:site_name" content="Stadtblatt">'
)


def _push(text: str) -> str:
    return f"<script>self.__next_f.push([1,{json.dumps(text)}])</script>"


def flight_page(article_html: str = ARTICLE_HTML) -> str:
    size = len(article_html.encode("utf-8"))  # bytes, not characters: "ä" takes two
    pushes = (
        _push('1:"$Sreact.fragment"\n')
        + _push(f"24:T{size:x},")
        + _push(article_html)
        + _push('5:["$","div",null,{"dangerouslySetInnerHTML":{"__html":"$24"}}]\n')
    )
    return (
        f"<html><head>{SHELL_HEAD}</head><body><div id='root'><nav><a href='/'>Start</a>"
        f"</nav></div>{pushes}</body></html>"
    )


def test_a_next_flight_page_is_read_from_its_text_chunk() -> None:
    article = extract(flight_page(), url="https://www.stadtblatt.example/haushalt")
    assert list(article.paragraphs) == PARAGRAPHS
    assert article.title == "Haushalt beschlossen"


def test_the_chunk_length_counts_bytes_not_characters() -> None:
    chunks = embedded_html(flight_page() + _push("6:T10,nachher"))
    assert chunks == [ARTICLE_HTML]  # ends exactly where the article's bytes end


def test_a_json_data_script_holding_the_article_html() -> None:
    data = {"props": {"pageProps": {"story": {"title": "x", "body": ARTICLE_HTML}}}}
    html = (
        f"<html><head>{SHELL_HEAD}</head><body><div id='__next'></div>"
        f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(data)}</script>'
        "</body></html>"
    )
    assert list(extract(html).paragraphs) == PARAGRAPHS


def test_the_markup_comes_first_when_it_holds_the_article() -> None:
    other = "".join(
        f"<p>Ein anderer Artikel, Absatz {i}, über den Sport am Wochenende.</p>" * 8
        for i in range(3)
    )
    page = flight_page(other).replace(
        "<div id='root'>", "<div id='root'><article>" + ARTICLE_HTML.split("$$")[-1] + "</article>"
    )
    assert list(extract(page).paragraphs) == PARAGRAPHS


@pytest.mark.parametrize(
    "pushes",
    [
        "",  # a shell with no data at all
        _push("24:T400,") + _push("<p>kurz</p>"),  # a chunk of too little text
        '<script>self.__next_f.push([1,"unterminated \\</script>',  # broken JSON
    ],
)
def test_a_shell_without_article_data_is_still_no_article(pushes: str) -> None:
    html = f"<html><head>{SHELL_HEAD}</head><body><div id='root'></div>{pushes}</body></html>"
    with pytest.raises(ExtractionError):
        extract(html)


CHILD = """
import sys
from pathlib import Path
from newsdesk.extract.scripted import embedded_html
def hwm():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
text = Path(sys.argv[1]).read_text("utf-8")
before = hwm()
found = embedded_html(text)
print(hwm() - before, len(found))
"""


def test_a_megabyte_pushed_string_is_read_in_bounded_memory(tmp_path: Path) -> None:
    """bench/fuzz.py nested 4 MB of <div>s inside a pushed string: a regex over the
    string literal kept a frame per character (550 MB); the JSON decoder reads it."""
    if not Path("/proc/self/status").exists():
        return  # VmHWM is Linux's
    deep = "<div>" * 400_000 + ARTICLE_HTML
    path = tmp_path / "deep.html"
    path.write_text(flight_page(deep), encoding="utf-8")
    size = path.stat().st_size
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, check=True
    )
    added, found = map(int, out.stdout.split())
    assert found == 1
    assert added < 20 * size, {"added_mb": added / 2**20, "page_mb": size / 2**20}
