"""The text toolkit every stage shares: the one copy of each way of reading text.

- ``sentences``: split a paragraph into sentences (any script, abbreviations kept whole);
- ``words``: tokens, Snowball stems and stop words per language, the CJK character ranges;
- ``language``: guess a text's language (lingua);
- ``dates``: read a date or time written in any form (ISO 8601, HTML metadata, words in any
  language, "3 hours ago" against the fetch time) and write it back as ISO 8601;
- ``numbers``: the numbers written in a text, normalised.

Stages import from here instead of keeping their own splitter, stemmer or date parser, so
that extraction, clustering, writing, verification and publishing read text alike.
"""
