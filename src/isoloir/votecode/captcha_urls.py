"""django-simple-captcha's URLs, with a per-address limit on the two that cost: the audio
(an espeak-ng process per call) and the refresh (a database row per call)."""

from collections.abc import Callable
from functools import wraps

from captcha import views
from django.http import HttpRequest, HttpResponse
from django.urls import re_path

from isoloir.core import throttle
from isoloir.core.requests import client_ip

PAR_IP = throttle.Limit("captcha-ip", 120, 600)


def _limite(vue: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(vue)
    def limitee(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if throttle.depasse(PAR_IP, throttle.compter(PAR_IP, client_ip(request))):
            return HttpResponse(
                "Trop de demandes de CAPTCHA : réessayez dans quelques minutes.",
                status=429,
                content_type="text/plain; charset=utf-8",
            )
        return vue(request, *args, **kwargs)

    return limitee


urlpatterns = [
    re_path(
        r"image/(?P<key>\w+)/$", views.captcha_image, name="captcha-image", kwargs={"scale": 1}
    ),
    re_path(
        r"image/(?P<key>\w+)@2/$", views.captcha_image, name="captcha-image-2x", kwargs={"scale": 2}
    ),
    re_path(r"audio/(?P<key>\w+).wav$", _limite(views.captcha_audio), name="captcha-audio"),
    re_path(r"refresh/$", _limite(views.captcha_refresh), name="captcha-refresh"),
]
