"""The code de vote: alphabet, strength, hashing."""

import math
import string

from hypothesis import given, settings
from hypothesis import strategies as st

from isoloir.votecode import code


def test_au_moins_100_bits() -> None:
    assert len(code.ALPHABET) == len(set(code.ALPHABET)) == 78
    assert code.ENTROPIE_BITS >= 100
    assert math.isclose(code.ENTROPIE_BITS, 100.378, abs_tol=0.001)


def test_aucun_glyphe_ambigu_ni_caractere_difficile() -> None:
    for ambigu in "IlO'\"`\\ ,.":
        assert ambigu not in code.ALPHABET
    assert set(code.ALPHABET) <= set(string.printable)


def test_chaque_code_a_lettre_chiffre_et_special() -> None:
    for _ in range(500):
        tire = code.tirer()
        assert len(tire) == 16
        assert set(tire) <= set(code.ALPHABET)
        assert any(c in code.LETTRES for c in tire)
        assert any(c in code.CHIFFRES for c in tire)
        assert any(c in code.SPECIAUX for c in tire)


def test_les_codes_ne_se_repetent_pas() -> None:
    assert len({code.tirer() for _ in range(2000)}) == 2000


def test_empreinte_salee_et_verification() -> None:
    tire = code.tirer()
    premiere, seconde = code.hacher(tire), code.hacher(tire)
    assert premiere != seconde
    assert premiere.startswith("$argon2id$v=19$m=8192,t=1,p=1$")
    assert tire not in premiere
    assert code.verifier(tire, premiere)
    assert code.verifier(f" {tire[:8]} {tire[8:]} ", premiere)  # spaces of a copy
    assert not code.verifier(tire[:-1], premiere)
    assert not code.verifier(tire, "")
    assert not code.verifier(tire, "pas une empreinte")


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=80))
def test_une_saisie_quelconque_est_refusee_sans_erreur(saisie: str) -> None:
    assert not code.verifier(saisie, code.hacher("Ab3-" * 4))
