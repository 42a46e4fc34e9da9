"""The CAPTCHA field of the code de vote, drawn by the DSFR include ``votecode/_captcha.html``.

In a form::

    captcha = ChampCaptcha()

and in its template::

    {% include "votecode/_captcha.html" with champ=form.captcha %}

The include writes all the markup (django-simple-captcha's own widget template is English,
not DSFR, and its image alt is "captcha"); the library's widget is only used to read the
two posted values, ``captcha_0`` (the challenge's key) and ``captcha_1`` (the answer).

A view that shows such a form calls :func:`preparer_captcha` first: the page then shows the
session's challenge, the same at every reload until it is answered, instead of storing a
new one at every display (issue 12, point 23).

This module needs the library, which reads its settings when imported: ``settings.py`` must
import :mod:`isoloir.votecode.captcha`, never this module.
"""

from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property
from http import HTTPStatus
from typing import Any, Final, cast

from captcha.conf import settings as reglages_captcha
from captcha.fields import CaptchaField
from captcha.models import CaptchaStore
from django import forms
from django.contrib.sessions.backends.base import SessionBase
from django.forms import BoundField
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from isoloir.core import throttle
from isoloir.core.requests import client_ip
from isoloir.votecode.captcha import LONGUEUR

CLE_DE_SESSION: Final = "captcha_defi"

# The last line, not the defence: the session's challenge is what keeps a reloaded page
# from storing a new row. A client that keeps no cookie gets a new session each time, and
# only this cap stops it. It must stay generous: behind a ministry's or a rectorat's NAT,
# thousands of voters share one address, and each of them draws one or two challenges per
# visit. Counted in fixed windows (throttle.compter_par_tranche), since such an address is
# never quiet long enough for a sliding window to close.
CREATION_PAR_IP = throttle.Limit("captcha-creation-ip", 3000, 600)


@dataclass(frozen=True)
class Defi:
    """One challenge as the page shows it: its key and the addresses of its renderings."""

    cle: str
    image: str
    image_2x: str | None
    audio: str | None
    rafraichir: str


def nouveau_defi() -> Defi:
    """Stores a new challenge and returns the addresses the include needs."""
    return _defi(CaptchaStore.pick())


def _defi(cle: str) -> Defi:
    return Defi(
        cle=cle,
        image=reverse("captcha-image", kwargs={"key": cle}),
        image_2x=(
            reverse("captcha-image-2x", kwargs={"key": cle})
            if reglages_captcha.CAPTCHA_2X_IMAGE
            else None
        ),
        audio=(
            reverse("captcha-audio", kwargs={"key": cle})
            if reglages_captcha.CAPTCHA_FLITE_PATH
            else None
        ),
        rafraichir=reverse("captcha-refresh"),
    )


def _reste_suffisant() -> timedelta:
    # Half of the challenge's life: enough to find the paper notice and type the code with
    # assistive technology, as a fresh one would allow (RGAA 13.1).
    return timedelta(minutes=int(reglages_captcha.CAPTCHA_TIMEOUT)) / 2


def defi_de_la_session(session: SessionBase, *, ip: str, remplacer: bool = False) -> Defi | None:
    """The session's challenge, or a new one that becomes the session's.

    The session's challenge is shown again while it is unanswered (the field deletes a
    challenge at its first try, right or wrong: one challenge, one try) and has enough life
    left. ``remplacer``: the person asked for another image, so the session's challenge is
    deleted and a new one drawn. None: this address has drawn too many challenges in the
    current window (:data:`CREATION_PAR_IP`); nothing is stored.
    """
    cle = session.get(CLE_DE_SESSION)
    cle = cle if isinstance(cle, str) else ""
    # The library's clock, not ours (core.clock): it dates and checks the challenges.
    if (
        cle
        and not remplacer
        and CaptchaStore.objects.filter(
            hashkey=cle, expiration__gt=timezone.now() + _reste_suffisant()
        ).exists()
    ):
        return _defi(cle)
    if throttle.depasse(CREATION_PAR_IP, throttle.compter_par_tranche(CREATION_PAR_IP, ip)):
        return None
    if cle and remplacer:
        CaptchaStore.objects.filter(hashkey=cle).delete()
    # An old challenge with too little life left stays: another tab of the same session
    # may be showing it. It expires soon, and the sweep (purger_captcha) removes it.
    nouvelle = CaptchaStore.pick()
    session[CLE_DE_SESSION] = nouvelle
    return _defi(nouvelle)


def preparer_captcha(request: HttpRequest, form: forms.Form) -> HTTPStatus:
    """Gives the form's CAPTCHA, if it has one, the challenge of the request's session, and
    returns the status of the page: 429 when this address may draw no more challenges
    (the include then says so in place of the image).

    Without JavaScript, "Nouvelle image" reloads the page with ``?nouvelle-image=<key>``:
    the challenge is replaced only while that key is still the session's, so that the same
    address reloaded, or posted to, does not draw yet another one.
    """
    if "captcha" not in form.fields:
        return HTTPStatus.OK
    champ = cast(CaptchaLie, form["captcha"])
    actuelle = request.session.get(CLE_DE_SESSION)
    champ.defi = defi_de_la_session(
        request.session,
        ip=client_ip(request),
        remplacer=bool(actuelle) and request.GET.get("nouvelle-image") == actuelle,
    )
    return HTTPStatus.OK if champ.defi else HTTPStatus.TOO_MANY_REQUESTS


class CaptchaLie(BoundField):
    """The bound CAPTCHA field: one challenge per form, however often the template asks."""

    @cached_property
    def defi(self) -> Defi | None:
        # Drawn on first use, not when the form is built: a form that is never shown (a
        # redirect after success) leaves no challenge behind in the table. Views set it
        # beforehand from the session (preparer_captcha); this is for the others.
        return nouveau_defi()


class ChampCaptcha(CaptchaField):
    """django-simple-captcha's field with French messages and a forgiving reading.

    As in the library, a challenge allows a single try, right or wrong, and the answer is
    never sent back to the page.
    """

    bound_field_class = CaptchaLie
    chiffres = LONGUEUR

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "CAPTCHA")
        messages = {
            "required": f"Saisissez les {LONGUEUR} chiffres du CAPTCHA.",
            "incomplete": f"Saisissez les {LONGUEUR} chiffres du CAPTCHA.",
            "invalid": (
                "Les chiffres saisis ne correspondent pas au CAPTCHA, ou celui-ci a expiré. "
                f"Recopiez les {LONGUEUR} chiffres de la nouvelle image."
            ),
        }
        messages.update(kwargs.pop("error_messages", None) or {})
        super().__init__(error_messages=messages, **kwargs)

    def clean(self, value: Any) -> Any:
        # People who listen to the audio often type the digits as they hear them, one at
        # a time with spaces in between: "8 4 8 4 1" is the same answer as "84841".
        if isinstance(value, list | tuple) and len(value) == 2 and isinstance(value[1], str):
            value = [value[0], "".join(value[1].split())]
        return super().clean(value)


def purger_defis_expires() -> int:
    """Delete the expired challenges and return how many.

    The library does it only when a CAPTCHA is checked, so pages shown and never posted
    (a robot, a person who gave up) would pile up between two posts. As the library's
    ``CaptchaStore.remove_expired``, which does not count.
    """
    return CaptchaStore.objects.filter(expiration__lte=timezone.now()).delete()[0]
