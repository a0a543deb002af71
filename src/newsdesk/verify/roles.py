"""Claims with roles: a name must stand where the aligned source passage puts it.

The fact checks ask whether a sentence's names are *somewhere* in its sources. That lets
through "Smith scored the winner" when the source says "Jones scored the winner" and
names Smith in another paragraph, or "Jones beat Smith" for "Smith beat Jones". Here each
name of a sentence is aligned, by the words around it, to the source passage it was
written from (as :mod:`newsdesk.verify.local` does for numbers and dates), and its slot
there is found: the passage's name (or pronoun) with the same words beside it. When that
slot holds another name, the sentence put the name in somebody else's role.

What an aligned passage hedges ("may", "allegedly", "is expected to") or denies
("denied", "rejected") the sentence must not state as plain fact.

No parser and no model: roles are read from word order in the aligned passage, which is
what an extractive or lightly paraphrasing writer keeps; a free paraphrase that reorders
the clause finds no slot and is left to the support check.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache
from itertools import pairwise

from newsdesk.verify.edits import edit_conflicts, reads_both_ways
from newsdesk.verify.names import DEMONYMS, TITLE_WORDS, Name, find_names, name_key, name_variants
from newsdesk.verify.sources import SourceIndex
from newsdesk.verify.text import (
    STOPWORDS,
    content_terms,
    fold,
    nfkc,
    stem,
    terms_around,
    wordset,
)

# Characters of context taken on each side of a name.
WINDOW = 80
# Share of the context's content words the aligned passage must hold to be "the" passage.
MIN_CONTEXT_SHARE = 0.6
# A passage sharing this share of the best one's context words and naming the name
# excuses it (a sentence fusing two passages).
NEARLY = 0.75
# A name the aligned passage lacks is judged only where the sentence follows the passage
# this closely (share of the context's words) and its slot there is this sure (words).
CLOSE_SHARE = 0.8
_PRONOUN = re.compile(r"\b(?:he|she|they|his|her|their|him|them)\b", re.IGNORECASE)
# Words that hedge or deny what follows them.
_HEDGES = wordset("""may might could possibly allegedly reportedly apparently purportedly suspected alleged
    likely unlikely probably perhaps expected plans planned planning intends considering
    proposed denied denies deny denying rejected rejects dismissed disputed""")
_HEDGE_PHRASES = re.compile(
    r"\b(?:accused of|is said to|are said to|was said to|were said to|believed to|thought to|"
    r"aims to|hopes to|wants to|seeks? to|tried to|threatened to)\b",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"\w+(?:['’]\w+)*")
_PASSIVE = re.compile(
    r"\b(?:was|were|been|being|is|are|be|got|gets)\s+(?:\w+ly\s+)?\w+(?:ed|en|wn|t)\s+by\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=8192)
def _passage_names(sentence: str) -> tuple[frozenset[str], tuple[Name, ...]]:
    """Name keys (every form) written capitalised in a source passage, and its names."""
    names = tuple(find_names(sentence))
    keys: set[str] = set()
    for name in names:
        for token in name.tokens:
            keys |= name_variants(token)
    return frozenset(keys), names


def _named(name: Name, keys: frozenset[str]) -> bool:
    """Some significant word of ``name`` is in ``keys`` (a surname alone names a person);
    title and place words ("House", "President") count only in a name of nothing else."""
    words = [t for t in name.tokens if len(t) > 1]
    own = [t for t in words if fold(t) not in TITLE_WORDS] or words
    return any(name_key(t) in keys for t in own)


def _aligned(
    text: str, start: int, end: int, passages: Sequence[tuple[str, frozenset[str]]]
) -> list[tuple[int, int, float]]:
    """(overlap, passage number, share of the context) of the passages sharing the
    context's words, best first; empty when no passage clearly is the one written from."""
    context = terms_around(text, start, end, WINDOW)
    if len(context) < 2:
        return []
    scored = [(len(context & terms), k) for k, (_, terms) in enumerate(passages) if context & terms]
    if not scored:
        return []
    scored.sort(key=lambda x: (-x[0], x[1]))
    if scored[0][0] < max(2, MIN_CONTEXT_SHARE * len(context)):
        return []
    return [(overlap, k, overlap / len(context)) for overlap, k in scored]


def name_conflicts(
    text: str,
    indexes: Sequence[SourceIndex],
    vocabulary: set[str] | frozenset[str],
    found: Sequence[Name] | None = None,
) -> list[str]:
    """Names written where the aligned source passage has another name: put in somebody
    else's place, or two of the sentence's names exchanged. ``found``: what
    ``find_names(text, vocabulary)`` gave, where the caller has it already."""
    text = nfkc(text)
    if found is None:
        found = find_names(text, vocabulary)
    names = [n for n in found if any(len(t) > 1 for t in n.tokens)]
    if not names:
        return []
    checked = [n for n in names if not _modifier(text, n)]
    passages = [
        (sentence, terms)
        for index in indexes
        for sentence, terms in zip(index.sentences, index.sentence_terms, strict=True)
    ]
    out: list[str] = list(title_conflicts(text, names, passages))
    both_sides = _both_sides(text, names, passages)
    if both_sides:
        out.append(both_sides)
    for name in checked:
        aligned = _aligned(text, name.start, name.end, passages)
        if not aligned:
            continue
        # a sentence joining clauses: the name is read against the passage its own clause
        # rests on, not one that the other clause's words chose
        aligned = _clause_aligned(text, name, passages, aligned[0][1]) or aligned
        best_overlap, best, share = aligned[0]
        passage = passages[best][0]
        keys, passage_names = _passage_names(passage)
        flipped = _voice_flipped(text, name, passage, passage_names)
        if flipped:
            out.append(flipped)
            continue
        # the passage lacks it and another nearly as close names it: fused or reworded,
        # not swapped (a passage naming it is judged on the slot, below)
        if not _named(name, keys) and any(
            overlap >= NEARLY * best_overlap and _named(name, _passage_names(passages[k][0])[0])
            for overlap, k, _ in aligned[1:]
        ):
            continue
        holder, fit = _slot_holder(text, name, passage, passage_names)
        if holder is None or holder.surface in name.surface or abbreviates(name, holder):
            continue
        # a name the passage lacks: only where the sentence follows the passage closely
        # (a summary that recombines passages finds loose slots everywhere)
        close = share >= CLOSE_SHARE and fit >= 3
        if _same(holder, name) and close:
            # "NBC Yazidis" where the passage has "NBC News", "NYU New England Journal"
            # where it has "NYU Langone Medical Center": words the holder lacks, and no
            # source names the whole ("Joe Biden" where the passage says "Biden" is fine
            # when another passage has "Joe Biden")
            held = {name_key(t) for t in holder.tokens}
            extra = [
                t
                for t in name.tokens
                if len(t) > 1 and fold(t) not in TITLE_WORDS and name_key(t) not in held
            ]
            # "Peru and Chile" for the passage's "Chile, Peru and Bolivia": a list reordered
            listed = bool(re.search(r"\s(?:and|or|&)\s", name.surface)) and all(
                name_key(t) in keys for t in extra
            )
            if extra and not listed and not _named_whole(name, passages):
                out.append(_why(name, holder, passage))
            continue
        if _same(holder, name):
            continue
        # named there too: wrong only if its place went to another name of the sentence,
        # in the same voice ("A beat B" is "B was beaten by A")
        # (names in a list, "A and B", may come in any order)
        if _named(name, keys):
            partner = next((n for n in names if n is not name and _same(holder, n)), None)
            if partner is None or _voice_differs(text, name, partner, passage, holder):
                continue
            # an exchange puts the partner in this name's place too; a partner with no
            # such place ("Lazio face Empoli at the Stadio Olimpico" for "take to the
            # Stadio Olimpico pitch to face Empoli") moved nobody
            own, _ = _slot_holder(text, partner, passage, passage_names)
            if own is None or not _same(own, name):
                continue
            # "A met B" is "B met A"
            lo, hi = sorted((name, partner), key=lambda n: n.start)
            if reads_both_ways(_TOKEN.findall(text[lo.end : hi.start])):
                continue
            if _coordinated(text, name, names):
                continue
        elif (
            not close
            # the holder is named in this sentence as often as in the passage: one clause
            # was written from the passage, another put a second name beside it ("A did X
            # at 29 and B at 24"); a passage naming it twice ("Kim smiled and Kim left")
            # loses one of its places to the name ("Kim smiled and After left")
            or _holder_kept(holder, name, names, passage_names)
            # the name stands for the passage's whole noun phrase ("City" for "Sheik
            # Mansour's club"), not for the owner in it
            or _stands_for_phrase(text, name, passage, holder)
        ):
            continue
        out.append(_why(name, holder, passage))
    # a name replaced or two exchanged where the neighbouring words gave no slot
    # ("(R-Calif.)", "Cheryl Strayed's Wild"): the sentence compared word for word
    return out or edit_conflicts(text, passages)


# Passive auxiliaries before a participle: "was refused", "has been handed".
_PASSIVE_AFTER_NAME = re.compile(
    r"\s+(?:was|were|is|are|has been|have been|had been|got|gets)\s+(?:\w+ly\s+)?"
    r"(\w+)\s+(\w+)\s+(\w+)",
    re.IGNORECASE,
)
_ACTIVE_AFTER_NAME = re.compile(r"\s+(?:\w+ly\s+)?(\w+)\s+(\w+)\s+(\w+)")
# A determiner after the participle marks its object: "was refused a place", "was handed
# the ball"; the object must be the same word too ("was told the news" is not "told the
# press"). A preposition or an adjective may follow a headline's passive with its
# auxiliary dropped ("Smith found guilty", "Man arrested in Leeds"): those are let be.
_DETERMINERS = wordset("a an the his her their its this that these those some")


def _voice_flipped(
    text: str, name: Name, passage: str, passage_names: Sequence[Name]
) -> str | None:
    """The passage says something was done to the name ("Briggs was refused a place"),
    the sentence that the name did it ("Briggs refused a place"): who did what reversed."""
    after = _ACTIVE_AFTER_NAME.match(text, name.end)
    if after is None or after.group(2).lower() not in _DETERMINERS:
        return None
    verb, following, thing = (word.lower() for word in after.groups())
    if verb in STOPWORDS or not verb.endswith(("ed", "en", "wn", "t", "d")):
        return None
    for other in passage_names:
        if not _same(other, name):
            continue
        there = _PASSIVE_AFTER_NAME.match(passage, other.end)
        if there and tuple(word.lower() for word in there.groups()) == (verb, following, thing):
            shown = passage if len(passage) <= 160 else passage[:159] + "…"
            return (
                f"'{name.surface} {verb} {following} {thing}' makes the doer of one to whom the "
                f"matching source passage says it was done: {shown!r}"
            )
    return None


def _both_sides(
    text: str, names: Sequence[Name], passages: Sequence[tuple[str, frozenset[str]]]
) -> str | None:
    """One name on both sides of a short verb phrase ("PSV have informed PSV") where no
    source passage has it so: one of the two stands in another's place."""
    for first, second in pairwise(names):
        keys = {name_key(t) for t in first.tokens}
        if not keys or keys != {name_key(t) for t in second.tokens}:
            continue
        if _possessive(second.surface):
            continue  # "Smith thanked Smith's lawyers": whose, not who
        between = text[first.end : second.start]
        words = between.split()
        if not 1 <= len(words) <= 4 or not re.fullmatch(r"[a-z ]+", between.strip()):
            continue
        if set(words) & {"and", "or", "v", "vs", "versus", "of", "to", "from", "at", "in"}:
            continue
        pattern = re.compile(
            re.escape(first.surface)
            + r"\s+"
            + r"\s+".join(map(re.escape, words))
            + r"\s+"
            + re.escape(second.surface)
        )
        if not any(pattern.search(passage) for passage, _ in passages):
            return (
                f"'{first.surface}' stands on both sides of '{between.strip()}', which no "
                "source passage says"
            )
    return None


# Words that name a person's office when written before the name ("Foreign Minister X").
_OFFICES = wordset("""minister president chancellor governor mayor senator secretary ambassador
    chairman chairwoman ceo director judge king queen prince princess general colonel
    commissioner premier pope archbishop bishop emir sheikh speaker""")
_NOT_OF_OFFICE = wordset("former late then acting interim new current outgoing incoming")


def _office(text: str, name: Name) -> tuple[str, tuple[str, ...]] | None:
    """("foreign minister", ("Johan", "Gustafsson")) for "Former Swedish Foreign Minister
    Johan Gustafsson": the office written just before a person's name, in the name or in
    the words before it (its last office word and the word before that), and the person;
    None for a name with no office."""
    before = _TOKEN.findall(text[max(0, name.start - 60) : name.start])[-3:]
    words = [*before, *name.tokens]
    offices = [k for k, w in enumerate(words) if fold(w) in _OFFICES and k >= len(before) - 1]
    if not offices:
        return None
    last = offices[-1]
    person = tuple(t for t in words[last + 1 :] if len(t) > 1)
    if not person or any(fold(t) in TITLE_WORDS for t in person):
        return None
    title = [fold(words[last])]
    qualifier = words[last - 1] if last > 0 else ""
    if (
        qualifier[:1].isupper()
        and fold(qualifier) not in _NOT_OF_OFFICE
        and fold(qualifier) not in DEMONYMS
        and not _possessive(qualifier)  # "Sweden's Foreign Minister"
        and not qualifier.lower().endswith(("ian", "ish", "ese"))  # "Swedish Foreign Minister"
    ):
        title.insert(0, fold(qualifier))
    return " ".join(title), person


def title_conflicts(
    text: str, names: Sequence[Name], passages: Sequence[tuple[str, frozenset[str]]]
) -> list[str]:
    """A person given an office that the sources give to somebody else only ("Foreign
    Minister Johan Gustafsson" where they write "Foreign Minister Margot Wallström" and
    "Mr Gustafsson"): the office went to the wrong name. Where the sources write the
    office beside nobody, or beside this person too, nothing is said."""
    out: list[str] = []
    for name in names:
        office = _office(text, name)
        if office is None:
            continue
        title, person = office
        keys = {name_key(t) for t in person}
        holders = _office_holders(title, person, keys, passages)
        if holders and not any({name_key(t) for t in h.split()} & keys for h in holders):
            out.append(
                f"'{name.surface}': the source gives the office of {title} to "
                f"{' and '.join(dict.fromkeys(holders))}, not to {' '.join(person)}"
            )
    return out


def _office_holders(
    title: str,
    person: tuple[str, ...],
    keys: set[str],
    passages: Sequence[tuple[str, frozenset[str]]],
) -> list[str]:
    """Who the passages write the office before; none when one writes it beside
    ``person`` (whose name keys are ``keys``: "Ann Linde, the trade minister")."""
    holders: list[str] = []
    for passage, _ in passages:
        lower = passage.lower()
        if title not in lower:
            continue
        if any(name_key(t) in keys for t in _TOKEN.findall(passage)) and _beside(
            lower, title, person
        ):
            return []
        for other in _passage_names(passage)[1]:
            theirs = _office(passage, other)
            if theirs is not None and _same_office(theirs[0], title):
                holders.append(" ".join(theirs[1]))
    return holders


def _same_office(a: str, b: str) -> bool:
    """One office, the other perhaps without its first word ('minister' for 'foreign
    minister': a sentence's first word may not be read as part of the name); 'foreign
    minister' and 'trade minister' are two."""
    return a == b or a.endswith(" " + b) or b.endswith(" " + a)


def _beside(lower: str, title: str, person: tuple[str, ...]) -> bool:
    """The office and the person's last name within a few words of each other."""
    surname = fold(person[-1])
    words = re.findall(r"\w+", lower)
    title_at = [
        k for k in range(len(words)) if " ".join(words[k : k + len(title.split())]) == title
    ]
    name_at = [k for k, w in enumerate(words) if w == surname or w.startswith(surname)]
    return any(abs(a - b) <= 6 for a in title_at for b in name_at)


def _named_whole(name: Name, passages: Sequence[tuple[str, frozenset[str]]]) -> bool:
    """Some source passage has a name holding every significant word of ``name``."""
    wanted = {name_key(t) for t in name.tokens if len(t) > 1 and fold(t) not in TITLE_WORDS}
    for passage, _ in passages:
        for other in _passage_names(passage)[1]:
            if wanted <= {name_key(t) for t in other.tokens}:
                return True
    return False


# Where a sentence joins two clauses ("X did A and Y did B", "..., while ...", "...; ...").
_JOINER = re.compile(r"\s*;\s*|,?\s+(?:and|but|while|whereas|yet)\s+", re.IGNORECASE)


def _clause(text: str, name: Name) -> str | None:
    """The clause of ``text`` holding ``name``: from the joiner before it to the joiner
    after it; None where the sentence is one clause."""
    joiners = _joiners(text)
    if not joiners:
        return None
    # the first joiner that ends after the name's start, by bisection: a sentence's names
    # each look it up, so a runaway sentence of thousands of words stays linear
    after = bisect_right(joiners, name.start, key=lambda span: span[1])
    start = joiners[after - 1][1] if after else 0
    end = len(text)
    for k in range(after, len(joiners)):  # a joiner inside the name is none
        if joiners[k][0] >= name.end:
            end = joiners[k][0]
            break
    if start == 0 and end == len(text):
        return None
    return text[start:end]


@lru_cache(maxsize=256)
def _joiners(text: str) -> list[tuple[int, int]]:
    """(start, end) of each joiner in ``text``, in order."""
    return [m.span() for m in _JOINER.finditer(text)]


def _clause_aligned(
    text: str, name: Name, passages: Sequence[tuple[str, frozenset[str]]], best: int
) -> list[tuple[int, int, float]]:
    """The passages sharing the words of the name's own clause, best first, where the
    sentence joins clauses, its best passage lacks that clause's words (the other clause
    chose it) and another passage clearly holds them; otherwise empty."""
    clause = _clause(text, name)
    if clause is None:
        return []
    own = set(content_terms(clause)) - set(content_terms(name.surface))
    if len(own) < 2:
        return []
    need = max(2, MIN_CONTEXT_SHARE * len(own))
    if len(own & passages[best][1]) >= need:
        return []
    scored = [(len(own & terms), k) for k, (_, terms) in enumerate(passages) if own & terms]
    scored.sort(key=lambda x: (-x[0], x[1]))
    if not scored or scored[0][0] < need:
        return []
    return [(overlap, k, overlap / len(own)) for overlap, k in scored]


def _why(name: Name, holder: Name, passage: str) -> str:
    shown = passage if len(passage) <= 160 else passage[:159] + "…"
    return (
        f"'{name.surface}' stands where the matching source passage has "
        f"'{holder.surface}': {shown!r}"
    )


def _modifier(text: str, name: Name) -> bool:
    """A demonym qualifying a noun ("the Russian group"): it says whose, not who acts;
    a demonym the sources lack is the name check's."""
    if len(name.tokens) != 1 or _possessive(name.surface):
        return False
    word = fold(name.tokens[0])
    after = re.match(r"\s+([a-z]+)", text[name.end :])
    if after is None or after.group(1) in STOPWORDS:
        return False
    if word in DEMONYMS or word.endswith(("ian", "ese", "ish")):
        return True
    # "-an", "-i" end names too ("Donovan", "Ali"): a demonym only after an article
    before = text[max(0, name.start - 100) : name.start].split()[-1:]  # not the whole text
    return word.endswith(("an", "i")) and bool(before) and before[0].lower() in ("the", "a", "an")


def _voice_differs(text: str, a: Name, b: Name, passage: str, holder: Name) -> bool:
    """One text puts a passive ("was beaten by") between the two names, the other not."""
    lo, hi = sorted((a, b), key=lambda n: n.start)
    here = bool(_PASSIVE.search(text[lo.end : hi.start]))
    other = next((n for n in _passage_names(passage)[1] if _same(n, a)), None)
    if other is None:
        return False
    p_lo, p_hi = sorted((other, holder), key=lambda n: n.start)
    there = bool(_PASSIVE.search(passage[p_lo.end : p_hi.start]))
    return here != there


def _same(a: Name, b: Name) -> bool:
    """The two share a word that is not a title or place word ("House", "President")."""
    keys = {name_key(t) for t in a.tokens if fold(t) not in TITLE_WORDS}
    return bool(keys & {name_key(t) for t in b.tokens if fold(t) not in TITLE_WORDS})


def abbreviates(a: Name, b: Name) -> bool:
    """One name is the other shortened: "Lib Dem" / "Liberal Democrat" (word by word, a
    word the start of the other), or initials ("IMF" / "International Monetary Fund")."""
    ka = [name_key(t) for t in a.tokens]
    kb = [name_key(t) for t in b.tokens]
    for one, other in ((ka, kb), (kb, ka)):
        if len(one) == 1 and len(other) >= 2 and one[0] == "".join(k[:1] for k in other):
            return True
    if len(ka) != len(kb):
        return False
    return all(
        x == y or (min(len(x), len(y)) >= 3 and (x.startswith(y) or y.startswith(x)))
        for x, y in zip(ka, kb, strict=True)
    )


def _holder_kept(
    holder: Name, name: Name, names: Sequence[Name], passage_names: Sequence[Name]
) -> bool:
    """The sentence names the slot's holder elsewhere as many times as the passage does,
    and the passage does not name the name (else the two changed places)."""
    if all(fold(t) in STOPWORDS for t in name.tokens) or any(_same(name, n) for n in passage_names):
        return False  # a capitalised "Those" is no name; a passage naming it: exchanged
    here = sum(1 for n in names if n is not name and _same(holder, n))
    there = sum(1 for n in passage_names if _same(holder, n))
    return here >= 1 and here >= there


_NEXT_WORD = re.compile(r"\s+(\w+)")


def _stands_for_phrase(text: str, name: Name, passage: str, holder: Name) -> bool:
    """The passage's name owns a noun ("Sheik Mansour's club") that does not follow the
    sentence's name: the name stands for that whole phrase, not in the owner's place. Or
    the other way round: the sentence's name owns a noun that the passage's name holds
    ("Yanukovych's party" for "the Party of Regions")."""
    mine = _owned_noun(text, name)
    if mine is not None:
        return mine in {fold(t) for t in holder.tokens}
    theirs = _owned_noun(passage, holder)
    if theirs is None:
        return False
    after = _NEXT_WORD.match(text, name.end)
    return after is None or fold(after.group(1)) != theirs


def _owned_noun(text: str, name: Name) -> str | None:
    """The common noun a possessive name owns ("club" in "Sheik Mansour's club"), folded."""
    if not _possessive(name.surface):
        return None
    owned = _NEXT_WORD.match(text, name.end)
    if owned is None or not owned.group(1).islower() or owned.group(1) in STOPWORDS:
        return None
    return fold(owned.group(1))


def _possessive(word: str) -> bool:
    return word.endswith(("'s", "’s"))


def _neighbours(text: str, start: int, end: int) -> tuple[list[str], list[str]]:
    """Up to three lower-cased word stems on each side of ``text[start:end]``."""
    left = [stem(t.lower()) for t in _TOKEN.findall(text[max(0, start - 60) : start])][-3:]
    right = [stem(t.lower()) for t in _TOKEN.findall(text[end : end + 60])][:3]
    return left, right


def _slot_holder(
    text: str, name: Name, passage: str, passage_names: Sequence[Name]
) -> tuple[Name | None, int]:
    """The passage's name whose neighbouring words match those of ``name`` in ``text``
    best (two words at least, alone at the top), and how many words match; None when
    none does or a pronoun does."""
    left, right = _neighbours(text, name.start, name.end)
    candidates: list[tuple[int, Name | None]] = []
    for other in passage_names:
        o_left, o_right = _neighbours(passage, other.start, other.end)
        candidates.append((_shared(left, o_left, right, o_right), other))
    for match in _PRONOUN.finditer(passage):
        o_left, o_right = _neighbours(passage, match.start(), match.end())
        candidates.append((_shared(left, o_left, right, o_right), None))
    if not candidates:
        return None, 0
    candidates.sort(key=lambda c: -c[0])
    score, holder = candidates[0]
    if score < 2 or (len(candidates) > 1 and candidates[1][0] == score):
        return None, 0
    return holder, score


def _shared(left: list[str], o_left: list[str], right: list[str], o_right: list[str]) -> int:
    """Words in the same place beside the two names: the next word on each side counts
    when it matches, the farther ones anywhere within the other's three."""
    score = 0
    if left and o_left and left[-1] == o_left[-1]:
        score += 1
    if right and o_right and right[0] == o_right[0]:
        score += 1
    score += len(set(left[:-1]) & set(o_left)) + len(set(right[1:]) & set(o_right))
    return score


def _coordinated(text: str, name: Name, names: Sequence[Name]) -> bool:
    """The name stands in a list with another ("A and B", "A, B"): their order says nothing."""
    for other in names:
        if other is name:
            continue
        lo, hi = (other, name) if other.start < name.start else (name, other)
        if re.fullmatch(r"\s*(?:,|and|or|&|, and|, or)\s*", text[lo.end : hi.start]):
            return True
    return False


def hedge_dropped(text: str, best: Sequence[str]) -> str | None:
    """What an aligned passage hedges or denies that the sentence states plainly, or None."""
    claim = [t.lower() for t in _TOKEN.findall(nfkc(text))]
    claim_stems = [stem(t) for t in claim]
    if any(t in _HEDGES for t in claim) or _HEDGE_PHRASES.search(text):
        return None  # the sentence hedges too (not necessarily the same word)
    for passage in best:
        if not passage:
            continue
        matches = list(_TOKEN.finditer(nfkc(passage)))
        tokens = [m.group(0).lower() for m in matches]
        # a word used as a caption's label ("Rejected: Charlotte was refused a place")
        # hedges nothing
        spans = [
            (i, 1)
            for i, t in enumerate(tokens)
            if t in _HEDGES and not nfkc(passage)[matches[i].end() :].startswith(":")
        ]
        for match in _HEDGE_PHRASES.finditer(passage):
            at = len(_TOKEN.findall(passage[: match.start()]))
            spans.append((at, len(_TOKEN.findall(match.group(0)))))
        for at, size in spans:
            scope = [
                stem(t)
                for t in tokens[at + size : at + size + 6]
                if t not in STOPWORDS and t not in _HEDGES
            ][:2]
            if len(scope) < 2:
                continue
            if _in_order(claim_stems, scope):
                hedge = " ".join(tokens[at : at + size])
                span = " ".join(tokens[at : at + size + 4])
                return f"the source hedges it ('{span}…'); the sentence drops '{hedge}'"
    return None


def _in_order(stems: list[str], wanted: list[str]) -> bool:
    """``wanted`` occurs in order within a short span of ``stems``."""
    for i, s in enumerate(stems):
        if not _alike(s, wanted[0]):
            continue
        if any(_alike(t, wanted[1]) for t in stems[i + 1 : i + 5]):
            return True
    return False


def _alike(a: str, b: str) -> bool:
    """Stems of one word ("tak" from "taking", "take" from "took")."""
    return a == b or (min(len(a), len(b)) >= 3 and (a.startswith(b) or b.startswith(a)))
