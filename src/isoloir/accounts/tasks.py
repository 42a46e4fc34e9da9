from django.db import transaction
from django.tasks import task

from isoloir.accounts.models import Compte
from isoloir.notify import services as courriels


@task()
def repondre_a_une_demande_de_lien(compte_id: int | None) -> str:
    """The worker's half of a forgotten password (services.demander_reinitialisation):
    the mail is decided here, out of the request, so that the request costs the same
    whether the address has an account or not. ``None``: nothing to send."""
    if compte_id is None:
        return "rien"
    compte = Compte.objects.filter(pk=compte_id, is_active=True).select_related("electeur").first()
    if compte is None:
        return "rien"  # deactivated meanwhile
    electeur = getattr(compte, "electeur", None)
    # A voter who never activated the account needs the activation link instead.
    type_courriel = "activation" if electeur and not electeur.est_active else "mot_de_passe"
    with transaction.atomic():
        courriels.programmer(
            type_courriel=type_courriel, compte_id=compte.pk, destinataire=compte.email
        )
    return type_courriel


def mettre_en_file_demande_de_lien(compte_id: int | None) -> None:
    repondre_a_une_demande_de_lien.enqueue(compte_id)
