"""The demo campaign (see :mod:`isoloir.elections.demo.chargement`)."""

from isoloir.elections.demo.chargement import (
    ADMIN_EMAIL,
    ASSISTANCE_EMAIL,
    DUREE_LIEN_ACTIVATION,
    SLUG,
    ElecteurDemo,
    IdentifiantsDemo,
    charger_campagne_demo,
)

__all__ = [
    "ADMIN_EMAIL",
    "ASSISTANCE_EMAIL",
    "DUREE_LIEN_ACTIVATION",
    "SLUG",
    "ElecteurDemo",
    "IdentifiantsDemo",
    "charger_campagne_demo",
]
