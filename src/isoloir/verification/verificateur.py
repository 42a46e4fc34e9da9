"""``isoloir verify``: every check of an election redone from its public archive alone.

No database, no Django, nothing trusted from the server: the key is recomputed from the
ceremony's messages, each ballot's proofs are checked against the manifest, the board's
fingerprint, the encrypted sums, each decryption share's proof, the counts, the seed of
the drawing of lots and the seats are all recomputed and compared with what the archive
claims. Each finding says which file, which scrutin, which element, which holder or which
ballot tracker (docs/verification.md).

The checks go on after a failure wherever what they need is still sound, so that one
run lists every fault; a check whose input is missing is skipped, its cause being
reported already.
"""

import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from isoloir.counting import sieges
from isoloir.crypto import seuil, tableau
from isoloir.crypto.bulletin import BulletinInvalide, BulletinVerifie, traceur, verifier_bulletin
from isoloir.crypto.elgamal import Chiffre, somme_des_choix
from isoloir.crypto.manifeste import (
    VOTE_BLANC,
    Manifeste,
    ManifesteInvalide,
    lire_json,
    lire_manifeste,
)
from isoloir.crypto.seuil.signature import (
    SignatureScellement,
    empreinte_du_contenu,
    verifier_signature_scellement,
)
from isoloir.verification import format as f
from isoloir.verification.rapport import Constat, Rapport

# An archive entry larger than this is refused before it is read (a ZIP bomb would
# otherwise fill the memory): far above 1.4 million ballots of a few kilobytes.
TAILLE_MAXIMALE = 8 * 1024**3

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


class _Malforme(Exception):
    """A file whose structure is not the archive's (a field missing, of the wrong type)."""


def _en_utc(moment: datetime) -> str:
    """The manifest's own form of an instant: UTC, to the second, with "Z". An archive may
    write its instants with any offset: they are compared once in UTC."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _objet(valeur: object, ou: str) -> dict[str, Any]:
    if not isinstance(valeur, dict):
        raise _Malforme(f"{ou} devrait être un objet JSON")
    return valeur


def _champ(objet: dict[str, Any], cle: str, ou: str) -> Any:
    if cle not in objet:
        raise _Malforme(f"le champ « {cle} » manque dans {ou}")
    return objet[cle]


def _liste(valeur: object, ou: str) -> list[Any]:
    if not isinstance(valeur, list):
        raise _Malforme(f"{ou} devrait être une liste")
    return valeur


def _texte(valeur: object, ou: str) -> str:
    if not isinstance(valeur, str):
        raise _Malforme(f"{ou} devrait être un texte")
    return valeur


def _entier(valeur: object, ou: str) -> int:
    if type(valeur) is not int or valeur < 0:
        raise _Malforme(f"{ou} devrait être un entier positif ou nul")
    return valeur


def _date(valeur: object, ou: str) -> datetime:
    try:
        moment = datetime.fromisoformat(_texte(valeur, ou))
    except ValueError:
        raise _Malforme(f"{ou} devrait être une date ISO 8601") from None
    if moment.tzinfo is None:
        raise _Malforme(f"{ou} devrait porter son fuseau horaire")
    return moment


def _court(empreinte: str) -> str:
    return empreinte[:16] + "…"


@dataclass(frozen=True)
class _Liste:
    identifiant: int
    sigle: str
    candidats: int


@dataclass
class _Scrutin:
    code: str
    bureau: str
    sieges_titulaires: int
    manifeste_texte: str
    empreinte_manifeste: str
    listes: list[_Liste]
    cloture: datetime
    brut: dict[str, Any]
    manifeste: Manifeste | None = None
    # Filled by the urne's check: every line's tracker, and the ballots that verify.
    traceurs: list[str] | None = None
    valides: list[BulletinVerifie] = field(default_factory=list)
    bulletins_sains: bool = False
    inscrits_scelles: int | None = None


@dataclass
class _Bureau:
    cle: str
    nom: str
    seuil_requis: int
    scrutins: list[str]
    # The key recomputed from the ceremony's messages (never the published one).
    cle_seuil: seuil.CleSeuil | None = None
    roles: dict[int, str] = field(default_factory=dict)


class _Verification:
    def __init__(self, chemin: Path) -> None:
        self.chemin = chemin
        self.rapport = Rapport(str(chemin))
        self.fichiers: dict[str, bytes] = {}
        self.documents: dict[str, Any] = {}
        self.campagne = ""
        self.bureaux: list[_Bureau] = []
        self.scrutins: list[_Scrutin] = []

    # --- findings -----------------------------------------------------------------------

    def ok(self, controle: str, message: str) -> None:
        self.rapport.constats.append(Constat(controle, True, message))

    def echec(self, controle: str, message: str) -> None:
        self.rapport.constats.append(Constat(controle, False, message))

    def garde(self, controle: str, fichier: str, verification: Callable[[], None]) -> None:
        """Runs one group of checks; a file not shaped like the archive's is a finding."""
        try:
            verification()
        except _Malforme as erreur:
            self.echec(controle, f"{fichier} : structure inattendue, {erreur}.")
        except seuil.ErreurSeuil as erreur:
            self.echec(controle, f"{fichier} : donnée cryptographique mal formée ({erreur}).")
        except (ValueError, TypeError, KeyError, AttributeError, IndexError) as erreur:
            # Whatever a tampered file holds, the verifier reports it and goes on.
            self.echec(
                controle, f"{fichier} : structure inattendue ({type(erreur).__name__} : {erreur})."
            )

    # --- 1. the archive -----------------------------------------------------------------

    def lire(self) -> bool:
        controle = "Archive"
        if not self.chemin.is_file():
            self.echec(controle, f"Archive introuvable : {self.chemin}.")
            return False
        try:
            with zipfile.ZipFile(self.chemin) as archive:
                entrees = [i for i in archive.infolist() if not i.is_dir()]
                noms = [i.filename for i in entrees]
                doubles = sorted({n for n in noms if noms.count(n) > 1})
                for nom in doubles:
                    self.echec(controle, f"{nom} figure plusieurs fois dans l'archive.")
                for info in entrees:
                    if info.file_size > TAILLE_MAXIMALE:
                        self.echec(controle, f"{info.filename} : fichier trop grand, non lu.")
                        continue
                    try:
                        self.fichiers[info.filename] = archive.read(info)
                    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
                        self.echec(controle, f"{info.filename} : contenu corrompu dans l'archive.")
        except (zipfile.BadZipFile, OSError):
            self.echec(controle, f"Ce fichier n'est pas une archive ZIP lisible : {self.chemin}.")
            return False
        return True

    def lire_json(self, nom: str, controle: str = "Archive") -> Any:
        """The parsed file, or None with a finding (missing, not UTF-8, not JSON)."""
        if nom not in self.fichiers:
            self.echec(controle, f"Fichier manquant : {nom}.")
            return None
        try:
            texte = self.fichiers[nom].decode("utf-8")
        except UnicodeDecodeError:
            self.echec(controle, f"{nom} n'est pas un texte UTF-8.")
            return None
        try:
            return lire_json(texte)
        except json.JSONDecodeError as erreur:
            self.echec(
                controle,
                f"{nom} n'est pas du JSON valide (ligne {erreur.lineno}, colonne {erreur.colno}).",
            )
        except (ValueError, RecursionError):
            self.echec(controle, f"{nom} n'est pas du JSON valide (clé en double ou constante).")
        return None

    def lire_election(self) -> bool:
        controle = "Archive"
        election = self.lire_json(f.ELECTION)
        if election is None:
            self.echec(
                controle,
                "Sans election.json (la description de l'élection), rien d'autre ne peut être "
                "vérifié.",
            )
            return False
        try:
            self._lire_election(_objet(election, f.ELECTION))
        except _Malforme as erreur:
            self.echec(controle, f"{f.ELECTION} : structure inattendue, {erreur}.")
            return False
        return True

    def _lire_election(self, election: dict[str, Any]) -> None:
        ou = f.ELECTION
        if election.get("format") != f.FORMAT or election.get("version") != f.VERSION:
            raise _Malforme(
                f"ce n'est pas une archive « {f.FORMAT} » version {f.VERSION} "
                f"(format {election.get('format')!r}, version {election.get('version')!r})"
            )
        campagne = _objet(_champ(election, "campagne", ou), "campagne")
        self.campagne = _texte(_champ(campagne, "slug", "campagne"), "campagne.slug")
        for k, b in enumerate(_liste(_champ(election, "bureaux", ou), "bureaux")):
            o = _objet(b, f"bureaux[{k}]")
            self.bureaux.append(
                _Bureau(
                    cle=_texte(_champ(o, "cle", f"bureaux[{k}]"), f"bureaux[{k}].cle"),
                    nom=_texte(_champ(o, "nom", f"bureaux[{k}]"), f"bureaux[{k}].nom"),
                    seuil_requis=_entier(
                        _champ(o, "seuil", f"bureaux[{k}]"), f"bureaux[{k}].seuil"
                    ),
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
            self.scrutins.append(
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
        codes = [s.code for s in self.scrutins]
        cles = [b.cle for b in self.bureaux]
        for nom, valeurs in (("scrutin", codes), ("bureau", cles)):
            for v in sorted({v for v in valeurs if valeurs.count(v) > 1}):
                raise _Malforme(f"le {nom} « {v} » est décrit deux fois")
        for v in [*codes, *cles]:
            if not v or "/" in v or v.startswith("."):
                raise _Malforme(f"« {v} » n'est pas un nom de fichier sûr")
        for s in self.scrutins:
            rattache = [b.cle for b in self.bureaux if s.code in b.scrutins]
            if rattache != [s.bureau]:
                raise _Malforme(f"le scrutin « {s.code} » n'est pas rattaché à un seul bureau")

    def attendus(self) -> list[str]:
        noms = [f.ELECTION]
        for b in self.bureaux:
            noms += [f.chemin_ceremonie(b.cle), f.chemin_scellement(b.cle)]
        for s in self.scrutins:
            noms += [
                f.chemin_urne(s.code),
                f.chemin_tableau(s.code),
                f.chemin_depouillement(s.code),
            ]
        return noms

    def lire_fichiers(self) -> None:
        controle = "Archive"
        avant = len(self.rapport.echecs)
        attendus = self.attendus()
        for nom in sorted(set(self.fichiers) - set(attendus)):
            self.echec(controle, f"Fichier inattendu dans l'archive : {nom}.")
        for nom in attendus[1:]:
            if nom.endswith(".jsonl"):
                if nom not in self.fichiers:
                    self.echec(controle, f"Fichier manquant : {nom}.")
                continue
            document = self.lire_json(nom)
            if document is None:
                continue
            # Each file says whose it is: a file moved from another bureau or scrutin is
            # not the one its name claims.
            dossier, _, base = nom.partition("/")
            champ = "bureau" if dossier in ("ceremonie", "scellement") else "scrutin"
            proprietaire = base.removesuffix(".json")
            if not isinstance(document, dict) or document.get(champ) != proprietaire:
                self.echec(controle, f"{nom} n'est pas celui du {champ} « {proprietaire} ».")
                continue
            self.documents[nom] = document
        if len(self.rapport.echecs) == avant:
            self.ok(
                controle,
                f"Archive lisible et complète : {len(attendus)} fichiers, {len(self.bureaux)} "
                f"bureau(x) de vote, {len(self.scrutins)} scrutin(s).",
            )

    # --- 2. manifests -------------------------------------------------------------------

    def verifier_manifeste(self, s: _Scrutin) -> None:
        controle = f"Manifeste du scrutin {s.code}"
        self.garde(controle, f.ELECTION, lambda: self._manifeste(s, controle))

    def _manifeste(self, s: _Scrutin, controle: str) -> None:
        ou = f"{f.ELECTION}, scrutin {s.code}"
        try:
            manifeste = lire_manifeste(s.manifeste_texte)
        except ManifesteInvalide as erreur:
            self.echec(controle, f"{ou} : le manifeste est mal formé ({erreur}).")
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
        if contenu["campagne"] != self.campagne:
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
            self.echec(controle, f"{ou} : manifeste non conforme, {defaut}.")
        s.manifeste = manifeste
        if not defauts:
            self.ok(
                controle,
                f"{ou} : manifeste bien formé, empreinte {_court(manifeste.empreinte_hex)} "
                f"recalculée, {len(manifeste.choix)} choix (vote blanc et listes).",
            )

    # --- 3. key ceremony ----------------------------------------------------------------

    def verifier_ceremonie(self, b: _Bureau) -> None:
        fichier = f.chemin_ceremonie(b.cle)
        controle = f"Cérémonie des clés — {b.nom}"
        if fichier not in self.documents:
            return
        self.garde(controle, fichier, lambda: self._ceremonie(b, fichier, controle))

    def _ceremonie(self, b: _Bureau, fichier: str, controle: str) -> None:
        doc = _objet(self.documents[fichier], fichier)
        contexte = seuil.Contexte.depuis_dict(_champ(doc, "contexte", fichier))
        attendu = f"{self.campagne}/{b.cle}"
        if contexte.identifiant != attendu:
            self.echec(
                controle,
                f"{fichier} : la cérémonie est celle de « {contexte.identifiant} », pas du "
                f"bureau « {attendu} ».",
            )
        if contexte.seuil != b.seuil_requis:
            self.echec(
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
            self.echec(
                controle, f"{fichier} : les rôles des {n} détenteurs ne sont pas tous donnés."
            )
        elif not set(b.roles.values()) <= {"president", "secretaire", "delegue"}:
            self.echec(controle, f"{fichier} : un détenteur a un rôle inconnu.")
        elif list(b.roles.values()).count("president") != 1:
            self.echec(controle, f"{fichier} : le président doit détenir une clé, et lui seul.")
        elif 3 * list(b.roles.values()).count("delegue") < 2 * n:
            self.echec(
                controle,
                f"{fichier} : moins des deux tiers des clés sont détenues par des délégués de "
                "liste.",
            )

        # Dealers: each message checked on its own; a failing one is out of the key.
        distributions: list[seuil.Distribution] = []
        valides: dict[int, seuil.Distribution] = {}
        publiees = _liste(_champ(doc, "distributions", fichier), "distributions")
        if len(publiees) != n:
            self.echec(
                controle, f"{fichier} : {len(publiees)} distributions publiées pour {n} détenteurs."
            )
        for k, brute in enumerate(publiees, start=1):
            try:
                d = seuil.Distribution.depuis_dict(brute, f"distributions[{k - 1}]")
            except seuil.ErreurSeuil as erreur:
                self.echec(
                    controle, f"{fichier} : la distribution n° {k} est illisible ({erreur})."
                )
                continue
            if d.detenteur != k:
                self.echec(
                    controle,
                    f"{fichier} : la distribution n° {k} se dit celle du détenteur {d.detenteur}.",
                )
                continue
            distributions.append(d)
            if seuil.verifier_distribution(contexte, d):
                valides[k] = d
                self.ok(
                    controle,
                    f"{fichier} : distribution du détenteur {k} vérifiée ({len(d.engagements)} "
                    f"engagements, preuve de connaissance, {len(d.parts)} parts chiffrées).",
                )
            else:
                self.echec(
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
                self.echec(controle, f"{fichier} : réception en double ou d'un inconnu ({j}).")
                continue
            vus.add(j)
            for m, brute in enumerate(_liste(_champ(o, "plaintes", "receptions"), "plaintes")):
                p = seuil.Plainte.depuis_dict(brute, f"receptions[{k}].plaintes[{m}]")
                qui = f"la plainte du détenteur {p.plaignant} contre le détenteur {p.accuse}"
                if p.plaignant != j:
                    self.echec(controle, f"{fichier} : {qui} est publiée par le détenteur {j}.")
                    continue
                plaintes.append(p)
                accusee = valides.get(p.accuse)
                if accusee is None:
                    self.ok(controle, f"{fichier} : {qui} vise un détenteur déjà écarté.")
                elif seuil.plainte_fondee(contexte, accusee, p):
                    self.ok(
                        controle,
                        f"{fichier} : {qui} est fondée ; le détenteur {p.accuse} est écarté.",
                    )
                else:
                    self.echec(
                        controle,
                        f"{fichier} : {qui} n'est pas fondée (sa preuve ne se vérifie pas, ou "
                        "la part visée est bonne) : accusation fausse.",
                    )
        manquantes = sorted(set(range(1, n + 1)) - vus)
        if manquantes:
            self.echec(
                controle,
                f"{fichier} : pas de réception publiée par le(s) détenteur(s) "
                f"{', '.join(map(str, manquantes))}.",
            )
        elif not plaintes:
            self.ok(controle, f"{fichier} : les {n} détenteurs ont reçu leurs parts, sans plainte.")

        # The key, recomputed from the messages alone, against the published one.
        try:
            cle = seuil.etablir_cle(contexte, distributions, plaintes)
        except seuil.CeremonieInvalide as erreur:
            self.echec(
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
        qualifies = [
            q.get("detenteur") for q in publiee.get("qualifies", []) if isinstance(q, dict)
        ]
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
            self.echec(controle, f"{fichier} : {defaut}.")
        if not defauts:
            self.ok(
                controle,
                f"{fichier} : clé de l'élection recalculée, égale à la clé publiée "
                f"({_court(cle.cle_publique.hex())}) ; détenteurs qualifiés "
                f"{', '.join(map(str, cle.qualifies))} ; empreinte de la clé "
                f"{_court(cle.empreinte.hex())}",
            )
        for s in self.scrutins:
            if s.bureau != b.cle or s.manifeste is None:
                continue
            if s.manifeste.cle_publique == cle.cle_publique:
                self.ok(
                    controle,
                    f"{f.ELECTION} : le manifeste du scrutin {s.code} porte la clé du bureau.",
                )
            else:
                self.echec(
                    controle,
                    f"{f.ELECTION} : le manifeste du scrutin {s.code} porte la clé "
                    f"{_court(s.manifeste.cle_publique.hex())}, pas celle du bureau "
                    f"({_court(cle.cle_publique.hex())}).",
                )

    # --- 4. seal --------------------------------------------------------------------------

    def verifier_scellement(self, b: _Bureau) -> None:
        fichier = f.chemin_scellement(b.cle)
        controle = f"Scellement — {b.nom}"
        if fichier not in self.documents:
            return
        if b.cle_seuil is None:
            self.echec(controle, f"{fichier} : non vérifiable sans la clé du bureau.")
            return
        cle = b.cle_seuil
        self.garde(controle, fichier, lambda: self._scellement(b, cle, fichier, controle))

    def _scellement(self, b: _Bureau, cle: seuil.CleSeuil, fichier: str, controle: str) -> None:
        doc = _objet(self.documents[fichier], fichier)
        contenu = _objet(_champ(doc, "contenu", fichier), "contenu")
        empreinte = empreinte_du_contenu(contenu)
        publiee = _champ(doc, "empreinte", fichier)
        if publiee != empreinte.hex():
            self.echec(
                controle,
                f"{fichier} : l'empreinte du scellement ({_court(str(publiee))}) n'est pas le "
                f"SHA-256 de son contenu ({_court(empreinte.hex())}) : le contenu a été modifié.",
            )
        else:
            self.ok(
                controle, f"{fichier} : empreinte {_court(empreinte.hex())} du contenu recalculée."
            )

        # Signatures: against the contents as they are, each with its holder's Y_j.
        signataires: list[int] = []
        for k, brute in enumerate(_liste(_champ(doc, "signatures", fichier), "signatures")):
            signature = SignatureScellement.depuis_dict(brute, f"signatures[{k}]")
            j = signature.detenteur
            role = {"president": "président", "delegue": "délégué"}.get(
                b.roles.get(j, ""), "détenteur"
            )
            if verifier_signature_scellement(cle, signature, empreinte):
                signataires.append(j)
                self.ok(controle, f"{fichier} : signature du détenteur {j} ({role}) vérifiée.")
            else:
                self.echec(
                    controle,
                    f"{fichier} : la signature du détenteur {j} ({role}) ne se vérifie pas.",
                )
        roles = [b.roles.get(j) for j in set(signataires)]
        if "president" not in roles or "delegue" not in roles:
            self.echec(
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
        if contenu.get("campagne") != self.campagne:
            defauts.append(f"la campagne scellée n'est pas « {self.campagne} »")
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
        for s in self.scrutins:
            o = scelles.get(s.code)
            if s.bureau != b.cle or o is None or s.manifeste is None:
                continue
            defauts += self._scrutin_scelle(s, o, cle)
        scelle_le = _date(_champ(doc, "scelle_le", fichier), "scelle_le")
        ouvertures = [
            json.loads(s.manifeste_texte)["ouverture"]
            for s in self.scrutins
            if s.bureau == b.cle and s.manifeste is not None
        ]
        if any(_en_utc(scelle_le) >= o for o in ouvertures):
            defauts.append("le bureau a été scellé après l'ouverture du vote")
        for defaut in defauts:
            self.echec(controle, f"{fichier} : contenu non conforme à l'archive, {defaut}.")
        if not defauts:
            logiciel = contenu.get("logiciel")
            logiciel = logiciel if isinstance(logiciel, dict) else {}
            self.ok(
                controle,
                f"{fichier} : contenu scellé avant l'ouverture du vote et conforme à l'archive "
                "(clé, bureau, scrutins, périodes de vote, sièges, manifestes, listes de "
                f"candidats) ; logiciel scellé : version {logiciel.get('version')}, empreinte "
                f"{_court(str(logiciel.get('empreinte')))}",
            )

    def _scrutin_scelle(self, s: _Scrutin, o: dict[str, Any], cle: seuil.CleSeuil) -> list[str]:
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
            defauts.append(
                f"{ici} les listes de candidats de {f.ELECTION} ne sont pas celles scellées"
            )
        electorale = o.get("liste_electorale")
        if isinstance(electorale, dict) and type(electorale.get("inscrits")) is int:
            s.inscrits_scelles = electorale["inscrits"]
        else:
            defauts.append(f"{ici} le nombre d'inscrits scellé manque")
        return defauts

    # --- 5. urne and board ----------------------------------------------------------------

    def verifier_urne(self, s: _Scrutin) -> None:
        fichier = f.chemin_urne(s.code)
        controle = f"Urne du scrutin {s.code}"
        if fichier not in self.fichiers or s.manifeste is None:
            return
        self.garde(controle, fichier, lambda: self._urne(s, fichier, controle))

    def _urne(self, s: _Scrutin, fichier: str, controle: str) -> None:
        assert s.manifeste is not None
        try:
            texte = self.fichiers[fichier].decode("utf-8")
        except UnicodeDecodeError:
            self.echec(controle, f"{fichier} n'est pas un texte UTF-8.")
            return
        lignes = texte.split("\n")
        if lignes[-1] != "":
            self.echec(controle, f"{fichier} : la dernière ligne n'est pas terminée.")
        else:
            lignes.pop()
        if not lignes or lignes[0] != f.ligne_de_manifeste(s.manifeste_texte):
            self.echec(
                controle, f"{fichier} : la première ligne n'est pas le manifeste du scrutin."
            )
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
                self.echec(
                    controle,
                    f"{ici} : bulletin invalide, {RAISONS_DU_REFUS[erreur.code]} ({erreur.code}).",
                )
                defauts += 1
                continue
            if verifie.canonique != ligne:
                self.echec(controle, f"{ici} : le bulletin n'est pas écrit sous forme canonique.")
                defauts += 1
                continue
            if t in vus:
                self.echec(
                    controle,
                    f"{fichier}, ligne {n} : le bulletin de traceur {t} figure déjà ligne "
                    f"{vus[t]} (bulletin en double).",
                )
                defauts += 1
                continue
            if verifie.alpha0 in alphas:
                self.echec(
                    controle,
                    f"{ici} : son premier chiffré α₀ est celui du bulletin de la ligne "
                    f"{alphas[verifie.alpha0]} (copie d'un bulletin).",
                )
                defauts += 1
                continue
            if t < dernier and not desordre:
                desordre = True
                self.echec(
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
            self.ok(
                controle,
                f"{fichier} : {len(s.valides)} bulletins, chacun vérifié contre le manifeste "
                "(preuves « 0 ou 1 » et de somme), aucun traceur ni α₀ en double.",
            )

    def verifier_tableau(self, s: _Scrutin) -> None:
        fichier = f.chemin_tableau(s.code)
        controle = f"Tableau d'affichage du scrutin {s.code}"
        if fichier not in self.documents:
            return
        self.garde(controle, fichier, lambda: self._tableau(s, fichier, controle))

    def _tableau(self, s: _Scrutin, fichier: str, controle: str) -> None:
        doc = _objet(self.documents[fichier], fichier)
        cloture = _objet(_champ(doc, "cloture", fichier), "cloture")
        bulletins = _entier(_champ(cloture, "bulletins", "cloture"), "cloture.bulletins")
        emargements = _entier(_champ(cloture, "emargements", "cloture"), "cloture.emargements")
        empreinte = _texte(_champ(cloture, "empreinte_urne", "cloture"), "cloture.empreinte_urne")
        if bulletins != emargements:
            self.echec(
                controle,
                f"{fichier} : la clôture compte {bulletins} bulletins pour {emargements} "
                "émargements ; ils doivent être égaux.",
            )
        if s.traceurs is not None:
            urne = f.chemin_urne(s.code)
            if len(s.traceurs) != bulletins:
                self.echec(
                    controle,
                    f"{urne} : l'urne contient {len(s.traceurs)} bulletins, la clôture en a "
                    f"compté {bulletins}.",
                )
            try:
                recalculee = tableau.empreinte_tableau(s.code, s.traceurs)
            except ValueError:
                recalculee = "(traceur mal formé)"
            if recalculee != empreinte:
                self.echec(
                    controle,
                    f"{fichier} : l'empreinte du tableau recalculée sur les traceurs de l'urne "
                    f"({_court(recalculee)}) n'est pas l'empreinte d'urne de la clôture "
                    f"({_court(empreinte)}).",
                )
            elif len(s.traceurs) == bulletins == emargements:
                self.ok(
                    controle,
                    f"{fichier} : empreinte du tableau recalculée sur les {bulletins} traceurs, "
                    f"égale à celle de la clôture ({_court(empreinte)}) ; autant de bulletins "
                    "que d'émargements.",
                )
        self._releves(s, doc, fichier, controle, empreinte)

    def _releves(
        self, s: _Scrutin, doc: dict[str, Any], fichier: str, controle: str, empreinte: str
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
                self.echec(
                    controle,
                    f"{fichier} : le relevé n° {k} ne s'enchaîne pas au précédent (numéro, "
                    "relevé précédent ou valeur recalculée).",
                )
                return
            precedent = valeur
            dernier = r
        if dernier is None or _date(dernier.get("fait_le"), "fait_le") < s.cloture:
            self.echec(controle, f"{fichier} : aucun relevé du tableau après la clôture.")
        elif dernier.get("empreinte_tableau") != empreinte:
            self.echec(
                controle,
                f"{fichier} : le dernier relevé, après la clôture, n'a pas l'empreinte d'urne de "
                "la clôture.",
            )
        else:
            self.ok(
                controle,
                f"{fichier} : {len(releves)} relevé(s) chaîné(s), le dernier fait après la "
                "clôture sur l'empreinte de la clôture.",
            )

    # --- 6. count -------------------------------------------------------------------------

    def verifier_depouillement(self, s: _Scrutin) -> None:
        fichier = f.chemin_depouillement(s.code)
        controle = f"Dépouillement du scrutin {s.code}"
        if fichier not in self.documents or s.manifeste is None:
            return
        self.garde(controle, fichier, lambda: self._depouillement(s, fichier, controle))

    def _depouillement(self, s: _Scrutin, fichier: str, controle: str) -> None:
        assert s.manifeste is not None
        doc = _objet(self.documents[fichier], fichier)
        bureau = next(b for b in self.bureaux if b.cle == s.bureau)
        bulletins = _entier(_champ(doc, "bulletins", fichier), "bulletins")
        emargements = _entier(_champ(doc, "emargements", fichier), "emargements")
        tableau_de_cloture = self.documents.get(f.chemin_tableau(s.code))
        cloture = tableau_de_cloture.get("cloture", {}) if tableau_de_cloture else {}
        if tableau_de_cloture is not None and (bulletins, emargements) != (
            cloture.get("bulletins"),
            cloture.get("emargements"),
        ):
            self.echec(
                controle,
                f"{fichier} : {bulletins} bulletins et {emargements} émargements au "
                "dépouillement, ce ne sont pas ceux de la clôture.",
            )

        # The sums, recomputed choice by choice from the ballots that verify.
        sommes = _liste(_champ(doc, "sommes", fichier), "sommes")
        chiffres = [
            Chiffre(
                alpha=bytes.fromhex(_texte(_champ(_objet(c, "somme"), "alpha", "somme"), "alpha")),
                beta=bytes.fromhex(_texte(_champ(_objet(c, "somme"), "beta", "somme"), "beta")),
            )
            for c in sommes
        ]
        recalculees = [
            {"alpha": t.alpha.hex(), "beta": t.beta.hex()}
            for t in (
                somme_des_choix(b.chiffres[k] for b in s.valides)
                for k in range(len(s.manifeste.choix))
            )
        ]
        if s.traceurs is not None:
            if len(sommes) != len(recalculees):
                self.echec(
                    controle,
                    f"{fichier} : {len(sommes)} sommes chiffrées publiées, "
                    f"{len(recalculees)} attendues.",
                )
            else:
                fausses = [k for k in range(len(sommes)) if sommes[k] != recalculees[k]]
                for k in fausses:
                    self.echec(
                        controle,
                        f"{fichier} : la somme chiffrée du choix {k} ({s.manifeste.choix[k]}) "
                        "n'est pas celle des bulletins de l'urne.",
                    )
                if not fausses:
                    self.ok(
                        controle,
                        f"{fichier} : sommes chiffrées recalculées sur les {len(s.valides)} "
                        "bulletins valides, égales aux sommes publiées.",
                    )

        # The seed: fixed from the key and the sums before any decryption.
        graine = _texte(_champ(doc, "graine", fichier), "graine")
        if bureau.cle_seuil is not None:
            attendue = f.graine(bureau.cle_seuil.empreinte.hex(), sommes)
            if graine != attendue:
                self.echec(
                    controle,
                    f"{fichier} : la graine du tirage au sort publiée ({_court(graine)}) n'est "
                    f"pas celle que donnent l'empreinte de la clé et les sommes "
                    f"({_court(attendue)}).",
                )
            else:
                self.ok(
                    controle,
                    f"{fichier} : graine du tirage au sort recalculée ({_court(graine)}).",
                )

        decomptes = self._parts(s, bureau, doc, chiffres, bulletins, fichier, controle)
        self._resultat(s, doc, decomptes, emargements, graine, fichier, controle)

    def _parts(
        self,
        s: _Scrutin,
        bureau: _Bureau,
        doc: dict[str, Any],
        chiffres: list[Chiffre],
        bulletins: int,
        fichier: str,
        controle: str,
    ) -> tuple[int, ...] | None:
        """Each decryption share's proof, then the counts they give (None if they give
        none)."""
        cle = bureau.cle_seuil
        publiees = _liste(_champ(doc, "parts", fichier), "parts")
        if cle is None:
            self.echec(controle, f"{fichier} : parts non vérifiables sans la clé du bureau.")
            return None
        if not chiffres:
            self.echec(controle, f"{fichier} : aucune somme chiffrée à déchiffrer.")
            return None
        valides: dict[int, seuil.PartDechiffrement] = {}
        for k, brute in enumerate(publiees):
            part = seuil.PartDechiffrement.depuis_dict(brute, f"parts[{k}]")
            j = part.detenteur
            if j in valides:
                self.echec(controle, f"{fichier} : deux parts du détenteur {j}.")
            elif seuil.verifier_part_dechiffrement(cle, chiffres, part):
                valides[j] = part
                self.ok(controle, f"{fichier} : part de déchiffrement du détenteur {j} vérifiée.")
            else:
                self.echec(
                    controle,
                    f"{fichier} : la part de déchiffrement du détenteur {j} ne se vérifie pas "
                    "(preuve de déchiffrement fausse).",
                )
        t = cle.contexte.seuil
        roles = [bureau.roles.get(j) for j in valides]
        if len(valides) < t:
            self.echec(
                controle,
                f"{fichier} : {len(valides)} parts de déchiffrement valides, il en faut {t} "
                "(le seuil du bureau) : le résultat ne peut pas être recalculé.",
            )
            return None
        if "president" not in roles or roles.count("delegue") < 2:
            self.echec(
                controle,
                f"{fichier} : les parts valides ne sont pas celles du président et de deux "
                "délégués de liste au moins.",
            )
        try:
            return seuil.combiner(cle, chiffres, list(valides.values()), bulletins)
        except seuil.DechiffrementRefuse as erreur:
            self.echec(controle, f"{fichier} : les parts ne donnent pas de décompte ({erreur}).")
            return None

    def _resultat(
        self,
        s: _Scrutin,
        doc: dict[str, Any],
        decomptes: tuple[int, ...] | None,
        emargements: int,
        graine: str,
        fichier: str,
        controle: str,
    ) -> None:
        resultat = _objet(_champ(doc, "resultat", fichier), "resultat")
        publiees = [_objet(x, "resultat.listes") for x in _liste(resultat.get("listes"), "listes")]
        if [(x.get("id"), x.get("sigle")) for x in publiees] != [
            (li.identifiant, li.sigle) for li in s.listes
        ]:
            raise _Malforme("les listes du résultat ne sont pas celles du scrutin")
        blancs = _entier(_champ(resultat, "blancs", "resultat"), "resultat.blancs")
        voix = [_entier(_champ(x, "voix", "resultat.listes"), "voix") for x in publiees]
        exprimes = _entier(_champ(resultat, "exprimes", "resultat"), "resultat.exprimes")
        votants = _entier(_champ(resultat, "votants", "resultat"), "resultat.votants")
        inscrits = _entier(_champ(resultat, "inscrits", "resultat"), "resultat.inscrits")
        defauts = []
        if decomptes is not None:
            noms = ["votes blancs", *(f"liste {li.sigle}" for li in s.listes)]
            for nom, publie, recalcule in zip(noms, [blancs, *voix], decomptes, strict=True):
                if publie != recalcule:
                    defauts.append(
                        f"{nom} : {publie} voix publiées, le déchiffrement en donne {recalcule}"
                    )
            if not defauts:
                self.ok(
                    controle,
                    f"{fichier} : décompte recalculé en combinant les parts ("
                    + ", ".join(f"{n} {v}" for n, v in zip(noms, decomptes, strict=True))
                    + ") : égal au résultat publié.",
                )
        if exprimes != sum(voix):
            defauts.append(f"{exprimes} suffrages exprimés publiés pour {sum(voix)} voix")
        if blancs + exprimes != votants:
            defauts.append(f"blancs ({blancs}) + exprimés ({exprimes}) ≠ votants ({votants})")
        if votants != emargements:
            defauts.append(f"{votants} votants publiés pour {emargements} émargements")
        if s.inscrits_scelles is not None and inscrits != s.inscrits_scelles:
            defauts.append(f"{inscrits} inscrits publiés, {s.inscrits_scelles} au scellement")
        if votants > inscrits:
            defauts.append(f"plus de votants ({votants}) que d'inscrits ({inscrits})")
        parts = sorted(
            _entier(_objet(p, "part").get("detenteur"), "part.detenteur")
            for p in _liste(doc.get("parts"), "parts")
        )
        if resultat.get("detenteurs") != parts:
            defauts.append(
                f"le résultat cite les détenteurs {resultat.get('detenteurs')}, les parts "
                f"publiées sont celles de {parts}"
            )

        # Seats: the same rule, with the recorded seed, on the recomputed votes.
        departage = ""
        comptes = list(decomptes[1:]) if decomptes is not None else voix
        try:
            repartition = sieges.repartir(
                [
                    sieges.Liste(identifiant=str(li.identifiant), voix=v, candidats=li.candidats)
                    for li, v in zip(s.listes, comptes, strict=True)
                ],
                s.sieges_titulaires,
                graine=bytes.fromhex(graine),
            )
        except ValueError as erreur:
            defauts.append(f"les sièges ne peuvent pas être recalculés ({erreur})")
        else:
            egalite = repartition.egalite
            if egalite is not None and egalite.departage == "tirage":
                sigles = {str(li.identifiant): li.sigle for li in s.listes}
                departage = (
                    f" ; égalité pour le(s) siège(s) {', '.join(map(str, egalite.sieges))} "
                    f"entre {', '.join(sigles[i] for i in egalite.listes)}, tirage au sort "
                    f"refait avec la graine : {', '.join(sigles[i] for i in egalite.gagnantes)}"
                )
            for li, x in zip(s.listes, publiees, strict=True):
                attendu = repartition.sieges[str(li.identifiant)]
                if x.get("sieges") != attendu:
                    defauts.append(
                        f"liste {li.sigle} : {x.get('sieges')} siège(s) publié(s), {attendu} "
                        "recalculé(s)"
                    )
            if resultat.get("vacants") != repartition.vacants:
                defauts.append(
                    f"{resultat.get('vacants')} siège(s) vacant(s) publié(s), "
                    f"{repartition.vacants} recalculé(s)"
                )
            tirage = repartition.egalite is not None and repartition.egalite.departage == "tirage"
            if resultat.get("tirage_au_sort") != tirage:
                defauts.append("le tirage au sort publié ne correspond pas à la répartition")
        for defaut in defauts:
            self.echec(controle, f"{fichier} : résultat non conforme, {defaut}.")
        if not defauts:
            self.ok(
                controle,
                f"{fichier} : blancs + exprimés = votants = émargements ({votants}) ; sièges "
                f"recalculés avec la graine publiée : "
                + ", ".join(f"{x['sigle']} {x['sieges']}" for x in publiees)
                + f", vacants {resultat.get('vacants')}{departage}.",
            )

    # --- all ------------------------------------------------------------------------------

    def executer(self) -> Rapport:
        if not self.lire() or not self.lire_election():
            return self.rapport
        self.lire_fichiers()
        for s in self.scrutins:
            self.verifier_manifeste(s)
        for b in self.bureaux:
            self.verifier_ceremonie(b)
            self.verifier_scellement(b)
        for s in self.scrutins:
            self.verifier_urne(s)
            self.verifier_tableau(s)
            self.verifier_depouillement(s)
        return self.rapport


def verifier_archive(chemin: str | Path) -> Rapport:
    """Every check of docs/verification.md on one archive; :attr:`Rapport.ok` says
    whether all hold."""
    return _Verification(Path(chemin)).executer()
