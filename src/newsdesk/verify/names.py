"""Names of people, places and organisations, found without any model.

A name is a run of capitalised words ("Central African Republic", "Jama'a Nusrat
ul-Islam", "JNIM"), connectors such as "of" or "al-" allowed inside. A capitalised word
that only opens a sentence (or follows a colon or an opening quote) is a name only when
the text never uses it in lower case and it is not a common sentence opener.

Matching a name against a source is forgiving about form: case, accents, possessives
("Wagner's"), and adjective/demonym forms ("Malian" ~ "Mali", "Russian" ~ "Russia",
"French" ~ "France") all count as the same name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from newsdesk.verify.dates import MONTHS, WEEKDAYS
from newsdesk.verify.text import SENTENCE_STARTERS, STOPWORDS, fold, nfkc, stem, wordset

# Hyphens split words ("al-Qaeda-linked" -> al, Qaeda, linked); apostrophes do not, but a
# possessive glued to the next capitalised word ("Villa'sFA Cup", where markup between two
# links was dropped) ends at its "s".
_TOKEN = re.compile(
    r"[^\W\d_](?:(?<!['’]s)\w|(?<=['’]s)(?![A-ZÀ-ÖØ-ÞА-Я])\w|['’](?=\w))*", re.UNICODE
)
# Endings of inflected common words, which title-case headlines capitalise.
_COMMON_ENDINGS = (
    "ing",
    "ed",
    "tion",
    "tions",
    "ment",
    "ness",
    "ly",
    "ity",
    "ive",
    "ous",
    "ful",
    "less",
    "able",
)
_CONNECTORS = wordset(
    "of the de del della der den van von da du la le al el bin ibn y and for on upon"
)
# Capitalised in titles and headings without naming anybody.
_NOT_NAMES = frozenset(
    {*MONTHS, *WEEKDAYS, "i", "mr", "mrs", "ms", "dr", "prof", "sir", "st", "jr", "sr", "ok"}
)
# Words that qualify a name without being part of it: capitalised only because they open
# the sentence ("Former US talk show host ...", "Defending champion ..."), never glued on.
_QUALIFIERS = wordset("""former late ex then acting interim outgoing incoming defending reigning
    veteran retired fellow rival unnamed jailed disgraced embattled""")
# Ordinary words that open news sentences on their own (the next word is not capitalised):
# people and groups written about ("Scientists are ...", "Fans said"), counts ("Fourteen
# people ...", "Dozens of ..."), a rank's field ("World number one ..."), and calls to the
# reader ("Click here ...", "Watch the video"). Written before a capitalised word they may
# start a name ("World Cup", "People Power Party") and are left to the rules below.
_LONE_OPENERS = wordset("""scientists researchers doctors nurses teachers parents pupils students
    children families campaigners activists protesters demonstrators locals villagers voters
    shoppers passengers travellers commuters fans supporters workers staff employees
    investigators detectives officers firefighters paramedics rescuers engineers astronomers
    archaeologists economists lawyers prosecutors judges ministers lawmakers legislators
    politicians leaders rebels militants troops soldiers allies rivals cops people
    eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty
    forty fifty sixty seventy eighty ninety hundreds thousands millions dozens scores
    world click watch see read listen look imagine""")
# Offices written before a person's name ("Foreign Minister Peter Szijjarto"): the office
# and the person are two things a source may state apart ("the foreign minister", "Mr
# Szijjarto"), so they are two names.
_OFFICES = wordset("""president minister chancellor governor mayor senator secretary ambassador
    commissioner chairman chairwoman ceo director spokesman spokeswoman spokesperson deputy
    sheriff constable inspector detective sergeant""")
# Title and place words that may be capitalised in one text and not in another.
_TITLE_WORDS = wordset("""president vice prime minister secretary senator sen governor gov mayor king queen prince
    princess general gen chief judge justice officer sergeant lieutenant captain colonel
    director chairman chairwoman ceo spokesman spokeswoman spokesperson pope bishop
    ambassador commissioner chancellor representative rep congressman congresswoman leader
    north south east west northern southern eastern western central new old great upper lower
    united state states city county river lake mount mountain university college school
    hospital church street road avenue party department ministry court house senate congress
    parliament army navy police federal national international republic kingdom island islands
    airport station park square bridge district province region valley coast gulf sea ocean
    administration government council committee agency office service force forces group
    company bank museum club team league cup festival award prize day
    """)
# Demonyms and adjectives that do not share a stem with their place.
_IRREGULAR = {
    "german": "germany",
    "germans": "germany",
    "french": "france",
    "frenchman": "france",
    "british": "britain",
    "briton": "britain",
    "english": "england",
    "dutch": "netherlands",
    "swiss": "switzerland",
    "welsh": "wales",
    "scottish": "scotland",
    "scot": "scotland",
    "irish": "ireland",
    "greek": "greece",
    "spanish": "spain",
    "spaniard": "spain",
    "portuguese": "portugal",
    "polish": "poland",
    "pole": "poland",
    "swedish": "sweden",
    "swede": "sweden",
    "danish": "denmark",
    "dane": "denmark",
    "finnish": "finland",
    "finn": "finland",
    "turkish": "turkey",
    "turk": "turkey",
    "filipino": "philippines",
    "philippine": "philippines",
    "thai": "thailand",
    "afghan": "afghanistan",
    "pakistani": "pakistan",
    "uzbek": "uzbekistan",
    "kazakh": "kazakhstan",
    "kyrgyz": "kyrgyzstan",
    "tajik": "tajikistan",
    "chinese": "china",
    "japanese": "japan",
    "vietnamese": "vietnam",
    "lebanese": "lebanon",
    "sudanese": "sudan",
    "senegalese": "senegal",
    "congolese": "congo",
    "american": "america",
    "us": "america",
    "u.s": "america",
    "usa": "america",
    "uk": "britain",
    "u.k": "britain",
    "israeli": "israel",
    "iraqi": "iraq",
    "yemeni": "yemen",
    "saudi": "saudi",
    "kuwaiti": "kuwait",
    "qatari": "qatar",
    "omani": "oman",
    "emirati": "emirates",
    "bangladeshi": "bangladesh",
    "nepali": "nepal",
    "nepalese": "nepal",
    "somali": "somalia",
    "malagasy": "madagascar",
    "peruvian": "peru",
    "argentine": "argentina",
    "argentinian": "argentina",
    "norwegian": "norway",
    "belgian": "belgium",
    "soviet": "ussr",
    "kiwi": "zealand",
    "muslim": "islam",
    "islamic": "islam",
    "islamist": "islam",
    "jewish": "jew",
    "christian": "christ",
}
# Endings that turn a place or name into its people, language or plural ("Mali" -> "Malian",
# "Ukraine" -> "Ukrainian", "China" -> "Chinese", "Iraq" -> "Iraqi", "Tuareg" -> "Tuaregs").
_DEMONYM_SUFFIXES = ("n", "an", "ian", "ans", "ians", "ns", "ese", "ish", "i", "is", "s", "es")
_FINAL_VOWELS = "aeiouy"
_VOWEL_DEMONYMS = frozenset({"an", "ian", "ans", "ians", "ese", "ish"})


@dataclass(frozen=True)
class Name:
    """A run of capitalised words in a text."""

    start: int
    end: int
    surface: str
    tokens: tuple[str, ...]  # the significant words (connectors left out)


@lru_cache(maxsize=1 << 16)  # each word of every source is asked for again and again
def name_key(token: str) -> str:
    """The form names are compared in: folded, possessive dropped, irregular demonyms mapped."""
    word = fold(token).replace("’", "'")
    for suffix in ("'s", "'"):
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            word = word[: -len(suffix)]
    word = word.rstrip(".")
    return _IRREGULAR.get(word, word)


def inflection_prefix(key: str) -> str:
    """For inflected languages ("Москвы" ~ "Москва", "Berlins" ~ "Berlin"): the part of a
    non-English name that its case endings leave alone. Sources index these prefixes too."""
    if key.isascii() or len(key) < 5 or not key.isalpha():
        return "\x00"  # matches nothing
    return "\x00" + key[: max(4, len(key) - 2)]


def name_variants(token: str) -> set[str]:
    """Keys of the forms a name may take in another text: itself, its demonyms and plural,
    or the place a demonym comes from ("Malian" -> "mali", "Chinese" -> "china")."""
    key = name_key(token)
    forms = {key}
    if not key.isascii() or len(key) < 3:
        return forms
    for suffix in _DEMONYM_SUFFIXES:
        forms.add(key + suffix)
        # a final vowel gives way only to a demonym ending ("Italy" -> "Italian"), never to
        # a plural ("France" is not "Francis")
        swaps_vowel = suffix in _VOWEL_DEMONYMS
        if swaps_vowel and key[-1] in _FINAL_VOWELS:
            forms.add(key[:-1] + suffix)
        if key.endswith(suffix) and len(key) - len(suffix) >= 3:
            base = key[: -len(suffix)]
            forms.add(base)
            if swaps_vowel:
                forms.update(base + vowel for vowel in _FINAL_VOWELS)
    return forms


def name_tokens(text: str) -> list[str]:
    """Words as the name finder sees them (hyphens split, apostrophes kept)."""
    return _TOKEN.findall(nfkc(text))


def _is_capitalised(token: str) -> bool:
    return token[:1].isupper()


def _before(text: str, start: int, strip: str) -> str:
    """``text[:start].rstrip(strip)``, ending the same (its last two characters are all the
    callers read), without copying all of a long text for every word of it."""
    window = 64
    while True:
        lo = max(0, start - window)
        chunk = text[lo:start].rstrip(strip)
        if len(chunk) >= 2 or lo == 0:
            return chunk
        window *= 4


def _is_sentence_start(text: str, start: int) -> bool:
    before_word = _before(text, start, " \t")
    mark = before_word[-1:]
    if mark in ("“", "‘", "«", "„", "‚", "「"):
        return True  # a quotation opens with a capital wherever it stands
    if mark in ('"', "'") and before_word[-2:-1] in ("", " ", "\t", "\n", "(", "["):
        return True  # a straight quote opening (not closing: 'thought," Now said')
    before = _before(text, start, " \t\"'“‘«„([—–-")
    return not before or before[-1] in ".!?:;\n…。！？" or before.endswith("--")


def _after_closing_quote(text: str, start: int) -> bool:
    """The word follows a quotation that closed without a full stop ("... 'Print All Over
    Me' They are", as summaries and highlights run sentences together): it may open one."""
    before_word = _before(text, start, " \t")
    return before_word[-1:] in ("'", '"', "’", "”") and before_word[-2:-1].isalnum()


def find_names(
    text: str, lowercase_vocabulary: set[str] | frozenset[str] = frozenset()
) -> list[Name]:
    """Capitalised runs that name something; ``lowercase_vocabulary`` holds words the
    texts at hand use in lower case (so a capitalised sentence opener can be recognised)."""
    text = nfkc(text)
    tokens = list(_TOKEN.finditer(text))
    words = [t.group(0) for t in tokens]
    title_case = _looks_title_case(words)
    names: list[Name] = []
    run: list[re.Match[str]] = []
    # What _name_ends and _and_joins ask of the run, kept as it grows: read again for every
    # word, a long capitalised run (a tag cloud on a page) would cost its length squared.
    office_in_run = qualified_run = False

    def close() -> None:
        nonlocal office_in_run, qualified_run
        office_in_run = qualified_run = False
        while run and run[-1].group(0).lower() in _CONNECTORS:
            run.pop()
        significant = tuple(
            t.group(0)
            for t in run
            if t.group(0).lower() not in _CONNECTORS and t.group(0).lower() not in _NOT_NAMES
        )
        if significant:
            names.append(
                Name(
                    run[0].start(), run[-1].end(), text[run[0].start() : run[-1].end()], significant
                )
            )
        run.clear()

    for index, match in enumerate(tokens):
        token = match.group(0)
        lower = token.lower()
        following = words[index + 1] if index + 1 < len(words) else ""
        if _is_capitalised(token) and not _plain_word(
            token, text, match.start(), lowercase_vocabulary, title_case, following
        ):
            if run and (
                not _adjacent(text, run[-1].end(), match.start())
                or _name_ends(run[-1].group(0), token, office_in_run)
            ):
                close()
            run.append(match)
            office_in_run = office_in_run or fold(token) in _OFFICES
            qualified_run = qualified_run or lower in ("of", "for")  # title case: "Of"
            continue
        if (
            run
            and lower in _CONNECTORS
            and _is_capitalised(following)
            and _adjacent(text, run[-1].end(), match.start())
            and (lower != "and" or qualified_run or _and_joins(text, tokens, index + 1))
        ):
            run.append(match)
            qualified_run = qualified_run or lower in ("of", "for")
            continue
        close()
    close()
    return names


def _name_ends(previous: str, token: str, office_in_run: bool) -> bool:
    """Two adjacent capitalised words that are two names all the same: a possessive and
    what it owns ("Kenya's | Deputy President"), an office and its holder ("Foreign
    Minister | Peter Szijjarto", "Secretary of State | Mike Pompeo"): a source may state
    each without the other ("Mr Szijjarto", "the foreign minister"). ``previous``: the
    run's last word; ``office_in_run``: whether an office is among its words."""
    if _bare(previous) != previous:
        return True
    word = fold(token)
    if word in _TITLE_WORDS or word in _OFFICES:
        return False
    last = fold(previous)
    return last in _OFFICES or (last in _TITLE_WORDS and office_in_run)


def _and_joins(text: str, tokens: list[re.Match[str]], start: int) -> bool:
    """Whether "and" between two capitalised runs is inside one name: a title or body whose
    last word says what it is ("Police and Crime Commissioner", "Food and Drug
    Administration"), or a name already qualified by "of"/"for" ("Department of Health and
    Social Care"). Otherwise it lists two ("Saracens and England", "Rangers and Hibernian";
    "Marks and Spencer" as "Marks & Spencer", each word still looked up). The caller has
    already let a run with "of" or "for" join; ``tokens[start:]`` follow the "and"."""
    last = ""
    for k in range(start, len(tokens)):
        word = tokens[k].group(0)
        if k > start and not _adjacent(text, tokens[k - 1].end(), tokens[k].start()):
            break
        if _is_capitalised(word):
            last = word
        elif word.lower() not in _CONNECTORS or word.lower() == "and":
            break
    return fold(last) in _TITLE_WORDS


def _adjacent(text: str, end: int, start: int) -> bool:
    """Two words belong to one name only if just spaces or a hyphen separate them."""
    gap = text[end:start]
    return gap.strip() in ("", "-")


def _looks_title_case(tokens: list[str]) -> bool:
    """Headlines capitalise most words (or shout them all); there capitals say little."""
    long_words = [t for t in tokens if len(t) > 3]
    if len(long_words) < 3:
        return False
    return sum(_is_capitalised(t) for t in long_words) / len(long_words) > 0.75


def _plain_word(
    token: str,
    text: str,
    start: int,
    vocabulary: set[str] | frozenset[str],
    title_case: bool,
    following: str = "",
) -> bool:
    """True when a capitalised word is an ordinary word, not (part of) a name."""
    lower = token.lower()
    if _bare(lower) in _NOT_NAMES:  # "Thursday's" is a date, not also a name
        return True
    if token.isupper() and len(token) > 1 and not title_case:  # an acronym, unless all shout
        return False
    opener = _is_sentence_start(text, start) or _after_closing_quote(text, start)
    if not (opener or title_case):
        return False
    if lower in STOPWORDS or lower in SENTENCE_STARTERS or lower in vocabulary:
        return True
    if stem(lower) in vocabulary:
        return True
    bare = _bare(lower)  # "Tonight's", "Scientists'"
    if opener and bare in SENTENCE_STARTERS:
        return True
    if opener and (
        bare in _QUALIFIERS or (bare in _LONE_OPENERS and not _is_capitalised(following))
    ):
        return True
    return title_case and not opener and lower.endswith(_COMMON_ENDINGS)


def _bare(word: str) -> str:
    """The word without its possessive ending ("Thursday's" -> "Thursday")."""
    for suffix in ("'s", "’s"):
        if word.endswith(suffix) and len(word) > len(suffix):
            return word[: -len(suffix)]
    return word


def name_found(name: Name, capitalised_keys: set[str], lowercase_keys: set[str]) -> list[str]:
    """The words of ``name`` that no source has: empty when the name is supported.

    A word counts as found when some source has it capitalised (in any of its forms),
    or has it in lower case and it is a title or place word ("President", "Central").
    """
    missing = []
    for token in name.tokens:
        key = name_key(token)
        if not name_variants(token).isdisjoint(capitalised_keys):
            continue
        if inflection_prefix(key) in capitalised_keys:
            continue
        if fold(token) in _TITLE_WORDS and key in lowercase_keys:
            continue
        if len(key) <= 1:
            continue
        missing.append(token)
    # "International Monetary Fund" where the source writes "IMF"; of three words or more
    # also where a source has some of them elsewhere ("Police and Crime Commissioner" for
    # "PCC" where it names "Sussex Police")
    spelt = len(missing) == len(name.tokens) >= 2 or (missing and len(name.tokens) >= 3)
    if spelt and _initials(name.tokens) in capitalised_keys:
        return []
    return missing


_ACRONYM = re.compile(r"[A-Z]{2,6}")


def spelt_out(name: Name, sentences: Iterable[str]) -> bool:
    """``name`` is an acronym of words a source writes out: "PM" for "Prime Minister",
    "NHS" for "National Health Service", "PCC" for "Police and Crime Commissioner"."""
    if len(name.tokens) != 1:
        return False
    acronym = re.sub(r"['’]s?$", "", name.tokens[0])  # "NHS's"
    if not _ACRONYM.fullmatch(acronym):
        return False
    pattern = _spelt_pattern(acronym)
    return any(pattern.search(sentence) for sentence in sentences)


def office_written(name: Name, sentences: Iterable[str]) -> bool:
    """``name`` is an office ("Foreign Minister", "Deputy President") that a source writes
    in lower case, as one phrase ("the foreign minister said")."""
    if fold(name.tokens[-1]) not in _OFFICES:
        return False
    pattern = re.compile(r"\b" + r"\s+".join(map(re.escape, name.surface.split())) + r"\b", re.I)
    return any(pattern.search(sentence) for sentence in sentences)


@lru_cache(maxsize=256)
def _spelt_pattern(acronym: str) -> re.Pattern[str]:
    # capitalised words, one per letter; "of", "and", "for", "the" may stand between
    words = [rf"{letter}[a-z]+" for letter in acronym]
    return re.compile(r"\b" + r"(?:\s+(?:of|and|for|the|&))?\s+".join(words) + r"\b")


def _initials(tokens: tuple[str, ...]) -> str:
    return "".join(fold(t)[:1] for t in tokens)


# For the role checks (verify/roles.py): words that qualify a name without being one.
TITLE_WORDS = _TITLE_WORDS
DEMONYMS = _IRREGULAR
