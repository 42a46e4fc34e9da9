"""The assistance mails, all to an account's own address (never to an address typed in a
form that is not an account's): the acknowledgment, the reply, the lock lifted.

The acknowledgment names neither the person who filed nor their message: whoever typed
this address may not be its owner, who learns only that a request was filed with it.
"""

from django.urls import reverse

from isoloir.accounts.models import Electeur
from isoloir.assistance.models import DemandeAssistance, ReponseAssistance
from isoloir.notify.composition import Contenu, CourrielSansObjet, composeur, lien_absolu
from isoloir.notify.models import Courriel


def _salutation(courriel: Courriel) -> str:
    electeur = Electeur.objects.filter(compte_id=courriel.compte_id).first()
    return electeur.formule_d_appel if electeur else ""


def _liens() -> dict[str, str]:
    return {
        "url_assistance": lien_absolu(reverse("portail:assistance_telephonique")),
        "url_demande": lien_absolu(reverse("assistance:demande")),
    }


@composeur("assistance_accuse")
def accuse(courriel: Courriel) -> Contenu:
    demande = DemandeAssistance.objects.filter(pk=courriel.contexte.get("demande")).first()
    if demande is None:
        raise CourrielSansObjet
    return Contenu(
        objet=f"Demande d'assistance n° {demande.numero} reçue",
        gabarit="assistance/mails/accuse",
        contexte={
            "salutation": _salutation(courriel),
            "numero": demande.numero,
            "categorie": demande.get_categorie_display(),
            **_liens(),
        },
    )


@composeur("assistance_reponse")
def reponse(courriel: Courriel) -> Contenu:
    trouvee = (
        ReponseAssistance.objects.select_related("demande")
        .filter(pk=courriel.contexte.get("reponse"))
        .first()
    )
    if trouvee is None:
        raise CourrielSansObjet
    return Contenu(
        objet=f"Réponse à votre demande d'assistance n° {trouvee.demande.numero}",
        gabarit="assistance/mails/reponse",
        contexte={
            "salutation": _salutation(courriel),
            "numero": trouvee.demande.numero,
            "texte": trouvee.texte,
            **_liens(),
        },
    )


@composeur("reassort_deverrouille")
def deverrouille(courriel: Courriel) -> Contenu:
    return Contenu(
        objet="Le réassort de votre code de vote est débloqué",
        gabarit="assistance/mails/deverrouille",
        contexte={
            "salutation": _salutation(courriel),
            "url_reassort": lien_absolu(reverse("votecode:choix_reassort")),
            **_liens(),
        },
    )
