"""The public board's fingerprint and its chained statements (§ 7)."""

import hashlib
import inspect
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
    r1 = releve(None, 1, e1)
    assert r1 == hashlib.sha256(f"{'0' * 64}\n1\n{e1}".encode()).hexdigest()
    r2 = releve(r1, 2, e2)
    assert r2 == hashlib.sha256(f"{r1}\n2\n{e2}".encode()).hexdigest()
    assert releve(r1, 2, e1) != r2


def test_le_releve_ne_livre_pas_le_nombre_de_bulletins() -> None:
    """Décret 2011-595 art. 12: during the vote an observer sees the previous relevé, k, the
    board's fingerprint and the relevé, never n. n is not an input of the relevé, so
    trying n = 0, 1, 2, … against the published values recovers nothing."""
    assert list(inspect.signature(releve).parameters) == ["precedent", "numero", "empreinte"]
    traceurs_publies = [traceur(str(i)) for i in range(7)]
    empreinte = empreinte_tableau("csa-men", traceurs_publies)
    precedent = releve(None, 1, empreinte_tableau("csa-men", []))
    publie = releve(precedent, 2, empreinte)
    essais = {
        hashlib.sha256(f"{precedent}\n2\n{n}\n{empreinte}".encode()).hexdigest()
        for n in range(1000)
    }
    assert publie not in essais


@pytest.mark.parametrize(
    ("precedent", "numero", "empreinte"),
    [
        (None, 0, "0" * 64),
        (None, 2, "0" * 64),
        ("0" * 64, 1, "0" * 64),
        (None, 1, "0" * 63),
        (None, 1, "A" * 64),
        ("f" * 63, 2, "0" * 64),
    ],
)
def test_releve_refuse(precedent: str | None, numero: int, empreinte: str) -> None:
    with pytest.raises(ValueError):
        releve(precedent, numero, empreinte)
