"""Exponential ElGamal: encryption, homomorphic sum, decryption (§ 5.1, § 6)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from isoloir.crypto import elgamal
from isoloir.crypto.cles import generer_cle
from isoloir.crypto.elgamal import Chiffre, additionner, chiffrer, dechiffrer, somme
from isoloir.crypto.groupe import NEUTRE, AleaDeterministe, B, L, add, base, mul, scalaire_de_entier
from tests.crypto.aides import CLE_PRIVEE, CLE_PUBLIQUE, graines, scalaires


def test_chiffre_de_zero_et_de_un() -> None:
    r = scalaire_de_entier(12345)
    zero, un = chiffrer(CLE_PUBLIQUE, 0, r), chiffrer(CLE_PUBLIQUE, 1, r)
    assert zero.alpha == un.alpha == base(r)
    assert zero.beta == mul(r, CLE_PUBLIQUE)
    assert un.beta == add(B, mul(r, CLE_PUBLIQUE))


@settings(max_examples=60, deadline=None)
@given(graines, st.integers(min_value=0, max_value=2000), scalaires)
def test_aller_retour(graine: bytes, m: int, r: bytes) -> None:
    x, y = generer_cle(AleaDeterministe(graine))
    assert dechiffrer(x, chiffrer(y, m, r), 2000) == m


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 1), min_size=4, max_size=4), min_size=1, max_size=40), graines
)
def test_addition_homomorphe_de_vecteurs_0_1(bulletins: list[list[int]], graine: bytes) -> None:
    alea = AleaDeterministe(graine)
    chiffres = [[chiffrer(CLE_PUBLIQUE, m, alea.scalaire()) for m in b] for b in bulletins]
    for j in range(4):
        total = somme(c[j] for c in chiffres)
        assert dechiffrer(CLE_PRIVEE, total, len(bulletins)) == sum(b[j] for b in bulletins)


def test_additionner_composante_par_composante() -> None:
    a = chiffrer(CLE_PUBLIQUE, 1, scalaire_de_entier(5))
    b = chiffrer(CLE_PUBLIQUE, 2, scalaire_de_entier(7))
    assert additionner(a, b) == chiffrer(CLE_PUBLIQUE, 3, scalaire_de_entier(12))
    assert somme([a, b]) == additionner(a, b)
    assert somme(iter([a])) == a


def test_somme_vide_refusee() -> None:
    with pytest.raises(ValueError):
        somme([])


@pytest.mark.parametrize("maximum", [0, 1, 2, 3, 4, 15, 16, 17, 99, 100])
def test_dechiffrement_aux_bornes(maximum: int) -> None:
    r = scalaire_de_entier(99)
    for m in {0, maximum // 2, maximum}:
        assert dechiffrer(CLE_PRIVEE, chiffrer(CLE_PUBLIQUE, m, r), maximum) == m
    with pytest.raises(ValueError):
        dechiffrer(CLE_PRIVEE, chiffrer(CLE_PUBLIQUE, maximum + 1, r), maximum)


def test_dechiffrement_d_un_grand_nombre() -> None:
    r = scalaire_de_entier(4242)
    assert dechiffrer(CLE_PRIVEE, chiffrer(CLE_PUBLIQUE, 1_400_000, r), 1_400_000) == 1_400_000


def test_dechiffrement_hors_bornes() -> None:
    chiffre = chiffrer(CLE_PUBLIQUE, 5, scalaire_de_entier(3))
    with pytest.raises(ValueError):
        dechiffrer(CLE_PRIVEE, chiffre, 4)
    with pytest.raises(ValueError):
        dechiffrer(CLE_PRIVEE, chiffre, -1)
    # Another key: M is no small multiple of B.
    with pytest.raises(ValueError):
        dechiffrer(scalaire_de_entier(2), chiffre, 1000)


def test_le_neutre_dechiffre_zero() -> None:
    # β = x·α: M is the identity, the count is 0.
    alpha = base(scalaire_de_entier(77))
    assert dechiffrer(CLE_PRIVEE, Chiffre(alpha=alpha, beta=mul(CLE_PRIVEE, alpha)), 3) == 0
    assert elgamal.logarithme_discret(NEUTRE, 0) == 0


def test_somme_d_alpha_neutre_dechiffree() -> None:
    # r and ℓ − r: the α cancel out, the sum still decrypts (β = 2·B + 0·Y).
    r = scalaire_de_entier(31337)
    oppose = scalaire_de_entier(L - 31337)
    total = additionner(chiffrer(CLE_PUBLIQUE, 1, r), chiffrer(CLE_PUBLIQUE, 1, oppose))
    assert total.alpha == NEUTRE
    assert dechiffrer(CLE_PRIVEE, total, 5) == 2
