"""What the HTTP backends share: short timeouts and how a reply becomes an error."""

import json
from typing import Any

import httpx

from isoloir.notify.sms.base import ErreurSmsDefinitive, ErreurSmsTransitoire

# The voter waits for the page while we send, and a failed attempt is tried again:
# a gateway slower than this is better reported than waited for.
DELAI_PAR_DEFAUT = 4.0
DELAI_CONNEXION = 2.0

_STATUTS_TRANSITOIRES = frozenset({408, 425, 429})


def client(*, delai: float) -> httpx.Client:
    return httpx.Client(
        timeout=httpx.Timeout(delai, connect=min(delai, DELAI_CONNEXION)),
        headers={"User-Agent": "isoloir"},
    )


def appeler(
    session: httpx.Client,
    methode: str,
    url: str,
    *,
    fournisseur: str,
    contenu: bytes | None = None,
    entetes: dict[str, str] | None = None,
) -> httpx.Response:
    """Send one request; a network failure or timeout is transient, and so is a 5xx,
    429 or 408 reply. Other non-2xx replies are returned for the backend to read."""
    try:
        reponse = session.request(methode, url, content=contenu, headers=entetes)
    except httpx.TimeoutException as erreur:
        raise ErreurSmsTransitoire(detail=f"{fournisseur} : délai dépassé") from erreur
    except httpx.TransportError as erreur:
        raise ErreurSmsTransitoire(detail=f"{fournisseur} : {type(erreur).__name__}") from erreur
    if reponse.status_code >= 500 or reponse.status_code in _STATUTS_TRANSITOIRES:
        raise ErreurSmsTransitoire(detail=f"{fournisseur} : HTTP {reponse.status_code}")
    return reponse


def lire_json(reponse: httpx.Response, *, fournisseur: str) -> Any:
    try:
        return reponse.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        # ``from None``: a decoding error carries the body, which may quote the number.
        raise ErreurSmsDefinitive(
            detail=f"{fournisseur} : HTTP {reponse.status_code}, réponse illisible"
        ) from None


def message_erreur(reponse: httpx.Response) -> str:
    """The ``message`` of a JSON error reply, lower-cased, for telling a refused number
    from another refusal. Read, never logged: it may quote the number."""
    try:
        corps = reponse.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return ""
    message = corps.get("message") if isinstance(corps, dict) else None
    return message.lower() if isinstance(message, str) else ""
