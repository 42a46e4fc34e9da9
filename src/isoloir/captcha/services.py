"""The challenges a session shows: one per session until it is answered, a cap per address
as a last line, and the sweep of the expired ones.

django-simple-captcha stores each challenge (``CaptchaStore``) and deletes it at its first
try, right or wrong; this module decides when a page shows a new one. The form field that
reads the answer is in :mod:`isoloir.captcha.forms`.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Final

from captcha.conf import settings as reglages_captcha
from captcha.models import CaptchaStore
from django.contrib.sessions.backends.base import SessionBase
from django.urls import reverse
from django.utils import timezone

from isoloir.core import limites

CLE_DE_SESSION: Final = "captcha_defi"

# The last line, not the defence: the session's challenge is what keeps a reloaded page
# from storing a new row. A client that keeps no cookie gets a new session each time, and
# only this cap stops it. It must stay generous: behind a ministry's or a rectorat's NAT,
# thousands of voters share one address, and each of them draws one or two challenges per
# visit. Counted in fixed windows (limites.compter_par_tranche), since such an address is
# never quiet long enough for a sliding window to close.
CREATION_PAR_IP = limites.Limite("captcha-creation-ip", 3000, 600)


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
    # The library's clock, not ours (core.horloge): it dates and checks the challenges.
    if (
        cle
        and not remplacer
        and CaptchaStore.objects.filter(
            hashkey=cle, expiration__gt=timezone.now() + _reste_suffisant()
        ).exists()
    ):
        return _defi(cle)
    if limites.depasse(CREATION_PAR_IP, limites.compter_par_tranche(CREATION_PAR_IP, ip)):
        return None
    if cle and remplacer:
        CaptchaStore.objects.filter(hashkey=cle).delete()
    # An old challenge with too little life left stays: another tab of the same session
    # may be showing it. It expires soon, and the sweep (purger_captcha) removes it.
    nouvelle = CaptchaStore.pick()
    session[CLE_DE_SESSION] = nouvelle
    return _defi(nouvelle)


def purger_defis_expires() -> int:
    """Delete the expired challenges and return how many.

    The library does it only when a CAPTCHA is checked, so pages shown and never posted
    (a robot, a person who gave up) would pile up between two posts. As the library's
    ``CaptchaStore.remove_expired``, which does not count.
    """
    return CaptchaStore.objects.filter(expiration__lte=timezone.now()).delete()[0]
