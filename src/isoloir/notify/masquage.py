"""What logs, the journal and screens may show of a personal e-mail address or phone.

Enough for the voter to recognise the channel they chose (``06 •• •• •• 12``,
``m***@gmail.com``), too little to reach them.
"""

import phonenumbers
from phonenumbers import NumberParseException

_POINT = "•"


def masquer_mobile(e164: str) -> str:
    """National form of the number showing its first group (the prefix that tells
    mobile and territory apart) and its last two digits, and hiding at least four
    digits: ``06 •• •• •• 12``, ``0692 •• •• 56``, ``0•• •• 34`` (Saint-Pierre).

    Never raises and never echoes its input: whatever is not a phone number comes out
    fully hidden.
    """
    try:
        numero = phonenumbers.parse(e164, None)
    except NumberParseException:
        return _POINT * 2
    national = phonenumbers.format_number(numero, phonenumbers.PhoneNumberFormat.NATIONAL)
    chiffres = sum(caractere.isdigit() for caractere in national)
    premier_groupe = national.split(" ", 1)[0] if " " in national else ""
    # At least four digits stay hidden, even for a short or ungrouped number.
    prefixe = max(0, min(sum(c.isdigit() for c in premier_groupe), chiffres - 6))
    fin = chiffres - 2 if chiffres >= 6 else chiffres
    masque = []
    rang = 0
    for caractere in national:
        if caractere.isdigit():
            visible = rang < prefixe or rang >= fin
            masque.append(caractere if visible else _POINT)
            rang += 1
        else:
            masque.append(caractere)
    return "".join(masque)


def masquer_email(adresse: str) -> str:
    """``m***@gmail.com``: the first character of the local part and the domain."""
    locale, arobase, domaine = adresse.strip().rpartition("@")
    if not arobase or not locale or not domaine:
        return "***"
    return f"{locale[0]}***@{domaine}"
