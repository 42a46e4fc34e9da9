"""The back-office's groups and what the administration's may change in Django's admin."""

from typing import Any

from django.apps import AppConfig, apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import DEFAULT_DB_ALIAS, router

from isoloir.gestion.roles import NOMS_DES_GROUPES, RoleDeGestion

# The administration edits the election's data and creates the accounts of the staff. It
# never sees the journal's rows change: the audit app registers them read-only.
APPLICATIONS_ADMINISTREES = {
    "accounts",
    "elections",
    "notify",
    "votecode",
    "counting",
    "audit",
    "reclamations",
    "assistance",
}
# A second factor can be revoked (a lost phone: the member enrols again), never created or
# changed by someone else: who set a member's device could pass for them.
DROITS_SUR_LE_SECOND_FACTEUR = {"otp_totp": ("view", "delete"), "otp_static": ("view", "delete")}


def creer_les_groupes(sender: AppConfig, using: str = DEFAULT_DB_ALIAS, **_: Any) -> None:
    """After every migration: the groups exist and the administration's has the rights on
    every model of the applications above (new models included).

    ``post_migrate`` is sent once per application; the rights of an application exist only
    once its own signal has been handled by auth, so the groups are set at the last one,
    after making sure every application's rights exist."""
    configurations = list(apps.get_app_configs())
    if sender is not configurations[-1] or not router.allow_migrate_model(using, Group):
        return  # not the last signal, or the ballot box's database (no accounts there)
    for configuration in configurations:
        create_permissions(configuration, verbosity=0, using=using)
    groupes = {
        role: Group.objects.using(using).get_or_create(name=nom)[0]
        for role, nom in NOMS_DES_GROUPES.items()
    }
    administration = groupes[RoleDeGestion.ADMINISTRATION]
    administration.permissions.add(
        *Permission.objects.filter(content_type__app_label__in=APPLICATIONS_ADMINISTREES)
    )
    for application, actions in DROITS_SUR_LE_SECOND_FACTEUR.items():
        droits = Permission.objects.filter(content_type__app_label=application)
        administration.permissions.add(*droits.filter(codename__regex=rf"^({'|'.join(actions)})_"))
        # Rights granted by an earlier version of this list are taken back.
        administration.permissions.remove(
            *droits.exclude(codename__regex=rf"^({'|'.join(actions)})_")
        )
