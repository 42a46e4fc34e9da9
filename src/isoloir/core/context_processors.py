from django.conf import settings
from django.http import HttpRequest
from django.utils.html import format_html_join


def portail(request: HttpRequest) -> dict[str, object]:
    """What every page's header and footer show, without a database query."""
    marque = format_html_join(
        "<br>", "{}", ((ligne,) for ligne in settings.ISOLOIR_MARQUE.split("|"))
    )
    return {
        "SITE_CONFIG": {
            "site_title": "Élections professionnelles",
            "site_tagline": "Portail de vote électronique des personnels",
            "header_brand_html": marque,
            "footer_brand_html": marque,
            "footer_description": (
                "Isoloir, portail de vote électronique libre et vérifiable pour les "
                "élections professionnelles de la fonction publique."
            ),
        },
        "ASSISTANCE_TELEPHONE": settings.ISOLOIR_PHONE_ASSISTANCE,
        "ASSISTANCE_HORAIRES": settings.ISOLOIR_HORAIRES_ASSISTANCE,
    }
