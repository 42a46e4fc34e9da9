"""The demo campaign: a realistic « Élections professionnelles 2026 » to try every flow.

Everything comes from one seed (faker ``fr_FR`` and :class:`random.Random`), so a re-run
generates the same people, finds them again by the hash of their NUMEN and updates them
instead of adding new ones. Only the showcase voters' secrets are known: they are reset
on every run, so the credentials printed last always work, even after someone changed a
password or activated an account during the previous demo.

The parts are loaded in one transaction, in order: the campaign with its scrutins and lists
(campagne.py), the voters and the showcase (electeurs.py), then the back-office's accounts
(here).
"""

import base64
import secrets
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction

from isoloir.accounts.models import Compte
from isoloir.accounts.second_facteur import appareil_de_demonstration
from isoloir.core.presentation import enregistrer_marque
from isoloir.demo.campagne import DUREE_DU_VOTE, SLUG, charger_campagne, charger_scrutins
from isoloir.demo.electeurs import ElecteurDemo, charger_electeurs
from isoloir.demo.referentiel import generer_electeurs
from isoloir.elections.models import Campagne
from isoloir.gestion.roles import RoleDeGestion

# The administration that runs the demo's elections: the portal's bloc-marque.
MARQUE = ("Ministère", "de l'Éducation", "nationale")
PARIS = ZoneInfo("Europe/Paris")

ADMIN_EMAIL = "admin@isoloir.localhost"
ADMIN_MOT_DE_PASSE = "Urne-Transparente-Scellee-2026"  # demo only, printed on purpose
ASSISTANCE_EMAIL = "assistance@isoloir.localhost"
ASSISTANCE_MOT_DE_PASSE = "Cellule-Assistance-Ecoute-2026"  # demo only, printed on purpose


@dataclass(frozen=True)
class IdentifiantsDemo:
    campagne: str
    ouverture: datetime
    cloture: datetime
    admin_email: str
    admin_mot_de_passe: str
    # Base32 secrets of the TOTP applications (second factor) of the back-office's accounts.
    admin_secret_totp: str
    assistance_email: str
    assistance_mot_de_passe: str
    assistance_secret_totp: str
    electeurs: list[ElecteurDemo] = field(default_factory=list)
    # A previous run's campaign was found: its codes de vote and TOTP secrets were renewed.
    rechargee: bool = False

    def en_json(self) -> dict[str, Any]:
        def convertir(valeur: Any) -> Any:
            if isinstance(valeur, datetime):
                return valeur.astimezone(PARIS).isoformat()
            if isinstance(valeur, date):
                return valeur.isoformat()
            if isinstance(valeur, dict):
                return {cle: convertir(v) for cle, v in valeur.items()}
            if isinstance(valeur, list):
                return [convertir(v) for v in valeur]
            return valeur

        donnees: dict[str, Any] = convertir(asdict(self))
        return donnees


def _charger_compte_de_gestion(
    email: str, mot_de_passe: str, *, nom: str, role: RoleDeGestion
) -> str:
    """An account of the back-office with its role and a fresh second factor; returns the
    TOTP secret to print."""
    compte = Compte.objects.filter(email=email).first() or Compte(email=email)
    compte.nom_affiche = nom
    compte.is_staff = compte.is_active = True
    compte.is_superuser = role is RoleDeGestion.ADMINISTRATION
    compte.set_password(mot_de_passe)
    compte.save()
    compte.groups.add(Group.objects.get_or_create(name=role.groupe)[0])
    secret = base64.b32encode(secrets.token_bytes(20)).decode()
    appareil_de_demonstration(compte, secret)
    return secret


def charger_campagne_demo(
    *,
    maintenant: datetime,
    ouverture_dans: timedelta,
    duree_du_vote: timedelta = DUREE_DU_VOTE,
    graine: int = 2026,
    url_base: str | None = None,
) -> IdentifiantsDemo:
    """Load (or reload) the demo campaign and return the showcase credentials.

    The vote opens at ``maintenant + ouverture_dans`` and lasts ``duree_du_vote`` (8 days
    unless the demo is asked for a whole election in one sitting). ``url_base``
    prefixes the activation links (default ``ISOLOIR_BASE_URL``).
    """
    url_base = (url_base or settings.ISOLOIR_BASE_URL).rstrip("/")
    modeles = generer_electeurs(graine)
    with transaction.atomic():
        rechargee = Campagne.objects.filter(slug=SLUG).exists()
        campagne = charger_campagne(
            maintenant=maintenant, ouverture_dans=ouverture_dans, duree_du_vote=duree_du_vote
        )
        # Stored with the campaign, not set in one process's environment: the next
        # ``isoloir serve`` shows it too.
        enregistrer_marque(MARQUE)
        scrutins = charger_scrutins(campagne=campagne, graine=graine)
        vitrine = charger_electeurs(
            modeles, scrutins=scrutins, graine=graine, maintenant=maintenant, url_base=url_base
        )
        secret_admin = _charger_compte_de_gestion(
            ADMIN_EMAIL,
            ADMIN_MOT_DE_PASSE,
            nom="Administration de la démo",
            role=RoleDeGestion.ADMINISTRATION,
        )
        secret_assistance = _charger_compte_de_gestion(
            ASSISTANCE_EMAIL,
            ASSISTANCE_MOT_DE_PASSE,
            nom="Cellule d'assistance de la démo",
            role=RoleDeGestion.ASSISTANCE,
        )
    return IdentifiantsDemo(
        campagne=campagne.nom,
        ouverture=campagne.ouverture,
        cloture=campagne.cloture,
        admin_email=ADMIN_EMAIL,
        admin_mot_de_passe=ADMIN_MOT_DE_PASSE,
        admin_secret_totp=secret_admin,
        assistance_email=ASSISTANCE_EMAIL,
        assistance_mot_de_passe=ASSISTANCE_MOT_DE_PASSE,
        assistance_secret_totp=secret_assistance,
        electeurs=vitrine,
        rechargee=rechargee,
    )
