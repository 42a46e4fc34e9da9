"""SMS: one small protocol, backends chosen by ``ISOLOIR_SMS_URL``, and
:func:`envoyer_sms`, which sends within the request and retries briefly.

See ``docs/sms.md``.
"""

from isoloir.notify.sms.base import (
    ErreurSms,
    ErreurSmsDefinitive,
    ErreurSmsTransitoire,
    ExpediteurSms,
    ResultatSms,
)
from isoloir.notify.sms.configuration import expediteur_depuis_url
from isoloir.notify.sms.envoi import envoyer_sms
from isoloir.notify.sms.locaux import SmsEnvoye, boite_envoi

__all__ = [
    "ErreurSms",
    "ErreurSmsDefinitive",
    "ErreurSmsTransitoire",
    "ExpediteurSms",
    "ResultatSms",
    "SmsEnvoye",
    "boite_envoi",
    "envoyer_sms",
    "expediteur_depuis_url",
]
