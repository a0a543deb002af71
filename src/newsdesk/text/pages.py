"""What a page's own title says it is: a site's front page ("Salt Lake Tribune Home Page",
"Accueil", "Startseite"), not an article.

The extractor refuses such a page when nothing else marks it as an article, and the
writer never takes such a title for a story's headline.
"""

from __future__ import annotations

import re

_FRONT_PAGE = re.compile(
    r"(?:^|\W)(?:home ?page|homepage|startseite|page d'accueil|accueil|portada|"
    r"p[áa]gina (?:principal|inicial))\s*$|(?:^|\s[-|–—:·»]\s*)home\s*$",
    re.I,
)


def names_a_front_page(title: str) -> bool:
    """Whether a title names its page a site's front page (it ends so: "... Home Page",
    "Startseite", "News - Home"); "Home secretary resigns" does not."""
    return bool(_FRONT_PAGE.search(title))
