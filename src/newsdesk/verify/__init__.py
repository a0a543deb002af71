"""verify stage: check a written draft against its source articles.

``verify_draft(draft, articles) -> Report`` is the entry point writers and the pipeline
call; ``check_text(text, articles)`` checks a free text with no citations (every
article counts as cited); ``check_sentences(sentences, articles)`` checks sentences one
by one, for a writer deciding which to keep; ``misplaced_citations(draft, articles,
background)`` checks that the story's parts cite the story and the background cites
earlier coverage. Problem kinds: number, name, date, quote,
unsupported, citation, repetition.
"""

from newsdesk.verify.background import misplaced_citations
from newsdesk.verify.verifier import Verifier, check_sentences, check_text, verify_draft

__all__ = ["Verifier", "check_sentences", "check_text", "misplaced_citations", "verify_draft"]
