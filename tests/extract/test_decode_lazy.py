"""A page read as UTF-8 is checked in C (``_walk.utf8_read``) and decoded only where its text
is read: the parser takes its bytes. The reading must be Python's decoder's, refusals and
all, whether or not the compiled module is there."""

from __future__ import annotations

import random

import pytest

from newsdesk.errors import InputError
from newsdesk.extract import compiled, decode
from newsdesk.extract.decode import Decoded, decode_page_report
from newsdesk.extract.html import extract_html

PAGE = (
    "<html><head><title>Kyiv’s mayor — «обстріл» 東京 😀</title></head><body>"
    "<article><p>Der Bürgermeister sagte am Montag, die Stadt habe 1.200 Wohnungen "
    "wieder mit Strom versorgt. Ремонт триває, and the work goes on “day and night”.</p>"
    "<p>Zweiter Absatz: Die Lage bleibe angespannt, sagte er vor Journalisten in Kyjiw, "
    "und bat die Bewohner um Geduld.</p>"
    + "".join(
        f"<p>Absatz {n}: Die Techniker arbeiteten an {n + 3} Umspannwerken im Osten der "
        "Stadt, während die Verwaltung Wärmestuben in Schulen und Bibliotheken öffnete.</p>"
        for n in range(3, 9)
    )
    + "</article>"
    + "<aside><p>Mehr aus der Region: Nachrichten, Wetter und Verkehr.</p></aside>" * 400
    + "</body></html>"
).encode()


@pytest.fixture
def utf8_read():
    if compiled.utf8_read is None:
        pytest.fail("extract/_walk is not built (run `pip install -e .`)")
    return compiled.utf8_read


def _python_reading(data: bytes, limit: int) -> tuple[int, int] | None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    sample = text[:limit]
    raw = sample.encode("utf-8")
    controls = sum(1 for b in raw if b < 0x20 and b not in (9, 10, 12, 13))
    return controls + sample.count("\ufffd"), len(sample)


def test_utf8_read_is_pythons_decoder(utf8_read) -> None:
    """Random byte strings rich in UTF-8's edge bytes (overlong forms, surrogates, past
    U+10FFFF, cut sequences), short ones and long ASCII runs past the counted characters."""
    rng = random.Random(7)
    edges = [0x00, 0x0B, 0x1F, 0x41, 0x7F, 0x80, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xED, 0xEF]
    edges += [0xF0, 0xF4, 0xF5, 0xFF]
    cases = [b"", PAGE, PAGE[:-1], "\ufffd\x01x".encode(), "\ufeffa".encode()]
    for _ in range(20_000):
        size = rng.choice((rng.randint(0, 12), rng.randint(0, 64)))
        data = bytearray()
        for _ in range(size):
            data.append(rng.choice((rng.choice(edges), rng.randint(0x80, 0xBF), 0x61)))
        if rng.random() < 0.2:
            data = bytes(data) + b"a" * rng.randint(8, 40) + bytes(data)
        cases.append(bytes(data))
    valid = 0
    for data in cases:
        for limit in (0, 5, 20_000):
            assert utf8_read(data, limit) == _python_reading(data, limit), (data, limit)
        valid += _python_reading(data, 5) is not None
    assert 1_000 < valid < len(cases)  # both kinds were met


@pytest.mark.parametrize(
    "data",
    [
        PAGE,
        b"\xef\xbb\xbf" + PAGE,  # a byte-order mark: read as utf-8-sig, the mark dropped
        PAGE.replace("Bürgermeister".encode(), b"B\xfcrgermeister"),  # invalid: replaced, said
        "<p>café</p>".encode("cp1252"),
        b"<p>" + b"\x01\x02\x03" * 3000 + b"</p>",  # mostly control characters
        b"<p>" + "\ufffd".encode() * 5000 + b"</p>",
    ],
)
def test_the_same_reading_with_and_without_the_compiled_check(
    data: bytes, monkeypatch: pytest.MonkeyPatch, utf8_read
) -> None:
    def reading() -> tuple:
        try:
            decoded = decode_page_report(data)
        except InputError as refused:
            return ("refused", str(refused))
        return (decoded.text, decoded.encoding, decoded.warnings)

    with_check = reading()
    monkeypatch.setattr(decode, "utf8_read", None)
    assert reading() == with_check


def test_prefix_is_the_texts_start(utf8_read) -> None:
    decoded = decode_page_report(PAGE)
    assert decoded.utf8 is PAGE
    text = PAGE.decode("utf-8")
    for chars in (0, 1, 10, 11, 12, 30, 31, 32, 33, 100, 5000):
        assert Decoded(None, "utf-8", utf8=PAGE).prefix(chars) == text[:chars]
    assert decoded.text == text


def test_an_html_page_read_as_utf8_is_never_decoded_whole(utf8_read) -> None:
    decoded = decode_page_report(PAGE)
    article = extract_html(decoded)
    assert "обстріл" in article.title
    assert "1.200 Wohnungen" in article.text
    assert decoded._text is None  # the parser read the bytes; nothing needed the text
