"""Django's admin behind the same guard as the back-office's own pages."""

from typing import Any

from django.contrib.admin import AdminSite
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from isoloir.accounts.second_facteur import est_verifie, exige_second_facteur
from isoloir.gestion.roles import RoleDeGestion, a_le_role


class SiteAdministration(AdminSite):
    site_header = "Isoloir — back-office des élections"
    site_title = "Isoloir"
    index_title = "Administration des élections"
    # The admin's own login form is replaced in accounts/admin.py (throttled, journaled).

    def has_permission(self, request: HttpRequest) -> bool:
        return (
            bool(request.user.is_active and request.user.is_staff)
            and a_le_role(request, RoleDeGestion.ADMINISTRATION)
            and est_verifie(request)
        )

    def admin_view(self, view: Any, cacheable: bool = False) -> Any:
        gardee = super().admin_view(view, cacheable)

        def enveloppe(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            refuser_sans_le_role(request)
            # A logged-in administrator who has not proved the second factor in this
            # session is sent to it (then back here), not to the admin's login page again.
            if request.user.is_authenticated and request.user.is_staff and not est_verifie(request):
                return exige_second_facteur(gardee)(request, *args, **kwargs)
            return gardee(request, *args, **kwargs)

        enveloppe.admin_site = self  # type: ignore[attr-defined]
        return enveloppe

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        refuser_sans_le_role(request)
        return super().login(request, extra_context)


def refuser_sans_le_role(request: HttpRequest) -> None:
    """A logged-in person without the administration role (the helpdesk, a voter) is told
    « Accès refusé », not shown a login form they could do nothing with."""
    if request.user.is_authenticated and not a_le_role(request, RoleDeGestion.ADMINISTRATION):
        raise PermissionDenied("Le back-office technique est réservé à l'administration.")
