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
    assert language.own_words_share(text, "hi") is None  # no list of Hindi's words
    assert language.own_words_share("Kort tekst.", "nb") is None  # too few words


# The same news paragraph, written for this test in each Latin-script language lingua
# knows whose list came last (and in a few whose lists are families): lingua, weighing all
# 75 languages, names each as labelled.
OTHER_LATIN = {
    "zu": "Uhulumeni uthe uzoqhubeka nokwakha imigwaqo ezifundazweni zonke zezwe, futhi wathi abantu kumele basebenzisane nabaholi babo. Ungqongqoshe uthe lokhu kuzosiza kakhulu ezindaweni zasemakhaya, kodwa abanye bathi imali ayanele. Uma izinhlelo ziqhubeka njengoba kuhleliwe, umsebenzi uzoqala ngesikhathi esifanayo nonyaka ozayo, kanye nezikole ezintsha.",
    "xh": "Urhulumente uthe uza kuqhubeka nokwakha iindlela kuwo onke amaphondo elizwe, kwaye uthe abantu kufuneka basebenzisane neenkokeli zabo. Umphathiswa uthe oku kuza kunceda kakhulu kwiindawo zasemaphandleni, kodwa abanye bathi imali ayonelanga. Ukuba iinkqubo ziqhubeka njengoko kucwangcisiwe, umsebenzi uza kuqala kunyaka ozayo, kunye nezikolo ezintsha.",
    "st": "Mmuso o itse o tla tswela pele ho aha ditsela diprofinseng tsohle tsa naha, mme o itse batho ba lokela ho sebetsa mmoho le baetapele ba bona. Letona le itse sena se tla thusa haholo dibakeng tsa mahaeng, empa ba bang ba re tjhelete ha e a lekana. Haeba mananeo a tswela pele jwalo ka ha ho rerilwe, mosebetsi o tla qala selemong se tlang.",
    "tn": "Puso e rile e tla tswelela go aga ditsela mo diporofenseng tsotlhe tsa naga, mme e rile batho ba tshwanetse go dira mmogo le baeteledipele ba bone. Tona o rile seno se tla thusa thata mo mafelong a magae, mme bangwe ba re madi ga a lekane. Fa mananeo a tswelela jaaka go rulagantswe, tiro e tla simolola mo ngwageng o o tlang.",
    "ts": "Mfumo wu te wu ta ya emahlweni ku aka magondzo eswifundzheni hinkwaswo swa tiko, naswona wu te vanhu va fanele ku tirhisana ni varhangeri va vona. Holobye u te leswi swi ta pfuna swinene etindhawini ta le makaya, kambe van'wana va te mali a yi eneli. Loko minongonoko yi ya emahlweni hilaha yi kunguhatiweke hakona, ntirho wu ta sungula hi lembe leri taka.",
    "sn": "Hurumende yakati ichaenderera mberi nekuvaka migwagwa mumatunhu ese enyika, uye yakati vanhu vanofanira kushanda pamwe chete nevatungamiri vavo. Gurukota rakati izvi zvichabatsira zvikuru munzvimbo dzekumaruwa, asi vamwe vanoti mari haina kukwana. Kana zvirongwa zvikaenderera mberi sezvakarongwa, basa richatanga gore rinouya, pamwe chete nezvikoro zvitsva.",
    "lg": "Gavumenti egambye nti ejja kweyongera okuzimba enguudo mu bitundu byonna eby'eggwanga, era nti abantu balina okukolagana n'abakulembeze baabwe. Minisita agambye nti kino kijja kuyamba nnyo mu byalo, naye abamu bagamba nti ssente tezimala. Singa enteekateeka zigenda mu maaso nga bwe zaategekebwa, omulimu gujja kutandika omwaka ogujja.",
    "so": "Dowladda ayaa sheegtay inay sii wadi doonto dhismaha waddooyinka gobollada dalka oo dhan, waxayna tiri in dadku ay la shaqeeyaan hoggaamiyeyaashooda. Wasiirka ayaa sheegay in tani ay aad u caawin doonto deegaannada miyiga, laakiin qaar kale ayaa sheegay in lacagtu aanay ku filnayn. Haddii barnaamijyadu u socdaan sidii loo qorsheeyay, shaqadu waxay bilaaban doontaa sanadka soo socda.",
    "yo": "Ìjọba ti sọ pé òun yóò máa bá a lọ láti kọ́ àwọn ọ̀nà ní gbogbo ìpínlẹ̀ orílẹ̀-èdè náà, ó sì sọ pé àwọn ènìyàn gbọ́dọ̀ ṣiṣẹ́ pọ̀ pẹ̀lú àwọn olórí wọn. Mínísítà náà sọ pé èyí yóò ṣe ìrànlọ́wọ́ púpọ̀ ní àwọn agbègbè ìgbèríko, ṣùgbọ́n àwọn kan sọ pé owó kò tó. Tí àwọn ètò bá tẹ̀síwájú bí wọ́n ṣe ṣètò rẹ̀, iṣẹ́ náà yóò bẹ̀rẹ̀ ní ọdún tó ń bọ̀.",
    "mi": "I kī te kāwanatanga ka haere tonu te hanga i ngā rori i ngā rohe katoa o te motu, ā, i kī ia me mahi tahi ngā tāngata me ō rātou kaiārahi. I kī te minita ka nui te āwhina o tēnei ki ngā takiwā o te tuawhenua, engari e kī ana ētahi kāore i te rawaka te pūtea. Mēnā ka haere tonu ngā kaupapa pērā i te mea kua whakaritea, ka tīmata te mahi ā tērā tau.",
    "cy": "Mae'r llywodraeth wedi dweud y bydd yn parhau i adeiladu ffyrdd ym mhob rhanbarth o'r wlad, ac mae wedi dweud bod yn rhaid i bobl weithio gyda'u harweinwyr. Dywedodd y gweinidog y bydd hyn yn helpu llawer yn yr ardaloedd gwledig, ond mae rhai yn dweud nad oes digon o arian. Os bydd y cynlluniau'n parhau fel y bwriadwyd, bydd y gwaith yn dechrau y flwyddyn nesaf.",
    "ga": "Dúirt an rialtas go leanfaidh sé ar aghaidh ag tógáil bóithre i ngach réigiún den tír, agus dúirt sé go gcaithfidh na daoine oibriú le chéile lena gceannairí. Dúirt an t-aire go gcabhróidh sé seo go mór sna ceantair tuaithe, ach deir daoine eile nach bhfuil go leor airgid ann. Má leanann na pleananna ar aghaidh mar a beartaíodh, tosóidh an obair an bhliain seo chugainn.",
    "eo": "La registaro diris, ke ĝi daŭrigos la konstruadon de vojoj en ĉiuj regionoj de la lando, kaj ke la homoj devas kunlabori kun siaj gvidantoj. La ministro diris, ke tio multe helpos en la kamparaj regionoj, sed aliaj diras, ke la mono ne sufiĉas. Se la planoj daŭros kiel antaŭvidite, la laboro komenciĝos en la venonta jaro.",
    "la": "Senatus hodie decrevit ut viae novae in omnibus provinciis imperii aedificarentur, et consul dixit cives cum magistratibus suis operari debere. Praeterea dixit hoc agris et vicis multum profuturum esse, sed alii pecuniam non sufficere dicunt. Si consilia ita procedunt ut constituta sunt, opus anno proximo incipiet, et quae sunt necessaria parabuntur.",
    "az": "Hökumət ölkənin bütün bölgələrində yolların tikintisini davam etdirəcəyini bildirib və insanların öz rəhbərləri ilə birlikdə işləməli olduğunu qeyd edib. Nazir bildirib ki, bu, kənd yerlərində çox kömək edəcək, lakin bəziləri pulun kifayət etmədiyini deyirlər. Əgər planlar nəzərdə tutulduğu kimi davam edərsə, iş gələn il başlayacaq.",
    "sw": "Serikali imesema kwamba itaendelea kujenga barabara katika mikoa yote ya nchi, na kwamba wananchi wanapaswa kushirikiana na viongozi wao. Waziri amesema hii itasaidia sana katika maeneo ya vijijini, lakini wengine wanasema fedha hazitoshi. Ikiwa mipango itaendelea kama ilivyopangwa, kazi hiyo itaanza mwaka ujao.",
    "tl": "Sinabi ng pamahalaan na ipagpapatuloy nito ang paggawa ng mga kalsada sa lahat ng rehiyon ng bansa, at sinabi rin nito na dapat makipagtulungan ang mga tao sa kanilang mga pinuno. Ayon sa kalihim, malaki ang maitutulong nito sa mga lalawigan, ngunit sinasabi ng iba na kulang ang pondo. Kung magpapatuloy ang mga plano, magsisimula ang trabaho sa susunod na taon.",
    "is": "Ríkisstjórnin sagði að hún myndi halda áfram að byggja vegi í öllum landshlutum, og að fólk yrði að vinna með leiðtogum sínum. Ráðherrann sagði að þetta myndi hjálpa mikið í sveitum landsins, en aðrir segja að peningarnir dugi ekki. Ef áætlanirnar halda áfram eins og til stóð, hefst verkið á næsta ári.",
    "eu": "Gobernuak esan du herrialdeko eskualde guztietan errepideak eraikitzen jarraituko duela, eta jendeak bere buruzagiekin batera lan egin behar duela. Ministroak esan du horrek asko lagunduko duela landa eremuetan, baina beste batzuek diote dirua ez dela nahikoa. Planak aurreikusi bezala jarraitzen badute, lana datorren urtean hasiko da.",
    "sq": "Qeveria tha se do të vazhdojë ndërtimin e rrugëve në të gjitha rajonet e vendit, dhe se njerëzit duhet të punojnë së bashku me udhëheqësit e tyre. Ministri tha se kjo do të ndihmojë shumë në zonat rurale, por të tjerët thonë se paratë nuk mjaftojnë. Nëse planet vazhdojnë siç ishte parashikuar, puna do të fillojë vitin e ardhshëm.",
}


@pytest.mark.parametrize("code", sorted(OTHER_LATIN))
def test_every_latin_script_language_is_named_without_all_of_linguas_models(code: str) -> None:
    """Its function words name it, or name a few languages lingua then weighs alone (a
    family of one, such as Swahili's list, beside the next lists its words point to):
    never all 75 languages' models, 0.5 s a process. The answer is lingua's over all."""
    text = OTHER_LATIN[code]
    assert lingua(text) == code
    answer, candidates = language._quick_guess(text)
    if answer is None:
        members = {m for c in candidates for m in language._LINGUA_CODES.get(c, (c,))}
        assert code in members and len(members) <= 6, candidates  # of 75
    else:
        assert answer == code
    assert language.detect_language(text) == code
    assert language.listed_language(text) == code


def test_a_text_no_list_catches_is_weighed_among_languages_written_conjunctively() -> None:
    """A Zulu report written in long words, none of them a listed function word ("the"
    or "futhi"), under lang="en": lingua among the Bantu languages that fuse their
    function words into the words they govern, and English."""
    text = (
        "Uhlalele ovalweni umndeni wesaguga saseMbali, okuthiwa sibhokodwe ngommese emzini "
        "waso eMgungundlovu yilungu lomndeni ngoLwesine olwedlule. Ngokuthola kwephephandaba "
        "uRejoice Ndlovu utholwe edindilizile edamini legazi egumbini lokulala."
    )
    assert language._quick_guess(text) == (None, ())
    assert language.detect_unlisted_language(text, "en") == lingua(text) == "zu"
