"""The public board's fingerprint and its chained statements (§ 7)."""

import hashlib
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from isoloir.crypto.bulletin import traceur
from isoloir.crypto.tableau import empreinte_tableau, releve

traceurs = st.lists(st.binary(max_size=8).map(lambda o: traceur(o.hex())), max_size=20)


@given(traceurs, st.randoms())
def test_l_ordre_d_arrivee_ne_compte_pas(liste: list[str], hasard: random.Random) -> None:
    melange = list(liste)
    hasard.shuffle(melange)
    assert empreinte_tableau("csa-men", melange) == empreinte_tableau("csa-men", liste)
    attendu = "\n".join(["isoloir/v1/tableau", "csa-men", str(len(liste)), *sorted(liste)])
    assert empreinte_tableau("csa-men", iter(liste)) == hashlib.sha256(attendu.encode()).hexdigest()


def test_tableau_vide_et_scrutin_lie() -> None:
    vide = empreinte_tableau("csa-men", [])
    assert vide == hashlib.sha256(b"isoloir/v1/tableau\ncsa-men\n0").hexdigest()
    assert empreinte_tableau("ctc", []) != vide
    t = traceur("x")
    assert empreinte_tableau("csa-men", [t]) != empreinte_tableau("csa-men", [t, t])


@pytest.mark.parametrize("mauvais", ["", "a" * 42, "a" * 44, "+" * 43, "=" * 43, "é" * 43])
def test_traceur_mal_forme(mauvais: str) -> None:
    with pytest.raises(ValueError):
        empreinte_tableau("csa-men", [traceur("x"), mauvais])


def test_releves_chaines() -> None:
    e1, e2 = empreinte_tableau("s", []), empreinte_tableau("s", [traceur("a")])
    r1 = releve(None, 1, 0, e1)
    assert r1 == hashlib.sha256(f"{'0' * 64}\n1\n0\n{e1}".encode()).hexdigest()
    r2 = releve(r1, 2, 1, e2)
    assert r2 == hashlib.sha256(f"{r1}\n2\n1\n{e2}".encode()).hexdigest()
    assert releve(r1, 2, 1, e1) != r2


@pytest.mark.parametrize(
    ("precedent", "numero", "nombre", "empreinte"),
    [
        (None, 0, 0, "0" * 64),
        (None, 2, 0, "0" * 64),
        ("0" * 64, 1, 0, "0" * 64),
        (None, 1, -1, "0" * 64),
        (None, 1, 0, "0" * 63),
        (None, 1, 0, "A" * 64),
        ("f" * 63, 2, 0, "0" * 64),
    ],
)
def test_releve_refuse(precedent: str | None, numero: int, nombre: int, empreinte: str) -> None:
    with pytest.raises(ValueError):
        releve(precedent, numero, nombre, empreinte)
