"""newsdesk: from raw news pages to verified, source-linked stories."""

from newsdesk.extract import extract
from newsdesk.model import Article, Draft, Page, Problem, Report, Sentence, Source, Story

__all__ = [
    "Article",
    "Draft",
    "Page",
    "Problem",
    "Report",
    "Sentence",
    "Source",
    "Story",
    "extract",
]
__version__ = "0.1.0"
