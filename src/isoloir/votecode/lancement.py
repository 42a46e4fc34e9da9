"""The launch of a back-office run of the notices (``GenerationDeNotices``).

A launch records the run, or takes over one whose worker died, and hands it to the task
queue once committed (``tasks.mettre_en_file_generation``); the worker then runs
``generation.executer_generation``. The launch lives apart from generation.py so that
the module the task runs never imports the tasks (docs/architecture.md, « Tâches »).
"""

from django.db import IntegrityError, transaction

from isoloir.audit.services import journaliser
from isoloir.core import bail, horloge
from isoloir.core.dates import date_heure_fr
from isoloir.elections.calendrier import calendrier
from isoloir.elections.models import Campagne
from isoloir.votecode.models import ETATS_ACTIFS, EtatGeneration, GenerationDeNotices
from isoloir.votecode.notices import GenerationRefusee, bail_perime, hors_delai, sans_code
from isoloir.votecode.tasks import mettre_en_file_generation


def lancer_generation(
    *,
    campagne: Campagne,
    compte_id: int | None,
    ip: str = "",
    confirmer_hors_delai: bool = False,
    mettre_en_file: bool = True,
) -> GenerationDeNotices:
    """Record a run and hand it to the task queue once committed (the command runs it
    itself, with ``mettre_en_file=False``).

    Refused past the notices' delivery date (A04) unless the administrator confirmed,
    and while another run of the campaign is alive; a run whose worker died is taken
    over (resumed) instead.
    """
    depasse = hors_delai(campagne)
    if depasse and not confirmer_hors_delai:
        limite = date_heure_fr(calendrier(campagne).remise_des_notices)
        raise GenerationRefusee(
            f"La date limite de remise des notices ({limite}) est passée : les électeurs "
            "ne recevraient plus leur notice 15 jours avant l'ouverture du vote (article 10 "
            "du décret). Pour générer quand même, cochez la case de confirmation."
        )
    with transaction.atomic():
        existante = (
            GenerationDeNotices.objects.select_for_update()
            .filter(campagne=campagne, etat__in=ETATS_ACTIFS)
            .first()
        )
        if existante is not None:
            if not bail_perime(existante):
                raise GenerationRefusee(
                    "Une génération des notices est déjà en cours pour cette campagne : "
                    "suivez sa progression ci-dessous. Une seule à la fois."
                )
            existante.etat = EtatGeneration.EN_ATTENTE
            existante.reprises += 1
            existante.hors_delai = existante.hors_delai or depasse
            existante.save()
            bail.liberer(GenerationDeNotices, existante.pk)
            generation = existante
            type_evenement = "notices.generation_reprise"
        else:
            if not sans_code(campagne).exists():
                raise GenerationRefusee(
                    "Tous les électeurs de la campagne ont déjà leur code de vote : "
                    "il n'y a aucune notice à générer."
                )
            try:
                with transaction.atomic():
                    generation = GenerationDeNotices.objects.create(
                        campagne=campagne,
                        lancee_par_id=compte_id,
                        lancee_le=horloge.maintenant(),
                        hors_delai=depasse,
                    )
            except IntegrityError:  # another launch won the race just now
                raise GenerationRefusee(
                    "Une génération des notices est déjà en cours pour cette campagne : "
                    "suivez sa progression ci-dessous. Une seule à la fois."
                ) from None
            type_evenement = "notices.generation_lancee"
        if depasse:
            # Said as such in the journal: the administrator overrode A04 knowingly.
            type_evenement += "_hors_delai_confirme"
        journaliser(
            type_evenement,
            compte_id=compte_id,
            ip=ip,
            campagne=campagne.slug,
            generation=generation.pk,
            hors_delai=depasse,
        )
        identifiant = generation.pk
        if mettre_en_file:
            transaction.on_commit(lambda: mettre_en_file_generation(identifiant))
    return generation
