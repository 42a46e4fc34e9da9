"""Which numbers may receive a réassort link, and what logs may show of them."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from isoloir.notify.masquage import masquer_email, masquer_mobile
from isoloir.notify.telephones import MESSAGE_MOBILE_INVALIDE, valider_mobile


@pytest.mark.parametrize(
    "saisie",
    [
        "06 12 34 56 78",
        "0612345678",
        "06.12.34.56.78",
        "06-12-34-56-78",
        "06/12/34/56/78",
        "+33 6 12 34 56 78",
        "+33612345678",
        "+33 (0)6 12 34 56 78",
        "0033 6 12 34 56 78",
        "  06 12 34 56 78\n",
        "06\u00a012\u00a034\u00a056\u00a078",
    ],
)
def test_mobile_metropolitain_sous_toutes_ses_formes(saisie: str) -> None:
    assert valider_mobile(saisie) == "+33612345678"


def test_mobile_en_07() -> None:
    assert valider_mobile("07 81 23 45 67") == "+33781234567"


@pytest.mark.parametrize(
    ("saisie", "e164"),
    [
        ("0692 12 34 56", "+262692123456"),  # La Réunion
        ("0693 12 34 56", "+262693123456"),  # La Réunion
        ("0709 20 12 34", "+262709201234"),  # La Réunion, nouvelle tranche 0709
        ("0639 01 23 45", "+262639012345"),  # Mayotte
        ("0690 00 12 34", "+590690001234"),  # Guadeloupe, Saint-Barthélemy, Saint-Martin
        ("0691 22 12 34", "+590691221234"),  # Guadeloupe
        ("0696 20 12 34", "+596696201234"),  # Martinique
        ("0697 00 12 34", "+596697001234"),  # Martinique
        ("0694 20 12 34", "+594694201234"),  # Guyane
        ("055 12 34", "+508551234"),  # Saint-Pierre-et-Miquelon
        ("0708 40 12 34", "+508708401234"),  # Saint-Pierre-et-Miquelon, tranche 0708
        ("+262 692 12 34 56", "+262692123456"),
        ("00262 639 01 23 45", "+262639012345"),
        ("+590 690 00 12 34", "+590690001234"),
        ("+596 696 20 12 34", "+596696201234"),
        ("+594 694 20 12 34", "+594694201234"),
        ("+508 55 12 34", "+508551234"),
    ],
)
def test_mobiles_d_outre_mer(saisie: str, e164: str) -> None:
    assert valider_mobile(saisie) == e164


@pytest.mark.parametrize(
    "saisie",
    [
        "01 23 45 67 89",  # fixe, Île-de-France
        "05 08 41 12 34",  # fixe
        "09 12 34 56 78",  # box internet
        "08 00 12 34 56",  # numéro vert
        "0262 12 34 56",  # fixe, La Réunion
        "0590 27 12 34",  # fixe, Guadeloupe
        "0594 12 34 56",  # fixe, Guyane
        "+508 41 12 34",  # fixe, Saint-Pierre-et-Miquelon
        "+44 7911 123456",  # Royaume-Uni
        "+32 470 12 34 56",  # Belgique
        "0041 79 123 45 67",  # Suisse
        "+1 202 555 0123",  # États-Unis
        "+687 75 12 34",  # Nouvelle-Calédonie, hors du périmètre
        "+33 6 39 01 23 45",  # un numéro de Mayotte sous l'indicatif de la métropole
        "06 12 34 56 7",
        "06 12 34 56 78 90",
        "06 12 34 56 7B",  # une lettre deviendrait un chiffre du clavier
        "+33612345678 ext 12",
        "06 12 34 56 78 #",
        "",
        "   ",
        "abc",
        "+",
        "0" * 200,
    ],
)
def test_refus(saisie: str) -> None:
    with pytest.raises(ValidationError) as erreur:
        valider_mobile(saisie)
    assert erreur.value.messages == [MESSAGE_MOBILE_INVALIDE]
    assert erreur.value.code == "mobile_invalide"


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        st.text(max_size=60),
        st.text(alphabet="0123456789 +().-/", max_size=30),
        st.from_regex(r"\+?(00)?(33|262|590|594|596|508)?0?[67][0-9 .]{6,14}", fullmatch=True),
    )
)
def test_une_saisie_quelconque_donne_un_numero_ou_une_erreur_de_validation(saisie: str) -> None:
    try:
        e164 = valider_mobile(saisie)
    except ValidationError:
        return
    assert e164.startswith("+") and e164[1:].isdigit()
    assert valider_mobile(e164) == e164


@pytest.mark.parametrize(
    ("e164", "masque"),
    [
        ("+33612345678", "06 •• •• •• 78"),
        ("+33781234567", "07 •• •• •• 67"),
        ("+262692123456", "0692 •• •• 56"),
        ("+262639012345", "0639 •• •• 45"),
        ("+590690001234", "0690 •• •• 34"),
        ("+508551234", "0•• •• 34"),
    ],
)
def test_masquer_mobile(e164: str, masque: str) -> None:
    assert masquer_mobile(e164) == masque


@pytest.mark.parametrize("saisie", ["", "n'importe quoi", "0612345678", "+33", "+3312", "+331234"])
def test_masquer_mobile_ne_rend_jamais_son_entree(saisie: str) -> None:
    masque = masquer_mobile(saisie)
    assert "•" in masque
    assert sum(caractere.isdigit() for caractere in masque) <= 2


@given(st.from_regex(r"\+(33[67]|262692|590690|596696|594694)[0-9]{6,8}", fullmatch=True))
def test_masquer_mobile_cache_au_moins_quatre_chiffres(e164: str) -> None:
    assert masquer_mobile(e164).count("•") >= 4


@pytest.mark.parametrize(
    ("adresse", "masque"),
    [
        ("marie.curie@gmail.com", "m***@gmail.com"),
        ("l@free.fr", "l***@free.fr"),
        ("  Jean@Laposte.net ", "J***@Laposte.net"),
        ('"a@b"@exemple.fr', '"***@exemple.fr'),
        ("sans-arobase", "***"),
        ("@exemple.fr", "***"),
        ("marie@", "***"),
        ("", "***"),
    ],
)
def test_masquer_email(adresse: str, masque: str) -> None:
    assert masquer_email(adresse) == masque
