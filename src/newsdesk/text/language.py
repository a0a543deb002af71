"""Language identification (ISO 639-1): a quick guess from the script and the commonest
words, and lingua (which ships its models in the package) wherever that guess is unsure.

The quick guess answers only when the text leaves no doubt: a script used by one language
alone (Hangul, kana, Greek, Hebrew, Thai...), or a clear majority of one language's
function words among the words of a Latin, Cyrillic or Arabic-script text (where names
and numbers leave few of them, the leading language's own letters, such as Portuguese's
ã and õ, settle it). It costs a tenth of a millisecond; lingua costs milliseconds a text
and about a third of a second to load its models in each process, so most pages never
load them. Anything else (short text, close relatives such as Danish and Norwegian or
Czech and Slovak, mixed text) goes to lingua; its low-accuracy mode (trigram models) is
plenty for an article's text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from newsdesk.lazy import LazyPattern
from newsdesk.text.words import may_hold_cjk

if TYPE_CHECKING:
    from lingua import LanguageDetector

# A few thousand characters decide the language; more only costs time.
_SAMPLE_CHARS = 2000

# Scripts written by one language (of those lingua knows).
_SINGLE_LANGUAGE_SCRIPTS = (
    ("ko", LazyPattern(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")),  # Hangul
    ("el", re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")),  # Greek
    ("he", re.compile(r"[\u0590-\u05ff]")),  # Hebrew
    ("th", re.compile(r"[\u0e00-\u0e7f]")),  # Thai
    ("ka", re.compile(r"[\u10a0-\u10ff]")),  # Georgian
    ("hy", re.compile(r"[\u0530-\u058f]")),  # Armenian
)
_KANA = re.compile(r"[\u3040-\u30ff]")
_HAN = LazyPattern(r"[\u3400-\u4dbf\u4e00-\u9fff]")  # compiled on first use: see LazyPattern
_WORD = re.compile(r"[^\W\d_]+")

# The commonest function words of each language, lower case. Close relatives are listed
# so that they compete: a text is given a language only when its words outnumber every
# other list's by far. Lists named with a "~" (a family lingua tells apart better) never
# answer themselves; when one wins, lingua decides.
_FUNCTION_WORDS: dict[str, str] = {
    "en": "the of and to in is that for it was on with as he by at from his are be this "
    "have has had not but were which they said an their its who will been would she her "
    "after about more one up out also new than or into over last year people when what "
    "there him we you could can told says",
    "de": "der die und in den von zu das mit sich des auf für ist im dem nicht ein eine "
    "als auch es an werden aus er hat dass sie nach wird bei einer um am sind noch wie "
    "einem über so zum war haben nur oder aber vor zur bis",
    "fr": "le la les de des et en du un une est que qui dans pour pas au sur par il elle "
    "ne se plus avec ce son sa ses ont été aux cette mais ou où lui sont",
    "es": "el la de que y en los del se las por un para con no una su al es lo como más "
    "pero sus le ya fue este ha porque esta son entre cuando muy sin sobre también hasta "
    "hay donde desde todo nos durante contra ese",
    "it": "il di che e la in un per non una del della sono è si con gli le da al alla dei "
    "nel nella anche più ha ma come lo questo degli delle sul era stato essere",
    "pt": "o a de que e do da em um para com não uma os no na se por mais as dos das como "
    "mas foi ao ele ela à seu sua ou ser quando muito nos já está também pelo pela são",
    "ca": "el la els les de i que en un una per amb no es del al va ha són com més però "
    "aquest aquesta dels seu seva també entre sobre",
    "gl": "o a os as de e que en un unha para con non do da dos das no na se por máis "
    "como pero foi ao el ela súa seu tamén cando moi",
    "nl": "de het een en van in is dat op te zijn met voor niet aan er om ook als bij maar "
    "door wordt werd uit naar nog dan heeft hij ze worden over deze was",
    "af": "die en van in is dat op te het met vir nie aan om ook as by maar deur word uit "
    "na nog dan hy sy hulle wat was sal",
    "sv": "och att det som en på är av för med till den har de inte om ett han men var jag "
    "sig från vi så kan när efter ska också hade eller detta sin blev mot vid under",
    "~da": "og at det i en til er som på de med han af for ikke der var et den har om vi "
    "men sig fra efter også kan blev skal når eller hvor over mod havde hun være nu ud",
    "~nb": "og i det som en til er på av for med har de ikke den at om et var han seg men "
    "fra ble etter også kan skal når eller hun vi jeg sier mot over hadde være nå ut",
    "~nn": "og i det som ein til er på av for med har dei ikkje den at om eit var han seg "
    "men frå vart etter òg kan skal når eller ho vi eg seier mot over hadde vere no ut",
    "fi": "ja on ei että se oli hän mutta kun myös ovat tai sen joka jo kuin niin vain ole "
    "mukaan vuoden nyt jos sitä hänen sekä siitä jälkeen voi vielä kanssa olla olivat",
    "et": "ja on ei et see oli ta aga kui ka nad või selle mis juba kui nii ainult pole "
    "järgi aasta nüüd kas seda tema ning pärast veel koos olla",
    "pl": "i w na z się nie do to że jest o a jak ale po co od za przez dla tak jego już "
    "może był była są tym oraz jednak także tylko czy przy jako który która które jej "
    "ich ze też bardzo gdy",
    "~cs": "a v se na je že s z do to o i k ve by jako pro ale jsou který která které byl "
    "bylo byla jeho podle také už po za od tak při jen však než aby mezi jsme této tento",
    "~sk": "a v sa na je že s z do to o i k vo by ako pre ale sú ktorý ktorá ktoré bol "
    "bolo bola jeho podľa aj už po za od tak pri len však než aby medzi sme tejto tento",
    "~hbs": "i je u na se da za od su a s o ne koji kao što iz to će sa bi ali do te li "
    "još nije bio bila ili kako samo već nakon prema",
    "sl": "in je v na se da za so z pa ki ne od po tudi bi kot ali še ter iz bil bila "
    "bilo lahko pri le",
    "ro": "și de în la a cu care nu pe din o un se că mai este pentru au să ce fost sunt "
    "lui unei al ale după sau prin dar iar acest această despre fi cel cea",
    "hu": "a az és hogy nem is egy meg de van csak már volt mint ki el ha még azt ez után "
    "között pedig szerint vagy lesz most kell mert amely aki sem majd ezt",
    "tr": "ve bir bu da de için ile olarak çok daha en gibi ama o sonra kadar olan ise her "
    "değil ne var diye şu mi ya göre ancak tarafından yok",
    "id": "yang dan di ini itu dengan untuk dari dalam tidak akan pada juga ke ada karena "
    "oleh sudah saat bisa atau telah kata mereka lebih seperti tersebut bahwa para hanya",
    "~ms": "yang dan di ini itu dengan untuk dari dalam tidak akan pada juga ke ada kerana "
    "oleh sudah ketika boleh atau telah kata mereka lebih seperti tersebut bahawa hanya",
    "~lv": "un ir par ar no uz kas ka arī bet lai vai kā to tas tā bija pēc jau tikai "
    "savu viņš šo gadā",
    "~lt": "ir kad su į iš tai buvo bet kaip yra jo dėl per apie nuo taip jau tik už "
    "arba prie bei metų",
    "~sq": "të në e dhe një për që me nga është u se ka do si janë por më ai kjo",
    "~sw": "na ya wa kwa za katika ni la hiyo kuwa huo cha hii amesema pia lakini",
    "~tl": "ang ng sa na mga at ay ni si para ito kay hindi may siya kanyang",
    "~eu": "eta da ez bat ere du zen dira izan dute baina egin behar",
    "~is": "og að í á er sem til við um það var ekki hann með af fyrir en hefur",
    # Every other Latin-script language lingua knows, so that none of them loads its
    # models (all 75 languages' where a text's words point nowhere: 0.5 s a process).
    # Close Bantu relatives are listed by family (lingua tells Zulu from Xhosa).
    "~nguni": "ukuthi futhi kodwa uma noma ngoba kanye kakhulu lokho lokhu njengoba kusho "
    "wathi ukuba ukuze kwaye okanye kunye njengoko kuba xa oku ngoko khona lapho zonke",
    "~sotho": "ho go tse tsa hore gore empa mme hape gape kapa kgotsa hobane gonne ena bona "
    "bone itse rile jwalo jaaka haholo thata",
    "~ts": "ku ni hi swi leswaku eka hikuva kambe naswona loko leyi lava leswi vona hinkwaswo",
    "~sn": "uye kuti asi kana nekuti zvakare izvi izvo ivo pamwe chete rakati yakati vamwe",
    "~lg": "era nti naye kubanga oba nga bwe kino ekyo bino ate singa nnyo",
    "so": "iyo oo ku waa ay ee soo ayaa waxaa wuxuu waxay kale sidoo laakiin haddii markii "
    "inay uu ugu uga isku",
    "yo": "ti àti wọn pé fun fún lati láti ninu nínú sí ṣe àwọn tí ní náà yìí gbogbo kò tó bí",
    "mi": "te ki ko he ka nga ngā kei tēnei kua ana hei engari ia rātou nei",
    "cy": "y yr ac yn ar mae ei gan wedi ond hefyd fod bod oedd eu hyn yng ym bydd dywedodd",
    "ga": "agus ar ag go don sé sí bhí ní atá leis mar níl ach nach dúirt sa",
    "eo": "la kaj de en estas al por ke ne kun sur pri ankaŭ estis tiu ili li ŝi sed aŭ ĝi "
    "kiu kiel",
    "la": "et est non ad cum quod ut sed qui quae esse ex sunt etiam ab enim autem atque nec quam",
    "az": "və bu bir ilə üçün də ki olan olub isə daha sonra artıq edir görə amma onun bildirib",
    "vi": "của và các có là được trong cho không người những với một này đã khi đến để "
    "về cũng từ như năm ra theo tại sẽ sau",
    "ru": "и в не на что с по он как это к из за о от но для а у был она было так его же "
    "все также при до уже ее или бы только они после года может мы я",
    "uk": "і в у на що з не та до за як це від по він для але про який яка які також вже "
    "його її було був є із щоб ще при після коли тому бо",
    "bg": "и на в да се е от за не с че по са това към като но ще си той тя които който "
    "или му при след има беше може ги",
    "~sr": "и у на је да се за од су са не као што из ће то који о а али био била или након према",
    "mk": "и на во да се е од за не со што ќе ги го тоа како но беше кој која по до има",
    "be": "і у на не што з ад да па як гэта для але яго яе быў была таксама",
    "ar": "في من على أن إلى التي الذي عن مع هذا ما لا كان هذه بين قد بعد ذلك كما أو وفي عند حتى",
    "fa": "و در به از که این را با است برای آن یک شده می شد هم تا کرد بود نیز دارد اما",
    "ur": "کے کی میں ہے اور سے کو نے کا پر یہ ہیں تھا گیا کہ بھی ہو تھی",
}
_WORDS: dict[str, frozenset[str]] = {
    language: frozenset(words.split()) for language, words in _FUNCTION_WORDS.items()
}
# A word in n lists counts 1/n for each: "the" is English evidence, "a" or "in" barely any.
_LISTS_WITH = Counter(word for listed in _WORDS.values() for word in listed)
_WEIGHT = {word: 1.0 / count for word, count in _LISTS_WITH.items()}
_MIN_WORDS = 25  # fewer words than this: lingua decides
_MIN_SCORE = 0.1  # the winning list's weight is at least this share of the words
_MARGIN = 3.0  # ... and at least this many times the runner-up's
_MIN_LISTED = 0.12  # ... and at least this share of the words are on its list
# Letters that, of the Latin-script languages listed, one writes and its neighbours do
# not: Portuguese's ã and õ (-ção, -ões; Galician and Spanish write -ción, -ón), German's
# ß, Polish's ł, Hungarian's ő and ű, Romanian's comma-below ș and ț.
_SPELLINGS = {
    "pt": re.compile("[ãõÃÕ]"),
    "de": re.compile("ß"),
    "pl": re.compile("[łŁ]"),
    "hu": re.compile("[őűŐŰ]"),
    "ro": re.compile("[șțȘȚ]"),
}
_MIN_SPELLED = 3  # ... in at least this many places


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    from lingua import LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()


# Lists named for a family whose members lingua knows apart.
_LINGUA_CODES = {"hbs": ("hr", "sr", "bs"), "nguni": ("zu", "xh"), "sotho": ("st", "tn")}


@lru_cache(maxsize=64)
def _detector_among(codes: tuple[str, ...]) -> LanguageDetector | None:
    """lingua restricted to these languages (ISO 639-1; those it lacks left out), or None
    when it knows fewer than two of them: a tenth of the models to load."""
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    known = []
    for code in codes:
        for each in _LINGUA_CODES.get(code, (code,)):
            iso = getattr(IsoCode639_1, each.upper(), None)
            if iso is not None and iso not in known:
                known.append(iso)
    if len(known) < 2:
        return None
    return LanguageDetectorBuilder.from_iso_codes_639_1(*known).with_low_accuracy_mode().build()


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of the text's language, or None when it cannot tell."""
    sample = text[:_SAMPLE_CHARS].strip()
    if len(sample) < 20:
        return None
    quick, candidates = _quick_guess(sample)
    if quick is not None:
        return quick
    # Function words narrowed it to close relatives (Portuguese or Galician, Danish or
    # Norwegian): lingua tells those apart with their models alone, not all 75 languages'.
    return _lingua(sample, candidates)


def _lingua(sample: str, codes: tuple[str, ...] = ()) -> str | None:
    """lingua's answer on the sample, among ``codes`` (all its languages where they are
    fewer than two it knows), as an ISO 639-1 code."""
    detector = _detector_among(codes) if codes else None
    language = (detector or _detector()).detect_language_of(sample)
    return language.iso_code_639_1.name.lower() if language is not None else None


def detect_unlisted_language(text: str, declared: str) -> str | None:
    """The language of a text that holds hardly any of the declared language's function
    words, nor any that point elsewhere: lingua among the languages a list can miss and
    the declared one. A list misses the languages written conjunctively, which fuse their
    function words into the words they govern (Zulu's "ngokuthola", "with finding"), and,
    for a text with letters outside the Latin script, those no list covers: 6 of lingua's
    75 models for a text in the Latin script (0.5 s to load all)."""
    sample = text[:_SAMPLE_CHARS].strip()
    if len(sample) < 20:
        return None
    candidates = {*_CONJUNCTIVE, declared}
    if _NON_LATIN_LETTER.search(sample):
        candidates |= _unlisted_codes()
    return _lingua(sample, tuple(sorted(candidates)))


# Bantu languages written conjunctively (Zulu, Xhosa, Shona, Ganda, Swahili): a text
# in one of them can hold none of its list's words. Their neighbours written disjunctively
# (Sesotho, Setswana, Xitsonga: "ho", "go", "ku" stand alone) do not, nor do the languages
# that add suffixes but keep free function words (Basque's "eta", Finnish's "ja",
# Turkish's "ve", Hungarian's "a").
_CONJUNCTIVE = ("zu", "xh", "sn", "lg", "sw")
# A letter outside the Latin blocks (Basic Latin to Latin Extended-B, Latin Extended
# Additional).
_NON_LATIN_LETTER = re.compile(r"[^\W\d_\u0000-\u024f\u1e00-\u1eff]")


@lru_cache(maxsize=1)
def _unlisted_codes() -> frozenset[str]:
    """The ISO 639-1 codes of the languages lingua knows that no function-word list covers."""
    from lingua import Language

    listed = {
        code for key in _WORDS for code in _LINGUA_CODES.get(key.lstrip("~"), (key.lstrip("~"),))
    }
    return frozenset({language.iso_code_639_1.name.lower() for language in Language.all()} - listed)


def listed_language(sample: str) -> str | None:
    """The language where the script or the function words name it, or name a few
    languages that lingua then tells apart (its models for those alone), else None."""
    quick, candidates = _quick_guess(sample)
    if quick is not None or not candidates:
        return quick
    return _lingua(sample, candidates)


def quick_language(sample: str) -> str | None:
    """The language when the script or the function words leave no doubt, else None."""
    return _quick_guess(sample)[0]


def own_words_share(sample: str, language: str) -> float | None:
    """The share of the sample's words that are ``language``'s commonest function words
    (its list, or its family's); None where there is no list for it or too few words to
    tell. Prose scores about a third; a page whose template declares the wrong language
    scores near nothing (a Zulu article under lang="en")."""
    listed = _WORDS.get(language) or _WORDS.get(f"~{_FAMILY_LIST.get(language, language)}")
    if listed is None:
        return None
    words = _WORD.findall(sample.lower())
    if len(words) < _MIN_WORDS:
        return None
    return sum(map(listed.__contains__, words)) / len(words)


# Codes filed under a family's or another code's list.
_FAMILY_LIST = {
    "no": "nb", "hr": "hbs", "bs": "hbs", "zu": "nguni", "xh": "nguni", "st": "sotho",
    "tn": "sotho",
}  # fmt: skip


def _quick_guess(sample: str) -> tuple[str | None, tuple[str, ...]]:
    """(the language, ()) when the script or the function words leave no doubt; else
    (None, the close relatives the function words point to), or (None, ()) when they point
    nowhere clear (short text, few listed words: lingua then weighs every language)."""
    letters = sum(map(str.isalpha, sample))
    if letters < 20:
        return None, ()
    by_script = _single_script_language(sample, letters)
    if by_script is not None:
        return by_script, ()
    words = [w.lower() for w in _WORD.findall(sample)]
    if len(words) < _MIN_WORDS:
        return None, ()
    scores: Counter[str] = Counter()
    for word in words:
        weight = _WEIGHT.get(word)
        if weight is not None:
            for language, listed in _WORDS.items():
                if word in listed:
                    scores[language] += weight
    if not scores:
        return None, ()
    ranked = scores.most_common()
    (best, first), second = ranked[0], ranked[1][1] if len(ranked) > 1 else 0.0
    if first < _MIN_SCORE * len(words):
        # Names and numbers dilute the function words (a results table, a list of dates):
        # the leading language's own spelling can still settle it.
        return _by_spelling(best, sample), ()
    listed = _WORDS[best]
    if sum(1 for word in words if word in listed) < _MIN_LISTED * len(words):
        return None, ()  # a few shared words of a language with no list of its own
    if best.startswith("~") or first < _MARGIN * second:
        relatives = [language for language, score in ranked if score * _MARGIN >= first]
        # Fewer than three of lingua's languages (a family of one, such as Swahili's list,
        # whose words other Bantu languages share): lingua weighs the three lists the
        # words point to most, never all 75 languages.
        if _lingua_count(relatives) < _MIN_RELATIVES:
            relatives = [language for language, _ in ranked[:_MIN_RELATIVES]]
        return None, tuple(sorted(language.lstrip("~") for language in relatives))
    return best, ()


_MIN_RELATIVES = 3  # lingua languages weighed where the function words leave a doubt


def _lingua_count(lists: list[str]) -> int:
    """How many of lingua's languages these lists (family lists count their members) name."""
    return sum(len(_LINGUA_CODES.get(key.lstrip("~"), (key,))) for key in lists)


def _by_spelling(best: str, sample: str) -> str | None:
    """``best`` (the function words' choice) where the text writes several of the
    spellings only it has among the listed languages, and no other listed language's."""
    own = _SPELLINGS.get(best)
    if own is None or len(own.findall(sample)) < _MIN_SPELLED:
        return None
    if any(other.search(sample) for code, other in _SPELLINGS.items() if code != best):
        return None
    return best


def _single_script_language(sample: str, letters: int) -> str | None:
    kana = han = 0
    if may_hold_cjk(sample):
        kana, han = len(_KANA.findall(sample)), len(_HAN.findall(sample))
    cjk = han + kana
    if cjk >= 0.8 * letters:
        if kana >= 0.05 * cjk:
            return "ja"
        return "zh" if kana == 0 else None
    if sample.isascii():
        return None
    for language, script in _SINGLE_LANGUAGE_SCRIPTS:
        if len(script.findall(sample)) >= 0.8 * letters:
            return language
    return None


def majority_language(languages: Iterable[str | None]) -> str | None:
    """The most common known language code (the first seen on a tie), or None."""
    known = Counter(language for language in languages if language)
    return known.most_common(1)[0][0] if known else None
