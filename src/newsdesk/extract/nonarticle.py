"""Pages that hold no article: error pages, browser and cookie notices, sign-in walls...

A crawl of news sites (Common Crawl CC-NEWS, a site's sitemap) returns many pages with
status 200 that are not articles: a soft 404 ("Sorry, the page you requested was not
found"), a "JavaScript is disabled" shell, a cookie or consent wall, a sign-in or
subscription stub, a social site's notice about one of its features, a web archive's
note about its crawls, a video page whose only text is its player's messages, a site's
front page (its title says so, and no date or og:type says it is an article). The body
picker finds "the text" of such a page all the same; ``non_article_reason`` judges the
text it picked and says what the page is instead.

The test is conservative, so that a short news brief still passes:

- only a short main text (``MAX_FURNITURE_WEIGHT`` characters, some 200 words) can be
  refused for what it says;
- it is refused when most of it (by length) is page furniture: sentences that speak
  about the page, the site, the browser, the reader's account or the site's crawls, or
  that tell the reader what to do with the page ("Click here to go to the home page"),
  rather than report something. A sentence that reports ("said", "according to") is
  never furniture;
- a <title> or main heading that names an HTTP error ("404", "Page not found") with a
  short text under it is an error page however that text reads.

As far as we found, trafilatura has no such check (it returns a court's block notice as
the page's text, adbar/trafilatura#248), and newspaper4k and news-please judge a page by
counts and markup (word and sentence counts, og:type, linked headlines) rather than by
what its text says. The signals here: status-like titles and headings, a high share of
interface phrases, instructions to the reader, a short text. Error, browser and cookie
notices are matched in several languages; the other kinds in English.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from newsdesk.extract.dom import text_weight
from newsdesk.lazy import LazyPattern
from newsdesk.text.pages import names_a_front_page
from newsdesk.text.sentences import split_sentences

# Only a text up to this long (Latin-equivalent characters) can be page furniture: a
# real article's body is longer, and a brief this short still needs reporting in it.
MAX_FURNITURE_WEIGHT = 1200
# Share of the text (by length) that must be furniture; og:type moves it a little.
FURNITURE_SHARE = 0.5
_SHARE_BY_OG_TYPE = {"article": 0.65, "website": 0.45, "profile": 0.45, "video": 0.4}
# Under an error heading, a text longer than this is still read on its own merits.
MAX_ERROR_BODY_WEIGHT = 1500


@dataclass(frozen=True)
class _Kind:
    """One kind of non-article page: how the reason names it and phrases that show it."""

    name: str
    phrases: LazyPattern


# The patterns below are compiled on first use (LazyPattern): only a short text (at most
# MAX_ERROR_BODY_WEIGHT) is read by them, and a run of long articles never compiles them.
def _phrases(*alternatives: str) -> LazyPattern:
    return LazyPattern("|".join(f"(?:{a})" for a in alternatives), re.I)


_ERROR = _Kind(
    "the page is an error page",
    _phrases(
        r"\b(?:error|http|fehler|erreur)\s*(?:404|410|500|503)\b",
        r"\b(?:404|410)\s*(?:error|not found|page)\b",
        r"\bpage (?:was |is |could )?(?:not|n['’]t|cannot|can['’]t)\s+(?:be\s+)?(?:found|displayed)",
        r"\b(?:page|file|url|document|resource|article) not found\b",
        r"\bpage (?:you|you['’]re|you are|you were) (?:requested|looking for|trying to reach)\b"
        r"[^.!?]{0,40}\b(?:not|n['’]t|no longer|removed|moved)\b",
        r"\b(?:page|article|story|content|link) (?:does not|doesn['’]t|no longer) exists?\b",
        r"\b(?:this|the) (?:page|article|story|content) (?:has been|was|is) (?:removed|deleted|"
        r"moved|expired|unavailable|no longer available)\b",
        r"\bwe (?:couldn['’]t|could not|can['’]t|cannot) find (?:the|that|this|your) page\b",
        r"\b(?:check|verify) the (?:url|address|link|spelling)\b",
        r"\bsomething went wrong\b|\ban (?:unexpected )?error (?:has )?occurred\b",
        r"\b(?:internal )?server error\b|\bservice (?:temporarily )?unavailable\b",
        # de, fr, es, it, pt, nl, ru, ja, zh
        r"\bseite (?:wurde )?nicht gefunden\b|\bseite[^.!?]{0,40}\bexistiert (?:leider )?nicht\b",
        r"\bpage (?:introuvable|non trouvée)\b|\bpage[^.!?]{0,40}\bn['’]existe (?:pas|plus)\b",
        r"\bp[áa]gina[^.!?]{0,40}\bn(?:o|[ãa]o) (?:existe|(?:ha sido |foi )?encontrada)\b",
        r"\bpagina[^.!?]{0,40}\bnon (?:trovata|esiste)\b|\bpagina niet gevonden\b",
        r"страница не найдена|страница не существует",
        r"ページが見つかりません|お探しのページ|页面不存在|页面未找到|找不到(?:该|此|您要的)?页面",
    ),
)
_BROWSER = _Kind(
    "the page is a browser notice",
    _phrases(
        r"\bjavascript (?:is |has been |seems to be |appears to be )?(?:disabled|turned off|"
        r"not enabled|switched off|required|needed)\b",
        r"\b(?:enable|turn on|activate|allow|switch on) (?:your )?javascript\b",
        r"\byour browser (?:is (?:not supported|out of date|outdated|too old)|does not support|"
        r"doesn['’]t support|is blocking)\b",
        r"\b(?:update|upgrade) (?:your|to a (?:newer|modern|supported)) (?:web )?browser\b",
        r"\b(?:unsupported|outdated) browser\b|\blegacy (?:version|site)\b",
        r"\bad ?-?blocker\b|\b(?:disable|turn off|pause) (?:your )?ad ?-?block",
        r"\b(?:verify|confirm) (?:that )?you are (?:a )?human\b|\bare you a robot\b",
        r"\bchecking your browser\b|\bcaptcha\b",
        r"\bjavascript (?:ist )?deaktiviert\b|\baktivieren sie javascript\b",
        r"\bjavascript est désactivé\b|\bactivez (?:le )?javascript\b",
        r"\bjavascript est[áa] (?:desactivado|deshabilitado)\b|\bhabilit[ae] (?:el )?javascript\b",
    ),
)
_COOKIES = _Kind(
    "the page is a cookie or consent notice",
    _phrases(
        r"\bwe (?:and our partners )?use cookies\b",
        r"\b(?:this|our) (?:site|website) uses cookies\b",
        r"\b(?:accept|allow|reject|refuse|manage|customi[sz]e) (?:all |our |the )?cookies\b",
        r"\bcookie (?:settings|preferences|policy|consent|banner|notice)\b",
        r"\bby (?:continuing|clicking|using)(?: to (?:use|browse))? (?:this|our|the) "
        r"(?:site|website|service)\b",
        r"\b(?:agree|consent) to (?:the|our) use of cookies\b",
        r"\b(?:manage|update|withdraw) (?:your )?consent\b|\byour privacy (?:choices|settings)\b",
        r"\bwir verwenden cookies\b|\bcookies akzeptieren\b",
        r"\bnous utilisons des cookies\b|\baccepter (?:les|tous les) cookies\b",
        r"\butilizamos cookies\b|\baceptar (?:las |todas las )?cookies\b",
    ),
)
_WALL = _Kind(
    "the page is a sign-in or subscription wall",
    _phrases(
        r"\b(?:sign|log) ?in (?:to|or|with|now)\b|\bplease (?:sign|log) ?in\b",
        r"\b(?:create|register|open) (?:an|a free|your|a) account\b",
        r"\balready (?:a )?(?:subscriber|member|registered|have an account)\b",
        r"\bsubscribe (?:now|today|to (?:continue|read|unlock|keep))\b",
        r"\bto (?:continue|keep) reading\b|\bcontinue reading (?:with|for)\b",
        r"\b(?:for )?(?:subscribers|members) only\b|\bexclusive(?:ly)? for subscribers\b",
        r"\b(?:available|reserved) (?:only )?(?:to|for) (?:subscribers|members)\b",
        r"\b(?:forgot|reset) (?:your )?password\b|\b(?:username|e-?mail) and password\b",
        r"\bunlock (?:this|the full|full|unlimited) (?:article|story|access)\b",
        r"\byou have reached (?:your|the) (?:limit|maximum)\b|\bfree articles? (?:left|remaining)\b",
        r"\bstart (?:your|a) free trial\b",
    ),
)
_FEATURE = _Kind(
    "the page is a notice about the site's features",
    _phrases(
        r"\byou (?:can|may|always have the option to) (?:add|change|delete|turn|switch|manage|"
        r"edit|remove|choose|opt|share|save)\b",
        r"\byour (?:tweets?|posts?|profile|timeline|settings|location history|search history|"
        r"watch history|e-?mail address)\b",
        r"\blocation (?:information|history|services)\b",
        r"\b(?:third-party|third party) (?:applications|apps)\b",
        r"\b(?:share|e-?mail|send|recommend(?:ing)?) (?:this|the) (?:page|article|story|link)\b",
        r"\b(?:we do not|we don['’]t) (?:capture|store|share|sell) (?:any|your)\b",
    ),
)
_ARCHIVE = _Kind(
    "the page is a web archive's crawl notice",
    _phrases(
        r"\b(?:these|our|web|its) crawls\b|\bcrawl data\b|\bweb ?crawl(?:er|ers|ing)?\b",
        r"\bwayback machine\b|\binternet archive\b",
        r"\barchiv(?:e|ed|ing) (?:the )?(?:web )?pages\b",
        r"\bembargo period\b",
    ),
)
_VIDEO = _Kind(
    "the page holds only a video player's messages",
    _phrases(
        r"\b(?:this )?video (?:is )?(?:unavailable|not available|private|no longer available)\b",
        r"\b(?:transcript|captions?|subtitles|video|player|content) could not be loaded\b",
        r"\b(?:this )?(?:feature|content|video) is (?:not|currently not) available\b",
        r"\btry again later\b",
        r"\brating is available when\b|\bwhen the video has been (?:rented|purchased)\b",
        r"\b(?:playback|player) error\b|\berror (?:loading|playing) (?:the )?(?:video|player)\b",
        r"\bautoplay is (?:on|off|paused)\b|\bup next\b",
    ),
)
_KINDS = (_ERROR, _BROWSER, _COOKIES, _WALL, _FEATURE, _ARCHIVE, _VIDEO)

# Instructions to the reader about the page itself: an imperative, "please" or "you" and
# something of the page's interface in the same sentence.
_INSTRUCTION = LazyPattern(
    r"^(?:please\s+)?(?:click|tap|press|go|return|visit|try|check|enable|sign|log|subscribe|"
    r"accept|learn|continue|update|refresh|reload|select|choose|contact|scroll|swipe|follow|"
    r"download|install|use|search|look)\b|\b(?:you|your|you['’](?:re|ll|ve|d))\b",
    re.I,
)
_INTERFACE = LazyPattern(
    r"\b(?:click|tap|here to|page|pages|site|website|link|links|url|browser|button|settings|"
    r"account|app|home ?page|e-?mail|below|tab|window|notifications?|learn more|log ?in|"
    r"sign ?in|assistance|help ?(?:center|centre|desk|page))\b",
    re.I,
)
_INSTRUCTIONS = "the page holds only instructions to the reader"

# A sentence that reports something is not furniture, whatever words it uses.
_REPORTING = LazyPattern(
    r"\b(?:said|says|told|according to|reported|announced|confirmed|stated|spokes(?:man|woman|"
    r"person)|officials?|police|minister|president|court)\b|\((?:AP|Reuters|AFP|CNN)\)",
    re.I,
)
# An error phrase about the page itself, in a heading or the text's short first sentence
# ("Sorry, the page you requested was not found"), names an error page.
_PAGE_WORD = LazyPattern(r"page|p[áa]gina|\b(?:404|410|url)\b|seite|страниц|ページ|页面", re.I)
_MAX_HEADING_WEIGHT = 90
# Titles that name an HTTP error: "404", "Error 404 - Example", "Page not found | Site".
_ERROR_TITLE = LazyPattern(
    r"^\s*(?:error|http|fehler|erreur)\s*(?:403|404|410|500|503)\b"
    # A bare code must stand alone ("404 - Example", "404 Not Found"), not "500 jobs cut".
    r"|^\s*(?:403|404|410|500|503)(?:\s*(?:error|not found|forbidden|gone|"
    r"internal server error|service unavailable))?\s*(?:$|[|:–—·»!.]|\s-\s)"
    r"|^\s*(?:error|oops!?|not found|page not found|file not found|forbidden|access denied)"
    r"\s*(?:$|[|–—·»]|\s-\s)",
    re.I,
)


@dataclass(frozen=True)
class PageSignals:
    """What the page's markup says about it besides its text (all optional)."""

    title: str = ""  # the <title> as written, site name and all
    headings: tuple[str, ...] = ()  # the first main headings (h1)
    og_type: str | None = None  # OpenGraph og:type, lowercased ("article", "website"...)
    dated: bool = False  # the page gives a published date


def _front_page(title: str, signals: PageSignals) -> bool:
    """A page that names itself a site's front page, in its <title> and in the title read
    ("... Home Page", "Accueil"), and that nothing marks as an article: no published date,
    no og:type "article". What the body picker finds there, when short, is a teaser or a
    slideshow's caption; a long text under such a title is a real article on a site that
    titles every page so (a newspaper's archive, read on its merits)."""
    if signals.dated or signals.og_type == "article":
        return False
    named = [t for t in (signals.title, title) if t and t.strip()]
    return bool(named) and all(names_a_front_page(t) for t in named)


def non_article_reason(
    paragraphs: Iterable[str], title: str = "", signals: PageSignals | None = None
) -> str | None:
    """Why the page's main text is not an article, or None when it may well be one.

    ``paragraphs`` is the text the extractor picked as the body; ``title`` the title it
    read; ``signals`` what the HTML adds (raw <title>, h1, og:type).
    """
    signals = signals or PageSignals()
    body = [p for p in paragraphs if p.strip()]
    weight = sum(text_weight(p) for p in body)
    if weight <= MAX_FURNITURE_WEIGHT and _front_page(title, signals):
        return f"a site's front page ({_quote(signals.title or title)})"

    # A headline may quote an error ("Page not found: council site down for a week"); an
    # error page does not go on to report anything.
    if weight <= MAX_ERROR_BODY_WEIGHT and not any(_REPORTING.search(p) for p in body):
        lead = split_sentences(body[0], glued=True)[:1] if body else []
        for heading in (signals.title, *signals.headings, title, *lead):
            if heading and _error_heading(heading):
                return f"{_ERROR.name} ({_quote(heading)})"

    if weight > MAX_FURNITURE_WEIGHT:
        return None
    text = "\n".join(body)
    if title and title.strip() and title.strip() not in text:
        # A flattened page's first line ("Tweet with a location") is read as its title.
        text = f"{title}\n{text}"
        weight += text_weight(title)
    if not weight:
        return None
    furniture: dict[str, float] = {}
    first_match: dict[str, str] = {}
    for sentence in split_sentences(text, glued=True):
        if _REPORTING.search(sentence):
            continue
        kind = _classify(sentence)
        if kind is None:
            continue
        furniture[kind] = furniture.get(kind, 0.0) + text_weight(sentence)
        first_match.setdefault(kind, sentence)
    threshold = _threshold(signals.og_type)
    if not furniture or sum(furniture.values()) / weight < threshold:
        return None
    # Name the page by the kind with most text; instructions alone only as a last resort.
    named = {k: w for k, w in furniture.items() if k != _INSTRUCTIONS} or furniture
    kind = max(named, key=lambda k: named[k])
    return f"{kind} ({_quote(first_match[kind])})"


def _error_heading(heading: str) -> bool:
    """Whether a title, heading or short first sentence names an HTTP error or a lost page."""
    if _ERROR_TITLE.search(heading):
        return True
    if text_weight(heading) > _MAX_HEADING_WEIGHT or _REPORTING.search(heading):
        return False
    match = _ERROR.phrases.search(heading)
    return bool(match and _PAGE_WORD.search(match.group(0)))


def _classify(sentence: str) -> str | None:
    """The kind of furniture a sentence is, or None."""
    for kind in _KINDS:
        if kind.phrases.search(sentence):
            return kind.name
    if _INSTRUCTION.search(sentence) and _INTERFACE.search(sentence):
        return _INSTRUCTIONS
    return None


def _threshold(og_type: str | None) -> float:
    if not og_type:
        return FURNITURE_SHARE
    return _SHARE_BY_OG_TYPE.get(og_type.split(".")[0].strip().lower(), FURNITURE_SHARE)


def _quote(text: str, limit: int = 60) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return f"'{text}'"
