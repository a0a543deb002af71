"""The quick language guess: where it answers, it answers as lingua does on real articles,
and it leaves short text, close relatives and unknown languages to lingua."""

from __future__ import annotations

import json

import pytest

from newsdesk.text import language
from tests.conftest import BENCH, require_shared


def lingua(text: str) -> str | None:
    found = language._detector().detect_language_of(text)
    return found.iso_code_639_1.name.lower() if found else None


def real_texts() -> list[str]:
    """Article texts of the benchmark data: the pooled Multi-News articles (English) and
    the flattened pages of many outlets and languages."""
    pooled = require_shared(BENCH / "clustering" / "multinews-longbench-pooled" / "articles.jsonl")
    texts = [json.loads(line)["text"] for line in pooled.read_text().splitlines()[:150]]
    dump = BENCH / "extraction" / "textdump"
    texts += [path.read_text(encoding="utf-8") for path in sorted(dump.glob("*.txt"))]
    return texts


def test_quick_guess_agrees_with_lingua_on_real_articles() -> None:
    answered = 0
    for text in real_texts():
        for size in (300, 600, 2000):  # the samples extract and cluster pass
            sample = text[:size].strip()
            quick = language.quick_language(sample)
            if quick is not None:
                answered += 1
                assert quick == lingua(sample), sample[:200]
    assert answered >= 300  # it answers for most of them, or it saves nothing


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "서울 시민들은 오늘 아침 출근길에 큰 눈을 만났다. 기상청은 내일도 눈이 온다고 밝혔다.",
            "ko",
        ),
        ("東京都は今日、新しい公園の計画を発表しました。工事は来年の春に始まる予定です。", "ja"),
        (
            "Η κυβέρνηση ανακοίνωσε σήμερα νέα μέτρα για την οικονομία και τις τιμές της ενέργειας.",
            "el",
        ),
        (
            "Правительство объявило сегодня о новых мерах для экономики, и это было решение, "
            "которое уже давно ожидали в стране, так как цены на энергию выросли после зимы, "
            "а также из-за того, что он не смог это сделать до конца года.",
            "ru",
        ),
    ],
)
def test_a_script_or_a_clear_majority_of_words_decides(text: str, expected: str) -> None:
    assert language.quick_language(text) == expected
    assert language.detect_language(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Short English line.",  # too few words to tell
        # Danish and Norwegian share most of their function words: lingua tells them apart.
        "Regeringen har i dag sagt, at den vil hæve skatten på benzin fra næste år, og det "
        "er ikke sikkert, at partierne i Folketinget vil støtte forslaget, som blev lagt "
        "frem efter et langt møde med erhvervslivet og fagbevægelsen om eftermiddagen.",
        # Welsh: no list of its own; its few words shared with others decide nothing.
        "Mae'r llywodraeth wedi cyhoeddi heddiw y bydd arian newydd ar gael i ysgolion yng "
        "Nghymru, ac mae'r gweinidog yn dweud y bydd hyn yn helpu plant a phobl ifanc i "
        "ddysgu mewn adeiladau gwell dros y blynyddoedd nesaf, er bod rhai yn amheus.",
        # Latvian: shares "par", "un" with French, which must not make it French.
        "Valdība šodien paziņoja par jauniem pasākumiem ekonomikas atbalstam, un deputāti "
        "tos apspriedīs nākamnedēļ, kad notiks Saeimas sēde par budžetu un nodokļiem "
        "nākamajam gadam, kā arī par enerģijas cenām mājsaimniecībām visā valstī.",
    ],
)
def test_unsure_text_is_left_to_lingua(text: str) -> None:
    assert language.quick_language(text) is None


# Close relatives, written for this test: the function words narrow each to its family.
RELATIVES = {
    "da": "Regeringen har i dag fremlagt et nyt forslag om skatter, og det er ikke første gang "
    "at ministeren har talt om det. Han siger at der skal være flere penge til skoler og "
    "hospitaler, men oppositionen mener at forslaget er for dyrt for landets familier.",
    "nb": "Regjeringen har i dag lagt fram et nytt forslag om skatt, og det er ikke første gang "
    "at statsministeren har snakket om det. Han sier at det skal bli flere penger til skoler "
    "og sykehus, men opposisjonen mener at forslaget er for dyrt for familiene i landet.",
    "pt": "O governo apresentou hoje uma nova proposta sobre os impostos, e não é a primeira vez "
    "que o ministro fala sobre o assunto. Ele disse que haverá mais dinheiro para as escolas e "
    "os hospitais, mas a oposição considera que a proposta é muito cara para as famílias.",
    "cs": "Vláda dnes představila nový návrh daní a není to poprvé, kdy o tom ministr mluví. "
    "Podle něj bude více peněz pro školy a nemocnice, ale opozice tvrdí, že je návrh pro "
    "rodiny příliš drahý a že by měl být ještě jednou projednán ve sněmovně.",
    "hr": "Vlada je danas predstavila novi prijedlog o porezima, a to nije prvi put da ministar "
    "govori o tome. On je rekao da će biti više novca za škole i bolnice, ali oporba smatra da "
    "je prijedlog preskup za obitelji i da bi ga trebalo još jednom razmotriti.",
}


@pytest.mark.parametrize("code", sorted(RELATIVES))
def test_close_relatives_get_lingua_among_them_and_the_same_answer(code: str) -> None:
    """Where the function words point to a family, lingua weighs only its members (a
    tenth of the models to load) and answers as it does weighing every language."""
    text = RELATIVES[code]
    answer, relatives = language._quick_guess(text)
    if answer is not None:
        assert answer == lingua(text)
        return
    assert relatives, "the function words should narrow this text to a family"
    assert language.detect_language(text) == lingua(text)


def test_relatives_on_real_articles_answer_as_lingua_among_all() -> None:
    for text in real_texts():
        for size in (300, 600, 2000):
            sample = text[:size].strip()
            answer, relatives = language._quick_guess(sample)
            if answer is None and relatives:
                assert language.detect_language(sample) == lingua(sample), sample[:200]


# Lists and tables: names and numbers leave few function words; written for this test.
PT_TABLE = (
    "Classificação final do campeonato após 12 etapas: Pos. Piloto Equipe Pontos 1 Rubens "
    "Barrichello Full Time 301 2 Felipe Massa Ipiranga 287 3 Daniel Serra Eurofarma 265 4 "
    "Ricky Maurício Mobil 240 5 Thiago Camilo Ipiranga 231 6 Átila Abreu Shell 219 7 César "
    "Ramos Crown 204 8 Marcos Gomes Cimed 198. Próxima etapa em São Paulo, em dezembro; as "
    "inscrições estão abertas."
)
GL_TABLE = (
    "Clasificación final do campionato despois de 12 etapas: Pos. Piloto Equipo Puntos 1 "
    "Xoán Barreiro Full Time 301 2 Brais Castro Ipiranga 287 3 Daniel Serra Eurofarma 265 4 "
    "Uxío Mosquera Mobil 240 5 Antón Iglesias Cimed 231 6 Breixo Lema Shell 219 7 César "
    "Ramos Crown 204 8 Marcos Gomes Lugo 198. A próxima etapa será en Ourense en decembro."
)


def test_a_languages_own_letters_settle_a_list_its_few_words_lean_to() -> None:
    """Too few function words for a clear majority: Portuguese's ã and õ (which Galician
    and Spanish do not write) settle it where those words lean to Portuguese, as lingua
    would; without them the text still goes to lingua."""
    assert language._quick_guess(PT_TABLE) == ("pt", ())
    assert lingua(PT_TABLE) == "pt"
    assert language.quick_language(GL_TABLE) is None


def test_real_articles_hold_their_languages_commonest_words() -> None:
    """A declared language is doubted when its commonest words make under 5% of the text
    (extract.html): every source article of the Wikinews set, in the language lingua and
    its label agree on, holds more than that."""
    sources = require_shared(BENCH / "synthesis" / "wikinewssum-dev" / "articles.jsonl")
    checked = 0
    for line in sources.read_text(encoding="utf-8").splitlines():
        for source in json.loads(line)["sources"]:
            sample = (source.get("text") or "")[:600].strip()
            code = source.get("language")
            if not code or lingua(sample) != code:
                continue
            share = language.own_words_share(sample, code)
            if share is not None:
                checked += 1
                assert share >= 0.05, (code, sample[:200])
    assert checked >= 80


def test_own_words_share_needs_a_list_and_enough_words() -> None:
    text = (
        "Bystyret vedtok tirsdag at den gamle havnebrua skal stenges for biler fra neste "
        "vår, etter at ingeniørene fant at stålet var tynnere enn de hadde ventet, og at "
        "arbeidet vil ta om lag to år."
    )
    assert language.own_words_share(text, "no") == language.own_words_share(text, "nb")
    assert language.own_words_share(text, "nb") > 0.2
    # "at", "for" and "to" are English words too: Norwegian under lang="en" is told by
    # its letters (ø, å: extract.html), not by this share.
    assert 0.05 < language.own_words_share(text, "en") < language.own_words_share(text, "nb")
    assert language.own_words_share(text, "zu") is None  # no list of Zulu's words
    assert language.own_words_share("Kort tekst.", "nb") is None  # too few words
