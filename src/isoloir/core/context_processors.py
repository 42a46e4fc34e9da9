from django.conf import settings
from django.http import HttpRequest


def portail(request: HttpRequest) -> dict[str, object]:
    """What the information pages show of the helpdesk, without a database query."""
    return {
        "ASSISTANCE_TELEPHONE": settings.ISOLOIR_PHONE_ASSISTANCE,
        "ASSISTANCE_HORAIRES": settings.ISOLOIR_HORAIRES_ASSISTANCE,
    }
