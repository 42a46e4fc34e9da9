"""The FranceConnect path of the réassort, for a voter logged in to the portal.

1. :func:`demarrer` draws a state and a nonce, keeps them in the session for a few
   minutes, and gives the address of FranceConnect's authorization endpoint.
2. :func:`conclure` checks the callback (state, ``iss``, errors), exchanges the code,
   verifies the ID token and the signed userinfo, and matches the identity with the voter.
   The ID token stays in the session for the logout only.
3. :func:`deconnecter` and :func:`conclure_deconnexion` log the browser out of
   FranceConnect, which matters on a shared computer.

Every outcome is journaled, with the reasons of a failure by name and never the identity
itself: FranceConnect's ``sub`` (pairwise, meaningful to us alone) ties the events of one
FranceConnect account together, and that is enough to investigate.
"""

import re
import secrets
from collections.abc import Mapping, MutableMapping
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.urls import reverse

from isoloir.accounts.models import Electeur
from isoloir.audit.services import journaliser
from isoloir.core import horloge
from isoloir.franceconnect import client
from isoloir.franceconnect.client import ErreurFranceConnect
from isoloir.franceconnect.identite import Comparaison, IdentiteFC, comparer

# Long enough to log in at one's identity provider, short enough that a forgotten tab
# cannot be completed later on a shared computer.
DUREE_DEMANDE = timedelta(minutes=10)
# Session keys.
DEMANDE = "franceconnect_demande"
ID_TOKEN = "franceconnect_id_token"  # noqa: S105  (a key, not a secret)
DECONNEXION = "franceconnect_deconnexion"

MESSAGE_DEMANDE_PERIMEE = (
    "Cette connexion FranceConnect n'est pas, ou plus, en cours sur ce navigateur. "
    "Recommencez depuis la page de réassort."
)
MESSAGE_ANNULEE = "La connexion avec FranceConnect a été interrompue avant son terme."


class IdentiteDiscordante(Exception):
    """FranceConnect vouched for someone, but not for the logged-in voter."""

    def __init__(self, identite: IdentiteFC, comparaison: Comparaison) -> None:
        super().__init__("identité discordante")
        self.identite = identite
        self.comparaison = comparaison


def propose() -> bool:
    return client.configuration() is not None


def _configuration() -> client.Configuration:
    config = client.configuration()
    if config is None:
        raise ErreurFranceConnect("non_configure", client.MESSAGE_INDISPONIBLE, statut=404)
    return config


def _url_publique(nom: str) -> str:
    # FranceConnect knows these addresses by heart (they are registered with the client),
    # so they come from the configured public base, never from the request's Host.
    return f"{settings.ISOLOIR_BASE_URL}{reverse(nom)}"


def demarrer(*, session: MutableMapping[str, Any], compte_id: int, ip: str) -> str:
    """Open a FranceConnect request for this browser; return where to send it."""
    try:
        config = _configuration()
        state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        url = client.url_autorisation(
            config=config,
            state=state,
            nonce=nonce,
            redirect_uri=_url_publique("franceconnect:retour"),
        )
    except ErreurFranceConnect as erreur:
        journaliser("franceconnect.erreur", compte_id=compte_id, ip=ip, raison=erreur.raison)
        raise
    session[DEMANDE] = {
        "state": state,
        "nonce": nonce,
        "expire": (horloge.maintenant() + DUREE_DEMANDE).isoformat(),
    }
    return url


def _egaux(recu: str, attendu: str) -> bool:
    # In bytes: compare_digest refuses str with non-ASCII characters, which the browser
    # is free to send.
    return secrets.compare_digest(recu.encode(), attendu.encode())


def _code_erreur(valeur: str) -> str:
    # The callback's parameters are the browser's to write: only a plausible code is kept.
    return valeur if re.fullmatch(r"[a-z_]{1,40}", valeur) else "inconnue"


def _authentifier(
    demande: Mapping[str, str] | None, parametres: Mapping[str, str]
) -> tuple[IdentiteFC, str]:
    if not demande:
        raise ErreurFranceConnect("demande_absente", MESSAGE_DEMANDE_PERIMEE, statut=400)
    if not _egaux(parametres.get("state", ""), demande["state"]):
        raise ErreurFranceConnect("state_invalide", MESSAGE_DEMANDE_PERIMEE, statut=400)
    if horloge.maintenant() >= datetime.fromisoformat(demande["expire"]):
        raise ErreurFranceConnect("demande_expiree", MESSAGE_DEMANDE_PERIMEE, statut=400)
    config = _configuration()
    # RFC 9207: the response names who issued it, so that a response from another provider
    # (mix-up attack) is not taken for FranceConnect's.
    iss = parametres.get("iss")
    annonce = client.decouverte(config).get("authorization_response_iss_parameter_supported")
    if (iss is not None or annonce) and iss != config.issuer:
        raise ErreurFranceConnect("iss_invalide", statut=400)
    if "error" in parametres:
        code = _code_erreur(parametres["error"])
        message = MESSAGE_ANNULEE if code == "access_denied" else client.MESSAGE_INVALIDE
        raise ErreurFranceConnect(f"refus_{code}", message, statut=200)
    code = parametres.get("code", "")
    if not code:
        raise ErreurFranceConnect("code_absent", statut=400)
    jetons = client.echanger_code(
        config=config,
        code=code,
        redirect_uri=_url_publique("franceconnect:retour"),
        nonce=demande["nonce"],
    )
    revendications = client.lire_userinfo(config=config, jetons=jetons)
    return IdentiteFC.depuis_userinfo(revendications), jetons.id_token


def conclure(
    *,
    session: MutableMapping[str, Any],
    parametres: Mapping[str, str],
    electeur: Electeur,
    ip: str,
) -> IdentiteFC:
    """Complete the request from FranceConnect's callback parameters and match the
    identity with ``electeur``. Raises :class:`ErreurFranceConnect` when the exchange
    fails, :class:`IdentiteDiscordante` when it succeeds for someone else."""
    # Popped first: a request is answered once, whatever the answer.
    demande = session.pop(DEMANDE, None)
    compte_id = electeur.compte_id
    try:
        identite, id_token = _authentifier(demande, parametres)
    except ErreurFranceConnect as erreur:
        journaliser("franceconnect.erreur", compte_id=compte_id, ip=ip, raison=erreur.raison)
        raise
    session[ID_TOKEN] = id_token
    comparaison = comparer(identite, electeur)
    if not comparaison.concordante:
        journaliser(
            "franceconnect.rapprochement_echoue",
            compte_id=compte_id,
            ip=ip,
            sub=identite.sub,
            ecarts=comparaison.ecarts,
            civilite_concordante=comparaison.civilite,
        )
        raise IdentiteDiscordante(identite, comparaison)
    journaliser(
        "franceconnect.rapprochement_reussi",
        compte_id=compte_id,
        ip=ip,
        sub=identite.sub,
        civilite_concordante=comparaison.civilite,
    )
    return identite


def connecte_a_franceconnect(*, session: Mapping[str, Any]) -> bool:
    return ID_TOKEN in session


def deconnecter(*, session: MutableMapping[str, Any], compte_id: int | None, ip: str) -> str:
    """Where to send the browser to log it out of FranceConnect, or the portal's home
    when this session holds no FranceConnect login."""
    id_token = session.pop(ID_TOKEN, None)
    if not id_token or not propose():
        return reverse("portail:accueil")
    state = secrets.token_urlsafe(32)
    try:
        url = client.url_fin_de_session(
            config=_configuration(),
            id_token=id_token,
            state=state,
            post_logout_redirect_uri=_url_publique("franceconnect:deconnexion_retour"),
        )
    except ErreurFranceConnect as erreur:
        journaliser("franceconnect.erreur", compte_id=compte_id, ip=ip, raison=erreur.raison)
        raise
    session[DECONNEXION] = state
    return url


def conclure_deconnexion(
    *, session: MutableMapping[str, Any], state: str, compte_id: int | None, ip: str
) -> bool:
    """Whether FranceConnect came back from the logout this session asked for."""
    attendu = session.pop(DECONNEXION, None)
    confirmee = bool(attendu) and _egaux(state, attendu)
    journaliser("franceconnect.deconnexion", compte_id=compte_id, ip=ip, confirmee=confirmee)
    return confirmee
