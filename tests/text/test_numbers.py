"""Numbers in digits read the same in every language's way of writing them."""

from newsdesk.text.numbers import numbers, plain_number


def test_decimal_comma_is_a_point() -> None:
    german = "Die Wirtschaft wuchs um 3,5 Prozent, die Inflation lag bei 7,45 Prozent."
    english = "The economy grew by 3.5 percent and inflation stood at 7.45 percent."
    assert numbers(german) == numbers(english) == {"3.5", "7.45"}


def test_thousands_commas_are_dropped() -> None:
    assert numbers("1,000 people and 12,500,000 euros in 2004") == {"1000", "12500000", "2004"}
    assert plain_number("85,000") == "85000"


def test_a_comma_before_a_space_separates_numbers() -> None:
    assert numbers("In 2004, 5 people died.") == {"2004", "5"}
