"""The réassort's mails to the professional address: none carries a link or a code."""

from collections.abc import Callable

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
        "url_assistance": lien_absolu(reverse("portail:assistance_telephonique")),
    }


# type of mail → subject, template: the three mails of the réassort differ only by these.
MAILS = {
    "reassort_demande": ("Demande de réassort de votre code de vote", "demande"),
    "reassort_bloque": ("Réassort de votre code de vote bloqué", "bloque"),
    "reassort_effectue": ("Votre code de vote a été renouvelé", "effectue"),
}


def _composeur_de(objet: str, gabarit: str) -> Callable[[Courriel], Contenu]:
    def composer(courriel: Courriel) -> Contenu:
        return Contenu(
            objet=objet, gabarit=f"votecode/mails/{gabarit}", contexte=_contexte(courriel)
        )

    return composer


for _type, (_objet, _gabarit) in MAILS.items():
    composeur(_type)(_composeur_de(_objet, _gabarit))
