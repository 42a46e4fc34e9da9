"""The passphrase vault (coffre.py, protocol-seuil.md § 13); the shared vectors are in
test_vecteurs_seuil.py."""

import unicodedata

import pysodium
import pytest

from isoloir.crypto import coffre
from isoloir.crypto.groupe import message_hache

PHRASE = "La phrase de passe du président du bureau"


@pytest.fixture(scope="module")
def un_coffre() -> tuple[bytes, dict[str, object]]:
    secret = bytes(pysodium.randombytes(32))
    return secret, coffre.chiffrer_secret(secret, PHRASE)


def test_aller_retour(un_coffre: tuple[bytes, dict[str, object]]) -> None:
    secret, c = un_coffre
    assert set(c) == {"version", "operations", "memoire", "sel", "nonce", "chiffre"}
    assert (c["version"], c["operations"], c["memoire"]) == (1, 3, 64 * 1024 * 1024)
    assert len(str(c["chiffre"])) == 2 * (32 + 16)
    assert coffre.dechiffrer_secret(c, PHRASE) == secret


def test_sel_et_nonce_tires_a_chaque_fois(un_coffre: tuple[bytes, dict[str, object]]) -> None:
    secret, c = un_coffre
    autre = coffre.chiffrer_secret(secret, PHRASE)
    assert autre["sel"] != c["sel"] and autre["nonce"] != c["nonce"]
    assert autre["chiffre"] != c["chiffre"]


def test_mauvaise_phrase(un_coffre: tuple[bytes, dict[str, object]]) -> None:
    _, c = un_coffre
    with pytest.raises(coffre.PhraseIncorrecte):
        coffre.dechiffrer_secret(c, PHRASE + ".")


def test_la_phrase_est_normalisee_nfc() -> None:
    composee = "écluse"
    decomposee = unicodedata.normalize("NFD", composee)
    assert composee != decomposee
    c = coffre.chiffrer_secret(b"\x01" * 32, decomposee)
    assert coffre.dechiffrer_secret(c, composee) == b"\x01" * 32
    assert coffre.phrase_en_octets(decomposee) == composee.encode()


@pytest.mark.parametrize(
    ("cle", "valeur"),
    [("operations", 3 + 1), ("memoire", 64 * 1024 * 1024 + 1024)],
)
def test_les_parametres_sont_lies(
    un_coffre: tuple[bytes, dict[str, object]], cle: str, valeur: int
) -> None:
    _, c = un_coffre
    with pytest.raises(coffre.PhraseIncorrecte):
        coffre.dechiffrer_secret({**c, cle: valeur}, PHRASE)


def test_donnees_associees() -> None:
    sel = bytes(16)
    assert coffre.donnees_associees(3, 2**26, sel) == message_hache(
        "isoloir/v1/seuil/coffre", 1, 3, 2**26, sel
    )


@pytest.mark.parametrize(
    "alteration",
    [
        {"version": 2},
        {"version": True},
        {"operations": 1},
        {"operations": 17},
        {"operations": 3.0},
        {"memoire": 2**31},
        {"memoire": 1024},
        {"sel": "00" * 15},
        {"sel": "AA" * 16},
        {"nonce": "00" * 23},
        {"chiffre": "00" * 16},
        {"chiffre": 7},
        {"en_trop": 1},
    ],
)
def test_lecture_stricte(
    un_coffre: tuple[bytes, dict[str, object]], alteration: dict[str, object]
) -> None:
    _, c = un_coffre
    with pytest.raises(coffre.CoffreInvalide) as erreur:
        coffre.dechiffrer_secret({**c, **alteration}, PHRASE)
    assert type(erreur.value) is coffre.CoffreInvalide


@pytest.mark.parametrize("lecture", [None, [], "texte"])
def test_pas_un_objet(lecture: object) -> None:
    with pytest.raises(coffre.CoffreInvalide):
        coffre.dechiffrer_secret(lecture, PHRASE)


def test_refus_a_l_ecriture() -> None:
    with pytest.raises(ValueError):
        coffre.chiffrer_secret(b"", PHRASE)
    with pytest.raises(ValueError):
        coffre.chiffrer_secret(b"\x00" * 1025, PHRASE)
    with pytest.raises(ValueError):
        coffre.chiffrer_secret(b"\x00" * 32, "")
    with pytest.raises(ValueError):
        coffre.chiffrer_secret(b"\x00" * 32, "\ud800")
    with pytest.raises(coffre.CoffreInvalide):
        coffre.chiffrer_secret(b"\x00" * 32, PHRASE, operations=1)
    with pytest.raises(ValueError):
        coffre.chiffrer_secret(b"\x00" * 32, PHRASE, nonce=bytes(12))
