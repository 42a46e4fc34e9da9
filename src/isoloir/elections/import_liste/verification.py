"""The check of a deposited file, a dry run: every row is read and checked (format,
duplicates within the file, conflicts with the database, looked up by batches) and
compared with the campaign's roll; nothing is written to the roll. The differences it
finds are what the application then does.
"""

import itertools
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Max, Min
from django.utils import timezone

from isoloir.accounts.models import Compte, Electeur
from isoloir.audit.services import journaliser
from isoloir.core import bail, horloge
from isoloir.core.lecture_csv import texte_du_flux
from isoloir.elections.import_liste.comparaison import (
    InscriptionReclamee,
    difference,
    empreinte_de_la_liste,
    etat_du_lot,
    exemple_de_retrait,
    inscriptions_reclamees,
    noter,
    retraits_reclames,
)
from isoloir.elections.import_liste.etats import (
    DELAI_DE_SILENCE,
    MESSAGE_IMPORT_EN_COURS,
    ImportRefuse,
    ListeScellee,
    chiffres,
    terminer,
)
from isoloir.elections.import_liste.lecture import (
    TAILLE_LOT,
    Lecteur,
    Ligne,
    detecter_encodage,
)
from isoloir.elections.import_liste.rapport import ECHANTILLON_MAX, RapportImport
from isoloir.elections.models import Campagne, EtatImport, ImportListe, Inscription, Scrutin
from isoloir.elections.verrous import scrutins_scelles


def verifier(import_id: int, *, forcer: bool = False) -> RapportImport | None:
    """Check the stored file and compute its differences with the roll; write nothing
    to the roll. Returns None if the import was not there to check (already done, or held
    by another worker)."""
    jeton = bail.prendre(
        ImportListe,
        import_id,
        etats=[EtatImport.DEPOSE, EtatImport.VERIFICATION, EtatImport.PERIME],
        duree=DELAI_DE_SILENCE,
        forcer=forcer,
    )
    if jeton is None:
        return None
    import_ = ImportListe.objects.select_related("campagne").get(pk=import_id)
    try:
        with transaction.atomic():
            import_ = bail.verrouiller(ImportListe, import_id, jeton)
            import_.etat, import_.phase, import_.lignes_traitees = (
                EtatImport.VERIFICATION,
                "empreinte",
                0,
            )
            import_.save(update_fields=["etat", "phase", "lignes_traitees"])
    except IntegrityError:  # a checked import checked again while another one runs
        bail.rendre(ImportListe, import_id, jeton)
        raise ImportRefuse(MESSAGE_IMPORT_EN_COURS) from None
    try:
        scrutins = scrutins_de_la_campagne(import_.campagne)
        # Taken before the file is read: any change to the roll after this instant makes
        # the application's own fingerprint differ, and the application refuses.
        empreinte_liste = empreinte_de_la_liste(scrutins)
        rapport = _verifier_fichier(import_, jeton, scrutins)
        with transaction.atomic():
            import_ = bail.verrouiller(ImportListe, import_id, jeton)
            import_.rapport = rapport.vers_json()
            import_.empreinte_liste = empreinte_liste
            import_.lignes_traitees = import_.lignes_du_fichier
            import_.phase = ""
            if rapport.refuse:
                terminer(import_, EtatImport.REFUSE)
            else:
                import_.etat, import_.jeton = EtatImport.VERIFIE, ""
            import_.save()
            journaliser(
                "liste_electorale.verifiee",
                campagne=import_.campagne.slug,
                import_liste=import_.pk,
                erreurs=rapport.nombre_erreurs,
                **chiffres(rapport),
            )
    except bail.BailPerdu:
        return None
    return rapport


def scrutins_de_la_campagne(campagne: Campagne) -> dict[int, str]:
    """The campaign's scrutins, code by pk."""
    return dict(Scrutin.objects.filter(campagne=campagne).values_list("pk", "code"))


def _verifier_fichier(import_: ImportListe, jeton: str, scrutins: dict[int, str]) -> RapportImport:
    campagne = import_.campagne
    rapport = RapportImport(simulation=True)
    with open(import_.chemin, "rb") as flux:
        encodage = detecter_encodage(flux, rapport)
        if encodage is None:
            return rapport
        rapport.encodage = encodage
        rapport.avertissements += _avertissements(campagne=campagne, encodage=encodage)
        lecteur = lecteur_de_la_liste(campagne, scrutins, rapport, doublons=True)
        # The voters of the roll met in the file, one bit each: what is left unmarked at
        # the end is the removals. 1.4 million voters take 175 kB.
        plus_grand = Electeur.objects.aggregate(m=Max("pk"))["m"] or 0
        vus = bytearray(plus_grand // 8 + 1)
        # What accepted claims added, and which of it the rows drop (a handful of lines).
        reclamees = inscriptions_reclamees(scrutins)
        retirees: set[int] = set()
        try:
            with texte_du_flux(flux, 0, encodage) as texte:
                for lot in itertools.batched(lecteur.lignes(texte), TAILLE_LOT):
                    _verifier_conflits(lot, rapport)
                    if not rapport.refuse:
                        retirees |= _comparer(lot, scrutins, rapport, vus, reclamees)
                    bail.signe_de_vie(
                        ImportListe,
                        import_.pk,
                        jeton,
                        phase="lecture",
                        lignes_traitees=lot[-1].numero,
                    )
        finally:
            lecteur.fermer()
    if rapport.refuse:
        # The database checks come by batches, after the rows' own errors.
        rapport.erreurs.sort(key=lambda erreur: erreur.ligne)
        return rapport
    bail.signe_de_vie(ImportListe, import_.pk, jeton, phase="retraits")
    _compter_les_retraits(scrutins, rapport, vus)
    retirees |= {pk for pk, r in reclamees.items() if not _vu(vus, r.electeur_id)}
    rapport.retraits_reclames = retraits_reclames(retirees, reclamees, scrutins)
    touches = {pk for pk, code in scrutins.items() if any(rapport.par_scrutin.get(code, [0, 0]))}
    scelles = sorted(scrutins[pk] for pk in scrutins_scelles(touches))
    if scelles:
        refus = RapportImport(simulation=True, encodage=rapport.encodage)
        refus.signaler(0, "", ListeScellee(scelles).message)
        return refus
    return rapport


def lecteur_de_la_liste(
    campagne: Campagne, scrutins: dict[int, str], rapport: RapportImport, *, doublons: bool
) -> Lecteur:
    """The reader of the campaign's roll files: the check and the application read the
    file through the same one."""
    codes = {code.lower(): pk for pk, code in scrutins.items()}
    jour = timezone.localdate(campagne.ouverture)
    return Lecteur(codes=codes, jour=jour, rapport=rapport, doublons=doublons)


def _comparer(
    lot: tuple[Ligne, ...],
    scrutins: dict[int, str],
    rapport: RapportImport,
    vus: bytearray,
    reclamees: dict[int, InscriptionReclamee],
) -> set[int]:
    """Note each row's difference; return those of ``reclamees`` the rows remove."""
    etat = etat_du_lot(lot, scrutins)
    retirees: set[int] = set()
    for ligne in lot:
        electeur = etat.electeurs.get(ligne.empreinte)
        actuelles = etat.inscriptions[electeur.pk] if electeur else {}
        if electeur is not None and actuelles and electeur.pk // 8 < len(vus):
            vus[electeur.pk // 8] |= 1 << (electeur.pk % 8)
        diff = difference(ligne, electeur, actuelles)
        noter(rapport, ligne, diff, scrutins, cree=not electeur)
        retirees |= reclamees.keys() & set(diff.retraits.values())
    return retirees


def _vu(vus: bytearray, electeur_id: int) -> bool:
    return electeur_id // 8 < len(vus) and bool(vus[electeur_id // 8] & (1 << (electeur_id % 8)))


def _compter_les_retraits(scrutins: dict[int, str], rapport: RapportImport, vus: bytearray) -> None:
    """The voters on the roll that the file did not name, streamed from the database."""
    exemples: dict[int, list[str]] = {}
    precedent = None
    rangs = (
        Inscription.objects.filter(scrutin_id__in=list(scrutins))
        .order_by("electeur_id")
        .values_list("electeur_id", "scrutin_id")
    )
    for electeur_id, scrutin_id in rangs.iterator(chunk_size=10_000):
        if _vu(vus, electeur_id):
            continue
        rapport.inscriptions(scrutins[scrutin_id], retirees=1)
        if electeur_id != precedent:
            precedent = electeur_id
            rapport.electeurs_retires += 1
            if len(exemples) < ECHANTILLON_MAX:
                exemples[electeur_id] = []
        if electeur_id in exemples:
            exemples[electeur_id].append(scrutins[scrutin_id])
    rapport.echantillons["retires"] = [
        exemple_de_retrait(e, exemples[e.pk])
        for e in Electeur.objects.filter(pk__in=exemples).order_by("pk")
    ]


def _avertissements(*, campagne: Campagne, encodage: str) -> list[str]:
    avertissements = []
    if encodage == "cp1252":
        avertissements.append(
            "Le fichier n'est pas en UTF-8 : il a été lu en Windows-1252. Vérifiez les "
            "accents des noms, ou enregistrez le fichier en CSV UTF-8."
        )
    ouverture_propre = Scrutin.objects.filter(campagne=campagne).aggregate(
        premiere=Min("ouverture")
    )["premiere"]
    if horloge.maintenant() >= min(campagne.ouverture, ouverture_propre or campagne.ouverture):
        avertissements.append(
            "Le vote de cette campagne a commencé : assurez-vous que cette modification de "
            "la liste électorale est autorisée."
        )
    return avertissements


def _verifier_conflits(lot: Iterable[Ligne], rapport: RapportImport) -> None:
    """Report the e-mails that belong to another account in the database.

    Checked against the database as it is before the import, so that the writes of the
    application can come in any order without breaking the uniqueness of e-mails.
    """
    lignes = list(lot)
    comptes_des_electeurs = dict(
        Electeur.objects.filter(
            numen_empreinte__in=[ligne.empreinte for ligne in lignes]
        ).values_list("numen_empreinte", "compte_id")
    )
    proprietaires = {
        email: (compte_id, electeur_id)
        for email, compte_id, electeur_id in Compte.objects.filter(
            email__in=[ligne.email for ligne in lignes]
        ).values_list("email", "id", "electeur__id")
    }
    for ligne in lignes:
        if ligne.email not in proprietaires:
            continue
        compte_id, electeur_id = proprietaires[ligne.email]
        son_compte = comptes_des_electeurs.get(ligne.empreinte)
        if son_compte == compte_id:
            continue
        if electeur_id is not None:
            rapport.signaler(
                ligne.numero,
                "email_professionnel",
                "Adresse déjà utilisée par un autre électeur (NUMEN différent).",
            )
        elif son_compte is not None:
            rapport.signaler(
                ligne.numero, "email_professionnel", "Adresse déjà utilisée par un autre compte."
            )
        # Otherwise the account has no voter yet (an administrator who also votes): the new
        # voter will be attached to it.
