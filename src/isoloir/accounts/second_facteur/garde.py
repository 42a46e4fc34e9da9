"""The guard of the bureau de vote's views: a session that proved its second factor, or
the way to prove it (login, enrolment, verification), coming back to the view after."""

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from isoloir.accounts.models import Compte
from isoloir.accounts.second_facteur.commun import a_un_appareil_confirme, est_verifie


def adresse_avec_suivant(nom_url: str, suivant: str) -> str:
    """The page ``nom_url``, which will send the member on to ``suivant`` (if any)."""
    if not suivant:
        return reverse(nom_url)
    return f"{reverse(nom_url)}?{urlencode({'next': suivant})}"


def exige_second_facteur(vue: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For the views of the bureau de vote: a logged-in account whose session proved its
    second factor. Otherwise: the login page, the enrolment (no application yet) or the
    verification (application, but not proved in this session), each coming back here."""

    @wraps(vue)
    def enveloppe(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        suivant = request.get_full_path()
        if not request.user.is_authenticated:
            return redirect_to_login(suivant)
        if est_verifie(request):
            return vue(request, *args, **kwargs)
        if not a_un_appareil_confirme(cast(Compte, request.user)):
            return redirect(adresse_avec_suivant("accounts:second_facteur_enrolement", suivant))
        return redirect(adresse_avec_suivant("accounts:second_facteur_verification", suivant))

    return enveloppe
