"""The compiled walk (extract/_walk.pyx) reads every page exactly as the Python walk does.

The compiled walk reads lexbor's structures directly; one field read wrong would cut a
page differently. So it is compared with the Python walk, element by element and block by
block, on real pages (the repo's examples and the shared benchmark pages where present)
and on made pages that reach each of its paths: hidden elements, attribute names lexbor
does not know (short and long), links, CJK, pages deeper than its fixed stack.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
import selectolax
from selectolax.lexbor import LexborHTMLParser

from newsdesk.extract import compiled as compiled_walks
from newsdesk.extract import dom
from newsdesk.settings import built_from_source_beside
from tests.conftest import BENCH

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compiled():
    """The compiled walk: a source checkout builds it (``pip install -e .``)."""
    if selectolax.__version__ not in compiled_walks._COMPILED_WALK_VERSIONS:
        pytest.skip(f"the compiled walk is not checked for selectolax {selectolax.__version__}")
    try:
        from newsdesk.extract import _walk  # noqa: F401
    except ImportError as error:
        pytest.fail(f"extract/_walk is not built ({error}): run `pip install -e .`")
    if compiled_walks._compiled_module is None:
        pytest.fail(
            "extract/_walk was built from another _walk.pyx (or NEWSDESK_PURE_PYTHON is set)"
        )
    walk = compiled_walks._set_up_compiled_walk()
    assert walk is not None, "the compiled walk read the probe page unlike the Python walk"
    return walk


def both(walk, html: str | bytes) -> tuple[tuple, tuple]:
    tree = LexborHTMLParser(html)
    root = tree.body or tree.root
    assert root is not None
    tag = root.tag or "body"
    return compiled_walks._walked(walk(tree, root, tag)), compiled_walks._walked(
        dom._walk(tree, root, tag)
    )


def real_pages() -> list[tuple[str, bytes]]:
    pages = [
        (p.name, p.read_bytes()) for p in sorted((REPO / "examples" / "pages").rglob("*.html"))
    ]
    shared = BENCH / "extraction"
    for path in sorted(shared.glob("scrapinghub/html/*.gz"))[::4]:
        pages.append((path.name, gzip.decompress(path.read_bytes())))
    for path in sorted(shared.glob("fundus-dev/html/*"))[::2]:
        data = path.read_bytes()
        pages.append((path.name, gzip.decompress(data) if path.suffix == ".gz" else data))
    return pages


def test_real_pages_walked_alike(compiled) -> None:
    pages = real_pages()
    assert len(pages) >= 9
    with_blocks = 0
    for name, html in pages:
        fast, python = both(compiled, html)
        assert fast == python, name
        with_blocks += bool(fast[1])
    assert with_blocks >= 0.9 * len(pages)  # a few pages keep their article in scripts


def test_segment_uses_the_compiled_walk(compiled, monkeypatch) -> None:
    """``segment`` takes the compiled walk once it is set up, and the page it returns is
    the Python walk's (hints and furniture are worked out after either walk)."""
    html = (REPO / "examples" / "pages").rglob("*.html").__next__().read_bytes()
    calls = []

    def counted(*args):
        calls.append(1)
        return compiled(*args)

    monkeypatch.setattr(compiled_walks, "_compiled", [counted])
    in_c = dom.segment(LexborHTMLParser(html))
    monkeypatch.setattr(compiled_walks, "_compiled", [None])
    python = dom.segment(LexborHTMLParser(html))
    assert calls == [1]
    assert [(b.text, b.boilerplate, b.weight) for b in in_c.blocks] == [
        (b.text, b.boilerplate, b.weight) for b in python.blocks
    ]
    assert [(e.hint, e.boilerplate) for e in in_c.elements] == [
        (e.hint, e.boilerplate) for e in python.elements
    ]


MADE = {
    "hidden in every way": (
        "<body><div hidden>a</div><div HIDDEN=''>b</div><div aria-hidden='true'>c</div>"
        "<div aria-hidden='false'>kept one</div><p style='color:red;Display: None'>d</p>"
        "<p style>kept two</p><p class='Tooltip-x'>e</p><p class='is-hidden'>f</p>"
        "<p class>kept three</p><p class=''>kept four</p></body>"
    ),
    "names lexbor does not know, short and long": (
        "<body><div data-a-very-long-attribute-name-indeed='1' role='navigation'>nav words</div>"
        "<div data-another-quite-long-name='x' itemprop='articleBody' class='c'>"
        "<p>Body text here.</p></div><div x-y-z-w-v-u-t-s-r-q-p-o='1' aria-hidden='true'>gone"
        "</div><section ItemProp='articleBody' ROLE='main' ID='Story'>Upper case names</section>"
        "</body>"
    ),
    "links and line breaks": (
        "<body><p>One <a href='https://a.example/x'>two</a> three<br>four <a>no href</a> "
        "<a href=''>empty</a><a href='/rel'><b>bold link</b></a></p><ul><li><a href='/l'>"
        "item</a></li></ul></body>"
    ),
    "CJK beside links": (
        "<body><p>ソフト<a href='/k'>KeePass</a>の使い方</p><p>中文<a href='/z'>链接</a>。</p>"
        "<p>English <a href='/e'>link</a> text</p></body>"
    ),
    "skipped, custom and unknown tags": (
        "<body><script>var a = '<p>x</p>';</script><style>p{}</style><nav>menu</nav>"
        "<custom-el>inline <i>text</i></custom-el><x-block><p>inside</p></x-block>"
        "<template><p>never</p></template><svg><text>no</text></svg><!-- c --><main>"
        "<article><h2>Head <span>line</span></h2><p>Para</p></article></main>tail</body>"
    ),
    "tables, lists, headings in lists": (
        "<body><table><caption>Cap</caption><tr><th>H</th><td>cell <a href='/t'>l</a></td>"
        "</tr></table><dl><dt>term</dt><dd>def</dd></dl><ol><li><h3>in list</h3></li></ol>"
        "</body>"
    ),
    "no body element content": "<html><head><title>t</title></head></html>",
    "text only": "just some text, no tags",
}


@pytest.mark.parametrize("name", sorted(MADE))
def test_made_pages_walked_alike(compiled, name) -> None:
    in_c, python = both(compiled, MADE[name])
    assert in_c == python


def test_hidden_and_named_attributes_read(compiled) -> None:
    """The made pages say what they should: a sanity check on the comparison itself."""
    fast, _ = both(compiled, MADE["hidden in every way"])
    texts = [block[3] for block in fast[1]]
    assert texts == ["kept one", "kept two", "kept three", "kept four"]
    fast, _ = both(compiled, MADE["names lexbor does not know, short and long"])
    hints = [h for h in fast[3] if any(h)]
    assert (None, None, None, "navigation") in hints
    assert ("articleBody", "c", None, None) in hints
    assert ("articleBody", None, "Story", "main") in hints
    fast, _ = both(compiled, MADE["links and line breaks"])
    assert [href for _, href in fast[2]] == ["https://a.example/x", "/rel", "/l"]


def test_deeper_than_the_fixed_stack(compiled) -> None:
    """Past 4,096 open elements the walk keeps its place in a list: the same blocks."""
    depth = 4500
    for tag in ("span", "div"):
        html = f"<body>{f'<{tag}>' * depth}deep<p>para</p>{f'</{tag}>' * depth}<p>after</p>"
        fast, python = both(compiled, html)
        assert fast == python
        assert [block[3] for block in fast[1]] == ["deep", "para", "after"]


def test_count_byte_counts_as_bytes_count(compiled) -> None:
    """The vector count of "<" that guards the parser against deep markup."""
    from newsdesk.extract._walk import count_byte

    samples = [b"", b"<", b"<" * 15, b"<" * 16, b"<" * 17, b"<" * 4080, b"<" * 4081]
    samples += [b"a<b" * 3000 + b"<", bytes(range(256)) * 40, "é<ü".encode() * 999]
    for data in samples:
        assert count_byte(data, ord("<")) == data.count(b"<"), len(data)
    for path in sorted((REPO / "examples" / "pages").rglob("*.html")):
        data = path.read_bytes()
        assert count_byte(data, ord("<")) == data.count(b"<")


def test_a_build_of_other_source_is_left_aside(tmp_path) -> None:
    """A source tree whose _walk.pyx changed since the build walks in Python until it is
    built again: stale compiled code must not read pages its own way. The module carries
    its source's digest; the installed one matches the source beside it."""
    import hashlib
    from types import SimpleNamespace

    from newsdesk.extract import _walk

    assert built_from_source_beside(_walk)
    folder = tmp_path / "site.packages" / "newsdesk.extract"  # dots in the folders too
    folder.mkdir(parents=True)
    built = folder / "_walk.cpython-311-x86_64-linux-gnu.so"
    built.write_bytes(b"")
    source = folder / "_walk.pyx"
    module = SimpleNamespace(__file__=str(built), SOURCE_DIGEST=hashlib.sha256(b"one").hexdigest())
    assert built_from_source_beside(module)  # no source: an installed wheel
    source.write_bytes(b"one")
    assert built_from_source_beside(module)
    source.write_bytes(b"one, edited")
    assert not built_from_source_beside(module)
    assert not built_from_source_beside(
        SimpleNamespace(__file__=str(built), SOURCE_DIGEST="")  # compiled without setup.py
    )


def test_attribute_words_as_css_finds_them(compiled) -> None:
    """A selector's bit is set exactly where CSS finds an element for ``[name*="word" i]``
    (class, id, a name lexbor knows, names it does not, short and long), and at least
    where it finds one for an exact ``[name="word"]``."""
    from newsdesk.extract.access import _WALL_SELECTORS
    from newsdesk.extract.bylines import _BYLINE_SELECTORS

    made = (
        "<html class='WaLL-top'><body><div id='x1'>a</div><p data-class='locked'>b</p>"
        "<span class='A-B c'>c</span><svg><g class='locked'></g></svg><p id=''>d</p>"
        "<p class='ümlaut-wall' rel='Author'>e</p><template><p class='zzz'>f</p></template>"
        "<p data-a-rather-long-attribute-name='Needle'>g</p><p data-testid='top-BYLINE'>h</p>"
        "</body></html>"
    )
    contains = tuple(
        (f'[{name}*="{word}" i]', name, word)
        for name, word in [
            ("class", "wall"), ("data-class", "locked"), ("class", "a-b"), ("id", "x"),
            ("class", "zzz"), ("data-a-rather-long-attribute-name", "needle"),
            ("data-testid", "byline"), ("rel", "auth"), ("href", "never"),
        ]
    )  # fmt: skip
    pages = [html for _, html in real_pages()] + [made]
    for html in pages:
        tree = LexborHTMLParser(html)
        for selectors in (contains, _WALL_SELECTORS, _BYLINE_SELECTORS):
            named = compiled_walks._compiled_module.attribute_words(
                tree.root.mem_id, compiled_walks._attribute_pairs(selectors)
            )
            for bit, (selector, _, _) in enumerate(selectors):
                found = bool(tree.css(selector))
                if "*=" in selector:
                    assert bool(named >> bit & 1) == found, selector
                else:  # an exact value: the bit may be set where the value only holds it
                    assert named >> bit & 1 or not found, selector
    tree = LexborHTMLParser(made)
    named = compiled_walks._compiled_module.attribute_words(
        tree.root.mem_id, compiled_walks._attribute_pairs(contains)
    )
    assert [named >> bit & 1 for bit in range(len(contains))] == [1, 1, 1, 1, 0, 1, 1, 1, 0]


def test_byline_elements_are_the_full_querys(compiled) -> None:
    from newsdesk.extract.bylines import _BYLINE_SELECTORS

    full = ", ".join(selector for selector, _, _ in _BYLINE_SELECTORS)
    with_bylines = 0
    for _, html in real_pages():
        tree = LexborHTMLParser(html)
        expected = [node.mem_id for node in tree.css(full)]
        assert [
            node.mem_id for node in compiled_walks.css_where_named(tree, _BYLINE_SELECTORS)
        ] == expected
        with_bylines += bool(expected)
    assert with_bylines >= 5


def test_wall_elements_are_the_full_querys(compiled) -> None:
    """The wall query asked only for the words the page names finds what the full one does."""
    from newsdesk.extract.access import _WALL_SELECTOR, wall_elements

    made = "<body><div class='Paywall'><p id='tp-modal-1'>Subscribe</p></div></body>"
    pages = [html for _, html in real_pages()] + [made]
    with_walls = 0
    for html in pages:
        tree = LexborHTMLParser(html)
        expected = [node.mem_id for node in tree.css(_WALL_SELECTOR)]
        assert [node.mem_id for node in wall_elements(tree)] == expected
        with_walls += bool(expected)
    assert with_walls >= 2


def test_without_the_compiled_walk_the_queries_ask_every_selector(monkeypatch) -> None:
    """Where pages walk in Python, the wall and byline elements are what CSS finds too."""
    from newsdesk.extract.access import _WALL_SELECTOR, wall_elements
    from newsdesk.extract.bylines import _BYLINE_SELECTORS

    monkeypatch.setattr(compiled_walks, "_compiled", [None])
    assert not compiled_walks.compiled_walk_in_use()
    made = "<body><div class='Paywall'><p id='tp-modal-1' class='byline'>Subscribe</p></div></body>"
    for html in [*[html for _, html in real_pages()][::3], made]:
        tree = LexborHTMLParser(html)
        walls = [node.mem_id for node in tree.css(_WALL_SELECTOR)]
        assert [node.mem_id for node in wall_elements(tree)] == walls
        full = ", ".join(selector for selector, _, _ in _BYLINE_SELECTORS)
        bylines = [node.mem_id for node in tree.css(full)]
        assert [
            node.mem_id for node in compiled_walks.css_where_named(tree, _BYLINE_SELECTORS)
        ] == bylines


# -- script and style text left out before the parse ----------------------------------------


@pytest.mark.parametrize(
    ("page", "slim"),
    [
        # a script's and a style's text go, their tags stay; JSON-LD stays whole
        (
            b'<head><script>var a = "<b>";</script><script type="application/ld+json">'
            b'{"a": 1}</script><style>p {}</style></head><p>x</p>',
            b'<head><script></script><script type="application/ld+json">'
            b'{"a": 1}</script><style></style></head><p>x</p>',
        ),
        # tag names in any case; an end tag with a space or a slash before its ">"
        (
            b"<SCRIPT type=text/javascript>a()</SCRIPT ><Style>x</style/><p>y</p>",
            b"<SCRIPT type=text/javascript></SCRIPT ><Style></style/><p>y</p>",
        ),
        # "<script>" as text of a title, inside an attribute value, in a comment, in SVG:
        # none of them opens a script
        (
            b'<title>on <script> tags</title><div data-x="<script>k</script>">'
            b"<!-- <script>c()</script> --><svg><style>.a{}</style></svg><script>z()</script>",
            b'<title>on <script> tags</title><div data-x="<script>k</script>">'
            b"<!-- <script>c()</script> --><svg><style>.a{}</style></svg><script></script>",
        ),
        # an old page's script hidden in a comment still ends at its first end tag
        (
            b"<script><!-- hide(); //--></script><p>y</p>",
            b"<script></script><p>y</p>",
        ),
        # nothing to leave out, or a script the page never closes (its text runs to the end)
        (b"<p>no scripts</p>", None),
        (b"<p>x</p><script>never closed", None),
        # "<!--" then "<script" inside a script: the tokenizer's escaped states may end it
        # elsewhere, so the page is parsed as it is
        (b"<script><!-- <script> </script> x </script><p>y</p>", None),
    ],
)
def test_without_script_text(compiled, page: bytes, slim: bytes | None) -> None:
    assert compiled_walks.without_script_text is not None
    assert compiled_walks.without_script_text(page) == slim


def test_real_pages_read_alike_without_script_text(compiled, monkeypatch) -> None:
    """The parse without script text gives every real page the same article: nothing the
    extractor reads is in a script's or a style's text (JSON-LD kept)."""
    from newsdesk.extract import extract

    pages = [(name, html) for name, html in real_pages() if html.count(b"<script")]
    assert len(pages) >= 9
    left_out = 0
    for name, html in pages:
        slim = compiled_walks.without_script_text(html)
        left_out += slim is not None and len(slim) < len(html)
        with_cut = extract(html, source=name).to_dict()
        monkeypatch.setattr(dom, "without_script_text", None)
        assert extract(html, source=name).to_dict() == with_cut, name
        monkeypatch.undo()
    # The rest: JSON-LD alone (the repo's examples), or a script that writes "<!--" and
    # "<script" (a page parsed as it is then).
    assert left_out >= 0.8 * len(pages)


def test_without_script_text_stays_linear(compiled) -> None:
    """Untrusted pages: a script holding half a million "<!--" (each once looked for
    "<script" to its end: minutes), or never closed, or tags never ended, is read once."""
    many = b"<p>a</p><script>" + b"x<!--y" * 500_000 + b"</script><p>b</p>"
    assert compiled_walks.without_script_text(many) == b"<p>a</p><script></script><p>b</p>"
    for page in (b"<script>" * 400_000, b"<a b='" + b"x" * 3_000_000, b"<!--" * 1_000_000):
        assert compiled_walks.without_script_text(page) is None
