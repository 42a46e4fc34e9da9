"""The demo campaign: a realistic « Élections professionnelles 2026 » to try every flow.

Everything comes from one seed (faker ``fr_FR`` and :class:`random.Random`), so a re-run
generates the same people, finds them again by the hash of their NUMEN and updates them
instead of adding new ones. Only the showcase voters' secrets are known: they are reset
on every run, so the credentials printed last always work, even after someone changed a
password or activated an account during the previous demo.
"""

from isoloir.elections.demo.chargement import (
    ADMIN_EMAIL,
    DUREE_LIEN_ACTIVATION,
    SLUG,
    ElecteurDemo,
    IdentifiantsDemo,
    charger_campagne_demo,
)
from isoloir.elections.demo.professions_de_foi import date_en_francais

__all__ = [
    "ADMIN_EMAIL",
    "DUREE_LIEN_ACTIVATION",
    "SLUG",
    "ElecteurDemo",
    "IdentifiantsDemo",
    "charger_campagne_demo",
    "date_en_francais",
]
