"""The back-office's groups and what the administration's may change in Django's admin."""

from typing import Any

from django.contrib.auth.models import Group, Permission

from isoloir.gestion.roles import NOMS_DES_GROUPES, RoleDeGestion

# The administration edits the election's data, the accounts, and can revoke a member's
# second factor (a lost phone). It never sees the journal's rows change: the audit app
# registers them read-only.
APPLICATIONS_ADMINISTREES = {
    "accounts",
    "elections",
    "notify",
    "votecode",
    "counting",
    "audit",
    "reclamations",
    "assistance",
    "otp_totp",
    "otp_static",
}


def creer_les_groupes(**_: Any) -> None:
    """After every migration: the groups exist and the administration's has the rights on
    every model of the applications above (new models included)."""
    groupes = {
        role: Group.objects.get_or_create(name=nom)[0] for role, nom in NOMS_DES_GROUPES.items()
    }
    groupes[RoleDeGestion.ADMINISTRATION].permissions.add(
        *Permission.objects.filter(content_type__app_label__in=APPLICATIONS_ADMINISTREES)
    )
