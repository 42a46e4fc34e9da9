"""The life of an import: deposit, check (a dry run that computes the differences),
application by batches that a killed worker's successor resumes, removal of the voters
the file no longer lists.

Each step holds the import through a lease (``jeton``, ``battement``): a worker writes
only while the import's row still carries its token, checked under a row lock in the
transaction of each batch. A worker that died leaves a stale heartbeat; its successor
takes the lease over and goes on from the checkpoint committed with the last batch.
"""

import hashlib
import itertools
import os
import secrets
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import IntegrityError, transaction
from django.db.models import Max, Min
from django.utils import timezone

from isoloir.accounts.models import Compte, Electeur
from isoloir.audit.services import journaliser
from isoloir.core import clock
from isoloir.elections.models import (
    ETATS_ACTIFS,
    ETATS_AVEC_FICHIER,
    Campagne,
    EtatImport,
    ImportListe,
    Inscription,
    Scrutin,
)
from isoloir.elections.roll_import.comparaison import (
    InscriptionReclamee,
    difference,
    empreinte_de_la_liste,
    etat_du_lot,
    exemple_de_retrait,
    inscriptions_des_electeurs,
    inscriptions_reclamees,
    noter,
    retraits_reclames,
)
from isoloir.elections.roll_import.lecture import (
    CHAMPS_D_IDENTITE,
    TAILLE_LOT,
    Lecteur,
    Ligne,
    detecter_encodage,
    texte_du_flux,
)
from isoloir.elections.roll_import.rapport import ECHANTILLON_MAX, RapportImport
from isoloir.elections.verrous import scrutins_scelles

# A worker whose heartbeat is older than this is taken for dead: another may take over.
DELAI_DE_SILENCE = timedelta(minutes=2)
LOT_DE_RETRAITS = 2000

MESSAGE_IMPORT_EN_COURS = (
    "Un import de la liste électorale de cette campagne est déjà en cours : attendez qu'il "
    "se termine (ou reprenez-le s'il est arrêté) avant d'en lancer un autre."
)
MESSAGE_LISTE_CHANGEE = (
    "La liste électorale a changé depuis la vérification du fichier : rien n'a été "
    "appliqué. Relancez la vérification pour voir les différences à jour."
)
MESSAGE_FICHIER_CHANGE = (
    "Le fichier conservé ne correspond plus à celui qui a été vérifié : rien n'a été "
    "appliqué. Déposez le fichier à nouveau."
)
MESSAGE_CONFLIT = (
    "La base a été modifiée pendant l'import ; le lot en cours n'a pas été enregistré. "
    "Relancez l'import."
)


class ListeScellee(Exception):
    """The import would change the roll of a scrutin its bureau has sealed."""

    def __init__(self, codes: list[str]) -> None:
        super().__init__(", ".join(codes))
        self.codes = codes

    @property
    def message(self) -> str:
        return (
            "La liste électorale de "
            + ", ".join(self.codes)
            + " est scellée par le bureau de vote : elle ne peut plus changer. Rien n'a été "
            "enregistré."
        )


class ImportRefuse(Exception):
    """A step that cannot be taken now; the message, in French, says why."""


class MainPerdue(Exception):
    """Another worker took this import over: this one stops without writing."""


# --- Deposit -------------------------------------------------------------------------------


def dossier_des_imports() -> Path:
    dossier = Path(settings.DATA_DIR) / "imports-listes"
    dossier.mkdir(mode=0o700, parents=True, exist_ok=True)
    return dossier


def deposer(
    *,
    campagne: Campagne,
    fichier: str | os.PathLike[str] | IO[bytes],
    nom_du_fichier: str = "",
    compte_id: int | None = None,
    ip: str = "",
) -> ImportListe:
    """Store a copy of the file with its SHA-256 and open an import for ``campagne``.

    Earlier imports of the campaign that were checked but not applied are given up (their
    file deleted). Raises :class:`ImportRefuse` when another import is under way.
    """
    chemin = dossier_des_imports() / f"{uuid.uuid4().hex}.csv"
    empreinte, taille, lignes = hashlib.sha256(), 0, 0
    dernier = b"\n"
    descripteur = os.open(chemin, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with _ouvrir(fichier) as source, os.fdopen(descripteur, "wb") as copie:
        while bloc := source.read(1024 * 1024):
            empreinte.update(bloc)
            taille += len(bloc)
            lignes += bloc.count(b"\n")
            dernier = bloc[-1:]
            copie.write(bloc)
    if dernier != b"\n":
        lignes += 1  # a last line without its end of line is a line all the same
    try:
        with transaction.atomic():
            if ImportListe.objects.filter(campagne=campagne, etat__in=ETATS_ACTIFS).exists():
                raise IntegrityError  # the constraint below says the same, for races
            for ancien in ImportListe.objects.select_for_update().filter(
                campagne=campagne,
                etat__in=[
                    EtatImport.VERIFIE,
                    EtatImport.PERIME,
                    EtatImport.INTERROMPU,
                    EtatImport.REFUSE,
                ],
            ):
                _terminer(ancien, EtatImport.ABANDONNE)
            import_ = ImportListe.objects.create(
                campagne=campagne,
                depose_par_id=compte_id,
                depose_le=clock.now(),
                nom_du_fichier=(nom_du_fichier or Path(str(getattr(fichier, "name", ""))).name)[
                    :255
                ],
                chemin=str(chemin),
                empreinte=empreinte.hexdigest(),
                taille=taille,
                lignes_du_fichier=max(lignes, 1),
                phase="attente",
            )
            journaliser(
                "liste_electorale.deposee",
                compte_id=compte_id,
                ip=ip,
                campagne=campagne.slug,
                import_liste=import_.pk,
                sha256=import_.empreinte,
                octets=taille,
            )
    except IntegrityError:
        chemin.unlink(missing_ok=True)
        raise ImportRefuse(MESSAGE_IMPORT_EN_COURS) from None
    return import_


@contextmanager
def _ouvrir(fichier: str | os.PathLike[str] | IO[bytes]) -> Iterator[IO[bytes]]:
    if isinstance(fichier, str | os.PathLike):
        with open(fichier, "rb") as flux:
            yield flux
    else:
        yield fichier


def _terminer(import_: ImportListe, etat: EtatImport, message: str = "") -> None:
    """A final state: the stored file, which holds NUMENs in clear, is deleted (once the
    state is committed: a rolled-back transaction must find its file again)."""
    if import_.chemin:
        chemin = Path(import_.chemin)
        transaction.on_commit(lambda: chemin.unlink(missing_ok=True))
    import_.etat = etat
    import_.chemin = ""
    import_.jeton = ""
    import_.termine_le = clock.now()
    if message:
        import_.message = message
    import_.save(update_fields=["etat", "chemin", "jeton", "termine_le", "message"])


def abandonner(import_: ImportListe, *, compte_id: int | None = None, ip: str = "") -> None:
    with transaction.atomic():
        import_ = ImportListe.objects.select_for_update().get(pk=import_.pk)
        if import_.etat not in (EtatImport.VERIFIE, EtatImport.PERIME, EtatImport.REFUSE):
            raise ImportRefuse("Cet import ne peut plus être abandonné.")
        _terminer(import_, EtatImport.ABANDONNE)
        journaliser(
            "liste_electorale.abandonnee",
            compte_id=compte_id,
            ip=ip,
            campagne=import_.campagne.slug,
            import_liste=import_.pk,
        )


# --- The lease -----------------------------------------------------------------------------


def _prendre(import_id: int, etats: Iterable[str], *, forcer: bool = False) -> str | None:
    """Take the import for this worker; None if it is not in one of ``etats`` or another
    live worker holds it (unless ``forcer``: the operator knows that one is dead)."""
    jeton = secrets.token_hex(16)
    maintenant = clock.now()
    with transaction.atomic():
        import_ = ImportListe.objects.select_for_update().filter(pk=import_id).first()
        if import_ is None or import_.etat not in etats:
            return None
        vivant = (
            import_.jeton
            and import_.battement is not None
            and maintenant - import_.battement < DELAI_DE_SILENCE
        )
        if vivant and not forcer:
            return None
        import_.jeton, import_.battement = jeton, maintenant
        import_.save(update_fields=["jeton", "battement"])
    return jeton


def arrete(import_: ImportListe) -> bool:
    """Whether the import is under way in a state no worker is advancing any more."""
    if import_.etat not in (EtatImport.VERIFICATION, EtatImport.APPLICATION, EtatImport.DEPOSE):
        return False
    dernier = import_.battement or import_.depose_le
    return clock.now() - dernier >= DELAI_DE_SILENCE


def _signe_de_vie(import_id: int, jeton: str, **champs: object) -> None:
    """Progress outside any transaction: the page that follows the import reads it."""
    if not ImportListe.objects.filter(pk=import_id, jeton=jeton).update(
        battement=clock.now(), **champs
    ):
        raise MainPerdue


def _verrouiller(import_id: int, jeton: str) -> ImportListe:
    import_ = ImportListe.objects.select_for_update().get(pk=import_id)
    if import_.jeton != jeton:
        raise MainPerdue
    return import_


# --- Check ---------------------------------------------------------------------------------


def verifier(import_id: int, *, forcer: bool = False) -> RapportImport | None:
    """Check the stored file and compute its differences with the roll; write nothing
    to the roll. Returns None if the import was not there to check (already done, or held
    by another worker)."""
    jeton = _prendre(
        import_id,
        [EtatImport.DEPOSE, EtatImport.VERIFICATION, EtatImport.PERIME],
        forcer=forcer,
    )
    if jeton is None:
        return None
    import_ = ImportListe.objects.select_related("campagne").get(pk=import_id)
    try:
        with transaction.atomic():
            import_ = _verrouiller(import_id, jeton)
            import_.etat, import_.phase, import_.lignes_traitees = (
                EtatImport.VERIFICATION,
                "empreinte",
                0,
            )
            import_.save(update_fields=["etat", "phase", "lignes_traitees"])
    except IntegrityError:  # a checked import checked again while another one runs
        ImportListe.objects.filter(pk=import_id, jeton=jeton).update(jeton="")
        raise ImportRefuse(MESSAGE_IMPORT_EN_COURS) from None
    try:
        scrutins = _scrutins(import_.campagne)
        # Taken before the file is read: any change to the roll after this instant makes
        # the application's own fingerprint differ, and the application refuses.
        empreinte_liste = empreinte_de_la_liste(scrutins)
        rapport = _verifier_fichier(import_, jeton, scrutins)
        with transaction.atomic():
            import_ = _verrouiller(import_id, jeton)
            import_.rapport = rapport.vers_json()
            import_.empreinte_liste = empreinte_liste
            import_.lignes_traitees = import_.lignes_du_fichier
            import_.phase = ""
            if rapport.refuse:
                _terminer(import_, EtatImport.REFUSE)
            else:
                import_.etat, import_.jeton = EtatImport.VERIFIE, ""
            import_.save()
            journaliser(
                "liste_electorale.verifiee",
                campagne=import_.campagne.slug,
                import_liste=import_.pk,
                erreurs=rapport.nombre_erreurs,
                **_chiffres(rapport),
            )
    except MainPerdue:
        return None
    return rapport


def _scrutins(campagne: Campagne) -> dict[int, str]:
    return dict(Scrutin.objects.filter(campagne=campagne).values_list("pk", "code"))


def _chiffres(rapport: RapportImport) -> dict[str, Any]:
    return {
        "lignes": rapport.lignes_lues,
        "electeurs_ajoutes": rapport.electeurs_ajoutes,
        "electeurs_modifies": rapport.electeurs_modifies,
        "electeurs_retires": rapport.electeurs_retires,
        "electeurs_inchanges": rapport.electeurs_inchanges,
        "inscriptions_ajoutees": rapport.inscriptions_ajoutees,
        "inscriptions_retirees": rapport.inscriptions_retirees,
    }


def _verifier_fichier(import_: ImportListe, jeton: str, scrutins: dict[int, str]) -> RapportImport:
    campagne = import_.campagne
    rapport = RapportImport(simulation=True)
    with open(import_.chemin, "rb") as flux:
        encodage = detecter_encodage(flux, rapport)
        if encodage is None:
            return rapport
        rapport.encodage = encodage
        rapport.avertissements += _avertissements(campagne=campagne, encodage=encodage)
        lecteur = _lecteur(campagne, scrutins, rapport, doublons=True)
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
                    _signe_de_vie(
                        import_.pk, jeton, phase="lecture", lignes_traitees=lot[-1].numero
                    )
        finally:
            lecteur.fermer()
    if rapport.refuse:
        # The database checks come by batches, after the rows' own errors.
        rapport.erreurs.sort(key=lambda erreur: erreur.ligne)
        return rapport
    _signe_de_vie(import_.pk, jeton, phase="retraits")
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


def _lecteur(
    campagne: Campagne, scrutins: dict[int, str], rapport: RapportImport, *, doublons: bool
) -> Lecteur:
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
    if clock.now() >= min(campagne.ouverture, ouverture_propre or campagne.ouverture):
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


# --- Application ---------------------------------------------------------------------------


def demander_application(
    import_: ImportListe,
    *,
    compte_id: int | None = None,
    ip: str = "",
    conserver_reclamations: bool = True,
) -> ImportListe:
    """Move a checked import to its application; the worker then does it. Refused if the
    import is not (or no longer) checked, or if another import of the campaign runs.

    ``conserver_reclamations``: keep the inscriptions that accepted claims added and the
    file would remove (the check lists them). The choice is stored with the import, so
    that a resumed application makes the same one, and journaled.
    """
    try:
        with transaction.atomic():
            import_ = ImportListe.objects.select_for_update().get(pk=import_.pk)
            if import_.etat != EtatImport.VERIFIE:
                raise ImportRefuse(
                    "Cet import n'est pas prêt à être appliqué : il est "
                    f"« {import_.get_etat_display().lower()} »."
                )
            import_.etat, import_.phase, import_.lignes_traitees = (
                EtatImport.APPLICATION,
                "attente",
                0,
            )
            import_.applique_par_id = compte_id
            import_.conserver_reclamations = conserver_reclamations
            import_.battement = None
            import_.save()
            reclamees = RapportImport.depuis_json(import_.rapport).retraits_reclames
            journaliser(
                "liste_electorale.application_demandee",
                compte_id=compte_id,
                ip=ip,
                campagne=import_.campagne.slug,
                import_liste=import_.pk,
                # Claim numbers, no names: the journal holds no personal data.
                retraits_reclames=len(reclamees),
                reclamations=sorted({r["reclamation_id"] for r in reclamees}),
                conserver_reclamations=conserver_reclamations,
            )
    except IntegrityError:
        raise ImportRefuse(MESSAGE_IMPORT_EN_COURS) from None
    return import_


def appliquer(import_id: int, *, forcer: bool = False) -> RapportImport | None:
    """Apply a checked import by batches, from its checkpoint on, then remove the voters
    the file does not list. Returns what was changed, or None if this worker could not
    take the import (done already, or held by a live worker)."""
    jeton = _prendre(import_id, [EtatImport.APPLICATION], forcer=forcer)
    if jeton is None:
        return None
    import_ = ImportListe.objects.select_related("campagne").get(pk=import_id)
    scrutins = _scrutins(import_.campagne)
    try:
        if import_.phase in ("", "attente"):
            refus = _controler_avant_application(import_, scrutins)
            if refus:
                with transaction.atomic():
                    import_ = _verrouiller(import_id, jeton)
                    import_.etat, import_.jeton, import_.phase = EtatImport.PERIME, "", ""
                    import_.message = refus
                    import_.save()
                return None
            _signe_de_vie(import_id, jeton, phase="application", compteurs={})
        if import_.phase in ("", "attente", "application"):
            _appliquer_le_fichier(import_id, jeton, scrutins)
            _signe_de_vie(import_id, jeton, phase="retraits")
        _retirer_les_absents(import_id, jeton, scrutins)
        with transaction.atomic():
            import_ = _verrouiller(import_id, jeton)
            rapport = RapportImport.depuis_json(import_.compteurs)
            rapport.inscriptions_conservees = len(_gardees(import_))
            import_.compteurs = rapport.vers_json()
            import_.phase = ""
            import_.lignes_traitees = import_.lignes_du_fichier
            import_.save(update_fields=["compteurs", "phase", "lignes_traitees"])
            _terminer(import_, EtatImport.APPLIQUE)
            journaliser(
                "liste_electorale.importee",
                compte_id=import_.applique_par_id,
                campagne=import_.campagne.slug,
                import_liste=import_.pk,
                inscriptions_conservees=rapport.inscriptions_conservees,
                **_chiffres(rapport),
            )
    except MainPerdue:
        return None
    except (ListeScellee, IntegrityError) as erreur:
        message = erreur.message if isinstance(erreur, ListeScellee) else MESSAGE_CONFLIT
        with transaction.atomic():
            import_ = ImportListe.objects.select_for_update().get(pk=import_id)
            if import_.jeton == jeton:
                import_.etat, import_.jeton, import_.message = (
                    EtatImport.INTERROMPU,
                    "",
                    message,
                )
                import_.save(update_fields=["etat", "jeton", "message"])
        raise
    return rapport


def _gardees(import_: ImportListe) -> frozenset[int]:
    """The inscriptions the file would remove that the application keeps: those the check
    found added by an accepted claim, if the administrator chose to keep them. Read from
    the import's row, where the check and the choice were stored: a resumed application
    keeps exactly the same ones."""
    if not import_.conserver_reclamations:
        return frozenset()
    rapport = RapportImport.depuis_json(import_.rapport)
    return frozenset(r["inscription"] for r in rapport.retraits_reclames)


def _controler_avant_application(import_: ImportListe, scrutins: dict[int, str]) -> str:
    """Apply exactly the checked file, onto the roll as the check saw it."""
    empreinte = hashlib.sha256()
    try:
        with open(import_.chemin, "rb") as flux:
            while bloc := flux.read(1024 * 1024):
                empreinte.update(bloc)
    except OSError:
        return MESSAGE_FICHIER_CHANGE
    if empreinte.hexdigest() != import_.empreinte:
        return MESSAGE_FICHIER_CHANGE
    if empreinte_de_la_liste(scrutins) != import_.empreinte_liste:
        return MESSAGE_LISTE_CHANGEE
    return ""


def _appliquer_le_fichier(import_id: int, jeton: str, scrutins: dict[int, str]) -> None:
    import_ = ImportListe.objects.select_related("campagne").get(pk=import_id)
    encodage = RapportImport.depuis_json(import_.rapport).encodage
    gardees = _gardees(import_)
    # The file was checked: this reading meets only valid rows and reports nothing.
    lecteur = _lecteur(import_.campagne, scrutins, RapportImport(simulation=False), doublons=False)
    with open(import_.chemin, "rb") as flux, texte_du_flux(flux, 0, encodage) as texte:
        restantes = (ligne for ligne in lecteur.lignes(texte) if ligne.numero > import_.reprise)
        for lot in itertools.batched(restantes, TAILLE_LOT):
            with transaction.atomic():
                courant = _verrouiller(import_id, jeton)
                rapport = RapportImport.depuis_json(courant.compteurs)
                rapport.simulation = False
                _appliquer(
                    lot, scrutins=scrutins, rapport=rapport, import_id=import_id, gardees=gardees
                )
                # The checkpoint is committed with the batch it follows, never apart.
                courant.reprise = lot[-1].numero
                courant.lignes_traitees = lot[-1].numero
                courant.compteurs = rapport.vers_json()
                courant.battement = clock.now()
                courant.save(update_fields=["reprise", "lignes_traitees", "compteurs", "battement"])


def _appliquer(
    lot: tuple[Ligne, ...],
    *,
    scrutins: dict[int, str],
    rapport: RapportImport,
    import_id: int,
    gardees: frozenset[int] = frozenset(),
) -> None:
    etat = etat_du_lot(lot, scrutins)
    nouveaux: list[Ligne] = []
    modifies: list[Electeur] = []
    emails_modifies: list[Compte] = []
    a_inscrire: list[Inscription] = []
    a_retirer: list[int] = []
    connus: list[int] = []
    # The scrutins whose roll this batch changes: a sealed one stops the import.
    touches: set[int] = set()
    for ligne in lot:
        electeur = etat.electeurs.get(ligne.empreinte)
        actuelles = etat.inscriptions[electeur.pk] if electeur else {}
        diff = difference(ligne, electeur, actuelles, gardees)
        noter(rapport, ligne, diff, scrutins, cree=electeur is None)
        touches |= diff.ajouts | diff.retraits.keys()
        if electeur is None:
            nouveaux.append(ligne)
            continue
        connus.append(electeur.pk)
        a_inscrire += [
            Inscription(electeur=electeur, scrutin_id=s, import_liste_id=import_id)
            for s in diff.ajouts
        ]
        a_retirer += diff.retraits.values()
        if set(diff.champs) - {"email"}:
            for k, val in ligne.identite.items():
                setattr(electeur, k, val)
            modifies.append(electeur)
        if "email" in diff.champs:
            electeur.compte.email = ligne.email
            emails_modifies.append(electeur.compte)
    scelles = sorted(scrutins_scelles(touches))
    if scelles:
        raise ListeScellee([scrutins[s] for s in scelles])

    # Rows were checked field by field against the models' rules, which bulk writes skip.
    Electeur.objects.bulk_update(modifies, CHAMPS_D_IDENTITE)
    Compte.objects.bulk_update(emails_modifies, ["email"])
    Inscription.objects.filter(pk__in=a_retirer).delete()
    # Marked: listed by this file. A kept claimed line is not, so it stays claimed.
    Inscription.objects.filter(
        pk__in=[
            pk for pk, _, _ in inscriptions_des_electeurs(connus, scrutins) if pk not in gardees
        ]
    ).update(import_liste_id=import_id)
    comptes = {
        c.email: c for c in Compte.objects.filter(email__in=[ligne.email for ligne in nouveaux])
    }
    # What set_unusable_password() stores, without its 40 draws of random.choice each:
    # the voter sets a password at activation.
    a_creer = [
        Compte(email=ligne.email, password=UNUSABLE_PASSWORD_PREFIX + secrets.token_hex(20))
        for ligne in nouveaux
        if ligne.email not in comptes
    ]
    comptes |= {c.email: c for c in Compte.objects.bulk_create(a_creer)}
    crees = Electeur.objects.bulk_create(
        Electeur(compte=comptes[ligne.email], numen_empreinte=ligne.empreinte, **ligne.identite)
        for ligne in nouveaux
    )
    for electeur, ligne in zip(crees, nouveaux, strict=True):
        a_inscrire += [
            Inscription(electeur=electeur, scrutin_id=s, import_liste_id=import_id)
            for s in ligne.scrutin_ids
        ]
    Inscription.objects.bulk_create(a_inscrire)


def _retirer_les_absents(import_id: int, jeton: str, scrutins: dict[int, str]) -> None:
    """Remove, batch by batch, the campaign's inscriptions this import did not list, but
    those kept at the administrator's choice."""
    gardees = _gardees(ImportListe.objects.get(pk=import_id))
    while _retirer_un_lot(import_id, jeton, scrutins, gardees=gardees):
        pass


def _retirer_un_lot(
    import_id: int, jeton: str, scrutins: dict[int, str], *, gardees: frozenset[int] = frozenset()
) -> bool:
    """One batch of removals, committed with its counts; False once none is left."""
    with transaction.atomic():
        courant = _verrouiller(import_id, jeton)
        rangs = list(
            Inscription.objects.filter(scrutin_id__in=list(scrutins))
            .exclude(import_liste_id=import_id)
            .exclude(pk__in=gardees)
            .order_by("pk")
            .values_list("pk", "electeur_id", "scrutin_id")[:LOT_DE_RETRAITS]
        )
        if not rangs:
            return False
        scelles = sorted(scrutins_scelles({s for _, _, s in rangs}))
        if scelles:
            raise ListeScellee([scrutins[s] for s in scelles])
        rapport = RapportImport.depuis_json(courant.compteurs)
        Inscription.objects.filter(pk__in=[pk for pk, _, _ in rangs]).delete()
        for _, _, scrutin_id in rangs:
            rapport.inscriptions(scrutins[scrutin_id], retirees=1)
        # A voter is counted once, with the batch that removes their last inscription.
        electeurs = {e for _, e, _ in rangs}
        restants = {e for _, e, _ in inscriptions_des_electeurs(electeurs, scrutins)}
        for electeur in Electeur.objects.filter(pk__in=electeurs - restants).order_by("pk"):
            exemple = None
            if len(rapport.echantillons.get("retires", [])) < ECHANTILLON_MAX:
                codes = [scrutins[s] for _, e, s in rangs if e == electeur.pk]
                exemple = exemple_de_retrait(electeur, codes)
            rapport.noter("retires", exemple)
        courant.compteurs = rapport.vers_json()
        courant.battement = clock.now()
        courant.save(update_fields=["compteurs", "battement"])
    return True


# --- All at once, for the command line and the tests ---------------------------------------


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
    worker has been silent for :data:`DELAI_DE_SILENCE`, or right away with ``reprendre``
    (the operator knows that the process that applied it is dead).

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
        and en_panne.empreinte == _sha256(fichier)
    ):
        if en_panne.etat == EtatImport.INTERROMPU:
            ImportListe.objects.filter(pk=en_panne.pk).update(
                etat=EtatImport.APPLICATION, jeton="", message=""
            )
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
            _terminer(import_, EtatImport.ABANDONNE)
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


def _sha256(fichier: str | os.PathLike[str] | IO[bytes]) -> str:
    """The SHA-256 of a file given again, to recognise an import cut short; the position
    of a stream is left as it was."""
    empreinte = hashlib.sha256()
    with _ouvrir(fichier) as flux:
        if not flux.seekable():
            return ""
        debut = flux.tell()
        while bloc := flux.read(1024 * 1024):
            empreinte.update(bloc)
        flux.seek(debut)
    return empreinte.hexdigest()
