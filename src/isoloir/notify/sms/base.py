"""What every SMS backend promises: one method, one result, two kinds of failure."""

from dataclasses import dataclass
from typing import Protocol

MESSAGE_TRANSITOIRE = (
    "Le service d'envoi de SMS ne répond pas ; réessayez dans quelques minutes "
    "ou choisissez l'envoi par e-mail."
)
MESSAGE_NUMERO_REFUSE = (
    "Ce numéro ne peut pas recevoir de SMS. Vérifiez-le ou choisissez l'envoi par e-mail."
)
MESSAGE_SERVICE_REFUSE = (
    "L'envoi de SMS est indisponible pour le moment. "
    "Choisissez l'envoi par e-mail ou contactez l'assistance."
)


@dataclass(frozen=True, kw_only=True)
class ResultatSms:
    identifiant_fournisseur: str


class ExpediteurSms(Protocol):
    """A way to send one SMS. Backends never log: :func:`envoyer_sms` does, masked."""

    nom: str

    def envoyer(self, *, numero: str, texte: str, reference: str) -> ResultatSms:
        """Send ``texte`` to ``numero`` (E.164). ``reference`` names the request in the
        logs and, where the provider has a tag, on its side; it must hold no secret.

        Raises :class:`ErreurSmsTransitoire` or :class:`ErreurSmsDefinitive`.
        """
        ...


class ErreurSms(Exception):
    """``message`` may be shown to the voter; ``detail`` is for operators (provider,
    HTTP status, error code). Neither ever holds the number nor the text."""

    def __init__(self, message: str, *, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail

    def __str__(self) -> str:
        return self.message


class ErreurSmsTransitoire(ErreurSms):
    """Network failure, timeout, 5xx, 429: the same request may succeed a moment later."""

    def __init__(self, message: str = MESSAGE_TRANSITOIRE, *, detail: str = "") -> None:
        super().__init__(message, detail=detail)


class ErreurSmsDefinitive(ErreurSms):
    """Retrying will not help. ``numero_refuse`` when the provider turned down the
    number itself (invalid, unreachable, blacklisted), so that the form can point at
    the phone field rather than at the service."""

    def __init__(self, message: str = "", *, detail: str = "", numero_refuse: bool = False) -> None:
        defaut = MESSAGE_NUMERO_REFUSE if numero_refuse else MESSAGE_SERVICE_REFUSE
        super().__init__(message or defaut, detail=detail)
        self.numero_refuse = numero_refuse


# GSM 03.38: the basic table and its extension (each extension character costs two).
_GSM7 = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
    "\f^{}\\[~]|€"
)


def tient_en_gsm7(texte: str) -> bool:
    """Whether ``texte`` can go in the 7-bit alphabet (160 characters a segment) rather
    than UCS-2 (70): ``ê``, ``â`` or ``ç`` are not in it, ``é``, ``è`` and ``à`` are."""
    return all(caractere in _GSM7 for caractere in texte)
