"""The CAPTCHA field of the code de vote, drawn by the DSFR include ``votecode/_captcha.html``.

In a form::

    captcha = ChampCaptcha()

and in its template::

    {% include "votecode/_captcha.html" with champ=form.captcha %}

The include writes all the markup (django-simple-captcha's own widget template is English,
not DSFR, and its image alt is "captcha"); the library's widget is only used to read the
two posted values, ``captcha_0`` (the challenge's key) and ``captcha_1`` (the answer).

This module needs the library, which reads its settings when imported: ``settings.py`` must
import :mod:`isoloir.votecode.captcha`, never this module.
"""

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from captcha.conf import settings as reglages_captcha
from captcha.fields import CaptchaField
from captcha.models import CaptchaStore
from django.forms import BoundField
from django.urls import reverse

from isoloir.votecode.captcha import LONGUEUR


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
    cle = CaptchaStore.pick()
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


class CaptchaLie(BoundField):
    """The bound CAPTCHA field: one challenge per form, however often the template asks."""

    @cached_property
    def defi(self) -> Defi:
        # Drawn on first use, not when the form is built: a form that is never shown (a
        # redirect after success) leaves no challenge behind in the table.
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
