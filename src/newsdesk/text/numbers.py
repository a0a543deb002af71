"""Numbers written in digits in a text, normalised so that "1,000" and "1000" compare equal.

The shared, cheap reading of figures (the writer compares sentences by them, the clusterer
counts them as terms every language shares). A comma followed by one or two digits is a
decimal comma ("3,5" and "7,45" are 3.5 and 7.45, as German, Russian or French write
them); other commas group thousands ("1,000" and "12,500,000"). Reading number words,
scales and units into values a checker can compare is the verifier's own work
(``newsdesk.verify.numbers``).
"""

from __future__ import annotations

import re

NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_DECIMAL_COMMA = re.compile(r"\d+,\d{1,2}")


def plain_number(written: str) -> str:
    """One number as written in digits, normalised: a decimal comma read as a point
    ("3,5" -> "3.5"), thousands commas dropped ("1,000" -> "1000")."""
    if _DECIMAL_COMMA.fullmatch(written):
        return written.replace(",", ".")
    return written.replace(",", "")


def numbers(text: str) -> set[str]:
    """The numbers written in a text, normalised (``plain_number``)."""
    return {plain_number(n) for n in NUMBER.findall(text)}
