"""English stop words are scikit-learn's list, read without importing scikit-learn."""

from __future__ import annotations

import subprocess
import sys

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from newsdesk.text.words import NEWS_WORDS, stop_words


def test_english_list_is_scikit_learns_plus_the_news_words() -> None:
    assert stop_words("en") == frozenset(ENGLISH_STOP_WORDS) | NEWS_WORDS


def test_english_list_does_not_import_scikit_learn() -> None:
    code = (
        "import sys; from newsdesk.text.words import stop_words; "
        "assert 'the' in stop_words('en'); print('sklearn' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
