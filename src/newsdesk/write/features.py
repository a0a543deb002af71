"""Words for comparing sentences: content tokens in the draft's language.

Tokens, stop words and numbers come from the project's text toolkit (``newsdesk.text``):
lower-cased words, CJK runs cut into character pairs, one stop-word list per language;
where a language has no list, inverse document frequency does their job.
"""

from __future__ import annotations

from newsdesk.text.words import stop_words, tokens


def content_tokens(text: str, language: str | None) -> list[str]:
    """Tokens without stop words and one-letter noise."""
    stops = stop_words(language)
    return [t for t in tokens(text) if t not in stops and (len(t) > 1 or t.isdigit())]
