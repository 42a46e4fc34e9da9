"""The report of an import: errors by line and column, the differences with the roll."""

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from isoloir.core.dates import date_fr
from isoloir.core.lecture_csv import ENCODAGES, ErreurDeLigne, libelle_separateur

# Beyond this many errors the rest are counted, not listed: a file in the wrong format can
# give one error per row, and a roll has up to a million rows.
ERREURS_LISTEES_MAX = 1000
# Rows shown per kind of difference: enough to recognise the file, not the whole roll.
ECHANTILLON_MAX = 10
CATEGORIES = ("ajoutes", "modifies", "retires", "inchanges")
LIBELLES_CATEGORIES = {
    "ajoutes": "Électeurs ajoutés",
    "modifies": "Électeurs modifiés",
    "retires": "Électeurs retirés",
    "inchanges": "Électeurs inchangés",
}


@dataclass(frozen=True)
class RetraitReclame:
    """An inscription the file would remove though an accepted claim added it."""

    nom: str
    prenoms: str
    etablissement: str
    scrutin: str  # code
    intitule: str
    reclamation: str  # the claimant's receipt number, « R-2026-00042 »
    decidee_le: datetime


@dataclass
class RapportImport:
    """What a check found, or what an application did: the same counts, so that the dry
    run and the real import can be compared figure by figure.

    Voters are counted against the campaign's roll: *ajoutés* were on none of its scrutins,
    *retirés* are on the roll and absent from the file (they lose their inscriptions to
    this campaign, their account stays), *modifiés* changed an identity field, their
    e-mail or their scrutins. ``par_scrutin`` maps a scrutin's code to the inscriptions
    added and removed there.
    """

    simulation: bool
    encodage: str = ""
    separateur: str = ""
    lignes_lues: int = 0
    erreurs: list[ErreurDeLigne] = field(default_factory=list)
    nombre_erreurs: int = 0
    avertissements: list[str] = field(default_factory=list)
    electeurs_ajoutes: int = 0
    electeurs_crees: int = 0  # among the added: accounts that did not exist at all
    electeurs_modifies: int = 0
    electeurs_retires: int = 0
    electeurs_inchanges: int = 0
    inscriptions_ajoutees: int = 0
    inscriptions_retirees: int = 0
    par_scrutin: dict[str, list[int]] = field(default_factory=dict)
    champs_modifies: dict[str, int] = field(default_factory=dict)
    echantillons: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # Of the removals the check found, the inscriptions an accepted claim added and no
    # file has listed since (comparaison.inscriptions_reclamees), all of them, by name:
    # the administrator chooses to keep them or not before applying.
    retraits_reclames: list[dict[str, Any]] = field(default_factory=list)
    # What the application kept of those, at the administrator's choice.
    inscriptions_conservees: int = 0

    @property
    def refuse(self) -> bool:
        return self.nombre_erreurs > 0

    @property
    def libelle_encodage(self) -> str:
        return ENCODAGES.get(self.encodage, "")

    @property
    def libelle_separateur(self) -> str:
        return libelle_separateur(self.separateur)

    @property
    def erreurs_non_listees(self) -> int:
        return self.nombre_erreurs - len(self.erreurs)

    @property
    def changements(self) -> int:
        return self.electeurs_ajoutes + self.electeurs_modifies + self.electeurs_retires

    def signaler(self, ligne: int, colonne: str, raison: str) -> None:
        self.nombre_erreurs += 1
        if len(self.erreurs) < ERREURS_LISTEES_MAX:
            self.erreurs.append(ErreurDeLigne(ligne, colonne, raison))

    def noter(self, categorie: str, exemple: dict[str, Any] | None = None) -> None:
        """Count one voter in ``categorie``, keeping the first few as examples."""
        nom = f"electeurs_{categorie}"
        setattr(self, nom, getattr(self, nom) + 1)
        if exemple is not None and categorie != "inchanges":
            exemples = self.echantillons.setdefault(categorie, [])
            if len(exemples) < ECHANTILLON_MAX:
                exemples.append(exemple)

    def inscriptions(self, code: str, *, ajoutees: int = 0, retirees: int = 0) -> None:
        if not (ajoutees or retirees):
            return
        compte = self.par_scrutin.setdefault(code, [0, 0])
        compte[0] += ajoutees
        compte[1] += retirees
        self.inscriptions_ajoutees += ajoutees
        self.inscriptions_retirees += retirees

    def categories(self) -> list[dict[str, Any]]:
        """Each kind of difference with its count and examples, for the pages."""
        return [
            {
                "cle": cle,
                "libelle": LIBELLES_CATEGORIES[cle],
                "nombre": getattr(self, f"electeurs_{cle}"),
                "exemples": self.echantillons.get(cle, []),
            }
            for cle in CATEGORIES
        ]

    def retraits_par_reclamation(self) -> list[RetraitReclame]:
        return [
            RetraitReclame(
                nom=r["nom"],
                prenoms=r["prenoms"],
                etablissement=r["etablissement"],
                scrutin=r["scrutin"],
                intitule=r["intitule"],
                reclamation=r["reclamation"],
                decidee_le=datetime.fromisoformat(r["decidee_le"]),
            )
            for r in self.retraits_reclames
        ]

    def scrutins(self) -> list[tuple[str, int, int]]:
        return sorted((code, a, r) for code, (a, r) in self.par_scrutin.items())

    def vers_json(self) -> dict[str, Any]:
        donnees = dataclasses.asdict(self)
        donnees["erreurs"] = [[e.ligne, e.colonne, e.raison] for e in self.erreurs]
        return donnees

    @classmethod
    def depuis_json(cls, donnees: dict[str, Any]) -> "RapportImport":
        if not donnees:
            return cls(simulation=True)
        connus = {f.name for f in dataclasses.fields(cls)}
        valeurs = {k: v for k, v in donnees.items() if k in connus}
        valeurs["erreurs"] = [ErreurDeLigne(*e) for e in donnees.get("erreurs", [])]
        return cls(**valeurs)

    def resume(self) -> list[str]:
        """The report in French sentences, errors excepted, for the command line."""
        lignes: list[str] = []
        if self.encodage:
            lignes.append(
                f"Fichier lu : {self.lignes_lues} ligne(s) d'électeurs, encodage "
                f"{self.libelle_encodage}, séparateur « {self.libelle_separateur} »."
            )
        lignes += self.avertissements
        if self.refuse:
            lignes.append(
                f"Import refusé : {self.nombre_erreurs} erreur(s). Rien n'a été enregistré."
            )
            return lignes
        lignes.append(
            "Simulation : rien n'a été enregistré. Voici ce que l'import ferait."
            if self.simulation
            else "Import enregistré."
        )
        lignes += [
            f"Électeurs ajoutés : {self.electeurs_ajoutes} (dont comptes créés : "
            f"{self.electeurs_crees})",
            f"Électeurs modifiés : {self.electeurs_modifies}",
            f"Électeurs retirés : {self.electeurs_retires}",
            f"Électeurs inchangés : {self.electeurs_inchanges}",
            f"Inscriptions ajoutées : {self.inscriptions_ajoutees}",
            f"Inscriptions retirées : {self.inscriptions_retirees}",
        ]
        lignes += [
            f"  {code} : +{ajoutees} / -{retirees}" for code, ajoutees, retirees in self.scrutins()
        ]
        if self.retraits_reclames:
            n = len(self.retraits_reclames)
            if self.simulation:
                lignes.append(
                    f"Attention : le fichier retire {n} inscription(s) ajoutée(s) par une "
                    "réclamation acceptée ; l'import les conserve, sauf avec "
                    "--retirer-inscrits-par-reclamation :"
                )
            elif self.inscriptions_conservees:
                lignes.append(
                    f"Inscriptions ajoutées par une réclamation acceptée, absentes du fichier, "
                    f"conservées : {n}"
                )
            else:
                lignes.append(
                    f"Inscriptions ajoutées par une réclamation acceptée retirées comme le "
                    f"fichier : {n}"
                )
            lignes += [
                f"  {r.nom} {r.prenoms}, {r.scrutin} : réclamation {r.reclamation} acceptée le "
                f"{date_fr(r.decidee_le)}"
                for r in self.retraits_par_reclamation()
            ]
        return lignes
