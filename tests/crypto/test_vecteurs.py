"""The test vectors of § 9: the committed file is what the generator writes, and every
vector is recomputed here from the file alone (the JavaScript side does the same)."""

import base64
import hashlib
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from isoloir.crypto import elgamal, tableau
from isoloir.crypto.bulletin import (
    CODES,
    BulletinInvalide,
    PreuveChoix,
    creer_bulletin,
    defi_choix,
    enonce,
    lire_manifeste,
    manifeste,
    traceur,
    verifier_bulletin,
    verifier_preuve_choix,
)
from isoloir.crypto.cles import generer_cle
from isoloir.crypto.groupe import (
    AleaDeterministe,
    L,
    add,
    base,
    encoder_partie,
    hacher_en_scalaire,
    message_hache,
    mul,
    scalaire_add,
    sub,
)
from tests.vecteurs import protocole as vecteurs

FICHIER = Path(__file__).resolve().parents[1] / "vecteurs" / "protocole-v1.json"
VECTEURS: dict[str, Any] = json.loads(FICHIER.read_text(encoding="utf-8"))


def _x(cle_publique: str) -> bytes:
    """The private key of a public key, from the file's `cle` section."""
    return next(bytes.fromhex(c["x"]) for c in VECTEURS["cle"] if c["Y"] == cle_publique)


def test_le_fichier_est_celui_du_generateur() -> None:
    texte = FICHIER.read_text(encoding="utf-8")
    assert texte == vecteurs.texte(), "régénérer : python -m tests.vecteurs.protocole"
    assert texte.endswith("}\n")


def test_le_generateur_ecrit_au_chemin_donne(tmp_path: Path) -> None:
    chemin = tmp_path / "v.json"
    vecteurs.main([str(chemin)])
    assert chemin.read_text(encoding="utf-8") == FICHIER.read_text(encoding="utf-8")
    assert vecteurs.CHEMIN_PAR_DEFAUT == FICHIER


def test_sections() -> None:
    assert VECTEURS["version"] == 1
    for section in ("hachage", "alea", "cle", "manifeste", "bulletins", "refus", "somme"):
        assert VECTEURS[section], section
    assert {v["code"] for v in VECTEURS["refus"]} == set(CODES)


@pytest.mark.parametrize("vecteur", VECTEURS["hachage"])
def test_hachage(vecteur: dict[str, Any]) -> None:
    parties: list[bytes | str | int] = []
    for p in vecteur["parties"]:
        valeur = bytes.fromhex(p["hex"]) if p["type"] == "octets" else p["valeur"]
        assert encoder_partie(valeur).hex() == p["hex"]
        parties.append(valeur)
    message = message_hache(vecteur["etiquette"], *parties)
    assert message.hex() == vecteur["message"]
    assert hacher_en_scalaire(vecteur["etiquette"], *parties).hex() == vecteur["scalaire"]
    # Independently: hashlib's BLAKE2b-512, then the reduction as an integer.
    attendu = int.from_bytes(hashlib.blake2b(message, digest_size=64).digest(), "little") % L
    assert attendu.to_bytes(32, "little").hex() == vecteur["scalaire"]


@pytest.mark.parametrize("vecteur", VECTEURS["alea"])
def test_alea(vecteur: dict[str, Any]) -> None:
    alea = AleaDeterministe(bytes.fromhex(vecteur["graine"]))
    assert [alea.scalaire().hex() for _ in range(3)] == vecteur["scalaires"]


@pytest.mark.parametrize("vecteur", VECTEURS["cle"])
def test_cle(vecteur: dict[str, Any]) -> None:
    x, y = generer_cle(AleaDeterministe(bytes.fromhex(vecteur["graine"])))
    assert (x.hex(), y.hex()) == (vecteur["x"], vecteur["Y"])
    assert base(x) == y


@pytest.mark.parametrize("vecteur", VECTEURS["manifeste"], ids=lambda v: v["nom"])
def test_manifeste(vecteur: dict[str, Any]) -> None:
    p = vecteur["parametres"]
    m = manifeste(
        campagne=p["campagne"],
        scrutin=p["scrutin"],
        intitule=p["intitule"],
        choix=p["choix"],
        cle_publique=bytes.fromhex(p["cle_publique"]),
        origine_cle=p["origine_cle"],
        ouverture=datetime.fromisoformat(p["ouverture"]),
        cloture=datetime.fromisoformat(p["cloture"]),
    )
    assert m.texte == vecteur["texte"]
    assert m.empreinte_hex == vecteur["empreinte"]
    assert hashlib.blake2b(m.texte.encode(), digest_size=32).hexdigest() == vecteur["empreinte"]
    assert lire_manifeste(vecteur["texte"]) == m


@pytest.mark.parametrize("vecteur", VECTEURS["chiffrement"], ids=lambda v: str(v["m"]))
def test_chiffrement(vecteur: dict[str, Any]) -> None:
    y, r = bytes.fromhex(vecteur["Y"]), bytes.fromhex(vecteur["r"])
    chiffre = elgamal.chiffrer(y, vecteur["m"], r)
    assert (chiffre.alpha.hex(), chiffre.beta.hex()) == (vecteur["alpha"], vecteur["beta"])
    x = bytes.fromhex(vecteur["x"])
    assert elgamal.dechiffrer(x, chiffre, max(vecteur["m"], 1)) == vecteur["m"]


@pytest.mark.parametrize(
    "vecteur",
    VECTEURS["bulletins"],
    ids=lambda v: f"{json.loads(v['manifeste'])['scrutin']}-{v['choix']}",
)
def test_bulletin(vecteur: dict[str, Any]) -> None:
    m = lire_manifeste(vecteur["manifeste"])
    texte = creer_bulletin(m, vecteur["choix"], AleaDeterministe(bytes.fromhex(vecteur["graine"])))
    assert texte == vecteur["bulletin"]
    assert traceur(texte) == vecteur["traceur"]
    condensat = base64.urlsafe_b64encode(hashlib.sha256(texte.encode()).digest())
    assert vecteur["traceur"] == condensat.decode().rstrip("=")
    assert len(vecteur["traceur"]) == 43
    lu = verifier_bulletin(texte, m)
    assert (lu.canonique, lu.traceur) == (texte, vecteur["traceur"])
    x = _x(m.cle_publique.hex())
    decompte = [elgamal.dechiffrer(x, c, 1) for c in lu.chiffres]
    assert decompte == [1 if j == vecteur["choix"] else 0 for j in range(len(m.choix))]


@pytest.mark.parametrize(
    "vecteur", VECTEURS["refus"] + VECTEURS["refus_json"], ids=lambda v: v["nom"]
)
def test_refus(vecteur: dict[str, Any]) -> None:
    with pytest.raises(BulletinInvalide) as erreur:
        verifier_bulletin(vecteur["bulletin"], lire_manifeste(vecteur["manifeste"]))
    assert erreur.value.code == vecteur["code"]


def _refus(nom: str) -> dict[str, Any]:
    return next(v for v in VECTEURS["refus"] if v["nom"] == nom)


def test_le_defi_nul_est_une_preuve_juste_que_libsodium_ne_verifie_pas() -> None:
    """The `defi-nul` vector's first proof holds in the group: with c₁ = 0 the check reads
    A₁ = s₁·B, C₁ = s₁·Y. It is refused only because 0·α is not computable in libsodium,
    a rule both implementations must share."""
    vecteur = _refus("defi-nul")
    m = lire_manifeste(vecteur["manifeste"])
    contenu = json.loads(vecteur["bulletin"])
    chiffres = [
        elgamal.Chiffre(bytes.fromhex(c["alpha"]), bytes.fromhex(c["beta"]))
        for c in contenu["choix"]
    ]
    p = {k: bytes.fromhex(v) for k, v in contenu["choix"][0]["preuve"].items()}
    assert p["c1"] == bytes(32)
    alpha, beta, y = chiffres[0].alpha, chiffres[0].beta, m.cle_publique
    a0 = sub(base(p["s0"]), mul(p["c0"], alpha))
    c0 = sub(mul(p["s0"], y), mul(p["c0"], beta))
    a1, c1 = base(p["s1"]), mul(p["s1"], y)
    s = enonce(chiffres)
    assert scalaire_add(p["c0"], p["c1"]) == defi_choix(m, s, 0, chiffres[0], (a0, c0, a1, c1))
    assert not verifier_preuve_choix(m, s, 0, chiffres[0], PreuveChoix(**p))
    # The other proofs, and the sum proof, are honest.
    for j in range(1, len(chiffres)):
        q = PreuveChoix(**{k: bytes.fromhex(v) for k, v in contenu["choix"][j]["preuve"].items()})
        assert verifier_preuve_choix(m, s, j, chiffres[j], q)


@pytest.mark.parametrize(
    ("nom", "valeurs"),
    [("deux-choix", [0, 1, 1]), ("aucun-choix", [0, 0, 0]), ("tous-les-choix-7", [1] * 7)],
)
def test_les_refus_de_somme_ont_des_preuves_0_1_justes(nom: str, valeurs: list[int]) -> None:
    vecteur = _refus(nom)
    m = lire_manifeste(vecteur["manifeste"])
    contenu = json.loads(vecteur["bulletin"])
    chiffres = [
        elgamal.Chiffre(bytes.fromhex(c["alpha"]), bytes.fromhex(c["beta"]))
        for c in contenu["choix"]
    ]
    s = enonce(chiffres)
    for j, c in enumerate(contenu["choix"]):
        preuve = PreuveChoix(**{k: bytes.fromhex(v) for k, v in c["preuve"].items()})
        assert verifier_preuve_choix(m, s, j, chiffres[j], preuve)
    x = _x(m.cle_publique.hex())
    assert [elgamal.dechiffrer(x, c, 1) for c in chiffres] == valeurs


@pytest.mark.parametrize("vecteur", VECTEURS["acceptes"])
def test_acceptes(vecteur: dict[str, Any]) -> None:
    lu = verifier_bulletin(vecteur["bulletin"], lire_manifeste(vecteur["manifeste"]))
    assert lu.canonique == vecteur["canonique"]
    assert lu.traceur == vecteur["traceur"] == traceur(vecteur["canonique"])
    assert vecteur["bulletin"] != vecteur["canonique"]


@pytest.mark.parametrize("vecteur", VECTEURS["somme"])
def test_somme(vecteur: dict[str, Any]) -> None:
    m = lire_manifeste(vecteur["manifeste"])
    lus = [verifier_bulletin(b, m) for b in vecteur["bulletins"]]
    x = bytes.fromhex(vecteur["x"])
    assert base(x) == m.cle_publique
    for j, attendu in enumerate(vecteur["chiffres"]):
        total = elgamal.somme(lu.chiffres[j] for lu in lus)
        assert (total.alpha.hex(), total.beta.hex()) == (attendu["alpha"], attendu["beta"])
        # The same sum, point by point.
        alpha = lus[0].chiffres[j].alpha
        for lu in lus[1:]:
            alpha = add(alpha, lu.chiffres[j].alpha)
        assert alpha == total.alpha
        assert elgamal.dechiffrer(x, total, vecteur["maximum"]) == vecteur["decompte"][j]
    assert sum(vecteur["decompte"]) == len(vecteur["bulletins"])


@pytest.mark.parametrize("vecteur", VECTEURS["tableau"])
def test_tableau(vecteur: dict[str, Any]) -> None:
    assert (
        tableau.empreinte_tableau(vecteur["scrutin"], vecteur["traceurs"]) == vecteur["empreinte"]
    )
    lignes = ["isoloir/v1/tableau", vecteur["scrutin"], str(len(vecteur["traceurs"]))]
    lignes += sorted(vecteur["traceurs"])
    assert hashlib.sha256("\n".join(lignes).encode()).hexdigest() == vecteur["empreinte"]


def test_releves() -> None:
    precedent = None
    for vecteur in VECTEURS["releves"]:
        assert vecteur["precedent"] == precedent
        assert "nombre" not in vecteur
        valeur = tableau.releve(vecteur["precedent"], vecteur["numero"], vecteur["empreinte"])
        assert valeur == vecteur["releve"]
        precedent = valeur
    premier = VECTEURS["releves"][0]
    lignes = ["0" * 64, "1", premier["empreinte"]]
    assert hashlib.sha256("\n".join(lignes).encode()).hexdigest() == premier["releve"]
