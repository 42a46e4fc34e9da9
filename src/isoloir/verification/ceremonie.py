"""Each scrutin's manifest, then each bureau's key ceremony, recomputed from its messages.

The manifest fixes what a ballot must be (its choices, its key); the key is never taken
from the server: it is recomputed from the dealers' distributions and the holders'
complaints, and the manifests must carry it. The holders' roles read here are needed
later by the seal and the decryption shares.
"""

import json

from isoloir.crypto import seuil
from isoloir.crypto.manifeste import VOTE_BLANC, ManifesteInvalide, lire_manifeste
from isoloir.verification import format as f
from isoloir.verification.etat import _Bureau, _Etat, _Scrutin
from isoloir.verification.lecture import (
    _champ,
    _court,
    _date,
    _en_utc,
    _entier,
    _liste,
    _objet,
    _texte,
)


def verifier_manifeste(etat: _Etat, s: _Scrutin) -> None:
    controle = f"Manifeste du scrutin {s.code}"
    etat.garde(controle, f.ELECTION, lambda: _manifeste(etat, s, controle))


def _manifeste(etat: _Etat, s: _Scrutin, controle: str) -> None:
    ou = f"{f.ELECTION}, scrutin {s.code}"
    try:
        manifeste = lire_manifeste(s.manifeste_texte)
    except ManifesteInvalide as erreur:
        etat.echec(controle, f"{ou} : le manifeste est mal formé ({erreur}).")
        return
    defauts = []
    if manifeste.empreinte_hex != s.empreinte_manifeste:
        defauts.append(
            f"son empreinte recalculée ({manifeste.empreinte_hex}) n'est pas celle publiée "
            f"({s.empreinte_manifeste})"
        )
    contenu = json.loads(s.manifeste_texte)
    if manifeste.scrutin != s.code:
        defauts.append(f"il est celui du scrutin « {manifeste.scrutin} »")
    if contenu["campagne"] != etat.campagne:
        defauts.append(f"il est celui de la campagne « {contenu['campagne']} »")
    choix = [VOTE_BLANC, *(li.sigle for li in s.listes)]
    if list(manifeste.choix) != choix:
        defauts.append(
            f"ses choix {list(manifeste.choix)} ne sont pas le vote blanc puis les listes "
            f"du scrutin {choix}"
        )
    if manifeste.origine_cle != "ceremonie":
        defauts.append(
            f"sa clé vient d'une cérémonie « {manifeste.origine_cle} », pas de celle du "
            "bureau de vote"
        )
    for champ in ("ouverture", "cloture"):
        date = _date(s.brut.get(champ), f"scrutin {s.code}, {champ}")
        if _en_utc(date) != contenu[champ]:
            defauts.append(f"sa date d'{champ} n'est pas celle du scrutin")
    for defaut in defauts:
        etat.echec(controle, f"{ou} : manifeste non conforme, {defaut}.")
    s.manifeste = manifeste
    if not defauts:
        etat.ok(
            controle,
            f"{ou} : manifeste bien formé, empreinte {_court(manifeste.empreinte_hex)} "
            f"recalculée, {len(manifeste.choix)} choix (vote blanc et listes).",
        )


def verifier_ceremonie(etat: _Etat, b: _Bureau) -> None:
    fichier = f.chemin_ceremonie(b.cle)
    controle = f"Cérémonie des clés — {b.nom}"
    if fichier not in etat.documents:
        return
    etat.garde(controle, fichier, lambda: _ceremonie(etat, b, fichier, controle))


def _ceremonie(etat: _Etat, b: _Bureau, fichier: str, controle: str) -> None:
    doc = _objet(etat.documents[fichier], fichier)
    contexte = seuil.Contexte.depuis_dict(_champ(doc, "contexte", fichier))
    attendu = f"{etat.campagne}/{b.cle}"
    if contexte.identifiant != attendu:
        etat.echec(
            controle,
            f"{fichier} : la cérémonie est celle de « {contexte.identifiant} », pas du "
            f"bureau « {attendu} ».",
        )
    if contexte.seuil != b.seuil_requis:
        etat.echec(
            controle,
            f"{fichier} : seuil {contexte.seuil} dans la cérémonie, {b.seuil_requis} pour "
            "le bureau.",
        )
    n = contexte.nombre
    for k, d in enumerate(_liste(_champ(doc, "detenteurs", fichier), "detenteurs")):
        o = _objet(d, f"detenteurs[{k}]")
        b.roles[_entier(_champ(o, "indice", "detenteurs"), "indice")] = _texte(
            _champ(o, "role", "detenteurs"), "role"
        )
    if sorted(b.roles) != list(range(1, n + 1)):
        etat.echec(controle, f"{fichier} : les rôles des {n} détenteurs ne sont pas tous donnés.")
    elif not set(b.roles.values()) <= {"president", "secretaire", "delegue"}:
        etat.echec(controle, f"{fichier} : un détenteur a un rôle inconnu.")
    elif list(b.roles.values()).count("president") != 1:
        etat.echec(controle, f"{fichier} : le président doit détenir une clé, et lui seul.")
    elif 3 * list(b.roles.values()).count("delegue") < 2 * n:
        etat.echec(
            controle,
            f"{fichier} : moins des deux tiers des clés sont détenues par des délégués de liste.",
        )

    # Dealers: each message checked on its own; a failing one is out of the key.
    distributions: list[seuil.Distribution] = []
    valides: dict[int, seuil.Distribution] = {}
    publiees = _liste(_champ(doc, "distributions", fichier), "distributions")
    if len(publiees) != n:
        etat.echec(
            controle, f"{fichier} : {len(publiees)} distributions publiées pour {n} détenteurs."
        )
    for k, brute in enumerate(publiees, start=1):
        try:
            d = seuil.Distribution.depuis_dict(brute, f"distributions[{k - 1}]")
        except seuil.ErreurSeuil as erreur:
            etat.echec(controle, f"{fichier} : la distribution n° {k} est illisible ({erreur}).")
            continue
        if d.detenteur != k:
            etat.echec(
                controle,
                f"{fichier} : la distribution n° {k} se dit celle du détenteur {d.detenteur}.",
            )
            continue
        distributions.append(d)
        if seuil.verifier_distribution(contexte, d):
            valides[k] = d
            etat.ok(
                controle,
                f"{fichier} : distribution du détenteur {k} vérifiée ({len(d.engagements)} "
                f"engagements, preuve de connaissance, {len(d.parts)} parts chiffrées).",
            )
        else:
            etat.echec(
                controle,
                f"{fichier} : la distribution du détenteur {k} ne se vérifie pas (engagements "
                "ou preuve de connaissance faux) ; ce détenteur est écarté de la clé.",
            )

    # Complaints: each one judged; an unfounded complaint is a false public accusation.
    plaintes: list[seuil.Plainte] = []
    vus: set[int] = set()
    for k, r in enumerate(_liste(_champ(doc, "receptions", fichier), "receptions")):
        o = _objet(r, f"receptions[{k}]")
        j = _entier(_champ(o, "detenteur", f"receptions[{k}]"), "detenteur")
        if j in vus or not 1 <= j <= n:
            etat.echec(controle, f"{fichier} : réception en double ou d'un inconnu ({j}).")
            continue
        vus.add(j)
        for m, brute in enumerate(_liste(_champ(o, "plaintes", "receptions"), "plaintes")):
            p = seuil.Plainte.depuis_dict(brute, f"receptions[{k}].plaintes[{m}]")
            qui = f"la plainte du détenteur {p.plaignant} contre le détenteur {p.accuse}"
            if p.plaignant != j:
                etat.echec(controle, f"{fichier} : {qui} est publiée par le détenteur {j}.")
                continue
            plaintes.append(p)
            accusee = valides.get(p.accuse)
            if accusee is None:
                etat.ok(controle, f"{fichier} : {qui} vise un détenteur déjà écarté.")
            elif seuil.plainte_fondee(contexte, accusee, p):
                etat.ok(
                    controle,
                    f"{fichier} : {qui} est fondée ; le détenteur {p.accuse} est écarté.",
                )
            else:
                etat.echec(
                    controle,
                    f"{fichier} : {qui} n'est pas fondée (sa preuve ne se vérifie pas, ou "
                    "la part visée est bonne) : accusation fausse.",
                )
    manquantes = sorted(set(range(1, n + 1)) - vus)
    if manquantes:
        etat.echec(
            controle,
            f"{fichier} : pas de réception publiée par le(s) détenteur(s) "
            f"{', '.join(map(str, manquantes))}.",
        )
    elif not plaintes:
        etat.ok(controle, f"{fichier} : les {n} détenteurs ont reçu leurs parts, sans plainte.")

    # The key, recomputed from the messages alone, against the published one.
    try:
        cle = seuil.etablir_cle(contexte, distributions, plaintes)
    except seuil.CeremonieInvalide as erreur:
        etat.echec(
            controle,
            f"{fichier} : aucune clé ne peut être établie ({erreur}) ; la suite de "
            "l'élection n'est pas vérifiable.",
        )
        return
    b.cle_seuil = cle
    publiee = _objet(_champ(doc, "cle", fichier), "cle")
    recalculee = cle.vers_dict()
    defauts = []
    if publiee.get("cle_publique") != recalculee["cle_publique"]:
        defauts.append(
            f"la clé publique publiée ({_court(str(publiee.get('cle_publique')))}) n'est pas "
            f"celle que donnent les distributions et les plaintes "
            f"({_court(recalculee['cle_publique'])})"
        )
    qualifies = [q.get("detenteur") for q in publiee.get("qualifies", []) if isinstance(q, dict)]
    if qualifies != list(cle.qualifies):
        defauts.append(
            f"détenteurs qualifiés publiés {qualifies}, recalculés {list(cle.qualifies)}"
        )
    if not defauts and publiee != recalculee:
        defauts.append("les engagements ou le contexte publiés avec la clé diffèrent")
    if doc.get("empreinte") != cle.empreinte.hex():
        defauts.append(
            f"l'empreinte publiée de la clé ({_court(str(doc.get('empreinte')))}) n'est pas "
            f"celle recalculée ({_court(cle.empreinte.hex())})"
        )
    for defaut in defauts:
        etat.echec(controle, f"{fichier} : {defaut}.")
    if not defauts:
        etat.ok(
            controle,
            f"{fichier} : clé de l'élection recalculée, égale à la clé publiée "
            f"({_court(cle.cle_publique.hex())}) ; détenteurs qualifiés "
            f"{', '.join(map(str, cle.qualifies))} ; empreinte de la clé "
            f"{_court(cle.empreinte.hex())}",
        )
    for s in etat.scrutins:
        if s.bureau != b.cle or s.manifeste is None:
            continue
        if s.manifeste.cle_publique == cle.cle_publique:
            etat.ok(
                controle,
                f"{f.ELECTION} : le manifeste du scrutin {s.code} porte la clé du bureau.",
            )
        else:
            etat.echec(
                controle,
                f"{f.ELECTION} : le manifeste du scrutin {s.code} porte la clé "
                f"{_court(s.manifeste.cle_publique.hex())}, pas celle du bureau "
                f"({_court(cle.cle_publique.hex())}).",
            )
