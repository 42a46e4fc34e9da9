"""ristretto255 through libsodium, the hash to a scalar, the random sources (§ 1–2)."""

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from isoloir.crypto import groupe
from isoloir.crypto.groupe import (
    NEUTRE,
    AleaDeterministe,
    AleaSysteme,
    B,
    L,
    OperationImpossible,
    base,
    est_point,
    est_scalaire_canonique,
    hacher_en_scalaire,
    mul,
    scalaire_de_entier,
)
from tests.crypto.aides import points, scalaires

RACINE = Path(__file__).resolve().parents[2]

# RFC 9496, appendix A.1: multiples 0·B … 8·B of the generator.
MULTIPLES_RFC_9496 = [
    "0000000000000000000000000000000000000000000000000000000000000000",
    "e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76",
    "6a493210f7499cd17fecb510ae0cea23a110e8d5b901f8acadd3095c73a3b919",
    "94741f5d5d52755ece4f23f044ee27d5d1ea1e2bd196b462166b16152a9d0259",
    "da80862773358b466ffadfe0b3293ab3d9fd53c5ea6c955358f568322daf6a57",
    "e882b131016b52c1d3337080187cf768423efccbb517bb495ab812c4160ff44e",
    "f64746d3c92b13050ed8d80236a7f0007c3b3f962f5ba793d19a601ebb1df403",
    "44f53520926ec81fbd5a387845beb7df85a96a24ece18738bdcfa6a7822a176d",
    "903293d8f2287ebe10e2374dc1a53e0bc887e592699f02d077d5263cdd55601c",
]

# RFC 9496, appendix A.2: non-canonical and negative field encodings.
ENCODAGES_INVALIDES_RFC_9496 = [
    "00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "f3ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "0100000000000000000000000000000000000000000000000000000000000000",
    "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
]


def test_cinq_fois_b_rfc_9496() -> None:
    assert base(scalaire_de_entier(5)).hex() == (
        "e882b131016b52c1d3337080187cf768423efccbb517bb495ab812c4160ff44e"
    )


def test_multiples_du_generateur_rfc_9496() -> None:
    assert B.hex() == MULTIPLES_RFC_9496[1]
    courant = NEUTRE
    for attendu in MULTIPLES_RFC_9496:
        assert courant.hex() == attendu
        courant = groupe.add(courant, B)


@pytest.mark.parametrize("encodage", ENCODAGES_INVALIDES_RFC_9496)
def test_encodages_invalides_rfc_9496(encodage: str) -> None:
    assert not est_point(bytes.fromhex(encodage))


@pytest.mark.parametrize("encodage", MULTIPLES_RFC_9496)
def test_le_bit_255_est_refuse_quelle_que_soit_la_version_de_libsodium(encodage: str) -> None:
    """RFC 9496 § 4.3.1: an encoding with its top bit set is not canonical. Debian's
    libsodium 1.0.18 masks the bit and decodes the point; the protocol refuses it, as the
    booth's libsodium 1.0.22 does, so that every verifier sees the same points."""
    point = bytes.fromhex(encodage)
    haut = point[:31] + bytes([point[31] | 0x80])
    assert groupe.est_encodage_canonique(point)
    assert not groupe.est_encodage_canonique(haut)
    assert not est_point(haut)


def test_le_neutre_n_est_jamais_un_point() -> None:
    # libsodium decodes it; the protocol refuses it wherever a point is required.
    assert groupe.est_neutre(NEUTRE)
    assert not est_point(NEUTRE)
    assert not est_point(B[:31])
    with pytest.raises(OperationImpossible):
        base(bytes(32))  # 0·B
    with pytest.raises(OperationImpossible):
        mul(scalaire_de_entier(3), NEUTRE)
    with pytest.raises(OperationImpossible):
        mul(bytes(32), B)
    assert groupe.sub(B, B) == NEUTRE


def test_ordre_du_groupe() -> None:
    assert L == 2**252 + 27742317777372353535851937790883648493
    # ℓ·B = 0, reached as (ℓ − 1)·B + B since ℓ itself is no scalar.
    assert groupe.add(base(scalaire_de_entier(L - 1)), B) == NEUTRE
    assert est_scalaire_canonique(scalaire_de_entier(L - 1))
    assert not est_scalaire_canonique(L.to_bytes(32, "little"))
    assert not est_scalaire_canonique(b"\xff" * 32)
    assert not est_scalaire_canonique(bytes(31))
    with pytest.raises(ValueError):
        scalaire_de_entier(L)
    with pytest.raises(ValueError):
        scalaire_de_entier(-1)


@given(scalaires, scalaires, points)
def test_operations_scalaires_et_points(a: bytes, b: bytes, p: bytes) -> None:
    somme = groupe.scalaire_add(a, b)
    assert (
        int.from_bytes(somme, "little")
        == (int.from_bytes(a, "little") + int.from_bytes(b, "little")) % L
    )
    assert groupe.scalaire_sub(somme, b) == a
    # Distributivity, through the group: (a + b)·P = a·P + b·P, a·(b·B) = (ab)·B.
    if int.from_bytes(somme, "little") != 0:
        assert mul(somme, p) == groupe.add(mul(a, p), mul(b, p))
    assert mul(a, base(b)) == base(groupe.scalaire_mul(a, b))
    assert est_point(p)


def test_hachage_en_scalaire_independant() -> None:
    """Hs recomputed with hashlib's BLAKE2b and Python integers, not libsodium."""
    parties: tuple[bytes | str | int, ...] = (b"\x00\x01", "Force Ouvrière", 7)
    message = (
        (16).to_bytes(4, "big")
        + b"isoloir/v1/essai"
        + (2).to_bytes(4, "big")
        + b"\x00\x01"
        + (15).to_bytes(4, "big")
        + "Force Ouvrière".encode()
        + (4).to_bytes(4, "big")
        + (7).to_bytes(4, "big")
    )
    assert groupe.message_hache("isoloir/v1/essai", *parties) == message
    attendu = int.from_bytes(hashlib.blake2b(message, digest_size=64).digest(), "little") % L
    assert hacher_en_scalaire("isoloir/v1/essai", *parties) == scalaire_de_entier(attendu)


@given(
    st.text(max_size=20),
    st.lists(
        st.one_of(st.binary(max_size=40), st.text(max_size=10), st.integers(0, 2**32 - 1)),
        max_size=5,
    ),
)
def test_hachage_en_scalaire_proprietes(etiquette: str, parties: list[bytes | str | int]) -> None:
    s = hacher_en_scalaire(etiquette, *parties)
    assert est_scalaire_canonique(s)
    message = groupe.message_hache(etiquette, *parties)
    attendu = int.from_bytes(hashlib.blake2b(message, digest_size=64).digest(), "little") % L
    assert int.from_bytes(s, "little") == attendu


def test_hachage_sans_ambiguite_de_decoupage() -> None:
    # The length prefixes keep ("ab", "c") and ("a", "bc") apart, and a string from bytes
    # of the same value only when they are the same bytes.
    assert hacher_en_scalaire("t", "ab", "c") != hacher_en_scalaire("t", "a", "bc")
    assert hacher_en_scalaire("t", "ab") == hacher_en_scalaire("t", b"ab")
    assert hacher_en_scalaire("t", 1) == hacher_en_scalaire("t", b"\x00\x00\x00\x01")


@pytest.mark.parametrize("partie", [True, -1, 2**32, 1.5, None])
def test_hachage_parties_refusees(partie: object) -> None:
    with pytest.raises((TypeError, ValueError)):
        hacher_en_scalaire("t", partie)  # type: ignore[arg-type]


def test_alea_deterministe() -> None:
    alea = AleaDeterministe(b"graine")
    tires = [alea.scalaire() for _ in range(3)]
    assert tires == [hacher_en_scalaire("isoloir/v1/alea", b"graine", k) for k in range(3)]
    assert len(set(tires)) == 3
    assert AleaDeterministe(b"graine").scalaire() == tires[0]
    assert AleaDeterministe(b"autre").scalaire() != tires[0]


def test_alea_systeme() -> None:
    alea = AleaSysteme()
    tires = {alea.scalaire() for _ in range(100)}
    assert len(tires) == 100
    assert all(est_scalaire_canonique(s) for s in tires)


def test_le_paquet_n_importe_pas_django() -> None:
    # A fresh interpreter: this one has Django loaded by the test settings.
    programme = (
        "import sys\n"
        "import isoloir.crypto.bulletin, isoloir.crypto.cles, isoloir.crypto.elgamal\n"
        "import isoloir.crypto.groupe, isoloir.crypto.tableau, isoloir.crypto.seuil\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))\n"
    )
    resultat = subprocess.run(
        [sys.executable, "-c", programme],
        capture_output=True,
        text=True,
        check=True,
        cwd=RACINE,
        env={"PYTHONPATH": str(RACINE / "src")},
    )
    assert resultat.stdout.strip() == "[]"
