"""Turn raw page bytes into text safely: size cap, gzip, binary detection, charset detection.

Untrusted input: a page may be empty, an image, 50 MB, gzip-compressed, or in a legacy
encoding (cp1251, Shift-JIS) that its headers mis-declare. Every refusal is an InputError
with a reason a person can read.
"""

from __future__ import annotations

import re
import zlib

from charset_normalizer import from_bytes

from newsdesk import config
from newsdesk.errors import InputError

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

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# Share of non-ASCII characters that may be broken for a page still to count as UTF-8.
_MAX_BROKEN_UTF8_SHARE = 0.02
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)


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
    limit = config.MAX_PAGE_BYTES if max_bytes is None else max_bytes
    if len(data) > limit:
        raise InputError(f"page is {len(data):,} bytes, over the {limit:,}-byte limit")
    if data[:2] == b"\x1f\x8b":
        data = gunzip_capped(data, limit)
    if not data.strip():
        raise InputError("empty page")
    for signature, kind in _BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise InputError(f"binary data ({kind}), not a page")
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        encoding = {b"\xef\xbb\xbf": "utf-8-sig", b"\xff\xfe": "utf-16", b"\xfe\xff": "utf-16"}
        for bom, name in encoding.items():
            if data.startswith(bom):
                return data.decode(name, errors="replace")
    text = _decode_text(data, declared_charset)
    if _control_share(text) > 0.10:
        raise InputError("binary data (mostly control characters), not a page")
    return text


def _decode_text(data: bytes, declared_charset: str | None) -> str:
    # UTF-8 first: it is what most pages are and it rarely decodes by accident.
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    candidates: list[str] = []
    meta = _META_CHARSET.search(data[:4096])
    if meta:
        candidates.append(meta.group(1).decode("ascii", "ignore"))
    declared = [
        c.lower().replace("-", "").replace("_", "") for c in (*candidates, declared_charset) if c
    ]
    if not declared or declared[0] == "utf8":
        # UTF-8 with a few broken bytes (a truncated character, a stray Latin-1 byte)
        # is still UTF-8: replacing the broken bytes beats guessing another charset
        # and garbling every accented letter.
        lenient = data.decode("utf-8", errors="replace")
        broken = lenient.count("\ufffd")
        non_ascii = len(_NON_ASCII.findall(lenient))
        if broken <= max(2, int(non_ascii * _MAX_BROKEN_UTF8_SHARE)):
            return lenient
    if declared_charset:
        candidates.append(declared_charset)
    best = from_bytes(data[:200_000]).best()
    detected = best.encoding if best else None
    for name in [*candidates, detected]:
        if not name or name.lower().replace("-", "") in {"utf8"}:
            continue
        try:
            text = data.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
        return text
    # Nothing fits exactly: keep what UTF-8 can read rather than lose the page.
    return data.decode(detected or "utf-8", errors="replace")


def _control_share(text: str) -> float:
    sample = text[:20_000]
    if not sample:
        return 0.0
    # Counted by a regex in C: a Python loop over 20,000 characters costs more than
    # parsing the whole page.
    controls = len(_CONTROL.findall(sample)) + sample.count("\ufffd")
    return controls / len(sample)
