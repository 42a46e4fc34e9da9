"""Why an address is refused, in French, without quoting it (core/adresses.py; issue 12,
item 19)."""

import pytest
from django.core.exceptions import ValidationError

from isoloir.core import adresses


@pytest.mark.parametrize(
    ("adresse", "raison"),
    [
        ("sophie.martin.ac-lyon.fr", "il manque le caractère @"),
        ("sophie@martin@ac-lyon.fr", "plusieurs @"),
        ("sophie martin@ac-lyon.fr", "une espace"),
        ("@ac-lyon.fr", "rien avant le @"),
        ("sophie@", "rien après le @"),
        ("sophie@ac-lyon", "n'a pas de point"),
        ("sophie;martin@ac-lyon.fr", "caractère non permis"),
        ("sophie..martin@ac-lyon.fr", "deux points de suite"),
        ("sophie@-ac-lyon.fr", "commence ou finit par un point ou un tiret"),
    ],
)
def test_la_raison_du_refus(adresse: str, raison: str) -> None:
    with pytest.raises(ValidationError) as refus:
        adresses.valider(adresse)
    (message,) = refus.value.messages
    assert message.startswith("Adresse électronique invalide : ")
    assert raison in message
    assert adresse not in message  # a NUMEN in the wrong column must not be echoed


def test_une_adresse_valide_passe() -> None:
    adresses.valider("sophie.martin@ac-lyon.fr")
