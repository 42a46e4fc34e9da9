"""Each bureau's seal: its fingerprint, its signatures, and its contents against the archive.

The seal is what the bureau's holders signed before the vote opened; checking its
contents against ``election.json`` shows that the key, the voting periods, the seats,
the manifests and the lists of candidates are those that were sealed. It also gives the
sealed number of registered voters that the result is checked against.
"""

import json
from typing import Any

from isoloir.crypto import seuil
from isoloir.crypto.seuil.signature import (
    SignatureScellement,
    empreinte_du_contenu,
    verifier_signature_scellement,
)
from isoloir.verification import format as f
from isoloir.verification.etat import _Bureau, _Etat, _Scrutin
from isoloir.verification.lecture import _champ, _court, _date, _en_utc, _liste, _objet, _texte


def verifier_scellement(etat: _Etat, b: _Bureau) -> None:
    fichier = f.chemin_scellement(b.cle)
    controle = f"Scellement — {b.nom}"
    if fichier not in etat.documents:
        return
    if b.cle_seuil is None:
        etat.echec(controle, f"{fichier} : non vérifiable sans la clé du bureau.")
        return
    cle = b.cle_seuil
    etat.garde(controle, fichier, lambda: _scellement(etat, b, cle, fichier, controle))


def _scellement(etat: _Etat, b: _Bureau, cle: seuil.CleSeuil, fichier: str, controle: str) -> None:
    doc = _objet(etat.documents[fichier], fichier)
    contenu = _objet(_champ(doc, "contenu", fichier), "contenu")
    empreinte = empreinte_du_contenu(contenu)
    publiee = _champ(doc, "empreinte", fichier)
    if publiee != empreinte.hex():
        etat.echec(
            controle,
            f"{fichier} : l'empreinte du scellement ({_court(str(publiee))}) n'est pas le "
            f"SHA-256 de son contenu ({_court(empreinte.hex())}) : le contenu a été modifié.",
        )
    else:
        etat.ok(controle, f"{fichier} : empreinte {_court(empreinte.hex())} du contenu recalculée.")

    # Signatures: against the contents as they are, each with its holder's Y_j.
    signataires: list[int] = []
    for k, brute in enumerate(_liste(_champ(doc, "signatures", fichier), "signatures")):
        signature = SignatureScellement.depuis_dict(brute, f"signatures[{k}]")
        j = signature.detenteur
        role = {"president": "président", "delegue": "délégué"}.get(b.roles.get(j, ""), "détenteur")
        if verifier_signature_scellement(cle, signature, empreinte):
            signataires.append(j)
            etat.ok(controle, f"{fichier} : signature du détenteur {j} ({role}) vérifiée.")
        else:
            etat.echec(
                controle,
                f"{fichier} : la signature du détenteur {j} ({role}) ne se vérifie pas.",
            )
    roles = [b.roles.get(j) for j in set(signataires)]
    if "president" not in roles or "delegue" not in roles:
        etat.echec(
            controle,
            f"{fichier} : le scellement doit porter des signatures valides du président et "
            "d'au moins un délégué de liste.",
        )

    # Its contents against the archive: key, threshold, scrutins, windows, manifests.
    defauts = []
    cle_scellee = _objet(_champ(contenu, "cle", "contenu"), "contenu.cle")
    if cle_scellee.get("cle_publique") != cle.cle_publique.hex():
        defauts.append("la clé publique scellée n'est pas celle du bureau")
    if cle_scellee.get("empreinte") != cle.empreinte.hex():
        defauts.append("l'empreinte de clé scellée n'est pas celle du bureau")
    if contenu.get("campagne") != etat.campagne:
        defauts.append(f"la campagne scellée n'est pas « {etat.campagne} »")
    if contenu.get("bureau") != {"nom": b.nom, "seuil": b.seuil_requis}:
        defauts.append(f"le bureau scellé n'est pas « {b.nom} » de seuil {b.seuil_requis}")
    scelles = {
        _texte(_champ(o, "code", "contenu.scrutins"), "code"): o
        for o in (
            _objet(x, "contenu.scrutins")
            for x in _liste(_champ(contenu, "scrutins", "contenu"), "contenu.scrutins")
        )
    }
    if sorted(scelles) != sorted(b.scrutins):
        defauts.append(
            f"scrutins scellés {sorted(scelles)}, scrutins du bureau {sorted(b.scrutins)}"
        )
    for s in etat.scrutins:
        o = scelles.get(s.code)
        if s.bureau != b.cle or o is None or s.manifeste is None:
            continue
        defauts += _scrutin_scelle(s, o, cle)
    scelle_le = _date(_champ(doc, "scelle_le", fichier), "scelle_le")
    ouvertures = [
        json.loads(s.manifeste_texte)["ouverture"]
        for s in etat.scrutins
        if s.bureau == b.cle and s.manifeste is not None
    ]
    if any(_en_utc(scelle_le) >= o for o in ouvertures):
        defauts.append("le bureau a été scellé après l'ouverture du vote")
    for defaut in defauts:
        etat.echec(controle, f"{fichier} : contenu non conforme à l'archive, {defaut}.")
    if not defauts:
        logiciel = contenu.get("logiciel")
        logiciel = logiciel if isinstance(logiciel, dict) else {}
        etat.ok(
            controle,
            f"{fichier} : contenu scellé avant l'ouverture du vote et conforme à l'archive "
            "(clé, bureau, scrutins, périodes de vote, sièges, manifestes, listes de "
            f"candidats) ; logiciel scellé : version {logiciel.get('version')}, empreinte "
            f"{_court(str(logiciel.get('empreinte')))}",
        )


def _scrutin_scelle(s: _Scrutin, o: dict[str, Any], cle: seuil.CleSeuil) -> list[str]:
    """One sealed scrutin against the archive (counting/scellement.py writes it)."""
    assert s.manifeste is not None
    manifeste = json.loads(s.manifeste_texte)
    ici = f"scrutin {s.code} :"
    defauts = []
    if o.get("cle_publique") != cle.cle_publique.hex() or o.get("origine_cle") != "ceremonie":
        defauts.append(f"{ici} la clé scellée n'est pas celle de la cérémonie du bureau")
    if o.get("manifeste") != s.manifeste.empreinte_hex:
        defauts.append(f"{ici} l'empreinte de manifeste scellée n'est pas celle du manifeste")
    if (o.get("ouverture"), o.get("cloture")) != (manifeste["ouverture"], manifeste["cloture"]):
        defauts.append(f"{ici} la période de vote scellée n'est pas celle du manifeste")
    for champ in ("intitule", "type", "perimetre", "sieges_titulaires", "sieges_suppleants"):
        if o.get(champ) != s.brut.get(champ):
            defauts.append(f"{ici} « {champ} » scellé n'est pas celui de {f.ELECTION}")
    listes = [{k: v for k, v in li.items() if k != "id"} for li in s.brut["listes"]]
    if o.get("listes") != empreinte_du_contenu(listes).hex():
        defauts.append(f"{ici} les listes de candidats de {f.ELECTION} ne sont pas celles scellées")
    electorale = o.get("liste_electorale")
    if isinstance(electorale, dict) and type(electorale.get("inscrits")) is int:
        s.inscrits_scelles = electorale["inscrits"]
    else:
        defauts.append(f"{ici} le nombre d'inscrits scellé manque")
    return defauts
