"""Who may do what in the back-office.

Three roles work behind the portal, each only on its own screens and each after its
second factor (TOTP, accounts/second_facteur/):
- **administration**: sets up campaigns, imports rolls, issues notices, sends mailings,
  decides on claims; the only role that reaches Django's admin (« back-office »);
- **assistance** (helpdesk): answers assistance requests and sees a voter's state, never a
  secret; may lift a réassort lock after checking the caller's identity;
- **bureau de vote** members: their bureau's screens (counting/views_bureau.py), given by
  their seat in the bureau, not by a group.

The first two are Django groups, so that an administrator grants them in the admin.
"""

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache

from isoloir.accounts.models import Compte
from isoloir.accounts.second_facteur import exige_second_facteur


class RoleDeGestion(StrEnum):
    ADMINISTRATION = "administration"
    ASSISTANCE = "assistance"

    @property
    def groupe(self) -> str:
        return NOMS_DES_GROUPES[self]


NOMS_DES_GROUPES = {
    RoleDeGestion.ADMINISTRATION: "Administration des élections",
    RoleDeGestion.ASSISTANCE: "Assistance",
}


def roles_du_compte(compte: Compte | AnonymousUser) -> set[RoleDeGestion]:
    if not compte.is_authenticated or not compte.is_active:
        return set()
    roles = {
        role
        for role, groupe in NOMS_DES_GROUPES.items()
        if groupe in {g.name for g in compte.groups.all()}
    }
    if compte.is_superuser:
        roles.add(RoleDeGestion.ADMINISTRATION)
    return roles


def a_le_role(request: HttpRequest, *roles: RoleDeGestion) -> bool:
    if not hasattr(request, "_isoloir_roles"):
        request._isoloir_roles = roles_du_compte(request.user)  # type: ignore[attr-defined]
    return bool(request._isoloir_roles & set(roles))  # type: ignore[attr-defined]


VueDeGestion = Callable[..., HttpResponse]


def exige_role(*roles: RoleDeGestion) -> Callable[[VueDeGestion], VueDeGestion]:
    """A back-office view: a logged-in account, its second factor proved in this session,
    and one of ``roles``; otherwise login, second factor, or 403. Never cached: these pages
    show voters' data."""

    def decorateur(vue: VueDeGestion) -> VueDeGestion:
        @wraps(vue)
        def enveloppe(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not a_le_role(request, *roles):
                raise PermissionDenied
            return vue(request, *args, **kwargs)

        return exige_second_facteur(never_cache(enveloppe))

    return decorateur


administration = exige_role(RoleDeGestion.ADMINISTRATION)
assistance = exige_role(RoleDeGestion.ASSISTANCE, RoleDeGestion.ADMINISTRATION)
