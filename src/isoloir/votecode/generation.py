"""A back-office run of the notices (``GenerationDeNotices``), as its background task
executes it (``tasks.generer_notices``).

The run holds a lease (core/bail.py): only the worker holding it may record codes, so that
a worker believed dead but still alive cannot overwrite a printed file with codes that
would never be recorded. A stale lease is taken over by the next launch (lancement.py).
"""

from django.db import transaction
from django.db.models import F

from isoloir.accounts.models import Electeur
from isoloir.audit.services import journaliser
from isoloir.core import bail, horloge
from isoloir.votecode.codes_initiaux import Progression, generer_codes_initiaux
from isoloir.votecode.impression import Imprimeur
from isoloir.votecode.models import ETATS_ACTIFS, EtatGeneration, GenerationDeNotices
from isoloir.votecode.notices import DUREE_DU_BAIL, sans_code


def executer_generation(
    generation_id: int,
    *,
    imprimer: Imprimeur | None = None,
    progression: Progression | None = None,
) -> GenerationDeNotices:
    """The task's body: take the run's lease, generate what is missing, close the run.

    A run already finished, or held by a live worker, is left alone: a task delivered
    twice does nothing the second time.
    """
    with transaction.atomic():
        # Taken under the row's lock, which holds until the totals below are recorded.
        jeton = bail.prendre(
            GenerationDeNotices, generation_id, etats=ETATS_ACTIFS, duree=DUREE_DU_BAIL
        )
        generation = GenerationDeNotices.objects.select_related("campagne").get(pk=generation_id)
        if jeton is None:
            return generation
        campagne = generation.campagne
        generation.etat = EtatGeneration.EN_COURS
        _compter(generation)
        generation.save()

    def avant_enregistrement(notices: int) -> None:
        bail.signe_de_vie(
            GenerationDeNotices,
            generation_id,
            jeton,
            notices_faites=F("notices_faites") + notices,
        )

    def suivre(rang: int, total: int, etablissement: str, codes: int) -> None:
        # A lease lost meanwhile stops the run here, before it draws the next codes.
        bail.signe_de_vie(
            GenerationDeNotices,
            generation_id,
            jeton,
            etablissements_faits=F("etablissements_faits") + 1,
        )
        if progression:
            progression(rang, total, etablissement, codes)

    try:
        rapport = generer_codes_initiaux(
            campagne=campagne,
            imprimer=imprimer,
            generation=generation,
            progression=suivre,
            avant_enregistrement=avant_enregistrement,
        )
    except bail.BailPerdu:
        generation.refresh_from_db()
        return generation
    except Exception as erreur:
        if bail.rendre(
            GenerationDeNotices,
            generation_id,
            jeton,
            etat=EtatGeneration.ECHOUEE,
            terminee_le=horloge.maintenant(),
            # The type only: a message may quote a path or a value.
            erreur=type(erreur).__name__[:200],
        ):
            journaliser(
                "notices.generation_echouee",
                campagne=campagne.slug,
                generation=generation_id,
                erreur=type(erreur).__name__,
            )
        raise
    # A worker that lost the lease at the last moment neither closes the run nor says it
    # did: the one that took it over will.
    if bail.rendre(
        GenerationDeNotices,
        generation_id,
        jeton,
        etat=EtatGeneration.TERMINEE,
        terminee_le=horloge.maintenant(),
    ):
        journaliser(
            "notices.generation_terminee",
            campagne=campagne.slug,
            generation=generation_id,
            codes=rapport.codes,
            fichiers=len(rapport.fichiers),
        )
    generation.refresh_from_db()
    return generation


def _compter(generation: GenerationDeNotices) -> None:
    """The run's totals, from the database: a resumed run counts what earlier runs did."""
    electeurs = Electeur.objects.filter(inscriptions__scrutin__campagne=generation.campagne)
    generation.notices_total = electeurs.distinct().count()
    generation.notices_faites = electeurs.filter(code_de_vote__isnull=False).distinct().count()
    generation.etablissements_total = electeurs.values("etablissement").distinct().count()
    restants = sans_code(generation.campagne).values("etablissement").distinct().count()
    generation.etablissements_faits = generation.etablissements_total - restants
