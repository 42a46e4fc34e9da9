"""The portal's bloc-marque: the administration that runs the elections, in the header and
the footer of every page and on the procès-verbal.

It is stored (:class:`~isoloir.core.models.PresentationDuPortail`), not read from one
process's environment: ``isoloir demo`` used to set ``ISOLOIR_MARQUE`` for the processes it
started, and the next ``isoloir serve`` lost the ministry. ``ISOLOIR_MARQUE`` stays the
default while nothing is stored, so that a deployment can be named before its first
login. The administration changes it in /gestion/ (organisation/portail.py journals it).

Every page shows it twice, and several web processes serve the portal: it is kept in the
shared cache (Redis in production) and rewritten there when it changes, and a request
reads it once (:func:`marque_de_la_requete`).
"""

from collections.abc import Sequence

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from isoloir.core.models import PresentationDuPortail

CLE_DU_CACHE = "portail:marque"
# Written on each change; the timeout only bounds a change made around the service (a
# shell, SQL by hand): it shows within five minutes.
DUREE_DU_CACHE = 300
# The DSFR's bloc-marque holds a few short lines ("Ministère / de l'Éducation / nationale").
LIGNES_AU_PLUS = 5
CARACTERES_PAR_LIGNE = 50
ATTRIBUT_DE_REQUETE = "_isoloir_marque"


def lire_lignes(texte: str) -> tuple[str, ...]:
    """The lines as typed in a textarea: blanks around each, and empty lines, dropped."""
    return tuple(ligne.strip() for ligne in texte.splitlines() if ligne.strip())


def verifier_marque(lignes: Sequence[str]) -> None:
    """Every reason the lines cannot make a bloc-marque, at once; none when empty (the
    configuration's marque then applies)."""
    erreurs = []
    if len(lignes) > LIGNES_AU_PLUS:
        erreurs.append(f"Au plus {LIGNES_AU_PLUS} lignes : le bloc-marque en a {len(lignes)}.")
    if any(len(ligne) > CARACTERES_PAR_LIGNE for ligne in lignes):
        erreurs.append(
            f"Au plus {CARACTERES_PAR_LIGNE} caractères par ligne : passez à la ligne plus tôt."
        )
    if any("<" in ligne or ">" in ligne for ligne in lignes):
        # The lines are escaped: a <br> typed here would be printed as such.
        erreurs.append("Écrivez chaque ligne sur sa propre ligne, sans balise HTML.")
    if erreurs:
        raise ValidationError(erreurs)


def marque_de_la_configuration() -> tuple[str, ...]:
    return tuple(settings.ISOLOIR_MARQUE.split("|"))


def marque_du_portail() -> tuple[str, ...]:
    """The stored marque's lines, or the configuration's when none is stored."""
    lignes = cache.get(CLE_DU_CACHE)
    if lignes is None:
        stockee = (
            PresentationDuPortail.objects.filter(pk=1).values_list("marque", flat=True).first()
        )
        # "Nothing stored" is cached too (as no lines): the default is read from the
        # settings at each call, so it follows them.
        lignes = lire_lignes(stockee or "")
        cache.set(CLE_DU_CACHE, lignes, DUREE_DU_CACHE)
    return tuple(lignes) or marque_de_la_configuration()


def marque_de_la_requete(request: HttpRequest | None) -> tuple[str, ...]:
    """:func:`marque_du_portail`, read once per request (the header and the footer)."""
    if request is None:
        return marque_du_portail()
    lignes: tuple[str, ...] | None = getattr(request, ATTRIBUT_DE_REQUETE, None)
    if lignes is None:
        lignes = marque_du_portail()
        setattr(request, ATTRIBUT_DE_REQUETE, lignes)
    return lignes


def enregistrer_marque(lignes: Sequence[str]) -> tuple[str, ...]:
    """Store the portal's marque (no lines: back to the configuration's) and return the
    lines now shown. Raises ``ValidationError`` for lines no bloc-marque can hold."""
    lignes = lire_lignes("\n".join(lignes))
    verifier_marque(lignes)
    with transaction.atomic():
        if lignes:
            PresentationDuPortail.objects.update_or_create(
                pk=1, defaults={"marque": "\n".join(lignes)}
            )
        else:
            PresentationDuPortail.objects.filter(pk=1).delete()
        # Dropped now, so that this transaction reads its own change; and again once
        # committed, in case another process cached the old value meanwhile.
        cache.delete(CLE_DU_CACHE)
        transaction.on_commit(lambda: cache.delete(CLE_DU_CACHE))
    return lignes or marque_de_la_configuration()
