"""The report of an import: errors by line and column, counts, warnings."""

from dataclasses import dataclass, field

ENCODAGES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 avec BOM", "cp1252": "Windows-1252"}
# Beyond this many errors the rest are counted, not listed: a file in the wrong format can
# give one error per row, and a roll has up to a million rows.
ERREURS_LISTEES_MAX = 1000


@dataclass(frozen=True)
class ErreurImport:
    ligne: int  # physical line of the file, 1 being the header; 0 for the file as a whole
    colonne: str  # empty when the error concerns the whole line
    raison: str

    def __str__(self) -> str:
        lieu = f"ligne {self.ligne}" if self.ligne else "fichier"
        if self.colonne:
            lieu += f", colonne {self.colonne}"
        return f"{lieu} : {self.raison}"


@dataclass
class RapportImport:
    simulation: bool
    encodage: str = ""
    separateur: str = ""
    lignes_lues: int = 0
    erreurs: list[ErreurImport] = field(default_factory=list)
    nombre_erreurs: int = 0
    avertissements: list[str] = field(default_factory=list)
    electeurs_crees: int = 0
    electeurs_mis_a_jour: int = 0
    electeurs_inchanges: int = 0
    inscriptions_ajoutees: int = 0
    inscriptions_retirees: int = 0

    @property
    def refuse(self) -> bool:
        return self.nombre_erreurs > 0

    @property
    def libelle_encodage(self) -> str:
        return ENCODAGES.get(self.encodage, "")

    @property
    def erreurs_non_listees(self) -> int:
        return self.nombre_erreurs - len(self.erreurs)

    def signaler(self, ligne: int, colonne: str, raison: str) -> None:
        self.nombre_erreurs += 1
        if len(self.erreurs) < ERREURS_LISTEES_MAX:
            self.erreurs.append(ErreurImport(ligne, colonne, raison))

    def resume(self) -> list[str]:
        """The report in French sentences, errors excepted, for the command line."""
        lignes: list[str] = []
        if self.encodage:
            lignes.append(
                f"Fichier lu : {self.lignes_lues} ligne(s) d'électeurs, encodage "
                f"{self.libelle_encodage}, séparateur « {self.separateur} »."
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
            f"Électeurs créés : {self.electeurs_crees}",
            f"Électeurs mis à jour : {self.electeurs_mis_a_jour}",
            f"Électeurs inchangés : {self.electeurs_inchanges}",
            f"Inscriptions ajoutées : {self.inscriptions_ajoutees}",
            f"Inscriptions retirées : {self.inscriptions_retirees}",
        ]
        return lignes
