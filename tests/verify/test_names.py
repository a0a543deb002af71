"""Name spans in model-written sentences: where a name starts and ends, and what a source
must say for each part of it."""

from __future__ import annotations

from newsdesk.model import Article, Sentence
from newsdesk.verify import check_sentences
from newsdesk.verify.names import find_names


def spans(text: str) -> list[str]:
    return [name.surface for name in find_names(text)]


def name_problems(text: str, *paragraphs: str) -> list[str]:
    source = Article.create(
        url="https://example.org/story", title="", paragraphs=paragraphs, published="2025-03-04"
    )
    [problems] = check_sentences([Sentence(text, (source.id,))], [source])
    return [p.why for p in problems if p.kind == "name"]


def test_a_qualifier_opening_a_sentence_is_not_glued_onto_the_name():
    text = "Former US talk show host Rosie O'Donnell has had a stent fitted after a heart attack."
    assert spans(text) == ["US", "Rosie O'Donnell"]
    # the name the source lacks is still reported, alone
    source = "Rosie O'Donnell, who hosted a talk show for years, had a heart attack last month."
    assert name_problems(text, source) == ["name 'US' is not in the cited source"]


def test_a_common_word_opening_a_sentence_alone_is_not_a_name():
    assert spans("Scientists are sending a robot to the bottom of the Mariana Trench.") == [
        "Mariana Trench"
    ]
    assert spans("World number one Dustin Johnson pulled out with a back injury.") == [
        "Dustin Johnson"
    ]
    assert spans("Fourteen people were hurt when the roof of the Grand Hotel fell in.") == [
        "Grand Hotel"
    ]
    # before a capitalised word it may start a name
    assert spans("World Cup winners France lost to a late goal in Paris.") == [
        "World Cup",
        "France",
        "Paris",
    ]
    # a name opening a sentence alone is still one
    assert spans("Johnson pulled out of the tournament with a back injury.") == ["Johnson"]


def test_a_weekday_with_a_possessive_is_a_date_not_a_name():
    text = "Johnson pulled out of Thursday's first round at Augusta with a back injury."
    assert spans(text) == ["Johnson", "Augusta"]
    source = "Johnson withdrew from the first round at Augusta on Thursday with a back injury."
    assert name_problems(text, source) == []


def test_a_possessive_glued_to_the_next_word_ends_there():
    text = "He has played in all four of Villa'sFA Cup matches this season."
    assert spans(text) == ["Villa's", "FA Cup"]
    source = "The goalkeeper has played in all four of Villa's FA Cup matches this season."
    assert name_problems(text, source) == []


def test_and_between_two_names_lists_them_and_inside_a_title_joins():
    text = "Saracens and England number eight Billy Vunipola could return from injury."
    assert spans(text) == ["Saracens", "England", "Billy Vunipola"]
    assert spans("The win means that Rangers and Hibernian remain level on points.") == [
        "Rangers",
        "Hibernian",
    ]
    for name in (
        "Police and Crime Commissioner",
        "Food and Drug Administration",
        "Department of Health and Social Care",
    ):
        assert spans(f"She wrote a long letter to the {name} about the delays last week.") == [name]


def test_a_possessive_and_an_office_are_names_of_their_own():
    assert spans("A man attacked the home of Kenya's Deputy President William Ruto.") == [
        "Kenya's",
        "Deputy President",
        "William Ruto",
    ]
    assert spans("Hungary will not back down, Foreign Minister Peter Szijjarto said.") == [
        "Hungary",
        "Foreign Minister",
        "Peter Szijjarto",
    ]


def test_an_office_the_source_writes_in_lower_case_is_found():
    text = "A man attacked a police officer at the home of Kenya's Deputy President William Ruto."
    source = (
        "A man attacked a police officer at the Kenyan home of the deputy president, William Ruto."
    )
    assert name_problems(text, source) == []
    # the office's words scattered over the source are not the office
    scattered = (
        "A deputy attacked a police officer at the Kenyan home of William Ruto, its president."
    )
    assert name_problems(text, scattered) == ["name 'Deputy President' is not in the cited source"]


def test_the_part_of_a_name_the_source_lacks_is_still_reported():
    text = "Hungary will not back down on the laws, Foreign Minister Peter Szijjarto has said."
    source = "Asked whether Hungary would back down on the laws, the foreign minister, Mr Szijjarto, said no."
    # the office and the surname are the source's; the first name is not
    assert name_problems(text, source) == ["name 'Peter Szijjarto' is not in the cited source"]


def test_an_office_spelt_out_for_the_initials_a_source_gives():
    text = "Sussex's Police and Crime Commissioner (PCC) has called for the fire services to merge."
    source = "Sussex Police's PCC Katy Bourne said the fire services in Sussex should merge."
    assert name_problems(text, source) == []
    # a name whose initials the source does not give is still missing
    other = "Sussex Police's chief Katy Bourne said the fire services in Sussex should merge."
    assert name_problems(text, other) != []
