"""The application of a checked import: only of the file the check read (same SHA-256)
and onto the roll as the check saw it (same fingerprint), by batches of rows, each
committed with the import's checkpoint, so that a killed worker loses one batch and its
successor goes on from there; every inscription a row lists is marked with the import.
Then the campaign's inscriptions the import did not mark, those of the voters the file no
longer lists, are removed, by batches too. The end state is that of one uninterrupted run.
"""

import hashlib
import itertools
import secrets

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import IntegrityError, transaction

from isoloir.accounts.models import CHAMPS_D_IDENTITE, Compte, Electeur
from isoloir.audit.services import journaliser
from isoloir.core import bail, horloge
from isoloir.core.lecture_csv import texte_du_flux
from isoloir.elections.import_liste.comparaison import (
    difference,
    empreinte_de_la_liste,
    etat_du_lot,
    exemple_de_retrait,
    inscriptions_des_electeurs,
    noter,
)
from isoloir.elections.import_liste.etats import (
    DELAI_DE_SILENCE,
    MESSAGE_CONFLIT,
    MESSAGE_FICHIER_CHANGE,
    MESSAGE_IMPORT_EN_COURS,
    MESSAGE_LISTE_CHANGEE,
    ImportRefuse,
    ListeScellee,
    chiffres,
    terminer,
)
from isoloir.elections.import_liste.lecture import TAILLE_LOT, Ligne
from isoloir.elections.import_liste.rapport import ECHANTILLON_MAX, RapportImport
from isoloir.elections.import_liste.verification import lecteur_de_la_liste, scrutins_de_la_campagne
from isoloir.elections.models import EtatImport, ImportListe, Inscription
from isoloir.elections.verrous import scrutins_scelles

LOT_DE_RETRAITS = 2000


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
    jeton = bail.prendre(
        ImportListe,
        import_id,
        etats=[EtatImport.APPLICATION],
        duree=DELAI_DE_SILENCE,
        forcer=forcer,
    )
    if jeton is None:
        return None
    import_ = ImportListe.objects.select_related("campagne").get(pk=import_id)
    scrutins = scrutins_de_la_campagne(import_.campagne)
    try:
        if import_.phase in ("", "attente"):
            refus = _controler_avant_application(import_, scrutins)
            if refus:
                with transaction.atomic():
                    import_ = bail.verrouiller(ImportListe, import_id, jeton)
                    import_.etat, import_.jeton, import_.phase = EtatImport.PERIME, "", ""
                    import_.message = refus
                    import_.save()
                return None
            bail.signe_de_vie(ImportListe, import_id, jeton, phase="application", compteurs={})
        if import_.phase in ("", "attente", "application"):
            _appliquer_le_fichier(import_id, jeton, scrutins)
            bail.signe_de_vie(ImportListe, import_id, jeton, phase="retraits")
        _retirer_les_absents(import_id, jeton, scrutins)
        with transaction.atomic():
            import_ = bail.verrouiller(ImportListe, import_id, jeton)
            rapport = RapportImport.depuis_json(import_.compteurs)
            rapport.inscriptions_conservees = len(_gardees(import_))
            import_.compteurs = rapport.vers_json()
            import_.phase = ""
            import_.lignes_traitees = import_.lignes_du_fichier
            import_.save(update_fields=["compteurs", "phase", "lignes_traitees"])
            terminer(import_, EtatImport.APPLIQUE)
            journaliser(
                "liste_electorale.importee",
                compte_id=import_.applique_par_id,
                campagne=import_.campagne.slug,
                import_liste=import_.pk,
                inscriptions_conservees=rapport.inscriptions_conservees,
                **chiffres(rapport),
            )
    except bail.BailPerdu:
        return None
    except (ListeScellee, IntegrityError) as erreur:
        message = erreur.message if isinstance(erreur, ListeScellee) else MESSAGE_CONFLIT
        bail.rendre(ImportListe, import_id, jeton, etat=EtatImport.INTERROMPU, message=message)
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
    lecteur = lecteur_de_la_liste(
        import_.campagne, scrutins, RapportImport(simulation=False), doublons=False
    )
    with open(import_.chemin, "rb") as flux, texte_du_flux(flux, 0, encodage) as texte:
        restantes = (ligne for ligne in lecteur.lignes(texte) if ligne.numero > import_.reprise)
        for lot in itertools.batched(restantes, TAILLE_LOT):
            with transaction.atomic():
                courant = bail.verrouiller(ImportListe, import_id, jeton)
                rapport = RapportImport.depuis_json(courant.compteurs)
                rapport.simulation = False
                _appliquer(
                    lot, scrutins=scrutins, rapport=rapport, import_id=import_id, gardees=gardees
                )
                # The checkpoint is committed with the batch it follows, never apart.
                courant.reprise = lot[-1].numero
                courant.lignes_traitees = lot[-1].numero
                courant.compteurs = rapport.vers_json()
                courant.battement = horloge.maintenant()
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
        courant = bail.verrouiller(ImportListe, import_id, jeton)
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
        courant.battement = horloge.maintenant()
        courant.save(update_fields=["compteurs", "battement"])
    return True
