import pytest
from django.core.exceptions import ValidationError

from people.phones import INVALID, normalise_phone, phone_for_display


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("07700 900123", "+447700900123"),
        ("07700-900-123", "+447700900123"),
        ("7700 900123", "+447700900123"),  # the 0 left off, as people often do
        ("+44 7700 900123", "+447700900123"),
        ("+44 (0)7700 900123", "+447700900123"),
        ("0044 7700 900123", "+447700900123"),
        ("(020) 7946 0958", "+442079460958"),
        ("+33 1 23 45 67 89", "+33123456789"),
        ("+1 (415) 555-2671", "+14155552671"),
        ("  ", ""),
    ],
)
def test_normalise_phone_accepts_uk_and_international_numbers(typed, stored):
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "077009001234567",
        "+0 123 456 789",
        "+44 770 090",
        "07700 900123 ext 4",
        "call me",
        "+44+7700900123",
        "07700+900123",
        "+123456",
        "+1234567890123456",
        "0800 FLOWERS",  # letters: the library would read them as keypad digits
        "+44 20 7946 09581",  # a digit too many for a London number, though a length others have
        "+999 123 456 789",  # no country has the code 999
    ],
)
def test_normalise_phone_refuses_what_cannot_be_a_number_with_a_message(typed):
    with pytest.raises(ValidationError) as refused:
        normalise_phone(typed)

    assert refused.value.messages == [INVALID]


def test_the_message_never_repeats_the_number():
    with pytest.raises(ValidationError) as refused:
        normalise_phone("01632 96012399")

    assert "96012399" not in refused.value.messages[0]


def test_phone_for_display_shows_uk_numbers_as_dialled_at_home():
    assert phone_for_display("+447700900123") == "07700 900123"
    assert phone_for_display("+442079460958") == "020 7946 0958"
    assert phone_for_display("+33123456789") == "+33 1 23 45 67 89"
    assert phone_for_display("") == ""
