"""Applying a delivery list: each row's voter found, then the changes written at once.

The import checks every row before writing anything: one wrong row and nothing is
written, with a French message per row. Importing the same file twice changes nothing the
second time (rows equal to what is recorded are left alone and not counted as changes).
"""

from collections.abc import Iterator
from typing import IO

from django.db import IntegrityError, transaction
from django.utils import timezone

from isoloir.accounts.models import Electeur
from isoloir.audit.services import journaliser
from isoloir.core import horloge
from isoloir.elections.models import Campagne, Inscription
from isoloir.votecode.models import CodeDeVote, EtatRemise, RemiseDeNotice
from isoloir.votecode.remises.lecture import LigneRemise, lire
from isoloir.votecode.remises.rapport import RapportRemises

TAILLE_LOT = 1000


# --- Checking against the database --------------------------------------------------------------


def _par_lots[T](elements: list[T]) -> Iterator[list[T]]:
    for debut in range(0, len(elements), TAILLE_LOT):
        yield elements[debut : debut + TAILLE_LOT]


def _resoudre(lignes: list[LigneRemise], campagne: Campagne, rapport: RapportRemises) -> None:
    """Find each row's voter; report unknown voters, voters outside the campaign, voters
    without a notice, and voters listed twice."""
    par_email: dict[str, tuple[int, str]] = {}
    for lot in _par_lots(sorted({ligne.email for ligne in lignes if ligne.email})):
        for email, pk, etablissement in Electeur.objects.filter(compte__email__in=lot).values_list(
            "compte__email", "pk", "etablissement"
        ):
            par_email[email.lower()] = (pk, etablissement)
    par_numen: dict[str, tuple[int, str]] = {}
    for lot in _par_lots(
        sorted({ligne.empreinte_numen for ligne in lignes if ligne.empreinte_numen})
    ):
        for empreinte, pk, etablissement in Electeur.objects.filter(
            numen_empreinte__in=lot
        ).values_list("numen_empreinte", "pk", "etablissement"):
            par_numen[empreinte] = (pk, etablissement)

    trouvees: list[LigneRemise] = []
    for ligne in lignes:
        avant = rapport.nombre_erreurs
        selon_email = par_email.get(ligne.email) if ligne.email else None
        selon_numen = par_numen.get(ligne.empreinte_numen) if ligne.empreinte_numen else None
        if ligne.email and selon_email is None:
            rapport.signaler(ligne.numero, "email", "Aucun électeur n'a cette adresse.")
        if ligne.empreinte_numen and selon_numen is None:
            rapport.signaler(ligne.numero, "numen", "Aucun électeur n'a ce NUMEN.")
        if selon_email and selon_numen and selon_email != selon_numen:
            rapport.signaler(
                ligne.numero, "numen", "L'adresse et le NUMEN désignent deux électeurs différents."
            )
        if rapport.nombre_erreurs > avant:
            continue
        ligne.electeur_id, ligne.etablissement = selon_email or selon_numen  # type: ignore[misc]
        trouvees.append(ligne)

    ids = sorted({ligne.electeur_id for ligne in trouvees})
    inscrits: set[int] = set()
    avec_code: set[int] = set()
    for ids_du_lot in _par_lots(ids):
        inscrits.update(
            Inscription.objects.filter(electeur_id__in=ids_du_lot, scrutin__campagne=campagne)
            .values_list("electeur_id", flat=True)
            .distinct()
        )
        avec_code.update(
            CodeDeVote.objects.filter(electeur_id__in=ids_du_lot).values_list(
                "electeur_id", flat=True
            )
        )
    premiere: dict[int, int] = {}
    for ligne in trouvees:
        if ligne.electeur_id not in inscrits:
            rapport.signaler(
                ligne.numero, "", "Cet électeur n'est inscrit sur aucune liste de la campagne."
            )
        elif ligne.electeur_id not in avec_code:
            rapport.signaler(
                ligne.numero, "", "Aucune notice n'a encore été générée pour cet électeur."
            )
        elif (deja := premiere.setdefault(ligne.electeur_id, ligne.numero)) != ligne.numero:
            rapport.signaler(ligne.numero, "", f"Électeur déjà présent ligne {deja}.")


# --- Import ---------------------------------------------------------------------------------


def importer_remises(
    fichier: bytes | IO[bytes],
    *,
    campagne: Campagne,
    simulation: bool,
    compte_id: int | None = None,
    ip: str = "",
) -> RapportRemises:
    """Check a delivery list and, unless ``simulation``, apply it in one transaction."""
    rapport = RapportRemises(simulation=simulation)
    lignes = lire(fichier, rapport, timezone.localdate(horloge.maintenant()))
    if rapport.refuse:
        return rapport
    _resoudre(lignes, campagne, rapport)
    if rapport.refuse:
        return rapport
    if simulation:
        _comparer(lignes, rapport, verrouiller=False)
        return rapport
    try:
        with transaction.atomic():
            a_creer, a_modifier = _comparer(lignes, rapport, verrouiller=True)
            RemiseDeNotice.objects.bulk_create(a_creer, batch_size=TAILLE_LOT)
            RemiseDeNotice.objects.bulk_update(
                a_modifier, ["etat", "date", "etablissement", "modifiee_le"], batch_size=TAILLE_LOT
            )
            journaliser(
                "notices.remises_importees",
                compte_id=compte_id,
                ip=ip,
                campagne=campagne.slug,
                lignes=rapport.lignes,
                inchangees=rapport.inchangees,
                **{f"etat_{etat}": n for etat, n in sorted(rapport.modifiees.items())},
            )
    except IntegrityError:
        # Another import recorded one of these voters meanwhile: nothing of this one is kept.
        rapport.modifiees.clear()
        rapport.inchangees = 0
        rapport.signaler(
            0, "", "Un autre import a modifié ces remises au même moment : relancez l'import."
        )
    return rapport


def _comparer(
    lignes: list[LigneRemise], rapport: RapportRemises, *, verrouiller: bool
) -> tuple[list[RemiseDeNotice], list[RemiseDeNotice]]:
    maintenant = horloge.maintenant()
    a_creer: list[RemiseDeNotice] = []
    a_modifier: list[RemiseDeNotice] = []
    for lot in _par_lots(lignes):
        requete = RemiseDeNotice.objects.filter(
            electeur_id__in=[ligne.electeur_id for ligne in lot]
        )
        if verrouiller:
            requete = requete.select_for_update()
        existantes = {r.electeur_id: r for r in requete}
        for ligne in lot:
            remise = existantes.get(ligne.electeur_id)
            actuel = (remise.etat, remise.date) if remise else (EtatRemise.EN_ATTENTE, None)
            if actuel == (ligne.etat, ligne.date):
                rapport.inchangees += 1
                continue
            rapport.modifiees[ligne.etat] += 1
            if remise is None:
                a_creer.append(
                    RemiseDeNotice(
                        electeur_id=ligne.electeur_id,
                        etat=ligne.etat,
                        date=ligne.date,
                        etablissement=ligne.etablissement,
                        modifiee_le=maintenant,
                    )
                )
            else:
                remise.etat, remise.date = ligne.etat, ligne.date
                remise.etablissement = ligne.etablissement
                remise.modifiee_le = maintenant
                a_modifier.append(remise)
    return a_creer, a_modifier
