"""Helpers for tests of pages behind the second factor (the bureau de vote's pages)."""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp

from isoloir.accounts.models import AppareilTOTP, Compte
from isoloir.accounts.second_facteur import nouvel_appareil


def verifier_second_facteur(client: Client, compte: Compte) -> AppareilTOTP:
    """Log ``compte`` in on ``client`` with a confirmed TOTP application and mark the
    session as having proved it, as the verification page does after a right code."""
    client.force_login(compte)
    appareil = AppareilTOTP.objects.filter(user=compte, confirmed=True).first()
    if appareil is None:
        appareil = nouvel_appareil(compte.pk, confirme=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = appareil.persistent_id
    session.save()
    return appareil


def code_actuel(appareil: AppareilTOTP, *, decalage: int = 0) -> str:
    """The code the member's phone shows now, or ``decalage`` steps later (negative:
    earlier), as 6 digits with the leading zeros."""
    # totp() counts steps from t0: moving t0 back by one step is one step later.
    code = totp(appareil.bin_key, step=appareil.step, t0=-decalage * appareil.step)
    return f"{code:0{appareil.digits}d}"
