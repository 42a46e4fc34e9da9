"""Each scrutin's urne and bulletin board: every ballot, then the board's fingerprint.

Every ballot is checked against the manifest on its own, so that one bad ballot is
named by its tracker and the others still count; the trackers then give back the
board's fingerprint at closing and the chain of its published readings.
"""

from typing import Any

from isoloir.crypto import tableau
from isoloir.crypto.bulletin import BulletinInvalide, traceur, verifier_bulletin
from isoloir.verification import format as f
from isoloir.verification.etat import _Etat, _Scrutin
from isoloir.verification.lecture import _champ, _court, _date, _entier, _liste, _objet, _texte

RAISONS_DU_REFUS = {
    "format": "il n'est pas écrit au format d'un bulletin",
    "scrutin": "il est destiné à un autre scrutin",
    "election": "il ne porte pas l'empreinte du manifeste",
    "nombre_de_choix": "son nombre de chiffrés n'est pas le nombre de choix",
    "point": "un de ses chiffrés n'est pas un point valide",
    "scalaire": "un scalaire de ses preuves n'est pas réduit",
    "preuve_choix": "une preuve « 0 ou 1 » ne se vérifie pas",
    "preuve_somme": "sa preuve de somme (un seul choix) ne se vérifie pas",
}


def verifier_urne(etat: _Etat, s: _Scrutin) -> None:
    fichier = f.chemin_urne(s.code)
    controle = f"Urne du scrutin {s.code}"
    if fichier not in etat.fichiers or s.manifeste is None:
        return
    etat.garde(controle, fichier, lambda: _urne(etat, s, fichier, controle))


def _urne(etat: _Etat, s: _Scrutin, fichier: str, controle: str) -> None:
    assert s.manifeste is not None
    try:
        texte = etat.fichiers[fichier].decode("utf-8")
    except UnicodeDecodeError:
        etat.echec(controle, f"{fichier} n'est pas un texte UTF-8.")
        return
    lignes = texte.split("\n")
    if lignes[-1] != "":
        etat.echec(controle, f"{fichier} : la dernière ligne n'est pas terminée.")
    else:
        lignes.pop()
    if not lignes or lignes[0] != f.ligne_de_manifeste(s.manifeste_texte):
        etat.echec(controle, f"{fichier} : la première ligne n'est pas le manifeste du scrutin.")
    manifeste = s.manifeste
    s.traceurs = []
    vus: dict[str, int] = {}
    alphas: dict[bytes, int] = {}
    defauts = 0
    desordre = False
    dernier = ""
    for n, ligne in enumerate(lignes[1:], start=2):
        t = traceur(ligne)
        s.traceurs.append(t)
        ici = f"{fichier}, ligne {n} (traceur {t})"
        try:
            verifie = verifier_bulletin(ligne, manifeste)
        except BulletinInvalide as erreur:
            etat.echec(
                controle,
                f"{ici} : bulletin invalide, {RAISONS_DU_REFUS[erreur.code]} ({erreur.code}).",
            )
            defauts += 1
            continue
        if verifie.canonique != ligne:
            etat.echec(controle, f"{ici} : le bulletin n'est pas écrit sous forme canonique.")
            defauts += 1
            continue
        if t in vus:
            etat.echec(
                controle,
                f"{fichier}, ligne {n} : le bulletin de traceur {t} figure déjà ligne "
                f"{vus[t]} (bulletin en double).",
            )
            defauts += 1
            continue
        if verifie.alpha0 in alphas:
            etat.echec(
                controle,
                f"{ici} : son premier chiffré α₀ est celui du bulletin de la ligne "
                f"{alphas[verifie.alpha0]} (copie d'un bulletin).",
            )
            defauts += 1
            continue
        if t < dernier and not desordre:
            desordre = True
            etat.echec(
                controle,
                f"{ici} : les bulletins ne sont pas rangés par traceur, comme le tableau "
                "les publie.",
            )
            defauts += 1
        vus[t] = n
        dernier = max(dernier, t)
        alphas[verifie.alpha0] = n
        s.valides.append(verifie)
    s.bulletins_sains = defauts == 0
    if not defauts:
        etat.ok(
            controle,
            f"{fichier} : {len(s.valides)} bulletins, chacun vérifié contre le manifeste "
            "(preuves « 0 ou 1 » et de somme), aucun traceur ni α₀ en double.",
        )


def verifier_tableau(etat: _Etat, s: _Scrutin) -> None:
    fichier = f.chemin_tableau(s.code)
    controle = f"Tableau d'affichage du scrutin {s.code}"
    if fichier not in etat.documents:
        return
    etat.garde(controle, fichier, lambda: _tableau(etat, s, fichier, controle))


def _tableau(etat: _Etat, s: _Scrutin, fichier: str, controle: str) -> None:
    doc = _objet(etat.documents[fichier], fichier)
    cloture = _objet(_champ(doc, "cloture", fichier), "cloture")
    bulletins = _entier(_champ(cloture, "bulletins", "cloture"), "cloture.bulletins")
    emargements = _entier(_champ(cloture, "emargements", "cloture"), "cloture.emargements")
    empreinte = _texte(_champ(cloture, "empreinte_urne", "cloture"), "cloture.empreinte_urne")
    if bulletins != emargements:
        etat.echec(
            controle,
            f"{fichier} : la clôture compte {bulletins} bulletins pour {emargements} "
            "émargements ; ils doivent être égaux.",
        )
    if s.traceurs is not None:
        urne = f.chemin_urne(s.code)
        if len(s.traceurs) != bulletins:
            etat.echec(
                controle,
                f"{urne} : l'urne contient {len(s.traceurs)} bulletins, la clôture en a "
                f"compté {bulletins}.",
            )
        try:
            recalculee = tableau.empreinte_tableau(s.code, s.traceurs)
        except ValueError:
            recalculee = "(traceur mal formé)"
        if recalculee != empreinte:
            etat.echec(
                controle,
                f"{fichier} : l'empreinte du tableau recalculée sur les traceurs de l'urne "
                f"({_court(recalculee)}) n'est pas l'empreinte d'urne de la clôture "
                f"({_court(empreinte)}).",
            )
        elif len(s.traceurs) == bulletins == emargements:
            etat.ok(
                controle,
                f"{fichier} : empreinte du tableau recalculée sur les {bulletins} traceurs, "
                f"égale à celle de la clôture ({_court(empreinte)}) ; autant de bulletins "
                "que d'émargements.",
            )
    _releves(etat, s, doc, fichier, controle, empreinte)


def _releves(
    etat: _Etat, s: _Scrutin, doc: dict[str, Any], fichier: str, controle: str, empreinte: str
) -> None:
    precedent: str | None = None
    dernier: dict[str, Any] | None = None
    releves = _liste(_champ(doc, "releves", fichier), "releves")
    for k, brut in enumerate(releves, start=1):
        r = _objet(brut, f"releves[{k - 1}]")
        numero = _entier(_champ(r, "numero", "releve"), "numero")
        valeur = _texte(_champ(r, "valeur", "releve"), "valeur")
        attendu_precedent = precedent or tableau.PREMIER_PRECEDENT
        try:
            recalcule = tableau.releve(
                precedent, numero, _texte(_champ(r, "empreinte_tableau", "releve"), "empreinte")
            )
        except ValueError:
            recalcule = None
        if numero != k or r.get("precedent") != attendu_precedent or recalcule != valeur:
            etat.echec(
                controle,
                f"{fichier} : le relevé n° {k} ne s'enchaîne pas au précédent (numéro, "
                "relevé précédent ou valeur recalculée).",
            )
            return
        precedent = valeur
        dernier = r
    if dernier is None or _date(dernier.get("fait_le"), "fait_le") < s.cloture:
        etat.echec(controle, f"{fichier} : aucun relevé du tableau après la clôture.")
    elif dernier.get("empreinte_tableau") != empreinte:
        etat.echec(
            controle,
            f"{fichier} : le dernier relevé, après la clôture, n'a pas l'empreinte d'urne de "
            "la clôture.",
        )
    else:
        etat.ok(
            controle,
            f"{fichier} : {len(releves)} relevé(s) chaîné(s), le dernier fait après la "
            "clôture sur l'empreinte de la clôture.",
        )
