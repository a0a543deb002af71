"""Numbers written in digits in a text, normalised so that "1,000" and "1000" compare equal.

The shared, cheap reading of figures (the writer compares sentences by them). Reading
number words, scales and units into values a checker can compare is the verifier's own
work (``newsdesk.verify.numbers``).
"""

from __future__ import annotations

import re

NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def numbers(text: str) -> set[str]:
    """The numbers written in a text, thousands separators dropped ("1,000" -> "1000")."""
    return {n.replace(",", "") for n in NUMBER.findall(text)}
