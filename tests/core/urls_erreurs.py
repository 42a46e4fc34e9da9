"""The portal's URLs plus views that fail on purpose, one per error the portal answers."""

from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import path

from isoloir.urls import urlpatterns as urls_du_portail


def refus(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def requete_invalide(request: HttpRequest) -> HttpResponse:
    raise BadRequest("paramètre illisible")


class PanneSimulee(RuntimeError):
    pass


def panne(request: HttpRequest) -> HttpResponse:
    raise PanneSimulee("panne simulée")


urlpatterns = [
    path("essai/refus/", refus),
    path("essai/requete-invalide/", requete_invalide),
    path("essai/panne/", panne),
    *urls_du_portail,
]
