"""A whole import in the caller's process, for the command line and the tests: deposit,
check and, if every row is right, application; or the resumption of an application cut
short when the same file is given again."""

import os
from typing import IO

from django.db import IntegrityError

from isoloir.core import bail
from isoloir.elections.import_liste.application import appliquer, demander_application
from isoloir.elections.import_liste.depot import deposer, empreinte_du_fichier
from isoloir.elections.import_liste.etats import (
    MESSAGE_IMPORT_EN_COURS,
    ImportRefuse,
    ListeScellee,
    arrete,
    terminer,
)
from isoloir.elections.import_liste.rapport import RapportImport
from isoloir.elections.import_liste.verification import verifier
from isoloir.elections.models import ETATS_AVEC_FICHIER, Campagne, EtatImport, ImportListe


def importer_liste_electorale(
    *,
    campagne: Campagne,
    fichier: str | os.PathLike[str] | IO[bytes],
    simulation: bool = False,
    compte_id: int | None = None,
    ip: str = "",
    reprendre: bool = False,
    conserver_reclamations: bool = True,
) -> RapportImport:
    """Check a roll file and, if every row is right, apply it to ``campagne``, in this
    process.

    The roll of the campagne becomes the file: each voter, found by the hash of their
    NUMEN, is created or updated and their inscriptions to this campagne's scrutins become
    the listed ones; voters absent from the file lose theirs (their account stays). With
    ``simulation`` the differences are computed and nothing is written to the roll.

    The same file given again while its application was cut short resumes that
    application where it stopped: at once if it was interrupted by a conflict, once its
    worker has been silent for ``etats.DELAI_DE_SILENCE``, or right away with
    ``reprendre`` (the operator knows that the process that applied it is dead).

    ``conserver_reclamations``: keep the inscriptions that accepted claims added and the
    file would remove. A resumed application keeps the choice made when it was asked
    for, whatever this one says.
    """
    en_panne = ImportListe.objects.filter(
        campagne=campagne,
        etat__in=[EtatImport.APPLICATION, EtatImport.INTERROMPU],
    ).first()
    if (
        en_panne is not None
        and not simulation
        and (reprendre or en_panne.etat == EtatImport.INTERROMPU or arrete(en_panne))
        and en_panne.empreinte == empreinte_du_fichier(fichier)
    ):
        if en_panne.etat == EtatImport.INTERROMPU:
            bail.liberer(ImportListe, en_panne.pk, etat=EtatImport.APPLICATION, message="")
        return _appliquer_et_rapporter(en_panne.pk)
    try:
        import_ = deposer(campagne=campagne, fichier=fichier, compte_id=compte_id, ip=ip)
    except ImportRefuse as refus:
        rapport = RapportImport(simulation=simulation)
        rapport.signaler(0, "", str(refus))
        return rapport
    verification = verifier(import_.pk)
    assert verification is not None  # just deposited: nobody else holds it
    if verification.refuse or simulation:
        import_.refresh_from_db()
        if import_.etat in ETATS_AVEC_FICHIER:
            terminer(import_, EtatImport.ABANDONNE)
        return verification
    try:
        demander_application(
            import_, compte_id=compte_id, ip=ip, conserver_reclamations=conserver_reclamations
        )
    except ImportRefuse as refus:
        rapport = RapportImport(simulation=False)
        rapport.signaler(0, "", str(refus))
        return rapport
    resultat = _appliquer_et_rapporter(import_.pk)
    resultat.avertissements = verification.avertissements
    return resultat


def _appliquer_et_rapporter(import_id: int) -> RapportImport:
    try:
        resultat = appliquer(import_id, forcer=True)
    except (ListeScellee, IntegrityError):
        resultat = None
    import_ = ImportListe.objects.get(pk=import_id)
    verification = RapportImport.depuis_json(import_.rapport)
    if resultat is None:
        rapport = RapportImport(simulation=False, encodage=verification.encodage)
        rapport.signaler(0, "", import_.message or MESSAGE_IMPORT_EN_COURS)
        return rapport
    resultat.encodage = verification.encodage
    resultat.separateur = verification.separateur
    resultat.lignes_lues = verification.lignes_lues
    resultat.retraits_reclames = verification.retraits_reclames
    return resultat
