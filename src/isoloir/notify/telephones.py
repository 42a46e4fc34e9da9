"""Which phone numbers may receive a réassort link: French mobiles, overseas included.

The number a voter types is checked here, turned into E.164 for the SMS gateway, and
never stored (see ``docs/sms.md``).
"""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from phonenumbers import NumberParseException, PhoneNumberType

MESSAGE_MOBILE_INVALIDE = (
    "Saisissez un numéro de téléphone mobile français, par exemple 06 12 34 56 78."
)

# Metropolitan France first, then the overseas territories whose national numbers
# (0692…, 0690…, 0696…) are not valid under region FR: a number written without its
# country code is tried in each, and the first region where it is a mobile wins. The
# Pacific territories (+687, +689, +681) are left out: their 6- and 8-digit local
# numbers cannot be told apart without the country code.
REGIONS_FRANCAISES = ("FR", "RE", "YT", "GP", "MQ", "GF", "PM", "BL", "MF")

_TYPES_MOBILES = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)

# phonenumbers turns letters into keypad digits (vanity numbers) and drops an
# extension written after "ext": a typo would then send the secret link to a
# stranger's phone, so only digits and the usual separators get through.
_SAISIE_ADMISE = re.compile(r"[0-9+().\-/\s]{1,40}")


def valider_mobile(saisie: str) -> str:
    """Return the mobile number ``saisie`` designates, in E.164 (``+33612345678``).

    Accepts the ways a French number is written (``06 12 34 56 78``, ``+33 6…``,
    ``0033…``, dots, dashes) and overseas mobiles (Réunion, Mayotte, Guadeloupe,
    Martinique, Guyane, Saint-Pierre-et-Miquelon, Saint-Barthélemy, Saint-Martin).
    Raises :class:`ValidationError` with a French message for anything else: landlines,
    foreign numbers, text.
    """
    saisie = saisie.strip()
    if not _SAISIE_ADMISE.fullmatch(saisie):
        raise ValidationError(MESSAGE_MOBILE_INVALIDE, code="mobile_invalide")
    for region in REGIONS_FRANCAISES:
        try:
            numero = phonenumbers.parse(saisie, region)
        except NumberParseException:
            continue
        if (
            phonenumbers.is_valid_number(numero)
            and phonenumbers.region_code_for_number(numero) in REGIONS_FRANCAISES
            and phonenumbers.number_type(numero) in _TYPES_MOBILES
        ):
            return phonenumbers.format_number(numero, phonenumbers.PhoneNumberFormat.E164)
    raise ValidationError(MESSAGE_MOBILE_INVALIDE, code="mobile_invalide")
