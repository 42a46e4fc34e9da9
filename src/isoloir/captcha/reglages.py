"""The CAPTCHA's challenge and django-simple-captcha's settings.

``settings.py`` imports :data:`REGLAGES_CAPTCHA` from here, so this module imports nothing
that reads Django's settings: django-simple-captcha reads its own once, when
``captcha.conf`` is first imported, and an import from here would freeze them before
``settings.py`` has set them. The form field and its widget, which need the library, live
in :mod:`isoloir.captcha.forms`.
"""

import secrets
from pathlib import Path
from typing import Final

from isoloir.core import polices

LONGUEUR: Final = 5
CHIFFRES: Final = "0123456789"

# Stands in for flite, which only speaks English: django-simple-captcha runs it as
# ``espeak-fr -t "8, 4, 8, 4, 1" -o FICHIER.wav``.
VOIX_FRANCAISE: Final = Path(__file__).resolve().parent / "bin" / "espeak-fr"
# Bold digits stay readable through the noise lines: the bold face of the PDFs. Where the
# system lacks it, the library's own font (Bitstream Vera Sans) is used.
POLICE: Final = polices.TEXTE_GRAS.chemin


def defi_chiffres() -> tuple[str, str]:
    """A challenge for ``CAPTCHA_CHALLENGE_FUNCT``: (text drawn and spoken, expected answer).

    Digits only, because they read the same in the image and in the French audio and
    need no keyboard layout; never a leading zero, which some people drop when they
    type a number. ``secrets``, not ``random``: the library reseeds ``random`` with the
    CAPTCHA key while it draws the image.
    """
    premier = secrets.choice(CHIFFRES[1:])
    suite = "".join(secrets.choice(CHIFFRES) for _ in range(LONGUEUR - 1))
    return premier + suite, premier + suite


REGLAGES_CAPTCHA: Final[dict[str, object]] = {
    "CAPTCHA_CHALLENGE_FUNCT": "isoloir.captcha.reglages.defi_chiffres",
    # Read only by the library's own challenges; kept equal to ours for anyone reading
    # the settings.
    "CAPTCHA_LENGTH": LONGUEUR,
    "CAPTCHA_FLITE_PATH": str(VOIX_FRANCAISE),
    # No noise on the audio: it is there for people who cannot read the image, many of
    # whom hear poorly too, and a synthetic voice is as easy for a machine with or
    # without it. Brute force is stopped by throttling, and each CAPTCHA allows one try.
    "CAPTCHA_SOX_PATH": None,
    # Long enough to find the paper notice and type a 16-character code with assistive
    # technology (RGAA 13.1); an expired CAPTCHA only costs a new image.
    "CAPTCHA_TIMEOUT": 20,
    # None: the image takes the size of its text. A fixed size would crop the @2 image,
    # which the library draws with a doubled font in the same fixed frame.
    "CAPTCHA_IMAGE_SIZE": None,
    "CAPTCHA_2X_IMAGE": True,
    "CAPTCHA_FONT_SIZE": 40,
    **({"CAPTCHA_FONT_PATH": str(POLICE)} if POLICE.is_file() else {}),
    # Gentler than the default ±35°, so that 6 and 9, 1 and 7 stay apart.
    "CAPTCHA_LETTER_ROTATION": (-15, 15),
    # DSFR's text grey on its "contrast" grey, which sets the image apart from the white
    # page without a border (the CSP allows no inline style): a contrast of 15:1.
    "CAPTCHA_FOREGROUND_COLOR": "#161616",
    "CAPTCHA_BACKGROUND_COLOR": "#eeeeee",
    # Arcs and lines, no dots: dots at the library's density blur the digits for people
    # with low vision far more than they slow down a program.
    "CAPTCHA_NOISE_FUNCTIONS": ("captcha.helpers.noise_arcs",),
    "CAPTCHA_FILTER_FUNCTIONS": ("captcha.helpers.post_smooth",),
    "CAPTCHA_GET_FROM_POOL": False,
}
