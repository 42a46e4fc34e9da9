"""What the workers run for a campaign mailing, and the helpers that enqueue it: the
planning that cuts its recipients into lots, each lot's mails, and the end of the mailing
once every mail is handled (services.py tells the whole path)."""

from functools import partial

from django.db import transaction
from django.db.models import Max
from django.tasks import task

from isoloir.audit.services import journaliser
from isoloir.core import horloge
from isoloir.elections.models import Campagne
from isoloir.envois.models import EnvoiDeMasse, LotDEnvoi, NatureEnvoi
from isoloir.envois.selectors import EN_COURS, compteurs, destinataires
from isoloir.notify.models import AdresseRejetee, Courriel, EtatCourriel
from isoloir.notify.tasks import mettre_en_file

TAILLE_DES_LOTS = 2000
# The kind of mail (composer) each mailing sends.
TYPE_DE_COURRIEL: dict[str, str] = {
    NatureEnvoi.ACTIVATION: "activation",
    NatureEnvoi.RELANCE_ACTIVATION: "relance_activation",
    NatureEnvoi.RELANCE_VOTE: "relance_vote",
}


@task()
def planifier_envoi(envoi_id: int) -> int:
    """Cut a campaign mailing into lots."""
    return planifier(envoi_id)


@task()
def programmer_un_lot(lot_id: int) -> int:
    """Create and enqueue the mails of one lot of a campaign mailing."""
    return programmer_lot(lot_id)


def mettre_en_file_planification(envoi_id: int) -> None:
    planifier_envoi.enqueue(envoi_id)


def mettre_en_file_lot(lot_id: int) -> None:
    programmer_un_lot.enqueue(lot_id)


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
                verrouille.planifie_le = horloge.maintenant()
                verrouille.save(update_fields=["planifie_le"])
                transaction.on_commit(lambda: terminer_si_fini(envoi_id))
                return crees
            numero = (verrouille.lots.aggregate(n=Max("numero"))["n"] or 0) + 1
            lot = LotDEnvoi.objects.create(
                envoi=verrouille, numero=numero, premier=ids[0], dernier=ids[-1]
            )
            verrouille.planifie_jusqua = ids[-1]
            verrouille.save(update_fields=["planifie_jusqua"])
            transaction.on_commit(partial(mettre_en_file_lot, lot.pk))
            crees += 1


def cle_du_courriel(envoi: EnvoiDeMasse, compte_id: int) -> str:
    if envoi.nature == NatureEnvoi.ACTIVATION:
        return f"activation:{envoi.campagne_id}:{compte_id}"
    return f"envoi:{envoi.pk}:{compte_id}"


def programmer_lot(lot_id: int) -> int:
    """Create the mails of one lot and enqueue them. Returns how many were enqueued; 0
    when the lot was already done (a task run twice)."""
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
        maintenant = horloge.maintenant()
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
        maintenant = horloge.maintenant()
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
