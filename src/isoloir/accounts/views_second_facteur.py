"""Screens of the second factor: enrolment, verification (application or recovery code),
new recovery codes. The rules live in :mod:`isoloir.accounts.second_facteur`."""

import re
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from isoloir.accounts import second_facteur
from isoloir.accounts.models import Compte
from isoloir.core.pages import rendre_page
from isoloir.core.requetes import adresse_du_client

ATTRIBUTS_CODE = {
    "autocomplete": "one-time-code",
    "inputmode": "numeric",
    "spellcheck": "false",
    "autocapitalize": "off",
    "class": "fr-input",
}


class FormulaireFocaliseLErreur(forms.Form):
    """The first field in error gets the focus when the page comes back, so that a
    keyboard or screen-reader user lands on it and hears its message (RGAA 11.10)."""

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        for nom in self.errors:
            if nom in self.fields:
                self.fields[nom].widget.attrs["autofocus"] = True
                break


class CodeForm(FormulaireFocaliseLErreur):
    code = forms.CharField(
        label="Code à 6 chiffres",
        max_length=32,
        help_text="Le code affiché en ce moment par votre application, par exemple 123456.",
        widget=forms.TextInput(attrs=ATTRIBUTS_CODE),
    )

    def clean_code(self) -> str:
        code = re.sub(r"\s", "", self.cleaned_data["code"])
        if not re.fullmatch(r"[0-9]{6}", code):
            raise forms.ValidationError(
                "Saisissez les 6 chiffres affichés par votre application, sans autre caractère."
            )
        return code


class CodeDeSecoursForm(FormulaireFocaliseLErreur):
    code = forms.CharField(
        label="Code de secours",
        max_length=32,
        help_text="L'un des 10 codes reçus à l'activation, par exemple abcde-23456.",
        widget=forms.TextInput(
            attrs={**ATTRIBUTS_CODE, "inputmode": "text", "autocomplete": "off"}
        ),
    )

    def clean_code(self) -> str:
        code = second_facteur.normaliser_code_de_secours(self.cleaned_data["code"])
        if len(code) != second_facteur.LONGUEUR_SECOURS:
            raise forms.ValidationError(
                "Un code de secours compte 10 lettres et chiffres, par exemple abcde-23456."
            )
        return code


@dataclass(frozen=True)
class EspaceProtege:
    """How the second factor's pages name the space the person is going to."""

    prefixe: str  # a URL name: its path starts every page of the space
    reserve: str  # « Les pages du bureau de vote sont réservées à ses membres »


# The second factor guards the bureau's pages and the back-office. Accounts sit below the
# apps that know who holds which seat or role, so the page names the space by where the
# person is going (its URL), in that space's words.
ESPACES_PROTEGES = (
    EspaceProtege("counting:espace", "Les pages du bureau de vote sont réservées à ses membres"),
    EspaceProtege(
        "gestion:accueil",
        "L'espace de gestion des élections est réservé à l'administration et à l'assistance",
    ),
    EspaceProtege(
        "admin:index", "Le back-office technique est réservé à l'administration des élections"
    ),
)
ESPACE_PAR_DEFAUT = EspaceProtege(
    "", "Cet espace est réservé aux personnes qui organisent les élections"
)


def espace_protege(suivant: str) -> EspaceProtege:
    for espace in ESPACES_PROTEGES:
        try:
            if suivant.startswith(reverse(espace.prefixe)):
                return espace
        except NoReverseMatch:  # a space this deployment does not serve
            continue
    return ESPACE_PAR_DEFAUT


def _suivant(request: HttpRequest) -> str:
    suivant = request.GET.get("next") or request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        suivant, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    return suivant


def _refus(form: forms.Form, refus: second_facteur.SecondFacteurRefuse) -> None:
    form.add_error("code", refus.message)


@sensitive_post_parameters("code")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def enrolement(request: HttpRequest) -> HttpResponse:
    compte = cast(Compte, request.user)
    suivant = _suivant(request)
    try:
        enrolement = second_facteur.enroler(compte, ip=adresse_du_client(request))
    except second_facteur.DejaEnrole:
        if second_facteur.est_verifie(request):
            return redirect(suivant or settings.LOGIN_REDIRECT_URL)
        return redirect(
            second_facteur.adresse_avec_suivant("accounts:second_facteur_verification", suivant)
        )
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = second_facteur.confirmer(request, code=form.cleaned_data["code"])
        except second_facteur.SecondFacteurRefuse as refus:
            _refus(form, refus)
        else:
            # Rendered here rather than after a redirect: the codes are never written
            # anywhere (not even in the session) to be shown a second time.
            return _codes_de_secours(request, codes, suivant, premiere_fois=True)
    return rendre_page(
        request,
        "accounts/second_facteur/enrolement.html",
        "Activer la double authentification",
        form=form,
        enrolement=enrolement,
        suivant=suivant,
        espace=espace_protege(suivant),
    )


def _avant_la_verification(
    request: HttpRequest, compte: Compte, suivant: str
) -> HttpResponse | None:
    """Already proved in this session: on to ``suivant``. No application yet: enrol
    first. Otherwise None: the code is asked."""
    if second_facteur.est_verifie(request):
        return redirect(suivant or settings.LOGIN_REDIRECT_URL)
    if not second_facteur.a_un_appareil_confirme(compte):
        return redirect(
            second_facteur.adresse_avec_suivant("accounts:second_facteur_enrolement", suivant)
        )
    return None


@sensitive_post_parameters("code")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def verification(request: HttpRequest) -> HttpResponse:
    compte = cast(Compte, request.user)
    suivant = _suivant(request)
    deja = _avant_la_verification(request, compte, suivant)
    if deja is not None:
        return deja
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            second_facteur.verifier(request, code=form.cleaned_data["code"])
        except second_facteur.SecondFacteurRefuse as refus:
            _refus(form, refus)
        else:
            return redirect(suivant or settings.LOGIN_REDIRECT_URL)
    return rendre_page(
        request,
        "accounts/second_facteur/verification.html",
        "Double authentification",
        form=form,
        suivant=suivant,
        espace=espace_protege(suivant),
    )


@sensitive_post_parameters("code")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def secours(request: HttpRequest) -> HttpResponse:
    """Verification with a recovery code, when the phone is lost or not at hand."""
    compte = cast(Compte, request.user)
    suivant = _suivant(request)
    deja = _avant_la_verification(request, compte, suivant)
    if deja is not None:
        return deja
    form = CodeDeSecoursForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            restants = second_facteur.verifier_code_de_secours(
                request, code=form.cleaned_data["code"]
            )
        except second_facteur.SecondFacteurRefuse as refus:
            _refus(form, refus)
        else:
            niveau = messages.WARNING if restants <= 3 else messages.INFO
            messages.add_message(
                request,
                niveau,
                format_html(
                    "Code de secours accepté ; il n'est plus utilisable. Il vous en reste "
                    '{}. <a href="{}">Générer une nouvelle série de codes de secours</a>',
                    restants,
                    reverse("accounts:second_facteur_codes"),
                ),
            )
            return redirect(suivant or settings.LOGIN_REDIRECT_URL)
    return rendre_page(
        request,
        "accounts/second_facteur/secours.html",
        "Utiliser un code de secours",
        form=form,
        suivant=suivant,
    )


@never_cache
@second_facteur.exige_second_facteur
@require_http_methods(["GET", "POST"])
def codes_de_secours(request: HttpRequest) -> HttpResponse:
    """How many recovery codes remain; a POST replaces them with a new series."""
    compte = cast(Compte, request.user)
    if request.method == "POST":
        codes = second_facteur.generer_codes_de_secours(compte, ip=adresse_du_client(request))
        return _codes_de_secours(request, codes, "", premiere_fois=False)
    return rendre_page(
        request,
        "accounts/second_facteur/codes_restants.html",
        "Codes de secours",
        restants=second_facteur.codes_de_secours_restants(compte),
    )


def _codes_de_secours(
    request: HttpRequest, codes: list[str], suivant: str, *, premiere_fois: bool
) -> HttpResponse:
    return rendre_page(
        request,
        "accounts/second_facteur/codes_de_secours.html",
        "Vos codes de secours",
        codes=codes,
        suivant=suivant or resolve_url(settings.LOGIN_REDIRECT_URL),
        premiere_fois=premiere_fois,
    )
