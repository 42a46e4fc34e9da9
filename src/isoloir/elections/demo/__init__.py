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
from isoloir.elections.demo.professions_de_foi import date_en_francais

__all__ = [
    "ADMIN_EMAIL",
    "ASSISTANCE_EMAIL",
    "DUREE_LIEN_ACTIVATION",
    "SLUG",
    "ElecteurDemo",
    "IdentifiantsDemo",
    "charger_campagne_demo",
    "date_en_francais",
]
