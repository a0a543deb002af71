"""articleBody's words are read once, lower-cased, both to count them and for their
trigrams (``extract.evidence.reconcile``). That count is the text's own because lower
case keeps every character's word-ness (``\\w``), but for "İ" (U+0130: "i" and a combining
dot, which is no word character): a text holding one is counted as written."""

from __future__ import annotations

import sys

from newsdesk.extract import evidence


def test_lower_case_splits_a_word_only_at_dotted_capital_i() -> None:
    token = evidence._TOKEN
    splitting = [
        code
        for code in range(sys.maxunicode + 1)
        if not 0xD800 <= code <= 0xDFFF
        and len(token.findall(f"a{chr(code)}a")) != len(token.findall(f"a{chr(code)}a".lower()))
    ]
    assert splitting == [0x130]
