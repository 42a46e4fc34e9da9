"""Campaign mailings: activations and reminders to up to 1.4 million voters.

Nothing here loads the recipients at once. Launching counts them (one ``COUNT``), records
the mailing and hands it to a planning task, which walks the recipients by primary key a
few thousand ids at a time and records one :class:`LotDEnvoi` (a range of ids) per step,
each handed to its own task. A lot's task selects its voters again, bulk-creates their
mails and enqueues one delivery task per mail, all in one transaction that also marks the
lot done.

Nobody is mailed twice:
- the confirmation form carries a one-time value (``jeton``), unique in the database: the
  same form sent twice launches one mailing;
- a new confirmation page draws a new value, so a mailing is refused while another of the
  same kind for the campaign is not finished (checked under a lock on the campaign's row);
- every mail of a mailing has a unique key (``Courriel.cle``): ``activation:<campaign>:
  <account>`` (one activation mail per voter and campaign, whatever the mailing) or
  ``envoi:<mailing>:<account>`` for a reminder. A lot's task run twice, or two activation
  mailings at once, insert each mail once (``ignore_conflicts``), and the lot's mark makes
  a rerun a no-op;
- a mail delivered twice by the queue is sent once (``services.livrer`` locks its row).

An address that bounced for good (:class:`AdresseRejetee`) gets a mail row in the state
« écarté » and is not sent anything: the dashboard shows how many.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet

from isoloir.accounts.models import Compte, Electeur
from isoloir.audit.services import journaliser
from isoloir.core import clock
from isoloir.elections.models import Campagne, Inscription
from isoloir.notify.models import (
    AdresseRejetee,
    Courriel,
    EnvoiDeMasse,
    EtatCourriel,
    LotDEnvoi,
    NatureEnvoi,
)

TAILLE_DES_LOTS = 2000
# The kind of mail (composer) each mailing sends.
TYPE_DE_COURRIEL: dict[str, str] = {
    NatureEnvoi.ACTIVATION: "activation",
    NatureEnvoi.RELANCE_ACTIVATION: "relance_activation",
    NatureEnvoi.RELANCE_VOTE: "relance_vote",
}
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
    maintenant = maintenant or clock.now()
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
    maintenant = maintenant or clock.now()
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


# --- Launch, planning, lots --------------------------------------------------------------


def lancer(
    *, campagne: Campagne, nature: str, jeton: str, compte: Compte, ip: str = ""
) -> tuple[EnvoiDeMasse, bool]:
    """Record a mailing and start its planning. Returns it and whether it is new: the
    same confirmation (``jeton``) sent again returns the mailing it launched."""
    if not jeton or len(jeton) > 64:
        raise EnvoiImpossible("La confirmation a expiré : affichez à nouveau la page d'envoi.")
    existant = EnvoiDeMasse.objects.filter(jeton=jeton).first()
    if existant is not None:
        return existant, False
    vue = apercu(campagne, nature)
    if not vue.disponible:
        # The same confirmation may have launched it between the look-up above and this
        # preview (two posts at once): that mailing is this confirmation's, not a refusal.
        existant = EnvoiDeMasse.objects.filter(jeton=jeton).first()
        if existant is not None:
            return existant, False
        raise EnvoiImpossible(vue.motif)
    try:
        with transaction.atomic():
            # Each display of the confirmation page draws a new ``jeton``, and a reminder's
            # mail keys name the mailing: a second confirmation (back button, a second
            # administrator) would mail everyone again. So one mailing of a kind at a time
            # per campaign, checked under a lock on the campaign's row so that two launches
            # at once queue up here (SQLite's IMMEDIATE transactions queue them anyway).
            Campagne.objects.select_for_update().only("pk").get(pk=campagne.pk)
            existant = EnvoiDeMasse.objects.filter(jeton=jeton).first()
            if existant is not None:  # the same confirmation, sent while we waited
                return existant, False
            if en_cours_de(campagne).filter(nature=nature).exists():
                raise EnvoiImpossible(deja_en_cours(nature))
            envoi = EnvoiDeMasse.objects.create(
                campagne=campagne,
                nature=nature,
                jeton=jeton,
                lance_par=compte,
                lance_le=clock.now(),
                destinataires_prevus=vue.destinataires + vue.ecartes,
            )
            journaliser(
                "courriels.envoi_lance",
                compte_id=compte.pk,
                ip=ip,
                envoi=envoi.pk,
                campagne=campagne.slug,
                nature=nature,
                destinataires=vue.destinataires,
                ecartes=vue.ecartes,
            )
            transaction.on_commit(lambda: _mettre_en_file_planification(envoi.pk))
    except IntegrityError:  # the same confirmation, sent at the same instant
        return EnvoiDeMasse.objects.get(jeton=jeton), False
    return envoi, True


def _mettre_en_file_planification(envoi_id: int) -> None:
    from isoloir.notify.tasks import planifier_envoi

    planifier_envoi.enqueue(envoi_id)


def planifier(envoi_id: int, *, taille: int | None = None) -> int:
    """Cut the mailing's recipients into lots and enqueue one task per lot. Resumable
    (after a crash it goes on from the last lot recorded) and safe to run twice at once.
    Returns the number of lots recorded by this call."""
    taille = taille or TAILLE_DES_LOTS
    crees = 0
    while True:
        envoi = EnvoiDeMasse.objects.select_related("campagne").get(pk=envoi_id)
        if envoi.planifie_le is not None:
            return crees
        depart = envoi.planifie_jusqua
        ids = list(
            destinataires(envoi.campagne, envoi.nature, envoi.lance_le)
            .filter(pk__gt=depart)
            .order_by("pk")
            .values_list("pk", flat=True)[:taille]
        )
        with transaction.atomic():
            verrouille = EnvoiDeMasse.objects.select_for_update().get(pk=envoi_id)
            if verrouille.planifie_le is not None:
                return crees
            if verrouille.planifie_jusqua != depart:
                continue  # another planner moved on meanwhile: start from where it is
            if not ids:
                verrouille.planifie_le = clock.now()
                verrouille.save(update_fields=["planifie_le"])
                transaction.on_commit(lambda: terminer_si_fini(envoi_id))
                return crees
            numero = (verrouille.lots.aggregate(n=Max("numero"))["n"] or 0) + 1
            lot = LotDEnvoi.objects.create(
                envoi=verrouille, numero=numero, premier=ids[0], dernier=ids[-1]
            )
            verrouille.planifie_jusqua = ids[-1]
            verrouille.save(update_fields=["planifie_jusqua"])
            transaction.on_commit(partial(_mettre_en_file_lot, lot.pk))
            crees += 1


def _mettre_en_file_lot(lot_id: int) -> None:
    from isoloir.notify.tasks import programmer_lot

    programmer_lot.enqueue(lot_id)


def cle_du_courriel(envoi: EnvoiDeMasse, compte_id: int) -> str:
    if envoi.nature == NatureEnvoi.ACTIVATION:
        return f"activation:{envoi.campagne_id}:{compte_id}"
    return f"envoi:{envoi.pk}:{compte_id}"


def programmer_lot(lot_id: int) -> int:
    """Create the mails of one lot and enqueue them. Returns how many were enqueued; 0
    when the lot was already done (a task run twice)."""
    from isoloir.notify.services import mettre_en_file

    with transaction.atomic():
        lot = LotDEnvoi.objects.select_for_update().select_related("envoi").get(pk=lot_id)
        if lot.programme_le is not None:
            return 0
        envoi = lot.envoi
        campagne = Campagne.objects.get(pk=envoi.campagne_id)
        electeurs = list(
            destinataires(campagne, envoi.nature, envoi.lance_le)
            .filter(pk__gte=lot.premier, pk__lte=lot.dernier)
            .order_by("pk")
            .values_list("compte_id", "compte__email")
        )
        rejetees = set(
            AdresseRejetee.objects.filter(
                adresse__in=[email.lower() for _, email in electeurs]
            ).values_list("adresse", flat=True)
        )
        maintenant = clock.now()
        type_courriel = TYPE_DE_COURRIEL[envoi.nature]
        cles = []
        lignes = []
        for compte_id, email in electeurs:
            cle = cle_du_courriel(envoi, compte_id)
            cles.append(cle)
            lignes.append(
                Courriel(
                    type=type_courriel,
                    compte_id=compte_id,
                    destinataire=email,
                    contexte={"campagne": campagne.pk},
                    etat=EtatCourriel.ADRESSE_ECARTEE
                    if email.lower() in rejetees
                    else EtatCourriel.EN_ATTENTE,
                    cree_le=maintenant,
                    envoi=envoi,
                    cle=cle,
                )
            )
        Courriel.objects.bulk_create(lignes, batch_size=500, ignore_conflicts=True)
        a_envoyer = list(
            Courriel.objects.filter(
                envoi=envoi, cle__in=cles, etat=EtatCourriel.EN_ATTENTE, tentatives=0
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        lot.programme_le = maintenant
        lot.courriels = len(a_envoyer)
        lot.save(update_fields=["programme_le", "courriels"])

        def apres_validation() -> None:
            for courriel_id in a_envoyer:
                mettre_en_file(courriel_id)
            terminer_si_fini(envoi.pk)

        transaction.on_commit(apres_validation)
    return len(a_envoyer)


def terminer_si_fini(envoi_id: int) -> bool:
    """Journal the end of a mailing once every mail has reached a final state. Called
    after each of its mails is handled, once committed: of two workers finishing the last
    two mails at once, the later commit sees both, so the end is never missed; the
    conditional update makes it journaled once."""
    envoi = EnvoiDeMasse.objects.filter(
        pk=envoi_id, termine_le__isnull=True, planifie_le__isnull=False
    ).first()
    if envoi is None:
        return False
    if envoi.lots.filter(programme_le__isnull=True).exists():
        return False
    if Courriel.objects.filter(envoi_id=envoi_id, etat__in=EN_COURS).exists():
        return False
    with transaction.atomic():
        maintenant = clock.now()
        if not EnvoiDeMasse.objects.filter(pk=envoi_id, termine_le__isnull=True).update(
            termine_le=maintenant
        ):
            return False
        journaliser(
            "courriels.envoi_termine",
            envoi=envoi_id,
            campagne=envoi.campagne.slug,
            nature=envoi.nature,
            compteurs=compteurs([envoi_id])[envoi_id].par_etat,
        )
    return True


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

    def en_json(self) -> dict[str, object]:
        c = self.compteurs.par_etat
        return {
            "id": self.envoi.pk,
            "statut": self.statut,
            "termine": self.envoi.termine_le is not None,
            "progression": self.progression,
            "attendus": self.attendus,
            "compteurs": {
                "programmes": self.compteurs.programmes,
                "envoyes": c[EtatCourriel.ENVOYE],
                "en_attente": c[EtatCourriel.EN_ATTENTE],
                "a_reessayer": c[EtatCourriel.A_REESSAYER],
                "rejetes": c[EtatCourriel.REJETE],
                "en_echec": c[EtatCourriel.EN_ECHEC],
                "sans_objet": c[EtatCourriel.SANS_OBJET],
                "ecartes": c[EtatCourriel.ADRESSE_ECARTEE],
            },
        }


def suivi_de_la_campagne(campagne: Campagne) -> list[Suivi]:
    envois = list(EnvoiDeMasse.objects.filter(campagne=campagne).order_by("-lance_le", "-pk"))
    tous = compteurs(e.pk for e in envois)
    return [Suivi(envoi=e, compteurs=tous[e.pk]) for e in envois]


def resume(suivis: list[Suivi]) -> str:
    """One sentence for screen readers (the page's live region)."""
    en_cours = [s for s in suivis if s.envoi.termine_le is None]
    if not suivis:
        return "Aucun envoi pour cette campagne."
    if not en_cours:
        return "Tous les envois sont terminés."
    parties = [
        f"{s.envoi.get_nature_display()} : {s.progression} %, "
        f"{s.compteurs.par_etat[EtatCourriel.ENVOYE]} envoyés sur {s.attendus}"
        for s in en_cours
    ]
    return "Envois en cours. " + " ; ".join(parties) + "."


def adresses_rejetees(campagne: Campagne, limite: int = 100) -> QuerySet[AdresseRejetee]:
    """The rejected addresses of this campaign's voters, latest first."""
    comptes = Inscription.objects.filter(
        scrutin__campagne=campagne, electeur__compte__email=OuterRef("adresse")
    )
    return AdresseRejetee.objects.filter(Exists(comptes)).order_by("-rejetee_le")[:limite]


def relancer_envois(*, depuis: timedelta) -> int:
    """Hand back to the queue the planning of mailings and the lots whose task never
    ran (queue down at the time): each is idempotent, so a task still in the queue that
    runs as well does nothing the second time."""
    limite = clock.now() - depuis
    relances = 0
    for envoi_id in EnvoiDeMasse.objects.filter(
        planifie_le__isnull=True, lance_le__lt=limite
    ).values_list("pk", flat=True):
        _mettre_en_file_planification(envoi_id)
        relances += 1
    for lot_id in LotDEnvoi.objects.filter(
        programme_le__isnull=True, envoi__lance_le__lt=limite
    ).values_list("pk", flat=True):
        _mettre_en_file_lot(lot_id)
        relances += 1
    return relances
