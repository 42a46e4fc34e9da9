"""The OpenID Connect relying party for FranceConnect v2, as its documentation asks.

- Endpoints come from discovery (``ISOLOIR_FC_ISSUER``), validated by Authlib and cached.
- The authorization request carries ``acr_values=eidas1``, a state and a nonce of 43
  random characters (FranceConnect wants 32 at least), and no PKCE: FranceConnect rejects
  any parameter it does not list, ``code_challenge`` included.
- The code is exchanged with ``client_secret_post``, the method FranceConnect accepts by
  default (it refuses HTTP Basic).
- The ID token and the userinfo (a signed JWT, ``application/jwt``) are verified with
  joserfc against the JWKS; FranceConnect rotates its keys, so an unknown ``kid`` triggers
  one fresh download of the JWKS before the token is refused.

Authlib's own HTTP clients are not used: their defaults (Basic authentication, 20-character
nonce, JSON userinfo) are those FranceConnect refuses, and their httpx flavour is
deprecated in favour of httpx2, which we do not install.
"""

import hashlib
import re
from dataclasses import dataclass
from typing import Any

import httpx
from authlib.common.urls import add_params_to_uri
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri
from authlib.oidc import discovery, rpinitiated
from authlib.oidc.core.util import create_half_hash
from django.conf import settings
from django.core.cache import cache
from joserfc import jwt
from joserfc.errors import (
    ExpiredTokenError,
    InvalidClaimError,
    InvalidKeyIdError,
    JoseError,
    MissingClaimError,
)
from joserfc.jwk import KeySet

from isoloir.core import horloge

ACR = "eidas1"
# preferred_username (the usage name) left identite_pivot in v2: it is asked for by name.
SCOPE = "openid identite_pivot preferred_username"
# FranceConnect v2 signs with ES256 (recommended) or RS256; nothing else is accepted, so
# that neither "none" nor an HMAC keyed with a public key can pass.
ALGORITHMES = ("ES256", "RS256")
DELAI_HTTP = httpx.Timeout(10.0)
DUREE_CACHE = 3600
# Tolerated clock drift with FranceConnect: its tokens live 60 seconds.
ECART_HORLOGE = 30

MESSAGE_INDISPONIBLE = (
    "FranceConnect ne répond pas pour le moment. Réessayez dans quelques minutes, ou "
    "utilisez votre question défi."
)
MESSAGE_INVALIDE = (
    "La réponse de FranceConnect n'a pas pu être vérifiée. Recommencez la connexion, ou "
    "utilisez votre question défi."
)


class ErreurFranceConnect(Exception):
    """A failed exchange with FranceConnect. ``message`` is for the voter, in French;
    ``raison`` is a short code for the journal; ``statut`` the HTTP status of the page."""

    def __init__(self, raison: str, message: str = MESSAGE_INVALIDE, *, statut: int = 502):
        super().__init__(raison)
        self.raison = raison
        self.message = message
        self.statut = statut


@dataclass(frozen=True)
class Configuration:
    issuer: str
    client_id: str
    client_secret: str


def configuration() -> Configuration | None:
    """The FranceConnect settings, or None when the path is not offered."""
    if not settings.ISOLOIR_FC_ISSUER:
        return None
    return Configuration(
        issuer=settings.ISOLOIR_FC_ISSUER.rstrip("/"),
        client_id=settings.ISOLOIR_FC_CLIENT_ID,
        client_secret=settings.ISOLOIR_FC_CLIENT_SECRET,
    )


def _cle_cache(config: Configuration, quoi: str) -> str:
    return f"franceconnect:{quoi}:{hashlib.sha256(config.issuer.encode()).hexdigest()[:16]}"


def _get_json(url: str) -> Any:
    try:
        reponse = httpx.get(url, timeout=DELAI_HTTP, follow_redirects=False)
        reponse.raise_for_status()
        return reponse.json()
    except (httpx.HTTPError, ValueError) as erreur:
        raise ErreurFranceConnect("indisponible", MESSAGE_INDISPONIBLE) from erreur


def decouverte(config: Configuration) -> dict[str, Any]:
    """The provider's metadata, from the cache (shared by the web processes) or fetched."""
    cle = _cle_cache(config, "decouverte")
    metadonnees: dict[str, Any] | None = cache.get(cle)
    if metadonnees is not None:
        return metadonnees
    document = _get_json(f"{config.issuer}/.well-known/openid-configuration")
    if not isinstance(document, dict):
        raise ErreurFranceConnect("decouverte_invalide", MESSAGE_INDISPONIBLE)
    try:
        discovery.OpenIDProviderMetadata(document).validate(
            metadata_classes=[rpinitiated.OpenIDProviderMetadata]
        )
    except ValueError as erreur:
        raise ErreurFranceConnect("decouverte_invalide", MESSAGE_INDISPONIBLE) from erreur
    requis = ("authorization_endpoint", "token_endpoint", "jwks_uri", "userinfo_endpoint")
    # OIDC Discovery §4.3: the document must name the issuer it was fetched from.
    if document.get("issuer") != config.issuer or not all(document.get(c) for c in requis):
        raise ErreurFranceConnect("decouverte_invalide", MESSAGE_INDISPONIBLE)
    cache.set(cle, document, DUREE_CACHE)
    return document


def _jeu_de_cles(config: Configuration, *, recharger: bool = False) -> KeySet:
    cle = _cle_cache(config, "jwks")
    donnees = None if recharger else cache.get(cle)
    if donnees is not None:
        return KeySet.import_key_set(donnees)
    donnees = _get_json(decouverte(config)["jwks_uri"])
    try:
        jeu = KeySet.import_key_set(donnees)
    except (JoseError, ValueError, TypeError, KeyError) as erreur:
        raise ErreurFranceConnect("jwks_invalide") from erreur
    # Cached once read: a broken set is fetched again next time, not kept for an hour.
    cache.set(cle, donnees, DUREE_CACHE)
    return jeu


def _registre(config: Configuration, **revendications: Any) -> jwt.JWTClaimsRegistry:
    options: dict[str, Any] = {
        "iss": {"essential": True, "value": config.issuer},
        "aud": {"essential": True, "value": config.client_id},
        "sub": {"essential": True},
        **revendications,
    }
    return jwt.JWTClaimsRegistry(
        now=lambda: int(horloge.maintenant().timestamp()), leeway=ECART_HORLOGE, **options
    )


def _raison(erreur: JoseError, jeton: str) -> str:
    if isinstance(erreur, ExpiredTokenError):
        return f"{jeton}_expire"
    if isinstance(erreur, MissingClaimError | InvalidClaimError):
        etat = "absent" if isinstance(erreur, MissingClaimError) else "invalide"
        revendication = erreur.claim if re.fullmatch(r"[a-z_]{1,20}", erreur.claim) else "autre"
        return f"{jeton}_{revendication}_{etat}"
    return f"{jeton}_invalide"


def _verifier(
    config: Configuration, valeur: str, *, jeton: str, registre: jwt.JWTClaimsRegistry
) -> jwt.Token:
    """Check the signature (fetching the JWKS again once on an unknown key), then the
    claims. ``jeton`` names the token in the journal's codes."""
    try:
        try:
            resultat = jwt.decode(valeur, _jeu_de_cles(config), algorithms=ALGORITHMES)
        except InvalidKeyIdError:
            resultat = jwt.decode(
                valeur, _jeu_de_cles(config, recharger=True), algorithms=ALGORITHMES
            )
    except InvalidKeyIdError as erreur:
        raise ErreurFranceConnect(f"{jeton}_cle_inconnue") from erreur
    except JoseError as erreur:
        raise ErreurFranceConnect(f"{jeton}_signature_invalide") from erreur
    except ValueError as erreur:  # not a compact JWS at all
        raise ErreurFranceConnect(f"{jeton}_illisible") from erreur
    try:
        registre.validate(resultat.claims)
    except JoseError as erreur:
        raise ErreurFranceConnect(_raison(erreur, jeton)) from erreur
    return resultat


def url_autorisation(*, config: Configuration, state: str, nonce: str, redirect_uri: str) -> str:
    """Where to send the browser: FranceConnect's authorization endpoint."""
    return prepare_grant_uri(
        decouverte(config)["authorization_endpoint"],
        client_id=config.client_id,
        response_type="code",
        redirect_uri=redirect_uri,
        scope=SCOPE,
        state=state,
        nonce=nonce,
        acr_values=ACR,
    )


@dataclass(frozen=True)
class Jetons:
    id_token: str
    access_token: str
    sub: str


def echanger_code(*, config: Configuration, code: str, redirect_uri: str, nonce: str) -> Jetons:
    """Exchange the code and verify the ID token it brings (signature, iss, aud, exp,
    nonce, and acr, which libraries leave to the caller)."""
    try:
        reponse = httpx.post(
            decouverte(config)["token_endpoint"],
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "client_id": config.client_id,
                "client_secret": config.client_secret,
            },
            headers={"Accept": "application/json"},
            timeout=DELAI_HTTP,
        )
    except httpx.HTTPError as erreur:
        raise ErreurFranceConnect("indisponible", MESSAGE_INDISPONIBLE) from erreur
    try:
        corps = reponse.json()
    except ValueError:
        corps = None
    if not isinstance(corps, dict):
        raise ErreurFranceConnect("jeton_illisible")
    if reponse.status_code != 200 or "error" in corps:
        # invalid_grant: a code already used, or expired (30 seconds at FranceConnect).
        raise ErreurFranceConnect("code_refuse")
    id_token, access_token = corps.get("id_token"), corps.get("access_token")
    if not isinstance(id_token, str) or not isinstance(access_token, str):
        raise ErreurFranceConnect("jeton_absent")
    resultat = _verifier(
        config,
        id_token,
        jeton="id_token",
        registre=_registre(
            config,
            exp={"essential": True},
            iat={"essential": True},
            nonce={"essential": True, "value": nonce},
            acr={"essential": True, "value": ACR},
        ),
    )
    revendications = resultat.claims
    # Several audiences: the token must then say it was issued to us (OIDC Core §3.1.3.7).
    audience = revendications["aud"]
    if (
        isinstance(audience, list)
        and len(audience) > 1
        and revendications.get("azp") != config.client_id
    ):
        raise ErreurFranceConnect("id_token_azp_invalide")
    # Optional in the code flow; when present, it binds the access token to the ID token.
    at_hash = revendications.get("at_hash")
    if at_hash is not None:
        attendu = create_half_hash(access_token, resultat.header["alg"])
        if not isinstance(at_hash, str) or attendu is None or at_hash.encode() != attendu:
            raise ErreurFranceConnect("id_token_at_hash_invalide")
    return Jetons(id_token=id_token, access_token=access_token, sub=revendications["sub"])


def lire_userinfo(*, config: Configuration, jetons: Jetons) -> dict[str, Any]:
    """The identity, from the userinfo endpoint: a JWT signed like the ID token, issued by
    FranceConnect for us, about the same ``sub``. FranceConnect v2 requires the signature
    to be checked; a plain JSON answer is refused."""
    try:
        reponse = httpx.get(
            decouverte(config)["userinfo_endpoint"],
            headers={"Authorization": f"Bearer {jetons.access_token}"},
            timeout=DELAI_HTTP,
        )
    except httpx.HTTPError as erreur:
        raise ErreurFranceConnect("indisponible", MESSAGE_INDISPONIBLE) from erreur
    if reponse.status_code != 200:
        raise ErreurFranceConnect("userinfo_refuse")
    type_contenu = reponse.headers.get("content-type", "").split(";")[0].strip()
    if type_contenu != "application/jwt":
        raise ErreurFranceConnect("userinfo_non_signe")
    resultat = _verifier(
        config,
        reponse.text.strip(),
        jeton="userinfo",
        registre=_registre(config, sub={"essential": True, "value": jetons.sub}),
    )
    return dict(resultat.claims)


def url_fin_de_session(
    *, config: Configuration, id_token: str, state: str, post_logout_redirect_uri: str
) -> str:
    """FranceConnect's logout, for the browser (OIDC RP-Initiated Logout)."""
    point = decouverte(config).get("end_session_endpoint")
    if not point:
        raise ErreurFranceConnect("fin_de_session_absente", MESSAGE_INDISPONIBLE)
    return add_params_to_uri(
        point,
        [
            ("id_token_hint", id_token),
            ("state", state),
            ("post_logout_redirect_uri", post_logout_redirect_uri),
        ],
    )
