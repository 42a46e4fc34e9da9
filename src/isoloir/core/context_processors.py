from django.conf import settings
from django.http import HttpRequest


def portail(request: HttpRequest) -> dict[str, object]:
    """What every page's header and footer show, without a database query."""
    return {
        "SITE_CONFIG": {
            "site_title": "Élections professionnelles",
            "site_tagline": "Portail de vote électronique des personnels",
            "header_brand_html": "Ministère<br>de l'Éducation<br>nationale",
            "footer_brand_html": "Ministère<br>de l'Éducation<br>nationale",
            "footer_description": (
                "Isoloir, portail de vote électronique libre et vérifiable pour les "
                "élections professionnelles de la fonction publique."
            ),
        },
        "ASSISTANCE_TELEPHONE": settings.ISOLOIR_PHONE_ASSISTANCE,
    }
