"""Phone numbers as organisers type them: checked, stored one way, shown readably.

Stored in the international form (E.164: "+" and at most 15 digits, "+447700900123"),
so one number typed as "07700 900123" or "+44 (0)7700 900 123" matches itself.

What is accepted:
1. A UK number: 0 then 9 or 10 more digits ("020 7946 0958", "07700 900123"),
   with or without +44 / 0044 in front (a "(0)" after +44 is dropped).
2. Any other number written with its country code: "+" or "00", then a country
   code that does not start with 0, then 7 to 14 digits in all after the "+".
Spaces, dots, hyphens and brackets between digits are allowed; letters, extensions
and anything else are refused with a message saying what to type.

A number is personal data: it is never logged and never in an error message.
"""

import re

from django.core.exceptions import ValidationError

UK_CODE = "44"
_SEPARATORS = re.compile(r"[\s.\-()]")
_ALLOWED = re.compile(r"^\+?[0-9\s.\-()]+$")
MIN_DIGITS, MAX_DIGITS = 8, 15  # after the "+", country code included (E.164 allows 15)

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
    if text.count("+") > 1 or ("+" in text and not text.startswith("+")):
        raise ValidationError(INVALID, code="invalid_phone")
    international = text.startswith("+")
    digits = _SEPARATORS.sub("", text.replace("(0)", "", 1) if international else text).lstrip("+")
    if not international and digits.startswith("00"):
        international, digits = True, digits[2:]
    if not international:
        # A national UK number: the leading 0 becomes +44.
        if not digits.startswith("0") or len(digits) not in (10, 11):
            raise ValidationError(INVALID, code="invalid_phone")
        digits = UK_CODE + digits[1:]
    elif digits.startswith(UK_CODE + "0"):
        # "+44 07700 900123": the trunk 0 is not dialled from abroad.
        digits = UK_CODE + digits[3:]
    if digits.startswith("0") or not MIN_DIGITS <= len(digits) <= MAX_DIGITS:
        raise ValidationError(INVALID, code="invalid_phone")
    if digits.startswith(UK_CODE) and len(digits) not in (11, 12):
        raise ValidationError(INVALID, code="invalid_phone")
    return f"+{digits}"


def phone_for_display(stored: str) -> str:
    """A stored number as people read it: UK numbers as dialled in the UK ("07700 900123")."""
    if not stored:
        return ""
    if stored.startswith(f"+{UK_CODE}"):
        national = "0" + stored[3:]
        split = 5 if national.startswith("07") or len(national) == 10 else 3
        return f"{national[:split]} {national[split:]}"
    return stored
