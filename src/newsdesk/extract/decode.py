"""Turn raw page bytes into text safely: size cap, gzip, binary detection, charset detection.

Untrusted input: a page may be empty, an image, 50 MB, gzip-compressed, or in a legacy
encoding (cp1251, Shift-JIS) that its headers mis-declare. Every refusal is an InputError
with a reason a person can read. Bytes that are invalid in the encoding the page is read
in are replaced (U+FFFD) and reported as a warning with the first bad byte's offset, so a
page is never garbled silently: ``decode_page_report`` returns the text and the warnings.
"""

from __future__ import annotations

import codecs
import re
import zlib

from newsdesk import settings
from newsdesk.errors import InputError
from newsdesk.extract.compiled import utf8_read

# Magic numbers of common binary formats a crawler meets instead of a page.
_BINARY_SIGNATURES: dict[bytes, str] = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive",
    b"RIFF": "a RIFF (WebP/AVI/WAV) file",
    b"\x00\x00\x01\x00": "an icon file",
    b"\x7fELF": "an executable",
}

# Control characters no text holds: U+0000-0008, U+000B, U+000E-001F.
_CONTROL_BYTES = bytes(range(0x09)) + b"\x0b" + bytes(range(0x0E, 0x20))
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
# A well-formed UTF-8 sequence of two to four bytes: legacy single-byte text rarely has one.
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


class Decoded:
    """A page's text and what went wrong reading its bytes (empty when nothing did).

    ``utf8``: the page's bytes where ``text`` is exactly their UTF-8 reading. The HTML
    parser takes them as they are, so such a page is decoded only where its text is read
    (``text``, ``prefix``): most HTML pages never are whole.
    """

    __slots__ = ("_text", "encoding", "utf8", "warnings")

    def __init__(
        self,
        text: str | None,
        encoding: str,
        warnings: tuple[str, ...] = (),
        utf8: bytes | None = None,
    ) -> None:
        if text is None and utf8 is None:
            raise ValueError("a page's text or its UTF-8 bytes")
        self._text = text
        self.encoding = encoding
        self.warnings = warnings
        self.utf8 = utf8

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = self.utf8.decode("utf-8")  # type: ignore[union-attr]
        return self._text

    def prefix(self, chars: int) -> str:
        """``text[:chars]``, decoding no more of the bytes than it takes."""
        if self._text is not None or self.utf8 is None or len(self.utf8) <= chars:
            return self.text[:chars]
        # A character takes at most 4 bytes; "ignore" drops only one cut at the end.
        return self.utf8[: 4 * chars].decode("utf-8", "ignore")[:chars]


def _decode_reporting(data: bytes, encoding: str) -> tuple[str, str | None]:
    """Decode, replacing invalid bytes; the warning says where they were (None if none)."""
    try:
        return data.decode(encoding), None
    except UnicodeDecodeError as exc:
        first = exc.start
    # Replaced in C: a Python error handler costs seconds on a megabyte of binary junk.
    text = data.decode(encoding, errors="replace")
    replaced = text.count("\ufffd")
    label = codecs.lookup(encoding).name
    return text, f"invalid {label} at byte {first} ({replaced} characters replaced with U+FFFD)"


def gunzip_capped(data: bytes, limit: int) -> bytes:
    """Decompress gzip bytes, refusing output past ``limit`` (gzip bombs)."""
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = decompressor.decompress(data, limit + 1)
    except zlib.error as exc:
        raise InputError(f"corrupt gzip data ({exc})") from exc
    if len(out) > limit:
        raise InputError(f"larger than the {limit:,}-byte limit once decompressed")
    return out


def decode_page(
    data: bytes, declared_charset: str | None = None, max_bytes: int | None = None
) -> str:
    """Decode page bytes to text, or raise InputError saying why they are not a page."""
    return decode_page_report(data, declared_charset, max_bytes).text


def decode_page_report(
    data: bytes, declared_charset: str | None = None, max_bytes: int | None = None
) -> Decoded:
    """Decode page bytes to text with warnings about bad bytes, or raise InputError."""
    limit = settings.MAX_PAGE_BYTES if max_bytes is None else max_bytes
    if len(data) > limit:
        raise InputError(f"page is {len(data):,} bytes, over the {limit:,}-byte limit")
    if data[:2] == b"\x1f\x8b":
        data = gunzip_capped(data, limit)
    if not data.strip():
        raise InputError("empty page")
    for signature, kind in _BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise InputError(f"binary data ({kind}), not a page")
    bom = _decode_bom(data)
    if bom is None and utf8_read is not None and (read := utf8_read(data, _CONTROL_SAMPLE)):
        # UTF-8 (what most pages are): checked and its controls counted in C, not decoded.
        controls, counted = read
        if counted and controls / counted > _MAX_CONTROL_SHARE:
            raise InputError("binary data (mostly control characters), not a page")
        return Decoded(None, "utf-8", utf8=data)
    decoded = bom or _decode_text(data, declared_charset)
    if _control_share(decoded.text) > _MAX_CONTROL_SHARE:
        raise InputError("binary data (mostly control characters), not a page")
    return decoded


def _decode_bom(data: bytes) -> Decoded | None:
    boms = {b"\xef\xbb\xbf": "utf-8-sig", b"\xff\xfe": "utf-16", b"\xfe\xff": "utf-16"}
    for bom, name in boms.items():
        if data.startswith(bom):
            text, warning = _decode_reporting(data, name)
            return Decoded(text, name, (warning,) if warning else ())
    return None


def _decode_text(data: bytes, declared_charset: str | None) -> Decoded:
    # UTF-8 first: it is what most pages are and it rarely decodes by accident.
    try:
        return Decoded(data.decode("utf-8"), "utf-8", utf8=data)
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    candidates: list[str] = []
    meta = _META_CHARSET.search(data[:4096])
    if meta:
        candidates.append(meta.group(1).decode("ascii", "ignore"))
    if declared_charset:
        candidates.append(declared_charset)
    declared = [_codec(c) for c in candidates]
    if not declared or declared[0] == "utf-8":
        # UTF-8 with some broken bytes (a truncated character, a stray Latin-1 byte, a
        # flipped bit) is still UTF-8 when its well-formed multibyte sequences are not
        # outnumbered: replacing the broken bytes (and saying where) beats guessing a
        # legacy charset that garbles every accented letter ("CafĂ© ˙ţ").
        lenient, warning = _decode_reporting(data, "utf-8")
        broken = lenient.count("\ufffd")
        if broken <= 2 or 2 * len(_UTF8_MULTIBYTE.findall(data)) >= broken:
            return Decoded(lenient, "utf-8", (warning,) if warning else ())
    for name in candidates:
        codec = _codec(name)
        if codec in (None, "utf-8"):
            continue
        # A declared legacy charset with a few bytes it does not define (a stray byte, a
        # pasted fragment) is still the page's charset: a detector's guess would garble
        # every letter to spare those few.
        text, warning = _decode_reporting(data, str(codec))
        if warning is None:
            return Decoded(text, str(codec))
        if text.count("\ufffd") <= max(2, len(_HIGH_BYTE.findall(data)) // 100):
            return Decoded(text, str(codec), (warning,))
    from charset_normalizer import from_bytes  # here: most pages never need a guess

    best = from_bytes(data[:200_000]).best()
    detected = best.encoding if best else None
    said = f"declared {candidates[0]}" if candidates else "no charset declared"
    for name in [*candidates, detected]:
        if not name or _codec(name) in (None, "utf-8"):
            continue
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if declared and declared[0] == "utf-8":
            # Not silent: the page said UTF-8 and its bytes are not.
            note = f"{said}, but invalid UTF-8 at byte {first_bad}: read as {_codec(name)} instead"
            return Decoded(text, str(_codec(name)), (note,))
        return Decoded(text, str(_codec(name)))
    # Nothing fits exactly: read it in the likeliest charset, bad bytes replaced and reported.
    fallback = next((_codec(n) for n in [*candidates, detected] if _codec(n)), None) or "utf-8"
    text, warning = _decode_reporting(data, fallback)
    return Decoded(text, fallback, (f"{said}; {warning}",) if warning else ())


def _codec(name: str | None) -> str | None:
    """The codec's canonical name ("UTF8" -> "utf-8"), None when Python has no such codec."""
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


# Pages whose first _CONTROL_SAMPLE characters are more than this share of control
# characters (or U+FFFD) are binary data.
_CONTROL_SAMPLE = 20_000
_MAX_CONTROL_SHARE = 0.10


def _control_share(text: str) -> float:
    sample = text[:_CONTROL_SAMPLE]
    if not sample:
        return 0.0
    # Counted in the UTF-8 bytes, by what deleting them takes away: twice as fast as a
    # regex (a control character is one byte there, and no other character's bytes hold
    # one); a Python loop over 20,000 characters costs more than parsing the whole page.
    raw = sample.encode("utf-8", "surrogatepass")
    controls = len(raw) - len(raw.translate(None, _CONTROL_BYTES)) + sample.count("\ufffd")
    return controls / len(sample)
