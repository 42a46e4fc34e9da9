"""French text (core/texte.py): accents as people type them, figures as they read them."""

import pytest

from isoloir.core.texte import nombre, sans_accents


def test_les_accents_et_cedilles_s_effacent() -> None:
    assert sans_accents("Élodie Françoise Noël") == "Elodie Francoise Noel"


@pytest.mark.parametrize(
    ("n", "texte"),
    [
        (0, "0"),
        (999, "999"),
        (10_000, "10\xa0000"),
        (1_400_000, "1\xa0400\xa0000"),
        (-32_767, "-32\xa0767"),
    ],
)
def test_un_nombre_se_groupe_par_milliers_sans_couper_la_ligne(n: int, texte: str) -> None:
    """The PV's figures and the imports' messages: no-break spaces between thousands."""
    assert nombre(n) == texte
