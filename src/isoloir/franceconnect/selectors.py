"""Reads of the FranceConnect path."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

from isoloir.accounts.models import Electeur


def electeur_connecte(*, utilisateur: AbstractBaseUser | AnonymousUser) -> Electeur | None:
    """The voter behind the logged-in account: the only person FranceConnect's identity
    is compared with. None for an anonymous visitor or an account that is not a voter's
    (an administrator's)."""
    if not utilisateur.is_authenticated:
        return None
    return (
        Electeur.objects.select_related("compte")
        .filter(compte_id=utilisateur.pk, compte__is_active=True)
        .first()
    )
