"""Delivery of the paper notices, voter by voter (B01), and its dashboard.

Each establishment hands the notices out against signature, posts the others, and at
the end destroys the envelopes nobody collected; it then sends back its list (CSV:
professional e-mail or NUMEN, state, date). The import checks every row before writing
anything: one wrong row and nothing is written, with a French message per row. Importing
the same file twice changes nothing the second time (rows equal to what is recorded are
left alone and not counted as changes).

The NUMEN is hashed as soon as it is read and never quoted back, as in the roll import.
"""

import csv
import io
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from isoloir.accounts import numen
from isoloir.accounts.models import Electeur
from isoloir.audit.services import journaliser
from isoloir.core import adresses, clock
from isoloir.core.texte import sans_accents
from isoloir.elections.calendrier import calendrier
from isoloir.elections.models import Campagne, Inscription
from isoloir.votecode.models import CodeDeVote, EtatRemise, RemiseDeNotice

TAILLE_MAX = 64 * 1024 * 1024  # a national list of 1.4 million rows is about 60 Mo
TAILLE_LOT = 1000
ERREURS_MAX = 200  # shown; the count says how many more there were

ALIAS_DE_COLONNES = {
    "email": {
        "adresse_electronique_professionnelle",
        "adresse_electronique",
        "adresse_professionnelle",
        "email_professionnel",
        "email",
        "e_mail",
        "mail",
        "mel",
        "courriel",
        "identifiant",
    },
    "numen": {"numen"},
    "etat": {"etat", "statut", "etat_de_la_notice"},
    "date": {"date", "date_de_remise", "date_d_envoi", "date_de_l_etat"},
}
LIBELLES_DE_COLONNES = {
    "email": "adresse électronique professionnelle",
    "numen": "NUMEN",
    "etat": "état",
    "date": "date",
}
_ETATS_SAISIS = {
    "en attente": EtatRemise.EN_ATTENTE,
    "attente": EtatRemise.EN_ATTENTE,
    "en_attente": EtatRemise.EN_ATTENTE,
    "remise contre signature": EtatRemise.REMISE,
    "remise": EtatRemise.REMISE,
    "remis": EtatRemise.REMISE,
    "remise en main propre": EtatRemise.REMISE,
    "signature": EtatRemise.REMISE,
    "envoyee par la poste": EtatRemise.POSTE,
    "envoye par la poste": EtatRemise.POSTE,
    "envoyee": EtatRemise.POSTE,
    "poste": EtatRemise.POSTE,
    "postee": EtatRemise.POSTE,
    "detruite": EtatRemise.DETRUITE,
    "detruit": EtatRemise.DETRUITE,
}
_DATE_FR = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_DATE_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_CONTROLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class ErreurRemise:
    ligne: int
    colonne: str
    message: str

    def __str__(self) -> str:
        colonne = f", colonne « {self.colonne} »" if self.colonne else ""
        return f"Ligne {self.ligne}{colonne} : {self.message}"


@dataclass
class RapportRemises:
    simulation: bool
    lignes: int = 0
    erreurs: list[ErreurRemise] = field(default_factory=list)
    nombre_erreurs: int = 0
    inchangees: int = 0
    modifiees: Counter[str] = field(default_factory=Counter)  # by new state
    encodage: str = ""
    separateur: str = ""

    @property
    def refuse(self) -> bool:
        return self.nombre_erreurs > 0

    @property
    def total_modifiees(self) -> int:
        return sum(self.modifiees.values())

    def modifiees_par_libelle(self) -> list[tuple[str, int]]:
        return [(etat.label, self.modifiees[etat.value]) for etat in EtatRemise]

    def signaler(self, ligne: int, colonne: str, message: str) -> None:
        self.nombre_erreurs += 1
        if len(self.erreurs) < ERREURS_MAX:
            self.erreurs.append(ErreurRemise(ligne, LIBELLES_DE_COLONNES.get(colonne, ""), message))


@dataclass
class _Ligne:
    numero: int
    email: str
    empreinte_numen: str
    etat: str
    date: date | None
    electeur_id: int = 0
    etablissement: str = ""


class RemiseInvalide(Exception):
    """A one-by-one change the rules refuse; ``champ`` names the form's field."""

    def __init__(self, champ: str, message: str) -> None:
        super().__init__(message)
        self.champ = champ
        self.message = message


# --- Reading -------------------------------------------------------------------------------


def _decoder(contenu: bytes, rapport: RapportRemises) -> str | None:
    if b"\x00" in contenu:
        rapport.signaler(
            0,
            "",
            "Le fichier contient des octets nuls : ce n'est pas un fichier CSV texte (un "
            "export « Unicode » UTF-16, peut-être). Enregistrez-le en CSV UTF-8.",
        )
        return None
    for encodage in ("utf-8-sig", "cp1252"):
        try:
            texte = contenu.decode(encodage)
        except UnicodeDecodeError:
            continue
        rapport.encodage = "UTF-8" if encodage == "utf-8-sig" else "Windows-1252"
        return texte
    rapport.signaler(
        0, "", "Le fichier n'est ni en UTF-8 ni en Windows-1252. Enregistrez-le en CSV UTF-8."
    )
    return None


def _nom_de_colonne(entete: str) -> str:
    nom = sans_accents(entete.strip().strip("\ufeff").strip()).casefold()
    return re.sub(r"[^a-z0-9]+", "_", nom).strip("_")


def _etat(valeur: str) -> str | None:
    cle = re.sub(r"[\s_]+", " ", sans_accents(valeur).casefold()).strip(" .")
    etat = _ETATS_SAISIS.get(cle)
    return etat.value if etat else None


def _date(valeur: str) -> date | None:
    if trouve := _DATE_FR.fullmatch(valeur):
        jour, mois, annee = map(int, trouve.groups())
    elif trouve := _DATE_ISO.fullmatch(valeur):
        annee, mois, jour = map(int, trouve.groups())
    else:
        raise ValueError("Date attendue au format JJ/MM/AAAA ou AAAA-MM-JJ.")
    try:
        return date(annee, mois, jour)
    except ValueError:
        raise ValueError("Cette date n'existe pas.") from None


def _controler_date(etat: str, valeur: date | None, aujourd_hui: date) -> str | None:
    """The French message when the date does not fit the state, else None."""
    if etat == EtatRemise.EN_ATTENTE:
        return None
    if valeur is None:
        return "Date obligatoire pour une notice remise, envoyée ou détruite."
    if valeur > aujourd_hui:
        return "Date dans le futur : indiquez le jour où c'est arrivé."
    if valeur.year < 2000:
        return "Date invraisemblable."
    return None


def _lire(texte: str, rapport: RapportRemises, aujourd_hui: date) -> list[_Ligne]:
    lignes_physiques = texte.splitlines(keepends=True)
    premiere = lignes_physiques[0] if lignes_physiques else ""
    separateur = ";" if premiere.count(";") >= premiere.count(",") else ","
    rapport.separateur = separateur
    lecteur = csv.reader(io.StringIO(texte, newline=""), delimiter=separateur, strict=True)
    try:
        entete = next(lecteur, [])
    except csv.Error:
        entete = []
    colonnes = [_nom_de_colonne(c) for c in entete]
    index: dict[str, int] = {}
    for position, nom in enumerate(colonnes):
        for cle, alias in ALIAS_DE_COLONNES.items():
            if nom in alias:
                if cle in index:
                    rapport.signaler(1, cle, "Colonne présente plusieurs fois.")
                index[cle] = position
    if "email" not in index and "numen" not in index:
        rapport.signaler(
            1,
            "",
            "La première ligne doit nommer les colonnes : adresse électronique "
            "professionnelle (ou NUMEN), état, date.",
        )
    for cle in ("etat", "date"):
        if cle not in index:
            rapport.signaler(1, cle, "Colonne absente de l'en-tête.")
    if rapport.refuse:
        return []

    lignes: list[_Ligne] = []
    fin = lecteur.line_num
    while True:
        debut = fin + 1
        try:
            cellules = next(lecteur)
        except StopIteration:
            break
        except csv.Error:
            fin = lecteur.line_num
            rapport.lignes += 1
            rapport.signaler(debut, "", "Ligne illisible : guillemet non refermé.")
            continue
        fin = lecteur.line_num
        if not any(c.strip() for c in cellules):
            continue
        rapport.lignes += 1
        if len(cellules) < len(colonnes):
            cellules += [""] * (len(colonnes) - len(cellules))
        elif len(cellules) > len(colonnes) and any(c.strip() for c in cellules[len(colonnes) :]):
            rapport.signaler(
                debut,
                "",
                f"{len(cellules)} champs au lieu de {len(colonnes)} : vérifiez les "
                f"séparateurs « {separateur} » et les guillemets.",
            )
            continue
        ligne = _analyser(debut, cellules, index, rapport, aujourd_hui)
        if ligne is not None:
            lignes.append(ligne)
    if rapport.lignes == 0 and not rapport.refuse:
        rapport.signaler(1, "", "Le fichier ne contient aucune ligne, seulement l'en-tête.")
    return lignes


def _analyser(
    numero: int,
    cellules: list[str],
    index: dict[str, int],
    rapport: RapportRemises,
    aujourd_hui: date,
) -> _Ligne | None:
    avant = rapport.nombre_erreurs

    def cellule(cle: str) -> str:
        return " ".join(cellules[index[cle]].split()) if cle in index else ""

    for cle in index:
        if _CONTROLE.search(cellules[index[cle]]):
            rapport.signaler(numero, cle, "Caractère de contrôle interdit.")
    if rapport.nombre_erreurs > avant:
        return None
    email, saisie_numen = cellule("email").lower(), cellule("numen")
    empreinte = ""
    if not email and not saisie_numen:
        rapport.signaler(numero, "", "Indiquez l'adresse électronique professionnelle ou le NUMEN.")
    if email:
        try:
            adresses.valider(email)
        except ValidationError as refus:
            rapport.signaler(numero, "email", refus.messages[0])
    if saisie_numen:
        try:
            empreinte = numen.empreinte(numen.valider(saisie_numen))
        except ValidationError:
            # Never quoted back: it may be a real NUMEN with a typo.
            rapport.signaler(
                numero,
                "numen",
                "NUMEN invalide : 13 caractères attendus, 2 chiffres, 1 lettre, 7 chiffres "
                "puis 3 lettres.",
            )
    brut = cellule("etat")
    etat = _etat(brut)
    if etat is None:
        rapport.signaler(
            numero,
            "etat",
            ("État vide" if not brut else "État inconnu")
            + " : « remise contre signature », « envoyée par la poste », « détruite » ou "
            "« en attente ».",
        )
    jour: date | None = None
    if texte_date := cellule("date"):
        try:
            jour = _date(texte_date)
        except ValueError as erreur:
            rapport.signaler(numero, "date", str(erreur))
    if etat is not None and rapport.nombre_erreurs == avant:
        if etat == EtatRemise.EN_ATTENTE:
            jour = None
        elif message := _controler_date(etat, jour, aujourd_hui):
            rapport.signaler(numero, "date", message)
    if rapport.nombre_erreurs > avant or etat is None:
        return None
    return _Ligne(numero=numero, email=email, empreinte_numen=empreinte, etat=etat, date=jour)


# --- Checking against the database --------------------------------------------------------------


def _par_lots[T](elements: list[T]) -> Iterator[list[T]]:
    for debut in range(0, len(elements), TAILLE_LOT):
        yield elements[debut : debut + TAILLE_LOT]


def _resoudre(lignes: list[_Ligne], campagne: Campagne, rapport: RapportRemises) -> None:
    """Find each row's voter; report unknown voters, voters outside the campaign, voters
    without a notice, and voters listed twice."""
    par_email: dict[str, tuple[int, str]] = {}
    for lot in _par_lots(sorted({ligne.email for ligne in lignes if ligne.email})):
        for email, pk, etablissement in Electeur.objects.filter(compte__email__in=lot).values_list(
            "compte__email", "pk", "etablissement"
        ):
            par_email[email.lower()] = (pk, etablissement)
    par_numen: dict[str, tuple[int, str]] = {}
    for lot in _par_lots(
        sorted({ligne.empreinte_numen for ligne in lignes if ligne.empreinte_numen})
    ):
        for empreinte, pk, etablissement in Electeur.objects.filter(
            numen_empreinte__in=lot
        ).values_list("numen_empreinte", "pk", "etablissement"):
            par_numen[empreinte] = (pk, etablissement)

    trouvees: list[_Ligne] = []
    for ligne in lignes:
        avant = rapport.nombre_erreurs
        selon_email = par_email.get(ligne.email) if ligne.email else None
        selon_numen = par_numen.get(ligne.empreinte_numen) if ligne.empreinte_numen else None
        if ligne.email and selon_email is None:
            rapport.signaler(ligne.numero, "email", "Aucun électeur n'a cette adresse.")
        if ligne.empreinte_numen and selon_numen is None:
            rapport.signaler(ligne.numero, "numen", "Aucun électeur n'a ce NUMEN.")
        if selon_email and selon_numen and selon_email != selon_numen:
            rapport.signaler(
                ligne.numero, "numen", "L'adresse et le NUMEN désignent deux électeurs différents."
            )
        if rapport.nombre_erreurs > avant:
            continue
        ligne.electeur_id, ligne.etablissement = selon_email or selon_numen  # type: ignore[misc]
        trouvees.append(ligne)

    ids = sorted({ligne.electeur_id for ligne in trouvees})
    inscrits: set[int] = set()
    avec_code: set[int] = set()
    for ids_du_lot in _par_lots(ids):
        inscrits.update(
            Inscription.objects.filter(electeur_id__in=ids_du_lot, scrutin__campagne=campagne)
            .values_list("electeur_id", flat=True)
            .distinct()
        )
        avec_code.update(
            CodeDeVote.objects.filter(electeur_id__in=ids_du_lot).values_list(
                "electeur_id", flat=True
            )
        )
    premiere: dict[int, int] = {}
    for ligne in trouvees:
        if ligne.electeur_id not in inscrits:
            rapport.signaler(
                ligne.numero, "", "Cet électeur n'est inscrit sur aucune liste de la campagne."
            )
        elif ligne.electeur_id not in avec_code:
            rapport.signaler(
                ligne.numero, "", "Aucune notice n'a encore été générée pour cet électeur."
            )
        elif (deja := premiere.setdefault(ligne.electeur_id, ligne.numero)) != ligne.numero:
            rapport.signaler(ligne.numero, "", f"Électeur déjà présent ligne {deja}.")


# --- Import ---------------------------------------------------------------------------------


def importer_remises(
    fichier: bytes | IO[bytes],
    *,
    campagne: Campagne,
    simulation: bool,
    compte_id: int | None = None,
    ip: str = "",
) -> RapportRemises:
    """Check a delivery list and, unless ``simulation``, apply it in one transaction."""
    rapport = RapportRemises(simulation=simulation)
    contenu = fichier if isinstance(fichier, bytes) else fichier.read(TAILLE_MAX + 1)
    if len(contenu) > TAILLE_MAX:
        rapport.signaler(
            0, "", f"Fichier trop volumineux : {TAILLE_MAX // 1024 // 1024} Mo au plus."
        )
        return rapport
    texte = _decoder(contenu, rapport)
    if texte is None:
        return rapport
    if not texte.strip():
        rapport.signaler(1, "", "Le fichier est vide.")
        return rapport
    aujourd_hui = timezone.localdate(clock.now())
    lignes = _lire(texte, rapport, aujourd_hui)
    if rapport.refuse:
        return rapport
    _resoudre(lignes, campagne, rapport)
    if rapport.refuse:
        return rapport
    if simulation:
        _comparer(lignes, rapport, verrouiller=False)
        return rapport
    try:
        with transaction.atomic():
            a_creer, a_modifier = _comparer(lignes, rapport, verrouiller=True)
            RemiseDeNotice.objects.bulk_create(a_creer, batch_size=TAILLE_LOT)
            RemiseDeNotice.objects.bulk_update(
                a_modifier, ["etat", "date", "etablissement", "modifiee_le"], batch_size=TAILLE_LOT
            )
            journaliser(
                "notices.remises_importees",
                compte_id=compte_id,
                ip=ip,
                campagne=campagne.slug,
                lignes=rapport.lignes,
                inchangees=rapport.inchangees,
                **{f"etat_{etat}": n for etat, n in sorted(rapport.modifiees.items())},
            )
    except IntegrityError:
        # Another import recorded one of these voters meanwhile: nothing of this one is kept.
        rapport.modifiees.clear()
        rapport.inchangees = 0
        rapport.signaler(
            0, "", "Un autre import a modifié ces remises au même moment : relancez l'import."
        )
    return rapport


def _comparer(
    lignes: list[_Ligne], rapport: RapportRemises, *, verrouiller: bool
) -> tuple[list[RemiseDeNotice], list[RemiseDeNotice]]:
    maintenant = clock.now()
    a_creer: list[RemiseDeNotice] = []
    a_modifier: list[RemiseDeNotice] = []
    for lot in _par_lots(lignes):
        requete = RemiseDeNotice.objects.filter(
            electeur_id__in=[ligne.electeur_id for ligne in lot]
        )
        if verrouiller:
            requete = requete.select_for_update()
        existantes = {r.electeur_id: r for r in requete}
        for ligne in lot:
            remise = existantes.get(ligne.electeur_id)
            actuel = (remise.etat, remise.date) if remise else (EtatRemise.EN_ATTENTE, None)
            if actuel == (ligne.etat, ligne.date):
                rapport.inchangees += 1
                continue
            rapport.modifiees[ligne.etat] += 1
            if remise is None:
                a_creer.append(
                    RemiseDeNotice(
                        electeur_id=ligne.electeur_id,
                        etat=ligne.etat,
                        date=ligne.date,
                        etablissement=ligne.etablissement,
                        modifiee_le=maintenant,
                    )
                )
            else:
                remise.etat, remise.date = ligne.etat, ligne.date
                remise.etablissement = ligne.etablissement
                remise.modifiee_le = maintenant
                a_modifier.append(remise)
    return a_creer, a_modifier


# --- One by one -------------------------------------------------------------------------------


def remise_de(electeur: Electeur) -> RemiseDeNotice:
    """The voter's recorded delivery, or an unsaved « en attente » one."""
    try:
        return electeur.remise_de_notice  # joined by the lists' select_related
    except RemiseDeNotice.DoesNotExist:
        return RemiseDeNotice(
            electeur=electeur,
            etat=EtatRemise.EN_ATTENTE,
            etablissement=electeur.etablissement,
            modifiee_le=clock.now(),
        )


def modifier_remise(
    electeur: Electeur,
    *,
    etat: str,
    jour: date | None,
    compte_id: int | None,
    ip: str = "",
) -> bool:
    """Set one voter's delivery state from the back-office; False when nothing changed."""
    if etat not in EtatRemise.values:
        raise RemiseInvalide("etat", "Choisissez un état.")
    if not CodeDeVote.objects.filter(electeur=electeur).exists():
        raise RemiseInvalide("etat", "Aucune notice n'a encore été générée pour cet électeur.")
    if etat == EtatRemise.EN_ATTENTE:
        jour = None
    elif message := _controler_date(etat, jour, timezone.localdate(clock.now())):
        raise RemiseInvalide("date", message)
    with transaction.atomic():
        remise, _ = RemiseDeNotice.objects.select_for_update().get_or_create(
            electeur=electeur,
            defaults={"etablissement": electeur.etablissement, "modifiee_le": clock.now()},
        )
        avant = remise.etat
        if (remise.etat, remise.date) == (etat, jour):
            return False
        remise.etat, remise.date = etat, jour
        remise.etablissement = electeur.etablissement
        remise.modifiee_le = clock.now()
        remise.save()
        journaliser(
            "notices.remise_modifiee",
            compte_id=compte_id,
            ip=ip,
            electeur=electeur.pk,
            avant=avant,
            apres=etat,
        )
    return True


# --- Dashboard ------------------------------------------------------------------------------


def electeurs_de(campagne: Campagne) -> QuerySet[Electeur]:
    return Electeur.objects.filter(
        pk__in=Inscription.objects.filter(scrutin__campagne=campagne).values("electeur_id")
    )


@dataclass(frozen=True)
class LigneDuTableau:
    etablissement: str
    electeurs: int
    notices: int
    remises: int
    postees: int
    detruites: int

    @property
    def en_attente(self) -> int:
        return self.notices - self.remises - self.postees - self.detruites


def _electeurs_du_tableau(campagne: Campagne, recherche: str) -> QuerySet[Electeur]:
    electeurs = electeurs_de(campagne)
    if recherche:
        electeurs = electeurs.filter(etablissement__icontains=recherche)
    return electeurs


def _compteurs() -> dict[str, Count]:
    return {
        "total": Count("pk"),
        "notices": Count("code_de_vote"),
        "remises": Count("pk", filter=Q(remise_de_notice__etat=EtatRemise.REMISE)),
        "postees": Count("pk", filter=Q(remise_de_notice__etat=EtatRemise.POSTE)),
        "detruites": Count("pk", filter=Q(remise_de_notice__etat=EtatRemise.DETRUITE)),
    }


def lignes_du_tableau(
    campagne: Campagne, *, recherche: str = "", seulement_en_attente: bool = False
) -> QuerySet[Any, Any]:  # rows: dicts of the grouped counts (see ligne_du_tableau)
    """Counts per establishment, as a query left to the database to filter and page: a
    campaign has up to 1.4 million voters, so the dashboard never groups them all in
    Python (paged, it asks only for one page of rows and their number)."""
    lignes = (
        _electeurs_du_tableau(campagne, recherche)
        .values("etablissement")
        .annotate(**_compteurs())
        .annotate(en_attente=F("notices") - F("remises") - F("postees") - F("detruites"))
    )
    if seulement_en_attente:
        lignes = lignes.filter(en_attente__gt=0)  # a HAVING on the grouped counts
    return lignes.order_by("etablissement")


def ligne_du_tableau(ligne: dict[str, Any]) -> LigneDuTableau:
    return LigneDuTableau(
        etablissement=ligne["etablissement"],
        electeurs=ligne["total"],
        notices=ligne["notices"],
        remises=ligne["remises"],
        postees=ligne["postees"],
        detruites=ligne["detruites"],
    )


def tableau_des_remises(campagne: Campagne, *, recherche: str = "") -> list[LigneDuTableau]:
    """Counts per establishment, in one grouped query."""
    return [ligne_du_tableau(ligne) for ligne in lignes_du_tableau(campagne, recherche=recherche)]


def totaux_du_tableau(campagne: Campagne, *, recherche: str = "") -> dict[str, int]:
    """The sums of :func:`totaux` over every establishment of the dashboard, in one
    aggregate query rather than from all of its rows."""
    somme = _electeurs_du_tableau(campagne, recherche).aggregate(**_compteurs())
    ligne = ligne_du_tableau({"etablissement": "", **somme})
    return {
        "electeurs": ligne.electeurs,
        "notices": ligne.notices,
        "remises": ligne.remises,
        "postees": ligne.postees,
        "detruites": ligne.detruites,
        "en_attente": ligne.en_attente,
    }


def retard(campagne: Campagne) -> bool:
    """Past the delivery date, a notice still « en attente » is late (A04)."""
    return clock.now() > calendrier(campagne).remise_des_notices


def totaux(lignes: Iterable[LigneDuTableau]) -> dict[str, int]:
    total = Counter[str]()
    for ligne in lignes:
        total["electeurs"] += ligne.electeurs
        total["notices"] += ligne.notices
        total["remises"] += ligne.remises
        total["postees"] += ligne.postees
        total["detruites"] += ligne.detruites
        total["en_attente"] += ligne.en_attente
    return dict(total)


def electeurs_de_l_etablissement(campagne: Campagne, etablissement: str) -> QuerySet[Electeur]:
    return (
        electeurs_de(campagne)
        .filter(etablissement=etablissement)
        .select_related("compte", "remise_de_notice", "code_de_vote")
        .order_by("nom_naissance", "prenoms", "pk")
    )
