"""The seal signature (docs/protocol-seuil.md § 14): a holder signs the seal's fingerprint
with x_j, and anyone checks it against Y_j; the vectors of tests/vecteurs/seuil-v1.json
are recomputed from the file alone."""

import dataclasses
import functools
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from isoloir.crypto.bulletin import json_canonique
from isoloir.crypto.groupe import NEUTRE, AleaDeterministe, AleaSysteme, B, L, add, base, mul
from isoloir.crypto.seuil import (
    ETIQUETTE_SCELLEMENT,
    CleSeuil,
    Contexte,
    FormatInvalide,
    SignatureScellement,
    cle_de_detenteur,
    defi_scellement,
    distribuer,
    empreinte_du_contenu,
    etablir_cle,
    generer_cle_communication,
    recevoir,
    signer_scellement,
    verifier_signature_scellement,
)
from tests.crypto.aides import scalaires

FICHIER = Path(__file__).resolve().parents[1] / "vecteurs" / "seuil-v1.json"
SCELLEMENTS: dict[str, Any] = json.loads(FICHIER.read_text(encoding="utf-8"))["scellements"]


@functools.cache
def _cle_et_parts(t: int = 2, n: int = 3) -> tuple[CleSeuil, dict[int, bytes]]:
    """A (t, n) ceremony from seeds, run with the pure protocol code."""
    paires = [generer_cle_communication(AleaDeterministe(b"scel/z%d" % j)) for j in range(n)]
    contexte = Contexte(
        identifiant="ep2026/bureau-scellement",
        seuil=t,
        cles_communication=tuple(z for _, z in paires),
    )
    distributions = [
        distribuer(contexte, i, AleaDeterministe(b"scel/d%d" % i)) for i in range(1, n + 1)
    ]
    cle = etablir_cle(contexte, distributions, [])
    parts = {}
    for j in range(1, n + 1):
        r = recevoir(contexte, j, paires[j - 1][0], distributions, AleaDeterministe(b"r"))
        parts[j] = cle_de_detenteur(cle, r)
    return cle, parts


EMPREINTE = hashlib.sha256(b"contenu du scellement").digest()


def test_aller_retour_et_json() -> None:
    cle, x = _cle_et_parts()
    for j in (1, 2, 3):
        s = signer_scellement(cle, j, x[j], EMPREINTE, AleaSysteme())
        assert s.detenteur == j
        assert verifier_signature_scellement(cle, s, EMPREINTE)
        d = s.vers_dict()
        assert json.loads(json.dumps(d)) == d
        assert set(d) == {"detenteur", "engagement", "reponse"}
        assert SignatureScellement.depuis_dict(d) == s


def test_mauvais_message_refuse() -> None:
    cle, x = _cle_et_parts()
    s = signer_scellement(cle, 1, x[1], EMPREINTE, AleaSysteme())
    assert not verifier_signature_scellement(cle, s, hashlib.sha256(b"autre").digest())
    assert not verifier_signature_scellement(cle, s, EMPREINTE[:-1])
    assert not verifier_signature_scellement(cle, s, EMPREINTE.hex().encode())


def test_mauvais_detenteur_refuse() -> None:
    cle, x = _cle_et_parts()
    s = signer_scellement(cle, 1, x[1], EMPREINTE, AleaSysteme())
    for j in (0, 2, 3, 4, -1):
        assert not verifier_signature_scellement(
            cle, dataclasses.replace(s, detenteur=j), EMPREINTE
        )


def test_une_part_qui_n_est_pas_la_sienne_ne_signe_pas() -> None:
    cle, x = _cle_et_parts()
    with pytest.raises(ValueError, match="not the key share of holder 2"):
        signer_scellement(cle, 2, x[1], EMPREINTE, AleaSysteme())
    with pytest.raises(ValueError, match="not the key share"):
        signer_scellement(cle, 1, L.to_bytes(32, "little"), EMPREINTE, AleaSysteme())
    with pytest.raises(ValueError, match="no holder"):
        signer_scellement(cle, 4, x[1], EMPREINTE, AleaSysteme())
    with pytest.raises(TypeError):
        signer_scellement(cle, 1, x[1], EMPREINTE.hex(), AleaSysteme())  # type: ignore[arg-type]


def test_champs_alteres_refuses() -> None:
    cle, x = _cle_et_parts()
    s = signer_scellement(cle, 1, x[1], EMPREINTE, AleaSysteme())
    un = (1).to_bytes(32, "little")
    reponse_plus_un = (int.from_bytes(s.reponse, "little") + 1) % L
    for alteree in (
        dataclasses.replace(s, reponse=reponse_plus_un.to_bytes(32, "little")),
        dataclasses.replace(
            s, reponse=(int.from_bytes(s.reponse, "little") + L).to_bytes(32, "little")
        ),
        dataclasses.replace(s, reponse=bytes(32)),
        dataclasses.replace(s, reponse=s.reponse[:-1]),
        dataclasses.replace(s, engagement=add(s.engagement, B)),
        dataclasses.replace(s, engagement=NEUTRE),
        dataclasses.replace(s, engagement=bytes([0xFF]) * 32),
        dataclasses.replace(s, engagement=base(un)),
    ):
        assert not verifier_signature_scellement(cle, alteree, EMPREINTE), alteree


def test_une_signature_ne_sert_pas_pour_une_autre_cle() -> None:
    cle, x = _cle_et_parts()
    autre, _ = _cle_et_parts(2, 4)
    s = signer_scellement(cle, 1, x[1], EMPREINTE, AleaSysteme())
    assert not verifier_signature_scellement(autre, s, EMPREINTE)


def test_le_defi_lie_la_cle_le_detenteur_y_j_l_engagement_et_le_message() -> None:
    cle, x = _cle_et_parts()
    s = signer_scellement(cle, 1, x[1], EMPREINTE, AleaDeterministe(b"w"))
    w = AleaDeterministe(b"w").scalaire()
    assert s.engagement == base(w)
    y1 = cle.cle_de_verification(1)
    c = defi_scellement(cle, 1, y1, s.engagement, EMPREINTE)
    assert ETIQUETTE_SCELLEMENT == "isoloir/v1/seuil/scellement"
    # s·B = R + c·Y_j, written out.
    assert base(s.reponse) == add(s.engagement, mul(c, y1))
    for autre in (
        defi_scellement(cle, 2, y1, s.engagement, EMPREINTE),
        defi_scellement(cle, 1, cle.cle_de_verification(2), s.engagement, EMPREINTE),
        defi_scellement(cle, 1, y1, base(x[2]), EMPREINTE),
        defi_scellement(cle, 1, y1, s.engagement, EMPREINTE + b"\0"),
    ):
        assert autre != c


@pytest.mark.parametrize(
    "objet",
    [
        None,
        [],
        {"detenteur": 1, "engagement": "00" * 32},
        {"detenteur": 1, "engagement": "00" * 32, "reponse": "00" * 32, "x": 1},
        {"detenteur": "1", "engagement": "00" * 32, "reponse": "00" * 32},
        {"detenteur": True, "engagement": "00" * 32, "reponse": "00" * 32},
        {"detenteur": 1.0, "engagement": "00" * 32, "reponse": "00" * 32},
        {"detenteur": -1, "engagement": "00" * 32, "reponse": "00" * 32},
        {"detenteur": 1, "engagement": "00" * 31, "reponse": "00" * 32},
        {"detenteur": 1, "engagement": "00" * 32, "reponse": "AA" * 32},
        {"detenteur": 1, "engagement": "zz" * 32, "reponse": "00" * 32},
        {"detenteur": 1, "engagement": 0, "reponse": "00" * 32},
    ],
)
def test_lecture_stricte(objet: object) -> None:
    with pytest.raises(FormatInvalide):
        SignatureScellement.depuis_dict(objet)


@settings(max_examples=25, deadline=None)
@given(message=st.binary(max_size=200), autre=st.binary(max_size=200), j=st.sampled_from([1, 2, 3]))
def test_hypothese_messages_au_hasard(message: bytes, autre: bytes, j: int) -> None:
    cle, x = _cle_et_parts()
    s = signer_scellement(cle, j, x[j], message, AleaSysteme())
    assert verifier_signature_scellement(cle, s, message)
    assert verifier_signature_scellement(
        cle, SignatureScellement.depuis_dict(s.vers_dict()), message
    )
    if autre != message:
        assert not verifier_signature_scellement(cle, s, autre)


@settings(max_examples=25, deadline=None)
@given(engagement=scalaires.map(base), reponse=scalaires, j=st.sampled_from([1, 2, 3]))
def test_hypothese_une_signature_forgee_au_hasard_est_refusee(
    engagement: bytes, reponse: bytes, j: int
) -> None:
    cle, _ = _cle_et_parts()
    s = SignatureScellement(detenteur=j, engagement=engagement, reponse=reponse)
    assert not verifier_signature_scellement(cle, s, EMPREINTE)


def test_empreinte_du_contenu_est_le_sha256_du_json_canonique_utf8() -> None:
    contenu = {"z": 1, "a": ["é", {"c": None, "b": True}]}
    texte = '{"a":["é",{"b":true,"c":null}],"z":1}'
    assert json_canonique(contenu, ascii=False) == texte
    assert empreinte_du_contenu(contenu) == hashlib.sha256(texte.encode("utf-8")).digest()


# --- Vectors ------------------------------------------------------------------------------


def test_vecteurs_recalcules() -> None:
    v = SCELLEMENTS
    cle = CleSeuil.depuis_dict(v["cle"])
    assert cle.empreinte.hex() == v["empreinte_cle"]
    assert json_canonique(v["contenu"], ascii=False) == v["contenu_canonique"]
    empreinte = empreinte_du_contenu(v["contenu"])
    assert empreinte.hex() == v["empreinte"]
    assert v["contenu"]["cle"]["empreinte"] == v["empreinte_cle"]
    assert [s["detenteur"] for s in v["signatures"]] == [1, 2, 3]
    for vs in v["signatures"]:
        j = vs["detenteur"]
        assert cle.cle_de_verification(j).hex() == vs["Y"]
        assert base(bytes.fromhex(vs["x"])).hex() == vs["Y"]
        graine = bytes.fromhex(vs["graine"])
        assert AleaDeterministe(graine).scalaire().hex() == vs["w"]
        s = signer_scellement(cle, j, bytes.fromhex(vs["x"]), empreinte, AleaDeterministe(graine))
        assert s.vers_dict() == vs["signature"]
        assert (
            defi_scellement(cle, j, bytes.fromhex(vs["Y"]), s.engagement, empreinte).hex()
            == (vs["defi"])
        )
        assert verifier_signature_scellement(
            cle, SignatureScellement.depuis_dict(vs["signature"]), empreinte
        )


def test_vecteurs_refus() -> None:
    cle = CleSeuil.depuis_dict(SCELLEMENTS["cle"])
    noms = []
    for r in SCELLEMENTS["refus"]:
        noms.append(r["nom"])
        assert r["valide"] is False
        s = SignatureScellement.depuis_dict(r["signature"])
        assert not verifier_signature_scellement(cle, s, bytes.fromhex(r["empreinte"])), r["nom"]
    assert {"autre-message", "autre-detenteur", "reponse-alteree", "engagement-altere"} <= set(noms)
    for r in SCELLEMENTS["format"]:
        with pytest.raises(FormatInvalide):
            SignatureScellement.depuis_dict(r["objet"])
