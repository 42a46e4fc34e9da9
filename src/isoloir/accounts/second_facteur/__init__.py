"""Second factor of the bureau de vote's members: TOTP (RFC 6238) and recovery codes.

One module per step: ``enrolement.py`` (the application and its first code),
``verification.py`` (a code per session), ``secours.py`` (the recovery codes), ``garde.py``
(the views' guard), and ``commun.py``, what they share (settings, refusals, devices, one
throttled try of a code). The names below are the package's public API, those the rest of
the house imports; the others (settings, internal steps) are imported from their module.

The président, the secrétaire and the délégués of a bureau (issue 5 § 1) reach pages that
decide a scrutin (key ceremony, count, participation): a password alone is not enough
there. Each member enrols an authenticator application once (6 digits, 30 s steps, one
step of tolerance each side), then proves it once per session; :func:`exige_second_facteur`
guards the views.

What django-otp gives us and what we add:

- ``TOTPDevice`` keeps ``last_t``, the step of the last accepted code: a code is accepted
  once, and no older one after it (no replay, even within its 30 seconds).
- ``ThrottlingMixin`` doubles the wait after each failure (1 s, 2 s, 4 s…); we check it
  *before* trying a code so that the member is told how long to wait, in French.
- ``StaticToken`` stores recovery codes **in clear** (``token`` is a plain indexed
  column). We therefore store only a keyed hash of each code in that column
  (:func:`secours.empreinte_secours`, HMAC-SHA256 under ``SECRET_KEY``, 64 bits kept): a copy
  of the database reveals no usable code, and django-otp's own single-use deletion and
  throttling keep working unchanged. Rotating ``SECRET_KEY`` voids the recovery codes.
- The TOTP secret itself must stay readable by the server (it computes the codes): it is
  the only copy besides the member's phone, shown once at enrolment, never journaled.
  django-otp keeps it in clear in ``TOTPDevice.key``; we store it encrypted there
  (AES-GCM under ``ISOLOIR_CLE_SECOND_FACTEUR``, :mod:`isoloir.accounts.chiffrement_totp`)
  and read it through the proxy :class:`~isoloir.accounts.models.AppareilTOTP`. A secret
  that no configured key decrypts refuses the code (fail closed) with a French message.

Accounts are referred to by id (``user_id=compte.pk``): the views pass ``request.user``,
a lazy proxy that the database router cannot place in a relation.

Throttling reads :func:`django.utils.timezone.now` (inside django-otp), not
:func:`isoloir.core.horloge.maintenant`; the waits announced here use the same clock as the check.
"""

from isoloir.accounts.second_facteur.commun import (
    LONGUEUR_SECOURS,
    DejaEnrole,
    SecondFacteurRefuse,
    a_un_appareil_confirme,
    codes_de_secours_restants,
    duree_en_francais,
    est_verifie,
    nouvel_appareil,
    secret_base32,
)
from isoloir.accounts.second_facteur.enrolement import (
    appareil_de_demonstration,
    confirmer,
    enroler,
    rechiffrer_les_secrets,
)
from isoloir.accounts.second_facteur.garde import adresse_avec_suivant, exige_second_facteur
from isoloir.accounts.second_facteur.secours import (
    generer_codes_de_secours,
    normaliser_code_de_secours,
)
from isoloir.accounts.second_facteur.verification import verifier, verifier_code_de_secours

__all__ = [
    "LONGUEUR_SECOURS",
    "DejaEnrole",
    "SecondFacteurRefuse",
    "a_un_appareil_confirme",
    "adresse_avec_suivant",
    "appareil_de_demonstration",
    "codes_de_secours_restants",
    "confirmer",
    "duree_en_francais",
    "enroler",
    "est_verifie",
    "exige_second_facteur",
    "generer_codes_de_secours",
    "normaliser_code_de_secours",
    "nouvel_appareil",
    "rechiffrer_les_secrets",
    "secret_base32",
    "verifier",
    "verifier_code_de_secours",
]
