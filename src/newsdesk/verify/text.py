"""Text helpers the checks share: words, stop words, crude stems.

Kept dependency-free and language-tolerant: any script tokenises (CJK runs become
character bigrams so overlap still means something), and English-only knowledge
(stop words, suffix stripping) simply does nothing on other languages.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from functools import lru_cache

from newsdesk.text.words import CJK, holds_cjk
from newsdesk.text.words import stem as words_stem


def wordset(text: str) -> frozenset[str]:
    """A set of words written as one space-separated string (easier to read and edit)."""
    return frozenset(text.split())


WORD = re.compile(r"\w+(?:['’\-]\w+)*", re.UNICODE)

STOPWORDS = wordset("""a about above after again against all also although am among an and any are aren't as
    at be because been before being below between both but by can cannot could couldn't did
    didn't do does doesn't doing don't down during each either else even ever every few for
    from further had hadn't has hasn't have haven't having he he'd he'll he's her here here's
    hers herself him himself his how however i i'd i'll i'm i've if in into is isn't it it's
    its itself just let's many may me might more most much must mustn't my myself neither no
    nor not now of off on once one only or other ought our ours ourselves out over own per
    said same says say shall shan't she she'd she'll she's should shouldn't since so some
    still such than that that's the their theirs them themselves then there there's these
    they they'd they'll they're they've this those though through thus to too under until up
    upon us very via was wasn't we we'd we'll we're we've were weren't what what's when
    when's where where's whether which while who who's whom whose why why's will with within
    without won't would wouldn't yet you you'd you'll you're you've your yours yourself
    yourselves according also already around another back just like made make new told""")

# Words that open sentences or headlines without being names.
SENTENCE_STARTERS = wordset("""meanwhile however moreover furthermore additionally nevertheless nonetheless instead
    still yet also then later earlier finally first firstly second secondly third lastly
    overall today yesterday tomorrow tonight now recently currently previously initially
    ultimately eventually subsequently consequently therefore thus hence indeed notably
    importantly interestingly separately elsewhere despite following amid among after before
    during since while although though because unless if when where as once until upon with
    without within according asked speaking officials authorities police witnesses experts
    critics analysts residents reports sources many several some most few both all each
    such another other others one two three four five six seven eight nine ten this that
    these those there here it its his her their our we they he she i you in on at by for
    from of to the a an and but or nor so further last next new more less in summary
    summary background""")


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def fold(text: str) -> str:
    """Lower-case and strip accents: 'Côte' and 'cote' compare equal."""
    if text.isascii():  # most words: nothing to decompose
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """Word tokens as written (case kept), hyphenated and apostrophe words kept whole."""
    return WORD.findall(nfkc(text))


# Irregular English verb forms, so "found" meets "find" and "took" meets "take".
_IRREGULAR = {
    form: base
    for base, forms in {
        "find": "found",
        "say": "said says",
        "take": "took taken",
        "make": "made",
        "go": "went gone goes",
        "come": "came",
        "see": "saw seen",
        "tell": "told",
        "give": "gave given",
        "get": "got gotten",
        "hold": "held",
        "leave": "left",
        "meet": "met",
        "pay": "paid",
        "run": "ran",
        "send": "sent",
        "spend": "spent",
        "stand": "stood",
        "think": "thought",
        "know": "knew known",
        "lose": "lost",
        "win": "won",
        "begin": "began begun",
        "bring": "brought",
        "buy": "bought",
        "catch": "caught",
        "fall": "fell fallen",
        "feel": "felt",
        "keep": "kept",
        "lead": "led",
        "mean": "meant",
        "shoot": "shot",
        "sell": "sold",
        "strike": "struck",
        "write": "wrote written",
        "show": "shown",
        "do": "did done does",
        "have": "had has",
        "fight": "fought",
        "flee": "fled",
        "hide": "hid hidden",
        "rise": "rose risen",
        "seek": "sought",
        "speak": "spoke spoken",
        "steal": "stole stolen",
        "teach": "taught",
        "throw": "threw thrown",
        "grow": "grew grown",
        "drive": "drove driven",
        "break": "broke broken",
        "choose": "chose chosen",
        "hear": "heard",
        "build": "built",
        "lay": "laid",
        "sit": "sat",
        "sleep": "slept",
        "understand": "understood",
    }.items()
    for form in forms.split()
}


# The script of a word picks its Snowball stemmer (the toolkit's one per language): the
# checks read words of mixed languages without knowing each word's language.
_SCRIPT_STEMMERS = (("CYRILLIC", "ru"), ("GREEK", "el"), ("ARABIC", "ar"), ("ARMENIAN", "hy"))


def _stem_language(word: str) -> str | None:
    if word.isascii():
        return "en"
    if CJK.search(word):
        return None  # Chinese and Japanese words are not stemmed
    name = unicodedata.name(word[0], "")
    return next((code for script, code in _SCRIPT_STEMMERS if script in name), "en")


@lru_cache(maxsize=1 << 16)  # each word of every source is asked for again and again
def stem(word: str) -> str:
    """The word's Snowball stem (``newsdesk.text.words``), by its script, with English
    irregular verbs first brought to their base form so 'found' meets 'find'."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = _IRREGULAR.get(w, w)
    return words_stem(w, _stem_language(w))


def content_terms(text: str) -> list[str]:
    """Stemmed content words; CJK runs become character bigrams (no spaces there)."""
    text = nfkc(text)
    tokens = WORD.findall(text)
    if not holds_cjk(text):  # the usual case: each word's term is looked up
        return [term for token in tokens if (term := _term(token)) is not None]
    out: list[str] = []
    for token in tokens:
        if CJK.search(token):
            chars = [c for c in token if not c.isspace()]
            out.extend(a + b for a, b in itertools.pairwise(chars))
            if len(chars) == 1:
                out.append(chars[0])
            continue
        term = _term(token)
        if term is not None:
            out.append(term)
    return out


@lru_cache(maxsize=1 << 17)  # every word of every source and draft sentence asks again
def _term(token: str) -> str | None:
    """The content term of a word written in no CJK script; None for a stop word, a
    number or a single character (``content_terms``)."""
    lower = token.lower().replace("’", "'")
    if lower in STOPWORDS or lower.isdigit() or len(lower) < 2:
        return None
    return stem(lower)


def normalise_for_compare(text: str) -> str:
    """Lower-case words joined by single spaces: the key for near-duplicate tests."""
    return " ".join(w.lower() for w in words(text))


def terms_around(text: str, start: int, end: int, window: int) -> set[str]:
    """Content words within ``window`` characters of ``text[start:end]``, cut at whole words."""
    before = text[max(0, start - window) : start]
    after = text[end : end + window]
    if start > window:
        before = before.split(" ", 1)[-1]
    if end + window < len(text):
        after = after.rsplit(" ", 1)[0]
    return set(content_terms(before)) | set(content_terms(after))
