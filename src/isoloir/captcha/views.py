"""django-simple-captcha's views, each limited per address: the audio (an espeak-ng process
per call), the refresh (a new challenge) and the images (a drawing per call).

The refresh is ours: it replaces the session's challenge (services.defi_de_la_session)
where the library's would add a row at every click.

The limits count in fixed windows (limites.compter_par_tranche): behind a ministry's NAT,
thousands of voters share one address that is never quiet for ten minutes, and a window
pushed back by every request would never close on them.
"""

from collections.abc import Callable
from functools import wraps

from captcha import views as vues_de_la_bibliotheque
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse

from isoloir.captcha.services import defi_de_la_session
from isoloir.core import limites
from isoloir.core.requetes import adresse_du_client

PAR_IP = limites.Limite("captcha-ip", 120, 600)
# Generous: every display of a form with a CAPTCHA fetches one image (1x or 2x), and a
# whole NAT's voters come through one address. It bounds a program drawing in a loop.
IMAGES_PAR_IP = limites.Limite("captcha-image-ip", 3000, 600)


def _trop_de_demandes() -> HttpResponse:
    return HttpResponse(
        "Trop de demandes de CAPTCHA : réessayez dans quelques minutes.",
        status=429,
        content_type="text/plain; charset=utf-8",
    )


Vue = Callable[..., HttpResponse]


def _limite(limite_du_moment: Callable[[], limites.Limite]) -> Callable[[Vue], Vue]:
    """Limit a view per address. The limit is looked up at each request, so that a test
    may lower the module's."""

    def decorateur(vue: Vue) -> Vue:
        @wraps(vue)
        def limitee(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            limite = limite_du_moment()
            if limites.depasse(
                limite, limites.compter_par_tranche(limite, adresse_du_client(request))
            ):
                return _trop_de_demandes()
            return vue(request, *args, **kwargs)

        return limitee

    return decorateur


image = _limite(lambda: IMAGES_PAR_IP)(vues_de_la_bibliotheque.captcha_image)
audio = _limite(lambda: PAR_IP)(vues_de_la_bibliotheque.captcha_audio)


@_limite(lambda: PAR_IP)
def rafraichir(request: HttpRequest) -> HttpResponse:
    """A new challenge for the page's script, in the library's JSON, which replaces the
    session's: a reload of the page then shows the image asked for, not the unreadable one."""
    if request.headers.get("x-requested-with") != "XMLHttpRequest":
        raise Http404
    defi = defi_de_la_session(request.session, ip=adresse_du_client(request), remplacer=True)
    if defi is None:
        return _trop_de_demandes()
    return JsonResponse({"key": defi.cle, "image_url": defi.image, "audio_url": defi.audio})
