"""The threshold vectors (``tests/vecteurs/seuil-v1.json``): the committed file is what the
generator writes, and every vector is recomputed here from the file alone with the seuil package
and coffre.py (tests/js/seuil.test.js does the same with isoloir-seuil.js)."""

import dataclasses
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from isoloir.crypto import coffre, elgamal
from isoloir.crypto.bulletin import creer_bulletin, json_canonique, lire_manifeste
from isoloir.crypto.bulletin import verifier_bulletin as lire_bulletin
from isoloir.crypto.elgamal import Chiffre
from isoloir.crypto.groupe import AleaDeterministe
from isoloir.crypto.seuil import (
    CleSeuil,
    Contexte,
    DechiffrementRefuse,
    Distribution,
    PartChiffree,
    PartDechiffrement,
    PartIndechiffrable,
    Plainte,
    PreuveEgalite,
    Transcription,
    chiffrer_part,
    cle_de_detenteur,
    coefficient_lagrange,
    combiner,
    combiner_facteurs,
    dechiffrer_part,
    dechiffrer_partiellement,
    distribuer,
    etablir_cle,
    evaluer_polynome,
    generer_cle_communication,
    plainte_fondee,
    porter_plainte,
    qualifies,
    recevoir,
    verifier_distribution,
    verifier_part,
    verifier_part_dechiffrement,
    verifier_transcription,
)
from tests.vecteurs import seuil as vecteurs_seuil
from tests.vecteurs.communs import AleaFixe, plus_un

FICHIER = Path(__file__).resolve().parents[1] / "vecteurs" / "seuil-v1.json"
VECTEURS: dict[str, Any] = json.loads(FICHIER.read_text(encoding="utf-8"))


def _chiffres(d: list[dict[str, str]]) -> list[Chiffre]:
    return [Chiffre(bytes.fromhex(c["alpha"]), bytes.fromhex(c["beta"])) for c in d]


def test_le_fichier_est_celui_du_generateur() -> None:
    texte = FICHIER.read_text(encoding="utf-8")
    assert texte == vecteurs_seuil.texte(), "régénérer : python -m tests.vecteurs.seuil"
    assert texte.endswith("}\n")


def test_le_generateur_ecrit_au_chemin_donne(tmp_path: Path) -> None:
    chemin = tmp_path / "s.json"
    vecteurs_seuil.main([str(chemin)])
    assert chemin.read_text(encoding="utf-8") == FICHIER.read_text(encoding="utf-8")
    assert vecteurs_seuil.CHEMIN_PAR_DEFAUT == FICHIER


def test_sections() -> None:
    assert VECTEURS["version"] == 1
    assert [(c["seuil"], c["nombre"]) for c in VECTEURS["ceremonies"]] == [(2, 3), (3, 5)]
    fondees = [p["fondee"] for c in VECTEURS["ceremonies"] for p in c["plaintes"]]
    assert True in fondees and False in fondees
    assert {r["type"] for r in VECTEURS["refus"]} == {
        "part",
        "part_chiffree",
        "distribution",
        "dechiffrement",
        "combinaison",
    }
    assert {r["code"] for r in VECTEURS["refus"] if r["type"] == "combinaison"} == {
        "doublon",
        "trop_peu",
        "part_invalide",
        "hors_maximum",
    }


def test_la_petite_ceremonie_est_celle_du_paragraphe_11() -> None:
    v = VECTEURS["ceremonies"][0]
    assert v["empreinte_contexte"] == (
        "ad949de237de20f9659bee3da885f72d2fd94e189d6a52d02a9c89508b11ce3a"
    )
    assert v["cle_publique"] == "002feba76a2043579a83cb3966d1c2d954d293a3d42dac5bc9b26c73abfd7841"
    assert v["empreinte_cle"] == "be2c277638b1236c73bd215c76378352258c68964b14826cb84b8ffb61993883"


@pytest.mark.parametrize("v", VECTEURS["ceremonies"], ids=lambda v: v["nom"])
def test_ceremonie(v: dict[str, Any]) -> None:
    t, n = v["seuil"], v["nombre"]
    privees = []
    for c in v["communication"]:
        z, cle_z = generer_cle_communication(AleaDeterministe(bytes.fromhex(c["graine"])))
        assert (z.hex(), cle_z.hex()) == (c["z"], c["Z"])
        privees.append(z)
    contexte = Contexte.depuis_dict(v["contexte"])
    assert contexte.identifiant == v["identifiant"] and contexte.seuil == t
    assert contexte.empreinte.hex() == v["empreinte_contexte"]

    distributions = []
    for vd in v["distributions"]:
        alea = AleaDeterministe(bytes.fromhex(vd["graine"]))
        d = distribuer(contexte, vd["detenteur"], alea)
        tirages = [bytes.fromhex(s) for s in vd["tirages"]]
        verif = AleaDeterministe(bytes.fromhex(vd["graine"]))
        assert [verif.scalaire() for _ in tirages] == tirages
        assert alea.tirages == t + 1 + n
        assert [evaluer_polynome(tirages[:t], j).hex() for j in range(1, n + 1)] == vd[
            "parts_claires"
        ]
        a = vd["alteration"]
        if a is not None:
            j = a["destinataire"]
            parts = list(d.parts)
            if a["nature"] == "valeur":
                assert plus_un(bytes.fromhex(vd["parts_claires"][j - 1])).hex() == a["part"]
                e = tirages[t + 1 + (j - 1)]
                parts[j - 1] = chiffrer_part(
                    contexte, d.detenteur, j, bytes.fromhex(a["part"]), AleaFixe(e)
                )
            else:
                chiffre = bytearray(parts[j - 1].chiffre)
                chiffre[a["position"]] ^= 1
                parts[j - 1] = dataclasses.replace(parts[j - 1], chiffre=bytes(chiffre))
            d = dataclasses.replace(d, parts=tuple(parts))
        assert d.vers_dict() == vd["distribution"]
        assert Distribution.depuis_dict(vd["distribution"]) == d
        assert verifier_distribution(contexte, d)
        distributions.append(d)

    receptions = []
    for vr in v["receptions"]:
        j = vr["detenteur"]
        r = recevoir(
            contexte,
            j,
            privees[j - 1],
            distributions,
            AleaDeterministe(bytes.fromhex(vr["graine"])),
        )
        assert {str(i): s.hex() for i, s in r.parts.items()} == vr["parts"]
        assert [p.vers_dict() for p in r.plaintes] == vr["plaintes"]
        assert list(r.rejetees) == vr["rejetees"]
        receptions.append(r)
    plaintes = [p for r in receptions for p in r.plaintes]
    for vs in v["plaintes_supplementaires"]:
        lue = Plainte.depuis_dict(vs["plainte"])
        part = distributions[lue.accuse - 1].parts[lue.plaignant - 1]
        q = porter_plainte(
            contexte,
            part,
            privees[lue.plaignant - 1],
            AleaDeterministe(bytes.fromhex(vs["graine"])),
        )
        if vs["forgee"]:
            q = dataclasses.replace(q, preuve=PreuveEgalite(c=q.preuve.c, s=plus_un(q.preuve.s)))
        assert q == lue
        plaintes.append(q)
    assert [p.vers_dict() for p in plaintes] == [p["plainte"] for p in v["plaintes"]]
    for p, vp in zip(plaintes, v["plaintes"], strict=True):
        assert plainte_fondee(contexte, distributions[p.accuse - 1], p) is vp["fondee"]
    assert list(qualifies(contexte, distributions, plaintes)) == v["qualifies"]

    cle = etablir_cle(contexte, distributions, plaintes)
    assert cle.vers_dict() == v["cle"]
    assert CleSeuil.depuis_dict(v["cle"]) == cle
    assert cle.cle_publique.hex() == v["cle_publique"]
    assert cle.empreinte.hex() == v["empreinte_cle"]
    assert [cle.cle_de_verification(j).hex() for j in range(1, n + 1)] == v["cles_de_verification"]
    x = {}
    for r, vr in zip(receptions, v["receptions"], strict=True):
        x[r.detenteur] = cle_de_detenteur(cle, r)
        assert x[r.detenteur].hex() == vr["cle_de_detenteur"]

    dep = v["depouillement"]
    m = lire_manifeste(dep["manifeste"])
    assert m.cle_publique == cle.cle_publique and m.origine_cle == "ceremonie"
    lus = []
    for b in dep["bulletins"]:
        texte = creer_bulletin(m, b["choix"], AleaDeterministe(bytes.fromhex(b["graine"])))
        assert texte == b["bulletin"]
        lus.append(lire_bulletin(texte, m))
    chiffres = [elgamal.somme(lu.chiffres[k] for lu in lus) for k in range(len(m.choix))]
    assert chiffres == _chiffres(dep["chiffres"])
    assert dep["decomptes"] == [
        [b["choix"] for b in dep["bulletins"]].count(k) for k in range(len(m.choix))
    ]
    parts = []
    for j, vp in enumerate(dep["parts"], start=1):
        p = dechiffrer_partiellement(
            cle, j, x[j], chiffres, AleaDeterministe(bytes.fromhex(vp["graine"]))
        )
        assert p.vers_dict() == vp["part"]
        assert verifier_part_dechiffrement(cle, chiffres, PartDechiffrement.depuis_dict(vp["part"]))
        parts.append(p)
    for vc in dep["combinaisons"]:
        ensemble = vc["detenteurs"]
        choisies = [parts[j - 1] for j in ensemble]
        assert [coefficient_lagrange(ensemble, j).hex() for j in ensemble] == vc["lagrange"]
        assert [
            combiner_facteurs(c, {p.detenteur: p.facteurs[k] for p in choisies}).hex()
            for k, c in enumerate(chiffres)
        ] == vc["points"]
        assert list(combiner(cle, chiffres, choisies, dep["maximum"])) == vc["decomptes"]
        assert vc["decomptes"] == dep["decomptes"]

    transcription = {
        "version": 1,
        "contexte": v["contexte"],
        "distributions": [d["distribution"] for d in v["distributions"]],
        "plaintes": [p["plainte"] for p in v["plaintes"]],
        "qualifies": v["qualifies"],
        "cle_publique": v["cle_publique"],
        "depouillements": [
            {
                "chiffres": dep["chiffres"],
                "parts": [
                    dep["parts"][j - 1]["part"] for j in dep["combinaisons"][0]["detenteurs"]
                ],
                "decomptes": dep["decomptes"],
            }
        ],
    }
    verifier_transcription(Transcription.depuis_dict(transcription))
    texte = json_canonique(transcription, ascii=True)
    assert hashlib.sha256(texte.encode("ascii")).hexdigest() == v["transcription_sha256"]


@pytest.mark.parametrize("r", VECTEURS["refus"], ids=lambda r: r["nom"])
def test_refus(r: dict[str, Any]) -> None:
    if r["type"] == "part":
        engagements = [bytes.fromhex(c) for c in r["engagements"]]
        assert (
            verifier_part(engagements, r["destinataire"], bytes.fromhex(r["part"])) is r["valide"]
        )
    elif r["type"] == "part_chiffree":
        assert r["valide"] is False
        with pytest.raises(PartIndechiffrable):
            dechiffrer_part(
                Contexte.depuis_dict(r["contexte"]),
                PartChiffree.depuis_dict(r["part"]),
                bytes.fromhex(r["z"]),
            )
    elif r["type"] == "distribution":
        contexte = Contexte.depuis_dict(r["contexte"])
        d = Distribution.depuis_dict(r["distribution"])
        assert verifier_distribution(contexte, d) is r["valide"]
    elif r["type"] == "dechiffrement":
        cle = CleSeuil.depuis_dict(r["cle"])
        part = PartDechiffrement.depuis_dict(r["part"])
        assert verifier_part_dechiffrement(cle, _chiffres(r["chiffres"]), part) is r["valide"]
    else:
        assert r["type"] == "combinaison"
        cle = CleSeuil.depuis_dict(r["cle"])
        parts = [PartDechiffrement.depuis_dict(p) for p in r["parts"]]
        with pytest.raises(DechiffrementRefuse) as erreur:
            combiner(cle, _chiffres(r["chiffres"]), parts, r["maximum"])
        assert vecteurs_seuil.code_de_refus(erreur.value) == r["code"]
        if r["detenteur"] is not None:
            assert f"holder {r['detenteur']} " in str(erreur.value)


@pytest.mark.parametrize("v", VECTEURS["coffres"], ids=lambda v: v["nom"])
def test_coffre(v: dict[str, Any]) -> None:
    c = v["coffre"]
    sel, nonce = bytes.fromhex(c["sel"]), bytes.fromhex(c["nonce"])
    assert coffre.phrase_en_octets(v["phrase"]).hex() == v["phrase_octets"]
    assert (
        coffre.donnees_associees(c["operations"], c["memoire"], sel).hex()
        == (v["donnees_associees"])
    )
    assert coffre.deriver_cle(v["phrase"], sel, c["operations"], c["memoire"]).hex() == v["cle"]
    ecrit = coffre.chiffrer_secret(
        bytes.fromhex(v["secret"]),
        v["phrase"],
        operations=c["operations"],
        memoire=c["memoire"],
        sel=sel,
        nonce=nonce,
    )
    assert ecrit == c
    assert coffre.dechiffrer_secret(c, v["phrase"]).hex() == v["secret"]


@pytest.mark.parametrize("r", VECTEURS["coffres_refus"], ids=lambda r: r["nom"])
def test_coffre_refus(r: dict[str, Any]) -> None:
    attendue = (
        coffre.PhraseIncorrecte if r["code"] == "phrase_incorrecte" else coffre.CoffreInvalide
    )
    with pytest.raises(coffre.CoffreInvalide) as erreur:
        coffre.dechiffrer_secret(r["coffre"], r["phrase"])
    assert type(erreur.value) is attendue
