"""The receipt mailed to the professional address (A16).

Its context holds the ballot's tracker, which links the voter to a ballot: it is kept
only until the mail leaves, then erased (``ephemere``)."""

from datetime import datetime

from django.urls import reverse

from isoloir.accounts.models import Electeur
from isoloir.elections.models import Scrutin
from isoloir.notify.composition import Contenu, composeur, lien_absolu
from isoloir.notify.models import Courriel

TYPE_ACCUSE = "accuse_de_vote"


@composeur(TYPE_ACCUSE, ephemere=True)
def accuse_de_vote(courriel: Courriel) -> Contenu:
    electeur = Electeur.objects.get(compte_id=courriel.compte_id)
    scrutin = Scrutin.objects.select_related("campagne").get(pk=courriel.contexte["scrutin"])
    return Contenu(
        objet=f"Accusé de réception de votre vote — {scrutin.intitule}",
        gabarit="booth/mails/accuse",
        contexte={
            "salutation": electeur.formule_d_appel,
            "scrutin": scrutin,
            "emarge_le": datetime.fromisoformat(str(courriel.contexte["emarge_le"])),
            "traceur": courriel.contexte["traceur"],
            "url_tableau": lien_absolu(
                reverse("booth:tableau", args=[scrutin.campagne.slug, scrutin.code])
            ),
        },
    )
