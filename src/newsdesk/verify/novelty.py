"""Extrinsic words: content words of a sentence that no cited source has in any form.

A faithful paraphrase rewords ("pulled out" -> "left", "completion" -> "complete",
"al-Qaeda-linked" -> "linked to al-Qaeda"); an added fact brings words of its own ("because
it ran out of money"). A word of the sentence counts as explained when a cited source has
its stem, a word sharing its first five letters (derivations: "complete"/"completion"),
or a word of its synonym group below (common news paraphrases, all stemmed). What is left
is extrinsic; two or more such words (one, when the sentence is otherwise nearly all
copied) make the sentence unsupported however many of its words the sources share.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from newsdesk.verify.text import STOPWORDS, nfkc, stem, wordset

# A sentence with this many extrinsic words adds something.
MAX_EXTRINSIC = 2
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
# Words that add nothing checkable, often brought in by rewording.
_LIGHT = wordset("""also then now later earlier recently currently still just even really very
    amid including include includes included such both either several many much most more less
    least some any each every other another others same own well way part way things thing
    lot lots kind sort whose whom whether while though although despite because since
    mr mrs ms dr say says said saying tell tells told report reports reported reporting
    according added adding noted noting stated explained described called calling
    new first last next year years day days time times week weeks month months
    one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty
    hundred hundreds thousand thousands million millions billion billions half dozen""")
_SYNONYMS = [
    "leave leaving left exit exits exiting withdraw withdrawal withdrawing withdrew depart "
    "departure pull pulled quit",
    "kill killed killing slay slain dead death deaths die died eliminate eliminated",
    "attack attacked attacks assault assaulted strike struck raid raided",
    "soldier soldiers troop troops military army forces force",
    "say said says state stated claim claimed announce announced tell told report reported "
    "add added declare declared",
    "continue continued continues keep kept remain remained stay stayed",
    "start started begin began launch launched",
    "end ended finish finished stop stopped halt halted",
    "big large major huge massive",
    "small minor little",
    "take took taken seize seized capture captured",
    "help helped aid aided assist assisted support supported",
    "buy bought purchase purchased acquire acquired",
    "rise rose risen increase increased grow grew jump jumped climb climbed",
    "fall fell fallen decrease decreased drop dropped decline declined",
    "show showed shown reveal revealed indicate indicated",
    "arrest arrested detain detained",
    "charge charged accuse accused",
    "city town",
    "country nation state",
    "move decision step",
    "government authorities officials",
    "fight fought fighting combat combating battle",
    "company firm business",
    "car vehicle",
    "child children kid kids",
    "man person woman people",
    "win won victory beat defeated defeat",
    "lose lost loss",
    "plan planned plans intend intended",
    "meet met meeting talks",
    "law legislation bill",
    "job jobs work employment",
    "money funds cash",
]
_SYNONYM_OF: dict[str, frozenset[str]] = {}
for _group in _SYNONYMS:
    _stems = frozenset(stem(w) for w in _group.split())
    for _s in _stems:
        _SYNONYM_OF[_s] = _SYNONYM_OF.get(_s, frozenset()) | _stems


def source_forms(texts: Iterable[str]) -> tuple[frozenset[str], frozenset[str]]:
    """(stems, five-letter prefixes) of every word of the source texts, hyphens split."""
    written: set[str] = set()  # each word as written stemmed once, not at every use
    for text in texts:
        written.update(_WORD.findall(nfkc(text)))  # "a\u0308" and "ä" are one letter
    stems = {stem(word.lower()) for word in written}
    return frozenset(stems), frozenset(s[:5] for s in stems if len(s) >= 5)


def extrinsic_words(
    text: str, stems: frozenset[str], prefixes: frozenset[str], skip: Iterable[str] = ()
) -> list[str]:
    """Content words of ``text`` (lower-cased, once each) that no form of the sources has;
    ``skip`` holds words judged elsewhere (names, numbers)."""
    skipped = {w.lower() for w in skip}
    out: list[str] = []
    for word in _WORD.findall(nfkc(text)):
        lower = word.lower().replace("’", "'")
        if (
            word[:1].isupper()  # names are the name checks' business
            or lower in STOPWORDS
            or lower in _LIGHT
            or lower in skipped
            or len(lower) < 3
            or lower in out
        ):
            continue
        s = stem(lower)
        if s in stems or (len(s) >= 5 and s[:5] in prefixes) or s in _LIGHT:
            continue
        if _SYNONYM_OF.get(s, frozenset()) & stems:
            continue
        out.append(lower)
    return out
