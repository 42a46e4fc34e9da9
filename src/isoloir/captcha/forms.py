"""The CAPTCHA field, drawn by the DSFR include ``isoloir_captcha/_captcha.html``.

In a form::

    captcha = ChampCaptcha()

and in its template::

    {% include "isoloir_captcha/_captcha.html" with champ=form.captcha %}

The include writes all the markup (django-simple-captcha's own widget template is English,
not DSFR, and its image alt is "captcha"); the library's widget is only used to read the
two posted values, ``captcha_0`` (the challenge's key) and ``captcha_1`` (the answer).

A view that shows such a form calls :func:`preparer_captcha` first: the page then shows the
session's challenge, the same at every reload until it is answered, instead of storing a
new one at every display (issue 12, point 23).

This module needs the library, which reads its settings when imported: ``settings.py`` must
import :mod:`isoloir.captcha.reglages`, never this module.
"""

from functools import cached_property
from http import HTTPStatus
from typing import Any, cast

from captcha.fields import CaptchaField
from django import forms
from django.forms import BoundField
from django.http import HttpRequest

from isoloir.captcha.reglages import LONGUEUR
from isoloir.captcha.services import CLE_DE_SESSION, Defi, defi_de_la_session, nouveau_defi
from isoloir.core.requetes import adresse_du_client


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
        ip=adresse_du_client(request),
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
