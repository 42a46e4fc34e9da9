"""What a mailing would reach, and how the campaign's mailings are going: the previews
of the confirmation step and the dashboard's counts (services.py tells the whole path)."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from isoloir.accounts.models import Electeur
from isoloir.core import horloge
from isoloir.core.progression import Barre, Progression, Valeur
from isoloir.elections.models import Campagne, Inscription
from isoloir.envois.models import EnvoiDeMasse, NatureEnvoi
from isoloir.notify.models import AdresseRejetee, Courriel, EtatCourriel

EXPLICATIONS: dict[str, str] = {
    NatureEnvoi.ACTIVATION: (
        "Le lien d'activation de leur compte, aux électeurs dont le compte n'est pas activé "
        "et qui ne l'ont pas encore reçu pour cette campagne."
    ),
    NatureEnvoi.RELANCE_ACTIVATION: (
        "Un rappel, avec un nouveau lien d'activation, à tous les électeurs dont le compte "
        "n'est toujours pas activé."
    ),
    NatureEnvoi.RELANCE_VOTE: (
        "Pendant le vote : un rappel aux électeurs qui n'ont pas encore voté dans l'un de "
        "leurs scrutins ouverts."
    ),
}
EN_COURS = (EtatCourriel.EN_ATTENTE, EtatCourriel.A_REESSAYER)


class EnvoiImpossible(ValidationError):
    pass


# --- Who gets a mailing ------------------------------------------------------------------


def inscriptions_ouvertes(maintenant: datetime) -> Q:
    """Inscriptions whose scrutin is open now: its own window, else the campaign's."""
    return Q(
        scrutin__ouverture__isnull=True,
        scrutin__campagne__ouverture__lte=maintenant,
        scrutin__campagne__cloture__gt=maintenant,
    ) | Q(scrutin__ouverture__lte=maintenant, scrutin__cloture__gt=maintenant)


def destinataires(
    campagne: Campagne, nature: str, maintenant: datetime | None = None
) -> QuerySet[Electeur]:
    """The voters a mailing of ``nature`` targets, rejected addresses included (they get
    an « écarté » row, so that the dashboard shows them)."""
    maintenant = maintenant or horloge.maintenant()
    inscriptions = Inscription.objects.filter(electeur=OuterRef("pk"), scrutin__campagne=campagne)
    electeurs = Electeur.objects.filter(Exists(inscriptions))
    if nature == NatureEnvoi.ACTIVATION:
        deja = Courriel.objects.filter(
            compte_id=OuterRef("compte_id"),
            envoi__campagne=campagne,
            envoi__nature=NatureEnvoi.ACTIVATION,
        )
        return electeurs.filter(active_le__isnull=True).exclude(Exists(deja))
    if nature == NatureEnvoi.RELANCE_ACTIVATION:
        return electeurs.filter(active_le__isnull=True)
    if nature == NatureEnvoi.RELANCE_VOTE:
        a_voter = inscriptions.filter(inscriptions_ouvertes(maintenant), emargement__isnull=True)
        return Electeur.objects.filter(Exists(a_voter))
    raise EnvoiImpossible("Type d'envoi inconnu.")


def hors_adresses_rejetees(electeurs: QuerySet[Electeur]) -> QuerySet[Electeur]:
    return electeurs.exclude(
        Exists(AdresseRejetee.objects.filter(adresse=OuterRef("compte__email")))
    )


@dataclass(frozen=True)
class Apercu:
    """What the confirmation step says before a mailing leaves."""

    nature: str
    libelle: str
    explication: str
    disponible: bool
    motif: str  # why it is not available
    destinataires: int = 0
    ecartes: int = 0


def natures_disponibles(campagne: Campagne, maintenant: datetime | None = None) -> dict[str, str]:
    """Each kind of mailing, with the reason it cannot be launched now ("" if it can)."""
    maintenant = maintenant or horloge.maintenant()
    clos = maintenant >= campagne.cloture
    vote_ouvert = Inscription.objects.filter(
        inscriptions_ouvertes(maintenant), scrutin__campagne=campagne
    ).exists()
    apres = "Le vote est clos : ce courriel n'a plus d'objet."
    motifs: dict[str, str] = {
        NatureEnvoi.ACTIVATION: apres if clos else "",
        NatureEnvoi.RELANCE_ACTIVATION: apres if clos else "",
        NatureEnvoi.RELANCE_VOTE: ""
        if vote_ouvert
        else "Possible seulement pendant le vote, quand au moins un scrutin est ouvert.",
    }
    # Shown before the confirmation page too; :func:`lancer` checks again under a lock.
    for nature in set(en_cours_de(campagne)):
        motifs[nature] = motifs[nature] or deja_en_cours(nature)
    return motifs


def en_cours_de(campagne: Campagne) -> QuerySet[EnvoiDeMasse, str]:
    """The natures of the campaign's mailings that are not finished."""
    return EnvoiDeMasse.objects.filter(campagne=campagne, termine_le__isnull=True).values_list(
        "nature", flat=True
    )


def deja_en_cours(nature: str) -> str:
    return (
        f"Un envoi « {NatureEnvoi(nature).label} » est déjà en cours pour cette campagne : "
        "attendez qu'il soit terminé avant d'en lancer un autre."
    )


def apercu(campagne: Campagne, nature: str) -> Apercu:
    motifs = natures_disponibles(campagne)
    if nature not in motifs:
        raise EnvoiImpossible("Type d'envoi inconnu.")
    libelle = NatureEnvoi(nature).label
    if motifs[nature]:
        return Apercu(nature, str(libelle), EXPLICATIONS[nature], False, motifs[nature])
    cibles = destinataires(campagne, nature)
    total = cibles.count()
    envoyables = hors_adresses_rejetees(cibles).count() if total else 0
    motif = "" if envoyables else "Aucun électeur n'est concerné par ce courriel pour l'instant."
    return Apercu(
        nature,
        str(libelle),
        EXPLICATIONS[nature],
        bool(envoyables),
        motif,
        destinataires=envoyables,
        ecartes=total - envoyables,
    )


# --- The dashboard -----------------------------------------------------------------------


@dataclass
class Compteurs:
    par_etat: dict[str, int] = field(default_factory=lambda: {e.value: 0 for e in EtatCourriel})

    @property
    def programmes(self) -> int:
        return sum(self.par_etat.values())

    @property
    def en_cours(self) -> int:
        return sum(self.par_etat[e] for e in EN_COURS)

    @property
    def traites(self) -> int:
        return self.programmes - self.en_cours


def compteurs(envoi_ids: Iterable[int]) -> dict[int, Compteurs]:
    """Mails per state of each mailing: one grouped count on the (envoi, état) index."""
    resultat = {envoi_id: Compteurs() for envoi_id in envoi_ids}
    lignes = (
        Courriel.objects.filter(envoi_id__in=list(resultat))
        .values("envoi_id", "etat")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for ligne in lignes:
        resultat[ligne["envoi_id"]].par_etat[ligne["etat"]] = ligne["n"]
    return resultat


@dataclass(frozen=True)
class Suivi:
    envoi: EnvoiDeMasse
    compteurs: Compteurs

    @property
    def attendus(self) -> int:
        # Until the planning is over, the count taken at launch is the best estimate.
        if self.envoi.planifie_le is None:
            return max(self.envoi.destinataires_prevus, self.compteurs.programmes)
        return self.compteurs.programmes

    @property
    def progression(self) -> int:
        """Per cent of the mails handled (sent, rejected, failed, cancelled, set aside)."""
        if self.envoi.termine_le is not None:
            return 100
        if not self.attendus:
            return 0
        return min(99, self.compteurs.traites * 100 // self.attendus)

    @property
    def statut(self) -> str:
        if self.envoi.termine_le is not None:
            return "Terminé"
        if self.envoi.planifie_le is None:
            return "Préparation des lots"
        return "Envoi en cours"

    @property
    def cle(self) -> str:
        """The mailing's key in the dashboard's progress (its bar, its values)."""
        return f"envoi-{self.envoi.pk}"

    @property
    def colonnes(self) -> dict[str, int]:
        """The dashboard's counts, column by column."""
        c = self.compteurs.par_etat
        return {
            "programmes": self.compteurs.programmes,
            "envoyes": c[EtatCourriel.ENVOYE],
            "en_attente": c[EtatCourriel.EN_ATTENTE],
            "a_reessayer": c[EtatCourriel.A_REESSAYER],
            "rejetes": c[EtatCourriel.REJETE],
            "en_echec": c[EtatCourriel.EN_ECHEC],
            "sans_objet": c[EtatCourriel.SANS_OBJET],
            "ecartes": c[EtatCourriel.ADRESSE_ECARTEE],
        }


def suivi_de_la_campagne(campagne: Campagne) -> list[Suivi]:
    envois = list(EnvoiDeMasse.objects.filter(campagne=campagne).order_by("-lance_le", "-pk"))
    tous = compteurs(e.pk for e in envois)
    return [Suivi(envoi=e, compteurs=tous[e.pk]) for e in envois]


def _envoyes(n: int) -> str:
    """« 0 envoyé », « 1 envoyé », « 2 envoyés »: French puts 0 and 1 in the singular."""
    return f"{n} envoyé{'s' if n > 1 else ''}"


def resume(suivis: list[Suivi]) -> str:
    """One sentence for the whole dashboard: shown above it, and said by its live region."""
    en_cours = [s for s in suivis if s.envoi.termine_le is None]
    if not suivis:
        return "Aucun envoi pour cette campagne."
    if not en_cours:
        return "Tous les envois sont terminés."
    parties = [
        f"{s.envoi.get_nature_display()} : {s.progression} %, "
        f"{_envoyes(s.compteurs.par_etat[EtatCourriel.ENVOYE])} sur {s.attendus}"
        for s in en_cours
    ]
    return "Envois en cours. " + " ; ".join(parties) + "."


def progression(suivis: list[Suivi]) -> Progression:
    """The dashboard's progress (core/progression.py): a bar per mailing (the per cent of
    its mails handled), its status and counts as the page's values named
    ``envoi-<id>-<column>``, and the summary, both shown and announced."""
    en_cours = any(s.envoi.termine_le is None for s in suivis)
    if en_cours:
        etat, libelle = "en_cours", "Envois en cours"
    elif suivis:
        etat, libelle = "termines", "Envois terminés"
    else:
        etat, libelle = "aucun", "Aucun envoi"
    phrase = resume(suivis)
    valeurs: dict[str, Valeur] = {"resume": phrase}
    for suivi in suivis:
        valeurs[f"{suivi.cle}-statut"] = suivi.statut
        valeurs.update({f"{suivi.cle}-{nom}": n for nom, n in suivi.colonnes.items()})
    return Progression(
        etat=etat,
        libelle=libelle,
        en_cours=en_cours,
        barres=tuple(Barre(s.cle, s.progression, 100, f"{s.progression} %") for s in suivis),
        annonce=phrase,
        valeurs=valeurs,
    )


def adresses_rejetees(campagne: Campagne, limite: int = 100) -> QuerySet[AdresseRejetee]:
    """The rejected addresses of this campaign's voters, latest first."""
    comptes = Inscription.objects.filter(
        scrutin__campagne=campagne, electeur__compte__email=OuterRef("adresse")
    )
    return AdresseRejetee.objects.filter(Exists(comptes)).order_by("-rejetee_le")[:limite]
