"""Phone numbers as organisers type them: checked, stored one way, shown readably.

Checking uses phonenumbers (the Python port of libphonenumber), which knows each
country's numbering plan: a number with a digit too many or a code no country uses
is refused, which hand-written rules about lengths could not tell.

Stored in the international form (E.164, "+447700900123"), so one number typed as
"07700 900123" or "+44 (0)7700 900 123" matches itself. A number without a country
code is read as a UK number; others need "+" or "00" and their country code. Digits
with spaces, dots, hyphens and brackets only: letters (which the library would read
as a keypad's digits) and extensions are refused with a message saying what to type.

A number is personal data: it is never logged and never in an error message.
"""

import re

import phonenumbers
from django.core.exceptions import ValidationError

HOME_REGION = "GB"
# Ofcom keeps these UK ranges for drama and training: they reach nobody, so demos and
# practice bookings can use them. The library, rightly, calls them invalid.
FICTIONAL_PREFIXES = ("+447700900", "+442079460", "+441134960", "+441614960")
_ALLOWED = re.compile(r"^\+?[0-9\s.\-()]+$")

INVALID = (
    "Please give a phone number we can call: a UK number such as 07700 900123, "
    "or a number from elsewhere starting with + and its country code, such as +33 1 23 45 67 89."
)


def normalise_phone(text: str) -> str:
    """The number in E.164 form, or ValidationError. An empty text gives ""."""
    text = text.strip()
    if not text:
        return ""
    if len(text) > 40 or not _ALLOWED.match(text):
        raise ValidationError(INVALID, code="invalid_phone")
    try:
        number = phonenumbers.parse(text, HOME_REGION)
    except phonenumbers.NumberParseException as error:
        raise ValidationError(INVALID, code="invalid_phone") from error
    stored = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if number.extension or not (phonenumbers.is_valid_number(number) or _fictional(stored)):
        raise ValidationError(INVALID, code="invalid_phone")
    return stored


def _fictional(stored: str) -> bool:
    return len(stored) == 13 and stored.startswith(FICTIONAL_PREFIXES)


def phone_for_display(stored: str) -> str:
    """A stored number as people read it: UK numbers as dialled in the UK ("07700 900123"),
    others with their country code, in groups ("+33 1 23 45 67 89")."""
    if not stored:
        return ""
    try:
        number = phonenumbers.parse(stored, HOME_REGION)
    except phonenumbers.NumberParseException:
        return stored
    home = number.country_code == phonenumbers.country_code_for_region(HOME_REGION)
    style = phonenumbers.PhoneNumberFormat.NATIONAL if home else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(number, style)
