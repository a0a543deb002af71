"""Headlines: clean source titles of site names and pick the one that fits the story best."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from newsdesk.text.pages import names_a_front_page
from newsdesk.text.words import holds_cjk
from newsdesk.write.sentences import is_furniture, is_layout, strip_labels

# Separators sites put between the headline and their own name.
_SEPARATORS = re.compile(r"\s+(?:[-|–—·•»«]|::|\|\|)\s+")
_DOMAIN = re.compile(
    r"\b[\w-]+\.(?:com|net|org|co\.uk|co|ru|de|fr|az|info|news|io|tv|ua|kz|jp|in)\b", re.I
)
# Words that name a news outlet rather than say something ("BBC News", "The Daily Star").
_MEDIA_WORDS = re.compile(
    r"\b(?:News|Times|Post|Daily|Herald|Tribune|Journal|Gazette|Telegraph|Guardian|Online|"
    r"TV|Radio|Press|Media|Agency|Wire|Reuters|AFP|AP|Новости|РИА|ТАСС)\b"
)
_LEADING_TAGS = re.compile(
    r"^(?:BREAKING|UPDATE|UPDATED|LIVE|WATCH|VIDEO|PHOTOS?|EXCLUSIVE)\s*[:|-]\s*", re.I
)


def clean_headline(title: str, site_name: str | None = None) -> str:
    """A source title without its site suffix ("... - Reuters", "... | BBC News") or tags."""
    title = re.sub(r"\s+", " ", title or "").strip()
    title = strip_labels(_LEADING_TAGS.sub("", title))
    parts = _SEPARATORS.split(title)
    while len(parts) > 1 and _looks_like_site(
        parts[-1], site_name, len(" ".join(parts[:-1]).split())
    ):
        parts.pop()
    while len(parts) > 1 and _looks_like_site(parts[0], site_name, 0):
        parts.pop(0)
    return " - ".join(parts).strip(" -|") if len(parts) > 1 else parts[0].strip(" -|")


def _looks_like_site(part: str, site_name: str | None, words_before: int) -> bool:
    part = part.strip()
    if not part:
        return True
    if (
        site_name
        and _norm(site_name)
        and (_norm(site_name) in _norm(part) or _norm(part) in _norm(site_name))
    ):
        return True
    if _DOMAIN.search(part):
        return True
    words = part.split()
    # A short tail in title case ("BBC News", "The Guardian", "Reuters") is a site name;
    # a short tail with a verb in lower case ("Mali says") is part of the headline.
    # Only trusted when what remains is itself a full headline.
    title_case = all(w[:1].isupper() or not w[:1].isalpha() for w in words)
    if title_case and len(words) <= 5 and _MEDIA_WORDS.search(part):
        return True
    return words_before >= 3 and len(words) <= 3 and title_case


def _norm(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def reads_as_headline(title: str) -> bool:
    """Whether a title has a headline's form, whatever it is about: not a label in
    brackets, a site's front page, layout, a dateline alone, a line leading in to what
    follows, or page furniture."""
    if title[:1] in "([" and title.rstrip()[-1:] in ")]":
        return False  # a label in brackets ("(News 12 at 11)"), not a headline
    if names_a_front_page(title) or is_layout(title) or _DATELINE_ONLY.match(title):
        return False
    if title.rstrip().endswith(":"):
        return False  # a line leading in to what follows ("Jon Stewart (host, 1999-2015):")
    return not is_furniture(title)


# A dateline alone: a place in capitals and its region ("CHRISTCHURCH, New Zealand"); an
# acronym of four letters or fewer opens headlines ("NATO, Russia Talks").
_DATELINE_ONLY = re.compile(r"^[A-Z][A-Z.'’ -]{4,}, [A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,2}$")


def is_usable_headline(title: str, shares_words: Callable[[str], bool]) -> bool:
    """A headline is usable if it reads like one and is about the story's text."""
    if not reads_as_headline(title):
        return False
    words = title.split()
    if holds_cjk(title):
        # A full stop makes it a sentence; "！？" end many a headline ("商標法違反に！？").
        if not 6 <= len(title) <= 60 or title.rstrip()[-1:] == "。":
            return False
    elif not 2 <= len(words) <= 25:
        return False
    letters = [ch for ch in title if ch.isalpha()]
    if letters and sum(ch.isupper() for ch in letters) > 0.7 * len(letters) and len(words) > 3:
        return False  # menus and shouted page furniture ("WHAT ARE YOU LOOKING FOR ?")
    return shares_words(title)


def choose_headline(
    titles: Sequence[tuple[str, str | None]],
    score: Callable[[str], float],
    shares_words: Callable[[str], bool],
    body: Sequence[str] = (),
) -> str | None:
    """The cleaned title (of ``(title, site_name)`` pairs) scoring best, or None if none is usable.

    A title that repeats a sentence of ``body`` is passed over.
    """
    best: tuple[float, str] | None = None
    for title, site in titles:
        cleaned = clean_headline(title, site)
        if not is_usable_headline(cleaned, shares_words):
            continue  # "Photo Advertisement Continue reading the main story": page furniture
        if any(repeats_sentence(cleaned, sentence) for sentence in body):
            continue
        value = score(cleaned)
        if best is None or value > best[0]:
            best = (value, cleaned)
    return best[1] if best else None


# Words at which a clause can be cut without leaving it dangling (English; elsewhere the
# cut falls on commas and the word cap only).
_CUT_BEFORE = frozenset(
    re.findall(
        r"\w+",
        "on in at after as when while because following amid during for from with by to of "
        "since before near over against about into than that who which where",
    )
)
_DANGLING = frozenset(
    re.findall(
        r"\w+",
        "and or but the a an its their his her is are was were has have had been be "
        "could would should can will may might must what whether",
    )
)
# A last word that needs the next: a contraction ("they'd", "would've").
_CONTRACTION = re.compile(r"\w['’](?:d|ll|re|ve)$", re.I)
_POOR_START = re.compile(
    r"""^(?:["“'‘«]|(?:it|there|this|these|that|those|here)\s+(?:is|are|was|were|has|have)\b)""",
    re.I,
)
_PARENTHESIS = re.compile(r"\s*\([^)]*\)")
# An opening phrase before the subject: "In lab studies in mice, ...", "On Monday, ..."
_INTRO = re.compile(
    r"^(?:in|on|at|after|according|when|while|as|now|but|however|earlier|later|last|since|"
    r"during|following|despite|amid|for|with|by|although|though|if|under|before|over|once|"
    r"meanwhile|yet|so|and|still|also)\b[^,]{0,80},\s+",
    re.I,
)
_ARTICLE = re.compile(r"\b(?:the|a|an)\s+", re.I)
# An apposition after the subject, set off by commas, before the verb: "Clarissa Dickson
# Wright, one half of TV cookery duo Two Fat Ladies, has died ...", "Craig Hughes, 33, of
# Flint, was arrested ...": headlines name the subject and go on to the verb.
_APPOSITION = re.compile(
    r"^([^,]{2,60}?), (?:\d{1,3}(?:, (?:of|from) [^,]{1,60})?|"
    r"(?:(?:one|some|many|two|three|four|both|each|most|part|"
    r"(?:one )?half) of |the |a |an )[^,]{0,120}?), (?=[a-z])"
)
# A determiner opening what follows an intro: a noun phrase, the main clause's subject.
_SUBJECT = re.compile(r"(?:the|a|an|his|her|its|their|this|these|those|some|many|most)\s")
# A sentence opening on a subordinate clause whose main clause the intro cut could not
# reach ("While Kanye West may be the most beloved artist of all time, at least by..."):
# its first words are no headline.
_SUBORDINATE_START = re.compile(
    r"^(?:while|although|though|whereas|unless|whether|if|because|when)\b", re.I
)
# A headline with more distinct words than this, all found in one body sentence, reads as
# that sentence printed twice; shorter ones read as a headline.
MAX_CUT_WORDS = 7


def headline_from_sentence(
    sentence: str, max_words: int = MAX_CUT_WORDS, language: str | None = "en"
) -> str:
    """A headline cut from the lead when no source title is usable: the core of its main
    clause (subject, verb, object), short enough not to repeat the lead.
    """
    text = sentence.strip().rstrip(".!?。！？").lstrip("—–-−•·* ")  # a dash a dateline left
    if holds_cjk(text):  # no spaces to count words by: cut at a comma or a length
        clause = re.split(r"[、，,：:]", text)[0]
        return (clause if 8 <= len(clause) <= 30 else text[:24]).strip()
    if language in (None, "en"):
        if _POOR_START.match(text):
            return ""  # "It is...", "There are...", a quotation: no subject to headline
        text = _PARENTHESIS.sub("", text)
        intro = _INTRO.match(text)
        rest = text[intro.end() :] if intro else ""
        # keep the cut only if a subject follows ("On Monday, Police said", "If approved,
        # the plan would" - not "at least by")
        if intro and len(rest.split()) >= 5 and (not rest[:1].islower() or _SUBJECT.match(rest)):
            text = rest
        elif _SUBORDINATE_START.match(text):
            return ""
        text = _APPOSITION.sub(r"\1 ", text, count=1)
    clause = re.split(
        r",\s+(?:citing|saying|according|who|which|after|as|while|amid)\b|[;:—–(]", text
    )[0]
    if len(clause.split()) < 4:  # the cut left too little: start from the sentence
        clause = text
    clause = clause.split(", ")[0] if len(clause.split(", ")[0].split()) >= 4 else clause
    if language in (None, "en"):  # headline style drops articles
        clause = _ARTICLE.sub("", clause.strip())
    words = clause.split()
    while len(set(w.lower() for w in words)) > max_words:
        # cut before the last preposition/conjunction that leaves at least four words
        cuts = [k for k in range(4, len(words)) if words[k].lower() in _CUT_BEFORE]
        cut = cuts[-1] if cuts else max_words
        if cut >= len(words):
            cut = max_words
        words = words[:cut]
    while len(words) > 3 and (
        words[-1].lower().strip(",") in _CUT_BEFORE | _DANGLING or _CONTRACTION.search(words[-1])
    ):
        words = words[:-1]  # never end on "and", "of", "the", "could", "they'd"...
    headline = _unpaired_quotes_off(" ".join(words).strip(" ,;:-"))
    return headline[:1].upper() + headline[1:]


def _unpaired_quotes_off(text: str) -> str:
    """Quotation marks at the ends that the cut left without their partner dropped; a
    quoted phrase inside keeps both ("Words “writ of habeas corpus” struck out")."""
    if text[:1] in "\"'“‘" and not any(c in text[1:] for c in "\"'”’"):
        text = text[1:]
    if text[-1:] in "\"'”’" and not any(c in text[:-1] for c in "\"'“‘"):
        text = text[:-1]
    return text.strip()


def repeats_sentence(headline: str, sentence: str) -> bool:
    """True when a headline would read as ``sentence`` printed twice (near-duplicate words):
    nearly the same words, or nearly all of one within the other where the other is at
    most twice as long. A headline that sums up a long lead in its words is no repeat
    ("Milan Design Week 2018 - Anastassiades' light installation for FLOS" over a lead of
    40 words that names all of them)."""
    a = {w.lower() for w in re.findall(r"\w+", headline)}
    b = {w.lower() for w in re.findall(r"\w+", sentence)}
    if not a or not b:
        return False
    overlap = len(a & b)
    if overlap / len(a | b) >= 0.7:
        return True
    shorter, longer = sorted((len(a), len(b)))
    return shorter > MAX_CUT_WORDS and longer <= 2 * shorter and overlap / shorter >= 0.85
