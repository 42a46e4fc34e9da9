"""The archive itself: the ZIP, ``election.json`` and the list of files it must hold.

Everything else depends on this reading: ``election.json`` says which bureaux and
scrutins there are, hence which files are expected; a file missing, unexpected, not
JSON or moved from another bureau or scrutin is reported here once, and the checks
that would need it are skipped.
"""

import json
import zipfile
from typing import Any

from isoloir.crypto.manifeste import lire_json
from isoloir.verification import format as f
from isoloir.verification.etat import _Bureau, _Etat, _Liste, _Scrutin
from isoloir.verification.lecture import _champ, _date, _entier, _liste, _Malforme, _objet, _texte

# An archive entry larger than this is refused before it is read (a ZIP bomb would
# otherwise fill the memory): far above 1.4 million ballots of a few kilobytes.
TAILLE_MAXIMALE = 8 * 1024**3


def lire(etat: _Etat) -> bool:
    controle = "Archive"
    if not etat.chemin.is_file():
        etat.echec(controle, f"Archive introuvable : {etat.chemin}.")
        return False
    try:
        with zipfile.ZipFile(etat.chemin) as archive:
            entrees = [i for i in archive.infolist() if not i.is_dir()]
            noms = [i.filename for i in entrees]
            doubles = sorted({n for n in noms if noms.count(n) > 1})
            for nom in doubles:
                etat.echec(controle, f"{nom} figure plusieurs fois dans l'archive.")
            for info in entrees:
                if info.file_size > TAILLE_MAXIMALE:
                    etat.echec(controle, f"{info.filename} : fichier trop grand, non lu.")
                    continue
                try:
                    etat.fichiers[info.filename] = archive.read(info)
                except (zipfile.BadZipFile, OSError, ValueError, EOFError):
                    etat.echec(controle, f"{info.filename} : contenu corrompu dans l'archive.")
    except (zipfile.BadZipFile, OSError):
        etat.echec(controle, f"Ce fichier n'est pas une archive ZIP lisible : {etat.chemin}.")
        return False
    return True


def lire_document(etat: _Etat, nom: str, controle: str = "Archive") -> Any:
    """The parsed file, or None with a finding (missing, not UTF-8, not JSON)."""
    if nom not in etat.fichiers:
        etat.echec(controle, f"Fichier manquant : {nom}.")
        return None
    try:
        texte = etat.fichiers[nom].decode("utf-8")
    except UnicodeDecodeError:
        etat.echec(controle, f"{nom} n'est pas un texte UTF-8.")
        return None
    try:
        return lire_json(texte)
    except json.JSONDecodeError as erreur:
        etat.echec(
            controle,
            f"{nom} n'est pas du JSON valide (ligne {erreur.lineno}, colonne {erreur.colno}).",
        )
    except (ValueError, RecursionError):
        etat.echec(controle, f"{nom} n'est pas du JSON valide (clé en double ou constante).")
    return None


def lire_election(etat: _Etat) -> bool:
    controle = "Archive"
    election = lire_document(etat, f.ELECTION)
    if election is None:
        etat.echec(
            controle,
            "Sans election.json (la description de l'élection), rien d'autre ne peut être vérifié.",
        )
        return False
    try:
        _lire_election(etat, _objet(election, f.ELECTION))
    except _Malforme as erreur:
        etat.echec(controle, f"{f.ELECTION} : structure inattendue, {erreur}.")
        return False
    return True


def _lire_election(etat: _Etat, election: dict[str, Any]) -> None:
    ou = f.ELECTION
    if election.get("format") != f.FORMAT or election.get("version") != f.VERSION:
        raise _Malforme(
            f"ce n'est pas une archive « {f.FORMAT} » version {f.VERSION} "
            f"(format {election.get('format')!r}, version {election.get('version')!r})"
        )
    campagne = _objet(_champ(election, "campagne", ou), "campagne")
    etat.campagne = _texte(_champ(campagne, "slug", "campagne"), "campagne.slug")
    for k, b in enumerate(_liste(_champ(election, "bureaux", ou), "bureaux")):
        o = _objet(b, f"bureaux[{k}]")
        etat.bureaux.append(
            _Bureau(
                cle=_texte(_champ(o, "cle", f"bureaux[{k}]"), f"bureaux[{k}].cle"),
                nom=_texte(_champ(o, "nom", f"bureaux[{k}]"), f"bureaux[{k}].nom"),
                seuil_requis=_entier(_champ(o, "seuil", f"bureaux[{k}]"), f"bureaux[{k}].seuil"),
                scrutins=[
                    _texte(s, f"bureaux[{k}].scrutins")
                    for s in _liste(_champ(o, "scrutins", f"bureaux[{k}]"), "scrutins")
                ],
            )
        )
    for k, s in enumerate(_liste(_champ(election, "scrutins", ou), "scrutins")):
        o = _objet(s, f"scrutins[{k}]")
        ici = f"scrutins[{k}]"
        listes = []
        for m, li in enumerate(_liste(_champ(o, "listes", ici), f"{ici}.listes")):
            ol = _objet(li, f"{ici}.listes[{m}]")
            listes.append(
                _Liste(
                    identifiant=_entier(_champ(ol, "id", f"{ici}.listes[{m}]"), "id"),
                    sigle=_texte(_champ(ol, "sigle", f"{ici}.listes[{m}]"), "sigle"),
                    candidats=len(
                        _liste(_champ(ol, "candidats", f"{ici}.listes[{m}]"), "candidats")
                    ),
                )
            )
        etat.scrutins.append(
            _Scrutin(
                code=_texte(_champ(o, "code", ici), f"{ici}.code"),
                bureau=_texte(_champ(o, "bureau", ici), f"{ici}.bureau"),
                sieges_titulaires=_entier(
                    _champ(o, "sieges_titulaires", ici), f"{ici}.sieges_titulaires"
                ),
                manifeste_texte=_texte(_champ(o, "manifeste", ici), f"{ici}.manifeste"),
                empreinte_manifeste=_texte(
                    _champ(o, "empreinte_manifeste", ici), f"{ici}.empreinte_manifeste"
                ),
                listes=listes,
                cloture=_date(_champ(o, "cloture", ici), f"{ici}.cloture"),
                brut=o,
            )
        )
    codes = [s.code for s in etat.scrutins]
    cles = [b.cle for b in etat.bureaux]
    for nom, valeurs in (("scrutin", codes), ("bureau", cles)):
        for v in sorted({v for v in valeurs if valeurs.count(v) > 1}):
            raise _Malforme(f"le {nom} « {v} » est décrit deux fois")
    for v in [*codes, *cles]:
        if not v or "/" in v or v.startswith("."):
            raise _Malforme(f"« {v} » n'est pas un nom de fichier sûr")
    for s in etat.scrutins:
        rattache = [b.cle for b in etat.bureaux if s.code in b.scrutins]
        if rattache != [s.bureau]:
            raise _Malforme(f"le scrutin « {s.code} » n'est pas rattaché à un seul bureau")


def fichiers_attendus(etat: _Etat) -> list[str]:
    noms = [f.ELECTION]
    for b in etat.bureaux:
        noms += [f.chemin_ceremonie(b.cle), f.chemin_scellement(b.cle)]
    for s in etat.scrutins:
        noms += [
            f.chemin_urne(s.code),
            f.chemin_tableau(s.code),
            f.chemin_depouillement(s.code),
        ]
    return noms


def lire_fichiers(etat: _Etat) -> None:
    controle = "Archive"
    avant = len(etat.rapport.echecs)
    attendus = fichiers_attendus(etat)
    for nom in sorted(set(etat.fichiers) - set(attendus)):
        etat.echec(controle, f"Fichier inattendu dans l'archive : {nom}.")
    for nom in attendus[1:]:
        if nom.endswith(".jsonl"):
            if nom not in etat.fichiers:
                etat.echec(controle, f"Fichier manquant : {nom}.")
            continue
        document = lire_document(etat, nom)
        if document is None:
            continue
        # Each file says whose it is: a file moved from another bureau or scrutin is
        # not the one its name claims.
        dossier, _, base = nom.partition("/")
        champ = "bureau" if dossier in ("ceremonie", "scellement") else "scrutin"
        proprietaire = base.removesuffix(".json")
        if not isinstance(document, dict) or document.get(champ) != proprietaire:
            etat.echec(controle, f"{nom} n'est pas celui du {champ} « {proprietaire} ».")
            continue
        etat.documents[nom] = document
    if len(etat.rapport.echecs) == avant:
        etat.ok(
            controle,
            f"Archive lisible et complète : {len(attendus)} fichiers, {len(etat.bureaux)} "
            f"bureau(x) de vote, {len(etat.scrutins)} scrutin(s).",
        )
