"""The réassort's mails to the professional address: none carries a link or a code."""

from django.urls import reverse

from isoloir.accounts.models import Electeur
from isoloir.notify.composition import Contenu, composeur, lien_absolu
from isoloir.notify.models import Courriel

LIBELLES_CANAL = {"email": "par e-mail", "sms": "par SMS", "franceconnect": "via FranceConnect"}


def _contexte(courriel: Courriel) -> dict[str, object]:
    electeur = Electeur.objects.get(compte_id=courriel.compte_id)
    return {
        "salutation": electeur.formule_d_appel,
        "canal": LIBELLES_CANAL.get(str(courriel.contexte.get("canal", "")), ""),
        "destination": courriel.contexte.get("destination", ""),
        "url_assistance": lien_absolu(reverse("accounts:assistance_telephonique")),
    }


@composeur("reassort_demande")
def demande(courriel: Courriel) -> Contenu:
    return Contenu(
        objet="Demande de réassort de votre code de vote",
        gabarit="votecode/mails/demande",
        contexte=_contexte(courriel),
    )


@composeur("reassort_bloque")
def bloque(courriel: Courriel) -> Contenu:
    return Contenu(
        objet="Réassort de votre code de vote bloqué",
        gabarit="votecode/mails/bloque",
        contexte=_contexte(courriel),
    )


@composeur("reassort_effectue")
def effectue(courriel: Courriel) -> Contenu:
    return Contenu(
        objet="Votre code de vote a été renouvelé",
        gabarit="votecode/mails/effectue",
        contexte=_contexte(courriel),
    )
