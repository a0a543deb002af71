"""The writers' source sentences: reporting sentences of an article, in any language.

Sentences are split by the project's one splitter (``newsdesk.text.sentences``); this
module drops datelines, captions, credits, menus and fragments. Every sentence returned
is an exact substring of its article's paragraph (only leading datelines such as
"LONDON (Reuters) -" are cut off), so a verifier can find it verbatim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsdesk.text.sentences import split_sentences
from newsdesk.text.words import CJK as _CJK
from newsdesk.text.words import may_hold_cjk

# "LONDON (Reuters) - ", "(CNN) -- ", "Jan 5 (AP) — ", "MOSCOW, June 7 (Reuters) -"
_DATELINE = re.compile(
    r"""^\s*(?:
        [A-Z][A-Za-z.'\- ]{0,40}(?:,\s*[A-Z][A-Za-z.'\- ]{0,30})?(?:,?\s*\w+\.?\s+\d{1,2}(?:,\s*\d{4})?)?
        \s*\([A-Za-z&./' ]{1,30}\)\s*[-—–]{1,2}\s*
      | \([A-Za-z&./' ]{1,30}\)\s*[-—–]{1,2}\s*
      | \[[^\]\n]{1,40}\]\s*
      | (?:[A-Z][A-Za-z.'\- ]{0,30},?\s*)?\((?:CNN|AP|AFP|Reuters|UPI|dpa|ANSA|EFE|Xinhua|TASS|ТАСС|РИА\ Новости|Интерфакс)\)\s+
      | [A-ZÀ-Ý][A-ZÀ-Ý.'\- ]{2,40}(?:,\s*[A-Za-z.'\- ]{2,30})?\s*(?:--|—|–|\s-)\s*(?=[A-Z"“])
    )""",
    re.VERBOSE,
)
# A date (and time) stamp glued before the first sentence: "December 27, 2004 Over the
# past week ...", "26.11.2004 16:43 Lycos ..."; cut only where a capitalised word follows.
_LEADING_STAMP = re.compile(
    r"^(?:(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)\s+\d{1,2},\s+\d{4}|\d{1,2}\.\d{1,2}\.\d{4}(?:,?\s+\d{1,2}:\d{2})?|"
    # a live blog's clock: "11am:", "11.03am:", "14:05 -"
    r"\d{1,2}(?:[.:]\d{2})?\s?[ap]\.?m\.?|\d{1,2}[.:]\d{2}(?=\s*[:–—-]))\s*[:–—-]?\s+"
    r"(?=[A-Z][a-z])"
)
# Video-player, gallery and highlight-box labels glued to the first sentence ("CLOSE Kevin
# Spacey was...", "Story highlights A Chinese ship ...").
_PLAYER_TAG = re.compile(
    r"^(?:CLOSE|WATCH|VIDEO|PHOTOS?|GALLERY|LISTEN|PLAY|View (?:Images|Photos|Gallery)|"
    r"Story highlights)\s+(?=[A-Z])"
)
# Layout, not words: a rule of dashes or stars standing apart ("BOX OFFICE ---------",
# "*** LIVE ***"; a censored "f***ing" is a word), or a line picked up after an ellipsis
# ("...to Mar-a-Lago 3 nights").
_LAYOUT = re.compile(r"(?:^|\s)([-*=_~#+])\1\1+(?!\S)|^(?:\.\.\.|…)")
# Fragments that are page furniture, captions or calls to action, not reporting.
_FURNITURE_START = re.compile(
    r"""(?ix)
    \(?(?:photo|image|video|picture)s?\s*:|  # a gallery's or a credit's label: "(Photo: ..."
    embed\b|
    (?:editor'?s\ )?note\s*:|  # a note on a chart or a list, not reporting: "Note: Titles in grey ..."
    (?:photo|image|video|picture|caption|file\ photo|credit|source|advertisement|
       update|updated|editor'?s\ note|correction|clarification|
       read\ more|related|see\ also|click\ here|watch|listen|follow\ us|sign\ up|
       share(?!\ (?:prices?|holders?|buybacks?|capital|issues?|sales?|of)\b)|
       buy\ photo|
       subscribe|copyright|all\ rights\ reserved|sorry|фото|видео|источник|реклама|
       читайте\ также)
    \b[\s:|,-]
    """
)
# Plain substrings (lower case): checked with `in`, far faster than a regex search.
_FURNITURE_PHRASES = (
    "getty images",
    "ap photo",
    "afp photo",
    "reuters/",
    "staff photographer",
    "photo by ",
    "image copyright",
    "click here",
    "sign up for",
    "subscribe to",
    "newsletter",
    "all rights reserved",
    "cookie policy",
    "cookies policy",
    "javascript",
    "this material may not be published",
    "not found",
    "video has been rented",
    "video is unavailable",
    "tweet with a location",
    "your tweets",
    "file photo",
    "pictured",
    "photographed",
    "poses for",
    " seen ",
    " photo,",
    "not be found",
    "your browser",
    "http://",
    "https://",
    "www.",
    "©",
    "(c) ",
    "hide caption",
    "in this ",
    "continue reading the main story",
    "<<",
    "previous",
    "enlarge ",
    "redirects here",
    "photo)",
    "photos)",
    "enter the c",
    "inbox",
    "subscribing",
    "alerts",
    "stay up to date",
    "view this article",
    "(photo",
    "unsubscribe",
)
_FURNITURE_TEXT = re.compile(
    r"\b(?:page|article|content)\ (?:you\ (?:requested|are\ looking\ for)\ )?"
    r"(?:was\ |is\ |could\ )?not\ (?:be\ )?found|enable javascript|upgrade your browser|"
    r"https?://|www\.\w|©|\(c\)\s*\d{4}|javascript|newsletter|click here|sign up for|"
    r"subscribe to|getty images|ap photo|afp photo|reuters/|staff photographer|photo by|"
    r"image copyright|all rights reserved|cookies? policy|this material may not be published|"
    r"video has been rented|video is unavailable|tweet with a location|"
    r"location information to your tweets|"
    # gallery and ad labels flattened into the text ("Hide Caption 3 of 13 Photos: ...")
    r"hide caption|continue reading the main story|"
    # page navigation flattened into the text ("<< Previous | Next >>")
    r"<<\s*(?:previous|prev|back)\b|\bprevious\s*(?:\||page\b|article\b|story\b)|"
    r"file photo|\bin this (?:[\w,]+ ){0,6}photo\b|"
    # a photo's credit closing a caption ("... (Family photos)", "(AP Photo/Ann Lee)"), a
    # form's test for robots
    r"\((?:[\w.'’ -]{0,30} )?photos?\b[^()]{0,60}\)\W*$|\benter the (?:characters|code) "
    r"(?:you see|shown|with)\b|"
    # a gallery's button, an encyclopedia's note on a page's name
    r"\benlarge (?:this )?(?:image|photo|picture)\b|\bredirects here\b|"
    # newsletter, alert and paywall notices ("Get daily updates directly to your inbox")
    r"\b(?:directly|straight|delivered) (?:to|in|into) your inbox\b|"
    r"thank you for subscribing|\bget (?:\w+ ){0,3}(?:news )?alerts\b|"
    r"\bto stay up to date (?:on|with) (?:the latest|all)\b|\bcan view this article\b|"
    r"\bunsubscribe (?:at any time|anytime)\b|"
    r"\bin this (?:(?:still|handout|undated|file|aerial|satellite|video) )*"
    r"(?:image|picture|video grab|frame grab)\b|"
    # captions: "X is pictured", "Y poses for a photo", "Z is seen ... , May 2, 2011."
    r"\b(?:is|are) (?:pictured|photographed)\b|\bposes? for (?:a )?(?:photo|picture|portrait)|"
    r"\b(?:is|are) seen\b.*\b\d{4}\.$"
)
# Calls to action and notices in the languages we read (checked on lower-cased text, after
# one of the cheap hints below is found): subscribe, get the newsletter or the app, follow,
# bookmark; comment moderation rules; trademark footnotes.
_CALL_TO_ACTION_HINTS = (
    "abonn", "suscr", "assin", "inscr", "iscriv", "abbonat", "prenumer", "подпи", "receba",
    "recevez", "recibe", " app", "folgen sie", "suivez", "síguenos", "siga-nos", "seguici",
    "volg ons", "favorit", "favoris", "bookmark", "moderat", "moderad", "modér", "moderi",
    "商標", "※", "trademark", "eingetragene marke",
)  # fmt: skip
_CALL_TO_ACTION = re.compile(
    r"\bjetzt (?:\w+ )?abonnieren\b|\babonnieren sie\b|\babonnez-vous\b|\babonne-toi\b|"
    r"\bsuscr[ií]b(?:ete|ase|anse)\b|\bassine (?:já|agora|o |a |nossa|nosso)|\binscreva-se\b|"
    r"\binscrivez-vous\b|\biscriviti\b|\babbonati\b|\bprenumerera\b|\babonneer\b|"
    r"\bподпишитесь\b|\bподписывайтесь\b|"
    r"\breceba (?:em seu|no seu|por|gr[aá]tis)|\brecevez (?:notre|nos|gratuitement)\b|"
    r"\brecibe (?:en tu|nuestr|gratis)|"
    r"\b(?:laden sie|lade dir|holen sie sich) (?:\w+ )?app\b|\bapp herunterladen\b|"
    r"\btéléchargez (?:l'|notre )app|\bdescarga (?:la|nuestra) app\b|\bbaixe (?:o|nosso) app\b|"
    r"\bscarica (?:l'|la nostra )app|^\W*download (?:our|the) (?:[\w.]+ ){0,3}app\b|"
    r"\bfolgen sie uns\b|\bsuivez-nous\b|\bsíguenos\b|\bsiga-nos\b|\bseguici\b|\bvolg ons\b|"
    r"\b(?:coloque|adicione) (?:\w+ )?nos (?:seus )?favoritos\b|"
    r"\bzu (?:ihren |den )?favoriten hinzufügen\b|\bajout\w* (?:\w+ ){0,3}aux favoris\b|"
    r"\badd (?:\w+ ){0,2}to (?:your )?(?:favorites|favourites|bookmarks)\b|"
    r"\bcoment[aá]rios?\b.{0,160}\bmodera(?:dor|dos|das|ção)|"
    r"\bcomments?\b.{0,160}\b(?:moderated|moderator|moderation)\b|"
    r"\bkommentare?\b.{0,160}\b(?:moderiert|moderator|moderation)|"
    r"\bcommentaires?\b.{0,160}\bmodér(?:és|ateur|ation)|"
    r"^※|の(?:登録)?商標(?:です|である)|\bis a (?:registered )?trademark of\b|"
    r"\bist eine eingetragene marke\b"
)
# A news agency's photo caption ends on the place and the full date, weekday first: "...
# in Aleppo, Syria, Tuesday, Sept. 25, 2012." or "... Capitol Building on Sunday, Sept. 27,
# 2015." (a report's "made his debut on Monday, January 11, 1999." has no place before it).
_DATED_CAPTION = re.compile(
    r"(?:,|\b[A-Z][\w.]*)\s+(?:on\s+)?(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+"
    r"(?:Jan|Feb|March|April|May|June|July|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?,?\s+\d{1,2},?\s+"
    r"\d{4}\.$"
)
_WORD = re.compile(r"\w+", re.UNICODE)
_NON_LETTER = re.compile(r"[\W\d_]+", re.UNICODE)
_STOPS = frozenset(".!?。！？")
_CLOSERS = "\"'”’»)]」』）"
_ASCII_NON_LETTERS = {c: None for c in range(128) if not chr(c).isalpha()}


@dataclass(frozen=True)
class SourceSentence:
    """A sentence of one article with where it sits (for ordering and citing)."""

    text: str
    article_index: int
    paragraph: int  # index of the paragraph in the article
    position: int  # index of the sentence in the article, counting only kept sentences


def strip_labels(text: str) -> str:
    """Drop a player's, gallery's or highlight box's label and a date stamp glued before the
    text ("CLOSE Kevin Spacey was ...", "December 27, 2004: Over the past week ..."), where
    more than a few words follow."""
    tag = _PLAYER_TAG.match(text)
    if tag and len(text) - tag.end() > 20:
        text = text[tag.end() :]
    if text[:1].isdigit() or text[:1] in "JFMASOND":
        stamp = _LEADING_STAMP.match(text)
        if stamp and len(text) - stamp.end() > 20:
            text = text[stamp.end() :]
    return text


def is_layout(text: str) -> bool:
    """A rule of dashes or stars in it, or a line picked up after an ellipsis (``_LAYOUT``)."""
    return bool(_LAYOUT.search(text))


def strip_dateline(sentence: str) -> str:
    """Drop a leading dateline ("WASHINGTON (Reuters) -") keeping the rest verbatim."""
    sentence = strip_labels(sentence)
    head = sentence[:90]
    if not any(mark in head for mark in "-—–(["):
        return sentence  # the cheap test: most sentences have no dateline
    match = _DATELINE.match(sentence)
    if match and len(sentence) - match.end() > 20:
        return sentence[match.end() :]
    return sentence


def word_count(text: str) -> int:
    """Words as a reader counts them; CJK characters count as roughly one word per two."""
    if not may_hold_cjk(text):
        return len(text.split())
    cjk = len(_CJK.findall(text))
    if cjk:
        return max(1, cjk // 2 + len(_WORD.findall(_CJK.sub(" ", text))))
    return len(text.split())


def is_reporting_sentence(sentence: str) -> bool:
    """True for a real sentence of reporting, False for captions, menus, credits and fragments."""
    # Cheap tests first: this runs on every sentence of every article.
    end = sentence.rstrip(_CLOSERS)
    if end[-1:] not in _STOPS or end.endswith("..") or _TRAILING_OFF.search(end[-8:]):
        return False  # a teaser cut off with "..." or ". . ."
    words = word_count(sentence)
    if words < 6 or words > 80:
        return False
    if sentence.isascii():
        letters = len(sentence.translate(_ASCII_NON_LETTERS))
    else:
        letters = len(_NON_LETTER.sub("", sentence))
    if letters < 0.6 * (len(sentence) - sentence.count(" ")):
        return False
    if sentence == sentence.upper() and sentence != sentence.lower():  # shouted headings, menus
        return False
    if is_layout(sentence):
        return False  # a menu's rule, a fragment picked up after an ellipsis
    first = sentence.lstrip("\"'“‘«([—–- ")[:1]
    # Sentences start with a capital, digit or quote; a lower-case start is a broken fragment.
    if first.isalpha() and first.islower() and not _CJK.match(first):
        return False
    if words < 15 and sentence.count(":") >= 2 and _is_field_list(sentence):
        return False
    if _is_reference_row(sentence):
        return False
    return not is_furniture(sentence)


def _is_field_list(sentence: str) -> bool:
    """A row of labelled fields ("Propellants: LOX No Engines : 1."): a label of one or two
    words first, and two colons or more that are neither a clock's or a score's (10:30,
    2:1) nor inside a quotation."""
    if any(mark in sentence for mark in _QUOTE_MARKS):
        return False
    label = sentence.split(":", 1)[0]
    if len(label.split()) > 2:  # a row opens on its first label ("LEO Payload:")
        return False
    return sentence.count(":") - len(_DIGIT_COLON.findall(sentence)) >= 2


_TRAILING_OFF = re.compile(r"[^.\s] \. \. \.$")  # "... by Indymedia . . .", not "done. . . ."
_QUOTE_MARKS = '"“”«»„'
_DIGIT_COLON = re.compile(r"\d:\d")


def _is_reference_row(sentence: str) -> bool:
    """A reference page's row: a term glued to its definition ("Impact Probability The
    probability that ...", "Sigma LOV The coordinate ...") or a numbered footnote ("(2)
    Data for users ... may be found by clicking ...")."""
    return bool(_REFERENCE_ROW.match(sentence))


# A title-case term of one to four words, then its definition opening on "The" and a word
# in lower case; or a footnote's number in brackets.
_REFERENCE_ROW = re.compile(r"(?:[A-Z][a-z][\w'’-]*\s+){1,4}The\s+[a-z]|\(\d{1,2}\)\s+[A-Z]")


def is_furniture(sentence: str) -> bool:
    """True for captions, credits, error pages, embed and share widgets, calls to action
    (in the languages of ``_CALL_TO_ACTION``), comment rules and trademark footnotes."""
    if _FURNITURE_START.match(sentence):
        return True
    if sentence[-2:-1].isdigit() and _DATED_CAPTION.search(sentence):
        return True
    lower = sentence.lower()
    # a cheap hint first, then the exact pattern (word boundaries etc.)
    if any(phrase in lower for phrase in _FURNITURE_PHRASES) and _FURNITURE_TEXT.search(lower):
        return True
    if any(hint in lower for hint in _CALL_TO_ACTION_HINTS):
        return bool(_CALL_TO_ACTION.search(lower))
    return False


def article_sentences(
    paragraphs: tuple[str, ...] | list[str], article_index: int
) -> list[SourceSentence]:
    """The reporting sentences of an article in reading order, datelines removed."""
    out: list[SourceSentence] = []
    for p_index, paragraph in enumerate(paragraphs):
        pieces = [
            strip_dateline(piece).strip()
            for raw in split_sentences(paragraph)
            for piece in _unglued(raw)
        ]
        for text in whole_quotations(pieces):
            if is_reporting_sentence(text):
                out.append(SourceSentence(text, article_index, p_index, len(out)))
    return out


def _unglued(sentence: str) -> list[str]:
    """Two sentences a page ran together without a space ("... injured with hot
    glue.Lizandra Cosme, 32, ..."), as two: only after a word in lower case, so a name
    written with a dot ("SciDev.Net", "TrojanDropper.FakeSpamFighter") stays whole."""
    if "." not in sentence:
        return [sentence]
    out, start = [], 0
    for match in _GLUED_STOP.finditer(sentence):
        out.append(sentence[start : match.end()])
        start = match.end()
    out.append(sentence[start:])
    return [piece for piece in out if piece]


# A stop after a lower-case word of two letters or more, a capitalised word glued after it.
_GLUED_STOP = re.compile(r"(?<![\w.])[a-z]{2,}[.!?](?=[A-Z][a-z]+\b)")


def whole_quotations(sentences: list[str]) -> list[str]:
    """Consecutive sentences of one paragraph joined where a quotation runs over them
    («Silver came this way. No hoard this size was found here», she said.): each alone
    would open or close a quotation it does not hold, and read as a fragment. A quotation
    still open after ``_QUOTE_SPAN`` sentences (or 80 words) leaves them as they were."""
    out: list[str] = []
    i = 0
    while i < len(sentences):
        text = sentences[i]
        end = i + 1
        if _opens_quotation(text):
            joined = text
            for j in range(i + 1, min(len(sentences), i + _QUOTE_SPAN)):
                joined = f"{joined} {sentences[j]}"
                if word_count(joined) > 80:
                    break
                if not _opens_quotation(joined):
                    text, end = joined, j + 1
                    break
        out.append(text)
        i = end
    return out


_QUOTE_SPAN = 4  # sentences one quotation may run over and still be read whole


def _opens_quotation(text: str) -> bool:
    """Whether a quotation opened in ``text`` is still open at its end."""
    if text.count("«") > text.count("»") or text.count("“") > text.count("”"):
        return True
    return text.count('"') % 2 == 1 and text.lstrip().startswith('"')
