"""The French error pages (templates ``400.html``, ``403.html``, ``404.html``, ``405.html``,
``500.html``; ``403_csrf.html`` through :mod:`isoloir.core.formulaire_expire`), in every
mode, the demo included.

With DEBUG off, Django itself answers an exception with these templates (its default
``handler404`` and so on). With DEBUG on, which ``isoloir demo`` and ``isoloir serve`` run
with by default, Django shows instead its technical pages: in English, listing every URL of
the site for an unknown address, the settings and the code for a crash. The people trying
the demo are voters and officials, not developers; the developer still has the traceback
in the console, which is where ``isoloir serve`` shows everything else.

So this middleware does, with DEBUG on, what Django does with DEBUG off, and nothing else:
the production path stays Django's own, untouched. (Turning DEBUG off in the demo instead
would also change what a developer who sets ``DEBUG=1`` on purpose expects to see.)

And in every mode, the empty 405 of ``require_POST`` / ``View.http_method_not_allowed``
gets its page.
"""

import logging
from collections.abc import Callable
from typing import cast

from django.conf import settings
from django.core import signals
from django.core.exceptions import (
    BadRequest,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.template import loader
from django.urls import Resolver404, get_resolver, resolve
from django.utils.log import log_response


def _page_d_erreur(request: HttpRequest, statut: int, exception: Exception) -> HttpResponse:
    """The page Django's error handler of the URL configuration gives for ``statut``."""
    resolver = get_resolver(getattr(request, "urlconf", None))
    # Typed by django-stubs without its ``exception`` argument, which Django passes.
    gestionnaire = cast(Callable[..., HttpResponse], resolver.resolve_error_handler(statut))
    return gestionnaire(request, exception=exception)


class PagesDErreurEnFrancais:
    """The last middleware: inside ``CommonMiddleware``, whose APPEND_SLASH redirect still
    turns the 404 of ``/portail/connexion`` into ``/portail/connexion/``; inside the
    account and messages, which the page's header shows, and the security headers (CSP,
    X-Frame-Options), which still apply to the page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.DEBUG:
            # An unknown address never reaches a view nor process_exception: Django turns
            # it into its technical 404 below every middleware. Resolve it here first.
            try:
                resolve(request.path_info, getattr(request, "urlconf", None))
            except Resolver404 as introuvable:
                return _page_d_erreur(request, 404, introuvable)
        reponse = self.get_response(request)
        if reponse.status_code == 405 and not getattr(reponse, "content", b""):
            reponse = self._methode_non_autorisee(request, reponse)
        return reponse

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not settings.DEBUG or isinstance(exception, PermissionDenied):
            # Django's own path: the handlers and their templates (403 in every mode).
            return None
        if isinstance(exception, Http404):
            return _page_d_erreur(request, 404, exception)
        if isinstance(exception, SuspiciousOperation):
            if isinstance(exception, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
                request._mark_post_parse_error()  # type: ignore[attr-defined]
            reponse = _page_d_erreur(request, 400, exception)
            # Where Django logs it: django.security.<kind>, which an operator may watch.
            log = logging.getLogger(f"django.security.{exception.__class__.__name__}")
            log_response(
                str(exception), request=request, response=reponse, level="error", logger=log
            )
            return reponse
        if isinstance(exception, BadRequest | MultiPartParserError):
            reponse = _page_d_erreur(request, 400, exception)
            log_response("%s: %s", str(exception), request.path, response=reponse, request=request)
            return reponse
        # A crash: what Django does with DEBUG off (the signal lets the test client raise
        # the exception again), then the traceback to the console.
        signals.got_request_exception.send(sender=None, request=request)
        reponse = get_resolver(getattr(request, "urlconf", None)).resolve_error_handler(500)(
            request
        )
        log_response(
            "%s: %s",
            reponse.reason_phrase,
            request.path,
            response=reponse,
            request=request,
            exception=exception,
        )
        return reponse

    def _methode_non_autorisee(self, request: HttpRequest, vide: HttpResponse) -> HttpResponse:
        page = HttpResponse(loader.render_to_string("405.html", request=request), status=405)
        page["Allow"] = vide["Allow"]
        # Logged once, as Django logs the 405 it builds ("Method Not Allowed: /…").
        page._has_been_logged = getattr(vide, "_has_been_logged", False)  # type: ignore[attr-defined]
        return page
