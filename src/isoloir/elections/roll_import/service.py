"""Applying a checked roll file to the database, in one transaction."""

import itertools
import os
from collections.abc import Iterable
from typing import IO

from django.db import IntegrityError, transaction
from django.db.models import Min
from django.utils import timezone

from isoloir.accounts.models import Compte, Electeur
from isoloir.audit.services import journaliser
from isoloir.core import clock
from isoloir.counting.scellement import est_scelle
from isoloir.elections.models import Campagne, Inscription, Scrutin
from isoloir.elections.roll_import.lecture import (
    CHAMPS_D_IDENTITE,
    TAILLE_LOT,
    Lecteur,
    Ligne,
    detecter_encodage,
    flux_binaire,
    texte_du_flux,
)
from isoloir.elections.roll_import.rapport import RapportImport


class ListeScellee(Exception):
    """The import would change the roll of a scrutin its bureau has sealed."""

    def __init__(self, codes: list[str]) -> None:
        super().__init__(", ".join(codes))
        self.codes = codes


def importer_liste_electorale(
    *,
    campagne: Campagne,
    fichier: str | os.PathLike[str] | IO[bytes],
    simulation: bool = False,
    compte_id: int | None = None,
    ip: str = "",
) -> RapportImport:
    """Check a roll file and, if every row is right, apply it to ``campagne``.

    Each voter of the file, found by the hash of their NUMEN, is created or updated, and
    their inscriptions to this campagne's scrutins become exactly the listed ones; voters
    absent from the file and other campagnes are left as they are. With ``simulation`` the
    counts are computed and nothing is written. ``compte_id`` and ``ip`` say who imports,
    for the journal.
    """
    rapport = RapportImport(simulation=simulation)
    with flux_binaire(fichier) as flux:
        debut = flux.tell()
        encodage = detecter_encodage(flux, rapport)
        if encodage is None:
            return rapport
        rapport.encodage = encodage
        rapport.avertissements += _avertissements(campagne=campagne, encodage=encodage)
        codes = {
            code.lower(): pk
            for code, pk in Scrutin.objects.filter(campagne=campagne).values_list("code", "pk")
        }
        jour = timezone.localdate(campagne.ouverture)
        lecteur = Lecteur(codes=codes, jour=jour, rapport=rapport)
        try:
            with transaction.atomic(durable=True):
                # Two imports of the same campagne run one after the other.
                Campagne.objects.select_for_update().get(pk=campagne.pk)
                with texte_du_flux(flux, debut, encodage) as texte:
                    for lot in itertools.batched(lecteur.lignes(texte), TAILLE_LOT):
                        _verifier_conflits(lot, rapport)
                if rapport.refuse:
                    # The database checks come by batches, after the rows' own errors.
                    rapport.erreurs.sort(key=lambda erreur: erreur.ligne)
                    return rapport
                # The second reading meets the same rows, all valid, so it reports nothing.
                # The first one's memory of NUMENs and e-mails is let go before.
                del lecteur
                relecture = Lecteur(
                    codes=codes, jour=jour, rapport=RapportImport(simulation=simulation)
                )
                with texte_du_flux(flux, debut, encodage) as texte:
                    for lot in itertools.batched(relecture.lignes(texte), TAILLE_LOT):
                        _appliquer(lot, campagne=campagne, rapport=rapport, ecrire=not simulation)
                if not simulation:
                    journaliser(
                        "liste_electorale.importee",
                        compte_id=compte_id,
                        ip=ip,
                        campagne=campagne.slug,
                        lignes=rapport.lignes_lues,
                        electeurs_crees=rapport.electeurs_crees,
                        electeurs_mis_a_jour=rapport.electeurs_mis_a_jour,
                        electeurs_inchanges=rapport.electeurs_inchanges,
                        inscriptions_ajoutees=rapport.inscriptions_ajoutees,
                        inscriptions_retirees=rapport.inscriptions_retirees,
                    )
        except ListeScellee as refus:
            rapport = RapportImport(simulation=simulation, encodage=encodage)
            rapport.signaler(
                0,
                "",
                "La liste électorale de "
                + ", ".join(refus.codes)
                + " est scellée par le bureau de vote : elle ne peut plus changer. Rien n'a "
                "été enregistré.",
            )
        except IntegrityError:
            # Someone changed an account between our checks and our writes: all was undone.
            rapport = RapportImport(simulation=simulation, encodage=encodage)
            rapport.signaler(
                0,
                "",
                "La base a été modifiée pendant l'import ; rien n'a été enregistré. "
                "Relancez l'import.",
            )
    return rapport


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
    second pass can come in any order without breaking the uniqueness of e-mails.
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


def _appliquer(
    lot: Iterable[Ligne], *, campagne: Campagne, rapport: RapportImport, ecrire: bool
) -> None:
    lignes = list(lot)
    electeurs = {
        e.numen_empreinte: e
        for e in Electeur.objects.select_related("compte").filter(
            numen_empreinte__in=[ligne.empreinte for ligne in lignes]
        )
    }
    inscriptions: dict[int, dict[int, int]] = {e.pk: {} for e in electeurs.values()}
    for pk, electeur_id, scrutin_id in Inscription.objects.filter(
        electeur_id__in=inscriptions, scrutin__campagne=campagne
    ).values_list("pk", "electeur_id", "scrutin_id"):
        inscriptions[electeur_id][scrutin_id] = pk

    nouveaux: list[Ligne] = []
    modifies: list[Electeur] = []
    emails_modifies: list[Compte] = []
    a_inscrire: list[Inscription] = []
    a_retirer: list[int] = []
    # The scrutins whose roll this batch changes: a sealed one refuses the whole import.
    touches: set[int] = set()
    for ligne in lignes:
        electeur = electeurs.get(ligne.empreinte)
        if electeur is None:
            nouveaux.append(ligne)
            rapport.electeurs_crees += 1
            rapport.inscriptions_ajoutees += len(ligne.scrutin_ids)
            continue
        actuelles = inscriptions[electeur.pk]
        ajouts = ligne.scrutin_ids - actuelles.keys()
        retraits = [
            pk for scrutin_id, pk in actuelles.items() if scrutin_id not in ligne.scrutin_ids
        ]
        a_inscrire += [Inscription(electeur=electeur, scrutin_id=s) for s in ajouts]
        a_retirer += retraits
        rapport.inscriptions_ajoutees += len(ajouts)
        rapport.inscriptions_retirees += len(retraits)
        identite_changee = any(getattr(electeur, k) != val for k, val in ligne.identite.items())
        if identite_changee:
            for k, val in ligne.identite.items():
                setattr(electeur, k, val)
            modifies.append(electeur)
        email_change = electeur.compte.email != ligne.email
        if email_change:
            electeur.compte.email = ligne.email
            emails_modifies.append(electeur.compte)
        if identite_changee or email_change or ajouts or retraits:
            rapport.electeurs_mis_a_jour += 1
        else:
            rapport.electeurs_inchanges += 1
        touches.update(ajouts)
        touches.update(s for s, pk in actuelles.items() if pk in retraits)
    for ligne in nouveaux:
        touches.update(ligne.scrutin_ids)
    scelles = sorted(s for s in touches if est_scelle(s))
    if scelles:
        raise ListeScellee(
            list(Scrutin.objects.filter(pk__in=scelles).values_list("code", flat=True))
        )
    if not ecrire:
        return

    # Rows were checked field by field against the models' rules, which bulk writes skip.
    Electeur.objects.bulk_update(modifies, CHAMPS_D_IDENTITE)
    Compte.objects.bulk_update(emails_modifies, ["email"])
    Inscription.objects.filter(pk__in=a_retirer).delete()
    comptes = {
        c.email: c for c in Compte.objects.filter(email__in=[ligne.email for ligne in nouveaux])
    }
    a_creer = [Compte(email=ligne.email) for ligne in nouveaux if ligne.email not in comptes]
    for compte in a_creer:
        compte.set_unusable_password()
    comptes |= {c.email: c for c in Compte.objects.bulk_create(a_creer)}
    crees = Electeur.objects.bulk_create(
        Electeur(compte=comptes[ligne.email], numen_empreinte=ligne.empreinte, **ligne.identite)
        for ligne in nouveaux
    )
    for electeur, ligne in zip(crees, nouveaux, strict=True):
        a_inscrire += [Inscription(electeur=electeur, scrutin_id=s) for s in ligne.scrutin_ids]
    Inscription.objects.bulk_create(a_inscrire)
