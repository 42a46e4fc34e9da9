"""A form posted from a page left open too long: say so in French, and give the form back
with what can be kept.

Two ways a form goes stale:

- its CSRF token no longer matches (a login in another tab gave the browser a new one, the
  cookie expired): Django calls :func:`formulaire_expire`, our ``CSRF_FAILURE_VIEW``;
- its session has expired (thirty minutes without a request): the view's login check
  would send the voter to the login page and drop what they had typed.

Either way, a view marked with :func:`reprise_apres_expiration` names the fields that may
survive; these (and only these: never a password, a code de vote, a NUMEN, a secret
answer, a CAPTCHA or a file) are kept in the session for one return to the same address,
by GET (303), where the view passes :func:`champs_repris` to its form as initial values
and the DSFR alert explains. A view not marked keeps Django's answer: the French
"Formulaire expiré" page (a POST-only address, the logout button, cannot be reopened).

Only a post that comes from this site is kept: one from another site is the very attack
the CSRF check stops, and must not get to fill a form in the voter's session.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

SESSION_EXPIREE = (
    "Votre session a expiré : par sécurité, le formulaire n'a pas été envoyé. Ce qui "
    "pouvait être conservé a été remis en place ; saisissez de nouveau le reste (mot de "
    "passe, code, CAPTCHA, fichiers joints) puis envoyez-le."
)
SESSION_EXPIREE_CONNEXION = (
    "Votre session a expiré : reconnectez-vous. Le formulaire n'a pas été envoyé ; vous le "
    "retrouverez ensuite, avec ce qui pouvait être conservé."
)
CLE_DE_SESSION = "formulaire_expire"
# Characters kept per field: more than any of our fields accepts, far less than a session.
TAILLE_MAX_D_UN_CHAMP = 10_000
# Never kept, whatever a view declares: the secrets (stored nowhere, DESIGN.md), the
# single-use CAPTCHA, the tokens of links and of CSRF.
JAMAIS_REPRIS = frozenset(
    {
        "mot_de_passe",
        "mot_de_passe_actuel",
        "confirmation",
        "code_de_vote",
        "numen",
        "reponse_defi",
        "reponse_actuelle",
        "captcha_0",
        "captcha_1",
        "token",
        "csrfmiddlewaretoken",
    }
)
ATTRIBUT = "champs_repris_apres_expiration"

Vue = Callable[..., HttpResponse]


def reprise_apres_expiration(*champs: str, connexion_requise: bool = False) -> Callable[[Vue], Vue]:
    """Marks a form view whose ``champs`` survive a stale post. With ``connexion_requise``
    (put it above ``login_required``), a post whose session has expired keeps them too,
    and the voter finds them after logging in again."""
    secrets = sorted(set(champs) & JAMAIS_REPRIS)
    if secrets:
        raise ValueError(f"Champs secrets, jamais conservés : {', '.join(secrets)}")

    def marquer(vue: Vue) -> Vue:
        @wraps(vue)
        def envelopper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if connexion_requise and request.method == "POST" and not request.user.is_authenticated:
                if _vient_du_site(request):
                    _retenir(request, champs)
                messages.warning(request, SESSION_EXPIREE_CONNEXION)
                return redirect_to_login(request.get_full_path())
            return vue(request, *args, **kwargs)

        setattr(envelopper, ATTRIBUT, champs)
        return envelopper

    return marquer


def champs_repris(request: HttpRequest) -> dict[str, str | list[str]]:
    """The fields kept from this address's stale post, once; for the form's ``initial``.
    Only on the GET that the stale post was sent back to."""
    if request.method != "GET":
        return {}
    garde = request.session.get(CLE_DE_SESSION)
    if not garde or garde.get("chemin") != request.path:
        return {}
    del request.session[CLE_DE_SESSION]
    return dict(garde["champs"])


def formulaire_expire(request: HttpRequest, reason: str = "") -> HttpResponse:
    """``CSRF_FAILURE_VIEW``: the form again with what could be kept, else the page."""
    correspondance = getattr(request, "resolver_match", None)
    champs = getattr(correspondance.func, ATTRIBUT, None) if correspondance else None
    adresse = request.get_full_path()
    if (
        champs is not None
        and request.method == "POST"
        and _vient_du_site(request)
        # Our own path, never "//elsewhere": the redirect stays on this site.
        and url_has_allowed_host_and_scheme(adresse, allowed_hosts=set())
    ):
        _retenir(request, champs)
        messages.warning(request, SESSION_EXPIREE)
        return HttpResponseRedirect(adresse, status=303)
    return render(request, "403_csrf.html", {"titre": "Formulaire expiré"}, status=403)


def _retenir(request: HttpRequest, champs: tuple[str, ...]) -> None:
    # A body too big for Django's in-memory limit (files) is not read for this: the
    # fields worth keeping are never that big, and the files are not kept anyway.
    longueur = request.META.get("CONTENT_LENGTH") or "0"
    if not champs or not longueur.isdigit() or int(longueur) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
        return
    gardes: dict[str, str | list[str]] = {}
    for nom in champs:
        valeurs = [v[:TAILLE_MAX_D_UN_CHAMP] for v in request.POST.getlist(nom) if v]
        if valeurs:
            gardes[nom] = valeurs[0] if len(valeurs) == 1 else valeurs
    request.session[CLE_DE_SESSION] = {"chemin": request.path, "champs": gardes}


def _vient_du_site(request: HttpRequest) -> bool:
    """The post says it comes from one of our pages: its Origin (every current browser
    sends one with a POST), or failing that its Referer, is this site."""
    site = f"{request.scheme}://{request.get_host()}"
    origine = request.META.get("HTTP_ORIGIN")
    if origine is not None:
        return origine == site or origine in settings.CSRF_TRUSTED_ORIGINS
    provenance = urlsplit(request.META.get("HTTP_REFERER", ""))
    return f"{provenance.scheme}://{provenance.netloc}" == site
